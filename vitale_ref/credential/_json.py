"""JSON forms of element values and of a beneficiary description.

Used by the command line (`vitale credential issue | inspect --json`) and by the vector
files, which give expected values in this form. Keys are the elements' short names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vitale_ref.credential._errors import CredentialFormatError
from vitale_ref.credential._model import (
    Affiliation,
    Beneficiary,
    ComplementaryCover,
    ElementId,
    ElementValue,
    Minor,
    RightsPeriod,
)

JsonValue = Any


def _period(period: RightsPeriod) -> dict[str, str]:
    return {"start": period.start, "end": period.end}


def _minor(minor: Minor) -> dict[str, JsonValue]:
    return {
        "nir": minor.nir,
        "family_name": minor.family_name,
        "given_names": minor.given_names,
        "birth_date": minor.birth_date,
        "birth_rank": minor.birth_rank,
        "quality": minor.quality,
    }


def element_to_json(value: ElementValue) -> JsonValue:
    """The JSON form of one element value."""
    if isinstance(value, str | int):
        return value
    if isinstance(value, Affiliation):
        return {"regime": value.regime, "caisse": value.caisse, "centre": value.centre}
    items: list[JsonValue] = []
    for item in value:
        if isinstance(item, RightsPeriod):
            items.append(_period(item))
        elif isinstance(item, ComplementaryCover):
            items.append({"organisation": item.organisation, "period": _period(item.period)})
        else:
            items.append(_minor(item))
    return items


def elements_to_json(elements: Mapping[ElementId, ElementValue]) -> dict[str, JsonValue]:
    return {element_id.short_name: element_to_json(v) for element_id, v in elements.items()}


def _closed(data: object, keys: set[str], optional: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise CredentialFormatError(f"{what}: expected a JSON object")
    unknown = set(data) - keys - optional
    missing = keys - set(data)
    if unknown or missing:
        problem = (
            f"unknown key {sorted(unknown)[0]!r}" if unknown else f"missing {sorted(missing)[0]!r}"
        )
        raise CredentialFormatError(f"{what}: {problem}")
    return data


def _typed(value: object, kind: type, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise CredentialFormatError(f"{what}: expected a {kind.__name__}")
    return value


def _period_from(data: object, what: str) -> RightsPeriod:
    obj = _closed(data, {"start", "end"}, set(), what)
    return RightsPeriod(start=_typed(obj["start"], str, what), end=_typed(obj["end"], str, what))


def _list(data: object, what: str) -> list[object]:
    return list(_typed(data, list, what))


def _minor_from(data: object, what: str) -> Minor:
    keys = {"nir", "family_name", "given_names", "birth_date", "birth_rank"}
    obj = _closed(data, keys, {"quality"}, what)
    return Minor(
        nir=_typed(obj["nir"], str, f"{what}.nir"),
        family_name=_typed(obj["family_name"], str, f"{what}.family_name"),
        given_names=_typed(obj["given_names"], str, f"{what}.given_names"),
        birth_date=_typed(obj["birth_date"], str, f"{what}.birth_date"),
        birth_rank=_typed(obj["birth_rank"], int, f"{what}.birth_rank"),
        quality=_typed(obj.get("quality", 6), int, f"{what}.quality"),
    )


def beneficiary_from_json(data: object) -> Beneficiary:
    """A Beneficiary from its JSON description (keys are element short names)."""
    required = {e.short_name for e in ElementId} - {"complementary", "minors"}
    obj = _closed(data, required, {"complementary", "minors"}, "beneficiary")
    aff = _closed(obj["affiliation"], {"regime", "caisse", "centre"}, set(), "affiliation")
    covers = []
    for n, item in enumerate(_list(obj.get("complementary", []), "complementary")):
        cover = _closed(item, {"organisation", "period"}, set(), f"complementary[{n}]")
        covers.append(
            ComplementaryCover(
                organisation=_typed(cover["organisation"], str, f"complementary[{n}]"),
                period=_period_from(cover["period"], f"complementary[{n}].period"),
            )
        )
    return Beneficiary(
        nir=_typed(obj["nir"], str, "nir"),
        family_name=_typed(obj["family_name"], str, "family_name"),
        given_names=_typed(obj["given_names"], str, "given_names"),
        birth_date=_typed(obj["birth_date"], str, "birth_date"),
        birth_rank=_typed(obj["birth_rank"], int, "birth_rank"),
        quality=_typed(obj["quality"], int, "quality"),
        affiliation=Affiliation(
            regime=_typed(aff["regime"], str, "regime"),
            caisse=_typed(aff["caisse"], str, "caisse"),
            centre=_typed(aff["centre"], str, "centre"),
        ),
        rights=tuple(
            _period_from(p, f"rights[{n}]") for n, p in enumerate(_list(obj["rights"], "rights"))
        ),
        complementary=tuple(covers),
        minors=tuple(
            _minor_from(m, f"minors[{n}]")
            for n, m in enumerate(_list(obj.get("minors", []), "minors"))
        ),
    )


def beneficiary_to_json(beneficiary: Beneficiary) -> dict[str, JsonValue]:
    return elements_to_json(beneficiary.elements())
