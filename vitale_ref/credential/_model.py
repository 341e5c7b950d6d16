"""The credential's data model: element identifiers and validated value types.

Every value type checks itself on construction (VDC-CRED-020..028), so a decoded value
and an issued value obey the same rules. No medical data has a place here (VDC-CRED-029).
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date

from vitale_ref import nir as nir_module
from vitale_ref.credential._errors import CredentialFormatError

NAME_MAX_CHARACTERS = 64
MAX_RIGHTS_PERIODS = 8
MAX_COMPLEMENTARY = 4
MAX_MINORS = 8


class ElementId(enum.IntEnum):
    """Data element identifiers (VDC-CRED-018); the value is the ASN.1 CHOICE tag."""

    NIR = 1
    FAMILY_NAME = 2
    GIVEN_NAMES = 3
    BIRTH_DATE = 4
    BIRTH_RANK = 5
    QUALITY = 6
    AFFILIATION = 7
    RIGHTS = 8
    COMPLEMENTARY = 9
    MINORS = 10

    @property
    def short_name(self) -> str:
        """The stable short name used in JSON and on the command line."""
        return self.name.lower()

    @classmethod
    def from_name(cls, name: str) -> ElementId:
        try:
            return cls[name.upper()]
        except KeyError:
            raise CredentialFormatError(f"unknown element name {name!r}") from None


MANDATORY_ELEMENTS = frozenset(ElementId) - {ElementId.COMPLEMENTARY, ElementId.MINORS}
"""Elements every credential carries a digest for (VDC-CRED-017)."""

QUALITY_CODES: dict[int, str] = {
    0: "assuré (insured)",
    1: "ascendant, descendant or collateral",
    2: "conjoint (spouse)",
    3: "conjoint divorcé",
    4: "concubin",
    5: "conjoint séparé",
    6: "enfant (child)",
    7: "bénéficiaire hors article 313",
    8: "conjoint veuf",
    9: "autre ayant droit",
}


def check_nir(value: str, what: str) -> str:
    """The one seam to the NIR validator (VDC-CRED-020)."""
    try:
        return nir_module.validate(value)
    except nir_module.NIRError as error:
        raise CredentialFormatError(f"{what}: {error}", requirement="VDC-CRED-020") from None


def check_name(value: str, what: str) -> str:
    """1..64 characters of NFC UTF-8 without control characters or edge spaces."""
    if not 1 <= len(value) <= NAME_MAX_CHARACTERS:
        raise CredentialFormatError(
            f"{what}: {len(value)} characters, 1..{NAME_MAX_CHARACTERS} allowed",
            requirement="VDC-CRED-021",
        )
    # Printable ASCII (U+0020..U+007E) holds no control, format or unassigned character
    # and is always NFC: only other text needs the per-character look-up.
    plain = value.isascii() and value.isprintable()
    if not plain and any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
        raise CredentialFormatError(
            f"{what}: control or unassigned character", requirement="VDC-CRED-021"
        )
    if value != value.strip() or not (plain or unicodedata.is_normalized("NFC", value)):
        raise CredentialFormatError(f"{what}: not trimmed NFC text", requirement="VDC-CRED-021")
    return value


def _digits(value: str, count: int, what: str, requirement: str) -> str:
    if len(value) != count or not value.isascii() or not value.isdigit():
        raise CredentialFormatError(f"{what}: {count} digits required", requirement=requirement)
    return value


def check_birth_date(value: str, what: str = "birth date") -> str:
    """YYYYMMDD; day and month may be 00 or beyond the calendar (lunar dates)."""
    _digits(value, 8, what, "VDC-CRED-022")
    if int(value[:4]) < 1800:
        raise CredentialFormatError(f"{what}: year before 1800", requirement="VDC-CRED-022")
    return value


def is_lunar(birth_date: str) -> bool:
    """Whether a valid birth date is not a real calendar date."""
    try:
        date(int(birth_date[:4]), int(birth_date[4:6]), int(birth_date[6:]))
    except ValueError:
        return True
    return False


def check_calendar_date(value: str, what: str) -> str:
    _digits(value, 8, what, "VDC-CRED-026")
    # VDC-CRED-026 asks for a real calendar date and sets no earliest year (unlike a
    # birth date, VDC-CRED-022).
    if is_lunar(value):
        raise CredentialFormatError(
            f"{what}: {value} is not a calendar date", requirement="VDC-CRED-026"
        )
    return value


def check_range(value: int, low: int, high: int, what: str, requirement: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CredentialFormatError(
            f"{what}: {value!r} outside {low}..{high}", requirement=requirement
        )
    return value


def check_count(items: tuple[object, ...], low: int, high: int, what: str) -> None:
    if not low <= len(items) <= high:
        raise CredentialFormatError(
            f"{what}: {len(items)} items, {low}..{high} allowed", requirement="VDC-CRED-031"
        )


@dataclass(frozen=True, kw_only=True)
class Affiliation:
    """Regime (2 digits), caisse (3) and centre (4) (VDC-CRED-025)."""

    regime: str
    caisse: str
    centre: str

    def __post_init__(self) -> None:
        _digits(self.regime, 2, "regime", "VDC-CRED-025")
        _digits(self.caisse, 3, "caisse", "VDC-CRED-025")
        _digits(self.centre, 4, "centre", "VDC-CRED-025")


@dataclass(frozen=True, kw_only=True)
class RightsPeriod:
    """A period of rights, first and last day included (VDC-CRED-026)."""

    start: str
    end: str

    def __post_init__(self) -> None:
        check_calendar_date(self.start, "period start")
        check_calendar_date(self.end, "period end")
        if self.end < self.start:
            raise CredentialFormatError("period ends before it starts", requirement="VDC-CRED-026")


@dataclass(frozen=True, kw_only=True)
class ComplementaryCover:
    """Complementary insurance (AMC): organisation number and period (VDC-CRED-027)."""

    organisation: str
    period: RightsPeriod

    def __post_init__(self) -> None:
        org = self.organisation
        if not 8 <= len(org) <= 10 or not org.isascii() or not org.isdigit():
            raise CredentialFormatError(
                "AMC organisation: 8 to 10 digits required", requirement="VDC-CRED-027"
            )


@dataclass(frozen=True, kw_only=True)
class Minor:
    """A minor attached to the holder's card (VDC-CRED-028)."""

    nir: str
    family_name: str
    given_names: str
    birth_date: str
    birth_rank: int
    quality: int = 6

    def __post_init__(self) -> None:
        check_nir(self.nir, "minor NIR")
        check_name(self.family_name, "minor family name")
        check_name(self.given_names, "minor given names")
        check_birth_date(self.birth_date, "minor birth date")
        check_range(self.birth_rank, 1, 9, "minor birth rank", "VDC-CRED-023")
        check_range(self.quality, 0, 9, "minor quality", "VDC-CRED-024")


ElementValue = (
    str
    | int
    | Affiliation
    | tuple[RightsPeriod, ...]
    | tuple[ComplementaryCover, ...]
    | tuple[Minor, ...]
)


@dataclass(frozen=True, kw_only=True)
class Beneficiary:
    """The holder's data: the elements a credential is issued over."""

    nir: str
    family_name: str
    given_names: str
    birth_date: str
    birth_rank: int
    quality: int
    affiliation: Affiliation
    rights: tuple[RightsPeriod, ...]
    complementary: tuple[ComplementaryCover, ...] = ()
    minors: tuple[Minor, ...] = ()

    def __post_init__(self) -> None:
        check_nir(self.nir, "NIR")
        check_name(self.family_name, "family name")
        check_name(self.given_names, "given names")
        check_birth_date(self.birth_date)
        check_range(self.birth_rank, 1, 9, "birth rank", "VDC-CRED-023")
        check_range(self.quality, 0, 9, "quality", "VDC-CRED-024")
        check_count(self.rights, 1, MAX_RIGHTS_PERIODS, "rights periods")
        check_count(self.complementary, 0, MAX_COMPLEMENTARY, "complementary covers")
        check_count(self.minors, 0, MAX_MINORS, "minors")

    def elements(self) -> dict[ElementId, ElementValue]:
        """Every element of this beneficiary, in identifier order; empty lists omitted."""
        values: dict[ElementId, ElementValue] = {
            ElementId.NIR: self.nir,
            ElementId.FAMILY_NAME: self.family_name,
            ElementId.GIVEN_NAMES: self.given_names,
            ElementId.BIRTH_DATE: self.birth_date,
            ElementId.BIRTH_RANK: self.birth_rank,
            ElementId.QUALITY: self.quality,
            ElementId.AFFILIATION: self.affiliation,
            ElementId.RIGHTS: self.rights,
        }
        if self.complementary:
            values[ElementId.COMPLEMENTARY] = self.complementary
        if self.minors:
            values[ElementId.MINORS] = self.minors
        return values


def validate_element(element_id: ElementId, value: ElementValue) -> ElementValue:
    """Check a value against its element's rules; return it unchanged."""
    if element_id is ElementId.NIR:
        check_nir(str(value), "NIR")
    elif element_id in (ElementId.FAMILY_NAME, ElementId.GIVEN_NAMES):
        check_name(str(value), element_id.short_name.replace("_", " "))
    elif element_id is ElementId.BIRTH_DATE:
        check_birth_date(str(value))
    elif element_id is ElementId.BIRTH_RANK:
        check_range(value, 1, 9, "birth rank", "VDC-CRED-023")  # type: ignore[arg-type]
    elif element_id is ElementId.QUALITY:
        check_range(value, 0, 9, "quality", "VDC-CRED-024")  # type: ignore[arg-type]
    return value
