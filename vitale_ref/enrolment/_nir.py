"""The NIR check the enrolment service relies on (VDC-ENR-010).

It delegates to `vitale_ref.nir.validate` when that module is present; otherwise a
minimal check of the format and the key (97 minus the number modulo 97, with 2A/2B
read as 19/18) stands in, so the seam stays one function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason
from vitale_ref.errors import VitaleError


def _minimal_validate(text: str) -> str:
    compact = text.replace(" ", "").upper()
    if len(compact) != 15:
        raise ValueError("a NIR has 13 characters and a 2-digit key")
    body, key = compact[:13], compact[13:]
    numeric = body.replace("2A", "19", 1) if body[5:7] == "2A" else body
    numeric = numeric.replace("2B", "18", 1) if body[5:7] == "2B" else numeric
    if not (numeric.isdigit() and key.isdigit()):
        raise ValueError("a NIR is made of digits (2A/2B for Corsica)")
    if 97 - int(numeric) % 97 != int(key):
        raise ValueError("the key does not match the number")
    return compact


def _validator() -> Callable[[str], object]:
    try:
        module = importlib.import_module("vitale_ref.nir")
    except ImportError:
        return _minimal_validate
    validate: Callable[[str], object] | None = getattr(module, "validate", None)
    return validate if validate is not None else _minimal_validate


def canonical_nir(text: str) -> str:
    """The NIR as 15 characters without spaces, or EnrolmentRefusedError(NIR_INVALID)."""
    try:
        _validator()(text)
        return _minimal_validate(text)
    except (VitaleError, ValueError) as error:
        raise EnrolmentRefusedError(Reason.NIR_INVALID, f"the NIR is not valid ({error})") from None
