"""Hostile item text (tests/data/hostile.yaml) through every rank, models, compare and explain
output: shown inert everywhere, kept exactly in JSON.

Inert means: no raw ESC, BEL, NUL, C1, DEL or bidi character (they would recolour the
terminal, retitle its window or reorder what is read), no line starting with ``::`` (GitHub's
runner would execute it), Rich markup in the data shown as written rather than applied, and in
Markdown no link, image, mention or HTML that GitHub would render.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli import common
from backlogctl.cli import compare as compare_cli
from backlogctl.cli import rank as rank_cli
from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.loader import load_backlog
from terminal import run_on_terminal

DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "hostile.yaml"
#: A custom model whose name is plain but whose description is hostile (for ``models``).
CONFIG = """\
models:
  evil:
    formula: rice.reach * 2
    description: "\\e]0;pwned\\a [bold]desc[/bold] \\u202Eevil \\x9b31m"
"""

_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

RANK_FORMATS = ["table", "csv", "markdown"]
COMPARE = ["compare", str(HOSTILE), "--models", "rice,wsjf,ice,current"]
EXPLAIN = ["explain", "EVIL-2", str(HOSTILE)]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "backlogctl.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _run(*arguments: str, terminal: bool = False, width: int = 200) -> str:
    with pytest.MonkeyPatch.context() as patch:
        for module in (common, rank_cli, compare_cli):
            patch.setattr(module, "stdout_is_terminal", lambda: terminal)
            patch.setattr(module, "color_enabled", lambda: False)
        result = CliRunner().invoke(app, list(arguments), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert _RAW.findall(result.stderr) == []
    return result.stdout


def assert_inert(text: str) -> None:
    """No raw control or bidi character, no line that GitHub's runner would execute."""
    assert _RAW.findall(text) == []
    assert [line for line in text.splitlines() if line.lstrip().startswith("::")] == []


def assert_inert_markdown(text: str) -> None:
    """``assert_inert``, and no Markdown or HTML that GitHub would act on once the
    backslash-escaped characters (shown as written) are taken out."""
    assert_inert(text)
    active = re.sub(r"\\.", "", text)
    for token in ("](", "![", "<img", "<script", "<!--", "@admin", "@everyone", "```"):
        assert token not in active, token


def _titles() -> dict[str, str]:
    backlog = load_backlog([str(HOSTILE)], Config())
    return {item.key: item.title for item in backlog.items}


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
@pytest.mark.parametrize("fmt", RANK_FORMATS)
def test_rank_outputs_are_inert(config: Path, fmt: str, explain: bool) -> None:
    arguments = ["rank", str(HOSTILE), "-f", fmt, *(["--explain"] if explain else [])]
    out = _run(*arguments)
    if fmt == "markdown":
        assert_inert_markdown(out)
        assert "\\\\x1b\\[31malert" in out  # shown (escaped), not dropped
    else:
        assert_inert(out)
        assert "\\x1b[31malert" in out  # shown, not dropped


@pytest.mark.parametrize("width", [60, 200])
def test_rank_rich_table_shows_markup_as_written(config: Path, width: int) -> None:
    out = _run("rank", str(HOSTILE), "--explain", terminal=True, width=width)
    assert_inert(out)
    assert "│" in out
    if width == 200:
        assert "[bold red]Rich markup[/] and [link=http://evil.example]link[/link]" in out


def test_rank_table_on_a_real_terminal(config: Path) -> None:
    code, out = run_on_terminal(["rank", str(HOSTILE), "--explain"], 200, cwd=config.parent)
    assert code == 0, out
    assert_inert(out)
    assert "[bold red]Rich markup[/] and [link=http://evil.example]link[/link]" in out


def test_rank_json_keeps_exact_text(config: Path) -> None:
    out = _run("rank", str(HOSTILE), "-f", "json", "--explain")
    assert_inert(out)  # JSON writes controls, C1 and bidi characters as \\u escapes
    document = json.loads(out)
    titles = _titles()
    shown = {item["key"]: item["title"] for item in [*document["items"], *document["unscored"]]}
    assert shown == titles
    assert "\x1b]0;pwned\x07" in shown["EVIL-2"]
    assert "\u202e" in shown["EVIL-2"]


def test_csv_neutralises_formulas_behind_spaces_and_fullwidth(config: Path) -> None:
    rows = {
        row["key"]: row
        for row in csv.DictReader(io.StringIO(_run("rank", str(HOSTILE), "-f", "csv")))
    }
    assert rows["EVIL-5"]["title"].startswith("'=HYPERLINK")
    assert rows["EVIL-6"]["title"].startswith("'\u3000=1+1")
    assert rows["EVIL-2"]["title"].startswith("Window title \\x1b]0;pwned\\x07")


def test_markdown_is_inert_on_github(config: Path) -> None:
    out = _run("rank", str(HOSTILE), "-f", "markdown", "--explain")
    assert_inert_markdown(out)
    assert "\\[click me\\]\\(http://evil.example)" in out
    assert "@&#8203;admin" in out


def test_models_shows_hostile_descriptions_inert(config: Path) -> None:
    for terminal in (False, True):
        out = _run("models", terminal=terminal)
        assert_inert(out)
        assert "[bold]desc[/bold]" in out
    document = json.loads(_run("models", "-f", "json"))
    evil = next(model for model in document["models"] if model["name"] == "evil")
    assert evil["description"] == "\x1b]0;pwned\x07 [bold]desc[/bold] \u202eevil \x9b31m"


@pytest.mark.parametrize("stability", [False, True], ids=["plain", "stability"])
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_compare_outputs_are_inert(config: Path, fmt: str, stability: bool) -> None:
    extra = ["--stability", "--trials", "5"] if stability else []
    out = _run(*COMPARE, "-f", fmt, *extra)
    if fmt == "markdown":
        assert_inert_markdown(out)
    else:
        assert_inert(out)


@pytest.mark.parametrize("width", [80, 200])
def test_compare_rich_keeps_markup_in_data_and_captions(config: Path, width: int) -> None:
    out = _run(*COMPARE, "--stability", "--trials", "5", terminal=True, width=width)
    assert_inert(out)
    # The stability caption, which Rich used to read as markup and drop:
    flat = " ".join(out.replace("│", " ").split())
    assert "[confidence, 2 - confidence]" in flat
    if width == 200:
        assert "[bold red]Rich markup[/]" in out


def test_compare_json_keeps_exact_text(config: Path) -> None:
    out = _run(*COMPARE, "-f", "json")
    assert_inert(out)
    document: dict[str, Any] = json.loads(out)
    titles = _titles()
    assert {item["key"]: item["title"] for item in document["items"]} == {
        key: titles[key] for key in ("EVIL-1", "EVIL-2", "EVIL-3", "EVIL-4")
    }


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_explain_text_is_inert(config: Path, terminal: bool) -> None:
    out = _run(*EXPLAIN, terminal=terminal, width=80)
    assert_inert(out)
    assert out.startswith("EVIL-2: Window title \\x1b]0;pwned\\x07")
    # The description's "::error" line is one line with the rest of the description.
    assert "line one ::error file=README.md,line=1::pwned ::add-mask::secret" in out.replace(
        "\n    ", " "
    )


def test_explain_json_keeps_exact_text(config: Path) -> None:
    out = _run(*EXPLAIN, "-f", "json")
    assert_inert(out)
    document = json.loads(out)
    assert document["title"] == _titles()["EVIL-2"]
    assert document["fields"]["description"] == (
        "line one\n::error file=README.md,line=1::pwned\n::add-mask::secret"
    )


def test_a_key_starting_with_a_workflow_command_is_not_a_line_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    backlog = tmp_path / "keys.yaml"
    backlog.write_text(
        "- {key: '::error file=x::pwned', title: No inputs}\n"
        "- {key: A-1, title: Scored, rice: {reach: 1, impact: 1, confidence: 1, effort: 1}}\n",
        encoding="utf-8",
    )
    out = _run("rank", str(backlog))
    assert_inert(out)
    assert "\\x3a:error file=x::pwned" in out


def test_wrapping_never_starts_a_line_with_a_workflow_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "::error" in the middle of a value: a terminal-width wrap (explain's description, a Rich
    # caption listing keys) must not put it at the start of a line.
    monkeypatch.chdir(tmp_path)
    backlog = tmp_path / "wrap.yaml"
    backlog.write_text(
        f"- key: A-1\n  title: One\n  rank: 1\n  description: '{'a' * 40} ::error file=x::pwned'\n"
        "  rice: {reach: 9, impact: 1, confidence: 1, effort: 1}\n"
        "- {key: '::error file=y::pwned', title: Two, rank: 2,"
        " rice: {reach: 8, impact: 1, confidence: 1, effort: 1}}\n",
        encoding="utf-8",
    )
    explained = _run("explain", "A-1", str(backlog), terminal=True, width=60)
    assert_inert(explained)
    assert "    \\x3a:error file=x::pwned" in explained
    for width in range(40, 90, 7):
        compared = _run(
            "compare", str(backlog), "--models", "rice,current", terminal=True, width=width
        )
        assert_inert(compared)
