"""The name check's printable-ASCII shortcut refuses exactly what the full rule refuses
(VDC-CRED-021)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.credential import CredentialFormatError
from vitale_ref.credential._model import NAME_MAX_CHARACTERS, check_name


def _full_rule(value: str) -> bool:
    """VDC-CRED-021 written out character by character, without any shortcut."""
    return (
        1 <= len(value) <= NAME_MAX_CHARACTERS
        and not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value)
        and value == value.strip()
        and unicodedata.is_normalized("NFC", value)
    )


@given(st.text(alphabet=st.characters(max_codepoint=0x36F), max_size=70))
def test_credential_name_check_matches_the_full_rule(value: str) -> None:
    """VDC-CRED-021: accepted if and only if the full rule accepts."""
    try:
        accepted = check_name(value, "name") == value
    except CredentialFormatError:
        accepted = False
    assert accepted == _full_rule(value)
