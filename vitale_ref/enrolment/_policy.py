"""Eligibility policy as dated data (VDC-ENR-011): which rule is in force on a given day.

The policy is loaded from `eligibility.json`, shipped next to this module. Every rule
carries the date it takes effect; `EligibilityPolicy.on(day)` answers with the rules in
force that day, so the roll-out of the document route department by department is a
table, not a constant. The shipped roll-out is illustrative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from vitale_ref.enrolment._states import Route


@dataclass(frozen=True, kw_only=True)
class Document:
    """An accepted identity document and the sides its video must show (VDC-ENR-033)."""

    id: str
    label: str
    route: Route
    sides: tuple[str, ...]
    effective: date


@dataclass(frozen=True, kw_only=True)
class RulesOnDay:
    """The policy in force on one day."""

    day: date
    minimum_age: int
    modern_id_card_from: date
    os_minimum: dict[Route, dict[str, int]]
    routes_open: frozenset[Route]
    documents: dict[str, Document]
    departments: frozenset[str] | None
    """Departments open for the document route; None means every department."""

    def documents_for(self, route: Route) -> list[Document]:
        return [d for d in self.documents.values() if d.route == route]

    def department_open(self, department: str) -> bool:
        return self.departments is None or department in self.departments


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _latest(rows: list[dict[str, Any]], day: date) -> dict[str, Any] | None:
    in_force = [row for row in rows if _day(row["effective"]) <= day]
    return max(in_force, key=lambda row: row["effective"]) if in_force else None


@dataclass(frozen=True)
class EligibilityPolicy:
    """A dated policy document; `on(day)` gives the rules of that day."""

    data: dict[str, Any]

    @classmethod
    def load_default(cls) -> EligibilityPolicy:
        text = resources.files(__package__).joinpath("eligibility.json").read_text("utf-8")
        return cls(json.loads(text))

    def on(self, day: date) -> RulesOnDay:
        data = self.data
        age = _latest(data["minimumAge"], day)
        os_minimum: dict[Route, dict[str, int]] = {}
        for route in Route:
            row = _latest([r for r in data["osMinimum"] if r["route"] == route], day)
            if row is not None:
                os_minimum[route] = {"android": row["android"], "ios": row["ios"]}
        routes = frozenset(
            Route(r["route"]) for r in data["routesOpen"] if _day(r["effective"]) <= day
        )
        documents = {
            d["id"]: Document(
                id=d["id"],
                label=d["label"],
                route=Route(d["route"]),
                sides=tuple(d["sides"]),
                effective=_day(d["effective"]),
            )
            for d in data["documents"]
            if _day(d["effective"]) <= day
        }
        rollout = _latest(data["documentRouteDepartments"], day)
        if rollout is None:
            departments: frozenset[str] | None = frozenset()
        elif rollout["departments"] == "all":
            departments = None
        else:
            departments = frozenset(rollout["departments"])
        return RulesOnDay(
            day=day,
            minimum_age=age["years"] if age is not None else 0,
            modern_id_card_from=_day(data["modernIdCardFrom"]),
            os_minimum=os_minimum,
            routes_open=routes,
            documents=documents,
            departments=departments,
        )

    def department_opening(self, department: str) -> date | None:
        """The first day the document route is open in `department` (None: not scheduled)."""
        for row in sorted(self.data["documentRouteDepartments"], key=lambda r: r["effective"]):
            if row["departments"] == "all" or department in row["departments"]:
                return _day(row["effective"])
        return None
