"""The clean-room JavaScript implementation (conformance/samples/iut-js) in the test command.

Its own tests (`node --test` over the shared vectors) pass, and the suite's four profiles
run against it over stdio end PASSED, with no case not applicable but those its README
lists, each with the reason it cannot apply over stdio. `make setup` installs its npm
packages (`npm ci`); in CI a missing node or package is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._support import JS_IUT, ROOT, require_js_iut

VITALE = str(Path(sys.executable).with_name("vitale"))
PROFILES = ("holder", "reader", "verifier", "enrolment")
# The designation the READMEs and the app-developer guide give, run from the root.
DESIGNATION = "stdio:node conformance/samples/iut-js/main.js"
NOT_APPLICABLE_SECTION = "## Cases that cannot apply over stdio"
_ROW = re.compile(r"^\| (TC-[A-Z]+-\d{3}) \| (.*\S) \|$")
Popen = subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def node_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Popen]]:
    """`node --test` started at once, so that it runs beside the suite's run (2 cores)."""
    node = require_js_iut()
    output = tmp_path_factory.mktemp("node-test") / "tap.txt"
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [node, "--test", str(JS_IUT / "test")],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield output, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def listed_not_applicable() -> dict[str, str]:
    """The README's table of cases that cannot apply over stdio: case ID to reason."""
    text = (JS_IUT / "README.md").read_text(encoding="utf-8")
    section = text.split(NOT_APPLICABLE_SECTION, 1)[1].split("\n## ", 1)[0]
    return {m[1]: m[2] for line in section.splitlines() if (m := _ROW.match(line))}


def test_four_profiles_pass_over_stdio(node_tests: tuple[Path, Popen], tmp_path: Path) -> None:
    """PASSED over stdio, every profile claimed and exercised, not applicable only what
    the README lists with its reason (a listed case the selection holds must not apply)."""
    require_js_iut()
    report = tmp_path / "report"
    selection = ["--iut", DESIGNATION, "--profile", ",".join(PROFILES), "--report", str(report)]
    done = subprocess.run(
        [VITALE, "conformance", "run", *selection],
        cwd=ROOT,
        env={**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert f"verdict: PASSED ({DESIGNATION})" in done.stdout.splitlines()
    results = json.loads((report / "results.json").read_text("utf-8"))
    assert results["iut"]["declared"]["name"] == "vdc-iut-js"
    for profile in PROFILES:
        counts = results["profileSummary"][profile]
        assert counts["pass"] >= 15 and counts["fail"] == 0, (profile, counts)
    not_applicable = {
        case["id"]: case for case in results["testCases"] if case["verdict"] == "not_applicable"
    }
    assert {c["verdict"] for c in results["testCases"]} <= {"pass", "not_applicable"}
    listed = listed_not_applicable()
    assert sorted(set(not_applicable) - set(listed)) == []
    ran = {case["id"] for case in results["testCases"]}
    assert sorted((set(listed) & ran) - set(not_applicable)) == []  # listed, yet it applied
    for case in not_applicable.values():
        assert all(run["message"] for run in case["runs"]), case["id"]  # the reason


def test_own_tests_pass_with_node(node_tests: tuple[Path, Popen]) -> None:
    """`node --test` over the shared vectors: every test of the implementation passes."""
    output, process = node_tests
    status = process.wait(timeout=300)
    tap = output.read_text(encoding="utf-8", errors="replace")
    assert status == 0, tap[-3000:]
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", tap, re.MULTILINE))
    assert int(counts["tests"]) >= 30, tap[-1000:]
    assert counts["pass"] == counts["tests"] and counts["fail"] == "0", tap[-1000:]


def test_guides_give_the_command_run_here() -> None:
    """The README, the JavaScript README and the app-developer guide name the designation
    and the profiles this file runs, and the JavaScript README's list has reasons."""
    command = f'--iut "{DESIGNATION}"'
    js_readme = JS_IUT / "README.md"
    for path in (ROOT / "README.md", ROOT / "docs" / "guides" / "app-developer.md", js_readme):
        assert command in path.read_text(encoding="utf-8"), path
    assert NOT_APPLICABLE_SECTION in js_readme.read_text(encoding="utf-8")
    assert all(len(reason) > 20 for reason in listed_not_applicable().values())
