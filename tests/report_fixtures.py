"""Backlogs and helpers shared by the report tests (``test_report*.py``)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
from html5lib.constants import namespaces

from backlogctl.config import Config, load_config
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem, RiceInputs, SourceLocation
from backlogctl.report.build import build_report
from backlogctl.report.model import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "examples" / "shop" / "backlogctl.yaml"
#: The example's report is always rendered as of this day (screenshots are comparable).
AS_OF = "2026-11-25"
AS_OF_TIME = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)

#: Titles that would be markup if any renderer let them through.
HOSTILE_TITLES = (
    "<script>window.__pwned = 1</script>",
    "Close the chart </svg><svg onload=window.__pwned=2>",
    '<img src=x onerror="window.__pwned=3"> image',
    "Quotes \" and ' and &amp; and `back`ticks``",
    "Mermaid ]:::evil --> B[x] and %%{init: {}}%% and ```fence",
)

#: A key with Mermaid and Markdown syntax (keys are untrusted too).
HOSTILE_KEY = 'K-"]:::x-->`y`'

_SVG = namespaces["svg"]
_HTML = namespaces["html"]

MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def hostile_backlog() -> Backlog:
    """Items with hostile titles, assignees and stakeholders (one with a hostile key)."""
    items = []
    for number, title in enumerate(HOSTILE_TITLES, start=1):
        items.append(
            BacklogItem(
                key=HOSTILE_KEY if number == 5 else f"EVIL-{number}",
                title=title,
                status="To Do",
                assignee=f"<b>Mallory {number}</b>",
                stakeholders=["<script>alert(1)</script>", "@everyone"],
                estimate=number,
                rice=RiceInputs(reach=100 * number, impact=1, confidence=0.8, effort=number),
                source=SourceLocation(file="hostile.yaml", line=number),
            )
        )
    return Backlog(items=items)


def example_report(
    *, model: str = "rice", redact: bool = False, history: Path | None = None
) -> Report:
    """The report of the example backlog (examples/shop) as of ``AS_OF``, compared with the
    snapshots of ``history`` when given."""
    from backlogctl.report.history_section import load_snapshot

    config = load_config(EXAMPLE_CONFIG)
    return build_report(
        load_backlog([], config),
        config,
        model=model,
        as_of=AS_OF_TIME,
        sources=["examples/shop/backlog"],
        redact=redact,
        snapshots=None if history is None else load_snapshot(history, model, AS_OF_TIME),
    )


#: The example's history: three snapshots before the as-of day, each an earlier state.
SNAPSHOT_DAYS = (dt.date(2026, 11, 4), dt.date(2026, 11, 11), dt.date(2026, 11, 18))


def _earlier(item: BacklogItem, step: int) -> BacklogItem:
    """``item`` as it was ``step`` snapshots before now (3: the oldest)."""
    if item.key in ("SHOP-305", "SHOP-363") and step >= 1:
        return item.model_copy(update={"status": "In Progress", "status_category": "in_progress"})
    if item.key == "SHOP-398" and item.rice is not None:
        # The Safari bug was thought minor until analytics showed the lost orders.
        rice = item.rice.model_copy(update={"impact": 0.5 if step >= 2 else 1.0})
        return item.model_copy(update={"rice": rice})
    if item.key == "SHOP-394" and item.rice is not None and step >= 1:
        return item.model_copy(update={"rice": item.rice.model_copy(update={"effort": 3.0})})
    return item


def write_example_history(path: Path) -> None:
    """A history file of the example backlog with three earlier snapshots (rice and wsjf)."""
    from backlogctl.history.state import capture
    from backlogctl.history.store import open_history
    from backlogctl.scoring.registry import get_model

    config = load_config(EXAMPLE_CONFIG)
    backlog = load_backlog([], config)
    models = [get_model("rice", config), get_model("wsjf", config)]
    with open_history(path, create=True) as store:
        for step, day in zip((3, 2, 1), SNAPSHOT_DAYS, strict=True):
            earlier = backlog.model_copy(
                update={"items": [_earlier(item, step) for item in backlog.items]}
            )
            taken = dt.datetime(day.year, day.month, day.day, 16, 0, tzinfo=dt.UTC)
            state = capture(earlier, config, models, as_of=taken)
            store.add(state, taken=taken, note=f"refinement {day.isoformat()}")


def hostile_report(*, redact: bool = False) -> Report:
    """The report of ``hostile_backlog`` under RICE."""
    return build_report(
        hostile_backlog(),
        Config(),
        model="rice",
        as_of=AS_OF_TIME,
        sources=["hostile.yaml"],
        redact=redact,
    )


def parse_html(text: str) -> ET.Element:
    """The HTML document, parsed by html5lib in strict mode: any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    document: ET.Element = parser.parse(text)
    return document


def elements(document: ET.Element, tag: str, namespace: str = _HTML) -> list[ET.Element]:
    """Every element called ``tag`` (HTML namespace unless another is given)."""
    return list(document.iter(f"{{{namespace}}}{tag}"))


def svg_elements(document: ET.Element, tag: str) -> list[ET.Element]:
    """Every SVG element called ``tag``."""
    return elements(document, tag, _SVG)


def text_of(document: ET.Element) -> str:
    """All the document's text, as a reader would see it (tags dropped)."""
    return "".join(document.itertext())


def mermaid_blocks(markdown: str) -> list[str]:
    """The bodies of the Markdown's ```mermaid blocks."""
    return MERMAID_BLOCK.findall(markdown)
