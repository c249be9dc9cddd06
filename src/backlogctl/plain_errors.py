"""Pydantic validation errors as plain one-line messages ("must be 0 or more", "must be a number").

Pydantic's own wording ("Input should be greater than or equal to 0", "Value error, ...")
names its internals, not the user's file. Items (YAML connector) and the configuration use
these; values quoted in messages are cut and escaped (``sanitize.quoted``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from backlogctl.sanitize import quoted

#: Union members appear in error locations as tags such as ``literal['a','b']`` or
#: ``function-after[...]``, a bad mapping key as ``[key]``: not keys the user wrote.
_UNION_TAG = re.compile(r"[a-z][a-z-]*\[.*\]|\[key\]")

_FIXED: dict[str, str] = {
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "set_type": "must be a list",
    "too_short": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "dataclass_type": "must be a mapping",
    "none_required": "must be empty (null)",
    "url_type": "must be a URL",
    "url_parsing": "must be a URL",
    "url_scheme": "must be a URL",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}


def error_path(error: ErrorDetails) -> tuple[str, ...]:
    """The error's location as the user's key names (list indexes as digits, no union tags)."""
    return tuple(str(part) for part in error["loc"] if not _UNION_TAG.fullmatch(str(part)))


def plain_message(error: ErrorDetails) -> str:
    """What is wrong with the value, in plain words (without the field name or the value)."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _BOUNDS:
        name, template = _BOUNDS[kind]
        return "must be " + template.format(_number(ctx.get(name, 0)))
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if kind.startswith("float") or kind in ("decimal_type", "decimal_parsing", "complex_type"):
        return "must be a number"
    if kind.startswith("int"):
        return "must be a whole number"
    if kind.startswith(("datetime", "date", "timezone")):
        return "must be a date like 2026-01-31 or a date-time"
    if kind in ("literal_error", "enum"):
        return f"must be {ctx.get('expected', 'one of the allowed values')}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length', '?')} characters"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length', '?')} entries"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known setting"
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message.replace("Input should be", "must be")


def first_error(exc: ValidationError, skip: int = 0) -> tuple[ErrorDetails, tuple[str, ...], int]:
    """The first error, its path (without ``skip`` leading parts) and how many problems in all.

    Problems are counted among errors under the same leading parts (the same list entry); a
    value that fails every member of a union (``float | str``) is one problem, not two.
    """
    errors = exc.errors(include_url=False)
    first = errors[0]
    same = [e for e in errors if e["loc"][:skip] == first["loc"][:skip]]
    paths = list(dict.fromkeys(_merge_union(error_path(e)[skip:]) for e in same))
    return first, paths[0], len(paths)


def _merge_union(path: tuple[str, ...]) -> tuple[str, ...]:
    # ``fields.x`` of ``dict[str, float | str]`` fails as ``fields.x.float`` and ``...str``.
    if len(path) == 3 and path[0] == "fields":
        return path[:2]
    return path


def describe_error(
    error: ErrorDetails, path: Sequence[str], count: int = 1, problem: str | None = None
) -> str:
    """``dotted.path: problem, got VALUE`` (plus "and N more problems") for one error.

    ``problem`` replaces the plain message (a caller that knows better what was expected).
    """
    dotted = ".".join(path)
    kind = error["type"]
    if kind == "missing":
        message = f"missing required field {quoted(dotted or 'value')}"
    elif kind == "extra_forbidden":
        message = f"unknown field {quoted(dotted)}"
    elif kind == "string_too_short":
        message = f"{dotted or 'value'}: {plain_message(error)}"
    else:
        got = show(error.get("input"))
        message = f"{dotted or 'value'}: {problem or plain_message(error)}, got {got}"
    if count > 1:
        message += f" (and {count - 1} more problem{'s' if count > 2 else ''})"
    return message


def show(value: Any) -> str:
    """A short rendering of a bad input value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return quoted(value, limit=40)
    return quoted(value, limit=40).strip("'")


def describe(value: Any) -> str:
    """What kind of value this is, for "expected X, got Y" messages."""
    if isinstance(value, dict | list | tuple):
        return show(value)
    if isinstance(value, str):
        return f"text {show(value)}"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {show(value)}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
