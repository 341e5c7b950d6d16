"""Invalid credential vectors: signature, chain, validity, disclosure, revocation."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tools.vectorgen.credential_case import Case
from tools.vectorgen.credential_forge import (
    cert_der,
    disclosed,
    element,
    other_pki,
    parts_of,
    pki,
    present,
    single,
    typical,
)
from vitale_ref.credential import (
    CertificateChainError,
    CredentialExpiredError,
    CredentialNotYetValidError,
    CredentialRevokedError,
    DigestMismatchError,
    DisclosureError,
    ElementId,
    IssuerSignatureError,
    StatusList,
    StatusListError,
    samples,
    sign_status_list,
)
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import (
    ID_KP_DOCUMENT_SIGNING,
    TEST_NOW,
    CertificateTemplate,
    Entity,
    build_certificate,
    der,
)
from vitale_ref.randomness import p256_private_key, seeded_random

SECOND = timedelta(seconds=1)
LIST_THIS_UPDATE = datetime(2026, 5, 30, tzinfo=UTC)
LIST_NEXT_UPDATE = datetime(2026, 6, 6, tzinfo=UTC)


def _signer_variant(name: str, **changes: object) -> Entity:
    """A document signer under the issuing root with one profile deviation."""
    root = pki().issuing_root
    key = p256_private_key(seeded_random(f"vectors/credential/variant/{name}"))
    fields: dict[str, object] = {
        "common_name": f"Variant document signer {name} (synthetic)",
        "public_key": key.public_key(),
        "serial": 1000 + len(name),
        "not_before": datetime(2026, 1, 1, tzinfo=UTC),
        "not_after": datetime(2031, 1, 1, tzinfo=UTC),
        "extended_key_usage": (ID_KP_DOCUMENT_SIGNING,),
    }
    fields.update(changes)
    template = CertificateTemplate(**fields)  # type: ignore[arg-type]
    return Entity(name, key, build_certificate(template, root.private_key, root.certificate))


def _signed_by(entity: Entity, chain: tuple[x509.Certificate, ...] | None = None) -> bytes:
    sample = typical()
    parts = parts_of(sample)
    certs = chain if chain is not None else (entity.certificate,)
    parts = replace(parts, key=entity.private_key, chain=tuple(cert_der(c) for c in certs))
    return present(parts.credential(), disclosed(sample.issued, *sample.issued.elements))


def signature_cases() -> list[Case]:
    sample = typical()
    parts = parts_of(sample)
    items = disclosed(sample.issued, *sample.issued.elements)
    good = sign_raw(parts.key, parts.tbs())
    flipped = good[:63] + bytes([good[63] ^ 0x01])
    other_key = pki().document_signers[1].private_key
    tampered = replace(parts, status=der.sequence(der.integer(1), der.integer(6)))
    rows = [
        ("last bit of s flipped", flipped),
        ("r = 0", b"\x00" * 32 + good[32:]),
        (
            "signed by the second document signer's key, chain names the first",
            sign_raw(other_key, parts.tbs()),
        ),
        (
            "r and s equal to the group order",
            bytes.fromhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551") * 2,
        ),
    ]
    cases = [
        Case(
            comment=c,
            flag="BadSignature",
            error=IssuerSignatureError,
            requirement="VDC-CRED-042",
            presentation=present(parts.credential(sig), items),
        )
        for c, sig in rows
    ]
    cases.append(
        Case(
            comment="status index changed after signing",
            flag="BadSignature",
            error=IssuerSignatureError,
            requirement="VDC-CRED-042",
            presentation=present(tampered.credential(good), items),
        )
    )
    return cases


def chain_cases() -> list[Case]:
    p384 = ec.derive_private_key(11, ec.SECP384R1())
    wrong_usage = _signer_variant(
        "usage",
        key_usage=x509.KeyUsage(False, True, False, False, False, False, False, False, False),
    )
    expired = _signer_variant("expired", not_after=datetime(2026, 3, 1, tzinfo=UTC))
    curve = _signer_variant("curve", public_key=p384.public_key())
    curve = Entity("curve", pki().document_signer.private_key, curve.certificate)
    rows: list[tuple[str, str, bytes]] = [
        (
            "signer under another issuing root",
            "UntrustedChain",
            _signed_by(other_pki().document_signer),
        ),
        ("signer key usage nonRepudiation only", "WrongKeyUsage", _signed_by(wrong_usage)),
        ("signed by the status-list signer", "WrongKeyUsage", _signed_by(pki().status_signer)),
        ("signed by a reader certificate", "UntrustedChain", _signed_by(pki().readers["doctor"])),
        ("signer certificate expired on 2026-03-01", "UntrustedChain", _signed_by(expired)),
        ("signer certificate with a P-384 key", "UntrustedChain", _signed_by(curve)),
        ("signed by the issuing root itself", "WrongKeyUsage", _signed_by(pki().issuing_root)),
    ]
    return [
        Case(
            comment=c,
            flag=f,
            error=CertificateChainError,
            requirement="VDC-CRED-041",
            presentation=data,
        )
        for c, f, data in rows
    ]


def validity_cases() -> list[Case]:
    data = typical().issued.full_presentation()
    return [
        Case(
            comment="one second after validUntil",
            flag="Expired",
            error=CredentialExpiredError,
            requirement="VDC-CRED-043",
            presentation=data,
            now=samples.VALID_UNTIL + SECOND,
        ),
        Case(
            comment="one second before validFrom",
            flag="NotYetValid",
            error=CredentialNotYetValidError,
            requirement="VDC-CRED-043",
            presentation=data,
            now=samples.VALID_FROM - SECOND,
        ),
    ]


def disclosure_cases() -> list[Case]:
    issued = typical().issued
    cred = issued.credential
    nir = issued.elements[ElementId.NIR]
    other_nir = der.printable(samples.single_insured().nir)
    salted = bytearray(nir.encoding)
    salted[4] ^= 0x01
    minors = typical().issued.elements[ElementId.MINORS].encoding
    single_items = disclosed(single().issued, ElementId.NIR, ElementId.FAMILY_NAME)
    return [
        Case(
            comment="NIR replaced by another valid NIR, same salt",
            flag="WrongDigest",
            error=DigestMismatchError,
            requirement="VDC-CRED-045",
            presentation=present(cred, [element(0x81, other_nir[2:], nir.salt)]),
        ),
        Case(
            comment="first salt byte flipped",
            flag="TamperedSalt",
            error=DigestMismatchError,
            requirement="VDC-CRED-045",
            presentation=present(cred, [bytes(salted)]),
        ),
        Case(
            comment="minors disclosed for a credential without minors",
            flag="ExtraElement",
            error=DisclosureError,
            requirement="VDC-CRED-044",
            presentation=present(single().issued.credential, [*single_items, minors]),
        ),
        Case(
            comment="NIR element taken from another credential",
            flag="WrongDigest",
            error=DigestMismatchError,
            requirement="VDC-CRED-045",
            presentation=present(cred, disclosed(single().issued, ElementId.NIR)),
        ),
    ]


@functools.cache
def status_list(list_id: int = 1, revoked: tuple[int, ...] = (4, 6), **kw: datetime) -> bytes:
    status = StatusList.new(list_id, 64)
    for index in revoked:
        status.revoke(index)
    return sign_status_list(
        status,
        signer=pki().status_signer,
        this_update=kw.get("this_update", LIST_THIS_UPDATE),
        next_update=kw.get("next_update", LIST_NEXT_UPDATE),
    )


def _list_signed_by(entity: Entity) -> bytes:
    status = StatusList.new(1, 64)
    return sign_status_list(
        status, signer=entity, this_update=LIST_THIS_UPDATE, next_update=LIST_NEXT_UPDATE
    )


def revocation_cases() -> list[Case]:
    data = typical().issued.full_presentation()
    good = status_list()
    tbs_end = 2 + 2 + der.read_tlv(der.read_tlv(good)[0].content)[1]
    bad_sig = bytearray(good)
    bad_sig[tbs_end + 2 + 63] ^= 0x01
    far = samples.issue_sample(samples.typical_holder(), "vectors/credential", pki=pki(), index=200)
    rows = [
        (
            "index 5 revoked",
            "Revoked",
            CredentialRevokedError,
            "VDC-CRED-053",
            status_list(revoked=(5,)),
            data,
        ),
        (
            "status list one second past its nextUpdate",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-052",
            status_list(this_update=TEST_NOW - timedelta(days=8), next_update=TEST_NOW - SECOND),
            data,
        ),
        (
            "status list one second before its thisUpdate",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-052",
            status_list(this_update=TEST_NOW + SECOND, next_update=TEST_NOW + timedelta(days=7)),
            data,
        ),
        (
            "status list for list 2",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-052",
            status_list(list_id=2),
            data,
        ),
        (
            "status list signed by a document signer",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-051",
            _list_signed_by(pki().document_signer),
            data,
        ),
        (
            "status list signature bit flipped",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-051",
            bytes(bad_sig),
            data,
        ),
        (
            "credential index 200 beyond a 64-entry list",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-052",
            good,
            far.issued.full_presentation(),
        ),
        (
            "status list with a trailing byte",
            "BadStatusList",
            StatusListError,
            "VDC-CRED-050",
            good + b"\x00",
            data,
        ),
    ]
    return [
        Case(comment=c, flag=f, error=e, requirement=r, presentation=p, status_list=s)
        for c, f, e, r, s, p in rows
    ]


def trust_cases() -> list[Case]:
    return (
        signature_cases()
        + chain_cases()
        + validity_cases()
        + disclosure_cases()
        + revocation_cases()
    )
