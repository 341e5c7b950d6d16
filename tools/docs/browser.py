"""Open built pages in headless Chromium (Selenium) and list what a reader would see wrong.

Each check runs in the page itself, after layout, so it sees what an auditor sees:
- an element wider than the page, or cut by a parent that hides its overflow;
- an image that did not load, or whose drawing shrinks text below `MIN_TEXT_PX`;
- raw diagram source or markup shown as text (Mermaid, escaped underscores, roles);
- on a report page, the verdict banner and its colour.

Chromium runs from Debian's `chromium` and `chromium-driver`, headless, without network,
sync or updates, in a throwaway profile, so the result depends only on the built files.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MIN_TEXT_PX = 9.0
"""Smallest rendered text size accepted in a drawing (SVG font size times its scale)."""
WINDOW = (1280, 900)
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver")
BROWSERS = ("chromium", "chromium-browser")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
RAW_MARKUP = ("stateDiagram", "\\_", ":need:`", "``", "-->")
"""Text that only shows when a diagram or markup was not rendered."""

_CHECKS = """
const problems = [];
const page = document.documentElement;
if (page.scrollWidth > window.innerWidth + 1) {
  problems.push(`page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
}
const scrolls = (e) => {
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
  }
  return false;
};
const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '');
for (const element of document.querySelectorAll('main *, article *, body > *')) {
  const style = getComputedStyle(element);
  if (style.display === 'none' || style.visibility === 'hidden') continue;
  const cuts = ['hidden', 'clip'].includes(style.overflowX);
  if (cuts && element.scrollWidth > element.clientWidth + 2
      && !element.closest('.sidebar-drawer, .toc-drawer, nav')) {
    problems.push(`${name(element)} cuts its content: ${element.scrollWidth}px in `
      + `${element.clientWidth}px`);
  }
  const box = element.getBoundingClientRect();
  if (box.width > 0 && box.right > page.clientWidth + 2 && style.position !== 'fixed'
      && !element.closest('.sidebar-drawer, .toc-drawer, nav') && !scrolls(element)) {
    problems.push(`${name(element)} ends at ${Math.round(box.right)}px, past the page`);
  }
}
for (const block of document.querySelectorAll('div.highlight pre')) {
  if (block.scrollWidth > block.clientWidth + 2) {
    problems.push(`code block hides ${block.scrollWidth - block.clientWidth}px of its text: `
      + block.innerText.split('\\n')[0].slice(0, 60));
  }
}
for (const image of document.images) {
  if (!image.complete || image.naturalWidth === 0) {
    problems.push(`image ${image.getAttribute('src')} did not load`);
  }
}
return {problems: problems, text: document.body.innerText,
        images: [...document.images].map((i) => [i.getAttribute('src'), i.naturalWidth,
                                                  i.getBoundingClientRect().width])};
"""

_BROKEN_NAMES = """
const broken = [];
for (const code of document.querySelectorAll('table.vdc-table code.literal')) {
  const text = code.textContent;
  const node = code.firstChild && code.firstChild.nodeType === 3 ? code.firstChild : null;
  if (!node || text.length < 2) continue;
  const range = document.createRange();
  let previous = null;
  for (let i = 0; i < text.length; i++) {
    range.setStart(node, i); range.setEnd(node, i + 1);
    const rect = range.getClientRects()[0];
    if (!rect) continue;
    if (previous !== null && rect.top > previous + 2) {
      const before = text.slice(0, i).replace(/\u200b+$/, '');
      if (!before.endsWith('/') && !before.endsWith('-') && text[i - 1] !== ' ') {
        const shown = text.replace(/\u200b/g, '');
        broken.push(shown + ' breaks after ' + JSON.stringify(before.slice(-12)));
        break;
      }
    }
    previous = rect.top;
  }
}
return broken;
"""

_BANNER = """
const banner = document.querySelector('#verdict.banner');
if (!banner) return null;
return {text: banner.innerText, background: getComputedStyle(banner).backgroundColor};
"""


def find_driver() -> str | None:
    """chromedriver of Debian's chromium-driver, if installed."""
    for name in DRIVERS:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    return None


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium(browser: str, driver: str) -> Iterator[Any]:
    """A headless Chromium under Selenium, in a fresh profile, quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="vdc-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
        ):
            options.add_argument(flag)
        session = webdriver.Chrome(options=options, service=Service(driver))
        try:
            yield session
        finally:
            session.quit()


def check_page(session: Any, page: Path, svg_text_px: dict[str, float]) -> list[str]:
    """What is wrong with `page` once laid out; `svg_text_px` gives each drawing's
    smallest font size (by file name), to check the size it is shown at."""
    session.get(page.resolve().as_uri())
    found: dict[str, Any] = session.execute_script(_CHECKS)
    problems = [str(problem) for problem in found["problems"]]
    for source, natural, shown in found["images"]:
        smallest = svg_text_px.get(Path(str(source)).name)
        if smallest and natural and smallest * shown / natural < MIN_TEXT_PX:
            size = smallest * shown / natural
            problems.append(f"image {source} shows its text at {size:.1f}px")
    text = str(found["text"])
    problems += [f"raw markup {raw!r} shown as text" for raw in RAW_MARKUP if raw in text]
    return problems


def banner(session: Any, page: Path) -> dict[str, str] | None:
    """The verdict banner of a report page: its text and background colour."""
    session.get(page.resolve().as_uri())
    found: dict[str, str] | None = session.execute_script(_BANNER)
    return found


_VERDICTS = """
return [...document.querySelectorAll('.vdc-verdict')].map((e) => [
  e.className, getComputedStyle(e).backgroundColor, e.getAttribute('href') || '']);
"""


def verdicts(session: Any, page: Path) -> list[tuple[str, str, str]]:
    """Every verdict shown on `page`: its classes, background colour and link."""
    session.get(page.resolve().as_uri())
    found: list[list[str]] = session.execute_script(_VERDICTS)
    return [(c, b, h) for c, b, h in found]


def links(session: Any, page: Path, selector: str) -> list[str]:
    """The resolved targets of the links matching `selector` on `page`."""
    session.get(page.resolve().as_uri())
    script = f"return [...document.querySelectorAll({selector!r})].map((a) => a.href);"
    found: list[str] = session.execute_script(script)
    return found


def names_broken_mid_word(session: Any, page: Path) -> list[str]:
    """Paths in generated tables that wrap inside a name instead of after a separator."""
    session.get(page.resolve().as_uri())
    found: list[str] = session.execute_script(_BROKEN_NAMES)
    return found
