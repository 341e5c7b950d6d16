"""The e-mailed one-time code of the identity-document route (VDC-OTP)."""

from vitale_ref.otp._code import (
    DEFAULT_POLICY,
    OtpPolicy,
    OtpReason,
    OtpRefusedError,
    OtpResult,
    OtpState,
    check_code,
    code_mac,
    draw_code,
    issue_code,
    validate_code_format,
)

__all__ = [
    "DEFAULT_POLICY",
    "OtpPolicy",
    "OtpReason",
    "OtpRefusedError",
    "OtpResult",
    "OtpState",
    "check_code",
    "code_mac",
    "draw_code",
    "issue_code",
    "validate_code_format",
]
