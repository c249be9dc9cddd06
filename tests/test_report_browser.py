"""The report as a person sees it: loaded in headless Chromium, Mermaid checked by Mermaid.

Chromium is driven over the DevTools pipe (``tests/browser.py``). Mermaid's own parser
(``mermaid.parse``, from the npm package) runs in the same browser. Without Chromium or
Mermaid these tests skip with the reason; under ``CI=true`` a skip fails (conftest.py), and
``.ci/run`` installs both. ``BACKLOGCTL_UPDATE_SCREENSHOT=1`` also writes the example's
screenshot to ``docs/report-example.png`` (the README's picture).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from backlogctl.output.report_html import render_report_html
from backlogctl.output.report_markdown import render_report_markdown
from browser import Browser, BrowserError, Page, find_chromium
from report_fixtures import (
    HOSTILE_TITLES,
    ROOT,
    example_report,
    hostile_report,
    mermaid_blocks,
    write_example_history,
)

#: Where .ci/run installs Mermaid (``npm install --prefix``), unless BACKLOGCTL_MERMAID_JS says.
MERMAID_CACHE = Path.home() / ".cache" / "backlogctl-ci" / "mermaid"
MERMAID_DIST = Path("node_modules") / "mermaid" / "dist" / "mermaid.min.js"

SCREENSHOT = ROOT / "docs" / "report-example.png"

pytestmark = pytest.mark.slow


def mermaid_js() -> Path | None:
    """Mermaid's browser bundle: ``BACKLOGCTL_MERMAID_JS``, else .ci/run's npm cache folder."""
    named = os.environ.get("BACKLOGCTL_MERMAID_JS")
    path = Path(named) if named else MERMAID_CACHE / MERMAID_DIST
    return path if path.is_file() else None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "Chromium not found (install Debian's chromium package, or set "
            "BACKLOGCTL_CHROMIUM): the report is not checked in a browser"
        )
    with Browser(executable, tmp_path_factory.mktemp("chromium-profile")) as running:
        yield running


def _load(browser: Browser, html: str, folder: Path) -> tuple[Page, str]:
    page_file = folder / "report.html"
    page_file.write_text(html, encoding="utf-8")
    url = page_file.as_uri()
    page = browser.open_page(width=1280, height=900)
    page.navigate(url)
    return page, url


_GEOMETRY = """JSON.stringify((() => {
  const svg = document.getElementById("value-effort-matrix");
  const box = svg.getBoundingClientRect();
  const circles = [...svg.querySelectorAll("circle[data-key]")].map(c => {
    const r = c.getBoundingClientRect();
    return {key: c.dataset.key, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  });
  return {box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom,
                width: box.width, height: box.height}, circles};
})())"""


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_example_report_in_chromium(browser: Browser, tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    write_example_history(history)
    report = example_report(history=history)
    assert report.history is not None
    assert report.matrix is not None
    page, url = _load(browser, render_report_html(report), tmp_path)
    assert page.console_errors() == []
    assert page.requested_urls() == [url]
    geometry = json.loads(page.evaluate(_GEOMETRY))
    box = geometry["box"]
    assert box["width"] > 0 and box["height"] > 0
    circles = geometry["circles"]
    assert sorted(c["key"] for c in circles) == sorted(p.key for p in report.matrix.points)
    for circle in circles:
        assert box["left"] <= circle["left"] and circle["right"] <= box["right"], circle
        assert box["top"] <= circle["top"] and circle["bottom"] <= box["bottom"], circle
    shot = tmp_path / "report-1280.png"
    width, height = page.screenshot(shot)
    assert _png_size(shot) == (1280, height) and width == 1280
    assert height > 2000  # every section, not just the first screen
    if os.environ.get("BACKLOGCTL_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)


def test_hostile_titles_stay_text_in_chromium(browser: Browser, tmp_path: Path) -> None:
    page, url = _load(browser, render_report_html(hostile_report()), tmp_path)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script, img, iframe, object').length") == 0
    assert page.evaluate("document.querySelectorAll('svg').length") == 3
    shown = page.evaluate("document.body.innerText")
    for title in HOSTILE_TITLES:
        assert title in shown
    assert page.console_errors() == []
    assert page.requested_urls() == [url]


@pytest.fixture(scope="module")
def mermaid(browser: Browser) -> Page:
    bundle = mermaid_js()
    if bundle is None:
        pytest.skip(
            "Mermaid not found (npm install --prefix ~/.cache/backlogctl-ci/mermaid mermaid, "
            "or set BACKLOGCTL_MERMAID_JS): Mermaid blocks are not validated"
        )
    page = browser.open_page()
    page.evaluate(bundle.read_text(encoding="utf-8"))
    page.evaluate("mermaid.initialize({startOnLoad: false}); true")
    return page


def _parse(page: Page, block: str) -> str:
    """The diagram type Mermaid's parser reads from ``block``; BrowserError when it fails."""
    result = page.evaluate(
        f"mermaid.parse({json.dumps(block)}).then(r => r.diagramType)", await_promise=True
    )
    return str(result)


@pytest.mark.parametrize("which", ["example", "hostile"])
def test_mermaid_blocks_parse_with_mermaid(mermaid: Page, which: str) -> None:
    report = example_report() if which == "example" else hostile_report()
    blocks = mermaid_blocks(render_report_markdown(report))
    assert [_parse(mermaid, block) for block in blocks] == ["quadrantChart", "xychart", "xychart"]


def test_mermaid_rejects_what_the_report_avoids(mermaid: Page) -> None:
    # The parser is really checking: a coordinate outside Mermaid's grammar fails.
    with pytest.raises(BrowserError, match=r"Lexical error|Parse error"):
        _parse(mermaid, 'quadrantChart\n    "a": [1.5, 0.5]\n')


def test_the_report_prints_on_a4(browser: Browser, tmp_path: Path) -> None:
    page, _ = _load(browser, render_report_html(example_report()), tmp_path)
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    pdf = page.call(
        "Page.printToPDF",
        {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True},
    )
    document = base64.b64decode(pdf["data"])
    assert document.startswith(b"%PDF")
    pages = document.count(b"/Type /Page") - document.count(b"/Type /Pages")
    assert 2 <= pages <= 12
    (tmp_path / "report-a4.pdf").write_bytes(document)
    # At A4 width (210 mm less the margins, 96 px per inch) the matrix fits the page.
    page.resize(707, 1000)
    width = page.evaluate(
        "document.getElementById('value-effort-matrix').getBoundingClientRect().width"
    )
    assert 0 < width <= 707
