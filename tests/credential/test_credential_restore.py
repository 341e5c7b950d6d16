"""The holder's stored full presentation back to an IssuedCredential.

Verifies VDC-CRED-015, VDC-CRED-016, VDC-CRED-030, VDC-CRED-044 and VDC-CRED-045 as
`restore_issued` applies them to the holder's stored form.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.credential import (
    CredentialEncodingError,
    CredentialError,
    DigestMismatchError,
    ElementId,
    ElementOrderError,
    IssuedCredential,
    MissingElementError,
    restore_issued,
)
from vitale_ref.credential._elements import encode_disclosed
from vitale_ref.credential._structure import encode_presentation
from vitale_ref.credential.samples import issue_typical


@cache
def _issued() -> IssuedCredential:
    return issue_typical("credential-restore").issued


def _with(encodings: list[bytes]) -> bytes:
    return encode_presentation(_issued().credential, encodings)


def test_round_trip_gives_the_same_credential() -> None:
    """Restoring the stored form gives back every element, salt and the status reference."""
    issued = _issued()
    stored = issued.full_presentation()
    restored = restore_issued(stored)
    assert restored == issued
    assert restored.full_presentation() == stored
    assert restored.presentation([1, 2, 4]) == issued.presentation([1, 2, 4])


def test_an_element_left_out_is_refused() -> None:
    """VDC-CRED-015: every signed digest needs its element, or the holder cannot disclose it."""
    issued = _issued()
    kept = [e.encoding for i, e in issued.elements.items() if i is not ElementId.MINORS]
    with pytest.raises(MissingElementError, match=r"^stored credential lacks minors$") as caught:
        restore_issued(_with(kept))
    assert caught.value.requirement == "VDC-CRED-015"


def test_an_element_with_another_salt_is_refused() -> None:
    """VDC-CRED-045: an element whose salted digest differs from the signed one."""
    issued = _issued()
    encodings = [e.encoding for e in issued.elements.values()]
    family = issued.elements[ElementId.FAMILY_NAME]
    encodings[1] = encode_disclosed(family.element_id, family.value, bytes(16))
    message = r"^stored family_name does not match its digest$"
    with pytest.raises(DigestMismatchError, match=message):
        restore_issued(_with(encodings))


def test_elements_out_of_order_are_refused() -> None:
    """VDC-CRED-016: the stored elements are in identifier order."""
    encodings = [e.encoding for e in _issued().elements.values()]
    encodings[0], encodings[1] = encodings[1], encodings[0]
    with pytest.raises(ElementOrderError, match="duplicated or out of order"):
        restore_issued(_with(encodings))


def test_trailing_bytes_and_non_bytes_are_refused() -> None:
    """VDC-CRED-030: strict DER; the input must be bytes."""
    stored = _issued().full_presentation()
    with pytest.raises(CredentialEncodingError, match="trailing"):
        restore_issued(stored + b"\x00")
    with pytest.raises(CredentialEncodingError, match=r"^Presentation: expected bytes$"):
        restore_issued("30 00")  # type: ignore[arg-type]


def test_a_certificate_with_an_unknown_version_is_an_encoding_error() -> None:
    """VDC-CRED-030: a signer certificate of X.509 version 4 is refused as not DER.

    Regression: the certificate parser's InvalidVersion is no ValueError and escaped.
    """
    stored = _issued().full_presentation()
    signer = stored.index(issue_typical("credential-restore").pki.document_signer.der)
    version = stored.index(b"\xa0\x03\x02\x01\x02", signer)
    damaged = bytearray(stored)
    damaged[version + 4] = 3
    with pytest.raises(CredentialEncodingError, match=r"^chain\[0\]: not a DER certificate$"):
        restore_issued(bytes(damaged))


@pytest.mark.filterwarnings("ignore:Parsed a serial number")
@given(st.data())
def test_any_truncation_or_byte_flip_is_a_credential_error(data: st.DataObject) -> None:
    """Damaged stored bytes never give a credential and never escape as another error."""
    stored = _issued().full_presentation()
    cut = data.draw(st.integers(0, len(stored) - 1))
    flip = data.draw(st.integers(0, len(stored) - 1))
    damaged = bytearray(stored)
    damaged[flip] ^= data.draw(st.integers(1, 255))
    with pytest.raises(CredentialError):
        restore_issued(stored[:cut])
    try:
        restored = restore_issued(bytes(damaged))
    except CredentialError:
        return
    # A flip inside the signature or a certificate is structurally fine; the reader's
    # signature check catches it (VDC-CRED-042). The elements stay those signed.
    assert restored.elements == _issued().elements
