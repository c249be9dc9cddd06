"""``rank --write`` output: the dry run's unified diff and the one-line summary.

Piped (or to ``-o FILE``) the diff is exact, line endings and missing final newline included,
so ``patch -p1`` or ``git apply`` applies it. On a terminal each line's control characters
are escaped like every other text output (item text in the context lines is untrusted) and
``-``/``+`` lines are coloured unless ``NO_COLOR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from backlogctl.sanitize import visible
from backlogctl.sync.yaml_rank import FilePlan, RankWritePlan

#: Unchanged lines shown around each change, as ``diff -u`` does.
CONTEXT = 3
_NO_NEWLINE = "\\ No newline at end of file\n"
_RED, _GREEN, _CYAN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"


@dataclass(frozen=True)
class _Block:
    """``old[old_start:old_end]`` becomes ``new[new_start:new_end]``."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


def render_rank_diff(plan: RankWritePlan, *, terminal: bool, color: bool) -> str:
    """The unified diff of every file the plan changes (empty when it changes none)."""
    parts: list[str] = []
    for file in plan.changed_files:
        parts.extend(_file_diff(file, terminal=terminal, color=color))
    return "".join(parts)


def _lines(text: str) -> list[str]:
    """Lines with their terminators, split at ``\\n`` only (a ``\\r\\n`` stays on its line)."""
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def _blocks(old: list[str], new: list[str]) -> list[_Block]:
    """Changed runs between ``old`` and ``new``.

    The edits change lines in place or insert whole lines, so a linear walk that takes a
    line of ``new`` as inserted when the next one lines up again finds them.
    """
    blocks: list[_Block] = []
    i = j = 0
    start: tuple[int, int] | None = None
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and old[i] == new[j]:
            if start is not None:
                blocks.append(_Block(start[0], i, start[1], j))
                start = None
            i += 1
            j += 1
            continue
        if start is None:
            start = (i, j)
        inserting = len(new) - j > len(old) - i
        realigns = inserting and i < len(old) and j + 1 < len(new) and new[j + 1] == old[i]
        if j < len(new) and (i >= len(old) or realigns):
            j += 1
        elif i < len(old) and j < len(new):
            i += 1
            j += 1
        else:
            i += 1
    if start is not None:
        blocks.append(_Block(start[0], len(old), start[1], len(new)))
    return blocks


def _range(start: int, length: int) -> str:
    """A hunk header's range, as ``diff -u`` writes it."""
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _diff_name(name: str) -> str:
    """The file's name as diff headers give it: relative to the current directory if inside."""
    if Path(name).is_absolute():
        relative = os.path.relpath(name)
        if not relative.startswith(".."):
            name = relative
    return visible(name.replace(os.sep, "/"))


def _file_diff(file: FilePlan, *, terminal: bool, color: bool) -> list[str]:
    old, new = _lines(file.original), _lines(file.edited)
    name = _diff_name(file.name)
    out = [
        _paint(f"--- a/{name}\n", _BOLD, color),
        _paint(f"+++ b/{name}\n", _BOLD, color),
    ]
    blocks = _blocks(old, new)
    index = 0
    while index < len(blocks):
        last = index
        while (
            last + 1 < len(blocks)
            and blocks[last + 1].old_start - blocks[last].old_end <= 2 * CONTEXT
        ):
            last += 1
        first_block, last_block = blocks[index], blocks[last]
        old_start = max(0, first_block.old_start - CONTEXT)
        old_end = min(len(old), last_block.old_end + CONTEXT)
        new_start = first_block.new_start - (first_block.old_start - old_start)
        new_end = last_block.new_end + (old_end - last_block.old_end)
        header = (
            f"@@ -{_range(old_start, old_end - old_start)} "
            f"+{_range(new_start, new_end - new_start)} @@\n"
        )
        out.append(_paint(header, _CYAN, color))
        position = old_start
        for block in blocks[index : last + 1]:
            rows = [
                *((" ", line) for line in old[position : block.old_start]),
                *(("-", line) for line in old[block.old_start : block.old_end]),
                *(("+", line) for line in new[block.new_start : block.new_end]),
            ]
            out.extend(_line(prefix, line, terminal, color) for prefix, line in rows)
            position = block.old_end
        out.extend(_line(" ", line, terminal, color) for line in old[position:old_end])
        index = last + 1
    return out


def _line(prefix: str, line: str, terminal: bool, color: bool) -> str:
    if not terminal:
        return f"{prefix}{line}" if line.endswith("\n") else f"{prefix}{line}\n{_NO_NEWLINE}"
    body = line.removesuffix("\n").removesuffix("\r")
    shown = visible(f"{prefix}{body}")
    if prefix != " ":
        shown = _paint(shown, _RED if prefix == "-" else _GREEN, color)
    ending = "\n" if line.endswith("\n") else f"\n{_NO_NEWLINE}"
    return shown + ending


def _paint(text: str, code: str, color: bool) -> str:
    if not color:
        return text
    return f"{code}{text.removesuffix(chr(10))}{_RESET}" + ("\n" if text.endswith("\n") else "")


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}" if number == 1 else f"{number:,} {word}s"


def rank_write_summary(plan: RankWritePlan, model: str, *, applied: bool) -> str:
    """One line for stderr: what the write changes (or changed), or that nothing needs to."""
    files = len(plan.files)
    changed = len(plan.changed_files)
    if not changed:
        return (
            f"ranks already in {model} order: {_count(plan.numbered, 'open item')} in "
            f"{_count(files, 'file')}; nothing to write"
        )
    items = _count(plan.changed_items, "item")
    if applied:
        return f"{items} renumbered in {changed} of {_count(files, 'file')} ({model} order)"
    return (
        f"{items} would be renumbered in {changed} of {_count(files, 'file')} "
        f"({model} order); --apply writes them"
    )
