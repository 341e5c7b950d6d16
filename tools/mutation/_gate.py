"""pytest plugin of a campaign: the mutant is switched in only while the reference runs
as the implementation under test.

The suite builds its own material (credentials, status lists, certificates, APDUs) and
checks some answers with code of the reference as a library. A mutant active there too
would change the suite along with the implementation under test: a mutated encoder
would produce material the mutated decoder agrees with, and a builder that crashes would
count as a kill. Against a third party's implementation the suite's code is never
mutated, so neither is it here: mutmut's switch (`MUTANT_UNDER_TEST`) holds the mutant's
name only inside the in-process adapter's `call`, and is blank again while a reader or
holder played by the suite answers a `transmit` from within such a call. Neither side is
served what the other computed: the reference's memos of results (its bounded
`lru_cache`s, such as the decoded reader authorisation of a certificate) are emptied at
every switch, and its shared validation caches (remembered reader grants and signer
chains, VDC-PKI-026) are swapped, so that the implementation under test keeps its own
entries from call to call, as a process of its own would, starting empty in every
mutant's run (mutmut forks that run from a process whose caches the unmutated suite
warmed).

The plugin also orders a mutant's cases so that it ends sooner (pytest stops at the first
failure): first the cases that killed other mutants of the same function, then the rest
in pytest's order. Which cases killed which function is kept in
`killers/` next to mutmut's files. Order changes the time only, never the verdict.

Loaded with `-p tools.mutation._gate` by the campaign's pytest arguments
(tools.mutation._campaign).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest

SWITCH = "MUTANT_UNDER_TEST"
KILLERS = Path("killers")
"""One file per mutated function: the cases that killed its mutants, one per line."""


class _Run:
    mutant = ""
    """The mutant of this run (or mutmut's `stats`/`fail` modes), taken at configuration."""
    memos: list[Any] | None = None
    """The reference's bounded lru_caches, found at the first switch."""
    shared: list[Any] | None = None
    """The reference's module-level validation caches, found at the first switch."""
    modules = 0
    """How many modules were imported when the caches were looked for."""
    side = "suite"
    """Whose entries the shared caches hold now: the suite's or the IUT's."""
    stored: ClassVar[dict[tuple[int, str], Any]] = {}
    """The entries of the side that is not running, per cache."""


def _memos() -> list[Any]:
    if _Run.memos is None or _Run.modules != len(sys.modules):
        _Run.shared = None  # modules imported since the last look: look again
        _Run.modules = len(sys.modules)
        found = {
            id(value): value
            for name, module in list(sys.modules.items())
            if name.startswith("vitale_ref.")
            for value in vars(module).values()
            if callable(getattr(value, "cache_parameters", None))
            and value.cache_parameters().get("maxsize") is not None
        }
        _Run.memos = list(found.values())
    return _Run.memos


def _shared() -> list[Any]:
    _memos()
    if _Run.shared is None:
        from vitale_ref.pki import ValidationCache

        found = {
            id(value): value
            for name, module in list(sys.modules.items())
            if name.startswith("vitale_ref.")
            for value in vars(module).values()
            if isinstance(value, ValidationCache)
        }
        _Run.shared = list(found.values())
    return _Run.shared


def _enter(side: str) -> str:
    """Give the shared caches the entries of `side`; returns the side that was running."""
    from collections import OrderedDict

    left = _Run.side
    if side != left:
        for cache in _shared():
            _Run.stored[(id(cache), left)] = cache._entries
            cache._entries = _Run.stored.pop((id(cache), side), OrderedDict())
        _Run.side = side
    for memo in _memos():
        memo.cache_clear()
    return left


@contextmanager
def switched(name: str) -> Iterator[None]:
    """mutmut's switch set to `name` for the duration of the block (the IUT's side of
    the caches while a mutant is named, the suite's otherwise)."""
    previous = os.environ.get(SWITCH, "")
    os.environ[SWITCH] = name
    left = _enter("iut" if name else "suite")
    try:
        yield
    finally:
        os.environ[SWITCH] = previous
        _enter(left)


def _gated(call: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def call_with_the_mutant(
        self: Any,
        operation: str,
        params: dict[str, Any],
        *,
        transmit: Callable[[bytes], bytes] | None = None,
    ) -> dict[str, Any]:
        suite_transmit = None
        if transmit is not None:
            played = transmit

            def suite_transmit(command: bytes) -> bytes:
                with switched(""):  # the peer the suite plays is the suite's code
                    return played(command)

        with switched(_Run.mutant):
            return call(self, operation, params, transmit=suite_transmit)

    call_with_the_mutant.gated = True  # type: ignore[attr-defined]
    return call_with_the_mutant


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    from conformance.adapters.ref import RefIut

    _Run.mutant = os.environ.get(SWITCH, "")
    os.environ[SWITCH] = ""  # the suite's own code runs unmutated
    # mutmut forks each mutant's run from a process that ran the suite already: what the
    # implementation under test remembered there is not this run's.
    _Run.stored.clear()
    _Run.side = "suite"
    if not getattr(RefIut.call, "gated", False):
        RefIut.call = _gated(RefIut.call)  # type: ignore[method-assign]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Exit statuses as mutmut reads them: 0 when no case failed, 1 when one did.

    The suite's own statuses say what a run proved: a listing of the cases proves nothing
    (inconclusive), and neither does a mutant run whose cases all passed or were not
    applicable; a mutant that keeps the implementation from starting (could not run)
    failed every case it stopped.
    """
    from conformance.plugin import COULD_NOT_RUN_EXIT, INCONCLUSIVE_EXIT

    if session.exitstatus == INCONCLUSIVE_EXIT:
        session.exitstatus = pytest.ExitCode.OK
    elif session.exitstatus == COULD_NOT_RUN_EXIT:
        collecting = session.config.option.collectonly
        session.exitstatus = pytest.ExitCode.OK if collecting else pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    os.environ[SWITCH] = _Run.mutant


def _function_of(mutant: str) -> str:
    return re.sub(r"__mutmut_\d+$", "", mutant)


def _killers_file(mutant: str) -> Path:
    return KILLERS / (_function_of(mutant) + ".txt")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if "__mutmut_" not in _Run.mutant:
        return
    killers_file = _killers_file(_Run.mutant)
    if killers_file.is_file():
        killers = dict.fromkeys(killers_file.read_text("utf-8").splitlines())
        rank = {node: index for index, node in enumerate(killers)}
        # A stable sort: the other cases keep pytest's order (and their fixtures' scopes).
        items.sort(key=lambda item: rank.get(item.nodeid, len(rank)))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each case meets an implementation under test with empty validation caches.

    mutmut learns which cases reach which function from one run of the whole suite; with
    the implementation's caches kept from case to case, only the first case to present a
    chain would reach the code that validates it, and only that case would be run
    against that code's mutants.
    """
    _Run.stored.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and "__mutmut_" in _Run.mutant:
        KILLERS.mkdir(exist_ok=True)
        with _killers_file(_Run.mutant).open("a", encoding="utf-8") as killers:
            killers.write(report.nodeid + "\n")
