"""Property-based tests of the loader: any input is a backlog or one located error line.

Arbitrary YAML documents, arbitrary text and mutated copies of the example backlog and config
are loaded. The loader must return a backlog or raise ``InputError`` (exit 2) whose message
is one line, names the file (with a line wherever the problem has one) and holds no raw
control character; no other exception may escape (the CLI would print "internal error").
Example counts are bounded so the suite stays fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlogctl.config import Config, load_config
from backlogctl.connectors.yaml_file import read_yaml_sources
from backlogctl.errors import InputError
from backlogctl.models import Backlog

_EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shop"
_BACKLOG = (_EXAMPLES / "backlog" / "checkout.yaml").read_text(encoding="utf-8")
_CONFIG = (_EXAMPLES / "backlogctl.yaml").read_text(encoding="utf-8")
_RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Problems of the whole file, which have no line to point at.
_FILE_LEVEL = ("binary file", "not UTF-8", "more than ")

_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["SHOP-1", "To Do", "Done", "2026-01-31", "story", "rice", "items", ""]),
)
_FIELD_NAMES = st.sampled_from(
    [
        "key",
        "title",
        "type",
        "status",
        "status_category",
        "labels",
        "parent",
        "objective",
        "created",
        "due",
        "estimate",
        "rank",
        "rice",
        "wsjf",
        "ice",
        "reach",
        "effort",
        "fields",
        "lint",
        "ignore",
        "items",
        "objectives",
        "key_results",
        "<<",
    ]
) | st.text(max_size=10)
_documents: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(_FIELD_NAMES, children, max_size=6)
    ),
    max_leaves=40,
)
_values: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_FIELD_NAMES, children, max_size=4)
    ),
    max_leaves=6,
)
#: Fragments that YAML gives meaning to, mixed into mutations.
_SNIPPETS = st.sampled_from(
    [
        "\n",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "<<: *a\n",
        "!!int ",
        "!!float ",
        "!!str ",
        "---\n",
        "'",
        '"',
        "#",
        "|\n",
        "\t",
        "\x1b",
        "\x00",
        "\u202e",
        "key: ",
        "  - key: X\n    title: y\n",
        "\ufeff",
    ]
)


def _check_error(error: InputError, name: str) -> None:
    message = error.render()
    assert error.exit_code == 2
    assert "\n" not in message and "\r" not in message
    assert not _RAW_CONTROL.search(message), message
    assert message.startswith(f"{name}:") or message.startswith(name + " "), message
    if not any(marker in message for marker in _FILE_LEVEL):
        assert re.match(rf"{re.escape(name)}:\d+: \S", message), message


def _load(path: Path, text: str | bytes) -> Backlog | None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return read_yaml_sources([str(path)], Config())
    except InputError as error:
        _check_error(error, str(path))
        return None


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    return text


_edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=0, max_value=40),
        _SNIPPETS | st.text(max_size=8),
    ),
    min_size=1,
    max_size=6,
)


@_SETTINGS
@given(document=_documents)
def test_any_yaml_document_loads_or_is_one_located_error(tmp_path: Path, document: Any) -> None:
    # JSON is YAML 1.2: every document hypothesis builds is written as valid YAML text.
    backlog = _load(tmp_path / "doc.yaml", json.dumps(document))
    if backlog is not None:
        assert all(item.key and item.title for item in backlog.items)


@settings(_SETTINGS, max_examples=100)
@given(items=st.lists(st.dictionaries(_FIELD_NAMES, _values, max_size=8), max_size=4))
def test_any_list_of_item_mappings_loads_or_is_one_located_error(
    tmp_path: Path, items: list[dict[str, Any]]
) -> None:
    text = "items:\n" + "".join(f"  - {json.dumps(item)}\n" for item in items)
    _load(tmp_path / "items.yaml", text)


@_SETTINGS
@given(edits=_edits)
def test_a_mutated_backlog_loads_or_is_one_located_error(
    tmp_path: Path, edits: list[tuple[int, int, str]]
) -> None:
    _load(tmp_path / "checkout.yaml", _mutate(_BACKLOG, edits))


@_SETTINGS
@given(data=st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_bytes_and_text_load_or_are_one_located_error(
    tmp_path: Path, data: bytes | str
) -> None:
    _load(tmp_path / "any.yaml", data)


@_SETTINGS
@given(edits=_edits)
def test_a_mutated_config_loads_or_is_one_located_error(
    tmp_path: Path, edits: list[tuple[int, int, str]]
) -> None:
    path = tmp_path / "backlogctl.yaml"
    path.write_text(_mutate(_CONFIG, edits), encoding="utf-8", errors="surrogatepass")
    try:
        load_config(path)
    except InputError as error:
        _check_error(error, str(path))


@_SETTINGS
@given(
    field=_FIELD_NAMES,
    tag=st.sampled_from(["!!int", "!!float", "!!bool", "!!null", "!!str", "!!timestamp", "!x"]),
    value=st.text(max_size=12) | st.sampled_from(["1", "1.5", "true", "~", "2026-01-31", ".inf"]),
)
def test_tagged_values_load_or_are_one_located_error(
    tmp_path: Path, field: str, tag: str, value: str
) -> None:
    text = f"- key: A\n  title: a\n  {json.dumps(field)}: {tag} {json.dumps(value)}\n"
    _load(tmp_path / "tagged.yaml", text)
