"""The personal code (VDC-PIN): choice policy, Argon2id verifier, try counter outcome.

The persistent try counter itself lives in the holder device store
(`vitale_ref.device`), which applies these rules inside SQLite transactions.
"""

from vitale_ref.pin._birthdate import FORM_NAMES, birth_date_forms
from vitale_ref.pin._blocklist import blocklist
from vitale_ref.pin._counter import (
    CODE_TRANSITIONS,
    MAX_TRIES,
    PRESENTATION_WINDOW,
    SW_BLOCKED,
    SW_SUCCESS,
    SW_WRONG_BASE,
    CodeState,
    UnlockOutcome,
    UnlockResult,
)
from vitale_ref.pin._errors import (
    BirthDateError,
    PinError,
    PinFormatError,
    PinMismatchError,
    VerifierParametersError,
    WeakPinError,
)
from vitale_ref.pin._policy import (
    CODE_LENGTH,
    check_personal_code,
    confirm_personal_code,
    is_acceptable,
    is_well_formed,
    structural_refusal,
)
from vitale_ref.pin._verifier import (
    DEFAULT_PARAMETERS,
    SALT_LENGTH,
    TEST_ONLY_PARAMETERS,
    PinVerifier,
    VerifierParameters,
)

__all__ = [
    "CODE_LENGTH",
    "CODE_TRANSITIONS",
    "DEFAULT_PARAMETERS",
    "FORM_NAMES",
    "MAX_TRIES",
    "PRESENTATION_WINDOW",
    "SALT_LENGTH",
    "SW_BLOCKED",
    "SW_SUCCESS",
    "SW_WRONG_BASE",
    "TEST_ONLY_PARAMETERS",
    "BirthDateError",
    "CodeState",
    "PinError",
    "PinFormatError",
    "PinMismatchError",
    "PinVerifier",
    "UnlockOutcome",
    "UnlockResult",
    "VerifierParameters",
    "VerifierParametersError",
    "WeakPinError",
    "birth_date_forms",
    "blocklist",
    "check_personal_code",
    "confirm_personal_code",
    "is_acceptable",
    "is_well_formed",
    "structural_refusal",
]
