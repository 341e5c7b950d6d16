"""Seeded faults in the reader's session: what it accepts from a holder and what it does
after a refusal (VDC-NFC-202..205, VDC-SM-002, 021..040)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conformance.driver.faults import fault, patch
from vitale_ref.apdu import SW, parse_tlvs
from vitale_ref.reader import ReaderError, _handshake, _session
from vitale_ref.sm import (
    LABEL_DEVICE_AUTH,
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    Fci,
    SmError,
    SmIntegrityError,
    _channel,
    decode_read_response,
    encode_signed_receipt,
    sign,
    verify,
)


@fault(
    "reader-device-signature-any-label",
    "the device signature is also accepted under the reader-authentication label",
    "VDC-SM-050",
    ("TC-SM-020",),
)
def _any_label() -> None:
    def lax(key: Any, signature: bytes, label: bytes, message: bytes) -> bool:
        return bool(verify(key, signature, label, message)) or (
            label == LABEL_DEVICE_AUTH and bool(verify(key, signature, LABEL_READER_AUTH, message))
        )

    patch(_session, "verify", lax)


@fault(
    "reader-excess-checked-as-a-range",
    "the reader only refuses disclosed elements outside the span of its request",
    "VDC-NFC-202",
    ("TC-NFC-040",),
)
def _excess_range() -> None:
    class Span(frozenset[int]):
        def __new__(cls, items: Any = ()) -> Any:
            values = list(items)
            if values and all(isinstance(v, int) for v in values):
                return frozenset(range(min(values), max(values) + 1))
            return frozenset(values)

    patch(_session, "set", Span, create=True)


@fault(
    "reader-fci-extra-tags-ignored",
    "the reader ignores tags of the FCI it does not expect",
    "VDC-NFC-204",
    ("TC-NFC-041",),
)
def _fci_lax() -> None:
    class LaxFci(Fci):
        @classmethod
        def decode(cls, data: bytes) -> Any:
            try:
                return Fci.decode(data)
            except SmError:
                (template,) = [v for t, v in parse_tlvs(data) if t == 0x6F]
                inner = dict(parse_tlvs(template))
                proprietary = dict(parse_tlvs(inner[0xA5]))
                return Fci(
                    versions=tuple(proprietary[0x80]),
                    device_key=proprietary[0x81],
                    max_command=int.from_bytes(proprietary[0x82], "big"),
                )

    patch(_session, "Fci", LaxFci)
    patch(_handshake, "Fci", LaxFci)


@fault(
    "reader-fci-compressed-point-accepted",
    "the reader accepts a compressed device key in the FCI",
    "VDC-SM-002",
    ("TC-NFC-041",),
)
def _compressed_point() -> None:
    class LaxFci(Fci):
        @classmethod
        def decode(cls, data: bytes) -> Any:
            try:
                return Fci.decode(data)
            except SmError:
                key = dict(parse_tlvs(dict(parse_tlvs(data[2:]))[0xA5]))[0x81]
                if len(key) != 33:
                    raise
                point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
                from vitale_ref.sm import encode_point

                return Fci(versions=(1,), device_key=encode_point(point))

    patch(_session, "Fci", LaxFci)
    patch(_handshake, "Fci", LaxFci)


@fault(
    "reader-version-unchecked",
    "the reader sends ESTABLISH SESSION version 01 whatever versions the FCI offers",
    "VDC-NFC-204",
    ("TC-NFC-041",),
)
def _version_unchecked() -> None:
    class AnyVersion(Fci):
        @classmethod
        def decode(cls, data: bytes) -> Any:
            decoded = Fci.decode(data)
            return Fci(versions=(1, *decoded.versions), device_key=decoded.device_key)

    patch(_session, "Fci", AnyVersion)


@fault(
    "reader-warning-accepted",
    "a warning status word (62XX, 63XX) is taken as success",
    "VDC-NFC-203",
    ("TC-NFC-041",),
)
def _warning_accepted() -> None:
    real = _session._expect

    def expect(sw: int, wanted: Any, ins: Any) -> None:
        if sw >> 8 in (0x62,) and wanted == SW.OK:
            return
        real(sw, wanted, ins)

    patch(_session, "_expect", expect)


@fault(
    "reader-retries-after-refusal",
    "after a refused ESTABLISH SESSION or READ ELEMENTS the reader selects the application again",
    "VDC-NFC-205",
    ("TC-NFC-041", "TC-NFC-012"),
)
def _retries() -> None:
    from conformance.driver import _ops_reader
    from vitale_ref.reader import run_read as real

    def run_read(transmit: Any, **kwargs: Any) -> Any:
        try:
            return real(transmit, **kwargs)
        except ReaderError as error:
            if error.sw in (0x6300, 0x6982):
                transmit(bytes.fromhex("00A4040007F0564954414C4500"))
            raise

    patch(_ops_reader, "run_read", run_read)


def _opening(alternatives: Any) -> None:
    real = _channel.SecureChannel.open_response

    def open_response(self: Any, header: bytes, sealed: bytes) -> bytes:
        try:
            return bytes(real(self, header, sealed))
        except SmIntegrityError:
            for key, counter, aad in alternatives(self, header):
                try:
                    return AESGCM(key).decrypt(_channel.nonce(counter), sealed, aad)
                except (InvalidTag, ValueError):
                    continue
            raise

    patch(_channel.SecureChannel, "open_response", open_response)


@fault(
    "reader-response-either-key",
    "a response sealed under the reader-to-device key is accepted too",
    "VDC-SM-021",
    ("TC-SM-021",),
)
def _either_key() -> None:
    _opening(
        lambda c, h: [(c.keys.reader_to_device, c.counter, _channel.command_aad(h) + b"\x90\x00")]
    )


@fault(
    "reader-response-counter-window",
    "a response sealed with the next counter is accepted too",
    "VDC-SM-031",
    ("TC-SM-021",),
)
def _counter_window() -> None:
    _opening(
        lambda c, h: [
            (c.keys.device_to_reader, c.counter + 1, _channel.command_aad(h) + b"\x90\x00")
        ]
    )


@fault(
    "reader-response-aad-without-status-word",
    "a response whose additional data lacks the status word is accepted too",
    "VDC-SM-033",
    ("TC-SM-021",),
)
def _aad_without_sw() -> None:
    _opening(lambda c, h: [(c.keys.device_to_reader, c.counter, _channel.command_aad(h))])


@fault(
    "reader-read-plaintext-trailing-ignored",
    "TLVs after the device signature in the READ ELEMENTS plaintext are ignored",
    "VDC-NFC-204",
    ("TC-SM-021",),
)
def _plaintext_trailing() -> None:
    def decode(data: bytes) -> Any:
        items = parse_tlvs(data)
        if len(items) > 2:
            from vitale_ref.apdu import encode_tlv

            data = b"".join(encode_tlv(t, v) for t, v in items[:2])
        return decode_read_response(data)

    patch(_session, "decode_read_response", decode)


@fault(
    "reader-receipt-before-verification",
    "the reader files the receipt before it has verified the presentation",
    "VDC-NFC-205",
    ("TC-NFC-040", "TC-SM-020", "TC-CRED-103"),
)
def _receipt_first() -> None:
    real = _session.ReaderSession._run

    def run(self: Any) -> Any:
        flow = real(self)
        command = next(flow)
        while True:
            response = yield command
            try:
                command = flow.send(response)
            except StopIteration as stop:
                return stop.value
            except ReaderError as error:
                if self._receipt is not None and error.sw is None:
                    yield bytes.fromhex("80DB00000100")  # the receipt goes out regardless
                raise error from None

    patch(_session.ReaderSession, "_run", run)


@fault(
    "reader-receipt-signed-without-session",
    "the reader signs the receipt over its body alone, not the session transcript",
    "VDC-SM-040",
    ("TC-SM-022",),
)
def _receipt_without_session() -> None:
    def signed_receipt(hs: Any, identity: Any, receipt: Any) -> bytes:
        signature = sign(identity.key, LABEL_RECEIPT, receipt.encode())
        return encode_signed_receipt(receipt, signature)

    patch(_session, "signed_receipt", signed_receipt)


@fault(
    "reader-fixed-ephemeral-key",
    "the reader uses the same ephemeral key for every ESTABLISH SESSION",
    "VDC-SM-003",
    ("TC-SM-004",),
)
def _fixed_ephemeral() -> None:
    from conformance.driver import _ops_reader
    from vitale_ref.randomness import seeded_random

    patch(_ops_reader, "system_random", _Fixed(seeded_random))


class _Fixed:
    """A random source that starts over for every key it is asked for."""

    def __init__(self, seeded: Any) -> None:
        self._seeded = seeded

    def __call__(self, size: int) -> bytes:
        return bytes(self._seeded("reader-fixed-ephemeral")(size))
