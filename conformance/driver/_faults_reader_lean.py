"""Seeded faults in the reader's version 2 (chapter "Protocol version 2")."""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.credential import _verify, decode_compact
from vitale_ref.reader import ReaderError, _session


@fault(
    "reader-never-fetches-signer-chain",
    "a version 2 reader that lacks the signer chain gives up instead of GET SIGNER CHAIN",
    "VDC-NFC-073",
    ("TC-NFC-172",),
)
def _never_fetches() -> None:
    real = _session.ReaderSession._verify

    def verify(self: Any, hs: Any, presentation: bytes) -> Any:
        if hs.version >= 2:
            parts = decode_compact(presentation)
            if self._verifier.signer_chain(parts.signer) is None:
                raise ReaderError("no signer chain for the reference")
        return (yield from real(self, hs, presentation))

    patch(_session.ReaderSession, "_verify", verify)


@fault(
    "reader-fetched-chain-unvalidated",
    "the document-signer chain is not validated to the issuing root (fetched or sent)",
    "VDC-CRED-071",
    ("TC-CRED-170",),
)
def _unvalidated() -> None:
    patch(_verify, "_check_chain", lambda chain, anchor, now: None)
