"""A holder the suite plays against a reader under test, with one thing changed at a time.

`Played` answers a reader's APDUs as a holder device does (chaining, GET RESPONSE, the
four commands, secure messaging) from a credential the suite issued, and records what
the reader sent. Each `Tweak` field replaces one step of the honest behaviour: the FCI,
the presentation, the device signature, the READ ELEMENTS plaintext, the sealing of a
response, or the R-APDU of one command; a played holder with no tweak is honest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from conformance.cases.holder._scripted import seal
from vitale_ref.apdu import AID, ApduError, CommandApdu, encode_tlv
from vitale_ref.credential import IssuedCredential, build_presentation
from vitale_ref.pki import reader_authorisation
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.sm import (
    LABEL_DEVICE_AUTH,
    LABEL_RECEIPT,
    Establish,
    Fci,
    SessionKeys,
    SmError,
    decode_point,
    decode_request,
    decode_signed_receipt,
    derive_keys,
    device_auth_message,
    encode_point,
    encode_read_response,
    nonce,
    receipt_message,
    session_hash,
    sign,
    verify,
)

SELECT, ESTABLISH, READ, RECEIPT, GET_RESPONSE = 0xA4, 0x86, 0xCB, 0xDB, 0xC0
OK = b"\x90\x00"


@dataclass(frozen=True)
class Signing:
    """What the device signature of one read is computed from (VDC-SM-050)."""

    key: ec.EllipticCurvePrivateKey
    transcript: bytes
    request: bytes
    presentation: bytes

    def honest(self) -> bytes:
        message = device_auth_message(self.transcript, self.request, self.presentation)
        return sign(self.key, LABEL_DEVICE_AUTH, message)


@dataclass(frozen=True)
class Sealing:
    """How the response of one exchange is sealed (VDC-SM-030..033)."""

    keys: SessionKeys
    counter: int
    header: bytes
    plaintext: bytes

    def honest(self) -> bytes:
        return seal(self.keys.device_to_reader, self.counter, self.header + OK, self.plaintext)


@dataclass(frozen=True)
class Tweak:
    """One way the played holder departs from the honest one (None: honest)."""

    fci: Callable[[bytes], bytes] | None = None
    """The SELECT response data, from the device's encoded ephemeral point."""
    presentation: Callable[[IssuedCredential, Sequence[int]], bytes] | None = None
    device_signature: Callable[[Signing], bytes] | None = None
    read_plaintext: Callable[[bytes, bytes], bytes] | None = None
    """The READ ELEMENTS plaintext from the presentation and the device signature."""
    seal: Callable[[Sealing], bytes] | None = None
    answer: Callable[[int, bytes], bytes | None] | None = None
    """The whole R-APDU for (instruction, honest R-APDU), or None to keep the honest one."""


@dataclass
class Played:
    """The played holder: call it with a C-APDU, get the R-APDU."""

    credential: IssuedCredential
    device_key: ec.EllipticCurvePrivateKey
    tweak: Tweak = field(default_factory=Tweak)
    seed: str = "conformance/played-holder"
    commands: list[bytes] = field(default_factory=list)
    receipts: list[tuple[bool, bytes]] = field(default_factory=list)
    """Each receipt the reader sent: (its signature verified, its plaintext)."""

    def __post_init__(self) -> None:
        self._ephemeral = p256_private_key(seeded_random(self.seed))
        self._fci = b""
        self._transcript = b""
        self._keys: SessionKeys | None = None
        self._reader_key: ec.EllipticCurvePublicKey | None = None
        self.reader_rpps = ""
        self._counter = 1
        self._chain = b""
        self._pending = b""

    # -- framing ---------------------------------------------------------------------
    def __call__(self, command: bytes) -> bytes:
        self.commands.append(command)
        try:
            apdu = CommandApdu.parse(command)
        except ApduError:
            return b"\x67\x00"
        if apdu.ins == GET_RESPONSE:
            chunk, self._pending = self._pending[: apdu.ne or 0], self._pending[apdu.ne or 0 :]
            return chunk + (_more(len(self._pending)) if self._pending else OK)
        if apdu.cla & 0x10:
            self._chain += apdu.data
            return OK
        data, self._chain = self._chain + apdu.data, b""
        response = self._logical(apdu.ins, data)
        if self.tweak.answer is not None:
            response = self.tweak.answer(apdu.ins, response) or response
        body, sw = response[:-2], response[-2:]
        ne = apdu.ne or 0
        if sw == OK and len(body) > ne:
            self._pending = body[ne:]
            return body[:ne] + _more(len(self._pending))
        return response

    # -- the four commands ------------------------------------------------------------
    def _logical(self, ins: int, data: bytes) -> bytes:
        if ins == SELECT:
            return self._select(data)
        if ins == ESTABLISH:
            return self._establish(data)
        if ins in (READ, RECEIPT) and self._keys is not None:
            return self._protected(ins, data)
        return b"\x69\x85"

    def _select(self, data: bytes) -> bytes:
        if data != AID:
            return b"\x6a\x82"
        self._ephemeral = p256_private_key(seeded_random(f"{self.seed}/{len(self.commands)}"))
        point = encode_point(self._ephemeral.public_key())
        honest = Fci(versions=(1,), device_key=point).encode()  # a version 1 holder
        self._fci = self.tweak.fci(point) if self.tweak.fci else honest
        self._keys = None
        return self._fci + OK

    def _establish(self, data: bytes) -> bytes:
        try:
            message = Establish.decode(data)
            reader = decode_point(message.reader_key)
            certificate = x509.load_der_x509_certificate(message.chain[0])
            leaf = certificate.public_key()
            self.reader_rpps = reader_authorisation(certificate).rpps
        except (SmError, ValueError):
            return b"\x6a\x80"
        if not isinstance(leaf, ec.EllipticCurvePublicKey):
            return b"\x63\x00"
        self._reader_key = leaf
        self._transcript = session_hash(self._fci, data)
        self._keys = derive_keys(self._ephemeral, reader, self._transcript)
        self._counter = 1
        return OK

    def _protected(self, ins: int, data: bytes) -> bytes:
        assert self._keys is not None
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        header = bytes([0x80, ins, 0, 0])
        try:
            plaintext = AESGCM(self._keys.reader_to_device).decrypt(
                nonce(self._counter), data, header
            )
        except Exception:  # any integrity failure: the reader under test sealed it wrongly
            self._keys = None
            return b"\x69\x88"
        body = self._read(plaintext) if ins == READ else self._receipt(plaintext)
        sealing = Sealing(self._keys, self._counter, header, body)
        self._counter += 1
        sealed = self.tweak.seal(sealing) if self.tweak.seal else sealing.honest()
        return sealed + OK

    def _read(self, request: bytes) -> bytes:
        ids = decode_request(request)
        make = self.tweak.presentation or _honest_presentation
        presentation = make(self.credential, ids)
        signing = Signing(self.device_key, self._transcript, request, presentation)
        signature = (
            self.tweak.device_signature(signing)
            if self.tweak.device_signature
            else signing.honest()
        )
        if self.tweak.read_plaintext is not None:
            return self.tweak.read_plaintext(presentation, signature)
        return encode_read_response(presentation, signature)

    def _receipt(self, plaintext: bytes) -> bytes:
        try:
            _, body, signature = decode_signed_receipt(plaintext)
        except SmError:
            self.receipts.append((False, plaintext))
            return b""
        message = receipt_message(self._transcript, body)
        valid = self._reader_key is not None and verify(
            self._reader_key, signature, LABEL_RECEIPT, message
        )
        self.receipts.append((valid, plaintext))
        return b""

    @property
    def instructions(self) -> list[int]:
        """The instruction byte of every command the reader sent, in order."""
        return [command[1] for command in self.commands if len(command) > 1]


def _honest_presentation(credential: IssuedCredential, ids: Sequence[int]) -> bytes:
    held = [i for i in ids if i in {int(e) for e in credential.elements}]
    return build_presentation(credential, held)


def _more(remaining: int) -> bytes:
    return bytes([0x61, remaining if remaining < 256 else 0])


def tlv(tag: int, value: bytes) -> bytes:
    return encode_tlv(tag, value)
