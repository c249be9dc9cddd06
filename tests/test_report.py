"""``backlogctl report``: what the HTML page and the Markdown show, and what they never do.

The page is parsed by html5lib in strict mode (any HTML5 parse error fails the test); the
Markdown is rendered by markdown-it (CommonMark, raw HTML on, as a wiki would) to check that
hostile text stays text. The browser tests (``test_report_browser.py``) load the page in
Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config, load_config
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem, RiceInputs, SourceLocation, WsjfInputs
from backlogctl.output.report_html import render_report_html
from backlogctl.output.report_markdown import render_report_markdown
from backlogctl.output.report_mermaid import coordinate, mermaid_name
from backlogctl.report.build import build_report
from report_fixtures import (
    AS_OF,
    AS_OF_TIME,
    EXAMPLE_CONFIG,
    HOSTILE_KEY,
    HOSTILE_TITLES,
    ROOT,
    elements,
    example_report,
    hostile_report,
    mermaid_blocks,
    parse_html,
    svg_elements,
    text_of,
)

runner = CliRunner()


def run(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def test_html_report_of_the_example_parses_and_shows_every_section(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = run(
        "report", "--config", str(EXAMPLE_CONFIG), "--as-of", AS_OF, "-o", str(target)
    )
    assert code == 0, err
    assert f"wrote html report to {target}" in err
    html = target.read_text(encoding="utf-8")
    document = parse_html(html)  # strict: raises on the first HTML5 parse error
    headings = [text_of(heading) for heading in elements(document, "h2")]
    assert headings == [
        "Headline",
        "Top 10 by rice",
        "Value and effort",
        "Backlog health",
        "Objectives and key results",
        "Stakeholders",
        "How the models agree",
        "How to read this",
    ]
    text = " ".join(text_of(document).split())
    assert [time.get("datetime") for time in elements(document, "time")] == ["2026-11-25"]
    assert "76 open items" in text
    assert "SHOP-398" in text and '"Place order" button hidden behind the Safari toolbar' in text
    assert "cautious_rice and rice" not in text
    assert re.search(r"rice and cautious_rice: 9 of the top 10 shared", text)
    assert "over the 64 items both score: strong agreement (Kendall τ 0.93)" in text
    report = example_report()
    assert report.matrix is not None
    circles = [c for c in svg_elements(document, "circle") if c.get("data-key")]
    assert [c.get("data-key") for c in reversed(circles)] == [p.key for p in report.matrix.points]
    titles = svg_elements(document, "title")
    assert any("Value and effort of 64 open items under rice" in (t.text or "") for t in titles)
    assert "(log scale)" in text  # RICE values here span 4 to 200,000


def test_html_is_self_contained() -> None:
    html = render_report_html(example_report())
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"\bsrc=", html)
    # The only url() references point into the page itself (SVG patterns).
    assert set(re.findall(r"url\(([^)]*)\)", html)) == {
        "#hatch-warning",
        "#dots-info",
        "#dots-other",
    }
    assert "@media print" in html
    assert len(html.encode()) < 2_000_000


def test_markdown_report_has_the_same_sections_and_valid_mermaid_numbers() -> None:
    code, out, err = run(
        "report", "--config", str(EXAMPLE_CONFIG), "--as-of", AS_OF, "--format", "markdown"
    )
    assert code == 0, err
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Headline",
        "## Top 10 by rice",
        "## Value and effort",
        "## Backlog health",
        "## Objectives and key results",
        "## Stakeholders",
        "## How the models agree",
        "## How to read this",
    ]
    blocks = mermaid_blocks(out)
    assert [block.split("\n", 1)[0] for block in blocks] == [
        "quadrantChart",
        "xychart-beta",
        "xychart-beta",
    ]
    points = re.findall(r'^    "(\d+) ([^"]*)": \[([^,\]]*), ([^\]]*)\]$', blocks[0], re.M)
    assert len(points) == 20
    for _, _, x, y in points:
        for number in (x, y):
            assert re.fullmatch(r"0|1|0\.\d+", number), number
    assert points[0][:2] == ("1", "SHOP-398")
    # SHOP-398: effort 0.25 at or below the median (1), value above it: a quick win, top left.
    assert float(points[0][2]) < 0.5 < float(points[0][3])
    assert "| Quick wins | 21 |" in out


def test_markdown_to_a_file_is_chosen_by_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "REPORT.md"
    code, out, _err = run(
        "report", "--config", str(EXAMPLE_CONFIG), "--as-of", AS_OF, "-o", str(target)
    )
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("# Backlog report\n")


@pytest.mark.parametrize("redact", [False, True])
def test_hostile_text_is_shown_as_text_in_html(redact: bool) -> None:
    html = render_report_html(hostile_report(redact=redact))
    document = parse_html(html)
    for tag in ("script", "img", "b", "iframe"):
        assert elements(document, tag) == []
    # Only the charts the report draws: a title's "</svg><svg onload>" made no element.
    assert [svg.get("id") for svg in svg_elements(document, "svg")] == [
        "value-effort-matrix",
        "findings-by-family",
        "stakeholder-requests",
    ]
    assert not any(key.startswith("on") for el in document.iter() for key in el.attrib)
    text = text_of(document)
    keys = {c.get("data-key") for c in svg_elements(document, "circle") if c.get("data-key")}
    assert keys == {"EVIL-1", "EVIL-2", "EVIL-3", "EVIL-4", HOSTILE_KEY}
    if redact:
        for title in HOSTILE_TITLES:
            assert title not in html and title not in text
        assert "Mallory" not in text and "Person 1" in text
    else:
        for title in HOSTILE_TITLES:
            assert title in text
        assert "<b>Mallory 1</b>" in text


def _rendered_markdown(markdown: str) -> str:
    rendered: str = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return rendered


def test_hostile_text_is_shown_as_text_in_markdown() -> None:
    markdown = render_report_markdown(hostile_report())
    document = parse_html(f"<!DOCTYPE html><title>t</title>{_rendered_markdown(markdown)}")
    for tag in ("script", "img", "b", "svg"):
        assert elements(document, tag) == []
    text = text_of(document)
    for title in HOSTILE_TITLES:
        assert title in text
    # Titles never reach a Mermaid block; keys do only in a reduced alphabet.
    for block in mermaid_blocks(markdown):
        assert not any(mark in block for mark in ("<", "`", ":::", "-->  B", "%%"))
        for line in block.splitlines()[1:]:
            assert ":::" not in line and "`" not in line
        assert HOSTILE_KEY not in block
    assert '"5 K-_____x--__y_"' in markdown


def test_redact_removes_titles_and_names_from_both_formats() -> None:
    report = example_report(redact=True)
    for text in (render_report_html(report), render_report_markdown(report)):
        assert "Place order" not in text
        assert "Amara Diallo" not in text
        assert "SHOP-398" in text
        assert "Person 1" in text
        assert "Redacted" in text


def test_a_model_that_scores_nothing_is_named_and_skipped() -> None:
    config = Config.model_validate({"models": {"by_revenue": {"formula": "fields.revenue * 2"}}})
    items = [
        BacklogItem(
            key=f"A-{n}",
            title=f"Item {n}",
            rank=n,
            estimate=n,
            rice=RiceInputs(reach=10 * n, impact=1, confidence=1, effort=n),
            wsjf=WsjfInputs(business_value=n, time_criticality=1, risk_reduction=1, job_size=8 - n),
        )
        for n in range(1, 6)
    ]
    report = build_report(
        Backlog(items=items), config, model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    assert ("by_revenue", "scores no open item") in report.agreement.skipped
    assert ("ice", "scores no open item") in report.agreement.skipped
    assert [pair.other for pair in report.agreement.pairs] == ["wsjf", "current"]
    markdown = render_report_markdown(report)
    assert "- Skipped: by\\_revenue scores no open item." in markdown


def test_a_matrix_beyond_the_limit_counts_the_rest_per_quadrant() -> None:
    items = [
        BacklogItem(
            key=f"B-{n}",
            title=f"Item {n}",
            rice=RiceInputs(reach=n, impact=1, confidence=1, effort=1 + n % 7),
        )
        for n in range(1, 401)
    ]
    report = build_report(
        Backlog(items=items), Config(), model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    matrix = report.matrix
    assert matrix is not None
    assert len(matrix.points) == 300
    assert matrix.aggregated_total == 100
    assert sum(matrix.quadrant_counts().values()) == 400
    html = render_report_html(report)
    assert "100 more are not drawn (only the best ranked 300 are)" in html
    assert html.count("data-key=") == 300
    assert matrix.value.log  # 1 to 400: more than a hundredfold
    assert not matrix.effort.log


def test_points_that_coincide_are_grouped_with_a_count() -> None:
    items = [
        BacklogItem(
            key=f"C-{n}",
            title=f"Item {n}",
            rice=RiceInputs(reach=100 if n <= 3 else n, impact=1, confidence=1, effort=2),
        )
        for n in range(1, 7)
    ]
    report = build_report(
        Backlog(items=items), Config(), model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    assert report.matrix is not None
    groups = [group for group in report.matrix.groups if len(group) > 1]
    assert [[report.matrix.points[i].key for i in group] for group in groups] == [
        ["C-1", "C-2", "C-3"]
    ]
    document = parse_html(render_report_html(report))
    counts = [el.text for el in svg_elements(document, "text") if el.get("class") == "count"]
    assert counts == ["×3"]
    # Every item keeps its own circle (one per plotted item), drawn at the same spot.
    assert len([c for c in svg_elements(document, "circle") if c.get("data-key")]) == 6


def test_a_model_without_effort_input_plots_the_score_against_the_estimate() -> None:
    code, out, err = run(
        "report", "--config", str(EXAMPLE_CONFIG), "--as-of", AS_OF, "-m", "ice", "-f", "markdown"
    )
    assert code == 0, err
    assert "Up: Value: ice score. Right: Effort: estimate." in out
    assert re.search(r"\d+ scored open items have no estimate and are left out\.", out)


def test_wsjf_plots_cost_of_delay_against_job_size() -> None:
    report = example_report(model="wsjf")
    assert report.matrix is not None
    assert report.matrix.value.label.startswith("Value: cost of delay")
    first = report.matrix.points[0]
    item = next(
        i for i in load_backlog([], load_config(EXAMPLE_CONFIG)).items if i.key == first.key
    )
    assert item.wsjf is not None
    assert first.effort == item.wsjf.job_size
    assert first.value == (
        (item.wsjf.business_value or 0)
        + (item.wsjf.time_criticality or 0)
        + (item.wsjf.risk_reduction or 0)
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.0, "0"),
        (-1.0, "0"),
        (1.0, "1"),
        (2.0, "1"),
        (0.5, "0.5"),
        (0.02, "0.02"),
        (0.123456, "0.1235"),
        (0.00001, "0"),
        (float("nan"), "0"),
    ],
)
def test_mermaid_coordinates_follow_its_grammar(value: float, written: str) -> None:
    assert coordinate(value) == written


def test_mermaid_names_keep_only_inert_characters() -> None:
    assert mermaid_name('SHOP-1"]:::x --> `y`') == "SHOP-1_____x --_ _y_"
    assert mermaid_name("") == "_"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--model", "nope"], "unknown model 'nope'"),
        (["--as-of", "yesterday"], "--as-of: expected a date like 2026-01-31"),
        (["--top", "0"], "--top"),
        (["--format", "pdf"], "--format"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(arguments: list[str], message: str) -> None:
    code, _, err = run("report", "--config", str(EXAMPLE_CONFIG), *arguments)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_missing_source_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run("report", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert err.startswith("backlogctl: error: ") and err.count("\n") == 1


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "report.html"
    code, _, err = run("report", "--config", str(EXAMPLE_CONFIG), "-o", str(target))
    assert code == 2
    assert err.startswith("backlogctl: error: ") and "Traceback" not in err


def test_the_readme_documents_the_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Share the state of the backlog" in readme
    assert "docs/report-example.png" in readme
    assert (ROOT / "docs" / "report-example.png").is_file()


def test_a_report_model_that_scores_nothing_compares_nothing() -> None:
    items = [
        BacklogItem(
            key=f"W-{n}",
            title=f"Item {n}",
            wsjf=WsjfInputs(business_value=n, time_criticality=1, risk_reduction=1, job_size=2),
        )
        for n in range(1, 4)
    ]
    report = build_report(
        Backlog(items=items), Config(), model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    assert report.agreement.pairs == ()
    assert report.matrix is None
    markdown = render_report_markdown(report)
    assert "Nothing to compare: rice scores no open item." in markdown
    assert "Skipped" not in markdown
    text = " ".join(text_of(parse_html(render_report_html(report))).split())
    assert "Nothing to compare: rice scores no open item." in text
    assert "No open item can be scored by rice." in text


@pytest.mark.parametrize(
    "items",
    [[], [BacklogItem(key="D-1", title="Done", status="Done", status_category="done")]],
    ids=["empty", "all done"],
)
def test_an_empty_backlog_still_makes_a_valid_report(items: list[BacklogItem]) -> None:
    report = build_report(
        Backlog(items=items), Config(), model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    document = parse_html(render_report_html(report))
    text = " ".join(text_of(document).split())
    assert "0 open items" in text
    assert "nothing to plot" in text
    assert "## Value and effort" in render_report_markdown(report)


def test_jira_links_are_links_and_other_schemes_are_not() -> None:
    items = [
        BacklogItem(
            key=key,
            title=f"Item {key}",
            rice=RiceInputs(reach=10, impact=1, confidence=1, effort=1),
            source=SourceLocation(url=url),
        )
        for key, url in (
            ("J-1", "https://jira.example.com/browse/J-1"),
            ("J-2", "javascript:alert(1)"),
        )
    ]
    report = build_report(
        Backlog(items=items), Config(), model="rice", as_of=AS_OF_TIME, sources=["x.yaml"]
    )
    document = parse_html(render_report_html(report))
    hrefs = {
        a.get("href") for a in elements(document, "a") if not a.get("href", "#").startswith("#")
    }
    assert hrefs == {"https://jira.example.com/browse/J-1"}
    markdown = render_report_markdown(report)
    assert "[J-1](https://jira.example.com/browse/J-1)" in markdown
    assert "javascript:" not in markdown


#: Controls, C1, DEL and bidi characters that must never reach a page or a wiki raw.
_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@pytest.mark.parametrize("format_", ["html", "markdown"])
def test_the_shared_hostile_backlog_is_inert(format_: str, tmp_path: Path) -> None:
    hostile = ROOT / "tests" / "data" / "hostile.yaml"
    config = tmp_path / "backlogctl.yaml"
    config.write_text("lint: {select: [S, D, E, H, W]}\n", encoding="utf-8")
    code, out, err = run(
        "report", str(hostile), "--config", str(config), "--as-of", AS_OF, "-f", format_
    )
    assert code == 0, err
    assert _RAW.search(out) is None
    assert not re.search(r"^\s*::", out, re.MULTILINE)
    page = out if format_ == "html" else _rendered_markdown(out)
    if format_ == "markdown":
        page = f"<!DOCTYPE html><title>t</title>{page}"
    document = parse_html(page)
    assert elements(document, "script") == [] and elements(document, "img") == []
    # The OSC sequence of a title is shown as text, as written.
    assert "Window title \\x1b]0;pwned\\x07 NUL" in text_of(document)
