"""JSON text that is safe to print: exact values, no raw C1 or bidi characters.

JSON serializers escape C0 controls (``\\u001b``) but leave C1 controls (U+009B is a CSI
on some terminals), the line and paragraph separators and bidi overrides raw, and JSON is
often printed to a terminal. They can only occur inside strings, so writing each as a
``\\uXXXX`` escape keeps the document valid and every value exactly the same when parsed.
"""

from __future__ import annotations

import re
from typing import Any

_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(document: str) -> str:
    """``document`` (serialized JSON) with C1, DEL, separator and bidi characters escaped."""
    return _RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


def json_document(document: Any) -> str:
    """``document`` as every ``--format json`` prints it: indented, made terminal-safe, with a
    final newline (non-ASCII text stays as it is)."""
    from pydantic_core import to_json

    return terminal_safe(to_json(document, indent=2).decode()) + "\n"
