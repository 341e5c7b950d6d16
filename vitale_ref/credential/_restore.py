"""Rebuilding the holder's `IssuedCredential` from its stored full presentation.

The holder app keeps what the issuer delivered: the credential with every element and
its salt (`IssuedCredential.full_presentation()`). Reading it back is strict: the DER
rules and field constraints of a presentation (VDC-CRED-030, VDC-CRED-031), elements
in identifier order (VDC-CRED-016), each element covered by a digest (VDC-CRED-044)
that matches it (VDC-CRED-045), and every digest of the credential matched by a stored
element, since the holder must be able to disclose any of them (VDC-CRED-015,
VDC-CRED-017). The issuer signature is not checked here: that is the reader's job
against its trust anchor (VDC-CRED-040).
"""

from __future__ import annotations

from vitale_ref.credential._errors import (
    DigestMismatchError,
    DisclosureError,
    MissingElementError,
)
from vitale_ref.credential._issue import IssuedCredential, IssuedElement
from vitale_ref.credential._model import ElementId
from vitale_ref.credential._structure import decode_presentation


def restore_issued(data: bytes) -> IssuedCredential:
    """The `IssuedCredential` whose `full_presentation()` is `data`, or a CredentialError.

    >>> restore_issued(b"\\x30\\x00")
    Traceback (most recent call last):
    ...
    vitale_ref.credential._errors.CredentialEncodingError: Presentation.credential: missing
    """
    presentation = decode_presentation(data)
    tbs = presentation.credential.tbs
    digests = dict(tbs.digests)
    elements: dict[ElementId, IssuedElement] = {}
    for disclosed in presentation.disclosed:
        name = disclosed.element_id.short_name
        expected = digests.get(disclosed.element_id)
        if expected is None:
            raise DisclosureError(f"stored {name} has no digest in the credential")
        if disclosed.digest != expected:
            raise DigestMismatchError(f"stored {name} does not match its digest")
        elements[disclosed.element_id] = IssuedElement(
            disclosed.element_id, disclosed.value, disclosed.salt, disclosed.encoding
        )
    absent = [element_id.short_name for element_id in digests if element_id not in elements]
    if absent:
        raise MissingElementError(
            f"stored credential lacks {', '.join(absent)}", requirement="VDC-CRED-015"
        )
    return IssuedCredential(presentation.credential.encoding, elements, tbs.status, tbs.serial)
