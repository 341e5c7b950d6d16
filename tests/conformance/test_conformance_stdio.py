"""A misbehaving stdio IUT fails the running case with evidence (VDC-HARN-003, VDC-HARN-005).

Each misbehaviour (crash, hang, garbage, wrong id, out-of-protocol result) is a failure of
that one case; the adapter then restarts the implementation and the run continues.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from conformance.adapters import open_iut
from conformance.adapters.stdio import StdioIut
from conformance.catalogue import Parameter, TestCase, load_catalogue
from conformance.engine import run_case, run_cases
from conformance.outcomes import Verdict
from conformance.protocol import SCHEMA_DIR, all_schema_files, render

HELLO = {
    "protocol": "vdc-harness/1",
    "implementation": {"name": "fake", "version": "0"},
    "profiles": ["verifier"],
    "operations": ["hello", "nir.validate"],
}

# A scripted implementation: answers hello, then behaves as $MODE says for nir.validate.
SCRIPT = """
import json, sys, time
mode = sys.argv[1]
hello = json.loads(sys.argv[2])
for line in sys.stdin:
    request = json.loads(line)
    rid = request["id"]
    if request["op"] == "hello":
        print(json.dumps({"id": rid, "result": hello}), flush=True)
        continue
    if mode == "crash":
        sys.stderr.write("fatal: segmentation fault (simulated)\\n"); sys.exit(3)
    if mode == "hang":
        time.sleep(60)
    if mode == "garbage":
        print("<html>oops</html>", flush=True); continue
    if mode == "wrong-id":
        print(json.dumps({"id": rid + 7, "result": {"nir": "x"}}), flush=True); continue
    if mode == "bad-result":
        print(json.dumps({"id": rid, "result": {"valid": True}}), flush=True); continue
    if mode == "unsupported":
        print(json.dumps({"id": rid, "unsupported": "not here"}), flush=True); continue
    if mode == "accept-all":
        nir = request["params"]["nir"]
        print(json.dumps({"id": rid, "result": {"nir": nir}}), flush=True); continue
"""


def _fake(tmp_path: Path, mode: str, timeout: float = 0.5) -> StdioIut:
    script = tmp_path / "fake_iut.py"
    script.write_text(SCRIPT, encoding="utf-8")
    argv = [sys.executable, str(script), mode, json.dumps(HELLO)]
    return StdioIut(shlex.join(argv), timeout=timeout)


def _nir_case() -> tuple[TestCase, Parameter]:
    (case,) = [c for c in load_catalogue() if c.id == "TC-NIR-001"]
    return case, case.parameters()[0]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("crash", "the implementation exited without answering (crash)"),
        ("hang", "no answer within 0.5 s (hang)"),
        ("garbage", "answer is not JSON: '<html>oops</html>'"),
        ("wrong-id", "answer to request 9, expected 2"),
        ("bad-result", "nir.validate result out of protocol: 'nir' is a required property"),
    ],
)
def test_misbehaviour_fails_the_case_with_evidence(tmp_path: Path, mode: str, message: str) -> None:
    case, parameter = _nir_case()
    iut = _fake(tmp_path, mode)
    try:
        outcome = run_case(case, iut, parameter)
        assert outcome.verdict is Verdict.FAIL
        assert outcome.message == message
        assert outcome.evidence.trace[0].startswith('> {"id": 1, "op": "hello"')
        if mode == "crash":
            assert "exit status 3" in outcome.evidence.trace
            assert "stderr: fatal: segmentation fault (simulated)" in outcome.evidence.trace
        # The run continues: the next case starts a fresh process and fails the same way.
        again = run_case(case, iut, parameter)
        assert again.verdict is Verdict.FAIL
    finally:
        iut.close()


def test_an_operation_that_keeps_hanging_is_blocked_not_waited_for(tmp_path: Path) -> None:
    """Circuit breaker: after 2 timeouts in a row the operation is not sent again, so a
    parametrised case does not pay the timeout on every one of its runs."""
    case, parameter = _nir_case()
    iut = _fake(tmp_path, "hang", timeout=0.3)
    outcomes, durations = [], []
    try:
        for _ in range(4):
            started = time.monotonic()
            outcomes.append(run_case(case, iut, parameter))
            durations.append(time.monotonic() - started)
    finally:
        iut.close()
    assert [o.verdict for o in outcomes] == [Verdict.FAIL] * 4
    assert [bool(o.evidence.blocked) for o in outcomes] == [False, False, True, True]
    blocked = "blocked: nir.validate timed out 2 times in a row (0.3 s each); not sent again"
    assert outcomes[3].message == blocked + " in this run"
    assert min(durations[:2]) >= 0.3 and max(durations[2:]) < 0.2


def test_unsupported_is_not_applicable_never_passed(tmp_path: Path) -> None:
    """VDC-HARN-004."""
    case, parameter = _nir_case()
    iut = _fake(tmp_path, "unsupported")
    try:
        outcome = run_case(case, iut, parameter)
    finally:
        iut.close()
    assert outcome.verdict is Verdict.NOT_APPLICABLE
    assert outcome.message == "nir.validate: not here"


def test_undeclared_operation_is_not_applicable(tmp_path: Path) -> None:
    iut = _fake(tmp_path, "accept-all")
    cases = [c for c in load_catalogue() if c.operations and "nir.validate" not in c.operations]
    try:
        outcomes = run_cases(cases[:3], iut)
    finally:
        iut.close()
    assert {o.verdict for o in outcomes} == {Verdict.NOT_APPLICABLE}


def test_an_implementation_accepting_everything_fails_the_refusals(tmp_path: Path) -> None:
    iut = _fake(tmp_path, "accept-all")
    cases = [c for c in load_catalogue() if c.id in ("TC-NIR-001", "TC-NIR-016")]
    try:
        outcomes = run_cases(cases, iut)
    finally:
        iut.close()
    verdicts = {(o.case_id, o.verdict) for o in outcomes}
    assert verdicts == {("TC-NIR-001", Verdict.PASS), ("TC-NIR-016", Verdict.FAIL)}
    failure = next(o for o in outcomes if o.verdict is Verdict.FAIL)
    assert failure.evidence.expected == "error kind checksum"
    assert failure.evidence.got.startswith("result {'nir': ")


def test_missing_program_fails_without_restarting_forever(tmp_path: Path) -> None:
    case, parameter = _nir_case()
    iut = StdioIut(str(tmp_path / "absent"), timeout=0.5)
    outcomes = [run_case(case, iut, parameter) for _ in range(4)]
    assert [o.verdict for o in outcomes] == [Verdict.FAIL] * 4
    assert outcomes[-1].message == "the implementation failed to start 3 times; not restarted"


def test_unknown_adapter_and_malformed_designation() -> None:
    from conformance.adapters import AdapterError

    with pytest.raises(AdapterError, match=r"^no IUT adapter 'bogus' in this installation"):
        open_iut("bogus:x")
    with pytest.raises(AdapterError, match=r"^malformed IUT 'Stdio:x'"):
        open_iut("Stdio:x")


def test_shipped_schemas_are_current() -> None:
    """VDC-HARN-005: the schema files are regenerated from conformance.protocol."""
    for relative, document in all_schema_files().items():
        path = SCHEMA_DIR.parent / relative
        assert path.read_text(encoding="utf-8") == render(document), relative
        jsonschema.Draft202012Validator.check_schema(document)
