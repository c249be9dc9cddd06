"""The safe formula parser: arithmetic, names, functions, domain errors and hostile input."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.scoring.formula import MAX_LENGTH, FormulaError, compile_formula

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 + 3 * 4", 14.0),
        ("(2 + 3) * 4", 20.0),
        ("10 / 4", 2.5),
        ("10 - 4 - 3", 3.0),  # left-associative: (10 - 4) - 3
        ("2 ** 3 ** 2", 512.0),  # right-associative: 2 ** 9
        ("-2 ** 2", -4.0),  # ** binds tighter than unary minus, as in Python
        ("2 ** -1", 0.5),
        ("--3", 3.0),
        ("+3", 3.0),
        ("3 × 4", 12.0),
        ("1.5e3 + .5", 1500.5),
        ("min(3, 1, 2)", 1.0),
        ("max(1, 2)", 2.0),
        ("log(100, 10)", 2.0),
        ("max(min(4, 9), 2 * 3)", 6.0),
    ],
)
def test_constant_formulas_evaluate_like_arithmetic(text: str, expected: float) -> None:
    assert compile_formula(text).evaluate({}) == pytest.approx(expected)


def test_natural_log() -> None:
    assert compile_formula("log(x)").evaluate({"x": math.e}) == pytest.approx(1.0)


def test_names_are_the_dotted_fields_in_order_of_appearance() -> None:
    formula = compile_formula(
        "(wsjf.business_value + wsjf.time_criticality) / estimate + fields.revenue * estimate"
    )
    assert formula.names == frozenset(
        {"wsjf.business_value", "wsjf.time_criticality", "estimate", "fields.revenue"}
    )
    assert formula.ordered_names == (
        "wsjf.business_value",
        "wsjf.time_criticality",
        "estimate",
        "fields.revenue",
    )


def test_evaluate_and_explain_with_values() -> None:
    formula = compile_formula("(wsjf.business_value + wsjf.time_criticality) / estimate")
    values = {"wsjf.business_value": 8.0, "wsjf.time_criticality": 5.0, "estimate": 2.0}
    # (8 + 5) / 2 = 6.5
    assert formula.evaluate(values) == 6.5
    assert formula.explain(values) == (
        "(wsjf.business_value 8 + wsjf.time_criticality 5) / estimate 2"
    )


def test_explain_renders_multiplication_as_times_and_functions() -> None:
    formula = compile_formula("max(a*2, log(b))")
    assert formula.explain({"a": 1.5, "b": 1.0}) == "max(a 1.5 × 2, log(b 1))"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"a": 1.0, "b": 0.0}, "division by zero at column 3"),
        ({"a": 0.0, "b": 1.0}, "log of 0 (needs a value > 0) at column 9"),
        ({"a": -2.0, "b": 1.0}, "log of -2 (needs a value > 0) at column 9"),
    ],
)
def test_domain_errors_raise_formula_error(values: dict[str, float], message: str) -> None:
    formula = compile_formula("a / b + log(a)")
    with pytest.raises(FormulaError) as caught:
        formula.evaluate(values)
    assert caught.value.message == message


def test_overflow_is_an_error_not_infinity() -> None:
    formula = compile_formula("x ** y")
    with pytest.raises(FormulaError, match="result too large"):
        formula.evaluate({"x": 10.0, "y": 400.0})
    with pytest.raises(FormulaError, match="result too large"):
        compile_formula("x * y").evaluate({"x": 1e300, "y": 1e300})


def test_negative_base_with_fractional_exponent_is_undefined_not_complex() -> None:
    with pytest.raises(FormulaError, match=r"\(-8\) \*\* 0.5 is undefined"):
        compile_formula("x ** 0.5").evaluate({"x": -8.0})


def test_missing_value_is_a_formula_error() -> None:
    with pytest.raises(FormulaError, match=r"no value for fields\.revenue"):
        compile_formula("fields.revenue * 2").evaluate({})


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("__import__('os')", "names cannot start with '_' ('__import__')", 0),
        ("a.__class__", "names cannot start with '_' ('__class__')", 2),
        ("().x", "unexpected '.' (attribute access is not allowed)", 2),
        ("()", "expected a number, name or '(', got ')'", 1),
        ('"str"', "strings are not allowed", 0),
        ("'str' * 3", "strings are not allowed", 0),
        ("[1]", "'[' is not allowed (no lists, subscripts or dicts)", 0),
        ("rice.reach[0]", "'[' is not allowed (no lists, subscripts or dicts)", 10),
        ("{1: 2}", "'{' is not allowed (no lists, subscripts or dicts)", 0),
        ("lambda: 1", "'lambda' is not allowed", 0),
        ("lambda x: x", "'lambda' is not allowed", 0),
        ("a if b else c", "'if' is not allowed", 2),
        ("a; b", "unexpected character ';'", 1),
        ("a = 1", "unexpected character '='", 2),
        ("open('x')", "strings are not allowed", 5),
        ("exec(1, 2)", "unknown function 'exec' (known: log, max, min)", 0),
        ("rice.reach.x(1)", "unknown function 'rice.reach.x' (known: log, max, min)", 0),
        ("1 .real", "unexpected '.' (attribute access is not allowed)", 2),
        ("a.", "a name cannot end with '.'", 1),
        ("a b", "expected an operator, got 'b'", 2),
        ("(1 + 2", "'(' is never closed", 0),
        ("1 + 2)", "unbalanced ')'", 5),
        ("1 +", "expected a number, name or '(' but the formula ended", 3),
        ("min(1)", "min() takes at least 2 arguments, got 1", 0),
        ("log(1, 2, 3)", "log() takes 1 or 2 arguments, got 3", 0),
        ("max", "max() needs arguments in parentheses", 0),
        ("1 / 0", "division by zero", 2),
        ("10 ** 10 ** 10", "result too large", 3),
        ("1e999", "number 1e999 is out of range", 0),
        ("log(0) * rice.reach", "log of 0 (needs a value > 0)", 0),
        # Other scripts' digits: float() would read ١٢٣ as 123 and ２ as 2.
        ("١٢٣", "unexpected character '١' (numbers are written with digits 0-9)", 0),
        ("rice.reach * ２", "unexpected character '２' (numbers are written with digits 0-9)", 13),
        ("1.５", "unexpected character '５' (numbers are written with digits 0-9)", 2),
        ("2²", "unexpected character '²' (numbers are written with digits 0-9)", 1),
    ],
)
def test_invalid_and_hostile_formulas_are_rejected_with_a_position(
    text: str, message: str, position: int
) -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula(text)
    assert caught.value.position == position
    assert caught.value.message == f"{message} at column {position + 1}"


def test_hostile_input_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"__import__('os').system('touch {marker}')"
    with pytest.raises(FormulaError):
        compile_formula(text)
    assert not marker.exists()


def test_keywords_are_allowed_as_field_names_but_not_alone() -> None:
    assert compile_formula("fields.class * 2").evaluate({"fields.class": 4.0}) == 8.0
    with pytest.raises(FormulaError, match="'import' is not allowed at column 1"):
        compile_formula("import.os")


def test_an_overlong_number_is_cut_in_the_message() -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula("1" * 1500)
    assert caught.value.message == (
        f"number {'1' * 40}… (1460 more characters) is out of range at column 1"
    )


def test_empty_formula() -> None:
    with pytest.raises(FormulaError, match="empty formula"):
        compile_formula("   ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 10_000 + "1" + ")" * 10_000, "formula too long (20001 characters, max 2000)"),
        ("a + " * 1000 + "a", f"formula too long (4001 characters, max {MAX_LENGTH})"),
        ("(" * 60 + "1" + ")" * 60, "formula nested too deeply (max 50) at column 51"),
        ("-" * 100 + "1", "formula nested too deeply (max 50) at column 51"),
        ("a" + " + a" * 300, "formula too complex (max depth 200) at column 799"),
        ("2 ** " * 80 + "1", "formula nested too deeply (max 50) at column 251"),
    ],
)
def test_huge_or_deep_formulas_are_rejected_quickly(text: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FormulaError) as caught:
        compile_formula(text)
    assert time.perf_counter() - started < 0.5
    assert caught.value.message == message


def test_exponent_towers_with_names_are_bounded_at_evaluation() -> None:
    formula = compile_formula("x ** x ** x ** x")
    started = time.perf_counter()
    with pytest.raises(FormulaError, match="result too large"):
        formula.evaluate({"x": 10.0})
    assert time.perf_counter() - started < 0.5


def test_longest_allowed_sum_still_evaluates() -> None:
    # 200 terms: just inside the tree-depth bound, and well under the length bound.
    formula = compile_formula(" + ".join(["a"] * 200))
    assert formula.evaluate({"a": 0.5}) == 100.0


def _write_config(tmp_path: Path, formula: str) -> Path:
    path = tmp_path / "backlogctl.yaml"
    path.write_text(
        "default_model: rice\nmodels:\n  value_per_point:\n"
        f"    formula: {formula!r}\n    description: value per point\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", [["config", "check"], ["rank"], ["models"]])
@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "wsjf.business_value / / estimate",
            "expected a number, name or '(', got '/' at column 23",
        ),
        ("__import__('os')", "names cannot start with '_' ('__import__') at column 1"),
        ("10 ** 10 ** 10", "result too large at column 4"),
        ("rice.reech * 2", "unknown field 'rice.reech'"),
        ("rice.reach * ١٢٣", "unexpected character '١' (numbers are written with digits 0-9)"),
    ],
)
def test_bad_formula_in_config_is_one_line_naming_file_line_and_model(
    tmp_path: Path, command: list[str], formula: str, message: str
) -> None:
    path = _write_config(tmp_path, formula)
    result = runner.invoke(app, [*command, "--config", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"backlogctl: error: {path}:4: models.value_per_point.formula: {message}"
    )
    assert f"in {formula!r}" in result.stderr
    assert len(result.stderr.splitlines()) == 1
