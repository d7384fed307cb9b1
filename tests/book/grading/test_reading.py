"""Tests of nnbook.book.grading.reading: a formula given as text is read into sympy; text that
would run code (sympify evaluates strings with Python's eval) or exhaust the grader is refused."""

import pytest

from nnbook.book import grading
from nnbook.book.grading.reading import FormulaError, read_formula

sp = pytest.importorskip("sympy")
x, y, sigma = sp.symbols("x y sigma")
TABLE = {"x": x, "y": y, "sigma": sigma}


@pytest.mark.parametrize("text, expected", [
    ("sigma*(1 - sigma)", sigma * (1 - sigma)),
    ("x^2 + 2*x + 1", x**2 + 2 * x + 1),
    ("exp(-x)/(1 + exp(-x))**2", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
    ("tanh(x) + sqrt(y) + Abs(x) + Max(x, y)", sp.tanh(x) + sp.sqrt(y) + sp.Abs(x) + sp.Max(x, y)),
    ("2**10 + Rational(1, 2)", sp.Integer(1024) + sp.Rational(1, 2)),
    ("x < y", x < y),
    ("[[x, 1], [0, y]]", [[x, 1], [0, y]]),
    ("w*x", sp.Symbol("w") * x),
    ("Piecewise((x, x > 0), (0, True))", sp.Piecewise((x, x > 0), (0, True))),
])
def test_read_formula_reads_formulas(text, expected):
    assert read_formula(text, TABLE) == expected


@pytest.mark.parametrize("text, reason", [
    ("__import__('os').system('echo read >&2')", "a call of"),
    ("x + __builtins__", "names may not start with '_'"),
    ("__import__('os').system('echo read >&2') or x", "BoolOp"),
    ("open('/etc/hostname')", "a call of 'open'"),
    ("open('/etc/hostname').read()", "a call of"),
    ("x.__class__", "Attribute"),
    ("eval('1') + x", "'eval'"),
    ("sympify('x')", "'sympify'"),
    ("exp(x, evaluate=False)", "keyword"),
    ("[t for t in (x, y)]", "ListComp"),
    ("lambda t: t", "Lambda"),
    ("9**9**9", "power of constants"),
    ("(10**1000)**1000", "power of constants"),
    ("x + 'a'", "not a number"),
    ("x" + " + x" * 2000, "longer than"),
    ("x +", "not a formula"),
])
def test_read_formula_refuses_what_is_not_a_formula(text, reason, capfd):
    with pytest.raises(FormulaError, match=pytest.importorskip("re").escape(reason)):
        read_formula(text, TABLE)
    assert capfd.readouterr().err == ""  # nothing ran


def test_check_symbolic_refuses_code_in_a_string_answer(failure, capfd):
    """A string answer reaches the trusted grader as data; it must never be executed."""
    message = failure(grading.check_symbolic, "__import__('os').system('echo ran >&2') or x", x, name="f")
    assert message.startswith("f: could not read") and "as a formula" in message
    assert capfd.readouterr().err == ""


def test_as_expression_reads_values_for_test_cells_safely(failure, capfd):
    """Test cells use grading.as_expression where they used sympy.sympify on a student's value."""
    assert grading.as_expression("sigma*(1 - sigma)", symbols=[sigma]) == sigma * (1 - sigma)
    assert grading.as_expression(x**2) == x**2 and grading.as_expression(3) == 3
    assert grading.as_expression([[x, 1]]) == sp.ImmutableMatrix([[x, 1]])
    message = failure(grading.as_expression, "__import__('os').system('echo ran >&2')", name="delta")
    assert message.startswith("delta: could not read")
    assert capfd.readouterr().err == ""
