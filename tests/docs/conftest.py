"""Shared fixture of the documentation tests: one strict build of the real sources.

The catalogue is synthetic (one test case per requirement in the suite's scope), so
the strict coverage check passes whatever the suite covers today; everything else (spec,
code, vectors, diagrams, API) is the real tree.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.coverage import in_scope
from conformance.requirements import load_requirements
from tools.docs.build import build_docs


def synthetic_catalogue(path: Path, *, drop_link_of: str = "") -> Path:
    """Write one case per requirement in scope; `drop_link_of` loses its link to another."""
    absolute = [r.id for r in load_requirements() if in_scope(r)]
    other = next(rid for rid in absolute if rid != drop_link_of)
    cases = [
        {
            "id": f"TC-SPEC-{number:03d}",
            "title": "synthetic case",
            "profile": "verifier",
            "verifies": [other if rid == drop_link_of else rid],
        }
        for number, rid in enumerate(absolute, start=1)
    ]
    path.write_text(json.dumps({"testCases": cases}), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def make_catalogue() -> Callable[..., Path]:
    return synthetic_catalogue


@pytest.fixture(scope="session")
def failed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder of a failed run: a seeded fault, the NIR key case alone."""
    report = tmp_path_factory.mktemp("failed-run") / "report"
    driver = shlex.join([sys.executable, "-m", "conformance.driver", "--fault", "nir-no-key-check"])
    vitale = str(Path(sys.executable).parent / "vitale")
    chosen = ["--profile", "verifier", "--case", "TC-NIR-016", "--report", str(report)]
    done = subprocess.run(
        [vitale, "conformance", "run", "--iut", f"stdio:{driver}", *chosen],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "VDC_IUT": "", "VDC_PROFILE": "", "VDC_REPORT": ""},
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    return report


@pytest.fixture(scope="session")
def strict_env(tmp_path_factory: pytest.TempPathFactory, failed_report: Path) -> dict[str, str]:
    """A strict build around the failed run's results and report (VDC_RESULTS and
    VDC_REPORT_DIR, as `python -m tools.docs.build --report DIR` sets them)."""
    folder = tmp_path_factory.mktemp("catalogue")
    return {
        "VDC_DOCS_STRICT": "1",
        "VDC_CATALOGUE": str(synthetic_catalogue(folder / "catalogue.json")),
        "VDC_RESULTS": str(failed_report / "results.json"),
        "VDC_REPORT_DIR": str(failed_report),
    }


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, strict_env: dict[str, str]) -> Path:
    """The HTML site, built with -W in strict mode; the build passing is asserted here.

    The API pages are left out to keep the test fast: `make docs`, part of the test
    command, builds them, and tests/docs/test_docs_api.py checks what they hold.
    """
    work = tmp_path_factory.mktemp("site")
    result = build_docs(work, env={**strict_env, "VDC_API_PACKAGES": ""})
    assert result.returncode == 0, result.stderr
    return work / "out"
