"""A small JQL subset for the emulator: enough for the queries backlogctl and its users send.

Supported: ``AND``/``OR`` of clauses (parentheses allowed) over project, key, status,
statusCategory, issuetype, labels, created and updated, with ``= != in >= > <= <``; dates as
``"yyyy-MM-dd"``, ``"yyyy-MM-dd HH:mm"`` (UTC) or relative ``-15m``/``-2h``/``-1d``;
then ``ORDER BY``.
Anything else is a 400, as Jira answers a query it cannot parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class JqlError(Exception):
    """The query cannot be parsed or names an unknown field (Jira answers 400)."""


Predicate = Callable[[dict[str, Any]], bool]

_ORDER_RE = re.compile(r"\border\s+by\b", re.IGNORECASE)
_CLAUSE_RE = re.compile(
    r'^\s*("[^"]+"|[\w\[\]]+)\s*(!=|>=|<=|=|>|<|\bnot\s+in\b|\bin\b)\s*(.+?)\s*$',
    re.IGNORECASE,
)
_CATEGORY_NAMES = {"to do": "new", "in progress": "indeterminate", "done": "done"}
_RELATIVE_RE = re.compile(r"^-(\d+)([mhdw])$")
_KEY_CLAUSE_RE = re.compile(
    r'\b(?:issue)?key\s*(?:!=|=|\bnot\s+in\b|\bin\b)\s*(\([^)]*\)|"[^"]*"|[\w-]+)',
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Query:
    """A compiled query: a predicate over issues and the sort keys."""

    where: Predicate
    order: list[tuple[str, bool]]
    bounded: bool
    #: Issue keys named by ``key``/``issuekey`` clauses: Jira refuses a query (400) that
    #: names a key it does not know.
    keys: tuple[str, ...] = ()


def compile_jql(text: str) -> Query:
    """Parse ``text``; raise ``JqlError`` with Jira's wording on anything unsupported."""
    match = _ORDER_RE.search(text)
    where_text, order_text = (text[: match.start()], text[match.end() :]) if match else (text, "")
    where_text = where_text.strip()
    order = _parse_order(order_text) if match else [("key", False)]
    if not where_text:
        return Query(where=lambda issue: True, order=order, bounded=False)
    keys = tuple(
        key for match in _KEY_CLAUSE_RE.finditer(where_text) for key in _values(match.group(1))
    )
    return Query(where=_parse_where(where_text), order=order, bounded=True, keys=keys)


def _split_top(text: str, keyword: str) -> list[str]:
    """Split ``text`` on `` KEYWORD `` outside quotes and parentheses."""
    token = f" {keyword} "
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and text[index : index + len(token)].upper() == token:
            parts.append(text[start:index])
            start = index + len(token)
            index += len(token)
            continue
        index += 1
    if depth != 0 or quoted:
        raise JqlError("Error in the JQL Query: unbalanced parentheses or quotes.")
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for index, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and index < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


def _parse_where(text: str) -> Predicate:
    text = _strip_parens(text)
    alternatives = _split_top(text, "OR")
    if len(alternatives) > 1:
        options = [_parse_where(part) for part in alternatives]
        return lambda issue: any(option(issue) for option in options)
    parts = _split_top(text, "AND")
    if len(parts) > 1:
        predicates = [_parse_where(part) for part in parts]
        return lambda issue: all(predicate(issue) for predicate in predicates)
    match = _CLAUSE_RE.match(text)
    if match is None:
        raise JqlError(f"Error in the JQL Query: Expecting a clause but got '{text}'.")
    field, operator, value = match.group(1).strip('"'), match.group(2).lower(), match.group(3)
    operator = " ".join(operator.split())
    return _clause(field.lower(), operator, value)


def _values(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("(") and value.endswith(")"):
        return [part.strip().strip('"') for part in value[1:-1].split(",") if part.strip()]
    return [value.strip('"')]


def _clause(field: str, operator: str, value: str) -> Predicate:
    values = _values(value)
    getters: dict[str, Callable[[dict[str, Any]], Any]] = {
        "project": lambda issue: issue["fields"]["project"]["key"].lower(),
        "key": lambda issue: issue["key"].lower(),
        "issuekey": lambda issue: issue["key"].lower(),
        "status": lambda issue: issue["fields"]["status"]["name"].lower(),
        "statuscategory": lambda issue: issue["fields"]["status"]["statusCategory"]["key"],
        "issuetype": lambda issue: issue["fields"]["issuetype"]["name"].lower(),
        "type": lambda issue: issue["fields"]["issuetype"]["name"].lower(),
    }
    if field in ("updated", "created"):
        return _date_clause(field, operator, values[0])
    if field == "labels":
        wanted = {item.lower() for item in values}
        if operator in ("=", "in"):
            return lambda issue: bool(wanted & {x.lower() for x in issue["fields"]["labels"]})
        if operator in ("!=", "not in"):
            return lambda issue: not wanted & {x.lower() for x in issue["fields"]["labels"]}
    if field not in getters:
        raise JqlError(f"Field '{field}' does not exist or you do not have permission to view it.")
    getter = getters[field]
    if field == "statuscategory":
        wanted = {_CATEGORY_NAMES.get(item.lower(), item.lower()) for item in values}
    else:
        wanted = {item.lower() for item in values}
    if operator in ("=", "in"):
        return lambda issue: getter(issue) in wanted
    if operator in ("!=", "not in"):
        return lambda issue: getter(issue) not in wanted
    raise JqlError(f"Error in the JQL Query: The operator '{operator}' is not supported.")


def parse_jira_datetime(text: str) -> dt.datetime:
    """``2024-01-15T10:30:00.000+0000`` as an aware datetime."""
    return dt.datetime.fromisoformat(text)


def _date_clause(field: str, operator: str, value: str) -> Predicate:
    relative = _RELATIVE_RE.match(value)
    if relative:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[relative.group(2)]
        delta = dt.timedelta(**{unit: int(relative.group(1))})

        def bound() -> dt.datetime:
            return dt.datetime.now(dt.UTC) - delta
    else:
        try:
            fixed = dt.datetime.strptime(value, "%Y-%m-%d %H:%M" if " " in value else "%Y-%m-%d")
        except ValueError:
            raise JqlError(
                f"Date value '{value}' for field '{field}' is invalid. Valid formats include: "
                "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
                "format e.g. '-5d', '4w 2d'."
            ) from None
        fixed = fixed.replace(tzinfo=dt.UTC)

        def bound() -> dt.datetime:
            return fixed

    compare: dict[str, Callable[[dt.datetime, dt.datetime], bool]] = {
        ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b,
    }
    if operator not in compare:
        raise JqlError(f"Error in the JQL Query: The operator '{operator}' is not supported.")
    check = compare[operator]
    return lambda issue: check(parse_jira_datetime(issue["fields"][field]), bound())


def _parse_order(text: str) -> list[tuple[str, bool]]:
    order: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2:
            raise JqlError(f"Error in the JQL Query: invalid ORDER BY '{text.strip()}'.")
        name = words[0].lower()
        if name not in ("key", "issuekey", "updated", "created", "rank", "summary"):
            raise JqlError(f"Not able to sort using field '{words[0]}'.")
        descending = len(words) == 2 and words[1].lower() == "desc"
        order.append(("key" if name == "issuekey" else name, descending))
    return order


def sort_key(issue: dict[str, Any], name: str) -> Any:
    """The value an ORDER BY field sorts on."""
    if name == "key":
        project, _, number = issue["key"].rpartition("-")
        digits = re.match(r"\d*", number).group()  # type: ignore[union-attr]
        return (project, int(digits or 0), number)
    if name == "rank":
        return issue["fields"].get("customfield_10019") or ""
    return issue["fields"][name]
