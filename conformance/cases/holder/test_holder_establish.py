"""Holder profile: ESTABLISH SESSION fields and reader signatures a malicious reader gets
wrong (VDC-SM-002, 004, 010, 011, 012; VDC-NFC-030).

Every field here is signed by the reader over what it sends, so a holder that skipped
the one check broken would establish the session; it must answer 6A80 and keep the
selection for a field outside the table, 6300 and end the session for a signature that
does not verify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._scripted import OK, N, Scripted, expect_sw, reader_keys
from conformance.catalogue import Param, Parameter, param, tc
from vitale_ref.apdu import encode_tlv
from vitale_ref.sm import LABEL_DEVICE_AUTH, encode_point

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
AUTH_FAILED = 0x6300

R_NFC030_SM010 = ("VDC-NFC-030", "VDC-SM-010")
R_SM002_SM010 = ("VDC-SM-002", "VDC-SM-010")
R_SM004_SM010 = ("VDC-SM-004", "VDC-SM-010")
R_SM004_SM012_NFC061 = ("VDC-SM-004", "VDC-SM-012", "VDC-NFC-061")
R_SM011_SM012_NFC061 = ("VDC-SM-011", "VDC-SM-012", "VDC-NFC-061")


Field = Callable[[Scripted], bytes]


def _signed(part: Callable[[Scripted], bytes], tail: bytes = b"") -> Field:
    """A field whose signed part is `part`, validly signed, followed by `tail`."""

    def build(s: Scripted) -> bytes:
        signed = part(s)
        return signed + encode_tlv(0x9E, s.signature(signed)) + tail

    return build


def _reordered(s: Scripted) -> bytes:
    part = s.signed_part()  # 80 01 v | 81 41 Qr | A2 ...: the key before the version
    return part[3:70] + part[:3] + part[70:]


def _long_form_key_length(s: Scripted) -> bytes:
    part = s.signed_part()
    return part[:3] + b"\x81\x81\x41" + part[5:]


def _point(s: Scripted) -> bytes:
    return encode_point(s.ephemeral.public_key())


def _with_point(change: Callable[[bytes], bytes]) -> Field:
    return _signed(lambda s: s.signed_part(point=change(_point(s))))


def _fields() -> Iterable[Param | Parameter]:
    root = m.material().pki.reader_root.der
    # A version no FCI offers (VDC-NFC-070 lists 01 and 02): 6A81 (VDC-NFC-072).
    yield param(
        "version-03", (_signed(lambda s: s.signed_part(version=b"\x03")), 0x6A81), "VDC-NFC-072"
    )
    yield param(
        "version-00", (_signed(lambda s: s.signed_part(version=b"\x00")), 0x6A81), "VDC-NFC-072"
    )
    yield param(
        "version-two-bytes",
        (_signed(lambda s: s.signed_part(version=b"\x01\x01")), 0x6A80),
        "VDC-SM-010",
    )
    yield param("key-64-bytes", (_with_point(lambda p: p[:-1]), 0x6A80), *R_SM002_SM010)
    yield param("key-66-bytes", (_with_point(lambda p: p + b"\x00"), 0x6A80), *R_SM002_SM010)
    yield param("key-prefix-05", (_with_point(lambda p: b"\x05" + p[1:]), 0x6A80), *R_SM002_SM010)
    yield param(
        "key-compressed",
        (_with_point(lambda p: bytes([2 + (p[-1] & 1)]) + p[1:33]), 0x6A80),
        *R_SM002_SM010,
    )
    yield param(
        "key-off-curve",
        (_with_point(lambda p: p[:-1] + bytes([p[-1] ^ 1])), 0x6A80),
        *R_SM002_SM010,
    )
    yield param(
        "key-x-beyond-p",
        (_with_point(lambda p: b"\x04" + b"\xff" * 32 + p[33:]), 0x6A80),
        *R_SM002_SM010,
    )
    yield param("tags-reordered", (_signed(_reordered), 0x6A80), *R_NFC030_SM010)
    yield param("signature-missing", (lambda s: s.signed_part(), 0x6A80), *R_NFC030_SM010)
    yield param(
        "extra-tlv-signed",
        (_signed(lambda s: s.signed_part() + b"\x85\x01\x00"), 0x6A80),
        *R_NFC030_SM010,
    )
    yield param(
        "extra-tlv-after-signature",
        (_signed(lambda s: s.signed_part(), b"\x85\x01\x00"), 0x6A80),
        *R_NFC030_SM010,
    )
    yield param("key-length-long-form", (_signed(_long_form_key_length), 0x6A80), *R_NFC030_SM010)
    yield param("chain-empty", (_signed(lambda s: s.signed_part(chain=())), 0x6A80), "VDC-SM-010")
    yield param(
        "chain-4-certificates",
        (
            _signed(lambda s: s.signed_part(chain=(*s.reader.chain, root, root, root))),
            0x6A80,
        ),
        "VDC-SM-010",
    )
    yield param(
        "chain-item-not-a-certificate",
        (
            _signed(lambda s: s.signed_part(chain=(b"\x04\x03\x01\x02\x03",))),
            0x6A80,
        ),
        "VDC-SM-010",
    )
    yield param(
        "signature-63-bytes",
        (
            lambda s: s.signed_part() + encode_tlv(0x9E, s.signature(s.signed_part())[:63]),
            0x6A80,
        ),
        *R_SM004_SM010,
    )
    yield param(
        "signature-65-bytes",
        (
            lambda s: s.signed_part() + encode_tlv(0x9E, s.signature(s.signed_part()) + b"\x01"),
            0x6A80,
        ),
        *R_SM004_SM010,
    )


@tc(
    "TC-SM-014",
    title="An ESTABLISH SESSION field outside the table is refused and changes nothing",
    purpose="Fields validly signed by the reader but holding version 03 or 00 (6A81, "
    "versions no holder offers) or a version of two bytes, "
    "a key of 64 or 66 bytes, prefixed 05, compressed, off the curve or with x beyond p, "
    "tags out of order, no signature, an extra TLV, a long-form length, a chain of zero or "
    "four certificates or of something else, or a signature of 63 or 65 bytes get 6A80 "
    "with no data; the selection stays, so the honest field sent next establishes.",
    verifies=[
        "VDC-SM-010",
        "VDC-SM-002",
        "VDC-SM-004",
        "VDC-NFC-030",
        "VDC-SM-013",
        "VDC-NFC-072",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, application selected",
    expected="6A81 (version) or 6A80 without data, then 9000 to the honest ESTABLISH SESSION",
    operations=OPS,
    params=_fields,
)
def test_establish_field(iut: IutBase, param: tuple[Field, int]) -> None:
    build, sw = param
    s = Scripted(provisioned(iut))
    s.select()
    expect_sw(s.establish(build(s)), sw, "ESTABLISH SESSION field not refused with 6A80")
    reply = s.establish()
    expect_sw(reply, OK, "the selection did not survive a malformed ESTABLISH SESSION")


def _with_rs(change: Callable[[int, int], tuple[int, int]]) -> Field:
    def build(s: Scripted) -> bytes:
        part = s.signed_part()
        signature = s.signature(part)
        r, s_value = change(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        return part + encode_tlv(0x9E, r.to_bytes(32, "big") + s_value.to_bytes(32, "big"))

    return build


def _replayed(s: Scripted) -> bytes:
    """The field an honest reader sent in an earlier selection of the same holder."""
    earlier = Scripted(s.holder, reader=s.reader)
    earlier.select()
    field = earlier.field()
    s.select()
    return field


def _signatures() -> Iterable[Param | Parameter]:
    yield param("r-zero", _with_rs(lambda r, s: (0, s)), *R_SM004_SM012_NFC061)
    yield param("s-zero", _with_rs(lambda r, s: (r, 0)), *R_SM004_SM012_NFC061)
    yield param("r-is-n", _with_rs(lambda r, s: (N, s)), *R_SM004_SM012_NFC061)
    yield param("s-is-n", _with_rs(lambda r, s: (r, N)), *R_SM004_SM012_NFC061)
    yield param("replayed-from-another-selection", _replayed, *R_SM011_SM012_NFC061)
    yield param(
        "other-label",
        lambda s: s.field(signature=s.signature(s.signed_part(), label=LABEL_DEVICE_AUTH)),
        *R_SM011_SM012_NFC061,
    )
    yield param(
        "without-the-fci",
        lambda s: s.field(signature=s.signature(s.signed_part(), fci=b"")),
        *R_SM011_SM012_NFC061,
    )
    yield param(
        "over-another-version-field",
        lambda s: s.field(signature=s.signature(s.signed_part(version=b"\x02"))),
        *R_SM011_SM012_NFC061,
    )
    yield param(
        "by-another-readers-key",
        lambda s: s.field(signature=s.signature(s.signed_part(), key=reader_keys("nurse").key)),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-NFC-061",
    )


@tc(
    "TC-SM-015",
    title="A reader signature that does not verify is refused with 6300 and ends the session",
    purpose="The doctor's genuine chain with a signature whose r or s is 0, n or beyond, "
    "one replayed from another selection (another FCI), one under another label, one "
    "over the field without the FCI or over another field, or one by another reader's key "
    "gets 6300 with no data; the session is over (an honest field now gets 6985).",
    verifies=["VDC-SM-011", "VDC-SM-012", "VDC-SM-004", "VDC-SM-013", "VDC-NFC-061"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, application selected",
    expected="6300 without data, then 6985 to an honest ESTABLISH SESSION",
    operations=OPS,
    params=_signatures,
)
def test_reader_signature(iut: IutBase, param: Field) -> None:
    s = Scripted(provisioned(iut))
    s.select()
    expect_sw(s.establish(param(s)), AUTH_FAILED, "a reader signature that does not verify")
    expect_sw(s.establish(), 0x6985, "the session survived a failed reader authentication")
