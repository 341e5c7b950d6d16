"""Render pages of the built site to PNG with headless Chromium.

Usage: python tools/docs/screenshots.py [--site build/docs] [--out build/screenshots]

Renders the home page, the traceability matrix and one requirement page, and prints
the path of each PNG. Chromium runs without network, sync or updates, in a throwaway
profile, so the pictures depend only on the built files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "index": "index.html",
    "matrix": "generated/matrix.html",
    "requirement": "spec/nir.html",
}
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    """The first Chromium-like browser on PATH, if any."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(
    browser: str, page: Path, png: Path, *, size: tuple[int, int] = (1280, 1600)
) -> None:
    """Write a PNG of `page` (a local HTML file); raises RuntimeError if nothing is written."""
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="vdc-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={size[0]},{size[1]}",
            page.resolve().as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"{browser} wrote no screenshot of {page}: {result.stderr.strip()}")


def render_all(site: Path, out: Path, browser: str) -> dict[str, Path]:
    """A PNG for each page of PAGES; the name of each PNG is the page's key."""
    written: dict[str, Path] = {}
    for name, relative in PAGES.items():
        page = site / relative
        if not page.is_file():
            raise RuntimeError(f"{page} does not exist: build the site first (make docs)")
        written[name] = out / f"{name}.png"
        screenshot(browser, page, written[name])
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "docs")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        print("error: no chromium on PATH (Debian package: chromium)", file=sys.stderr)
        return 1
    try:
        written = render_all(args.site, args.out, browser)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written.values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
