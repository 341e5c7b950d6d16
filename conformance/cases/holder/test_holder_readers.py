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
from conformance.cases.holder._scripted import OK, ReaderKeys, Scripted, expect_sw
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, ID_READER_AUTHORISATION

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
AUTH_FAILED = 0x6300
SECOND = timedelta(seconds=1)

R_SM010_PKI022 = ("VDC-SM-010", "VDC-PKI-022")
R_SM012_PKI021 = ("VDC-SM-012", "VDC-PKI-021")
R_SM012_PKI021_PKI026 = ("VDC-SM-012", "VDC-PKI-021", "VDC-PKI-026")
R_SM012_SM013_PKI020 = ("VDC-SM-012", "VDC-SM-013", "VDC-PKI-020")
R_SM012_SM013_PKI022 = ("VDC-SM-012", "VDC-SM-013", "VDC-PKI-022")
R_SM012_SM013_PKI023 = ("VDC-SM-012", "VDC-SM-013", "VDC-PKI-023")
R_SM012_SM013_PKI030 = ("VDC-SM-012", "VDC-SM-013", "VDC-PKI-030")
R_SM012_SM013_PKI033 = ("VDC-SM-012", "VDC-SM-013", "VDC-PKI-033")


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
        *R_SM012_SM013_PKI023,
    )
    yield param(
        "no-extended-key-usage",
        _refused(lambda: pki.reader("no-eku", extended_key_usage=())),
        *R_SM012_SM013_PKI023,
    )
    yield param(
        "leaf-with-key-cert-sign",
        _refused(
            lambda: pki.reader(
                "cert-sign", key_usage=_usage(digital_signature=True, key_cert_sign=True)
            )
        ),
        *R_SM012_SM013_PKI023,
    )
    yield param(
        "leaf-without-digital-signature",
        _refused(lambda: pki.reader("no-digital-signature", key_usage=_usage(key_agreement=True))),
        *R_SM012_SM013_PKI023,
    )
    yield param(
        "leaf-asserting-ca",
        _refused(
            lambda: pki.reader(
                "leaf-ca", ca=True, path_length=None, key_usage=_usage(digital_signature=True)
            )
        ),
        *R_SM012_SM013_PKI022,
    )
    yield param("leaf-under-sub-ca", _refused(pki.sub_ca_reader), *R_SM012_SM013_PKI022)
    yield param("issuer-name-forged", _refused(pki.forged_issuer), *R_SM012_SM013_PKI020)
    yield param(
        "certificate-signature-altered",
        _refused(lambda: pki.with_bad_signature(pki.reader("bad-signature"))),
        *R_SM012_SM013_PKI020,
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
        *R_SM012_SM013_PKI030,
    )
    yield param(
        "critical-authorisation",
        _refused(_authorisation(pki.authorisation().encode(), critical=True)),
        *R_SM012_SM013_PKI030,
    )
    yield param(
        "authorisation-not-der",
        _refused(_authorisation(b"\x30\x03\x02\x01")),
        *R_SM012_SM013_PKI030,
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
        *R_SM012_SM013_PKI033,
    )
    yield param(
        "allowed-empty",
        _refused(_authorisation(pki.raw_authorisation(allowed=()))),
        *R_SM012_SM013_PKI033,
    )
    yield param(
        "allowed-33-elements",
        _refused(_authorisation(pki.raw_authorisation(allowed=range(1, 34)))),
        *R_SM012_SM013_PKI033,
    )
    yield param(
        "allowed-element-0",
        _refused(_authorisation(pki.raw_authorisation(allowed=(0, 1)))),
        *R_SM012_SM013_PKI033,
    )
    yield param(
        "allowed-element-128",
        _refused(_authorisation(pki.raw_authorisation(allowed=(1, 128)))),
        *R_SM012_SM013_PKI033,
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
            expect(
                got.sw == OK,
                "the authenticated reader could not read",
                got=got.hex()[:40],
                expected="9000 for the authenticated reader's READ ELEMENTS",
            )


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
        *R_SM012_PKI021,
    )
    yield param(
        "not-after-1s-ago",
        Chain(lambda: pki.reader("until-1s-ago", not_after=now - SECOND), ((0, AUTH_FAILED),)),
        *R_SM012_PKI021,
    )
    yield param(
        "not-before-is-now",
        Chain(lambda: pki.reader("from-now", not_before=now), ((0, OK),)),
        *R_SM012_PKI021,
    )
    yield param(
        "not-before-in-1s",
        Chain(lambda: pki.reader("from-in-1s", not_before=now + SECOND), ((0, AUTH_FAILED),)),
        *R_SM012_PKI021,
    )
    yield param(
        "accepted-then-expired",
        Chain(
            lambda: pki.reader("until-in-10s", not_after=now + 10 * SECOND),
            ((0, OK), (10, OK), (11, AUTH_FAILED)),
        ),
        *R_SM012_PKI021_PKI026,
    )
    yield param(
        "refused-then-valid",
        Chain(
            lambda: pki.reader("from-in-10s", not_before=now + 10 * SECOND),
            ((9, AUTH_FAILED), (10, OK)),
        ),
        *R_SM012_PKI021_PKI026,
    )
    yield param(
        "root-not-after-is-now",
        Chain(lambda: pki.other_root(now)[1], ((0, OK),), root=lambda: pki.other_root(now)[0]),
        *R_SM012_PKI021,
    )
    yield param(
        "root-expired-1s-ago",
        Chain(
            lambda: pki.other_root(now - SECOND)[1],
            ((0, AUTH_FAILED),),
            root=lambda: pki.other_root(now - SECOND)[0],
        ),
        *R_SM012_PKI021,
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


def _depths() -> Iterable[Param | Parameter]:
    def chain(
        depth: int, which: int, order: Callable[[ReaderKeys], ReaderKeys] = lambda k: k
    ) -> Chain:
        def reader() -> ReaderKeys:
            _, near, deep = pki.hierarchy(depth)
            return order(near if which == 1 else deep)

        return Chain(
            reader,
            ((0, OK if which <= depth else AUTH_FAILED),),
            root=lambda: pki.hierarchy(depth)[0],
        )

    def swapped(keys: ReaderKeys) -> ReaderKeys:
        return ReaderKeys((keys.chain[0], *reversed(keys.chain[1:])), keys.key)

    def missing_middle(keys: ReaderKeys) -> ReaderKeys:
        return ReaderKeys(keys.chain[:2], keys.key)

    yield param("two-certificates-root-allows-one-ca", chain(1, 1), *R_SM010_PKI022)
    yield param("three-certificates-root-allows-two-cas", chain(2, 2), *R_SM010_PKI022)
    yield param("three-certificates-root-allows-one-ca", chain(1, 2), "VDC-PKI-022")
    yield param("intermediates-in-the-other-order", chain(2, 2, swapped), "VDC-PKI-020")
    missing = chain(2, 2, missing_middle)
    yield param(
        "an-intermediate-missing",
        Chain(missing.reader, ((0, AUTH_FAILED),), root=missing.root),
        "VDC-PKI-020",
    )


@tc(
    "TC-SM-023",
    title="Reader chains of one, two and three certificates under roots allowing them",
    purpose="Under a reader root whose path-length constraint allows one or two CAs, a "
    "reader chain of two or three certificates (leaf first, intermediates in any order) "
    "authenticates, while a chain deeper than the root allows, or one missing an "
    "intermediate, gets 6300.",
    verifies=["VDC-SM-010", "VDC-SM-012", "VDC-PKI-020", "VDC-PKI-022"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned with the root of the case and armed",
    expected="9000 within the root's path length, 6300 beyond it or with a gap",
    operations=OPS,
    params=_depths,
)
def test_reader_chain_depth(iut: IutBase, param: Chain) -> None:
    _attempt(iut, param)


@tc(
    "TC-SM-024",
    title="A reader accepted under one root is refused by a holder trusting another",
    purpose="The doctor's chain authenticates with a holder trusting the suite's reader "
    "root; set up again to trust another root of the same name but another key, the "
    "holder refuses the same chain with 6300: nothing validated under one trust anchor is "
    "served for another.",
    verifies=["VDC-SM-012", "VDC-PKI-020", "VDC-PKI-026"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned with the suite's reader root, then with another",
    expected="9000, then 6300 without data to the same ESTABLISH SESSION",
    operations=OPS,
)
def test_reader_root_changes(iut: IutBase) -> None:
    from vitale_ref.pki import generate_test_pki

    accepted = Scripted(provisioned(iut))
    accepted.select()
    expect_sw(accepted.establish(), OK, "the doctor's chain under the suite's root")
    other = generate_test_pki(f"{m.SEED}/other").reader_root.certificate
    refused = Scripted(provisioned(iut, reader_root=other))
    refused.select()
    expect_sw(refused.establish(), AUTH_FAILED, "a chain accepted under another root")
