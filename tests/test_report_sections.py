"""The report's optional sections: OKR, stakeholders and "since the last snapshot".

The history is a real SQLite history file written through the history API: three earlier
states of the example backlog (``report_fixtures.write_example_history``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.history.state import capture
from backlogctl.history.store import open_history
from backlogctl.insights.okr import KeyResultProgress
from backlogctl.models import Backlog, BacklogItem, Objective, RiceInputs, Stakeholder
from backlogctl.output.report_html import render_report_html
from backlogctl.output.report_markdown import render_report_markdown
from backlogctl.output.report_words import metric_words
from backlogctl.report.build import build_report
from backlogctl.scoring.registry import get_model
from report_fixtures import (
    AS_OF,
    AS_OF_TIME,
    EXAMPLE_CONFIG,
    elements,
    mermaid_blocks,
    parse_html,
    text_of,
    write_example_history,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.sqlite"
    write_example_history(path)
    return path


def report(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["report", "--config", str(EXAMPLE_CONFIG), "--as-of", AS_OF, *arguments]
    )
    return result.exit_code, result.stdout, result.stderr


def section(markdown: str, heading: str) -> str:
    """The Markdown between ``## heading`` and the next ``## ``."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_history_shows_delivered_items_and_top_moves_with_their_reasons(history: Path) -> None:
    code, out, err = report("--format", "markdown", "--history", str(history))
    assert code == 0, err
    text = section(out, "Since the last snapshot")
    assert "Compared with snapshot 3 of 2026-11-18 (refinement 2026-11-18): 2 delivered" in text
    assert "- `SHOP-305` Shipping notification emails with tracking link" in text
    assert "- `SHOP-363` Autoscaling for the storefront pods" in text
    assert "| Rank | Key | Title | Move since 2026-11-18 | What changed |" in text
    rows = {line.split(" | ")[1]: line for line in text.splitlines() if line.startswith("| ")}
    # SHOP-398 moved up because its own impact changed; SHOP-345 only because others moved.
    assert rows["`SHOP-398`"].endswith("| ▲ 1 (was 2) | rice.impact 1 → 2 |")
    assert rows["`SHOP-345`"].endswith("| ▼ 1 (was 1) |  |")
    assert rows["`SHOP-394`"].endswith("| ▲ 16 (was 19) | rice.effort 3 → 1 |")
    assert "### Left the top 10" in text
    assert "| `SHOP-366` | Newsletter signup A/B test | 10 | 11 |" in text


def test_history_in_html(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = report("--history", str(history), "-o", str(target))
    assert code == 0, err
    document = parse_html(target.read_text(encoding="utf-8"))
    headings = [text_of(heading) for heading in elements(document, "h2")]
    assert headings[4:7] == [
        "Objectives and key results",
        "Stakeholders",
        "Since the last snapshot",
    ]
    text = " ".join(text_of(document).split())
    assert "▲ 16 (was 19)" in text and "rice.effort 3 → 1" in text


def test_history_under_another_model_and_before_the_first_snapshot(history: Path) -> None:
    code, out, _ = report("-f", "markdown", "--history", str(history), "--model", "ice")
    assert code == 0
    assert (
        "No comparison: no snapshot ranks under ice yet: take one with 'backlogctl snapshot "
        "--model ice'." in section(out, "Since the last snapshot")
    )
    result = runner.invoke(
        app,
        [
            *("report", "--config", str(EXAMPLE_CONFIG), "--as-of", "2026-11-01"),
            *("-f", "markdown", "--history", str(history)),
        ],
    )
    assert result.exit_code == 0
    assert "No comparison: no snapshot taken on or before the as-of date." in result.stdout


def test_the_snapshot_compared_is_the_last_one_by_the_as_of_day(history: Path) -> None:
    code, out, _ = report("-f", "markdown", "--history", str(history), "--as-of", "2026-11-12")
    assert code == 0
    text = section(out, "Since the last snapshot")
    assert "Compared with snapshot 2 of 2026-11-11" in text
    assert "| Rank | Key | Title | Move since 2026-11-11 | What changed |" in text


def test_a_missing_history_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = report("--history", str(tmp_path / "none.sqlite"))
    assert code == 2
    assert "none.sqlite: no history file" in err and err.count("\n") == 1


def test_a_file_that_is_not_a_history_is_one_line_and_exit_2(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    other.write_text("not a database at all, just text" * 100, encoding="utf-8")
    code, _, err = report("--history", str(other))
    assert code == 2
    assert err.startswith("backlogctl: error: ") and "Traceback" not in err


def test_redacted_history_shows_no_titles(history: Path) -> None:
    code, out, _ = report("-f", "markdown", "--history", str(history), "--redact")
    assert code == 0
    assert "Shipping notification" not in out and "Place order" not in out
    assert "| 1 | `SHOP-398` | ▲ 1 (was 2) |" in out


def test_no_history_section_without_a_history_file() -> None:
    code, out, _ = report("-f", "markdown")
    assert code == 0
    assert "## Since the last snapshot" not in out


def _goals_backlog() -> Backlog:
    objectives = [
        Objective(key="O1", title="Grow"),
        Objective(
            key="KR-1",
            title="More orders",
            parent="O1",
            metric="orders",
            unit="k",
            start=10,
            target=20,
            current=15,
        ),
        Objective(
            key="KR-2", title="Fast pages", parent="O1", keep_below=2.5, current=3.1, unit="s"
        ),
        Objective(key="KR-3", title="Nobody works on this", parent="O1"),
    ]
    items = [
        BacklogItem(
            key=f"G-{n}",
            title=f"Item {n}",
            objective="KR-1" if n < 3 else "KR-2",
            estimate=n,
            stakeholders=["<Boss> & co", "CFO"] if n == 1 else ["CFO"],
            rice=RiceInputs(reach=n * 10, impact=1, confidence=1, effort=1),
        )
        for n in range(1, 5)
    ]
    stakeholders = [
        Stakeholder(name="CFO", influence="high", interest="high", contact="cfo@example.com")
    ]
    return Backlog(items=items, objectives=objectives, stakeholders=stakeholders)


def test_okr_and_stakeholder_sections_in_both_formats() -> None:
    result = build_report(
        _goals_backlog(), Config(), model="rice", as_of=AS_OF_TIME, sources=["goals.yaml"]
    )
    markdown = render_report_markdown(result)
    okr = section(markdown, "Objectives and key results")
    assert "| `KR-1` | More orders | 2 | 0 | 0% | from 10 to 20 k, now 15: 50% of the way |" in okr
    assert "| `KR-2` | Fast pages | 2 | 0 | 0% | keep below 2.5 s: ✖ not met, now 3.1 |" in okr
    assert re.search(r"- ▲ `KR-3`: .*", okr)
    people = section(markdown, "Stakeholders")
    assert "| \\<Boss\\> &#8203;& co | — | 1 | 1 |" not in people  # undeclared: no grid value
    assert "| CFO | manage closely | 4 |" in people
    assert "\\<Boss\\> \\& co (undeclared)" in people
    chart = mermaid_blocks(people)[0]
    assert '"_Boss_ _ co"' in chart and "<" not in chart
    html = render_report_html(result)
    document = parse_html(html)
    assert elements(document, "Boss") == []
    text = " ".join(text_of(document).split())
    assert "<Boss> & co (undeclared)" in text
    assert "keep below 2.5 s: ✖ not met, now 3.1" in text
    assert "cfo@example.com" not in html


def test_redact_replaces_stakeholder_names_everywhere() -> None:
    result = build_report(
        _goals_backlog(),
        Config(),
        model="rice",
        as_of=AS_OF_TIME,
        sources=["goals.yaml"],
        redact=True,
    )
    for text in (render_report_html(result), render_report_markdown(result)):
        assert "CFO" not in text and "Boss" not in text
        assert "Stakeholder 1" in text and "Stakeholder 2" in text


def test_metric_words_without_a_current_value() -> None:
    result = KeyResultProgress(key="KR", title="t", keep_above=99.9, unit="%")
    assert metric_words(result) == "keep above 99.9 %: no current value"
    assert metric_words(KeyResultProgress(key="KR", title="t")) == "—"


def test_a_snapshot_of_a_hostile_note_is_shown_as_text(tmp_path: Path) -> None:
    backlog = _goals_backlog()
    config = Config()
    path = tmp_path / "history.sqlite"
    taken = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    with open_history(path, create=True) as store:
        state = capture(backlog, config, [get_model("rice", config)], as_of=taken)
        store.add(state, taken=taken, note="<script>alert(1)</script> `x` | y")
    from backlogctl.report.history_section import load_snapshot

    result = build_report(
        backlog,
        config,
        model="rice",
        as_of=AS_OF_TIME,
        sources=["goals.yaml"],
        snapshots=load_snapshot(path, "rice", AS_OF_TIME),
    )
    document = parse_html(render_report_html(result))
    assert elements(document, "script") == []
    assert "“<script>alert(1)</script> `x` | y”" in text_of(document)
    markdown = render_report_markdown(result)
    assert "(\\<script\\>alert\\(1)\\</script\\> \\`x\\` \\| y)" in markdown
