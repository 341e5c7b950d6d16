"""The NIR check of the enrolment service (VDC-ENR-010), delegated to `vitale_ref.nir`.

What the person typed is tidied with `nir.compact` (spaces removed, as an app would)
and then validated strictly; any refusal becomes `NIR_INVALID` naming the problem.
"""

from __future__ import annotations

from vitale_ref import nir
from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason


def canonical_nir(text: str) -> str:
    """The NIR as 15 characters without spaces, or EnrolmentRefusedError(NIR_INVALID)."""
    try:
        return nir.validate(nir.compact(text))
    except nir.NIRError as error:
        raise EnrolmentRefusedError(Reason.NIR_INVALID, f"the NIR is not valid: {error}") from None
