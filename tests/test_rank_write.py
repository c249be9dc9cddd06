"""``backlogctl rank --write``: golden files, the diff, --check, --apply and its safety checks.

The golden inputs in tests/golden/write/ are written with LF line endings and a final
newline; every test on them also runs on their CRLF and no-final-newline variants, made here
(git would normalize CRLF in a checked-in file).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.scoring.registry import get_model
from backlogctl.sync.yaml_rank import apply_rank_write, plan_rank_write
from backlogctl.writeback.atomic import write_text_atomic

GOLDEN = Path(__file__).parent / "golden" / "write"
runner = CliRunner()

#: How a golden file is varied: CRLF line endings, and no final newline.
VARIANTS = [(False, True), (True, True), (False, False), (True, False)]
VARIANT_IDS = ["lf", "crlf", "lf-no-final-newline", "crlf-no-final-newline"]
#: A changed line: ``rank`` as a key, then its value (kept tags, quotes, comments aside).
_RANK_VALUE = re.compile(r"""(['"]?rank['"]?[ \t]*:)[ \t]*((?:![^ \t]*[ \t]+)?['"]?)[0-9~]*""")
_INSERTED_BLOCK = re.compile(r"^ *rank: [0-9]+(\r?\n)?$")


def variant(text: str, *, crlf: bool, final_newline: bool) -> str:
    """``text`` (LF, final newline) with CRLF line endings and/or without its final newline."""
    if not final_newline:
        text = text.removesuffix("\n")
    return text.replace("\n", "\r\n") if crlf else text


def lines_of(text: str) -> list[str]:
    """Lines with their endings, split at ``\\n`` only."""
    return [line for line in re.split(r"(?<=\n)", text) if line]


def assert_only_rank_lines_changed(before: str, after: str) -> None:
    """Every line of ``before`` is in ``after``, in order and byte for byte, except rank
    values; the lines ``after`` adds are ``rank: N`` lines."""
    old, new = lines_of(before), lines_of(after)
    i = j = 0
    while i < len(old):
        assert j < len(new), f"line {i + 1} is missing: {old[i]!r}"
        if old[i] == new[j]:
            i += 1
            j += 1
        elif j + 1 < len(new) and old[i] == new[j + 1] and _INSERTED_BLOCK.match(new[j]):
            j += 1  # an inserted "rank: N" line
        elif i == len(old) - 1 and new[j].rstrip("\r\n") == old[i]:
            i += 1  # the last line, which had no line break, is followed by an inserted one
            j += 1
        else:
            # The same line with another rank value (or ", rank: N" added in a flow mapping).
            assert "rank" in new[j], f"line {i + 1} changed: {old[i]!r} -> {new[j]!r}"
            if _RANK_VALUE.sub(r"\1 \2", new[j]) != _RANK_VALUE.sub(r"\1 \2", old[i]):
                # not a new value: then a ", rank: N" entry added to a flow mapping
                assert re.sub(r", rank: [0-9]+", "", new[j], count=1) == old[i]
            i += 1
            j += 1
    assert all(_INSERTED_BLOCK.match(line) for line in new[j:]), new[j:]


@pytest.fixture
def golden_dir(workdir: Path) -> Callable[[str, bool, bool], Path]:
    """Copy a golden input into the working directory as a variant; returns its path."""

    def copy(name: str, crlf: bool, final_newline: bool) -> Path:
        text = (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8")
        path = workdir / f"{name}.yaml"
        path.write_bytes(variant(text, crlf=crlf, final_newline=final_newline).encode())
        return path

    return copy


@pytest.mark.parametrize("name", ["block", "flow"])
@pytest.mark.parametrize(("crlf", "final_newline"), VARIANTS, ids=VARIANT_IDS)
def test_apply_matches_the_golden_file_and_changes_only_rank_lines(
    golden_dir: Callable[[str, bool, bool], Path], name: str, crlf: bool, final_newline: bool
) -> None:
    path = golden_dir(name, crlf, final_newline)
    before = path.read_bytes().decode()
    result = runner.invoke(app, ["rank", path.name, "--model", "rice", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    after = path.read_bytes().decode()
    expected = (GOLDEN / f"{name}.expected.yaml").read_text(encoding="utf-8")
    assert after == variant(expected, crlf=crlf, final_newline=final_newline)
    assert_only_rank_lines_changed(before, after)
    assert "renumbered in 1 of 1 file (rice order)" in result.stderr


@pytest.mark.parametrize("name", ["block", "flow"])
def test_dry_run_prints_the_golden_diff_and_writes_nothing(
    golden_dir: Callable[[str, bool, bool], Path], name: str
) -> None:
    path = golden_dir(name, False, True)
    before = path.read_bytes()
    result = runner.invoke(app, ["rank", path.name, "--model", "rice", "--write"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"{name}.diff").read_text(encoding="utf-8")
    assert path.read_bytes() == before
    assert "would be renumbered in 1 of 1 file (rice order); --apply writes them" in result.stderr


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch")
@pytest.mark.parametrize("name", ["block", "flow"])
@pytest.mark.parametrize(("crlf", "final_newline"), VARIANTS, ids=VARIANT_IDS)
def test_patch_applies_the_piped_diff(
    golden_dir: Callable[[str, bool, bool], Path], name: str, crlf: bool, final_newline: bool
) -> None:
    path = golden_dir(name, crlf, final_newline)
    script = shutil.which("backlogctl")
    assert script is not None
    diff = subprocess.run(
        [script, "rank", path.name, "--model", "rice", "--write"],
        cwd=path.parent,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    subprocess.run(
        ["patch", "-p1", "--quiet", "--binary"],
        input=diff,
        cwd=path.parent,
        check=True,
        timeout=30,
    )
    expected = (GOLDEN / f"{name}.expected.yaml").read_text(encoding="utf-8")
    assert path.read_bytes().decode() == variant(expected, crlf=crlf, final_newline=final_newline)


def test_check_exits_1_on_drift_and_0_once_applied(
    golden_dir: Callable[[str, bool, bool], Path],
) -> None:
    path = golden_dir("block", False, True)
    drift = runner.invoke(app, ["rank", path.name, "-m", "rice", "--write", "--check"])
    assert drift.exit_code == 1
    assert drift.stdout.startswith("--- a/block.yaml\n+++ b/block.yaml\n")
    assert (
        runner.invoke(app, ["rank", path.name, "-m", "rice", "--write", "--apply"]).exit_code == 0
    )
    clean = runner.invoke(app, ["rank", path.name, "-m", "rice", "--write", "--check"])
    assert clean.exit_code == 0
    assert clean.stdout == ""
    assert "ranks already in rice order: 8 open items in 1 file; nothing to write" in clean.stderr


def test_second_apply_is_a_no_op_and_says_so(
    golden_dir: Callable[[str, bool, bool], Path],
) -> None:
    path = golden_dir("block", True, False)
    arguments = ["rank", path.name, "-m", "rice", "--write", "--apply"]
    assert runner.invoke(app, arguments).exit_code == 0
    # An mtime in the past: a rewrite, even within the same clock tick, would change it.
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    inode = path.stat().st_ino
    content = path.read_bytes()
    again = runner.invoke(app, arguments)
    assert again.exit_code == 0
    assert "nothing to write" in again.stderr
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert path.stat().st_ino == inode
    assert path.read_bytes() == content


def test_several_files_share_one_numbering_and_config_sources_are_used(
    write_file: Callable[[str, str], Path],
) -> None:
    write_file("backlogctl.yaml", "sources: [backlog/]\ndefault_model: rice\n")
    rice = "  rice: {reach: %d, impact: 1, confidence: 100, effort: 1}\n"
    a = write_file(
        "backlog/a.yaml",
        "items:\n- key: A-1\n  title: t\n" + rice % 10,
    )
    b = write_file(
        "backlog/b.yaml",
        "items:\n- key: B-1\n  title: t\n" + rice % 20,
    )
    result = runner.invoke(app, ["rank", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    assert "2 items renumbered in 2 of 2 files (rice order)" in result.stderr
    assert a.read_text() == "items:\n- key: A-1\n  rank: 2\n  title: t\n" + rice % 10
    assert b.read_text() == "items:\n- key: B-1\n  rank: 1\n  title: t\n" + rice % 20


@pytest.mark.parametrize(
    ("arguments", "conflict"),
    [
        (["--top", "3"], "--top"),
        (["--label", "x"], "filters"),
        (["--status-category", "todo"], "filters"),
        (["--include-done"], "--include-done"),
        (["--jql", "project = X"], "--jql"),
        (["--format", "json"], "--format"),
        (["--explain"], "--explain"),
        (["--check", "--apply"], "--check with --apply"),
        (["--apply", "-o", "x.diff"], "--output with --apply"),
    ],
)
def test_write_refuses_options_that_would_number_part_of_the_backlog(
    golden_dir: Callable[[str, bool, bool], Path], arguments: list[str], conflict: str
) -> None:
    path = golden_dir("block", False, True)
    before = path.read_bytes()
    result = runner.invoke(app, ["rank", path.name, "-m", "rice", "--write", *arguments])
    assert result.exit_code == 2
    assert f"does not go with {conflict}" in result.stderr
    assert path.read_bytes() == before


def test_write_refuses_stdin_and_needs_files(workdir: Path) -> None:
    stdin = runner.invoke(app, ["rank", "-", "--write"], input="items: []\n")
    assert stdin.exit_code == 2
    assert "cannot write to standard input" in stdin.stderr
    nothing = runner.invoke(app, ["rank", "--write"])
    assert nothing.exit_code == 2
    assert "--write needs YAML backlog files" in nothing.stderr


@pytest.mark.parametrize("flag", ["--check", "--apply"])
def test_check_and_apply_need_write(
    golden_dir: Callable[[str, bool, bool], Path], flag: str
) -> None:
    path = golden_dir("block", False, True)
    result = runner.invoke(app, ["rank", path.name, flag])
    assert result.exit_code == 2
    assert f"{flag} goes with --write" in result.stderr


def test_a_file_changed_after_planning_is_not_written(
    golden_dir: Callable[[str, bool, bool], Path],
) -> None:
    path = golden_dir("block", False, True)
    plan = plan_rank_write([path.name], Config(), get_model("rice", Config()))
    edited = path.read_text() + "# a teammate's edit\n"
    path.write_text(edited)
    with pytest.raises(InputError, match="changed since backlogctl read it; nothing written"):
        apply_rank_write(plan)
    assert path.read_text() == edited
    assert not [name for name in path.parent.iterdir() if name.name.endswith(".tmp")]


def test_an_edit_between_two_file_writes_is_caught_before_the_rename(
    write_file: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = write_file(
        "a.yaml",
        "- key: A-1\n  title: t\n  rice: {reach: 9, impact: 1, confidence: 100, effort: 1}\n",
    )
    b = write_file(
        "b.yaml",
        "- key: B-1\n  title: t\n  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n",
    )
    real_write = write_text_atomic

    def write_then_edit_b(path: Path, text: str, **options: Callable[[], None]) -> None:
        real_write(path, text, **options)
        if path.name == "a.yaml":  # a teammate saves b.yaml while backlogctl writes a.yaml
            b.write_text(b.read_text() + "# edited\n")

    monkeypatch.setattr("backlogctl.sync.yaml_rank.write_text_atomic", write_then_edit_b)
    result = runner.invoke(app, ["rank", "a.yaml", "b.yaml", "-m", "rice", "--write", "--apply"])
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: b.yaml: changed since backlogctl read it; nothing written to it: "
        "run the command again (already written: a.yaml)\n"
    )
    assert "rank: 1" in a.read_text()
    assert b.read_text().endswith("effort: 1}\n# edited\n")
    assert "rank" not in b.read_text()


def test_apply_keeps_mode_bom_and_symlinks(workdir: Path) -> None:
    target = workdir / "real.yaml"
    rice = "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n"
    target.write_bytes(f"\ufeffitems:\n- key: X-1\n  title: t\n{rice}".encode())
    target.chmod(0o640)
    link = workdir / "link.yaml"
    link.symlink_to(target.name)
    result = runner.invoke(app, ["rank", "link.yaml", "-m", "rice", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_bytes().startswith(
        "\ufeffitems:\n- key: X-1\n  rank: 1\n  title: t\n".encode()
    )
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x-item: &shared {key: S-1, title: t, rank: 4,\n"
            "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}}\n"
            "items:\n- *shared\n- key: S-2\n  title: t\n  rank: 9\n",
            "item S-1: the item is an alias (*shared) of a mapping defined elsewhere",
        ),
        (
            "items:\n- key: S-1\n  title: t\n  rank: &r 5\n- key: S-2\n  title: t\n  rank: *r\n"
            "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n",
            "item S-1: its rank value carries the anchor &r, which aliases reuse",
        ),
    ],
    ids=["alias-item", "anchored-rank"],
)
def test_ranks_that_aliases_share_are_refused(
    write_file: Callable[[str, str], Path], text: str, message: str
) -> None:
    path = write_file("backlog.yaml", text)
    result = runner.invoke(app, ["rank", "backlog.yaml", "-m", "rice", "--write"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("backlogctl: error: backlog.yaml:")
    assert path.read_text() == text


def test_an_aliased_rank_value_is_replaced_by_a_number(
    write_file: Callable[[str, str], Path],
) -> None:
    path = write_file(
        "backlog.yaml",
        "items:\n- key: S-1\n  title: t\n  rank: &r 2\n"
        "- key: S-2\n  title: t\n  rank: *r   # same as S-1\n"
        "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n",
    )
    result = runner.invoke(app, ["rank", "backlog.yaml", "-m", "rice", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    assert path.read_text() == (
        "items:\n- key: S-1\n  title: t\n  rank: &r 2\n"
        "- key: S-2\n  title: t\n  rank: 1   # same as S-1\n"
        "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n"
    )


def test_terminal_diff_escapes_control_characters(workdir: Path) -> None:
    from backlogctl.output.rank_write import render_rank_diff

    # YAML allows a raw bidi override (not a raw ESC) in a file: it must not reorder the
    # terminal's line.
    (workdir / "b.yaml").write_text(
        "items:\n- key: T-1\n  title: evil \u202e reversed\t# tab\n"
        "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n"
    )
    plan = plan_rank_write(["b.yaml"], Config(), get_model("rice", Config()))
    piped = render_rank_diff(plan, terminal=False, color=False)
    assert "   title: evil \u202e reversed\t# tab\n" in piped
    shown = render_rank_diff(plan, terminal=True, color=True)
    assert "   title: evil \\u202e reversed\\x09# tab\n" in shown
    assert "\u202e" not in shown
    assert "\x1b[32m+  rank: 1\x1b[0m\n" in shown


def test_diff_to_an_output_file_is_exact(
    golden_dir: Callable[[str, bool, bool], Path],
) -> None:
    path = golden_dir("flow", True, False)
    result = runner.invoke(app, ["rank", path.name, "-m", "rice", "--write", "-o", "ranks.diff"])
    assert result.exit_code == 0, result.output
    diff = (path.parent / "ranks.diff").read_bytes().decode()
    assert "\r\n" in diff
    assert diff.endswith("\\ No newline at end of file\n")


def test_a_flow_list_of_items_is_edited_in_place(write_file: Callable[[str, str], Path]) -> None:
    rice = "rice: {reach: %d, impact: 1, confidence: 100, effort: 1}"
    path = write_file(
        "flow.yaml",
        f"items: [{{key: A, title: t, rank: 2, {rice % 1}}}, {{key: B, title: u, {rice % 5}}}]\n",
    )
    result = runner.invoke(app, ["rank", "flow.yaml", "-m", "rice", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    assert path.read_text() == (
        f"items: [{{key: A, title: t, rank: 2, {rice % 1}}}, "
        f"{{key: B, rank: 1, title: u, {rice % 5}}}]\n"
    )


def test_write_refuses_a_file_that_is_not_a_regular_file(workdir: Path) -> None:
    os.mkfifo(workdir / "pipe.yaml")
    result = runner.invoke(app, ["rank", "pipe.yaml", "--write"])
    assert result.exit_code == 2
    assert result.stderr == "backlogctl: error: pipe.yaml: --write writes regular files only\n"


@pytest.mark.parametrize("color", [False, True])
def test_on_a_real_terminal_the_diff_is_escaped_and_coloured_unless_no_color(
    workdir: Path, color: bool
) -> None:
    from terminal import run_on_terminal

    (workdir / "b.yaml").write_bytes(
        "items:\r\n- key: T-1\r\n  title: evil \u202e reversed\r\n"
        "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\r\n".encode()
    )
    code, out = run_on_terminal(
        ["rank", "b.yaml", "-m", "rice", "--write"], 80, cwd=workdir, color=color
    )
    assert code == 0
    assert "   title: evil \\u202e reversed\n" in out
    assert "\u202e" not in out
    assert "\r" not in out.replace("\r\n", "\n")
    if color:
        assert "\x1b[32m+  rank: 1\x1b[0m" in out
    else:
        assert "\x1b" not in out
        assert "+  rank: 1\n" in out


def test_ranks_written_as_text_are_replaced(write_file: Callable[[str, str], Path]) -> None:
    rice = "  rice: {reach: 1, impact: 1, confidence: 100, effort: 1}\n"
    path = write_file(
        "u.yaml",
        f"items:\n- key: A\n  title: t\n  rank: 1_000\n{rice}- key: B\n  title: u\n  rank: '7'\n",
    )
    result = runner.invoke(app, ["rank", "u.yaml", "-m", "rice", "--write", "--apply"])
    assert result.exit_code == 0, result.output
    assert path.read_text() == (
        f"items:\n- key: A\n  title: t\n  rank: 1\n{rice}- key: B\n  title: u\n  rank: '2'\n"
    )
