"""Errors of the personal-code area (VDC-PIN)."""

from __future__ import annotations

from vitale_ref.errors import VitaleError


class PinError(VitaleError):
    """Base of every personal-code error; `requirement` names the rule involved."""

    requirement: str | None = None

    def __init__(self, message: str, *, requirement: str | None = None) -> None:
        super().__init__(message)
        if requirement is not None:
            self.requirement = requirement


class WeakPinError(PinError, ValueError):
    """The chosen personal code is refused by the policy (VDC-PIN-002..007).

    `requirement` is the identifier of the refusing rule and `rule` its short name.
    """

    def __init__(self, message: str, *, requirement: str, rule: str) -> None:
        super().__init__(message, requirement=requirement)
        self.rule = rule


class PinFormatError(WeakPinError):
    """The code is not exactly six ASCII digits (VDC-PIN-001); at unlock, status 6A80."""

    status_word = 0x6A80

    def __init__(self, message: str) -> None:
        super().__init__(message, requirement="VDC-PIN-001", rule="format")


class PinMismatchError(PinError, ValueError):
    """The two entries of the code at setup differ (VDC-PIN-008)."""

    def __init__(self) -> None:
        super().__init__("the two entries of the personal code differ", requirement="VDC-PIN-008")


class BirthDateError(PinError, ValueError):
    """The birth date given to the policy is not eight ASCII digits (VDC-PIN-006)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, requirement="VDC-PIN-006")


class VerifierParametersError(PinError, ValueError):
    """Argon2id parameters outside the accepted range (VDC-PIN-010)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, requirement="VDC-PIN-010")
