"""A reader the suite drives one step at a time, to break one rule of the holder at a time.

The honest reader (`Holder.read`) runs a whole read; the malicious cases need each step
in their hands: the ESTABLISH SESSION field byte by byte, the reader chain, the counter,
key and additional data a command is sealed with, the order of commands. `Scripted`
does one step per call with extended APDUs and leaves every choice to the case; by
default each step is the honest one, so a case changes exactly one thing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conformance.cases import _material as m
from conformance.cases.holder._reader import SELECT, Holder
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.sm import (
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    Fci,
    Receipt,
    SessionKeys,
    decode_point,
    derive_keys,
    encode_point,
    encode_signed_receipt,
    nonce,
    reader_auth_message,
    receipt_message,
    session_hash,
    sign,
)

ESTABLISH, READ, RECEIPT = 0x86, 0xCB, 0xDB
_SESSIONS = itertools.count()
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""The order of the P-256 group (SEC 2): r and s must lie in 1..N-1 (VDC-SM-004)."""
OK = 0x9000


@dataclass(frozen=True)
class Reply:
    """One R-APDU split into its data field and status word."""

    data: bytes
    sw: int

    @classmethod
    def of(cls, response: bytes) -> Reply:
        expect(
            len(response) >= 2,
            "response shorter than a status word",
            got=response.hex(),
            expected="a response of at least the two status bytes (VDC-NFC-013)",
        )
        return cls(response[:-2], int.from_bytes(response[-2:], "big"))

    def hex(self) -> str:
        return (self.data + self.sw.to_bytes(2, "big")).hex().upper()


@dataclass(frozen=True)
class ReaderKeys:
    """A reader's certificate chain (leaf first) and its leaf's private key."""

    chain: tuple[bytes, ...]
    key: ec.EllipticCurvePrivateKey


def reader_keys(name: str = "doctor") -> ReaderKeys:
    entity = m.material().pki.readers[name]
    return ReaderKeys((entity.der,), entity.private_key)


def apdu(
    cla: int, ins: int, data: bytes = b"", *, le: bool | int = True, p1p2: bytes = b"\0\0"
) -> bytes:
    """An extended-length command with Le 0000 (Ne 65536), Le `le` when it is a number,
    or no Le when `le` is False."""
    body = b"\x00" + len(data).to_bytes(2, "big") + data if data else b""
    if le is not False:
        field = (0 if le is True else int(le) % 65536).to_bytes(2, "big")
        body += field if data else b"\x00" + field
    return bytes([cla, ins]) + p1p2 + body


def seal(key: bytes, counter: int, aad: bytes, plaintext: bytes) -> bytes:
    return AESGCM(key).encrypt(nonce(counter), plaintext, aad)


class Scripted:
    """One session with the holder: SELECT, ESTABLISH SESSION, protected commands."""

    def __init__(
        self, holder: Holder, *, at: datetime | None = None, reader: ReaderKeys | None = None
    ) -> None:
        self.holder = holder
        self.at = at or holder.now
        self.reader = reader or reader_keys()
        self.ephemeral = p256_private_key(seeded_random(f"conformance/scripted/{next(_SESSIONS)}"))
        self.fci = b""
        self.establish_data = b""
        self.keys: SessionKeys | None = None
        self.counter = 1
        self.last_counter = 0

    # -- raw exchange -------------------------------------------------------------
    def send(self, command: bytes, at: datetime | None = None) -> Reply:
        return Reply.of(self.holder.transmit(at or self.at)(command))

    # -- SELECT and ESTABLISH SESSION -----------------------------------------------
    def select(self) -> Reply:
        reply = self.send(SELECT)
        expect(reply.sw == OK, "SELECT of the application failed", expected="9000", got=reply.hex())
        self.fci = reply.data
        self.counter = 1
        self.keys = None
        return reply

    def signed_part(
        self,
        *,
        version: bytes = b"\x01",
        point: bytes | None = None,
        chain: Sequence[bytes] | None = None,
    ) -> bytes:
        """Tags 80, 81 and A2 of the ESTABLISH SESSION field, as a reader would send them."""
        key = point if point is not None else encode_point(self.ephemeral.public_key())
        certificates = b"".join(chain if chain is not None else self.reader.chain)
        return encode_tlv(0x80, version) + encode_tlv(0x81, key) + encode_tlv(0xA2, certificates)

    def signature(
        self,
        signed: bytes,
        *,
        fci: bytes | None = None,
        label: bytes = LABEL_READER_AUTH,
        key: ec.EllipticCurvePrivateKey | None = None,
    ) -> bytes:
        """The reader signature over `signed` (VDC-SM-011), by the leaf key by default."""
        message = reader_auth_message(self.fci if fci is None else fci, signed)
        return sign(key or self.reader.key, label, message)

    def field(self, signed: bytes | None = None, signature: bytes | None = None) -> bytes:
        """A complete ESTABLISH SESSION field: the signed part and its signature TLV."""
        part = self.signed_part() if signed is None else signed
        value = self.signature(part) if signature is None else signature
        return part + encode_tlv(0x9E, value)

    def establish(self, data: bytes | None = None, at: datetime | None = None) -> Reply:
        """Send ESTABLISH SESSION (the honest field by default); derive the keys on 9000."""
        field = self.field() if data is None else data
        reply = self.send(apdu(0x80, ESTABLISH, field, le=False), at)
        if reply.sw == OK:
            self.establish_data = field
            transcript = session_hash(self.fci, field)
            device = decode_point(Fci.decode(self.fci).device_key)
            self.keys = derive_keys(self.ephemeral, device, transcript)
            self.counter = 1
        return reply

    def open(self) -> Scripted:
        """SELECT then an honest ESTABLISH SESSION, which must succeed."""
        self.select()
        reply = self.establish()
        expect(reply.sw == OK, "session establishment failed", expected="9000", got=reply.hex())
        return self

    @property
    def transcript(self) -> bytes:
        return session_hash(self.fci, self.establish_data)

    # -- protected commands ------------------------------------------------------------
    def sealed(
        self,
        ins: int,
        plaintext: bytes,
        *,
        counter: int | None = None,
        key: bytes | None = None,
        aad: bytes | None = None,
        le: bool | int = True,
    ) -> bytes:
        """The command APDU of `plaintext` sealed as exchange `counter` (the current one)."""
        assert self.keys is not None, "no session keys: establish first"
        sealed = seal(
            key if key is not None else self.keys.reader_to_device,
            self.counter if counter is None else counter,
            bytes([0x80, ins, 0, 0]) if aad is None else aad,
            plaintext,
        )
        return apdu(0x80, ins, sealed, le=le)

    def protected(
        self, ins: int, plaintext: bytes, *, at: datetime | None = None, **sealing: object
    ) -> Reply:
        """Send one sealed command; the reader's counter advances whatever the answer."""
        command = self.sealed(ins, plaintext, **sealing)  # type: ignore[arg-type]
        reply = self.send(command, at)
        self.last_counter = self.counter
        self.counter += 1
        return reply

    def open_reply(
        self, ins: int, reply: Reply | bytes, counter: int | None = None
    ) -> bytes | None:
        """The plaintext of a sealed 9000 answer (or of its data joined from GET RESPONSE
        parts), or None when it does not verify as the answer of exchange `counter`."""
        assert self.keys is not None
        aad = bytes([0x80, ins, 0, 0, 0x90, 0x00])
        used = self.last_counter if counter is None else counter
        data = reply.data if isinstance(reply, Reply) else reply
        try:
            return AESGCM(self.keys.device_to_reader).decrypt(nonce(used), data, aad)
        except (InvalidTag, ValueError):
            return None

    def read(self, ids: Sequence[int], **options: object) -> Reply:
        return self.protected(READ, encode_tlv(0x5C, bytes(ids)), **options)  # type: ignore[arg-type]

    def receipt_plaintext(
        self,
        receipt: Receipt | None = None,
        *,
        body: bytes | None = None,
        signature: bytes | None = None,
        transcript: bytes | None = None,
    ) -> bytes:
        """`70 body || 9E signature`, signed over this session's transcript by default."""
        chosen = receipt or default_receipt()
        encoded = chosen.encode() if body is None else body
        if signature is None:
            message = receipt_message(
                self.transcript if transcript is None else transcript, encoded
            )
            signature = sign(self.reader.key, LABEL_RECEIPT, message)
        if body is None:
            return encode_signed_receipt(chosen, signature)
        return encode_tlv(0x70, encoded) + encode_tlv(0x9E, signature)

    def receipt(self, receipt: Receipt | None = None, **options: object) -> Reply:
        return self.protected(RECEIPT, self.receipt_plaintext(receipt), **options)  # type: ignore[arg-type]


def default_receipt(rpps: str = "19999999006", act: str = "GS", amount: int = 2650) -> Receipt:
    return Receipt(time=m.NOW, rpps=rpps, act=act, amount_cents=amount)


def expect_sw(reply: Reply, sw: int, what: str) -> None:
    """`reply` must be status word `sw` alone: a refusal discloses nothing (VDC-SM-035)."""
    expect(
        reply.sw == sw and (sw == OK or not reply.data),
        what,
        expected=f"{sw:04X}" + ("" if sw == OK else " without data"),
        got=reply.hex()[:80],
    )
