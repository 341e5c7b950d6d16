"""VDC-CRED: the credential, selective disclosure, verification and the status list.

Issuer: `issue_credential(...)` -> `IssuedCredential`. Holder: `build_presentation(issued,
ids)`. Reader: `verify_presentation(data, trust_anchor=..., now=...)` ->
`VerifiedPresentation`, or a `CredentialError` subclass. The holder's stored form back to an
`IssuedCredential`: `restore_issued(full_presentation)`. Revocation: `StatusList`,
`sign_status_list`, `verify_status_list`. Synthetic holders: `vitale_ref.credential.samples`.
"""

from vitale_ref.credential._compact import (
    CompactPresentation,
    compact,
    decode_compact,
    remembered_compact,
    signer_reference,
)
from vitale_ref.credential._elements import DisclosedElement
from vitale_ref.credential._errors import (
    CertificateChainError,
    CredentialEncodingError,
    CredentialError,
    CredentialExpiredError,
    CredentialFormatError,
    CredentialNotYetValidError,
    CredentialRevokedError,
    CredentialValidityError,
    DeviceBindingError,
    DeviceKeyError,
    DigestMismatchError,
    DisclosureError,
    ElementOrderError,
    IssuerSignatureError,
    MissingElementError,
    StatusListError,
    UnsupportedAlgorithmError,
    UnsupportedVersionError,
)
from vitale_ref.credential._inspect import element_lines
from vitale_ref.credential._issue import (
    IssuedCredential,
    IssuedElement,
    build_presentation,
    issue_credential,
)
from vitale_ref.credential._json import (
    beneficiary_from_json,
    beneficiary_to_json,
    element_to_json,
    elements_to_json,
)
from vitale_ref.credential._model import (
    MANDATORY_ELEMENTS,
    QUALITY_CODES,
    Affiliation,
    Beneficiary,
    ComplementaryCover,
    ElementId,
    ElementValue,
    Minor,
    RightsPeriod,
    is_lunar,
)
from vitale_ref.credential._restore import restore_issued
from vitale_ref.credential._status import (
    SignedStatusList,
    StatusList,
    decode_status_list,
    sign_status_list,
    verify_status_list,
)
from vitale_ref.credential._structure import (
    Credential,
    CredentialTBS,
    Presentation,
    StatusReference,
    decode_credential,
    decode_presentation,
    forget_decodings,
)
from vitale_ref.credential._verify import (
    DeviceBinding,
    VerifiedPresentation,
    device_signature_binding,
    verify_presentation,
)

__all__ = [
    "MANDATORY_ELEMENTS",
    "QUALITY_CODES",
    "Affiliation",
    "Beneficiary",
    "CertificateChainError",
    "CompactPresentation",
    "ComplementaryCover",
    "Credential",
    "CredentialEncodingError",
    "CredentialError",
    "CredentialExpiredError",
    "CredentialFormatError",
    "CredentialNotYetValidError",
    "CredentialRevokedError",
    "CredentialTBS",
    "CredentialValidityError",
    "DeviceBinding",
    "DeviceBindingError",
    "DeviceKeyError",
    "DigestMismatchError",
    "DisclosedElement",
    "DisclosureError",
    "ElementId",
    "ElementOrderError",
    "ElementValue",
    "IssuedCredential",
    "IssuedElement",
    "IssuerSignatureError",
    "Minor",
    "MissingElementError",
    "Presentation",
    "RightsPeriod",
    "SignedStatusList",
    "StatusList",
    "StatusListError",
    "StatusReference",
    "UnsupportedAlgorithmError",
    "UnsupportedVersionError",
    "VerifiedPresentation",
    "beneficiary_from_json",
    "beneficiary_to_json",
    "build_presentation",
    "compact",
    "decode_compact",
    "decode_credential",
    "decode_presentation",
    "decode_status_list",
    "device_signature_binding",
    "element_lines",
    "element_to_json",
    "elements_to_json",
    "forget_decodings",
    "is_lunar",
    "issue_credential",
    "remembered_compact",
    "restore_issued",
    "sign_status_list",
    "signer_reference",
    "verify_presentation",
    "verify_status_list",
]
