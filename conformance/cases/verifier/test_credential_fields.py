"""Verifier profile: the edges of every field of an element value, and which error a
decoder reports when a value breaks two rules (VDC-CRED-021..028, 031, 032, 033).

A value one step beyond a size edge is a format error (VDC-CRED-031, 033) found when
that field is read, before anything encoded after it: when the next field also has the
wrong tag, the first failure in encoding order is the size (VDC-CRED-032), so the error
is `CredentialFormatError`, not `CredentialEncodingError`. A value exactly at an edge
verifies and comes back as encoded. Decoding runs before verification, so the altered
values need no issuer signature; the accepted ones are issued by the suite's issuer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.catalogue import Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.credential import ElementId, decode_presentation, samples
from vitale_ref.credential._model import Beneficiary, Minor, RightsPeriod
from vitale_ref.credential._structure import encode_credential, encode_presentation
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import der

OP = "credential.verify"
FORMAT = "CredentialFormatError"
SALT = bytes(range(16))
WRONG_TAG = der.octets(b"\x00")
"""A field encoded under a tag its type never has (OCTET STRING)."""
EXTRA = der.integer(0)
"""A component after the last field of a SEQUENCE."""


def _params(presentation: bytes) -> dict[str, Any]:
    return {
        "presentation": presentation.hex().upper(),
        "trustAnchor": m.material().root,
        "now": m.iso(m.NOW),
    }


def _value(element_id: ElementId, universal: bytes) -> bytes:
    """`[id] IMPLICIT` of a value encoded under its universal tag (VDC-CRED-018)."""
    constructed = universal[0] & 0x20
    return bytes([(0xA0 if constructed else 0x80) | int(element_id)]) + universal[1:]


def _replaced(element_id: ElementId, universal: bytes) -> bytes:
    """The typical presentation with the value of `element_id` replaced."""
    genuine = m.material().typical.issued.full_presentation()
    disclosed = [
        der.sequence(der.octets(SALT), _value(element_id, universal))
        if d.element_id is element_id
        else d.encoding
        for d in decode_presentation(genuine).disclosed
    ]
    return m.with_disclosed(genuine, disclosed)


def _minor(**fields: bytes) -> bytes:
    """A minors list of one minor whose fields are the typical ones but those given."""
    order = ("nir", "family", "given", "born", "rank", "quality", "extra")
    typical = {
        "nir": der.printable(samples.synthetic_nir("1201275123456")),
        "family": der.utf8("EXEMPLE"),
        "given": der.utf8("LOU"),
        "born": der.numeric("20120115"),
        "rank": der.integer(1),
        "quality": der.integer(6),
        "extra": b"",
    }
    typical.update(fields)
    return der.sequence(der.sequence(*(typical[name] for name in order)))


def _period(start: bytes, end: bytes, extra: bytes = b"") -> bytes:
    return der.sequence(start, end, extra)


_R025 = ("VDC-CRED-025", "VDC-CRED-031", "VDC-CRED-032")
_R026 = ("VDC-CRED-026", "VDC-CRED-031", "VDC-CRED-032")
_R027 = ("VDC-CRED-027", "VDC-CRED-031", "VDC-CRED-032")
_R028 = ("VDC-CRED-028", "VDC-CRED-031", "VDC-CRED-032")
_AFF, _RIGHTS, _AMC, _MINORS = (
    ElementId.AFFILIATION,
    ElementId.RIGHTS,
    ElementId.COMPLEMENTARY,
    ElementId.MINORS,
)
_DAY = der.numeric("20260101")


def _size_before_tag() -> Iterable[Parameter]:
    n = der.numeric
    cases: list[tuple[str, ElementId, bytes, tuple[str, ...]]] = [
        (
            "regime-3-digits-then-caisse-mistagged",
            _AFF,
            der.sequence(n("011"), WRONG_TAG, n("0001")),
            _R025,
        ),
        (
            "caisse-4-digits-then-centre-mistagged",
            _AFF,
            der.sequence(n("01"), n("7510"), WRONG_TAG),
            _R025,
        ),
        (
            "centre-5-digits-then-extra-component",
            _AFF,
            der.sequence(n("01"), n("751"), n("00001"), EXTRA),
            _R025,
        ),
        (
            "period-start-9-digits-then-end-mistagged",
            _RIGHTS,
            der.sequence(_period(n("202601011"), WRONG_TAG)),
            _R026,
        ),
        (
            "period-end-9-digits-then-extra-component",
            _RIGHTS,
            der.sequence(_period(_DAY, n("202712311"), EXTRA)),
            _R026,
        ),
        (
            "amc-11-digits-then-period-mistagged",
            _AMC,
            der.sequence(der.sequence(n("99999999901"), WRONG_TAG)),
            _R027,
        ),
        (
            "minor-nir-16-then-family-mistagged",
            _MINORS,
            _minor(nir=der.printable("1201275123456123"), family=WRONG_TAG),
            _R028,
        ),
        (
            "minor-birth-date-9-digits-then-rank-mistagged",
            _MINORS,
            _minor(born=n("201201151"), rank=WRONG_TAG),
            _R028,
        ),
        (
            "minor-rank-10-then-quality-mistagged",
            _MINORS,
            _minor(rank=der.integer(10), quality=WRONG_TAG),
            _R028,
        ),
        (
            "minor-quality-10-then-extra-component",
            _MINORS,
            _minor(quality=der.integer(10), extra=EXTRA),
            _R028,
        ),
    ]
    for name, element_id, universal, requirements in cases:
        yield param(name, partial(_replaced, element_id, universal), *requirements)
    yield param("signature-65-bytes", _long_signature, "VDC-CRED-031", "VDC-CRED-032")
    yield param("device-key-with-1-unused-bit", _unused_bit_key, "VDC-CRED-013", "VDC-CRED-032")
    yield param("digest-33-bytes", _long_digest, "VDC-CRED-015", "VDC-CRED-031", "VDC-CRED-032")


def _typical_parts() -> tuple[Any, list[bytes], list[bytes]]:
    decoded = decode_presentation(m.material().typical.issued.full_presentation())
    chain = [c.public_bytes(Encoding.DER) for c in decoded.credential.chain]
    return decoded.credential, chain, [d.encoding for d in decoded.disclosed]


def _long_signature() -> bytes:
    """The typical presentation whose issuer signature is 65 bytes (SIZE (64))."""
    credential, chain, disclosed = _typical_parts()
    rebuilt = encode_credential(credential.tbs_encoding, credential.signature + b"\x00", chain)
    return encode_presentation(rebuilt, disclosed)


def _unused_bit_key() -> bytes:
    """The typical presentation whose device key BIT STRING declares one unused bit
    (zero, as DER wants it), not re-signed: the key is refused when read, before the
    tbs ends (where its canonical encoding would be checked) and before any signature."""
    credential, chain, disclosed = _typical_parts()
    seed = 0
    while True:  # a key whose point ends with a zero bit, so that the padding is valid
        key = samples.device_key(f"{m.SEED}/credential-fields/key/{seed}").public_key()
        point = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        if point[-1] % 2 == 0:
            break
        seed += 1
    tbs = replace(credential.tbs, device_public_key=key).encode()
    bits = b"\x03\x42\x00" + point
    assert tbs.count(bits) == 1
    tbs = tbs.replace(bits, b"\x03\x42\x01" + point)
    return encode_presentation(encode_credential(tbs, credential.signature, chain), disclosed)


def _long_digest() -> bytes:
    """The typical presentation whose first digest is 33 bytes (SIZE (32)), not re-signed:
    decoding refuses it before any signature is checked."""
    credential, chain, disclosed = _typical_parts()
    digests = list(credential.tbs.digests)
    digests[0] = (digests[0][0], digests[0][1] + b"\x00")
    tbs = replace(credential.tbs, digests=tuple(digests)).encode()
    return encode_presentation(encode_credential(tbs, credential.signature, chain), disclosed)


@tc(
    "TC-CRED-150",
    title="A field beyond its size is reported before a later field's encoding error",
    purpose="An element value holds a field one step beyond its size or range (a 3-digit "
    "regime, a 9-digit period day, an 11-digit AMC number, a 16-character minor NIR, a "
    "birth rank or quality of 10) and, after it, a field under the wrong tag or a "
    "component after the last field; or the issuer signature is 65 bytes, or a digest 33. "
    "The size is met first in encoding order, so the presentation is refused with "
    "CredentialFormatError, neither CredentialEncodingError nor a signature error; a "
    "device key BIT STRING with an unused bit is refused as DeviceKeyError when read.",
    verifies=[
        "VDC-CRED-032",
        "VDC-CRED-031",
        "VDC-CRED-013",
        "VDC-CRED-015",
        "VDC-CRED-025",
        "VDC-CRED-026",
        "VDC-CRED-027",
        "VDC-CRED-028",
    ],
    profile="verifier",
    kind="negative",
    expected="error kind CredentialFormatError (DeviceKeyError for the device key)",
    operations=[OP],
    params=_size_before_tag,
)
def test_size_before_tag(iut: IutBase, param: Callable[[], bytes]) -> None:
    # VDC-CRED-013: a device key that is no uncompressed point is the format error's
    # subclass DeviceKeyError (the error table of chapter CRED).
    kind = "DeviceKeyError" if param is _unused_bit_key else FORMAT
    refused(iut, OP, _params(param()), kind)


def _characters() -> Iterable[Parameter]:
    family = ElementId.FAMILY_NAME
    for name, character in (
        ("c1-control-U+0085", "\u0085"),
        ("format-U+200E", "\u200e"),
        ("format-U+FEFF", "\ufeff"),
        ("private-use-U+E000", "\ue000"),
        ("unassigned-U+0378", "\u0378"),
    ):
        text = f"EXEMPL{character}E"
        family_value = partial(_replaced, family, der.utf8(text))
        yield param(f"family-name-{name}", family_value, "VDC-CRED-021")
        minor = partial(_replaced, _MINORS, _minor(given=der.utf8(f"L{character}OU")))
        yield param(f"minor-given-names-{name}", minor, "VDC-CRED-021", "VDC-CRED-028")


@tc(
    "TC-CRED-151",
    title="Names with control, format, private-use or unassigned characters are refused",
    purpose="A family name, and a minor's given names, each holding one character of a "
    "class VDC-CRED-021 excludes, outside ASCII: a C1 control (U+0085), format characters "
    "(U+200E, U+FEFF), a private-use character (U+E000) and an unassigned code point "
    "(U+0378). Each is refused with CredentialFormatError.",
    verifies=["VDC-CRED-021", "VDC-CRED-028"],
    profile="verifier",
    kind="negative",
    expected="error kind CredentialFormatError",
    operations=[OP],
    params=_characters,
)
def test_name_characters(iut: IutBase, param: Callable[[], bytes]) -> None:
    refused(iut, OP, _params(param()), FORMAT)


def _calendar_refused() -> Iterable[Parameter]:
    n = der.numeric
    for name, day in (
        ("29-february-2023", "20230229"),
        ("31-april-2026", "20260431"),
        ("31-june-2026", "20260631"),
        ("31-september-2026", "20260931"),
        ("day-00", "20260100"),
        ("month-13", "20261301"),
    ):
        yield param(f"start-{name}", der.sequence(_period(n(day), n("20271231"))), "VDC-CRED-026")


class _Edge(NamedTuple):
    beneficiary: Callable[[], Beneficiary]
    element: int
    expected: object


@cache
def _edge_sample(name: str) -> bytes:
    sample = samples.issue_sample(
        _EDGES[name].beneficiary(), f"{m.SEED}/credential-fields/{name}", pki=m.material().pki
    )
    return sample.issued.full_presentation()


def _with(**changes: Any) -> Beneficiary:
    base = samples.typical_holder()
    fields = {field: getattr(base, field) for field in Beneficiary.__dataclass_fields__}
    fields.update(changes)
    return Beneficiary(**fields)


def _edge_minor(**changes: Any) -> Minor:
    base = samples.typical_holder().minors[0]
    fields = {field: getattr(base, field) for field in Minor.__dataclass_fields__}
    fields.update(changes)
    return Minor(**fields)


def _minor_json(minor: Minor) -> dict[str, object]:
    return {
        "nir": minor.nir,
        "family_name": minor.family_name,
        "given_names": minor.given_names,
        "birth_date": minor.birth_date,
        "birth_rank": minor.birth_rank,
        "quality": minor.quality,
    }


def _periods(*days: tuple[str, str]) -> tuple[RightsPeriod, ...]:
    return tuple(RightsPeriod(start=start, end=end) for start, end in days)


_ONE_CHARACTER = _edge_minor(family_name="X", given_names="Y")
_QUALITY_0 = _edge_minor(quality=0, birth_rank=9)
_QUALITY_9 = _edge_minor(quality=9)
_EDGES = {
    "minor-names-of-1-character": _Edge(
        lambda: _with(minors=(_ONE_CHARACTER,)), 10, [_minor_json(_ONE_CHARACTER)]
    ),
    "minor-quality-0-rank-9": _Edge(
        lambda: _with(minors=(_QUALITY_0,)), 10, [_minor_json(_QUALITY_0)]
    ),
    "minor-quality-9": _Edge(lambda: _with(minors=(_QUALITY_9,)), 10, [_minor_json(_QUALITY_9)]),
    "period-29-february-2024-single-day": _Edge(
        lambda: _with(rights=_periods(("20240229", "20240229"), ("20260101", "20271231"))),
        8,
        [{"start": "20240229", "end": "20240229"}, {"start": "20260101", "end": "20271231"}],
    ),
}


@tc(
    "TC-CRED-152",
    title="Element values exactly at their edges verify and come back as encoded",
    purpose="Credentials of the suite's issuer whose values sit exactly on an edge: a "
    "minor with one-character names, minors of quality 0 (birth rank 9) and 9, a one-day "
    "rights period on 29 February 2024. Each verifies and the verifier returns the value "
    "exactly as issued.",
    verifies=["VDC-CRED-021", "VDC-CRED-023", "VDC-CRED-024", "VDC-CRED-026", "VDC-CRED-028"],
    profile="verifier",
    kind="boundary",
    expected="the presentation verifies; the element equals the issued value",
    operations=[OP],
    params=lambda: ((name, name) for name in _EDGES),
)
def test_values_at_edges(iut: IutBase, param: str) -> None:
    edge = _EDGES[param]
    result = accepted(iut, OP, _params(_edge_sample(param)), note=param)
    got = result.get("elements", {}).get(str(edge.element))
    expect(
        got == edge.expected,
        f"element {edge.element} not returned as issued",
        expected=str(edge.expected),
        got=str(got),
    )


@tc(
    "TC-CRED-153",
    title="Rights periods outside the calendar are refused",
    purpose="A rights period whose first day is 29 February of a common year, the 31st of "
    "a 30-day month, day 00 or month 13 is refused with CredentialFormatError: a rights "
    "period holds real calendar dates, not the lunar dates a birth date may hold "
    "(TC-CRED-152 accepts 29 February 2024).",
    verifies=["VDC-CRED-026"],
    profile="verifier",
    kind="boundary",
    expected="error kind CredentialFormatError",
    operations=[OP],
    params=_calendar_refused,
)
def test_calendar_dates(iut: IutBase, param: bytes) -> None:
    refused(iut, OP, _params(_replaced(ElementId.RIGHTS, param)), FORMAT)


def _validity() -> Iterable[Parameter]:
    one = timedelta(seconds=1)
    yield param("valid-until-equal-to-valid-from", (samples.VALID_FROM, False), "VDC-CRED-012")
    yield param("valid-until-1s-after-valid-from", (samples.VALID_FROM + one, True), "VDC-CRED-012")


@tc(
    "TC-CRED-154",
    title="validUntil must be after validFrom: equal is refused, one second later verifies",
    purpose="Two credentials of the suite's issuer, validFrom = validUntil and validUntil "
    "one second after validFrom, presented at validFrom: the first is refused with "
    "CredentialFormatError (VDC-CRED-012), the second verifies.",
    verifies=["VDC-CRED-012"],
    profile="verifier",
    kind="boundary",
    expected="equal: CredentialFormatError; one second later: verified",
    operations=[OP],
    params=_validity,
)
def test_validity_order(iut: IutBase, param: tuple[datetime, bool]) -> None:
    until, valid = param
    sample = _validity_sample(until)
    params = {**_params(sample), "now": m.iso(samples.VALID_FROM)}
    if valid:
        accepted(iut, OP, params)
    else:
        refused(iut, OP, params, FORMAT)


@cache
def _validity_sample(until: datetime) -> bytes:
    """The typical credential valid from VALID_FROM to `until`, signed by the suite's
    document signer (the reference issuer refuses to issue an empty validity)."""
    credential, chain, disclosed = _typical_parts()
    tbs = replace(credential.tbs, valid_from=samples.VALID_FROM, valid_until=until).encode()
    signature = sign_raw(m.material().pki.document_signer.private_key, tbs)
    return encode_presentation(encode_credential(tbs, signature, chain), disclosed)


def _revocation() -> Iterable[Parameter]:
    yield param("with-a-status-list", True, "VDC-CRED-055", "VDC-CRED-051")
    yield param("without-a-status-list", False, "VDC-CRED-055")


@tc(
    "TC-CRED-155",
    title="A verification says whether revocation was checked",
    purpose="The typical presentation verified with the suite's current status list, then "
    "without one: revocationChecked is true in the first result and false in the second "
    "(a result obtained without a status list says so).",
    verifies=["VDC-CRED-055", "VDC-CRED-051"],
    profile="verifier",
    kind="negative",
    expected="revocationChecked true with the list, false without",
    operations=[OP],
    params=_revocation,
)
def test_revocation_reported(iut: IutBase, param: bool) -> None:
    params = _params(m.material().typical.issued.full_presentation())
    if param:
        params["statusList"] = m.material().status_list.hex().upper()
    got = accepted(iut, OP, params).get("revocationChecked")
    expect(
        got is param,
        "revocationChecked misreports the revocation check",
        expected=str(param).lower(),
        got=str(got),
    )
