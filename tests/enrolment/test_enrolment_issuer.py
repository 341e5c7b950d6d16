"""Activation issues a real credential; a second phone revokes the first (VDC-ENR-013).

The reference issuer signs under the test PKI; the credential the service stores (the
holder's full presentation) verifies at the issuing root, is bound to the phone's key,
and the signed status list marks the replaced card revoked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vitale_ref.credential import (
    CredentialRevokedError,
    ElementId,
    verify_presentation,
    verify_status_list,
)
from vitale_ref.enrolment import ReferenceIssuer, State, samples
from vitale_ref.enrolment.traces import SCENARIOS, run
from vitale_ref.randomness import seeded_random


def test_second_phone_revokes_the_first_credential() -> None:
    scenario = next(s for s in SCENARIOS if s.name == "second-phone-replaces")
    service = samples.make_service(seed="issuer-test")
    issuer = ReferenceIssuer(random=seeded_random("issuer-test"))
    service.collaborators.issuer = issuer
    run(scenario.start, scenario.steps, seed="", service=service)
    first, second = service.store.ids()
    assert service.get(first).state is State.REPLACED
    assert service.get(second).state is State.ACTIVE
    old, new = service.store.credential(first), service.store.credential(second)
    assert old is not None and new is not None
    assert (old.status_index, old.revoked, new.status_index, new.revoked) == (0, True, 1, False)

    now = scenario.start + timedelta(hours=2)
    root = issuer.pki.issuing_root.certificate
    status = issuer.status_list(service.store.revoked_indices(), now=now)
    assert verify_status_list(status, trust_anchor=root, now=now).status.revoked_indices() == [0]

    verified = verify_presentation(new.credential, trust_anchor=root, now=now, status_list=status)
    assert verified.revocation_checked and verified[ElementId.NIR] == samples.CAMILLE.nir
    phone = verified.device_public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    assert phone == service.get(second).device_public_key
    with pytest.raises(CredentialRevokedError):
        verify_presentation(old.credential, trust_anchor=root, now=now, status_list=status)


def test_credential_lifetime_stops_at_the_document_signer_expiry() -> None:
    """VDC-PKI-012: a year, cut short when the document signer expires sooner."""
    issuer = ReferenceIssuer(random=seeded_random("issuer-test/expiry"))
    expiry = issuer.pki.document_signer.certificate.not_valid_after_utc
    scenario = next(s for s in SCENARIOS if s.name == "second-phone-replaces")
    service = samples.make_service(seed="issuer-test/expiry")
    service.collaborators.issuer = issuer
    late = expiry - timedelta(days=30)
    run(late, scenario.steps, seed="", service=service)
    assert issuer.last_issued is not None
    root = issuer.pki.issuing_root.certificate
    verified = verify_presentation(
        issuer.last_issued.full_presentation(), trust_anchor=root, now=late + timedelta(hours=2)
    )
    assert verified.valid_until == expiry
    assert verified.valid_until - verified.valid_from < timedelta(days=31)
