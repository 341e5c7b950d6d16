"""Seeded faults in the holder's version 2 (chapter "Protocol version 2"): each breaks one
rule of the lean tap, the versions offered, the memory of readers, the compact
presentation or GET SIGNER CHAIN."""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import INS, SW
from vitale_ref.holder import _core, _session, adapters
from vitale_ref.sm import _messages


@fault(
    "holder-offers-version-1-only",
    "the FCI offers version 01 only, as a holder of before version 2",
    "VDC-NFC-070",
    ("TC-NFC-170", "TC-SM-170"),
)
def _version_1_only() -> None:
    real = _session.select
    patch(_session, "select", lambda random, data, *versions: real(random, data, (1,)))


@fault(
    "holder-forgets-readers",
    "the holder remembers no reader chain: every reference is unknown",
    "VDC-PKI-060",
    ("TC-SM-170",),
)
def _forgets() -> None:
    patch(adapters.PkiReaderAuthority, "remembered", lambda self, reference, now: None)


@fault(
    "holder-remembers-past-validity",
    "a remembered reader chain is served after its certificate ended",
    "VDC-PKI-060",
    ("TC-SM-171",),
)
def _past_validity() -> None:
    real = adapters.PkiReaderAuthority.remembered

    def remembered(self: Any, reference: bytes, now: Any) -> Any:
        memory = self._remembered
        if memory is None:
            return None
        entry = memory._entries.get((bytes(reference),))
        return entry.value if entry is not None else real(self, reference, now)

    patch(adapters.PkiReaderAuthority, "remembered", remembered)


@fault(
    "holder-unknown-reference-6a80",
    "a reference the holder does not remember is answered 6A80, as a malformed field",
    "VDC-SM-062",
    ("TC-SM-171",),
)
def _unknown_6a80() -> None:
    real = _session.establish

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        sw, body = real(session, readers, data, now)
        return (SW.INCORRECT_DATA, body) if sw is SW.DATA_NOT_FOUND else (sw, body)

    patch(_session, "establish", establish)


@fault(
    "holder-unknown-reference-ends-session",
    "after 6A88 to ESTABLISH SESSION the holder drops the selection",
    "VDC-SM-062",
    ("TC-SM-171",),
)
def _unknown_ends() -> None:
    real = _core.HolderCore._execute

    def execute(self: Any, apdu: Any, ins: Any, *rest: Any) -> bytes:
        response = bytes(real(self, apdu, ins, *rest))
        if ins is INS.ESTABLISH and response[-2:] == b"\x6a\x88":
            self.reset()
        return response

    patch(_core.HolderCore, "_execute", execute)


@fault(
    "holder-reference-signature-unchecked",
    "ESTABLISH SESSION by reference skips the reader signature",
    "VDC-SM-061",
    ("TC-SM-172",),
)
def _reference_unsigned() -> None:
    real = _session.establish

    def establish(session: Any, readers: Any, data: bytes, now: Any) -> Any:
        message = None
        try:
            message = _messages.Establish.decode(data)
        except Exception:
            return real(session, readers, data, now)
        if not message.reference:
            return real(session, readers, data, now)
        verify = getattr(_session, "verify")  # noqa: B009 (replaced during the call)
        setattr(_session, "verify", lambda *args: True)  # noqa: B010
        try:
            return real(session, readers, data, now)
        finally:
            setattr(_session, "verify", verify)  # noqa: B010

    patch(_session, "establish", establish)


@fault(
    "holder-version-2-full-presentation",
    "a version 2 READ returns the version 1 presentation, chain included",
    "VDC-CRED-070",
    ("TC-SM-170",),
)
def _full_presentation() -> None:
    patch(_session, "remembered_compact", lambda presentation: (presentation, ()))


@fault(
    "holder-signer-chain-in-version-1",
    "GET SIGNER CHAIN is answered in a version 1 session",
    "VDC-NFC-073",
    ("TC-NFC-171",),
)
def _chain_in_v1() -> None:
    patch(_core, "LEAN_VERSION", 1)


@fault(
    "holder-signer-chain-plaintext-ignored",
    "GET SIGNER CHAIN ignores a non-empty plaintext",
    "VDC-NFC-073",
    ("TC-NFC-171",),
)
def _plaintext_ignored() -> None:
    real = _session.signer_chain
    patch(_session, "signer_chain", lambda session, plaintext: real(session, b""))
