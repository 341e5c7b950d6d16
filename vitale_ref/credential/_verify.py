"""Verification of a presentation: one function, a typed result or a typed error.

Order of checks (VDC-CRED-040): strict decoding; the document signer's chain; the
issuer signature; the validity period; each disclosed element against its digest; the
requested elements; the status list; finally the caller's device-binding hook. The
first failure raises, so the error names the first problem.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential._errors import (
    CertificateChainError,
    CredentialExpiredError,
    CredentialNotYetValidError,
    CredentialRevokedError,
    DeviceBindingError,
    DigestMismatchError,
    DisclosureError,
    IssuerSignatureError,
    MissingElementError,
    StatusListError,
)
from vitale_ref.credential._model import ElementId, ElementValue
from vitale_ref.credential._status import SignedStatusList, verify_status_list
from vitale_ref.credential._structure import Presentation, StatusReference, decode_presentation
from vitale_ref.ecdsa import verify_raw
from vitale_ref.pki import (
    CacheKey,
    PKIError,
    Purpose,
    ValidationCache,
    der_of,
    validate_chain,
)

DeviceBinding = Callable[[ec.EllipticCurvePublicKey], None]
"""A hook that proves possession of the device key, raising DeviceBindingError if not."""


@dataclass(frozen=True)
class VerifiedPresentation:
    """What a reader may rely on after verification."""

    elements: Mapping[ElementId, ElementValue]
    device_public_key: ec.EllipticCurvePublicKey
    document_signer: x509.Certificate
    status: StatusReference
    serial: bytes
    valid_from: datetime
    valid_until: datetime
    revocation_checked: bool

    def __getitem__(self, element_id: ElementId) -> ElementValue:
        return self.elements[element_id]


SIGNER_CHAINS: ValidationCache[bool] = ValidationCache(32)
"""Document-signer chains already validated (VDC-CRED-047), keyed by the exact bytes of
the issuing root and of the chain; shared by every verification of this process."""


def _check_chain(
    chain: tuple[x509.Certificate, ...], anchor: x509.Certificate, now: datetime
) -> None:
    """VDC-CRED-041, from the cache when the same chain validated under the same root."""
    try:
        key: CacheKey | None = (der_of(anchor), *(der_of(cert) for cert in chain))
    except ValueError:  # not re-encodable: validated below, and never remembered
        key = None
    if key is not None and SIGNER_CHAINS.get(key, now):
        return
    try:
        validate_chain(chain[0], chain[1:], anchor, now, Purpose.DOCUMENT_SIGNING)
    except PKIError as error:
        raise CertificateChainError(f"document signer: {error}") from None
    if key is not None:
        SIGNER_CHAINS.put(key, (anchor, *chain), True)


def _check_issuer(
    presentation: Presentation, trust_anchor: x509.Certificate, now: datetime
) -> None:
    credential = presentation.credential
    _check_chain(credential.chain, trust_anchor, now)
    # VDC-CRED-042, 043: the issuer signature and the validity period, every presentation.
    if not verify_raw(
        credential.chain[0].public_key(), credential.tbs_encoding, credential.signature
    ):
        raise IssuerSignatureError("issuer signature does not verify")
    tbs = credential.tbs
    if now < tbs.valid_from:
        raise CredentialNotYetValidError(f"credential not valid before {tbs.valid_from}")
    if now > tbs.valid_until:
        raise CredentialExpiredError(f"credential expired at {tbs.valid_until}")


def _check_elements(
    presentation: Presentation, requested: Collection[int] | None
) -> dict[ElementId, ElementValue]:
    digests = dict(presentation.credential.tbs.digests)
    values: dict[ElementId, ElementValue] = {}
    for element in presentation.disclosed:
        name = element.element_id.short_name
        expected = digests.get(element.element_id)
        if expected is None:
            raise DisclosureError(f"disclosed {name} has no digest in the credential")
        if element.digest != expected:
            raise DigestMismatchError(f"disclosed {name} does not match its digest")
        values[element.element_id] = element.value
    missing = sorted(set(requested or ()) - set(values))
    if missing:
        raise MissingElementError(f"requested element(s) {missing} not disclosed")
    return values


def _check_status(
    reference: StatusReference,
    status_list: bytes | SignedStatusList,
    trust_anchor: x509.Certificate,
    now: datetime,
) -> None:
    signed = verify_status_list(status_list, trust_anchor=trust_anchor, now=now)
    if signed.status.list_id != reference.list_id:
        raise StatusListError(
            f"status list {signed.status.list_id} is not the credential's list {reference.list_id}"
        )
    if reference.index >= signed.status.size:
        raise StatusListError(f"status index {reference.index} is outside the list")
    if signed.is_revoked(reference.index):
        raise CredentialRevokedError(f"revoked (list {reference.list_id}, index {reference.index})")


def verify_presentation(
    data: bytes,
    *,
    trust_anchor: x509.Certificate,
    now: datetime,
    status_list: bytes | SignedStatusList | None = None,
    requested: Collection[int] | None = None,
    device_binding: DeviceBinding | None = None,
) -> VerifiedPresentation:
    """Verify a presentation at `now` against `trust_anchor` (the issuing root).

    Raises a CredentialError subclass naming the first problem. Without `status_list`
    the result says `revocation_checked=False`; callers decide whether that is enough.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    presentation = decode_presentation(data)
    _check_issuer(presentation, trust_anchor, now)
    values = _check_elements(presentation, requested)
    tbs = presentation.credential.tbs
    if status_list is not None:
        _check_status(tbs.status, status_list, trust_anchor, now)
    if device_binding is not None:
        device_binding(tbs.device_public_key)
    return VerifiedPresentation(
        elements=values,
        device_public_key=tbs.device_public_key,
        document_signer=presentation.credential.chain[0],
        status=tbs.status,
        serial=tbs.serial,
        valid_from=tbs.valid_from,
        valid_until=tbs.valid_until,
        revocation_checked=status_list is not None,
    )


def device_signature_binding(message: bytes, signature: bytes) -> DeviceBinding:
    """A binding hook checking `signature`, r || s (VDC-SM-004), by the device key over
    `message` with ECDSA P-256 and SHA-256 (VDC-CRED-046)."""

    def check(key: ec.EllipticCurvePublicKey) -> None:
        if not verify_raw(key, message, signature):
            raise DeviceBindingError("device signature does not verify")

    return check
