"""Property-based tests of the rank and compare renderers on arbitrary Unicode item text.

For any keys, titles, statuses and types (controls, bidi, markup, wide characters included):
table, text and Markdown output holds no raw control or bidi character and no line starting
with ``::``; a Rich table is never wider than the width it was given; Markdown rows keep
their column count; CSV cells read back as the (escaped) text; JSON reads back exactly.
Example counts are kept small so the suite stays fast.
"""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from backlogctl.config import Config
from backlogctl.models import BacklogItem, RiceInputs
from backlogctl.output.compare_markdown import render_compare_markdown
from backlogctl.output.compare_table import render_compare_table
from backlogctl.output.rank_common import RankView
from backlogctl.output.rank_csv import render_rank_csv
from backlogctl.output.rank_json import render_rank_json
from backlogctl.output.rank_markdown import render_rank_markdown
from backlogctl.output.rank_table import render_rank_table
from backlogctl.sanitize import visible
from backlogctl.scoring.compare import compare_models, resolve_models
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import get_model

_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: A pipe that splits a Markdown table cell: not escaped by a backslash.
_CELL_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\|")

#: Any character but lone surrogates (not text), with the dangerous ones made frequent.
_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from("\x1b\x07\x00\x9b\u202e\n\t[]()!@#<>|*_`:=＝\u3000\u00a0漢🙂"),
    ),
    min_size=1,
    max_size=30,
)
_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def _items(draw: st.DrawFn) -> list[BacklogItem]:
    count = draw(st.integers(min_value=1, max_value=6))
    keys = draw(st.lists(_TEXT, min_size=count, max_size=count, unique=True))
    items = []
    for index, key in enumerate(keys):
        scored = draw(st.booleans()) or index == 0
        rice = (
            RiceInputs(
                reach=draw(st.integers(min_value=0, max_value=10**7)),
                impact=1,
                confidence=1,
                effort=draw(st.sampled_from([0.5, 1, 3])),
            )
            if scored
            else None
        )
        items.append(
            BacklogItem(
                key=key,
                title=draw(_TEXT),
                status=draw(_TEXT),
                type=draw(st.one_of(st.just("epic"), _TEXT)),
                rank=index + 1,
                rice=rice,
            )
        )
    return items


def _inert(text: str) -> None:
    assert _RAW.findall(text) == []
    assert [line for line in text.splitlines() if line.lstrip().startswith("::")] == []


def _view(items: list[BacklogItem], explain: bool, normalize: bool) -> RankView:
    ranking = rank_items(items, get_model("rice", Config()), explain=explain)
    return RankView(ranking, explain=explain, normalize=normalize, summarize_epics=normalize)


@_SETTINGS
@given(
    items=_items(),
    width=st.integers(min_value=40, max_value=220),
    explain=st.booleans(),
    normalize=st.booleans(),
)
def test_rank_tables_are_inert_and_fit(
    items: list[BacklogItem], width: int, explain: bool, normalize: bool
) -> None:
    view = _view(items, explain, normalize)
    _inert(render_rank_table(view))
    rich = render_rank_table(view, rich=True, width=width)
    _inert(rich)
    assert max(cell_len(line) for line in rich.splitlines()) <= width


@_SETTINGS
@given(items=_items(), explain=st.booleans())
def test_rank_markdown_is_inert_and_keeps_its_columns(
    items: list[BacklogItem], explain: bool
) -> None:
    view = _view(items, explain, normalize=False)
    out = render_rank_markdown(view)
    _inert(out)
    active = re.sub(r"\\.", "", out)
    assert "](" not in active
    assert "<" not in active
    table = [line for line in out.splitlines() if line.startswith("|")]
    headers = len(_CELL_BREAK.findall(table[0]))
    ranked = table[: 2 + len(view.ranking.ranked)]
    assert all(len(_CELL_BREAK.findall(line)) == headers for line in ranked)


@_SETTINGS
@given(items=_items(), normalize=st.booleans())
def test_rank_csv_and_json_read_back(items: list[BacklogItem], normalize: bool) -> None:
    view = _view(items, explain=False, normalize=normalize)
    rows = list(csv.DictReader(io.StringIO(render_rank_csv(view))))
    _inert(render_rank_csv(view).replace("\n", "").replace("\t", ""))
    originals = {item.key: item for item in items}
    expected_keys = [item.key for item in view.ranking.ranked] + [
        item.key for item in view.ranking.unscored
    ]
    assert len(rows) == len(expected_keys)
    for row, key in zip(rows, expected_keys, strict=True):
        for field, value in (("key", key), ("title", originals[key].title)):
            assert row[field] in (
                visible(value, multiline=True),
                "'" + visible(value, multiline=True),
            )
    out = render_rank_json(view)
    assert _RAW.findall(out.replace("\n", "")) == []
    document = json.loads(out)
    shown = [*document["items"], *document["unscored"]]
    assert [entry["key"] for entry in shown] == expected_keys
    for entry in shown:
        item = originals[entry["key"]]
        assert (entry["title"], entry["status"], entry["type"]) == (
            item.title,
            item.status,
            item.type,
        )


@_SETTINGS
@given(items=_items(), width=st.integers(min_value=40, max_value=220))
def test_compare_renderers_are_inert_and_fit(items: list[BacklogItem], width: int) -> None:
    comparison = compare_models(items, resolve_models(["rice", "current"], Config()), top=3)
    _inert(render_compare_table(comparison))
    rich = render_compare_table(comparison, rich=True, width=width)
    _inert(rich)
    assert max(cell_len(line) for line in rich.splitlines()) <= width
    markdown = render_compare_markdown(comparison)
    _inert(markdown)
    assert "](" not in re.sub(r"\\.", "", markdown)
