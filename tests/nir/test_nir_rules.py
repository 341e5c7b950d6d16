"""Exact reasons and the order of the NIR checks (VDC-NIR-001..017, 019)."""

from __future__ import annotations

import pytest

from vitale_ref import nir
from vitale_ref.errors import VitaleError

VALID = "185057800608491"  # synthetic


@pytest.mark.parametrize(
    ("number", "kind", "message", "requirement"),
    [
        ("", nir.InvalidLength, "empty: a NIR has 15 characters", "VDC-NIR-001"),
        (
            VALID[:13],
            nir.InvalidLength,
            "13 characters: the 2-digit key is missing (a NIR has 15)",
            "VDC-NIR-001",
        ),
        (VALID + "1", nir.InvalidLength, "16 characters: a NIR has 15", "VDC-NIR-001"),
        (
            "1" * 33,
            nir.InvalidLength,
            "33 characters: a NIR has 15 (input longer than 32 is refused unread)",
            "VDC-NIR-004",
        ),
        (
            VALID[:5] + "-" + VALID[5:],
            nir.InvalidFormat,
            "separator '-' at position 6: write the NIR without separators",
            "VDC-NIR-003",
        ),
        (
            VALID + "\t",
            nir.InvalidFormat,
            "separator U+0009 at position 16: write the NIR without separators",
            "VDC-NIR-003",
        ),
        (
            "185052b12345660",
            nir.InvalidFormat,
            "lower-case 'b' at position 7: write 2A and 2B in upper case",
            "VDC-NIR-003",
        ),
        (
            "\uff11" + VALID[1:],
            nir.InvalidFormat,
            "non-ASCII digit U+FF11 at position 1: only the digits 0-9 are allowed",
            "VDC-NIR-003",
        ),
        (
            VALID[:14] + "\U0001f600",
            nir.InvalidFormat,
            "character U+1F600 at position 15 is not a digit",
            "VDC-NIR-002",
        ),
        (
            "185053A12345633",
            nir.InvalidFormat,
            "letter 'A' at position 7: only the Corsican departments 2A and 2B contain a letter",
            "VDC-NIR-002",
        ),
        (
            "385057800608491",
            nir.InvalidComponent,
            "sex 3 (position 1) marks a provisional number, not a registered NIR",
            "VDC-NIR-007",
        ),
        (
            "585057800608491",
            nir.InvalidComponent,
            "sex 5 (position 1) is not 1 or 2",
            "VDC-NIR-006",
        ),
        (
            "185437800608491",
            nir.InvalidComponent,
            "month 43 (positions 4-5) is not 01-12, 20-42 or 50-99",
            "VDC-NIR-009",
        ),
        (
            "185059600608491",
            nir.InvalidComponent,
            "department 96 (positions 6-7) is not 01-95, 2A, 2B, 97, 98 or 99",
            "VDC-NIR-010",
        ),
        (
            "185057800008491",
            nir.InvalidComponent,
            "commune 000 (positions 8-10) is not 001-999",
            "VDC-NIR-011",
        ),
        (
            "185059740008491",
            nir.InvalidComponent,
            "commune 00 (positions 9-10) of overseas code 974 is not 01-99",
            "VDC-NIR-012",
        ),
        (
            "185059960008491",
            nir.InvalidComponent,
            "country code 600 (positions 8-10) is not 100-599",
            "VDC-NIR-013",
        ),
        (
            "185057800600091",
            nir.InvalidComponent,
            "order number 000 (positions 11-13) is not 001-999",
            "VDC-NIR-014",
        ),
        (
            "185057800608498",
            nir.InvalidComponent,
            "key 98 (positions 14-15) is not 01-97",
            "VDC-NIR-015",
        ),
        (
            "185057800608492",
            nir.InvalidChecksum,
            "key 92 (positions 14-15) does not match positions 1-13",
            "VDC-NIR-016",
        ),
    ],
)
def test_reason(number: str, kind: type[nir.NIRError], message: str, requirement: str) -> None:
    """VDC-NIR-017: one error kind, an exact one-line ASCII reason naming the position."""
    with pytest.raises(kind) as caught:
        nir.validate(number)
    assert type(caught.value) is kind
    assert str(caught.value) == caught.value.message == message
    assert caught.value.requirement == requirement
    assert message.isascii() and message.isprintable()


@pytest.mark.parametrize(
    ("number", "kind", "requirement"),
    [
        ("\U0001f600" * 33, nir.InvalidLength, "VDC-NIR-004"),  # bound before characters
        ("1 2", nir.InvalidFormat, "VDC-NIR-003"),  # characters before length
        ("A85057800608491", nir.InvalidFormat, "VDC-NIR-002"),  # letters before components
        ("000000000000000", nir.InvalidComponent, "VDC-NIR-006"),  # sex first
        ("100000000000000", nir.InvalidComponent, "VDC-NIR-009"),  # then month
        ("101010000000000", nir.InvalidComponent, "VDC-NIR-010"),  # then place
        ("101010100000000", nir.InvalidComponent, "VDC-NIR-011"),
        ("101010100100000", nir.InvalidComponent, "VDC-NIR-014"),  # then order
        ("101010100100100", nir.InvalidComponent, "VDC-NIR-015"),  # then key range
        ("101010100100101", nir.InvalidChecksum, "VDC-NIR-016"),  # the key last
    ],
)
def test_order_of_checks(number: str, kind: type[nir.NIRError], requirement: str) -> None:
    """VDC-NIR-005: the first failing check, in the fixed order, gives the error."""
    with pytest.raises(kind) as caught:
        nir.validate(number)
    assert caught.value.requirement == requirement


def test_key_reads_corsica_as_19_and_18() -> None:
    """VDC-NIR-016: 2A is read as 19, 2B as 18."""
    assert nir.calc_key("185052A123456") == f"{97 - 1850519123456 % 97:02d}"
    assert nir.calc_key("185052B123456") == f"{97 - 1850518123456 % 97:02d}"
    with pytest.raises(nir.InvalidFormat, match="13 characters"):
        nir.calc_key("18505780060")


def test_compact_tidies_only_when_asked() -> None:
    """VDC-NIR-019: compact removes separators and upper-cases a/b, without validating."""
    assert nir.compact(" 1.85.05-2a 123 456 33\n") == "185052A12345633"
    assert nir.compact("12") == "12"
    assert nir.compact("2c") == "2c"
    with pytest.raises(nir.InvalidLength) as caught:
        nir.compact(" " * 33)
    assert caught.value.requirement == "VDC-NIR-004"


def test_non_text_is_a_format_error() -> None:
    """VDC-NIR-017: even a wrongly typed argument gives a typed error."""
    with pytest.raises(nir.InvalidFormat, match="a NIR is text, not bytes"):
        nir.validate(b"185057800608491")  # type: ignore[arg-type]
    assert nir.is_valid(None) is False  # type: ignore[arg-type]


def test_error_family() -> None:
    """Every NIR error is a VitaleError and a ValueError, with a component when relevant."""
    for kind in (nir.InvalidFormat, nir.InvalidLength, nir.InvalidComponent, nir.InvalidChecksum):
        assert issubclass(kind, nir.NIRError)
    assert issubclass(nir.NIRError, VitaleError)
    assert issubclass(nir.NIRError, ValueError)
    with pytest.raises(nir.InvalidComponent) as component:
        nir.validate("085057800608444")  # synthetic, right key, unused sex digit 0
    assert component.value.component == "sex"
    with pytest.raises(nir.InvalidChecksum) as checksum:
        nir.validate("185057800608492")
    assert checksum.value.component is None
