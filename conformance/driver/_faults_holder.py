"""Seeded faults in the holder device core (VDC-NFC, VDC-SM)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref import holder
from vitale_ref.apdu import INS, SW, _codec
from vitale_ref.apdu import status as apdu_status
from vitale_ref.holder import _core, _session, _state, adapters


@fault(
    "holder-no-presence-check",
    "READ ELEMENTS is answered whether or not the holder armed the presentation",
    "VDC-NFC-111",
    ("TC-NFC-003",),
)
def _no_presence() -> None:
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        return real(session, **{**kwargs, "armed": True})

    patch(_session, "read", read)


@fault(
    "holder-window-inclusive",
    "the presentation window also accepts the instant it ends",
    "VDC-NFC-112",
    ("TC-NFC-004",),
)
def _window_inclusive() -> None:
    def armed(self: Any, now: datetime) -> bool:
        until = self._presence_until() if self._presence_until else self._armed_until
        return until is not None and now <= until

    patch(_core.HolderCore, "armed", armed)


@fault(
    "holder-ignores-reader-rights",
    "elements are disclosed without intersecting with the reader certificate",
    "VDC-NFC-110",
    ("TC-NFC-007", "TC-NFC-024"),
)
def _ignores_rights() -> None:
    real = _session.read

    def read(session: Any, **kwargs: Any) -> Any:
        grant = kwargs["grant"]
        everything = type(grant)(
            rpps=grant.rpps, allowed=frozenset(range(256)), public_key=grant.public_key
        )
        return real(session, **{**kwargs, "grant": everything})

    patch(_session, "read", read)


@fault(
    "holder-no-reader-signature",
    "the reader's signature in ESTABLISH SESSION is not verified",
    "VDC-SM-012",
    ("TC-SM-001",),
)
def _no_reader_signature() -> None:
    patch(_session, "verify", lambda *args: True)


@fault(
    "holder-no-reader-chain",
    "the reader certificate is not validated against the reader root",
    "VDC-SM-012",
    ("TC-SM-001",),
)
def _no_reader_chain() -> None:
    patch(adapters, "validate_chain", lambda *args, **kwargs: [])


@fault(
    "holder-wrong-sw-bad-length",
    "a malformed APDU or wrong Lc answers 6A80 instead of 6700",
    "VDC-NFC-040",
    ("TC-NFC-005",),
)
def _wrong_sw() -> None:
    real = apdu_status

    def status(sw: Any, body: bytes = b"") -> bytes:
        return real(SW.INCORRECT_DATA if sw == SW.WRONG_LENGTH else sw, body)

    patch(_core, "status", status)


@fault(
    "holder-session-survives-integrity-failure",
    "a command whose protection fails is refused but the session keeps its keys",
    "VDC-SM-034",
    ("TC-SM-002",),
)
def _session_survives() -> None:
    kept = frozenset(pair for pair in holder.ENDS_SESSION if SW.SM_DATA_INCORRECT not in pair)
    patch(_core, "ENDS_SESSION", kept)


@fault(
    "holder-second-read-allowed",
    "READ ELEMENTS is accepted again after the read of the session",
    "VDC-NFC-064",
    ("TC-NFC-008",),
)
def _second_read() -> None:
    real = _state.allowed

    def allowed(state: Any, ins: Any) -> bool:
        return bool(real(state, ins)) or (state is _state.State.READ_DONE and ins is INS.READ)

    patch(_core, "allowed", allowed)


@fault(
    "holder-6f00-on-unknown-instruction",
    "an unknown instruction is answered 6F00 (no precise diagnosis) instead of 6D00",
    "VDC-NFC-901",
    ("TC-NFC-015",),
)
def _internal_error_sw() -> None:
    real = apdu_status

    def status(sw: Any, body: bytes = b"") -> bytes:
        return real(0x6F00 if sw == SW.INS_NOT_SUPPORTED else sw, body)

    patch(_core, "status", status)


@fault(
    "holder-extended-lc-unchecked",
    "the extended-length decoder reads the Le field without checking the APDU holds it",
    "VDC-NFC-900",
    ("TC-NFC-017",),
)
def _extended_lc_unchecked() -> None:
    real = _codec.CommandApdu.__dict__["_parse_extended"].__func__

    def parse_extended(cls: type[Any], fields: tuple[int, int, int, int], body: bytes) -> Any:
        if len(body) >= 3:
            end = 3 + int.from_bytes(body[1:3], "big")
            if len(body) not in (3, end):
                le = body[end] << 8 | body[end + 1]  # IndexError when the body is short
                del le
        return real(cls, fields, body)

    patch(_codec.CommandApdu, "_parse_extended", classmethod(parse_extended))


@fault(
    "holder-unbounded-chain",
    "command chaining appends every chained part without the 4096-byte bound",
    "VDC-NFC-902",
    ("TC-NFC-017",),
)
def _unbounded_chain() -> None:
    patch(_core, "MAX_COMMAND_DATA", 1 << 31)
