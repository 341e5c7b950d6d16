"""Invalid credential vectors: encodings and field values (VDC-CRED-010..031)."""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tools.vectorgen.credential_case import Case
from tools.vectorgen.credential_forge import (
    MAX_PRESENTATION,
    Parts,
    disclosed,
    element,
    parts_of,
    present,
    sized_presentation,
    typical,
)
from vitale_ref.credential import (
    CredentialEncodingError,
    CredentialFormatError,
    DeviceKeyError,
    ElementOrderError,
    MissingElementError,
    UnsupportedAlgorithmError,
    UnsupportedVersionError,
)
from vitale_ref.pki import der
from vitale_ref.randomness import seeded_random

ENC = CredentialEncodingError
FMT = CredentialFormatError


def _base() -> tuple[Parts, list[bytes], bytes]:
    sample = typical()
    items = disclosed(sample.issued, *sample.issued.elements)
    return parts_of(sample), items, present(sample.issued.credential, items)


def _reheader(encoding: bytes, header: bytes) -> bytes:
    """The same value with its tag and length bytes replaced by `header`."""
    tlv, _ = der.read_tlv(encoding)
    return header + tlv.content


def _encoding_case(comment: str, flag: str, requirement: str, presentation: bytes) -> Case:
    return Case(
        comment=comment, flag=flag, error=ENC, requirement=requirement, presentation=presentation
    )


def framing_cases() -> list[Case]:
    parts, items, base = _base()
    body = der.read_tlv(base)[0].content
    n = len(body)
    first = items[0]
    long_first = _reheader(first, bytes([0x30, 0x81, len(first) - 2]))
    salt_ber = der.sequence(der.tlv(0x24, der.octets(first[4:20])), first[20:])
    huge_list = der.sequence(parts.credential(), b"\x30\x84\x7f\xff\xff\xff" + b"".join(items))
    cred = parts.credential()
    rows = [
        ("last byte missing", "Truncated", "VDC-CRED-030", base[:-1]),
        ("only the first half", "Truncated", "VDC-CRED-030", base[: len(base) // 2]),
        ("empty input", "Truncated", "VDC-CRED-030", b""),
        ("one zero byte after the presentation", "TrailingBytes", "VDC-CRED-030", base + b"\x00"),
        (
            "outer length in 3 octets where 2 suffice",
            "NonMinimalLength",
            "VDC-CRED-030",
            b"\x30\x83" + n.to_bytes(3, "big") + body,
        ),
        (
            "disclosed element length 0x81 form for a length below 128",
            "NonMinimalLength",
            "VDC-CRED-030",
            present(cred, [long_first, *items[1:]]),
        ),
        (
            "outer SEQUENCE with indefinite length",
            "IndefiniteLength",
            "VDC-CRED-030",
            b"\x30\x80" + body + b"\x00\x00",
        ),
        (
            "outer length claims 2 GB",
            "OversizedLength",
            "VDC-CRED-030",
            b"\x30\x84\x7f\xff\xff\xff" + body,
        ),
        ("disclosed list length claims 2 GB", "OversizedLength", "VDC-CRED-030", huge_list),
        (
            "length field of five octets",
            "OversizedLength",
            "VDC-CRED-030",
            b"\x30\x85\x00" + n.to_bytes(4, "big") + body,
        ),
        (
            "salt as a constructed OCTET STRING",
            "ConstructedString",
            "VDC-CRED-030",
            present(cred, [salt_ber, *items[1:]]),
        ),
        (
            "disclosed list as a SET",
            "WrongTag",
            "VDC-CRED-030",
            der.sequence(cred, der.tlv(0x31, b"".join(items))),
        ),
        (
            "salt with a multi-byte tag",
            "HighTagNumber",
            "VDC-CRED-030",
            present(cred, [der.sequence(b"\x1f\x04\x10" + first[6:20], first[20:]), *items[1:]]),
        ),
        (
            "200 random bytes",
            "RandomBytes",
            "VDC-CRED-030",
            seeded_random("vectors/credential/random")(200),
        ),
        (
            "random bytes behind a SEQUENCE header",
            "RandomBytes",
            "VDC-CRED-030",
            der.sequence(seeded_random("vectors/credential/random-2")(120)),
        ),
        (
            "a genuine presentation of 32769 bytes, one over the limit",
            "TooLarge",
            "VDC-CRED-030",
            sized_presentation(MAX_PRESENTATION + 1),
        ),
        (
            "element tag [11] is not in the table",
            "UnknownElement",
            "VDC-CRED-018",
            present(cred, [*items[:9], element(0x8B, b"\x01")]),
        ),
        (
            "NIR element in constructed form [1]",
            "UnknownElement",
            "VDC-CRED-018",
            present(cred, [element(0xA1, der.printable("285057505612338")), *items[1:]]),
        ),
    ]
    return [_encoding_case(*row) for row in rows]


def _resigned(parts: Parts, items: list[bytes]) -> bytes:
    return present(parts.credential(), items)


def tbs_cases() -> list[Case]:
    parts, items, _ = _base()
    p384 = ec.derive_private_key(7, ec.SECP384R1()).public_key()
    spki384 = p384.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    point = der.read_tlv(parts.spki)[0].content[-65:]
    compressed = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point).public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    algo = der.read_tlv(parts.spki)[0].content[:21]
    off_curve = parts.spki[:-1] + bytes([parts.spki[-1] ^ 0x01])
    digests = list(parts.digests)
    cases = [
        (
            "version 2",
            "UnknownVersion",
            UnsupportedVersionError,
            "VDC-CRED-010",
            replace(parts, version=der.integer(2)),
        ),
        (
            "version 0",
            "UnknownVersion",
            UnsupportedVersionError,
            "VDC-CRED-010",
            replace(parts, version=der.integer(0)),
        ),
        (
            "version 1 as 02 02 00 01",
            "NonMinimalInteger",
            ENC,
            "VDC-CRED-030",
            replace(parts, version=b"\x02\x02\x00\x01"),
        ),
        (
            "serial length in 0x81 form, signed",
            "NonMinimalLength",
            ENC,
            "VDC-CRED-030",
            replace(parts, serial=b"\x04\x81\x10" + parts.serial[2:]),
        ),
        (
            "validUntil with a fraction of a second (valid DER, refused by the profile)",
            "FieldConstraint",
            FMT,
            "VDC-CRED-012",
            replace(parts, valid_until=der.tlv(0x18, b"20280115000000.5Z")),
        ),
        (
            "validUntil as UTCTime",
            "WrongTag",
            ENC,
            "VDC-CRED-012",
            replace(parts, valid_until=der.tlv(0x17, b"280115000000Z")),
        ),
        (
            "validUntil before validFrom",
            "FieldConstraint",
            FMT,
            "VDC-CRED-012",
            replace(parts, valid_from=parts.valid_until, valid_until=parts.valid_from),
        ),
        (
            "15-byte serial",
            "FieldConstraint",
            FMT,
            "VDC-CRED-011",
            replace(parts, serial=der.octets(parts.serial[2:17])),
        ),
        (
            "status index 2^20",
            "FieldConstraint",
            FMT,
            "VDC-CRED-014",
            replace(parts, status=der.sequence(der.integer(1), der.integer(2**20))),
        ),
        (
            "digest algorithm SHA-1",
            "WrongDigestAlgorithm",
            UnsupportedAlgorithmError,
            "VDC-CRED-015",
            replace(parts, algorithm=der.oid("1.3.14.3.2.26")),
        ),
        (
            "device key on P-384",
            "WrongCurve",
            DeviceKeyError,
            "VDC-CRED-013",
            replace(parts, spki=spki384),
        ),
        (
            "device key as a compressed point",
            "WrongCurve",
            DeviceKeyError,
            "VDC-CRED-013",
            replace(parts, spki=der.sequence(algo, der.bits(compressed))),
        ),
        (
            "device key point not on the curve",
            "WrongCurve",
            DeviceKeyError,
            "VDC-CRED-013",
            replace(parts, spki=off_curve),
        ),
        (
            "digest of family_name twice",
            "DuplicateElement",
            ElementOrderError,
            "VDC-CRED-016",
            replace(parts, digests=(digests[0], digests[1], digests[1], *digests[2:])),
        ),
        (
            "digests of nir and family_name swapped",
            "UnorderedElements",
            ElementOrderError,
            "VDC-CRED-016",
            replace(parts, digests=(digests[1], digests[0], *digests[2:])),
        ),
        (
            "no digest for the NIR",
            "MissingElement",
            MissingElementError,
            "VDC-CRED-017",
            replace(parts, digests=tuple(digests[1:])),
        ),
        (
            "digest for element 11",
            "FieldConstraint",
            FMT,
            "VDC-CRED-031",
            replace(parts, digests=(*digests, (11, b"\x00" * 32))),
        ),
        (
            "empty chain (SIZE (1..3))",
            "FieldConstraint",
            FMT,
            "VDC-CRED-031",
            replace(parts, chain=()),
        ),
        (
            "chain entry is not a certificate",
            "BadCertificate",
            ENC,
            "VDC-CRED-040",
            replace(parts, chain=(der.sequence(der.integer(0)),)),
        ),
    ]
    out = [
        Case(
            comment=c,
            flag=f,
            error=e,
            requirement=r,
            presentation=_resigned(p, items),
        )
        for c, f, e, r, p in cases
    ]
    out.append(
        Case(
            comment="signature of 63 bytes",
            flag="FieldConstraint",
            error=FMT,
            requirement="VDC-CRED-040",
            presentation=present(parts.credential(b"\x01" * 63), items),
        )
    )
    return out


def order_cases() -> list[Case]:
    parts, items, _ = _base()
    cred = parts.credential()
    return [
        Case(
            comment="NIR twice in 11 elements: the repeat precedes the size bound",
            flag="DuplicateElement",
            error=ElementOrderError,
            requirement="VDC-CRED-016",
            presentation=present(cred, [items[0], *items]),
        ),
        Case(
            comment="family_name disclosed before nir",
            flag="UnorderedElements",
            error=ElementOrderError,
            requirement="VDC-CRED-016",
            presentation=present(cred, [items[1], items[0], *items[2:]]),
        ),
        Case(
            comment="nir requested, only names disclosed",
            flag="MissingElement",
            error=MissingElementError,
            requirement="VDC-CRED-017",
            presentation=present(cred, items[1:3]),
            requested=(1, 2, 3),
        ),
    ]


def encoding_cases() -> list[Case]:
    return framing_cases() + tbs_cases() + order_cases()
