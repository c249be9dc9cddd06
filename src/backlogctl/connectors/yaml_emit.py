"""A small YAML emitter for backlogctl's own backlog schema (``jira pull -o`` snapshots).

General YAML dumpers were measured for this (bench/README.md, "jira pull snapshot"): yaml_rs
writes texts such as ``2026-01-15``, ``1_000`` or ``0o17`` unquoted, which then read back
as other types, and ruamel.yaml's pure-Python dumper is far slower than the pull itself. The
data here is always the same shape (a mapping of items whose values are text, numbers, lists
of text and small mappings), so this writes it directly, the way a person writes a backlog:
block mappings, short lists and number groups in flow style, descriptions as literal blocks.

Every string that could be read back as anything else is double-quoted: only a conservative
set of ASCII words is left plain. The caller re-parses the text and compares it to the data
(``emit_document`` does it itself), so an emitter bug can never produce a snapshot that reads
back differently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

#: Text left unquoted: starts with a letter, then letters, digits, spaces and a few safe
#: punctuation marks; no ``:``, ``#``, commas, brackets, quotes or a trailing space.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()-]*(?<! )")
#: Words some YAML reader resolves to a boolean or null (YAML 1.1 included).
_RESERVED = frozenset(
    word
    for base in ("null", "true", "false", "yes", "no", "on", "off", "y", "n")
    for word in (base, base.capitalize(), base.upper())
)
#: Characters a double-quoted scalar must escape: controls, DEL and C1, the line and
#: paragraph separators, the byte-order mark, surrogates and non-characters, quote, backslash.
_ESCAPE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"\\\\]')
#: The same, except the line break and the quote and backslash, which a literal block holds.
_NOT_IN_BLOCK = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)
#: What ``plain_fields`` values must look like to be written unquoted: an ISO date-time.
_ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\", "\x00": "\\0"}
#: Longest flow-style line (``labels: [a, b]``) before a block list is used instead.
_FLOW_WIDTH = 88


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that every reader reads back as that text."""
    return f'"{_ESCAPE.sub(_escape, text)}"'


def scalar(value: Any, *, plain_text: bool = True) -> str:
    """One value (text, number, boolean or None) as a YAML scalar.

    With ``plain_text`` a string that is safe unquoted stays unquoted.
    """
    # Exact class tests first: text is most values, and isinstance is slower.
    kind = value.__class__
    if kind is str:
        if plain_text and _PLAIN.fullmatch(value) and value not in _RESERVED:
            return str(value)
        return quoted(value)
    if kind is int:
        return str(value)
    if kind is float:
        if not math.isfinite(value):
            return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
        return repr(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return scalar(str(value), plain_text=plain_text)


def _literal_block(text: str, indent: str) -> str | None:
    """``text`` as a literal block scalar (``|`` / ``|-``) at ``indent``, or None when a
    block cannot hold it exactly (controls, a leading space, blank-looking lines ...)."""
    if "\n" not in text or _NOT_IN_BLOCK.search(text):
        return None
    body = text[:-1] if text.endswith("\n") else text
    if body.endswith("\n") or not body or body[0] in " \t":
        return None
    lines = body.split("\n")
    if any(line != line.rstrip(" \t") or "\t" in line for line in lines):
        return None
    header = "|" if text.endswith("\n") else "|-"
    return header + "".join(f"\n{indent}{line}" if line else "\n" for line in lines)


def _is_scalar(value: Any) -> bool:
    return value.__class__ is not dict and value.__class__ is not list


def _flow(values: Iterable[str], opening: str, closing: str) -> str:
    return f"{opening}{', '.join(values)}{closing}"


@cache
def _key(name: str) -> str:
    """A mapping key as written (the same few field names come back on every item)."""
    return scalar(name)


def _entry(key: str, value: Any, indent: str, *, keep_text: frozenset[str]) -> list[str]:
    """The lines of ``key: value`` in a block mapping at ``indent``."""
    label = _key(key)
    kind = value.__class__
    if kind is str:
        if key in keep_text and _ISO_DATE_TIME.fullmatch(value):
            return [f"{indent}{label}: {value}"]
        if "\n" in value:
            block = _literal_block(value, indent + "  ")
            if block is not None:
                return [f"{indent}{label}: {block}"]
        return [f"{indent}{label}: {scalar(value)}"]
    inner = indent + "  "
    if kind is dict:
        if all(_is_scalar(item) for item in value.values()):
            flow = _flow((f"{_key(str(k))}: {scalar(v)}" for k, v in value.items()), "{", "}")
            if len(indent) + len(label) + len(flow) + 2 <= _FLOW_WIDTH:
                return [f"{indent}{label}: {flow}"]
        lines = [f"{indent}{label}:"]
        for name, item in value.items():
            lines.extend(_entry(str(name), item, inner, keep_text=keep_text))
        return lines
    if kind is list:
        if all(_is_scalar(item) for item in value):
            flow = _flow((scalar(item) for item in value), "[", "]")
            if len(indent) + len(label) + len(flow) + 2 <= _FLOW_WIDTH:
                return [f"{indent}{label}: {flow}"]
        lines = [f"{indent}{label}:"]
        for item in value:
            lines.extend(_sequence_entry(item, inner, keep_text=keep_text))
        return lines
    return [f"{indent}{label}: {scalar(value)}"]


def _sequence_entry(item: Any, indent: str, *, keep_text: frozenset[str]) -> list[str]:
    """The lines of one ``- item`` of a block sequence at ``indent``."""
    if isinstance(item, dict) and item:
        lines: list[str] = []
        for name, value in item.items():
            lines.extend(_entry(str(name), value, indent + "  ", keep_text=keep_text))
        lines[0] = f"{indent}- {lines[0][len(indent) + 2 :]}"
        return lines
    if isinstance(item, dict | list):
        return [f"{indent}- {'{}' if isinstance(item, dict) else '[]'}"]
    if isinstance(item, str):
        block = _literal_block(item, indent + "  ")
        if block is not None:
            return [f"{indent}- {block}"]
    return [f"{indent}- {scalar(item)}"]


def emit_document(
    document: Mapping[str, Any], *, plain_fields: Iterable[str] = (), verify: bool = True
) -> str:
    """``document`` (a mapping of scalars, lists and mappings) as YAML text.

    ``plain_fields`` names keys whose text values are written as they are, unquoted (the
    caller vouches for them: ISO date-times). With ``verify`` the text is parsed again and
    must give ``document`` back, else ``AssertionError`` (an emitter bug, never bad data).
    """
    keep = frozenset(plain_fields)
    lines: list[str] = []
    for key, value in document.items():
        if isinstance(value, list) and value and not all(_is_scalar(item) for item in value):
            lines.append(f"{scalar(key)}:")
            for item in value:
                lines.extend(_sequence_entry(item, "  ", keep_text=keep))
        else:
            lines.extend(_entry(str(key), value, "", keep_text=keep))
    text = "\n".join(lines) + "\n"
    if verify:
        import yaml_rs

        if yaml_rs.loads(text, parse_datetime=False) != document:
            raise AssertionError("the YAML emitter wrote a document that reads back differently")
    return text
