"""DER of the issuer-signed credential and of presentations (VDC-CRED-010..019, 030).

Decoding is strict: the generic DER rules are enforced by `vitale_ref.pki.der`, the
module's constraints here, and the decoded TBS is re-encoded and compared byte for byte
so that no second encoding of the same values can pass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential._elements import DisclosedElement, remembered_disclosed
from vitale_ref.credential._errors import (
    CredentialEncodingError,
    CredentialFormatError,
    DeviceKeyError,
    ElementOrderError,
    MissingElementError,
    UnsupportedAlgorithmError,
    UnsupportedVersionError,
    from_der,
)
from vitale_ref.credential._model import MANDATORY_ELEMENTS, ElementId
from vitale_ref.pki import der
from vitale_ref.pki._profile import ID_EC_PUBLIC_KEY, ID_PRIME256V1, ID_SHA256

VERSION = 1
MAX_PRESENTATION_BYTES = 32768
"""Larger input is refused before parsing (VDC-CRED-030)."""
MAX_CHAIN = 3
MAX_DIGESTS = 16
MAX_LIST_ID = 2**32 - 1
MAX_STATUS_INDEX = 2**20 - 1


@dataclass(frozen=True)
class StatusReference:
    """Where the credential's revocation bit lives (VDC-CRED-014)."""

    list_id: int
    index: int

    def __post_init__(self) -> None:
        if not 0 <= self.list_id <= MAX_LIST_ID or not 0 <= self.index <= MAX_STATUS_INDEX:
            raise CredentialFormatError("status reference out of range", requirement="VDC-CRED-014")


@dataclass(frozen=True, kw_only=True)
class CredentialTBS:
    """The to-be-signed part of a credential."""

    version: int
    serial: bytes
    valid_from: datetime
    valid_until: datetime
    device_public_key: ec.EllipticCurvePublicKey
    status: StatusReference
    digests: tuple[tuple[ElementId, bytes], ...]

    def encode(self) -> bytes:
        spki = self.device_public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return der.sequence(
            der.integer(self.version),
            der.octets(self.serial),
            der.time(self.valid_from),
            der.time(self.valid_until),
            spki,
            der.sequence(der.integer(self.status.list_id), der.integer(self.status.index)),
            der.oid(ID_SHA256),
            der.sequence(*(der.sequence(der.integer(i), der.octets(d)) for i, d in self.digests)),
        )


@dataclass(frozen=True)
class Credential:
    """An issuer-signed credential as decoded."""

    tbs: CredentialTBS
    tbs_encoding: bytes
    signature: bytes
    chain: tuple[x509.Certificate, ...]
    encoding: bytes


@dataclass(frozen=True)
class Presentation:
    """A credential with the disclosed elements, as decoded."""

    credential: Credential
    disclosed: tuple[DisclosedElement, ...]
    encoding: bytes


def encode_credential(tbs_der: bytes, signature: bytes, chain_der: list[bytes]) -> bytes:
    return der.sequence(tbs_der, der.octets(signature), der.sequence(*chain_der))


def encode_presentation(credential_der: bytes, disclosed_der: list[bytes]) -> bytes:
    return der.sequence(credential_der, der.sequence(*disclosed_der))


# --- decoding ------------------------------------------------------------------------


def _device_key(reader: der.Reader) -> ec.EllipticCurvePublicKey:
    spki = reader.nested(der.SEQUENCE, "devicePublicKey")
    algorithm = spki.nested(der.SEQUENCE, "algorithm")
    key_type = der.parse_oid(algorithm.read(der.OID, "algorithm"), "devicePublicKey.algorithm")
    if key_type != ID_EC_PUBLIC_KEY:
        raise DeviceKeyError(f"device key algorithm {key_type} is not id-ecPublicKey")
    curve = der.parse_oid(algorithm.read(der.OID, "parameters"), "devicePublicKey.curve")
    if curve != ID_PRIME256V1:
        raise DeviceKeyError(f"device key curve {curve} is not P-256")
    algorithm.finish()
    point, _unused = der.parse_bits(spki.read(der.BIT_STRING, "subjectPublicKey"), "device key")
    spki.finish()
    if _unused or len(point) != 65 or point[0] != 4:
        raise DeviceKeyError("device key is not an uncompressed P-256 point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise DeviceKeyError("device key point is not on P-256") from None


def _digests(reader: der.Reader) -> tuple[tuple[ElementId, bytes], ...]:
    found: list[tuple[ElementId, bytes]] = []
    for item in reader.items(der.SEQUENCE, "digest", MAX_DIGESTS):
        entry = der.Reader(item, f"{reader.what}[{len(found)}]", reader.depth + 1)
        number = der.parse_integer(entry.read(der.INTEGER, "elementId"), entry.what, 1, 127)
        value = der.parse_octets(entry.read(der.OCTET_STRING, "digest"), entry.what, 32, 32)
        entry.finish()
        if number not in ElementId._value2member_map_:
            raise CredentialFormatError(f"digest for unknown element {number}")
        if found and number <= found[-1][0]:
            raise ElementOrderError(f"digest for element {number} is duplicated or out of order")
        found.append((ElementId(number), value))
    missing = sorted(MANDATORY_ELEMENTS - {i for i, _ in found})
    if missing:
        names = ", ".join(ElementId(i).short_name for i in missing)
        raise MissingElementError(f"no digest for mandatory element(s) {names}")
    return tuple(found)


def _decode_tbs(reader: der.Reader) -> CredentialTBS:
    version = der.parse_integer(reader.read(der.INTEGER, "version"), "version", 0, 2**31)
    if version != VERSION:
        raise UnsupportedVersionError(f"credential version {version} is not supported")
    serial = der.parse_octets(reader.read(der.OCTET_STRING, "serial"), "serial", 16, 16)
    valid_from = der.parse_time(reader.read(der.GENERALIZED_TIME, "validFrom"), "validFrom")
    valid_until = der.parse_time(reader.read(der.GENERALIZED_TIME, "validUntil"), "validUntil")
    if valid_until <= valid_from:
        raise CredentialFormatError("validUntil is not after validFrom", requirement="VDC-CRED-012")
    device_key = _device_key(reader)
    status = reader.nested(der.SEQUENCE, "status")
    list_id = der.parse_integer(status.read(der.INTEGER, "listId"), "listId", 0, MAX_LIST_ID)
    index = der.parse_integer(status.read(der.INTEGER, "index"), "index", 0, MAX_STATUS_INDEX)
    status.finish()
    algorithm = der.parse_oid(reader.read(der.OID, "digestAlgorithm"), "digestAlgorithm")
    if algorithm != ID_SHA256:
        raise UnsupportedAlgorithmError(f"digest algorithm {algorithm} is not SHA-256")
    digests = _digests(reader.nested(der.SEQUENCE, "digests"))
    reader.finish()
    return CredentialTBS(
        version=version,
        serial=serial,
        valid_from=valid_from,
        valid_until=valid_until,
        device_public_key=device_key,
        status=StatusReference(list_id, index),
        digests=digests,
    )


def decode_chain(reader: der.Reader) -> tuple[x509.Certificate, ...]:
    chain: list[x509.Certificate] = []
    for item in reader.items(der.SEQUENCE, "certificate", MAX_CHAIN):
        try:
            cert = x509.load_der_x509_certificate(item.encoding)
        except (ValueError, x509.InvalidVersion):  # InvalidVersion is no ValueError
            raise CredentialEncodingError(f"chain[{len(chain)}]: not a DER certificate") from None
        chain.append(cert)
    if not chain:  # CertificateChain SIZE (1..3): a constraint, so a format error
        raise CredentialFormatError(f"{reader.what}: empty certificate chain")
    return tuple(chain)


@lru_cache(maxsize=32)
def _decode_credential_once(tlv: der.Tlv, what: str, depth: int) -> Credential:
    """The decoding of the exact credential bytes, remembered (bounded, VDC-CRED-048):
    a credential is presented again at every read of its holder, and decoding depends
    on the bytes alone. A refused value raises and is never remembered."""
    return _decode_credential(der.Reader(tlv, what, depth))


def _decode_credential(reader: der.Reader) -> Credential:
    tbs_tlv = reader.read(der.SEQUENCE, "tbs")
    tbs = _decode_tbs(der.Reader(tbs_tlv, "tbs", reader.depth + 1))
    if tbs.encode() != tbs_tlv.encoding:
        raise CredentialEncodingError("tbs: not the canonical DER encoding of its values")
    signature = der.parse_octets(reader.read(der.OCTET_STRING, "signature"), "signature", 64, 64)
    chain = decode_chain(reader.nested(der.SEQUENCE, "chain"))
    reader.finish()
    return Credential(tbs, tbs_tlv.encoding, signature, chain, b"")


def forget_decodings() -> None:
    """Empty the memos of decoded credentials and elements (VDC-CRED-048): a first read."""
    _decode_credential_once.cache_clear()
    remembered_disclosed.cache_clear()


def _guard(data: bytes, what: str, limit: int) -> der.Tlv:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise CredentialEncodingError(f"{what}: expected bytes")
    if len(data) > limit:
        raise CredentialEncodingError(f"{what}: {len(data)} bytes exceeds the {limit} limit")
    return der.decode_one(bytes(data), what)


def decode_credential(data: bytes) -> Credential:
    """Decode an issuer-signed credential (no verification)."""
    try:
        tlv = _guard(data, "Credential", MAX_PRESENTATION_BYTES)
        credential = _decode_credential(der.Reader(tlv, "Credential"))
    except der.DerError as error:
        raise from_der(error) from None
    return replace(credential, encoding=tlv.encoding)


def decode_presentation(data: bytes) -> Presentation:
    """Decode a presentation: credential plus disclosed elements (no verification)."""
    try:
        tlv = _guard(data, "Presentation", MAX_PRESENTATION_BYTES)
        reader = der.Reader(tlv, "Presentation")
        credential_tlv = reader.read(der.SEQUENCE, "credential")
        credential = _decode_credential_once(credential_tlv, "credential", 1)
        disclosed_reader = reader.nested(der.SEQUENCE, "disclosed")
        disclosed: list[DisclosedElement] = []
        for item in disclosed_reader.items(der.SEQUENCE, "element", len(ElementId)):
            element = remembered_disclosed(item, f"disclosed[{len(disclosed)}]", 2)
            if disclosed and element.element_id <= disclosed[-1].element_id:
                name = element.element_id.short_name
                raise ElementOrderError(f"disclosed {name} is duplicated or out of order")
            disclosed.append(element)
        reader.finish()
    except der.DerError as error:
        raise from_der(error) from None
    credential = replace(credential, encoding=credential_tlv.encoding)
    return Presentation(credential, tuple(disclosed), tlv.encoding)
