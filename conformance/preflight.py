"""Before any case: is the implementation there, and what did it leave behind if not.

A reader path is tried once with the SELECT of the application, so that a missing
emulator or a dead reader is one "could not run" verdict instead of a failure per case
(spec/harness.md, Verdicts).
"""

from __future__ import annotations

from conformance.adapters import IutBase

SELECT_APPLICATION = "00A4040007F0564954414C4500"
"""SELECT of the VDC application (VDC-NFC-020): the preflight of a reader path."""


def preflight(iut: IutBase, designation: str) -> None:
    """Reach a holder behind a reader once before any case: a missing emulator or a dead
    reader is one "could not run" verdict, not a failure per case (spec/harness.md)."""
    from conformance.outcomes import IutFailure, NotApplicable

    scheme = designation.partition(":")[0]
    if scheme not in ("pcsc", "nfc") or "holder.transmit" not in iut.hello().operations:
        return
    if getattr(iut, "control_socket", None) is not None:
        return  # the emulator answered on its control socket: it is there
    from conformance.reports import utc_stamp

    try:
        iut.call("holder.transmit", {"apdu": SELECT_APPLICATION, "now": utc_stamp()})
    except NotApplicable:
        return
    except IutFailure as failure:
        raise IutFailure(
            f"preflight: the holder behind {designation} did not answer SELECT: {failure.message}",
            evidence=failure.evidence,
        ) from None


def with_evidence(error: Exception) -> str:
    """The error, then what the IUT left behind (exit status, last lines of stderr)."""
    from conformance.outcomes import IutFailure

    if not isinstance(error, IutFailure):
        return str(error)
    tail = [line for line in error.evidence if line.startswith(("exit status", "stderr:"))]
    return "\n".join([error.message, *tail[-12:]])
