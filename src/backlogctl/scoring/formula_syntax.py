"""The formula language's syntax: tokens, the expression tree and a bounded Pratt parser.

``parse(text)`` turns a formula into a tree of the node types below, or raises
``FormulaError`` with the column of the problem. Nothing here evaluates anything; see
``formula`` for evaluation, explanations and the compiled ``Formula``.
"""

from __future__ import annotations

import keyword
import math
import re
from dataclasses import dataclass

from backlogctl.sanitize import quoted, shorten

#: Longest formula accepted, in characters.
MAX_LENGTH = 2000
#: Deepest nesting of parentheses, unary minus and right-hand operands.
MAX_NESTING = 50
#: Deepest expression tree (bounds the evaluator's recursion, e.g. for ``a+a+a+...``).
MAX_TREE_DEPTH = 200
#: Most arguments a function call may take.
MAX_ARGUMENTS = 50

#: ASCII digits only: Python's ``\d`` and ``float()`` also take other scripts' digits (``١٢٣``),
#: which a reader of the config would not see as the number the formula computes with.
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_OPERATORS = ("**", "+", "-", "*", "×", "/", "(", ")", ",")
#: Binary operators: precedence and right-associativity (``**`` binds right, like Python).
_BINARY: dict[str, tuple[int, bool]] = {
    "+": (1, False),
    "-": (1, False),
    "*": (2, False),
    "/": (2, False),
    "**": (4, True),
}
#: Unary minus binds tighter than ``* /`` but looser than ``**`` (``-2 ** 2`` is -4).
_UNARY_PRECEDENCE = 3
#: The functions a formula may call, with their fewest and most arguments.
ARITY: dict[str, tuple[int, int]] = {
    "min": (2, MAX_ARGUMENTS),
    "max": (2, MAX_ARGUMENTS),
    "log": (1, 2),
}


class FormulaError(Exception):
    """A formula that cannot be parsed, or a value it cannot be evaluated on.

    ``message`` is one human-readable line (it names the column when known);
    ``position`` is the 0-based character offset of the problem, or None.
    """

    def __init__(self, description: str, position: int | None = None) -> None:
        self.position = position
        self.message = (
            description if position is None else f"{description} at column {position + 1}"
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    position: int


@dataclass(frozen=True)
class Number:
    """A number literal."""

    value: float
    position: int
    depth: int = 1


@dataclass(frozen=True)
class Name:
    """A dotted field name (``rice.reach``, ``fields.revenue``)."""

    name: str
    position: int
    depth: int = 1


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Node
    position: int
    depth: int


@dataclass(frozen=True)
class Binary:
    """A binary operation (``+ - * / **``)."""

    operator: str
    left: Node
    right: Node
    position: int
    depth: int


@dataclass(frozen=True)
class Call:
    """A call of one of the ``ARITY`` functions."""

    function: str
    arguments: tuple[Node, ...]
    position: int
    depth: int


@dataclass(frozen=True)
class Group:
    """Parentheses as written, kept so explanations read like the formula."""

    inner: Node
    position: int
    depth: int


Node = Number | Name | Negate | Binary | Call | Group


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        number = _NUMBER.match(text, index)
        if number:
            tokens.append(_Token("number", number.group(), index))
            index = number.end()
            continue
        name = _NAME.match(text, index)
        if name:
            _check_name(name.group(), index)
            tokens.append(_Token("name", name.group(), index))
            index = name.end()
            if index < len(text) and text[index] == ".":
                raise FormulaError("a name cannot end with '.'", index)
            continue
        for operator in _OPERATORS:
            if text.startswith(operator, index):
                tokens.append(_Token("op", "*" if operator == "×" else operator, index))
                index += len(operator)
                break
        else:
            raise FormulaError(_describe_character(char), index)
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _describe_character(char: str) -> str:
    if char in "'\"":
        return "strings are not allowed"
    if char in "[]{}":
        return f"'{char}' is not allowed (no lists, subscripts or dicts)"
    if char == ".":
        return "unexpected '.' (attribute access is not allowed)"
    if char.isdigit():
        return f"unexpected character {quoted(char)} (numbers are written with digits 0-9)"
    return f"unexpected character {quoted(char)}"


def _check_name(name: str, position: int) -> None:
    offset = 0
    for part in name.split("."):
        if part.startswith("_"):
            raise FormulaError(f"names cannot start with '_' ({quoted(part)})", position + offset)
        # A keyword is only suspicious as a whole name (``lambda``, ``if``); a team field
        # may well be called ``fields.class``.
        if offset == 0 and keyword.iskeyword(part):
            raise FormulaError(f"{quoted(part)} is not allowed", position)
        offset += len(part) + 1


class _Parser:
    """Pratt parser over the token list; tracks nesting to stay bounded."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._nesting = 0

    def parse(self) -> Node:
        node = self._expression(0)
        token = self._peek()
        if token.kind != "end":
            if token.text == ")":
                raise FormulaError("unbalanced ')'", token.position)
            raise FormulaError(f"expected an operator, got {quoted(token.text)}", token.position)
        return node

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _advance(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _expression(self, min_precedence: int) -> Node:
        self._nesting += 1
        if self._nesting > MAX_NESTING:
            raise FormulaError(
                f"formula nested too deeply (max {MAX_NESTING})", self._peek().position
            )
        left = self._prefix()
        while True:
            token = self._peek()
            if token.kind != "op" or token.text not in _BINARY:
                break
            precedence, right_associative = _BINARY[token.text]
            if precedence < min_precedence:
                break
            self._advance()
            right = self._expression(precedence if right_associative else precedence + 1)
            left = Binary(
                token.text, left, right, token.position, _depth(token, left.depth, right.depth)
            )
        self._nesting -= 1
        return left

    def _prefix(self) -> Node:
        token = self._advance()
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise FormulaError(
                    f"number {shorten(token.text, 40)} is out of range", token.position
                )
            return Number(value, token.position)
        if token.kind == "name":
            if self._peek().text == "(":
                return self._call(token)
            if token.text in ARITY:
                raise FormulaError(f"{token.text}() needs arguments in parentheses", token.position)
            return Name(token.text, token.position)
        if token.text == "-":
            operand = self._expression(_UNARY_PRECEDENCE)
            return Negate(operand, token.position, _depth(token, operand.depth))
        if token.text == "+":
            return self._expression(_UNARY_PRECEDENCE)
        if token.text == "(":
            inner = self._expression(0)
            self._expect(")", token)
            return Group(inner, token.position, _depth(token, inner.depth))
        if token.kind == "end":
            raise FormulaError(
                "expected a number, name or '(' but the formula ended", token.position
            )
        raise FormulaError(
            f"expected a number, name or '(', got {quoted(token.text)}", token.position
        )

    def _call(self, name: _Token) -> Node:
        if name.text not in ARITY:
            known = ", ".join(sorted(ARITY))
            raise FormulaError(
                f"unknown function {quoted(name.text)} (known: {known})", name.position
            )
        opening = self._advance()
        arguments: list[Node] = []
        if self._peek().text != ")":
            while True:
                arguments.append(self._expression(0))
                if len(arguments) > MAX_ARGUMENTS:
                    raise FormulaError(f"too many arguments (max {MAX_ARGUMENTS})", name.position)
                if self._peek().text != ",":
                    break
                self._advance()
        self._expect(")", opening)
        low, high = ARITY[name.text]
        if not low <= len(arguments) <= high:
            wanted = f"{low} or {high}" if high == low + 1 else f"at least {low}"
            raise FormulaError(
                f"{name.text}() takes {wanted} arguments, got {len(arguments)}", name.position
            )
        depth = _depth(name, *(argument.depth for argument in arguments))
        return Call(name.text, tuple(arguments), name.position, depth)

    def _expect(self, text: str, opening: _Token) -> None:
        token = self._peek()
        if token.text != text:
            if token.kind == "end":
                raise FormulaError("'(' is never closed", opening.position)
            raise FormulaError(f"expected {text!r}, got {quoted(token.text)}", token.position)
        self._advance()


def _depth(token: _Token, *children: int) -> int:
    depth = max(children) + 1
    if depth > MAX_TREE_DEPTH:
        raise FormulaError(f"formula too complex (max depth {MAX_TREE_DEPTH})", token.position)
    return depth


def parse(text: str) -> Node:
    """The expression tree of ``text``; raises ``FormulaError`` (with a position) if invalid."""
    return _Parser(_tokenize(text)).parse()
