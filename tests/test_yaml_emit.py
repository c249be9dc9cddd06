"""The YAML emitter of ``jira pull -o`` snapshots: what it writes reads back, through the YAML
connector, as exactly the items it was given, whatever their text."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlogctl.config import Config
from backlogctl.connectors.jira_ops import snapshot_yaml
from backlogctl.connectors.yaml_emit import emit_document, scalar
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem, LintSuppression, RiceInputs
from backlogctl.sanitize import has_control

#: Texts other YAML writers got wrong or that a careless emitter would: numbers, dates and
#: words other types are read from, YAML syntax, line breaks and invisible characters.
HOSTILE = [
    "2026-01-15",
    "2026-01-15T10:00:00Z",
    "1_000",
    "0o17",
    "0x1F",
    "1e3",
    "+1",
    ".5",
    ".inf",
    "-.Inf",
    ".NaN",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "true",
    "- a",
    "a: b",
    "a:b",
    "#x",
    "a #x",
    "&a",
    "*a",
    "!tag",
    "!!str x",
    "|",
    ">-",
    "'",
    '"',
    "\\",
    "[a]",
    "{a: 1}",
    "a, b",
    "---",
    "...",
    "@x",
    "`x`",
    "%TAG",
    "? x",
    "<<",
    " leading",
    "trailing ",
    "tab\there",
    "\u2028",
    "\x85",
    "\ufeff",
    "\u202e",
    "\x1b[31m",
    "\x00",
    "\x7f",
    "line\nbreak",
    "crlf\r\nline",
    "two\n\n",
    "\n",
    "  \n x",
    "ends\n",
    "x\n  indented\n",
    "é",
]

#: Any text a reply can carry (lone surrogates are replaced on receipt, see jira_client).
any_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30),
)
#: Identifiers (keys, labels, statuses, people): the connector refuses control characters.
identifier = any_text.filter(lambda text: not has_control(text) and text.strip() == text)


def _round_trip(items: list[BacklogItem], folder: Path) -> list[BacklogItem]:
    path = folder / "snapshot.yaml"
    path.write_text(snapshot_yaml(Backlog(items=items), name="server project = X"))
    return load_backlog([str(path)], Config()).items


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(any_text, min_size=1, max_size=4),
    description=st.one_of(st.none(), any_text),
    criteria=st.lists(any_text, max_size=3),
    labels=st.lists(identifier, max_size=4, unique=True),
    status=identifier,
    custom=st.dictionaries(identifier, st.one_of(any_text, st.floats(-1e9, 1e9)), max_size=3),
    reason=st.one_of(st.none(), any_text),
)
def test_every_item_reads_back_exactly(
    titles: list[str],
    description: str | None,
    criteria: list[str],
    labels: list[str],
    status: str,
    custom: dict[str, float | str],
    reason: str | None,
) -> None:
    items = [
        BacklogItem(
            key=f"X-{number}",
            title=title,
            status=status,
            description=description,
            acceptance_criteria=criteria or None,
            labels=labels,
            fields=custom,
            lint=LintSuppression(ignore=["S001"], reason=reason),
            rice=RiceInputs(reach=1000.5, impact=2, confidence=0.8, effort=1e-7),
            created=dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC),
            rank=number,
            depends_on=["X-1"] if number > 1 else [],
        )
        for number, title in enumerate(titles, start=1)
    ]
    with tempfile.TemporaryDirectory() as folder:
        read = _round_trip(items, Path(folder))
    assert [item.model_dump(exclude={"source"}) for item in read] == [
        item.model_dump(exclude={"source"}) for item in items
    ]


def test_a_snapshot_reads_like_a_hand_written_backlog(tmp_path: Path) -> None:
    item = BacklogItem(
        key="SHOP-7",
        title="Checkout: one page",
        type="story",
        status="In Progress",
        status_category="in_progress",
        description="First line.\nSecond line.\n",
        labels=["mobile", "2026-01-15"],
        assignee="yes",
        created=dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC),
        estimate=3,
        rank=2,
        rice=RiceInputs(reach=2000, impact=2, confidence=0.8, effort=4),
        fields={"Story Points": 5.0, "Team": "Blue"},
    )
    text = snapshot_yaml(Backlog(items=[item]), name="https://jira.example.com project = SHOP")
    assert text == (
        "# backlogctl jira pull snapshot (the next pull replaces this file)\n"
        "---\n"
        'name: "https://jira.example.com project = SHOP"\n'
        "items:\n"
        "  - key: SHOP-7\n"
        '    title: "Checkout: one page"\n'
        "    type: story\n"
        "    status: In Progress\n"
        "    status_category: in_progress\n"
        "    description: |\n"
        "      First line.\n"
        "      Second line.\n"
        '    labels: [mobile, "2026-01-15"]\n'
        '    assignee: "yes"\n'
        "    created: 2026-01-15T10:30:00Z\n"
        "    estimate: 3.0\n"
        "    rank: 2\n"
        "    rice: {reach: 2000.0, impact: 2.0, confidence: 0.8, effort: 4.0}\n"
        "    fields: {Story Points: 5.0, Team: Blue}\n"
    )
    read = _round_trip([item], tmp_path)
    assert [entry.model_dump(exclude={"source"}) for entry in read] == [
        item.model_dump(exclude={"source"})
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain words", "plain words"),
        ("null", '"null"'),
        ("On", '"On"'),
        ("1_000", '"1_000"'),
        ("a: b", '"a: b"'),
        ("tab\there", '"tab\\there"'),
        ("\u2028\x85\ufeff", '"\\u2028\\x85\\ufeff"'),
        ('say "hi"', '"say \\"hi\\""'),
        (3, "3"),
        (0.1, "0.1"),
        (1e-07, "1e-07"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_scalars_are_quoted_when_they_could_read_back_as_something_else(
    value: object, written: str
) -> None:
    assert scalar(value) == written


def test_long_lists_and_nested_values_use_block_style() -> None:
    labels = [f"label-{number}" for number in range(20)]
    text = emit_document({"items": [{"key": "A", "labels": labels, "deep": {"x": [1, {"z": 2}]}}]})
    assert "    labels:\n      - label-0\n" in text
    assert "    deep:\n      x:\n        - 1\n        - z: 2\n" in text
