"""Markdown helpers: inert table cells, code spans and tables (GitHub-flavoured).

Item text is untrusted. In a cell it must stay text when GitHub renders it: no link, image,
HTML tag, emphasis or code, no ``@mention`` that notifies someone, no ``#123`` reference, no
column break. Markdown syntax characters are backslash-escaped; mentions and references are
recognised by GitHub in the rendered text, after Markdown escapes are gone, so a zero-width
space (as the entity ``&#8203;``, the way Renovate keeps its pull requests from pinging
people) is put after ``@`` and ``#``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from backlogctl.output.text import one_line
from backlogctl.sanitize import visible

#: Each Markdown syntax character backslash-escaped; a zero-width space after ``@`` and ``#``.
_INERT = str.maketrans(
    {char: f"\\{char}" for char in "\\`*_[](!<>|~&"} | {char: f"{char}&#8203;" for char in "@#"}
)
_BACKTICKS = re.compile(r"`+")


def markdown_cell(text: str) -> str:
    """``text`` as one inert Markdown table cell, shown as written (controls made visible)."""
    return visible(one_line(text)).translate(_INERT)


def code_span(text: str) -> str:
    """``text`` (one line, controls visible) as a Markdown code span that it cannot close."""
    line = visible(one_line(text))
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def markdown_table(
    headers: Sequence[str], aligns: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    """Lines of a GitHub Markdown table from cells already escaped (``markdown_cell``)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
