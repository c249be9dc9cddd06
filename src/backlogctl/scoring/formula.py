"""Custom scoring formulas: compile once, then evaluate and explain per item.

A formula is arithmetic over item fields: numbers (ASCII digits), dotted names
(``rice.reach``, ``fields.revenue``, ``estimate``), ``+ - * / **`` (``×`` is accepted for
``*``), unary minus, parentheses and the functions ``min``/``max`` (two or more arguments) and
``log`` (natural, or with a base as second argument).

Nothing here uses Python's ``eval``/``exec``/``compile``: ``formula_syntax`` parses the text into
a tree of our own, evaluated here with float arithmetic only. Formulas are bounded (length,
nesting, tree depth) and every operation checks its result, so hostile input such as
``10 ** 10 ** 10`` or ten thousand nested parentheses is rejected quickly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backlogctl.scoring.formula_syntax import (
    ARITY,
    MAX_ARGUMENTS,
    MAX_LENGTH,
    MAX_NESTING,
    MAX_TREE_DEPTH,
    Binary,
    FormulaError,
    Group,
    Name,
    Negate,
    Node,
    Number,
    parse,
)
from backlogctl.scoring.numbers import format_number

__all__ = [
    "MAX_ARGUMENTS",
    "MAX_LENGTH",
    "MAX_NESTING",
    "MAX_TREE_DEPTH",
    "Formula",
    "FormulaError",
    "compile_formula",
]

_SHOWN = {"*": "×", "/": "/", "+": "+", "-": "-", "**": "**"}


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
if _FUNCTIONS.keys() != ARITY.keys():
    raise RuntimeError("formula functions and formula_syntax.ARITY name different functions")


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


def _evaluate(node: Node, values: Mapping[str, float]) -> float:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        try:
            return float(values[node.name])
        except KeyError:
            raise FormulaError(f"no value for {node.name}", node.position) from None
    if isinstance(node, Group):
        return _evaluate(node.inner, values)
    if isinstance(node, Negate):
        return -_evaluate(node.operand, values)
    if isinstance(node, Binary):
        left = _evaluate(node.left, values)
        right = _evaluate(node.right, values)
        return _apply(node.operator, left, right, node.position)
    arguments = [_evaluate(argument, values) for argument in node.arguments]
    try:
        result = _FUNCTIONS[node.function](*arguments)
    except FormulaError as exc:
        raise FormulaError(exc.message, node.position) from None
    return float(result)


def _render(node: Node, values: Mapping[str, float]) -> str:
    if isinstance(node, Number):
        return format_number(node.value)
    if isinstance(node, Name):
        if node.name not in values:
            return node.name
        return f"{node.name} {format_number(values[node.name])}"
    if isinstance(node, Group):
        return f"({_render(node.inner, values)})"
    if isinstance(node, Negate):
        return f"-{_render(node.operand, values)}"
    if isinstance(node, Binary):
        left, right = _render(node.left, values), _render(node.right, values)
        return f"{left} {_SHOWN[node.operator]} {right}"
    arguments = ", ".join(_render(argument, values) for argument in node.arguments)
    return f"{node.function}({arguments})"


def _names_in_order(node: Node) -> list[str]:
    if isinstance(node, Name):
        return [node.name]
    if isinstance(node, Number):
        return []
    if isinstance(node, Group):
        return _names_in_order(node.inner)
    if isinstance(node, Negate):
        return _names_in_order(node.operand)
    if isinstance(node, Binary):
        return _names_in_order(node.left) + _names_in_order(node.right)
    return [name for argument in node.arguments for name in _names_in_order(argument)]


@dataclass(frozen=True)
class Formula:
    """A compiled formula: the names it uses, and evaluation over their values."""

    text: str
    _root: Node
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
    root = parse(text)
    names = tuple(dict.fromkeys(_names_in_order(root)))
    _check_constants(root)
    return Formula(text=text, _root=root, ordered_names=names)


def _check_constants(node: Node) -> bool:
    """Evaluate every name-free subtree (raising its error); True when ``node`` has no names."""
    if isinstance(node, Number):
        return True
    if isinstance(node, Name):
        return False
    if isinstance(node, Group):
        children: tuple[Node, ...] = (node.inner,)
    elif isinstance(node, Negate):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    else:
        children = node.arguments
    constant = [_check_constants(child) for child in children]
    if all(constant):
        _evaluate(node, {})
        return True
    return False
