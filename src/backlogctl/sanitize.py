"""Make untrusted text (titles, keys, server replies) safe to show.

Anyone who can file a Jira issue controls item text. Shown raw, a title can move the cursor,
retitle the terminal window (OSC sequences), reverse the reading order (bidi overrides) or
start a line with ``::error`` that GitHub's runner executes. Every human-readable renderer and
every error message passes values through :func:`visible`; JSON keeps the exact text, since
JSON escapes control characters itself.
"""

from __future__ import annotations

import re

#: Bidirectional formatting characters: they reorder what follows them on screen
#: ("Trojan Source", CVE-2021-42574), so a title could display a different key or number.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Also escaped: lone surrogates (JSON from Jira may hold "\\ud800"; no encoder can write one,
#: so shown raw they crash the write) and U+FEFF, invisible inside text (a stray byte-order
#: mark), so two keys that look the same would differ.
_OTHER = "\u2028\u2029\ufeff\ud800-\udfff"

#: C0 controls, DEL, C1 controls, line and paragraph separators, bidi marks and the above.
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_OTHER}{_BIDI}]")
_UNSAFE_EXCEPT_NEWLINE_TAB = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_OTHER}{_BIDI}]")

#: Longest value quoted whole in a message; longer ones are cut (a 100 KB title in an error
#: line helps nobody).
MESSAGE_VALUE_LIMIT = 200


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that was not UTF-8 (in a file name), smuggled in by surrogateescape:
        # shown as the byte, as the YAML connector names such a file.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control, separator, bidi character and lone surrogate escaped.

    ``\\x1b`` becomes the four characters ``\\x1b``; U+202E becomes ``\\u202e``. With
    ``multiline`` (formats where a value may span lines), newline and tab are kept.
    """
    pattern = _UNSAFE_EXCEPT_NEWLINE_TAB if multiline else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character that :func:`visible` would escape."""
    return _UNSAFE.search(text) is not None


def shorten(text: str, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def quoted(value: object, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """A value for an error message: ``repr``-quoted, cut to ``limit``, controls escaped."""
    return visible(shorten(repr(value), limit))
