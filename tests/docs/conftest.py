"""Shared fixture of the documentation tests: the site built once from the real sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.docs.build import build_docs


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    result = build_docs(work)
    assert result.returncode == 0, result.stderr
    return work / "out"
