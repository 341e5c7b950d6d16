"""The mutation sample of the test command: the suite kills every sampled mutant of the
reference that tools/mutation/equivalent.toml does not list (issue: suite power)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.mutation._results import (
    Mutant,
    group_of,
    load_equivalent,
    load_mutants,
    score,
    survivors,
)
from tools.mutation._sample import run_sample


def test_sampled_mutants_are_killed_or_listed_equivalent(tmp_path: Path) -> None:
    sampled, unlisted = run_sample(tmp_path / "work")
    assert len(sampled) >= 30, [m.name for m in sampled]
    assert all(m.status != "not checked" for m in sampled)
    assert sum(m.killed for m in sampled) >= len(sampled) // 2
    assert unlisted == [], "survivors: " + ", ".join(f"{m.name} ({m.status})" for m in unlisted)


def test_every_equivalent_mutant_has_a_reason() -> None:
    for name, reason in load_equivalent().items():
        assert name.startswith("vitale_ref."), name
        assert reason.strip() and "\n" not in reason, name


def test_scores_count_killed_over_generated_less_equivalent(tmp_path: Path) -> None:
    meta = tmp_path / "mutants" / "vitale_ref" / "nir.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {
        f"vitale_ref.nir.x_calc_key__mutmut_{i}": code
        for i, code in enumerate([1, 1, 36, 0, 0, 33, None], start=1)
    }
    meta.write_text(json.dumps({"exit_code_by_key": codes}), "utf-8")
    mutants = load_mutants(tmp_path)
    assert [m.status for m in mutants] == [
        "killed",
        "killed",
        "timeout",
        "survived",
        "survived",
        "no tests",
        "not checked",
    ]
    assert {group_of(m.file) for m in mutants} == {"nir"}
    listed = {"vitale_ref.nir.x_calc_key__mutmut_4": "synthetic"}
    result = score("nir", mutants, listed)
    assert (result.generated, result.killed, result.equivalent) == (7, 3, 1)
    assert (result.survived, result.not_checked) == (2, 1)
    assert result.percent == 50.0  # 3 / (7 - 1)
    listed["vitale_ref.nir.x_calc_key__mutmut_7"] = "synthetic, not run yet"
    result = score("nir", mutants, listed)
    assert (result.equivalent, result.survived, result.not_checked) == (2, 2, 0)
    assert result.percent == 60.0  # 3 / (7 - 2): a listed mutant counts whether run or not
    assert [m.name for m in survivors(mutants, listed)] == [
        "vitale_ref.nir.x_calc_key__mutmut_5",
        "vitale_ref.nir.x_calc_key__mutmut_6",
    ]
    assert (
        Mutant(name="vitale_ref.sm._channel.xǁChannelǁseal__mutmut_2", file="", status="").function
        == "Channel.seal"
    )


def test_message_only_mutants_are_recognised() -> None:
    from tools.mutation._classify import message_only

    original = (
        'def f(x):\n    if x:\n        raise E(f"bad {x}", "month", requirement="VDC-NIR-009")\n'
    )
    assert message_only(original, original.replace('f"bad {x}"', "None"))
    assert message_only(original, original.replace('"VDC-NIR-009"', '"XXVDC-NIR-009XX"'))
    assert message_only(original, original.replace(', requirement="VDC-NIR-009"', ""))
    assert not message_only(original, original.replace('"month"', '"XXmonthXX"'))  # the kind
    assert not message_only(original, original.replace("if x:", "if not x:"))
    assert not message_only(original, original)


def test_survivors_run_again_after_the_suite_changed(tmp_path: Path) -> None:
    from tools.mutation._campaign import forget_survivors_if_the_suite_changed

    case = tmp_path / "conformance" / "cases" / "test_x.py"
    case.parent.mkdir(parents=True)
    case.write_text("# a case\n", "utf-8")
    meta = tmp_path / "mutants" / "vitale_ref" / "nir.py.meta"
    meta.parent.mkdir(parents=True)
    listed = next(iter(load_equivalent()))  # an equivalent mutant stays equivalent
    codes = {"killed": 1, "survived": 0, "unreached": 33, "pending": None, listed: 0}
    meta.write_text(json.dumps({"exit_code_by_key": codes, "other": {}}), "utf-8")
    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.write_text("{}", "utf-8")
    assert forget_survivors_if_the_suite_changed(tmp_path) == 0  # first run: nothing to compare
    assert forget_survivors_if_the_suite_changed(tmp_path) == 0 and stats.is_file()
    case.write_text("# a stronger case\n", "utf-8")
    assert forget_survivors_if_the_suite_changed(tmp_path) == 2
    document = json.loads(meta.read_text("utf-8"))
    assert document["exit_code_by_key"] == {
        "killed": 1,
        "survived": None,
        "unreached": None,
        "pending": None,
        listed: 0,
    }
    assert document["other"] == {} and not stats.exists()  # which case reaches what: measured again


def test_the_mutant_is_switched_in_only_while_the_reference_answers() -> None:
    """The suite's own code runs unmutated, the peer it plays during a call included."""
    import os

    from conformance.adapters.ref import RefIut
    from tools.mutation import _gate

    seen: list[tuple[str, str]] = []

    def call(
        self: object, operation: str, params: object, *, transmit: object = None
    ) -> dict[str, object]:
        seen.append((operation, os.environ[_gate.SWITCH]))
        if callable(transmit):
            transmit(b"\x00")
        return {}

    def played_peer(command: bytes) -> bytes:
        seen.append(("transmit", os.environ[_gate.SWITCH]))
        return b"\x90\x00"

    gated = _gate._gated(call)
    previous = os.environ.get(_gate.SWITCH)
    _gate._Run.mutant = "vitale_ref.nir.x_validate__mutmut_1"
    try:
        with _gate.switched(""):
            gated(RefIut.__new__(RefIut), "nir.validate", {}, transmit=played_peer)
            assert os.environ[_gate.SWITCH] == ""
    finally:
        _gate._Run.mutant = ""
        if previous is None:
            os.environ.pop(_gate.SWITCH, None)
    assert seen == [("nir.validate", "vitale_ref.nir.x_validate__mutmut_1"), ("transmit", "")]


def test_functions_outside_the_set_leave_every_count() -> None:
    from tools.mutation import NOT_PROTOCOL

    file, function = next(iter(NOT_PROTOCOL)).split("::")
    mangled = "x_" + function if "." not in function else "xǁ" + function.replace(".", "ǁ")
    module = file.removesuffix(".py").replace("/", ".")
    outside = Mutant(name=f"{module}.{mangled}__mutmut_1", file=file, status="survived")
    assert outside.function == function and outside.outside_the_set
    inside = Mutant(name="vitale_ref.nir.x_validate__mutmut_1", file="vitale_ref/nir.py", status="")
    assert not inside.outside_the_set


def test_the_implementation_under_test_keeps_its_own_validation_caches() -> None:
    """What the suite's side validated never serves the implementation under test (and
    the reverse); the IUT's entries last from one of its calls to the next."""
    from tools.mutation import _gate
    from vitale_ref.credential._verify import SIGNER_CHAINS

    cache: Any = SIGNER_CHAINS
    suite_entries = cache._entries
    marker = ("suite",)
    suite_entries[marker] = "warmed by the suite"
    mutant = "vitale_ref.nir.x_validate__mutmut_1"
    try:
        with _gate.switched(mutant):
            assert marker not in cache._entries
            cache._entries[("iut",)] = "the IUT's"
            with _gate.switched(""):
                assert cache._entries is suite_entries
            assert ("iut",) in cache._entries
        assert cache._entries is suite_entries and ("iut",) not in suite_entries
        with _gate.switched(mutant):
            assert ("iut",) in cache._entries  # kept from one call to the next
    finally:
        suite_entries.pop(marker, None)
        _gate._Run.stored.clear()
