"""Test-case declarations and the machine-readable catalogue (spec/harness.md).

A test case is a function of the packaged suite (`conformance/cases/<profile>/`) decorated
with `@tc(...)`: an identifier `TC-<AREA>-<NNN>`, a title, a purpose, the requirement IDs
it verifies, its profile, preconditions and the expected result. The same declarations
feed the pytest plugin, the coverage self-check, the reports and `vitale conformance
catalogue --json`, which the documentation turns into the traceability matrix.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from conformance.requirements import AREAS, ID_PATTERN

PROFILES = ("holder", "reader", "verifier", "enrolment", "transport")
"""`transport` holds the cases of the reader bindings (VDC-TRN): they apply only to an
implementation reached through a reader (`pcsc:`, `nfc:`) and are not applicable otherwise."""
KINDS = ("positive", "negative", "boundary")
"""What a case shows (spec/harness.md, Test cases and catalogue): `positive`, the rule's
accepted path works; `negative`, a break of the rule is refused or caught; `boundary`, a
count, duration or size is tried below, at and above its edge."""
TC_PATTERN = re.compile(r"^TC-(?P<area>[A-Z]+)-(?P<number>\d{3})$")
CATALOGUE_FORMAT = "vdc-conformance-catalogue/1"


class Parameter(NamedTuple):
    """One run of a parametrised case: its name, its value, the requirements it exercises.

    A failing run marks only `verifies` (spec/harness.md, Verdicts); empty means the
    parameter exercises every requirement of its case. Build one with `param()`.
    """

    name: str
    value: Any
    verifies: tuple[str, ...] = ()


Param = tuple[str, Any]
"""A parameter that exercises every requirement of its case: (name, value)."""
ParamSource = Callable[[], Iterable[Param | Parameter]]
NO_PARAMETER = Parameter("", None)
"""The single run of a case that has no parameters."""


def param(name: str, value: Any, *verifies: str) -> Parameter:
    """A parameter exercising only the requirements `verifies` of its case.

    >>> param("bad-key", "295059912611114", "VDC-NIR-016").verifies
    ('VDC-NIR-016',)
    """
    return Parameter(name, value, tuple(verifies))


F = TypeVar("F", bound=Callable[..., None])


class CatalogueError(ValueError):
    """A test-case declaration is malformed or duplicated."""


@dataclass(frozen=True, kw_only=True)
class TestCase:
    """One declared conformance test case."""

    __test__ = False  # not a pytest test class

    id: str
    title: str
    purpose: str
    verifies: tuple[str, ...]
    profile: str
    preconditions: str
    expected: str
    kind: str = "positive"
    operations: tuple[str, ...] = ()
    module: str = ""
    function: str = ""
    params: ParamSource | None = field(default=None, compare=False, repr=False)
    run: Callable[..., None] | None = field(default=None, compare=False, repr=False)

    @property
    def area(self) -> str:
        return self.id.split("-")[1]

    def parameters(self) -> list[Parameter]:
        """The runs of the case; one unnamed run when it has no parameters.

        Raises CatalogueError when a parameter declares a requirement its case does not.
        """
        if self.params is None:
            return [NO_PARAMETER]
        runs = [item if isinstance(item, Parameter) else Parameter(*item) for item in self.params()]
        for run in runs:
            strange = sorted(set(run.verifies) - set(self.verifies))
            if strange:
                raise CatalogueError(
                    f"{self.id}[{run.name}]: exercises {', '.join(strange)}, "
                    "which the case does not verify"
                )
        return runs

    def exercised(self, parameter: Parameter) -> tuple[str, ...]:
        """The requirements one run of the case bears on: its parameter's, else the case's."""
        return parameter.verifies or self.verifies

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "purpose": self.purpose,
            "verifies": list(self.verifies),
            "profile": self.profile,
            "area": self.area,
            "preconditions": self.preconditions,
            "expected": self.expected,
            "kind": self.kind,
            "operations": list(self.operations),
            "parametrised": self.params is not None,
            "location": f"{self.module}:{self.function}",
        }


def _validate(case: TestCase) -> None:
    match = TC_PATTERN.match(case.id)
    if match is None or match["area"] not in AREAS:
        raise CatalogueError(f"{case.id!r}: test case id must be TC-<AREA>-<NNN>")
    if case.profile not in PROFILES:
        raise CatalogueError(f"{case.id}: unknown profile {case.profile!r}")
    if case.kind not in KINDS:
        raise CatalogueError(f"{case.id}: kind must be one of {', '.join(KINDS)}")
    if not case.verifies:
        raise CatalogueError(f"{case.id}: verifies no requirement")
    for requirement in case.verifies:
        if ID_PATTERN.match(requirement) is None:
            raise CatalogueError(f"{case.id}: malformed requirement id {requirement!r}")
    for name, text in (("title", case.title), ("purpose", case.purpose)):
        if not text.strip():
            raise CatalogueError(f"{case.id}: empty {name}")
    if not case.expected.strip():
        raise CatalogueError(f"{case.id}: empty expected result")


def tc(
    case_id: str,
    *,
    title: str,
    purpose: str,
    verifies: Sequence[str],
    profile: str,
    expected: str,
    preconditions: str = "none",
    kind: str = "positive",
    operations: Sequence[str] = (),
    params: ParamSource | None = None,
) -> Callable[[F], F]:
    """Declare the decorated function as test case `case_id` (see module docstring).

    The function takes the implementation under test (`iut`) and, when `params` is
    given, one parameter value (`param`); `params` returns, lazily, (name, value) pairs
    or `param(name, value, *requirements)` for a parameter that exercises only some of
    the case's requirements (a failure then marks only those).
    """

    def decorate(function: F) -> F:
        case = TestCase(
            id=case_id,
            title=title,
            purpose=purpose,
            verifies=tuple(verifies),
            profile=profile,
            preconditions=preconditions,
            expected=expected,
            kind=kind,
            operations=tuple(operations),
            module=function.__module__,
            function=function.__name__,
            params=params,
            run=function,
        )
        _validate(case)
        function.__vdc_tc__ = case  # type: ignore[attr-defined]
        return function

    return decorate


def case_of(function: object) -> TestCase | None:
    """The declaration attached to a function by `@tc`, if any."""
    found = getattr(function, "__vdc_tc__", None)
    return found if isinstance(found, TestCase) else None


def load_catalogue(package: str = "conformance.cases") -> list[TestCase]:
    """Every declared case of the packaged suite, sorted by id; duplicates are refused."""
    root = importlib.import_module(package)
    cases: dict[str, TestCase] = {}
    modules = [
        info.name for info in pkgutil.walk_packages(root.__path__, prefix=f"{root.__name__}.")
    ]
    for name in modules:
        if not name.rsplit(".", 1)[-1].startswith("test_"):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            case = case_of(value)
            if case is None or case.module != module.__name__:
                continue
            other = cases.setdefault(case.id, case)
            if other is not case:
                raise CatalogueError(
                    f"duplicate test case id {case.id} in {other.module} and {case.module}"
                )
    return sorted(cases.values(), key=lambda c: c.id)


def select(cases: Iterable[TestCase], profiles: Iterable[str]) -> list[TestCase]:
    """The cases of the given profiles ("all" selects every profile)."""
    wanted = set(profiles)
    if "all" in wanted:
        wanted = set(PROFILES)
    return [case for case in cases if case.profile in wanted]


def catalogue_as_json(cases: Sequence[TestCase], *, spec_version: str, suite_version: str) -> str:
    """The catalogue document (format in spec/harness.md, schema catalogue.schema.json)."""
    document = {
        "format": CATALOGUE_FORMAT,
        "specVersion": spec_version,
        "suiteVersion": suite_version,
        "profiles": list(PROFILES),
        "testCases": [case.as_dict() for case in cases],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse_profiles(text: str) -> list[str]:
    """`--profile` value: comma-separated profiles or "all"; raises CatalogueError."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name != "all" and name not in PROFILES]
    if not names or unknown:
        raise CatalogueError(
            f"unknown profile {', '.join(unknown) or text!r}: choose from "
            f"{', '.join((*PROFILES, 'all'))}"
        )
    return names
