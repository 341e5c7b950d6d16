"""Seeded faults in the reader core and its presentation verifier."""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.credential import decode_presentation
from vitale_ref.credential import verify_presentation as real_verify
from vitale_ref.reader import _session, adapters


@fault(
    "reader-accepts-excess-disclosure",
    "the reader does not compare the disclosed elements with its request",
    "VDC-NFC-202",
    ("TC-NFC-011", "TC-NFC-040"),
)
def _accepts_excess() -> None:
    # The excess check is the only use of set() in the reader session: an empty one
    # makes every disclosure look requested.
    patch(_session, "set", lambda items=(): frozenset(), create=True)


@fault(
    "reader-no-device-signature",
    "the device signature over the session transcript is not checked",
    "VDC-SM-051",
    ("TC-SM-003", "TC-SM-020"),
)
def _no_device_signature() -> None:
    patch(_session, "verify", lambda *args: True)


@fault(
    "reader-no-revocation-check",
    "the reader verifies presentations without its status list",
    "VDC-CRED-053",
    ("TC-CRED-014", "TC-CRED-102"),
)
def _no_revocation() -> None:
    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        return real_verify(data, **{**kwargs, "status_list": None})

    patch(adapters, "verify_presentation", verify_presentation)


@fault(
    "reader-accepts-expired",
    "the reader checks the validity at the credential's expiry, not at now",
    "VDC-CRED-043",
    ("TC-CRED-013", "TC-CRED-100"),
)
def _accepts_expired() -> None:
    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        until = decode_presentation(data).credential.tbs.valid_until
        return real_verify(data, **{**kwargs, "now": min(kwargs["now"], until)})

    patch(adapters, "verify_presentation", verify_presentation)


@fault(
    "reader-unbounded-get-response",
    "the reader keeps sending GET RESPONSE as long as the holder announces data",
    "VDC-NFC-203",
    ("TC-NFC-013",),
)
def _unbounded() -> None:
    patch(_session, "MAX_GET_RESPONSE", 10**6)
