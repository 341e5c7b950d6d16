"""PKI path-validation vectors (VDC-PKI-003, 007, 020..024, 030, 031), seed "vectors/pki"."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tools.vectorgen._wycheproof import HEX, Flag, document, schema
from vitale_ref.pki import (
    ID_KP_DOCUMENT_SIGNING,
    ID_KP_READER_AUTHENTICATION,
    ID_READER_AUTHORISATION,
    TEST_NOW,
    CertificateTemplate,
    Entity,
    ReaderAuthorisation,
    TestPKI,
    build_certificate,
    der,
    generate_test_pki,
)
from vitale_ref.randomness import p256_private_key, seeded_random

SEED = "vectors/pki"
CHAINS = "pki/chains.json"
CHAIN_SCHEMA = "pki_chain.schema.json"

NOTES = {
    "WrongPurpose": Flag(
        bug_type="KEY_USAGE",
        description="Leaf used for another purpose.",
        requirement="VDC-PKI-023",
    ),
    "Untrusted": Flag(
        bug_type="PATH", description="No path to the trust anchor.", requirement="VDC-PKI-020"
    ),
    "BadSignature": Flag(
        bug_type="SIGNATURE",
        description="Certificate signature is wrong.",
        requirement="VDC-PKI-020",
    ),
    "Validity": Flag(
        bug_type="VALIDITY", description="Outside the validity period.", requirement="VDC-PKI-021"
    ),
    "CheckOrder": Flag(
        bug_type="MISCLASSIFIED_ERROR",
        description="The error name depends on the order of the checks.",
        requirement="VDC-PKI-050",
    ),
    "AuthorisationOrder": Flag(
        bug_type="MISCLASSIFIED_ERROR",
        description="A critical readerAuthorisation: refused as an unknown critical extension.",
        requirement="VDC-PKI-051",
    ),
    "PathLength": Flag(
        bug_type="EDGE_CASE",
        description="A path of four certificates (the most) and of five (refused).",
        requirement="VDC-PKI-028",
    ),
    "BasicConstraints": Flag(
        bug_type="BASIC_CONSTRAINTS",
        description="CA flag or path length.",
        requirement="VDC-PKI-022",
    ),
    "KeyUsage": Flag(
        bug_type="KEY_USAGE", description="Key usage bits not allowed.", requirement="VDC-PKI-023"
    ),
    "CriticalExtension": Flag(
        bug_type="EXTENSION", description="Unknown critical extension.", requirement="VDC-PKI-024"
    ),
    "Algorithm": Flag(
        bug_type="ALGORITHM",
        description="Not P-256 or not ecdsa-with-SHA256.",
        requirement="VDC-PKI-003",
    ),
    "Authorisation": Flag(
        bug_type="AUTHORISATION",
        description="Reader-authorisation extension missing or malformed.",
        requirement="VDC-PKI-030",
    ),
    "DuplicateExtension": Flag(
        bug_type="EXTENSION",
        description="The same extension twice (RFC 5280, 4.2).",
        requirement="VDC-PKI-007",
    ),
}
ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"
UNKNOWN_KEY_TYPE = "1.3.840.10045.2.1"
"""id-ecPublicKey with its first arc changed: a key type no library knows."""


@functools.cache
def _pki() -> TestPKI:
    return generate_test_pki(SEED)


def _der(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.DER).hex()


def _variant(name: str, issuer: Entity, **changes: Any) -> x509.Certificate:
    key = p256_private_key(seeded_random(f"{SEED}/variant/{name}"))
    fields: dict[str, Any] = {
        "common_name": f"Variant {name} (synthetic)",
        "public_key": key.public_key(),
        "serial": 5000 + sum(name.encode()),
        "not_before": datetime(2026, 1, 1, tzinfo=UTC),
        "not_after": datetime(2029, 1, 1, tzinfo=UTC),
        "extended_key_usage": (ID_KP_DOCUMENT_SIGNING,),
    }
    fields.update(changes)
    return build_certificate(CertificateTemplate(**fields), issuer.private_key, issuer.certificate)


def resigned(
    cert: x509.Certificate, issuer: Entity, edit: Callable[[asn1_x509.TbsCertificate], None]
) -> x509.Certificate:
    """`cert` with its to-be-signed part changed by `edit`, then signed again by `issuer`
    (RFC 6979), so that the change is the certificate's only defect."""
    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    edit(tbs)
    tbs_der = tbs.dump(force=True)
    signature = issuer.private_key.sign(
        tbs_der, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    )
    encoded = der.sequence(tbs_der, der.sequence(der.oid(ECDSA_WITH_SHA256)), der.bits(signature))
    return x509.load_der_x509_certificate(encoded)


def twice_key_usage(tbs: asn1_x509.TbsCertificate) -> None:
    extensions = tbs["extensions"]
    key_usage = next(e for e in extensions if e["extn_id"].native == "key_usage")
    extensions.append(key_usage.copy())
    tbs["extensions"] = extensions


def unknown_key_type(tbs: asn1_x509.TbsCertificate) -> None:
    tbs["subject_public_key_info"]["algorithm"]["algorithm"] = UNKNOWN_KEY_TYPE


def _sha384_leaf() -> x509.Certificate:
    issuer = _pki().issuing_root
    template = _variant("sha384", issuer)
    builder = (
        x509.CertificateBuilder()
        .subject_name(template.subject)
        .issuer_name(template.issuer)
        .public_key(template.public_key())
        .serial_number(template.serial_number)
        .not_valid_before(template.not_valid_before_utc)
        .not_valid_after(template.not_valid_after_utc)
    )
    for extension in template.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(issuer.private_key, hashes.SHA384(), ecdsa_deterministic=True)


def _test(
    comment: str,
    leaf: x509.Certificate,
    purpose: str,
    *,
    flags: tuple[str, ...] = (),
    error: str = "",
    requirement: str = "VDC-PKI-020",
    anchor: str = "issuing",
    intermediates: tuple[x509.Certificate, ...] = (),
    now: datetime = TEST_NOW,
) -> dict[str, Any]:
    return {
        "comment": comment,
        "flags": list(flags),
        "leaf": _der(leaf),
        "intermediates": [_der(c) for c in intermediates],
        "anchor": anchor,
        "purpose": purpose,
        "now": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "requirement": requirement,
        "errorType": error,
        "result": "invalid" if error else "valid",
    }


def _valid_chains() -> list[dict[str, Any]]:
    pki = _pki()
    tests = [
        _test(f"{s.name} for document signing", s.certificate, "DOCUMENT_SIGNING")
        for s in pki.document_signers
    ]
    tests.append(_test("status-list signer", pki.status_signer.certificate, "STATUS_LIST_SIGNING"))
    tests += [
        _test(
            f"reader {name}",
            r.certificate,
            "READER_AUTHENTICATION",
            anchor="reader",
            requirement="VDC-PKI-030",
        )
        for name, r in pki.readers.items()
    ]
    return tests


def _edge_chains() -> list[dict[str, Any]]:
    """Valid paths at the edges of a certificate's validity (VDC-PKI-021: both included)."""
    pki = _pki()
    tests: list[dict[str, Any]] = []
    ds = pki.document_signer.certificate
    for edge, moment in (
        ("notBefore", ds.not_valid_before_utc),
        ("notAfter", ds.not_valid_after_utc),
    ):
        tests.append(
            _test(
                f"document signer at exactly its {edge}",
                ds,
                "DOCUMENT_SIGNING",
                requirement="VDC-PKI-021",
                now=moment,
            )
        )
    return tests


def _invalid_chains() -> list[dict[str, Any]]:
    pki = _pki()
    root, reader_root = pki.issuing_root, pki.reader_root
    ds = pki.document_signer.certificate
    sub_key = p256_private_key(seeded_random(f"{SEED}/variant/sub-ca"))
    sub_cert = _variant(
        "sub-ca", root, public_key=sub_key.public_key(), ca=True, extended_key_usage=()
    )
    sub = Entity("sub", sub_key, sub_cert)
    tampered = bytearray(ds.public_bytes(serialization.Encoding.DER))
    tampered[tampered.index(b"Document Signer 1")] ^= 0x20
    usage = x509.KeyUsage(True, False, False, False, False, True, False, False, False)
    bad_auth = x509.UnrecognizedExtension(
        ID_READER_AUTHORISATION,
        bytes.fromhex("3019120b3139393939393939303037120232313006020101020104"),
    )
    good_auth = ReaderAuthorisation(rpps="19999999006", profession="10", allowed_elements=(1,))
    p384 = ec.derive_private_key(99, ec.SECP384R1()).public_key()
    reader = {"anchor": "reader", "extended_key_usage": (ID_KP_READER_AUTHENTICATION,)}
    rows: list[tuple[str, x509.Certificate, str, str, str, str, dict[str, Any]]] = [
        (
            "document signer used as a reader",
            ds,
            "READER_AUTHENTICATION",
            "WrongPurpose",
            "KeyUsageError",
            "VDC-PKI-023",
            {},
        ),
        (
            "status signer used for credentials",
            pki.status_signer.certificate,
            "DOCUMENT_SIGNING",
            "WrongPurpose",
            "KeyUsageError",
            "VDC-PKI-023",
            {},
        ),
        (
            "reader certificate against the issuing root",
            pki.readers["doctor"].certificate,
            "READER_AUTHENTICATION",
            "Untrusted",
            "PathError",
            "VDC-PKI-020",
            {},
        ),
        (
            "document signer one second after notAfter",
            ds,
            "DOCUMENT_SIGNING",
            "Validity",
            "ValidityError",
            "VDC-PKI-021",
            {"now": ds.not_valid_after_utc + timedelta(seconds=1)},
        ),
        (
            "document signer one second before notBefore",
            ds,
            "DOCUMENT_SIGNING",
            "Validity",
            "ValidityError",
            "VDC-PKI-021",
            {"now": ds.not_valid_before_utc - timedelta(seconds=1)},
        ),
        (
            "subject changed after signing",
            x509.load_der_x509_certificate(bytes(tampered)),
            "DOCUMENT_SIGNING",
            "BadSignature",
            "SignatureError",
            "VDC-PKI-020",
            {},
        ),
        (
            "leaf asserting cA",
            _variant("leaf-ca", root, ca=True),
            "DOCUMENT_SIGNING",
            "BasicConstraints",
            "BasicConstraintsError",
            "VDC-PKI-022",
            {},
        ),
        (
            "leaf under a sub-CA of a pathLen 0 root",
            _variant("under-sub", sub),
            "DOCUMENT_SIGNING",
            "BasicConstraints",
            "BasicConstraintsError",
            "VDC-PKI-022",
            {"intermediates": (sub_cert,)},
        ),
        (
            "leaf with keyCertSign",
            _variant("usage", root, key_usage=usage),
            "DOCUMENT_SIGNING",
            "KeyUsage",
            "KeyUsageError",
            "VDC-PKI-023",
            {},
        ),
        (
            "unknown critical extension",
            _variant(
                "critical",
                root,
                extra_extensions=(
                    (
                        x509.UnrecognizedExtension(
                            x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00"
                        ),
                        True,
                    ),
                ),
            ),
            "DOCUMENT_SIGNING",
            "CriticalExtension",
            "CriticalExtensionError",
            "VDC-PKI-024",
            {},
        ),
        (
            "leaf with a P-384 key",
            _variant("p384", root, public_key=p384),
            "DOCUMENT_SIGNING",
            "Algorithm",
            "AlgorithmError",
            "VDC-PKI-003",
            {},
        ),
        (
            "leaf whose key type is unknown (1.3.840.10045.2.1)",
            resigned(_variant("key-type", root), root, unknown_key_type),
            "DOCUMENT_SIGNING",
            "Algorithm",
            "AlgorithmError",
            "VDC-PKI-003",
            {},
        ),
        (
            "leaf carrying its keyUsage extension twice",
            resigned(_variant("twice", root), root, twice_key_usage),
            "DOCUMENT_SIGNING",
            "DuplicateExtension",
            "CertificateFormatError",
            "VDC-PKI-007",
            {},
        ),
        (
            "leaf signed with ecdsa-with-SHA384",
            _sha384_leaf(),
            "DOCUMENT_SIGNING",
            "Algorithm",
            "AlgorithmError",
            "VDC-PKI-003",
            {},
        ),
        (
            "reader without the authorisation extension",
            _variant("no-auth", reader_root, extended_key_usage=reader["extended_key_usage"]),
            "READER_AUTHENTICATION",
            "Authorisation",
            "AuthorisationError",
            "VDC-PKI-030",
            {"anchor": "reader"},
        ),
        (
            "reader with a wrong RPPS key",
            _variant(
                "bad-rpps",
                reader_root,
                extended_key_usage=reader["extended_key_usage"],
                extra_extensions=((bad_auth, False),),
            ),
            "READER_AUTHENTICATION",
            "Authorisation",
            "AuthorisationError",
            "VDC-PKI-031",
            {"anchor": "reader"},
        ),
        (
            "reader with a critical authorisation extension",
            _variant(
                "crit-auth",
                reader_root,
                extended_key_usage=reader["extended_key_usage"],
                extra_extensions=(
                    (x509.UnrecognizedExtension(ID_READER_AUTHORISATION, good_auth.encode()), True),
                ),
            ),
            "READER_AUTHENTICATION",
            "CriticalExtension",
            "CriticalExtensionError",
            "VDC-PKI-030",
            {"anchor": "reader"},
        ),
    ]
    return [
        _test(c, leaf, purpose, flags=(flag,), error=err, requirement=req, **extra)
        for c, leaf, purpose, flag, err, req, extra in rows
    ]


def _sub_cas(root: Entity, count: int) -> list[Entity]:
    """`count` CA certificates in a line under `root`, the first issued by the root."""
    chain: list[Entity] = []
    issuer = root
    for number in range(1, count + 1):
        key = p256_private_key(seeded_random(f"{SEED}/variant/line-{number}"))
        cert = _variant(
            f"line-{number}", issuer, public_key=key.public_key(), ca=True, extended_key_usage=()
        )
        issuer = Entity(f"line-{number}", key, cert)
        chain.append(issuer)
    return chain


def _path_length_chains(root: Entity) -> list[dict[str, Any]]:
    """VDC-PKI-028 at its edge under the test root (pathLenConstraint 0): four
    certificates are built and then refused for the root's constraint, five are refused
    while the path is built."""
    tests = []
    for count, error, requirement in (
        (2, "BasicConstraintsError", "VDC-PKI-022"),
        (3, "PathError", "VDC-PKI-028"),
    ):
        line = _sub_cas(root, count)
        tests.append(
            _test(
                f"leaf under {count} sub-CAs: a path of {count + 2} certificates",
                _variant(f"under-line-{count}", line[-1]),
                "DOCUMENT_SIGNING",
                flags=("PathLength",),
                error=error,
                requirement=requirement,
                intermediates=tuple(reversed([e.certificate for e in line])),
            )
        )
    return tests


_EXTRA_FLAGS = {
    "reader with a critical authorisation extension": ("CheckOrder", "AuthorisationOrder"),
    "leaf under 2 sub-CAs: a path of 4 certificates": ("CheckOrder",),
}
"""Second flags of vectors whose error name depends on the order of VDC-PKI-050/051."""


def _flagged(tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**t, "flags": [*t["flags"], *_EXTRA_FLAGS.get(t["comment"], ())]} for t in tests]


def build_chains() -> dict[str, Any]:
    pki = _pki()
    return document(
        algorithm="VDC-PKI path validation",
        schema=CHAIN_SCHEMA,
        header=[
            "Validate leaf (with intermediates) to the named anchor at now for purpose.",
            "anchor is 'issuing' or 'reader', the roots given in the group. errorType is the",
            "error name of the PKI chapter's error table (the first check that fails).",
        ],
        notes=NOTES,
        groups=[
            {
                "issuingRoot": _der(pki.issuing_root.certificate),
                "readerRoot": _der(pki.reader_root.certificate),
                "tests": _flagged(
                    _valid_chains()
                    + _invalid_chains()
                    + _edge_chains()
                    + _path_length_chains(pki.issuing_root)
                ),
            }
        ],
    )


def build_chain_schema() -> dict[str, Any]:
    return schema(
        title="VDC-PKI path validation vectors",
        group_properties={"issuingRoot": HEX, "readerRoot": HEX},
        test_properties={
            "leaf": HEX,
            "intermediates": {"type": "array", "items": HEX},
            "anchor": {"enum": ["issuing", "reader"]},
            "purpose": {
                "enum": ["DOCUMENT_SIGNING", "STATUS_LIST_SIGNING", "READER_AUTHENTICATION"]
            },
            "now": {"type": "string"},
            "requirement": {"type": "string", "pattern": "^VDC-[A-Z]+-[0-9]{3}$"},
            "errorType": {"type": "string"},
        },
    )
