"""Writing generated pages: only when their text changes, so rebuilds stay incremental."""

from __future__ import annotations

from pathlib import Path


def write_page(folder: Path, relative: str, text: str) -> Path:
    """Write <folder>/<relative> unless it already holds exactly `text`."""
    path = folder / relative
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def prune(folder: Path, keep: set[Path]) -> None:
    """Remove the files under `folder` that no longer correspond to anything."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path not in keep:
            path.unlink()
