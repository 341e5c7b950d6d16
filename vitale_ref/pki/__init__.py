"""VDC-PKI: the certificate profile, the test PKI and path validation.

Public surface: `generate_test_pki(seed)` builds every role deterministically;
`validate_chain(...)` checks a path for a `Purpose`; `reader_authorisation(cert)` reads
what a reader certificate allows; errors derive from `PKIError`.
"""

from vitale_ref.pki._authorisation import (
    PROFESSIONS,
    ReaderAuthorisation,
    reader_authorisation,
    rpps_is_valid,
)
from vitale_ref.pki._build import CertificateTemplate, build_certificate, serial_number
from vitale_ref.pki._cache import CacheKey, ValidationCache, der_of
from vitale_ref.pki._chain import check_profile, load_certificate, validate_chain
from vitale_ref.pki._errors import (
    MALFORMED_NAME,
    AlgorithmError,
    AuthorisationError,
    BasicConstraintsError,
    CertificateFormatError,
    CriticalExtensionError,
    KeyUsageError,
    PathError,
    PKIError,
    SignatureError,
    ValidityError,
)
from vitale_ref.pki._profile import (
    ID_KP_DOCUMENT_SIGNING,
    ID_KP_READER_AUTHENTICATION,
    ID_KP_STATUS_LIST_SIGNING,
    ID_READER_AUTHORISATION,
    VDC_ARC,
    Purpose,
)
from vitale_ref.pki._testpki import TEST_NOW, Entity, TestPKI, generate_test_pki

__all__ = [
    "ID_KP_DOCUMENT_SIGNING",
    "ID_KP_READER_AUTHENTICATION",
    "ID_KP_STATUS_LIST_SIGNING",
    "ID_READER_AUTHORISATION",
    "MALFORMED_NAME",
    "PROFESSIONS",
    "TEST_NOW",
    "VDC_ARC",
    "AlgorithmError",
    "AuthorisationError",
    "BasicConstraintsError",
    "CacheKey",
    "CertificateFormatError",
    "CertificateTemplate",
    "CriticalExtensionError",
    "Entity",
    "KeyUsageError",
    "PKIError",
    "PathError",
    "Purpose",
    "ReaderAuthorisation",
    "SignatureError",
    "TestPKI",
    "ValidationCache",
    "ValidityError",
    "build_certificate",
    "check_profile",
    "der_of",
    "generate_test_pki",
    "load_certificate",
    "reader_authorisation",
    "rpps_is_valid",
    "serial_number",
    "validate_chain",
]
