"""Holder profile: readers whose certificate chain breaks one rule (VDC-SM-012, VDC-PKI).

Each reader here signs its ESTABLISH SESSION correctly with the key of its leaf, so the
only thing wrong is the one rule of the certificate profile or of path validation it
breaks: a holder that skipped that check would authenticate it. The holder must answer
6300 and return to IDLE; the readers at the validity edges must be accepted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder import _reader_pki as pki
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._scripted import OK, ReaderKeys, Scripted, expect_sw, reader_keys
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, ID_READER_AUTHORISATION
from vitale_ref.sm import LABEL_DEVICE_AUTH, encode_point

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
AUTH_FAILED = 0x6300
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Chain:
    """A reader to present, the root the holder trusts, and (seconds, answer) attempts."""

    reader: Callable[[], ReaderKeys]
    attempts: tuple[tuple[int, int], ...]
    root: Callable[[], x509.Certificate] | None = None


def _refused(reader: Callable[[], ReaderKeys]) -> Chain:
    return Chain(reader, ((0, AUTH_FAILED),))


def _authorisation(value: bytes, *, critical: bool = False) -> Callable[[], ReaderKeys]:
    """A reader whose authorisation extension is `value`, as given."""
    extension = (x509.UnrecognizedExtension(ID_READER_AUTHORISATION, value), critical)
    name = f"authorisation-{hashlib.sha256(value).hexdigest()[:12]}-{critical}"
    return lambda: pki.reader(name, authorisation=None, extra_extensions=(extension,))


_USAGE_BITS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _usage(**bits: bool) -> x509.KeyUsage:
    names = _USAGE_BITS
    return x509.KeyUsage(**{name: bits.get(name, False) for name in names})


def _broken_chains() -> Iterable[Param | Parameter]:
    unknown = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00")
    yield param(
        "document-signing-purpose",
        _refused(lambda: pki.reader("doc-purpose", extended_key_usage=(ID_KP_DOCUMENT_SIGNING,))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-023",
    )
    yield param(
        "no-extended-key-usage",
        _refused(lambda: pki.reader("no-eku", extended_key_usage=())),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-023",
    )
    yield param(
        "leaf-with-key-cert-sign",
        _refused(
            lambda: pki.reader(
                "cert-sign", key_usage=_usage(digital_signature=True, key_cert_sign=True)
            )
        ),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-023",
    )
    yield param(
        "leaf-without-digital-signature",
        _refused(lambda: pki.reader("no-digital-signature", key_usage=_usage(key_agreement=True))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-023",
    )
    yield param(
        "leaf-asserting-ca",
        _refused(
            lambda: pki.reader(
                "leaf-ca", ca=True, path_length=None, key_usage=_usage(digital_signature=True)
            )
        ),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-022",
    )
    yield param(
        "leaf-under-sub-ca", _refused(pki.sub_ca_reader), "VDC-SM-012", "VDC-SM-013", "VDC-PKI-022"
    )
    yield param(
        "issuer-name-forged", _refused(pki.forged_issuer), "VDC-SM-012", "VDC-SM-013", "VDC-PKI-020"
    )
    yield param(
        "certificate-signature-altered",
        _refused(lambda: pki.with_bad_signature(pki.reader("bad-signature"))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-020",
    )
    yield param(
        "unknown-critical-extension",
        _refused(lambda: pki.reader("critical-unknown", extra_extensions=((unknown, True),))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-024",
    )
    yield param(
        "signed-with-sha384", _refused(pki.sha384_reader), "VDC-SM-012", "VDC-SM-013", "VDC-PKI-003"
    )
    yield param(
        "key-usage-twice",
        _refused(pki.duplicate_extension),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-007",
    )
    yield param(
        "no-authorisation",
        _refused(lambda: pki.reader("no-authorisation", authorisation=None)),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-030",
    )
    yield param(
        "critical-authorisation",
        _refused(_authorisation(pki.authorisation().encode(), critical=True)),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-030",
    )
    yield param(
        "authorisation-not-der",
        _refused(_authorisation(b"\x30\x03\x02\x01")),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-030",
    )
    yield param(
        "rpps-wrong-luhn-key",
        _refused(_authorisation(pki.raw_authorisation(rpps="19999999007"))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-031",
    )
    yield param(
        "unknown-profession",
        _refused(_authorisation(pki.raw_authorisation(profession="99"))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-032",
    )
    yield param(
        "allowed-not-ascending",
        _refused(_authorisation(pki.raw_authorisation(allowed=(2, 1)))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-033",
    )
    yield param(
        "allowed-empty",
        _refused(_authorisation(pki.raw_authorisation(allowed=()))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-033",
    )
    yield param(
        "allowed-33-elements",
        _refused(_authorisation(pki.raw_authorisation(allowed=range(1, 34)))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-033",
    )
    yield param(
        "allowed-element-0",
        _refused(_authorisation(pki.raw_authorisation(allowed=(0, 1)))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-033",
    )
    yield param(
        "allowed-element-128",
        _refused(_authorisation(pki.raw_authorisation(allowed=(1, 128)))),
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-033",
    )


def _attempt(iut: IutBase, chain: Chain) -> None:
    root = chain.root() if chain.root is not None else None
    holder = provisioned(iut, reader_root=root)
    keys = chain.reader()
    for seconds, sw in chain.attempts:
        s = Scripted(holder, at=m.NOW + seconds * SECOND, reader=keys)
        s.select()
        reply = s.establish()
        expect_sw(reply, sw, f"reader chain at now{seconds:+d} s not answered as specified")
        if sw == OK:
            got = s.read([2])
            expect(got.sw == OK, "the authenticated reader could not read", got=got.hex()[:40])


@tc(
    "TC-SM-012",
    title="A reader whose certificate breaks one rule of the profile is refused",
    purpose="Readers whose leaf has another purpose or none, keyCertSign or no "
    "digitalSignature, asserts cA, sits under a sub-CA of a pathLen-0 root, names the "
    "reader root as issuer without its signature, has an altered signature, an "
    "unknown critical extension, a SHA-384 signature, an extension twice, or a missing, "
    "critical or malformed authorisation (bad RPPS key, unknown profession, allowed "
    "elements unordered, empty, 33 long, 0 or 128) sign a valid ESTABLISH SESSION: the "
    "holder answers 6300 with no data.",
    verifies=[
        "VDC-SM-012",
        "VDC-SM-013",
        "VDC-PKI-003",
        "VDC-PKI-007",
        "VDC-PKI-020",
        "VDC-PKI-022",
        "VDC-PKI-023",
        "VDC-PKI-024",
        "VDC-PKI-030",
        "VDC-PKI-031",
        "VDC-PKI-032",
        "VDC-PKI-033",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned with the suite's reader root and armed",
    expected="6300 without data to ESTABLISH SESSION",
    operations=OPS,
    params=_broken_chains,
)
def test_broken_reader_chain(iut: IutBase, param: Chain) -> None:
    _attempt(iut, param)


def _validity() -> Iterable[Param | Parameter]:
    now = m.NOW
    yield param(
        "not-after-is-now",
        Chain(lambda: pki.reader("until-now", not_after=now), ((0, OK),)),
        "VDC-SM-012",
        "VDC-PKI-021",
    )
    yield param(
        "not-after-1s-ago",
        Chain(lambda: pki.reader("until-1s-ago", not_after=now - SECOND), ((0, AUTH_FAILED),)),
        "VDC-SM-012",
        "VDC-PKI-021",
    )
    yield param(
        "not-before-is-now",
        Chain(lambda: pki.reader("from-now", not_before=now), ((0, OK),)),
        "VDC-SM-012",
        "VDC-PKI-021",
    )
    yield param(
        "not-before-in-1s",
        Chain(lambda: pki.reader("from-in-1s", not_before=now + SECOND), ((0, AUTH_FAILED),)),
        "VDC-SM-012",
        "VDC-PKI-021",
    )
    yield param(
        "accepted-then-expired",
        Chain(
            lambda: pki.reader("until-in-10s", not_after=now + 10 * SECOND),
            ((0, OK), (10, OK), (11, AUTH_FAILED)),
        ),
        "VDC-SM-012",
        "VDC-PKI-021",
        "VDC-PKI-026",
    )
    yield param(
        "refused-then-valid",
        Chain(
            lambda: pki.reader("from-in-10s", not_before=now + 10 * SECOND),
            ((9, AUTH_FAILED), (10, OK)),
        ),
        "VDC-SM-012",
        "VDC-PKI-021",
        "VDC-PKI-026",
    )
    yield param(
        "root-not-after-is-now",
        Chain(lambda: pki.other_root(now)[1], ((0, OK),), root=lambda: pki.other_root(now)[0]),
        "VDC-SM-012",
        "VDC-PKI-021",
    )
    yield param(
        "root-expired-1s-ago",
        Chain(
            lambda: pki.other_root(now - SECOND)[1],
            ((0, AUTH_FAILED),),
            root=lambda: pki.other_root(now - SECOND)[0],
        ),
        "VDC-SM-012",
        "VDC-PKI-021",
    )


@tc(
    "TC-SM-013",
    title="Reader certificates are valid from notBefore to notAfter inclusive, at every session",
    purpose="A reader certificate (or the reader root) is accepted at its notBefore and "
    "notAfter and refused one second outside; a chain accepted in one session is refused "
    "in a later one once it has expired, and one refused before its notBefore is accepted "
    "from then on: the validity is checked at the `now` of every ESTABLISH SESSION.",
    verifies=["VDC-SM-012", "VDC-PKI-021", "VDC-PKI-026"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned with the root that issued the reader, armed",
    expected="9000 at the edges, 6300 without data one second outside",
    operations=OPS,
    params=_validity,
)
def test_reader_validity(iut: IutBase, param: Chain) -> None:
    _attempt(iut, param)


# -- the ESTABLISH SESSION field and the reader signature ------------------------------
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""The order of the P-256 group (SEC 2): r and s must lie in 1..N-1."""
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
    yield param(
        "version-02", (_signed(lambda s: s.signed_part(version=b"\x02")), 0x6A80), "VDC-SM-010"
    )
    yield param(
        "version-00", (_signed(lambda s: s.signed_part(version=b"\x00")), 0x6A80), "VDC-SM-010"
    )
    yield param(
        "version-two-bytes",
        (_signed(lambda s: s.signed_part(version=b"\x01\x01")), 0x6A80),
        "VDC-SM-010",
    )
    yield param("key-64-bytes", (_with_point(lambda p: p[:-1]), 0x6A80), "VDC-SM-002", "VDC-SM-010")
    yield param(
        "key-66-bytes", (_with_point(lambda p: p + b"\x00"), 0x6A80), "VDC-SM-002", "VDC-SM-010"
    )
    yield param(
        "key-prefix-05",
        (_with_point(lambda p: b"\x05" + p[1:]), 0x6A80),
        "VDC-SM-002",
        "VDC-SM-010",
    )
    yield param(
        "key-compressed",
        (_with_point(lambda p: bytes([2 + (p[-1] & 1)]) + p[1:33]), 0x6A80),
        "VDC-SM-002",
        "VDC-SM-010",
    )
    yield param(
        "key-off-curve",
        (_with_point(lambda p: p[:-1] + bytes([p[-1] ^ 1])), 0x6A80),
        "VDC-SM-002",
        "VDC-SM-010",
    )
    yield param(
        "key-x-beyond-p",
        (_with_point(lambda p: b"\x04" + b"\xff" * 32 + p[33:]), 0x6A80),
        "VDC-SM-002",
        "VDC-SM-010",
    )
    yield param("tags-reordered", (_signed(_reordered), 0x6A80), "VDC-NFC-030", "VDC-SM-010")
    yield param(
        "signature-missing", (lambda s: s.signed_part(), 0x6A80), "VDC-NFC-030", "VDC-SM-010"
    )
    yield param(
        "extra-tlv-signed",
        (_signed(lambda s: s.signed_part() + b"\x85\x01\x00"), 0x6A80),
        "VDC-NFC-030",
        "VDC-SM-010",
    )
    yield param(
        "extra-tlv-after-signature",
        (_signed(lambda s: s.signed_part(), b"\x85\x01\x00"), 0x6A80),
        "VDC-NFC-030",
        "VDC-SM-010",
    )
    yield param(
        "key-length-long-form",
        (_signed(_long_form_key_length), 0x6A80),
        "VDC-NFC-030",
        "VDC-SM-010",
    )
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
        "VDC-SM-004",
        "VDC-SM-010",
    )
    yield param(
        "signature-65-bytes",
        (
            lambda s: s.signed_part() + encode_tlv(0x9E, s.signature(s.signed_part()) + b"\x01"),
            0x6A80,
        ),
        "VDC-SM-004",
        "VDC-SM-010",
    )


@tc(
    "TC-SM-014",
    title="An ESTABLISH SESSION field outside the table is refused with 6A80 and changes nothing",
    purpose="Fields validly signed by the reader but holding version 02, 00 or two bytes, "
    "a key of 64 or 66 bytes, prefixed 05, compressed, off the curve or with x beyond p, "
    "tags out of order, no signature, an extra TLV, a long-form length, a chain of zero or "
    "four certificates or of something else, or a signature of 63 or 65 bytes get 6A80 "
    "with no data; the selection stays, so the honest field sent next establishes.",
    verifies=["VDC-SM-010", "VDC-SM-002", "VDC-SM-004", "VDC-NFC-030", "VDC-SM-013"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed, application selected",
    expected="6A80 without data, then 9000 to the honest ESTABLISH SESSION",
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
    yield param("r-zero", _with_rs(lambda r, s: (0, s)), "VDC-SM-004", "VDC-SM-012", "VDC-NFC-061")
    yield param("s-zero", _with_rs(lambda r, s: (r, 0)), "VDC-SM-004", "VDC-SM-012", "VDC-NFC-061")
    yield param("r-is-n", _with_rs(lambda r, s: (N, s)), "VDC-SM-004", "VDC-SM-012", "VDC-NFC-061")
    yield param("s-is-n", _with_rs(lambda r, s: (r, N)), "VDC-SM-004", "VDC-SM-012", "VDC-NFC-061")
    yield param(
        "replayed-from-another-selection", _replayed, "VDC-SM-011", "VDC-SM-012", "VDC-NFC-061"
    )
    yield param(
        "other-label",
        lambda s: s.field(signature=s.signature(s.signed_part(), label=LABEL_DEVICE_AUTH)),
        "VDC-SM-011",
        "VDC-SM-012",
        "VDC-NFC-061",
    )
    yield param(
        "without-the-fci",
        lambda s: s.field(signature=s.signature(s.signed_part(), fci=b"")),
        "VDC-SM-011",
        "VDC-SM-012",
        "VDC-NFC-061",
    )
    yield param(
        "over-another-version-field",
        lambda s: s.field(signature=s.signature(s.signed_part(version=b"\x02"))),
        "VDC-SM-011",
        "VDC-SM-012",
        "VDC-NFC-061",
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
