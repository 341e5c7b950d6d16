"""Seeded faults in the holder's handling of billing receipts (VDC-SM-040..043, NFC-131)."""

from __future__ import annotations

from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import SW, encode_tlv, parse_tlvs
from vitale_ref.holder import _session
from vitale_ref.holder._events import ReceiptFiled
from vitale_ref.sm import LABEL_RECEIPT, SmError, _messages, verify


def _receipt_checks(*, act: bool = True, rpps: bool = True) -> Any:
    """Receipt.__post_init__ with the act-code or the RPPS check off."""
    real = _messages.Receipt.__post_init__

    def post_init(self: Any) -> None:
        try:
            real(self)
        except SmError as error:
            text = str(error)
            if (not act and "act code" in text) or (not rpps and "RPPS" in text):
                return
            raise

    return post_init


@fault(
    "holder-receipt-act-length-unchecked",
    "a receipt act code may be empty or longer than 16 characters",
    "VDC-SM-041",
    ("TC-SM-016",),
)
def _act_length() -> None:
    patch(_messages.Receipt, "__post_init__", _receipt_checks(act=False))


@fault(
    "holder-receipt-rpps-format-unchecked",
    "a receipt RPPS number need not be 11 digits",
    "VDC-SM-041",
    ("TC-SM-016",),
)
def _rpps_format() -> None:
    patch(_messages.Receipt, "__post_init__", _receipt_checks(rpps=False))
    real = _session.receipt

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        # A lax holder compares the first 10 digits only: "same practitioner".
        try:
            parsed = _messages.decode_signed_receipt(plaintext)[0]
        except SmError:
            return real(session, plaintext, grant, now)
        if parsed.rpps != grant.rpps and parsed.rpps[:10] == grant.rpps[:10]:
            patched = type(grant)(
                rpps=parsed.rpps, allowed=grant.allowed, public_key=grant.public_key
            )
            return real(session, plaintext, patched, now)
        return real(session, plaintext, grant, now)

    patch(_session, "receipt", receipt)


@fault(
    "holder-receipt-amount-size-unchecked",
    "a receipt amount of any size from 1 to 8 bytes is accepted",
    "VDC-SM-041",
    ("TC-SM-016",),
)
def _amount_size() -> None:
    real = _messages.Receipt.decode.__func__  # type: ignore[attr-defined]

    def decode(cls: Any, data: bytes) -> Any:
        amount = _messages._values(data, (0x80, 0x81, 0x82, 0x83))[3]
        if 1 <= len(amount) <= 8 and len(amount) != 4:
            value = int.from_bytes(amount, "big") % 2**32
            data = data[: len(data) - len(amount) - 2] + b"\x83\x04" + value.to_bytes(4, "big")
        return real(cls, data)

    patch(_messages.Receipt, "decode", classmethod(decode))


@fault(
    "holder-receipt-trailing-tlvs-ignored",
    "TLVs after the receipt signature are ignored",
    "VDC-SM-041",
    ("TC-SM-016",),
)
def _trailing() -> None:
    real = _messages.decode_signed_receipt

    def decode_signed_receipt(data: bytes) -> Any:
        items = parse_tlvs(data)
        if len(items) > 2:
            data = b"".join(encode_tlv(tag, value) for tag, value in items[:2])
        return real(data)

    patch(_session, "decode_signed_receipt", decode_signed_receipt)


@fault(
    "holder-receipt-signature-unchecked",
    "the reader's signature on a receipt is not verified",
    "VDC-SM-041",
    ("TC-SM-018",),
)
def _signature_unchecked() -> None:
    def lax_verify(key: Any, signature: bytes, label: bytes, message: bytes) -> bool:
        return label == LABEL_RECEIPT or bool(verify(key, signature, label, message))

    patch(_session, "verify", lax_verify)


@fault(
    "holder-receipt-previous-session-accepted",
    "a receipt signed over the previous session's transcript is accepted too",
    "VDC-SM-040",
    ("TC-SM-018",),
)
def _previous_session() -> None:
    real = _session.receipt
    seen: list[bytes] = []

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        if not seen or seen[-1] != session.transcript_hash:
            seen.append(session.transcript_hash)
        sw, body = real(session, plaintext, grant, now)
        if sw == SW.AUTH_FAILED and len(seen) > 1:
            current = session.transcript_hash
            session.transcript_hash = seen[-2]
            try:
                sw, body = real(session, plaintext, grant, now)
            finally:
                session.transcript_hash = current
        return sw, body

    patch(_session, "receipt", receipt)
    patch(_session, "read", _remembering(_session.read, seen))


def _remembering(read: Any, seen: list[bytes]) -> Any:
    def wrapped(session: Any, **kwargs: Any) -> Any:
        if not seen or seen[-1] != session.transcript_hash:
            seen.append(session.transcript_hash)
        return read(session, **kwargs)

    return wrapped


@fault(
    "holder-receipt-filed-before-checks",
    "a receipt is reported for filing as soon as it decodes, before its RPPS and signature",
    "VDC-SM-043",
    ("TC-SM-016", "TC-SM-018"),
)
def _filed_before_checks() -> None:
    real = _session.receipt

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        sw, body = real(session, plaintext, grant, now)
        if sw is not SW.OK:
            try:
                parsed = _messages.Receipt.decode(_messages._values(plaintext, (0x70, 0x9E))[0])
            except SmError:
                return sw, body
            session.events.append(
                ReceiptFiled(
                    reader_rpps=grant.rpps,
                    receipt=parsed,
                    signed=plaintext,
                    session_hash=session.transcript_hash,
                    time=now,
                )
            )
        return sw, body

    patch(_session, "receipt", receipt)


@fault(
    "holder-receipt-acknowledgement-echoes",
    "the receipt acknowledgement carries the receipt body instead of an empty plaintext",
    "VDC-SM-042",
    ("TC-SM-017",),
)
def _ack_echoes() -> None:
    real = _session.receipt

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        sw, body = real(session, plaintext, grant, now)
        return (sw, plaintext[:8]) if sw is SW.OK else (sw, body)

    patch(_session, "receipt", receipt)


@fault(
    "holder-receipt-rpps-unchecked",
    "a receipt naming another practitioner than the reader's certificate is accepted",
    "VDC-SM-041",
    ("TC-SM-006", "TC-NFC-021"),
)
def _rpps_unchecked() -> None:
    real = _session.receipt

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        try:
            named = _messages.decode_signed_receipt(plaintext)[0].rpps
        except SmError:
            return real(session, plaintext, grant, now)
        same = type(grant)(rpps=named, allowed=grant.allowed, public_key=grant.public_key)
        return real(session, plaintext, same, now)

    patch(_session, "receipt", receipt)


@fault(
    "holder-receipt-event-without-session",
    "the ReceiptFiled event carries neither the session hash nor the instant of the command",
    "VDC-NFC-131",
    ("TC-SM-017",),
)
def _event_without_session() -> None:
    from dataclasses import replace

    real = _session.receipt

    def receipt(session: Any, plaintext: bytes, grant: Any, now: Any) -> Any:
        outcome = real(session, plaintext, grant, now)
        events = session.events
        if events and isinstance(events[-1], ReceiptFiled):
            events[-1] = replace(events[-1], session_hash=b"", time=events[-1].receipt.time)
        return outcome

    patch(_session, "receipt", receipt)
