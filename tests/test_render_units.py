"""The renderers' building blocks: readable numbers, 0-100 scores, inert Markdown and CSV cells,
correlation readings, line wrapping and column fitting."""

from __future__ import annotations

import pytest
from rich.text import Text

from backlogctl.output.compare_common import reading
from backlogctl.output.layout import Column, fit_widths
from backlogctl.output.markdown import code_span, markdown_cell
from backlogctl.output.rank_csv import _text as csv_text
from backlogctl.output.text import legend, no_command_lines, readable_number, shown, wrap_line
from backlogctl.scoring.normalize import MIN_MAX, OF_TOP, normalize


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (240000, "240,000"),
        (74666.667, "74,667"),
        (4.3333, "4.33"),
        (14.5, "14.5"),
        (0.25, "0.25"),
        (0.8, "0.8"),
        (100, "100"),
        (99.96, "100"),
        (999.6, "1,000"),
        (0, "0"),
        (-0.0, "0"),
        (-2.5, "-2.5"),
        (-1234567.8, "-1,234,568"),
        (0.00012, "0.00012"),
        (1e16, "1e+16"),
    ],
)
def test_readable_number(value: float, expected: str) -> None:
    assert readable_number(value) == expected


def test_normalize_as_share_of_the_top_score() -> None:
    # 240000 / 240000 = 100; 200000 / 240000 = 83.33 -> 83.3; 1 / 240000 -> 0.0
    result = normalize([240000.0, 200000.0, 1.0])
    assert result.method == OF_TOP
    assert result.values == [100.0, 83.3, 0.0]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10.0, 0.0, -10.0], [100.0, 50.0, 0.0]),  # a negative score: (s + 10) / 20
        ([0.0, 0.0], [100.0, 100.0]),  # top score 0, all equal: every item is the top
        ([0.0, -4.0, -5.0], [100.0, 20.0, 0.0]),  # top 0: (s + 5) / 5
        ([1e308, -1e308], [100.0, 0.0]),  # no overflow to infinity
    ],
)
def test_normalize_min_max_when_negative_or_top_zero(
    scores: list[float], expected: list[float]
) -> None:
    result = normalize(scores)
    assert result.method == MIN_MAX
    assert result.values == expected
    assert "min-max" in result.describe()


def test_normalize_nothing() -> None:
    assert normalize([]).values == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](http://x)", "\\[click\\]\\(http://x)"),
        ("![img](x.png)", "\\!\\[img\\]\\(x.png)"),
        ("@admin and #12", "@&#8203;admin and #&#8203;12"),
        ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
        ("a | b", "a \\| b"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("line\none", "line one"),
        ("\x1b[31mred", "\\\\x1b\\[31mred"),
    ],
)
def test_markdown_cell_is_inert(text: str, expected: str) -> None:
    assert markdown_cell(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a × b", "`a × b`"),
        ("a `b` c", "``a `b` c``"),
        ("`x", "`` `x ``"),
    ],
)
def test_code_span_cannot_be_closed_by_its_text(text: str, expected: str) -> None:
    assert code_span(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        " =1+1",
        "\u00a0=1+1",
        "\u3000=1+1",
        "\n=1+1",
        "\t=1+1",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
    ],
)
def test_csv_formula_starts_are_neutralised(text: str) -> None:
    cell = csv_text(text)
    assert cell.startswith("'")


@pytest.mark.parametrize("text", ["plain", "a=b", "Q4 -> Q1", " leading space"])
def test_csv_plain_text_is_kept(text: str) -> None:
    assert csv_text(text) == text


def test_csv_shows_controls_and_keeps_newlines() -> None:
    assert csv_text("a\x1b[2Jb\nc") == "a\\x1b[2Jb\nc"


@pytest.mark.parametrize(
    ("tau", "expected"),
    [
        (1.0, "strong agreement"),
        (0.7, "strong agreement"),
        (0.69, "moderate agreement"),
        (0.4, "moderate agreement"),
        (0.1, "weak agreement"),
        (0.0, "no relation"),
        (-0.1, "no relation"),
        (-0.11, "some disagreement"),
        (-0.4, "some disagreement"),
        (-0.41, "mostly disagree"),
        (-1.0, "mostly disagree"),
        (None, "not enough items"),
    ],
)
def test_correlation_reading(tau: float | None, expected: str) -> None:
    assert reading(tau) == expected


def test_shown_escapes_controls_and_workflow_commands() -> None:
    assert shown("a\nb\tc") == "a b c"
    assert shown("\u202eevil") == "\\u202eevil"
    assert shown("::error::x") == "\\x3a:error::x"
    assert shown("  ::warning::x") == "\\x3a:warning::x"


def test_legend_spells_out_abbreviations_only() -> None:
    assert legend(["rice.reach", "rice.effort"]) is None
    assert legend(["wsjf.business_value", "wsjf.job_size"]) == (
        "Inputs: BV business value, size job size."
    )


def test_wrap_line_keeps_indentation_and_width() -> None:
    line = "  description: " + "word " * 30
    wrapped = wrap_line(line.rstrip(), 40)
    assert all(len(part) <= 40 for part in wrapped)
    assert wrapped[0].startswith("  description: word")
    assert all(part.startswith("    word") for part in wrapped[1:])
    assert " ".join(part.strip() for part in wrapped) == line.strip()


def test_wrap_line_cuts_a_word_wider_than_the_line() -> None:
    # Continuation lines are indented by two.
    assert wrap_line("x" * 25, 10) == ["x" * 10, "  " + "x" * 8, "  " + "x" * 7]
    assert wrap_line("short", 10) == ["short"]


def test_fit_widths_shrinks_titles_first_then_gives_up() -> None:
    title = Column("Title", [Text("t" * 60)], min_width=20, shrink=0, truncate=True)
    status = Column("Status", [Text("Selected for Development")], min_width=8, shrink=1)
    key = Column("Key", [Text("SHOP-1234")])
    # Natural: 9 + 60 + 24 + borders (3 per column + 1 = 10) = 103.
    assert fit_widths([key, title, status], 103) == [9, 60, 24]
    assert fit_widths([key, title, status], 80) == [9, 37, 24]
    # Title at 20, status down to its longest word ("Development", 11).
    assert fit_widths([key, title, status], 50) == [9, 20, 11]
    assert fit_widths([key, title, status], 49) is None


def test_no_command_lines_escapes_only_line_starts() -> None:
    text = "a ::b\n  ::error::x\n::warning::y\n│ ::cell\n"
    assert no_command_lines(text) == "a ::b\n  \\x3a:error::x\n\\x3a:warning::y\n│ ::cell\n"
