"""``rank --write`` on generated layouts: whatever the file looks like, only rank lines change,
every open item reads back with its new rank, and a second write changes nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlogctl.config import Config
from backlogctl.loader import load_backlog
from backlogctl.scoring.registry import get_model
from backlogctl.sync.yaml_rank import apply_rank_write, plan_rank_write
from test_rank_write import assert_only_rank_lines_changed

#: How an item's rank is written: absent, or one of these value spellings.
RANK_FORMS = [
    "absent",
    "plain",
    "double",
    "single",
    "tilde",
    "empty",
    "comment",
    "tagged",
    "merged",  # no rank of its own: inherited through ``<<: *defaults``
]


@dataclass(frozen=True)
class Item:
    """One generated item: its layout and the values that decide its rank."""

    style: str  # "block", "dash-newline" (fields start below the dash) or "flow"
    rank_form: str
    rank: int
    reach: int
    effort: int | None
    done: bool
    title: str
    rank_first: bool  # rank written before key (block styles)


def _rank_value(form: str, rank: int) -> str:
    return {
        "plain": str(rank),
        "double": f'"{rank}"',
        "single": f"'{rank}'",
        "tilde": "~",
        "empty": "",
        "comment": f"{rank}   # kept",
        "tagged": f"!!int {rank}",
    }[form]


def _block(item: Item, number: int, indent: str, dash_newline: bool) -> list[str]:
    fields = [f"key: P-{number}", f"title: {item.title}"]
    if item.effort is None:
        fields.append(f"rice: {{reach: {item.reach}, impact: 1, confidence: 100}}")
    else:
        fields.append(
            f"rice: {{reach: {item.reach}, impact: 1, confidence: 100, effort: {item.effort}}}"
        )
    if item.done:
        fields.append("status: Done")
    if item.rank_form == "merged":
        fields.insert(0 if item.rank_first else len(fields), "<<: *defaults")
    elif item.rank_form != "absent":
        value = _rank_value(item.rank_form, item.rank)
        rank = f"rank: {value}" if value else "rank:"
        fields.insert(0 if item.rank_first else len(fields), rank)
    inner = indent + "  "
    if dash_newline:
        return [f"{indent}-", *(inner + field for field in fields)]
    return [f"{indent}- {fields[0]}", *(inner + field for field in fields[1:])]


def _flow(item: Item, number: int, indent: str) -> list[str]:
    effort = "" if item.effort is None else f", effort: {item.effort}"
    parts = [
        f"key: P-{number}",
        # " #" would start a comment that runs to the end of the line, braces included.
        f"title: {item.title.replace(' #', '#')}",
        f"rice: {{reach: {item.reach}, impact: 1, confidence: 100{effort}}}",
    ]
    if item.done:
        parts.append("status: Done")
    if item.rank_form == "merged":
        parts.append("<<: *defaults")
    elif item.rank_form not in ("absent", "empty", "comment"):
        parts.append(f"rank: {_rank_value(item.rank_form, item.rank)}")
    return [f"{indent}- {{{', '.join(parts)}}}"]


items_strategy = st.lists(
    st.builds(
        Item,
        style=st.sampled_from(["block", "dash-newline", "flow"]),
        rank_form=st.sampled_from(RANK_FORMS),
        rank=st.integers(0, 30),
        reach=st.integers(0, 4),
        effort=st.one_of(st.none(), st.integers(1, 2)),
        done=st.booleans(),
        title=st.sampled_from(["plain title", '"quoted: with colon"', "'it''s, quoted'", "x #y"]),
        rank_first=st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=items_strategy,
    indent=st.sampled_from(["", "  "]),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    separators=st.lists(st.sampled_from(["", "# a comment", "  # indented comment"]), max_size=8),
)
def test_only_ranks_change_and_a_second_write_is_a_no_op(
    items: list[Item], indent: str, crlf: bool, final_newline: bool, separators: list[str]
) -> None:
    lines = ["# generated", "x-defaults: &defaults {type: story, rank: 40}", "items:"]
    for number, item in enumerate(items, start=1):
        if number - 1 < len(separators) and separators[number - 1]:
            lines.append(separators[number - 1])
        if item.style == "flow":
            lines.extend(_flow(item, number, indent))
        else:
            lines.extend(_block(item, number, indent, item.style == "dash-newline"))
    text = "\n".join(lines) + ("\n" if final_newline else "")
    if crlf:
        text = text.replace("\n", "\r\n")
    config = Config()
    model = get_model("rice", config)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "backlog.yaml")
        path.write_bytes(text.encode())
        before = load_backlog([str(path)], config).items
        plan = plan_rank_write([str(path)], config, model)
        apply_rank_write(plan)
        after_text = path.read_bytes().decode()
        assert_only_rank_lines_changed(text, after_text)
        after = load_backlog([str(path)], config).items
        assert [item.key for item in after] == [item.key for item in before]
        open_items = [item for item in after if item.status_category != "done"]
        assert sorted(item.rank or 0 for item in open_items) == list(range(1, len(open_items) + 1))
        for old, new in zip(before, after, strict=True):
            if old.status_category == "done":
                assert new.rank == old.rank
            assert new.model_dump(exclude={"rank", "source"}) == old.model_dump(
                exclude={"rank", "source"}
            )
        again = plan_rank_write([str(path)], config, model)
        assert again.changed_files == []
        assert path.read_bytes().decode() == after_text
