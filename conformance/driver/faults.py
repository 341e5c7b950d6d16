"""Seeded faults: the reference with exactly one rule broken, to prove the suite bites.

Each fault is installed in the driver process only (`python -m conformance.driver
--fault NAME`) by replacing one piece of the reference's implementation path with a
faulty variant; the suite must then fail a test case that names the broken requirement.

Faults reach into private names of the reference (`vitale_ref.credential._verify`, ...).
When one of those is renamed or removed, installing the fault raises FaultNotApplicable
naming it, the driver refuses to start (exit status 1, one line on standard error) and
the meta-test fails on that fault: a fault never degrades silently into a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One faulty variant of the reference."""

    name: str
    description: str
    breaks: str  # the requirement it violates
    cases: tuple[str, ...]  # test cases expected to catch it (at least one must fail)
    install: Callable[[], None]


FAULTS: dict[str, Fault] = {}


class FaultNotApplicable(RuntimeError):  # noqa: N818 (names the situation, as the verdicts do)
    """The reference no longer has what a fault replaces (renamed or removed)."""


def fault(
    name: str, description: str, breaks: str, cases: tuple[str, ...]
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(install: Callable[[], None]) -> Callable[[], None]:
        FAULTS[name] = Fault(
            name=name, description=description, breaks=breaks, cases=cases, install=install
        )
        return install

    return register


def patch(target: object, name: str, value: object, *, create: bool = False) -> None:
    """Replace one attribute of the reference (module function, class method) in place."""
    if not create and not hasattr(target, name):
        where = getattr(target, "__name__", repr(target))
        raise FaultNotApplicable(f"{where} has no {name}: the fault no longer applies")
    setattr(target, name, value)


def install(name: str) -> None:
    """Switch fault `name` on in this process.

    KeyError when the name is unknown; FaultNotApplicable when the reference no longer
    has a name, key or attribute the fault replaces.
    """
    _load()
    chosen = FAULTS[name]
    try:
        chosen.install()
    except FaultNotApplicable:
        raise
    except (AttributeError, KeyError, ImportError, TypeError) as error:
        raise FaultNotApplicable(f"fault {name} no longer applies: {error!r}") from None


def all_faults() -> list[Fault]:
    """Every seeded fault, by name."""
    _load()
    return sorted(FAULTS.values(), key=lambda f: f.name)


def _load() -> None:
    # One module per area registers its faults when imported.
    from conformance.driver import (  # noqa: F401
        _faults_credential,
        _faults_credential_edges,
        _faults_eligibility,
        _faults_enrolment,
        _faults_history,
        _faults_holder,
        _faults_holder_disclosure,
        _faults_holder_establish,
        _faults_holder_framing,
        _faults_holder_lean,
        _faults_holder_order,
        _faults_holder_readers,
        _faults_holder_receipts,
        _faults_holder_sm,
        _faults_holder_state,
        _faults_nir,
        _faults_otp,
        _faults_peers_misc,
        _faults_pin,
        _faults_pki,
        _faults_reader,
        _faults_reader_credential,
        _faults_reader_lean,
        _faults_reader_session,
    )
