"""The mutation sample of the test command: the suite kills every sampled mutant of the
reference that tools/mutation/equivalent.toml does not list (issue: suite power)."""

from __future__ import annotations

import json
from pathlib import Path

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
