"""The signed status list: issue, revoke, sign, encode, decode, verify (VDC-CRED-050..055).

Bit i of `revoked` (most significant bit of the first octet is bit 0) set means that the
credential whose status reference holds index i is revoked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from vitale_ref.credential._errors import StatusListError
from vitale_ref.credential._structure import MAX_LIST_ID, decode_chain
from vitale_ref.ecdsa import sign_raw, verify_raw
from vitale_ref.pki import Entity as SignerEntity
from vitale_ref.pki import PKIError, Purpose, der, validate_chain

STATUS_VERSION = 1
MIN_SIZE = 8
MAX_SIZE = 2**20
MAX_STATUS_LIST_BYTES = MAX_SIZE // 8 + 8192


@dataclass
class StatusList:
    """A mutable list of revocation bits, one per issued credential index."""

    list_id: int
    size: int
    bits: bytearray

    @classmethod
    def new(cls, list_id: int, size: int) -> StatusList:
        """An all-valid list of `size` entries (a multiple of 8, 8..2^20)."""
        if not 0 <= list_id <= MAX_LIST_ID:
            raise StatusListError(f"list id {list_id} out of range")
        if not MIN_SIZE <= size <= MAX_SIZE or size % 8:
            raise StatusListError(f"size {size}: a multiple of 8 in 8..{MAX_SIZE} is required")
        return cls(list_id, size, bytearray(size // 8))

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise StatusListError(f"index {index} outside the list of {self.size} entries")

    def revoke(self, index: int) -> None:
        self._check(index)
        self.bits[index // 8] |= 0x80 >> (index % 8)

    def is_revoked(self, index: int) -> bool:
        self._check(index)
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def revoked_indices(self) -> list[int]:
        return [i for i in range(self.size) if self.bits[i // 8] & (0x80 >> (i % 8))]

    def encode_tbs(self, this_update: datetime, next_update: datetime) -> bytes:
        return der.sequence(
            der.integer(STATUS_VERSION),
            der.integer(self.list_id),
            der.time(this_update),
            der.time(next_update),
            der.integer(self.size),
            der.bits(bytes(self.bits)),
        )


def sign_status_list(
    status: StatusList,
    *,
    signer: SignerEntity,
    this_update: datetime,
    next_update: datetime,
    intermediates: Sequence[x509.Certificate] = (),
) -> bytes:
    """DER of the signed list; the signer must be a status-list signer (VDC-CRED-051)."""
    if next_update <= this_update:
        raise StatusListError("nextUpdate must be after thisUpdate")
    tbs = status.encode_tbs(this_update, next_update)
    chain = [signer.certificate, *intermediates]
    chain_der = [c.public_bytes(serialization.Encoding.DER) for c in chain]
    return der.sequence(
        tbs, der.octets(sign_raw(signer.private_key, tbs)), der.sequence(*chain_der)
    )


@dataclass(frozen=True)
class SignedStatusList:
    """A decoded status list with its validity, signature and signer chain."""

    status: StatusList
    this_update: datetime
    next_update: datetime
    tbs_encoding: bytes
    signature: bytes
    chain: tuple[x509.Certificate, ...]

    def is_revoked(self, index: int) -> bool:
        return self.status.is_revoked(index)


def _decode_tbs(reader: der.Reader) -> tuple[StatusList, datetime, datetime]:
    version = der.parse_integer(reader.read(der.INTEGER, "version"), "version", 0, 2**31)
    if version != STATUS_VERSION:
        raise StatusListError(f"status list version {version} is not supported")
    list_id = der.parse_integer(reader.read(der.INTEGER, "listId"), "listId", 0, MAX_LIST_ID)
    this_update = der.parse_time(reader.read(der.GENERALIZED_TIME, "thisUpdate"), "thisUpdate")
    next_update = der.parse_time(reader.read(der.GENERALIZED_TIME, "nextUpdate"), "nextUpdate")
    size = der.parse_integer(reader.read(der.INTEGER, "size"), "size", MIN_SIZE, MAX_SIZE)
    bits, unused = der.parse_bits(reader.read(der.BIT_STRING, "revoked"), "revoked")
    reader.finish()
    if size % 8 or unused or len(bits) != size // 8:
        raise StatusListError("revoked: the bit string must hold exactly size bits, size % 8 == 0")
    if next_update <= this_update:
        raise StatusListError("nextUpdate is not after thisUpdate")
    return StatusList(list_id, size, bytearray(bits)), this_update, next_update


def decode_status_list(data: bytes) -> SignedStatusList:
    """Strict DER decoding of a signed status list (no verification)."""
    if len(data) > MAX_STATUS_LIST_BYTES:
        raise StatusListError(f"status list of {len(data)} bytes exceeds the limit")
    try:
        reader = der.Reader(der.decode_one(bytes(data), "StatusList"), "StatusList")
        tbs_tlv = reader.read(der.SEQUENCE, "tbs")
        status, this_update, next_update = _decode_tbs(der.Reader(tbs_tlv, "tbs", 1))
        signature = der.parse_octets(
            reader.read(der.OCTET_STRING, "signature"), "signature", 64, 64
        )
        chain = decode_chain(reader.nested(der.SEQUENCE, "chain"))
        reader.finish()
    except der.DerError as error:
        raise StatusListError(f"status list: {error}") from None
    except StatusListError:
        raise
    except ValueError as error:  # a CredentialEncodingError from the shared chain decoder
        raise StatusListError(f"status list: {error}") from None
    if status.encode_tbs(this_update, next_update) != tbs_tlv.encoding:
        raise StatusListError("status list tbs is not the canonical DER encoding")
    return SignedStatusList(status, this_update, next_update, tbs_tlv.encoding, signature, chain)


def verify_status_list(
    data: bytes | SignedStatusList, *, trust_anchor: x509.Certificate, now: datetime
) -> SignedStatusList:
    """Decode, check the signer's chain and signature, and the list's own validity."""
    signed = data if isinstance(data, SignedStatusList) else decode_status_list(data)
    try:
        validate_chain(
            signed.chain[0], signed.chain[1:], trust_anchor, now, Purpose.STATUS_LIST_SIGNING
        )
    except PKIError as error:
        raise StatusListError(f"status list signer: {error}") from None
    if not verify_raw(signed.chain[0].public_key(), signed.tbs_encoding, signed.signature):
        raise StatusListError("status list signature does not verify")
    if now < signed.this_update:
        raise StatusListError(f"status list not valid before {signed.this_update}")
    if now > signed.next_update:
        raise StatusListError(f"status list expired at {signed.next_update}")
    return signed
