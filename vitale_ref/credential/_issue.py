"""Issuance and selective disclosure (VDC-CRED-010..019, VDC-CRED-060).

The issuer draws a fresh 16-byte salt per element from the injected random source,
hashes each DisclosedElement, signs the TBS with a document signer, and hands the holder
the credential with every element and salt. The holder builds presentations holding
only the requested elements (VDC-CRED-060).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.credential._elements import SALT_LENGTH, digest, encode_disclosed
from vitale_ref.credential._errors import CredentialFormatError, MissingElementError
from vitale_ref.credential._model import Beneficiary, ElementId, ElementValue
from vitale_ref.credential._structure import (
    VERSION,
    CredentialTBS,
    StatusReference,
    encode_credential,
    encode_presentation,
)
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import Entity
from vitale_ref.randomness import RandomSource


@dataclass(frozen=True)
class IssuedElement:
    """One element as the holder keeps it: value, salt and its DisclosedElement DER."""

    element_id: ElementId
    value: ElementValue
    salt: bytes
    encoding: bytes


@dataclass(frozen=True)
class IssuedCredential:
    """What the issuer gives the holder: the signed credential and every element."""

    credential: bytes
    elements: Mapping[ElementId, IssuedElement]
    status: StatusReference
    serial: bytes

    def presentation(self, requested: Iterable[int]) -> bytes:
        return build_presentation(self, requested)

    def full_presentation(self) -> bytes:
        """A presentation disclosing every element (the holder's stored form)."""
        return build_presentation(self, list(self.elements))


def issue_credential(
    beneficiary: Beneficiary,
    *,
    signer: Entity,
    device_public_key: ec.EllipticCurvePublicKey,
    valid_from: datetime,
    valid_until: datetime,
    status: StatusReference,
    random: RandomSource,
    intermediates: Sequence[x509.Certificate] = (),
) -> IssuedCredential:
    """Sign a credential over `beneficiary`'s elements, bound to `device_public_key`."""
    if valid_until <= valid_from or valid_from.tzinfo is None:
        raise CredentialFormatError("validity must be aware datetimes, until after from")
    signer_expiry = signer.certificate.not_valid_after_utc
    if valid_until > signer_expiry:
        # VDC-PKI-012: the reference issuer never lets a credential outlive its signer.
        raise CredentialFormatError(
            f"the credential would outlive its document signer ({signer_expiry:%Y-%m-%d})",
            requirement="VDC-PKI-012",
        )
    if not isinstance(device_public_key, ec.EllipticCurvePublicKey) or (
        device_public_key.curve.name != "secp256r1"
    ):
        raise CredentialFormatError("the device key must be a P-256 public key")
    serial = random(16)
    elements: dict[ElementId, IssuedElement] = {}
    for element_id, value in beneficiary.elements().items():
        salt = random(SALT_LENGTH)
        encoding = encode_disclosed(element_id, value, salt)
        elements[element_id] = IssuedElement(element_id, value, salt, encoding)
    tbs = CredentialTBS(
        version=VERSION,
        serial=serial,
        valid_from=valid_from.replace(microsecond=0),
        valid_until=valid_until.replace(microsecond=0),
        device_public_key=device_public_key,
        status=status,
        digests=tuple((i, digest(e.encoding)) for i, e in elements.items()),
    )
    tbs_der = tbs.encode()
    chain = [signer.certificate, *intermediates]
    credential = encode_credential(
        tbs_der,
        sign_raw(signer.private_key, tbs_der),
        [c.public_bytes(serialization.Encoding.DER) for c in chain],
    )
    return IssuedCredential(credential, elements, status, serial)


def build_presentation(issued: IssuedCredential, requested_ids: Iterable[int]) -> bytes:
    """The credential plus exactly the requested elements, in identifier order."""
    ids = {int(i) for i in requested_ids}  # read once: the argument may be an iterator
    wanted = sorted(ElementId(i) for i in ids if i in ElementId._value2member_map_)
    unknown = ids - set(ElementId._value2member_map_)
    if unknown:
        raise MissingElementError(f"unknown element id(s) {sorted(unknown)}")
    absent = [i.short_name for i in wanted if i not in issued.elements]
    if absent:
        raise MissingElementError(f"the credential holds no {', '.join(absent)}")
    return encode_presentation(issued.credential, [issued.elements[i].encoding for i in wanted])
