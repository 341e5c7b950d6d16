"""DER of element values and of DisclosedElement, and their salted digests.

DisclosedElement ::= SEQUENCE { salt OCTET STRING (SIZE (16)), value ElementValue }
ElementValue is a CHOICE whose context tag number is the element identifier
(IMPLICIT tagging), so the identifier travels inside the value (VDC-CRED-018, 019).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from vitale_ref.credential._errors import (
    CredentialEncodingError,
    CredentialFormatError,
    from_der,
)
from vitale_ref.credential._model import (
    MAX_COMPLEMENTARY,
    MAX_MINORS,
    MAX_RIGHTS_PERIODS,
    NAME_MAX_CHARACTERS,
    Affiliation,
    ComplementaryCover,
    ElementId,
    ElementValue,
    Minor,
    RightsPeriod,
    validate_element,
)
from vitale_ref.pki import der

SALT_LENGTH = 16
_CONSTRUCTED = {ElementId.AFFILIATION, ElementId.RIGHTS, ElementId.COMPLEMENTARY, ElementId.MINORS}


def element_tag(element_id: ElementId) -> int:
    """Tag byte of an element value: context class, constructed for SEQUENCE types."""
    return (0xA0 if element_id in _CONSTRUCTED else 0x80) | int(element_id)


# --- encoding ------------------------------------------------------------------------


def _period(period: RightsPeriod) -> bytes:
    return der.sequence(der.numeric(period.start), der.numeric(period.end))


def _minor(minor: Minor) -> bytes:
    return der.sequence(
        der.printable(minor.nir),
        der.utf8(minor.family_name),
        der.utf8(minor.given_names),
        der.numeric(minor.birth_date),
        der.integer(minor.birth_rank),
        der.integer(minor.quality),
    )


def _content(element_id: ElementId, value: ElementValue) -> bytes:
    """The DER of `value` under its own universal tag, before implicit retagging."""
    if element_id is ElementId.NIR:
        return der.printable(str(value))
    if element_id in (ElementId.FAMILY_NAME, ElementId.GIVEN_NAMES):
        return der.utf8(str(value))
    if element_id is ElementId.BIRTH_DATE:
        return der.numeric(str(value))
    if element_id in (ElementId.BIRTH_RANK, ElementId.QUALITY):
        assert isinstance(value, int)
        return der.integer(value)
    if element_id is ElementId.AFFILIATION:
        assert isinstance(value, Affiliation)
        return der.sequence(
            der.numeric(value.regime), der.numeric(value.caisse), der.numeric(value.centre)
        )
    assert isinstance(value, tuple)
    if element_id is ElementId.RIGHTS:
        return der.sequence(*(_period(p) for p in value))  # type: ignore[arg-type]
    if element_id is ElementId.COMPLEMENTARY:
        return der.sequence(
            *(der.sequence(der.numeric(c.organisation), _period(c.period)) for c in value)  # type: ignore[union-attr]
        )
    return der.sequence(*(_minor(m) for m in value))  # type: ignore[arg-type]


def encode_value(element_id: ElementId, value: ElementValue) -> bytes:
    """`[id] IMPLICIT <type>`: the universal tag byte replaced by the context tag."""
    encoded = _content(element_id, value)
    return bytes([element_tag(element_id)]) + encoded[1:]


def encode_disclosed(element_id: ElementId, value: ElementValue, salt: bytes) -> bytes:
    if len(salt) != SALT_LENGTH:
        raise CredentialFormatError("salt must be 16 bytes", requirement="VDC-CRED-019")
    return der.sequence(der.octets(salt), encode_value(element_id, value))


def digest(disclosed_der: bytes) -> bytes:
    """SHA-256 over the DER of one DisclosedElement (VDC-CRED-015)."""
    return hashlib.sha256(disclosed_der).digest()


# --- decoding ------------------------------------------------------------------------


def _read_period(reader: der.Reader, name: str) -> RightsPeriod:
    inner = reader.nested(der.SEQUENCE, name)
    start = der.parse_numeric(inner.read(der.NUMERIC_STRING, "start"), "start", 8, 8)
    end = der.parse_numeric(inner.read(der.NUMERIC_STRING, "end"), "end", 8, 8)
    inner.finish()
    return RightsPeriod(start=start, end=end)


def _decode_rights(reader: der.Reader) -> tuple[RightsPeriod, ...]:
    periods: list[RightsPeriod] = []
    while not reader.at_end():
        if len(periods) == MAX_RIGHTS_PERIODS:
            raise der.ConstraintError(f"{reader.what}: more than {MAX_RIGHTS_PERIODS} periods")
        periods.append(_read_period(reader, f"period[{len(periods)}]"))
    return tuple(periods)


def _decode_complementary(reader: der.Reader) -> tuple[ComplementaryCover, ...]:
    covers: list[ComplementaryCover] = []
    while not reader.at_end():
        if len(covers) == MAX_COMPLEMENTARY:
            raise der.ConstraintError(f"{reader.what}: more than {MAX_COMPLEMENTARY} covers")
        inner = reader.nested(der.SEQUENCE, f"cover[{len(covers)}]")
        org = der.parse_numeric(inner.read(der.NUMERIC_STRING, "organisation"), "AMC", 8, 10)
        covers.append(ComplementaryCover(organisation=org, period=_read_period(inner, "period")))
        inner.finish()
    return tuple(covers)


def _decode_minor(reader: der.Reader) -> Minor:
    n = NAME_MAX_CHARACTERS
    nir = der.parse_printable(reader.read(der.PRINTABLE_STRING, "nir"), "minor nir", 15, 15)
    family = der.parse_utf8(reader.read(der.UTF8_STRING, "familyName"), "familyName", 1, n)
    given = der.parse_utf8(reader.read(der.UTF8_STRING, "givenNames"), "givenNames", 1, n)
    born = der.parse_numeric(reader.read(der.NUMERIC_STRING, "birthDate"), "birthDate", 8, 8)
    rank = der.parse_integer(reader.read(der.INTEGER, "birthRank"), "birthRank", 1, 9)
    quality = der.parse_integer(reader.read(der.INTEGER, "quality"), "quality", 0, 9)
    reader.finish()
    return Minor(
        nir=nir,
        family_name=family,
        given_names=given,
        birth_date=born,
        birth_rank=rank,
        quality=quality,
    )


def _decode_minors(reader: der.Reader) -> tuple[Minor, ...]:
    minors: list[Minor] = []
    while not reader.at_end():
        if len(minors) == MAX_MINORS:
            raise der.ConstraintError(f"{reader.what}: more than {MAX_MINORS} minors")
        minors.append(_decode_minor(reader.nested(der.SEQUENCE, f"minor[{len(minors)}]")))
    return tuple(minors)


def _decode_affiliation(reader: der.Reader) -> Affiliation:
    regime = der.parse_numeric(reader.read(der.NUMERIC_STRING, "regime"), "regime", 2, 2)
    caisse = der.parse_numeric(reader.read(der.NUMERIC_STRING, "caisse"), "caisse", 3, 3)
    centre = der.parse_numeric(reader.read(der.NUMERIC_STRING, "centre"), "centre", 4, 4)
    reader.finish()
    return Affiliation(regime=regime, caisse=caisse, centre=centre)


_PRIMITIVE: dict[ElementId, Callable[[der.Tlv, str], ElementValue]] = {
    ElementId.NIR: lambda t, w: der.parse_printable(t, w, 15, 15),
    ElementId.FAMILY_NAME: lambda t, w: der.parse_utf8(t, w, 1, NAME_MAX_CHARACTERS),
    ElementId.GIVEN_NAMES: lambda t, w: der.parse_utf8(t, w, 1, NAME_MAX_CHARACTERS),
    ElementId.BIRTH_DATE: lambda t, w: der.parse_numeric(t, w, 8, 8),
    ElementId.BIRTH_RANK: lambda t, w: der.parse_integer(t, w, 1, 9),
    ElementId.QUALITY: lambda t, w: der.parse_integer(t, w, 0, 9),
}
_CONSTRUCTED_DECODERS: dict[ElementId, Callable[[der.Reader], ElementValue]] = {
    ElementId.AFFILIATION: _decode_affiliation,
    ElementId.RIGHTS: _decode_rights,
    ElementId.COMPLEMENTARY: _decode_complementary,
    ElementId.MINORS: _decode_minors,
}


def element_id_of(tlv: der.Tlv, what: str) -> ElementId:
    """The identifier a value's tag carries; unknown or mis-tagged values are refused."""
    number = tlv.tag & 0x1F
    if tlv.tag & 0xC0 != 0x80 or number not in ElementId._value2member_map_:
        raise CredentialEncodingError(f"{what}: tag 0x{tlv.tag:02x} is no known element")
    element_id = ElementId(number)
    if tlv.tag != element_tag(element_id):
        raise CredentialEncodingError(f"{what}: wrong constructed bit for {element_id.name}")
    return element_id


def decode_value(tlv: der.Tlv, what: str, depth: int) -> tuple[ElementId, ElementValue]:
    """Decode one ElementValue; DER faults and model faults keep their own error types."""
    element_id = element_id_of(tlv, what)
    name = f"{what}.{element_id.short_name}"
    try:
        if element_id in _PRIMITIVE:
            value = _PRIMITIVE[element_id](tlv, name)
        else:
            value = _CONSTRUCTED_DECODERS[element_id](der.Reader(tlv, name, depth + 1))
    except der.DerError as error:
        raise from_der(error) from None
    if element_id in (ElementId.RIGHTS, ElementId.COMPLEMENTARY, ElementId.MINORS) and not value:
        raise CredentialFormatError(f"{name}: empty list", requirement="VDC-CRED-031")
    return element_id, validate_element(element_id, value)


@dataclass(frozen=True)
class DisclosedElement:
    """One element as disclosed: identifier, value, salt and the DER it was read from."""

    element_id: ElementId
    value: ElementValue
    salt: bytes
    encoding: bytes

    @property
    def digest(self) -> bytes:
        return digest(self.encoding)


def decode_disclosed(tlv: der.Tlv, what: str, depth: int) -> DisclosedElement:
    try:
        reader = der.Reader(tlv, what, depth)
        salt = der.parse_octets(reader.read(der.OCTET_STRING, "salt"), f"{what}.salt", 16, 16)
        if reader.at_end():
            raise der.DerError(f"{what}.value: missing")
        value_tlv = reader.read(reader.peek_tag() or 0, "value")
        element_id, value = decode_value(value_tlv, what, reader.depth)
        reader.finish()
    except der.DerError as error:
        raise from_der(error) from None
    return DisclosedElement(element_id, value, salt, tlv.encoding)


remembered_disclosed = lru_cache(maxsize=256)(decode_disclosed)
"""`decode_disclosed` remembered per exact bytes (bounded, VDC-CRED-048): a holder
discloses the same elements at every read. A refused value raises and is never
remembered."""
