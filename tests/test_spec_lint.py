"""The specification defines every error name in use and orders every chapter's checks
(tools/spec_lint.py; issue: an implementation is built from spec/ alone)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tools import spec_lint


def test_every_error_name_in_use_is_defined() -> None:
    """Vectors, the driver protocol and the harness table use only defined names."""
    assert spec_lint.problems() == []


def test_the_chapters_that_refuse_things_have_tables() -> None:
    """The names of each area sit in its own chapter's table."""
    defined = spec_lint.defined_names()
    for name, chapter in (
        ("PathError", "pki.md"),
        ("KeyUsageError", "pki.md"),
        ("CredentialEncodingError", "credential.md"),
        ("StatusListError", "credential.md"),
        ("assertion-invalid", "enrolment.md"),
        ("code-expired", "enrolment.md"),
        ("checksum", "nir.md"),
        ("weak", "pin.md"),
        ("not_set_up", "harness.md"),
    ):
        assert chapter in defined.get(name, set()), name


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    spec, vectors = tmp_path / "spec", tmp_path / "vectors"
    shutil.copytree(spec_lint.SPEC, spec)
    (vectors / "x").mkdir(parents=True)
    return spec, vectors


def test_an_undefined_name_fails_the_lint(tmp_path: Path) -> None:
    """A vector naming an error no table defines is reported with its file."""
    spec, vectors = _copy(tmp_path)
    document = {"testGroups": [{"tests": [{"errorType": "MadeUpError", "result": "invalid"}]}]}
    (vectors / "x" / "made_up.json").write_text(json.dumps(document), encoding="utf-8")
    found = spec_lint.problems(spec, vectors)
    assert found == [
        "vectors: error name 'MadeUpError' (x/made_up.json) is defined in no chapter's error table"
    ]


def test_a_chapter_without_an_order_fails_the_lint(tmp_path: Path) -> None:
    """An error table needs a requirement stating the order of the checks."""
    spec, vectors = _copy(tmp_path)
    chapter = spec / "pki.md"
    text = chapter.read_text(encoding="utf-8").replace("Order of the", "Sequence of the")
    chapter.write_text(text.replace("Path construction and path length", "Paths"), "utf-8")
    assert "spec/pki.md: an error table but no requirement stating the order" in (
        spec_lint.problems(spec, vectors)
    )


def test_a_chapter_naming_the_reference_fails_the_lint(tmp_path: Path) -> None:
    """Nothing is defined by pointing at vitale_ref's code."""
    spec, vectors = _copy(tmp_path)
    chapter = spec / "otp.md"
    chapter.write_text(chapter.read_text("utf-8") + "\nSee vitale_ref.otp.\n", "utf-8")
    assert "spec/otp.md: names a module of the reference implementation" in (
        spec_lint.problems(spec, vectors)
    )
