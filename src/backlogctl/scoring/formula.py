"""A safe parser and evaluator for custom scoring formulas.

A formula is arithmetic over item fields: numbers, dotted names (``rice.reach``,
``fields.revenue``, ``estimate``), ``+ - * / **`` (``×`` is accepted for ``*``), unary minus,
parentheses and the functions ``min``/``max`` (two or more arguments) and ``log`` (natural,
or with a base as second argument).

Nothing here uses Python's ``eval``/``exec``/``compile``: a small tokenizer feeds a Pratt
parser that builds an AST of our own, evaluated with float arithmetic only. Formulas are
bounded (length, nesting, tree depth) and every operation checks its result, so hostile
input such as ``10 ** 10 ** 10`` or ten thousand nested parentheses is rejected quickly.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backlogctl.scoring.numbers import format_number

#: Longest formula accepted, in characters.
MAX_LENGTH = 2000
#: Deepest nesting of parentheses, unary minus and right-hand operands.
MAX_NESTING = 50
#: Deepest expression tree (bounds the evaluator's recursion, e.g. for ``a+a+a+...``).
MAX_TREE_DEPTH = 200
#: Most arguments a function call may take.
MAX_ARGUMENTS = 50

_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
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
_SHOWN = {"*": "×", "/": "/", "+": "+", "-": "-", "**": "**"}


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
class _Number:
    value: float
    position: int
    depth: int = 1


@dataclass(frozen=True)
class _Name:
    name: str
    position: int
    depth: int = 1


@dataclass(frozen=True)
class _Negate:
    operand: _Node
    position: int
    depth: int


@dataclass(frozen=True)
class _Binary:
    operator: str
    left: _Node
    right: _Node
    position: int
    depth: int


@dataclass(frozen=True)
class _Call:
    function: str
    arguments: tuple[_Node, ...]
    position: int
    depth: int


@dataclass(frozen=True)
class _Group:
    """Parentheses as written, kept so explanations read like the formula."""

    inner: _Node
    position: int
    depth: int


_Node = _Number | _Name | _Negate | _Binary | _Call | _Group


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
    return f"unexpected character {char!r}"


def _check_name(name: str, position: int) -> None:
    offset = 0
    for part in name.split("."):
        if part.startswith("_"):
            raise FormulaError(f"names cannot start with '_' ({part!r})", position + offset)
        # A keyword is only suspicious as a whole name (``lambda``, ``if``); a team field
        # may well be called ``fields.class``.
        if offset == 0 and keyword.iskeyword(part):
            raise FormulaError(f"{part!r} is not allowed", position)
        offset += len(part) + 1


class _Parser:
    """Pratt parser over the token list; tracks nesting to stay bounded."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._nesting = 0

    def parse(self) -> _Node:
        node = self._expression(0)
        token = self._peek()
        if token.kind != "end":
            if token.text == ")":
                raise FormulaError("unbalanced ')'", token.position)
            raise FormulaError(f"expected an operator, got {token.text!r}", token.position)
        return node

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _advance(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _expression(self, min_precedence: int) -> _Node:
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
            left = _Binary(
                token.text, left, right, token.position, _depth(token, left.depth, right.depth)
            )
        self._nesting -= 1
        return left

    def _prefix(self) -> _Node:
        token = self._advance()
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise FormulaError(f"number {token.text} is out of range", token.position)
            return _Number(value, token.position)
        if token.kind == "name":
            if self._peek().text == "(":
                return self._call(token)
            if token.text in _FUNCTIONS:
                raise FormulaError(f"{token.text}() needs arguments in parentheses", token.position)
            return _Name(token.text, token.position)
        if token.text == "-":
            operand = self._expression(_UNARY_PRECEDENCE)
            return _Negate(operand, token.position, _depth(token, operand.depth))
        if token.text == "+":
            return self._expression(_UNARY_PRECEDENCE)
        if token.text == "(":
            inner = self._expression(0)
            self._expect(")", token)
            return _Group(inner, token.position, _depth(token, inner.depth))
        if token.kind == "end":
            raise FormulaError(
                "expected a number, name or '(' but the formula ended", token.position
            )
        raise FormulaError(f"expected a number, name or '(', got {token.text!r}", token.position)

    def _call(self, name: _Token) -> _Node:
        if name.text not in _FUNCTIONS:
            known = ", ".join(sorted(_FUNCTIONS))
            raise FormulaError(f"unknown function {name.text!r} (known: {known})", name.position)
        opening = self._advance()
        arguments: list[_Node] = []
        if self._peek().text != ")":
            while True:
                arguments.append(self._expression(0))
                if len(arguments) > MAX_ARGUMENTS:
                    raise FormulaError(f"too many arguments (max {MAX_ARGUMENTS})", name.position)
                if self._peek().text != ",":
                    break
                self._advance()
        self._expect(")", opening)
        low, high = _ARITY[name.text]
        if not low <= len(arguments) <= high:
            wanted = f"{low} or {high}" if high == low + 1 else f"at least {low}"
            raise FormulaError(
                f"{name.text}() takes {wanted} arguments, got {len(arguments)}", name.position
            )
        depth = _depth(name, *(argument.depth for argument in arguments))
        return _Call(name.text, tuple(arguments), name.position, depth)

    def _expect(self, text: str, opening: _Token) -> None:
        token = self._peek()
        if token.text != text:
            if token.kind == "end":
                raise FormulaError("'(' is never closed", opening.position)
            raise FormulaError(f"expected {text!r}, got {token.text!r}", token.position)
        self._advance()


def _depth(token: _Token, *children: int) -> int:
    depth = max(children) + 1
    if depth > MAX_TREE_DEPTH:
        raise FormulaError(f"formula too complex (max depth {MAX_TREE_DEPTH})", token.position)
    return depth


def _log(*arguments: float) -> float:
    value = arguments[0]
    if value <= 0:
        raise FormulaError(f"log of {format_number(value)} (needs a value > 0)")
    if len(arguments) == 1:
        return math.log(value)
    base = arguments[1]
    if base <= 0 or base == 1:
        raise FormulaError(f"log base {format_number(base)} (needs a base > 0 and != 1)")
    return math.log(value, base)


_FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "log": _log}
_ARITY: dict[str, tuple[int, int]] = {
    "min": (2, MAX_ARGUMENTS),
    "max": (2, MAX_ARGUMENTS),
    "log": (1, 2),
}


def _apply(operator: str, left: float, right: float, position: int) -> float:
    try:
        if operator == "+":
            result = left + right
        elif operator == "-":
            result = left - right
        elif operator == "*":
            result = left * right
        elif operator == "/":
            if right == 0:
                raise FormulaError("division by zero", position)
            result = left / right
        else:
            # math.pow works on floats only: it never builds huge integers and raises instead
            # of returning complex numbers for a negative base with a fractional exponent.
            result = math.pow(left, right)
    except OverflowError:
        raise FormulaError("result too large", position) from None
    except ValueError:
        shown = [f"({format_number(x)})" if x < 0 else format_number(x) for x in (left, right)]
        raise FormulaError(f"{shown[0]} ** {shown[1]} is undefined", position) from None
    if not math.isfinite(result):
        raise FormulaError("result too large", position)
    return result


def _evaluate(node: _Node, values: Mapping[str, float]) -> float:
    if isinstance(node, _Number):
        return node.value
    if isinstance(node, _Name):
        try:
            return float(values[node.name])
        except KeyError:
            raise FormulaError(f"no value for {node.name}", node.position) from None
    if isinstance(node, _Group):
        return _evaluate(node.inner, values)
    if isinstance(node, _Negate):
        return -_evaluate(node.operand, values)
    if isinstance(node, _Binary):
        left = _evaluate(node.left, values)
        right = _evaluate(node.right, values)
        return _apply(node.operator, left, right, node.position)
    arguments = [_evaluate(argument, values) for argument in node.arguments]
    try:
        result = _FUNCTIONS[node.function](*arguments)
    except FormulaError as exc:
        raise FormulaError(exc.message, node.position) from None
    return float(result)


def _render(node: _Node, values: Mapping[str, float]) -> str:
    if isinstance(node, _Number):
        return format_number(node.value)
    if isinstance(node, _Name):
        if node.name not in values:
            return node.name
        return f"{node.name} {format_number(values[node.name])}"
    if isinstance(node, _Group):
        return f"({_render(node.inner, values)})"
    if isinstance(node, _Negate):
        return f"-{_render(node.operand, values)}"
    if isinstance(node, _Binary):
        left, right = _render(node.left, values), _render(node.right, values)
        return f"{left} {_SHOWN[node.operator]} {right}"
    arguments = ", ".join(_render(argument, values) for argument in node.arguments)
    return f"{node.function}({arguments})"


def _names_in_order(node: _Node) -> list[str]:
    if isinstance(node, _Name):
        return [node.name]
    if isinstance(node, _Number):
        return []
    if isinstance(node, _Group):
        return _names_in_order(node.inner)
    if isinstance(node, _Negate):
        return _names_in_order(node.operand)
    if isinstance(node, _Binary):
        return _names_in_order(node.left) + _names_in_order(node.right)
    return [name for argument in node.arguments for name in _names_in_order(argument)]


@dataclass(frozen=True)
class Formula:
    """A compiled formula: the names it uses, and evaluation over their values."""

    text: str
    _root: _Node
    #: Dotted names in order of first appearance (``names`` as a tuple).
    ordered_names: tuple[str, ...]

    @property
    def names(self) -> frozenset[str]:
        """Every dotted name the formula references (``rice.reach``, ``fields.x``, ...)."""
        return frozenset(self.ordered_names)

    def evaluate(self, values: Mapping[str, float]) -> float:
        """The formula's value; raises ``FormulaError`` on a domain error or a missing value."""
        return _evaluate(self._root, values)

    def explain(self, values: Mapping[str, float]) -> str:
        """The formula with each name followed by its value, e.g. ``(estimate 3 + 1) × 2``."""
        return _render(self._root, values)


def compile_formula(text: str) -> Formula:
    """Parse ``text`` into a ``Formula``; raises ``FormulaError`` (with a position) if invalid.

    Parts without names are evaluated once here, so ``1 / 0`` or ``10 ** 10 ** 10`` fail at
    compile time (for custom models: when the config loads).
    """
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long ({len(text)} characters, max {MAX_LENGTH})")
    if not text.strip():
        raise FormulaError("empty formula")
    root = _Parser(_tokenize(text)).parse()
    names = tuple(dict.fromkeys(_names_in_order(root)))
    _check_constants(root)
    return Formula(text=text, _root=root, ordered_names=names)


def _check_constants(node: _Node) -> bool:
    """Evaluate every name-free subtree (raising its error); True when ``node`` has no names."""
    if isinstance(node, _Number):
        return True
    if isinstance(node, _Name):
        return False
    if isinstance(node, _Group):
        children: tuple[_Node, ...] = (node.inner,)
    elif isinstance(node, _Negate):
        children = (node.operand,)
    elif isinstance(node, _Binary):
        children = (node.left, node.right)
    else:
        children = node.arguments
    constant = [_check_constants(child) for child in children]
    if all(constant):
        _evaluate(node, {})
        return True
    return False
