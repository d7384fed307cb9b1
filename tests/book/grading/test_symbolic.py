"""Tests of nnbook.book.grading.symbolic: check_symbolic decides equivalence of expressions,
relations and matrices, and says where two expressions differ."""

import pytest

from nnbook.book import grading


def test_check_symbolic_equivalent_forms_pass():
    sp = pytest.importorskip("sympy")
    sigma, x = sp.symbols("sigma x")
    grading.check_symbolic(sigma * (1 - sigma), sigma - sigma**2)
    grading.check_symbolic("sigma*(1-sigma)", sigma - sigma**2)
    grading.check_symbolic("sigma - sigma^2", "sigma*(1 - sigma)", symbols={"sigma": sigma})
    s = 1 / (1 + sp.exp(-x))
    grading.check_symbolic(s * (1 - s), sp.diff(s, x))
    grading.check_symbolic(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)


def test_check_symbolic_sign_error_fails_with_both_expressions_and_a_point(failure):
    sp = pytest.importorskip("sympy")
    sigma = sp.Symbol("sigma")
    message = failure(grading.check_symbolic, "sigma*(1+sigma)", sigma * (1 - sigma), name="sigma'")
    assert message.startswith("sigma': not equivalent")
    assert "expected: sigma*(1 - sigma)" in message or "expected: -sigma**2 + sigma" in message
    assert "found:    sigma*(sigma + 1)" in message
    assert "they differ at sigma = " in message
    assert message == failure(grading.check_symbolic, "sigma*(1+sigma)", sigma * (1 - sigma), name="sigma'")
    hidden = failure(grading.check_symbolic, "sigma*(1+sigma)", sigma * (1 - sigma), show_expected=False)
    assert "expected:" not in hidden


def test_check_symbolic_point_values_are_right(failure):
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x", positive=True)
    message = failure(grading.check_symbolic, 2 * x, x)
    value = float(message.split("they differ at x = ")[1].split(":")[0])
    assert value > 0  # positive symbols get positive sample points
    assert f"expected {value:g}, found {2 * value:g}" in message


def test_check_symbolic_numeric_fallback(monkeypatch, failure):
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x")
    monkeypatch.setattr(sp, "simplify", lambda expr, *a, **k: expr)  # sympy "cannot" simplify
    grading.check_symbolic(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x))
    message = failure(grading.check_symbolic, sp.sin(2 * x), sp.sin(x) * sp.cos(x))
    assert "they differ at x = " in message


def test_check_symbolic_symbol_assumptions_are_unified():
    sp = pytest.importorskip("sympy")
    real_x = sp.Symbol("x", real=True)
    plain_x = sp.Symbol("x")
    grading.check_symbolic(plain_x**2, real_x**2)
    grading.check_symbolic("Abs(x)", sp.sqrt(real_x**2))


def test_check_symbolic_bad_input(failure):
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x")
    assert "could not read 'x*(1-x'" in failure(grading.check_symbolic, "x*(1-x", x)
    assert "found None" in failure(grading.check_symbolic, None, x)
    assert "not a Python function" in failure(grading.check_symbolic, lambda t: t, x)
    assert "empty string" in failure(grading.check_symbolic, "  ", x)
    message = failure(grading.check_symbolic, "x*z", x)
    assert "symbol(s) z" in message


def test_check_symbolic_relations(failure):
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    grading.check_symbolic(sp.Eq(2 * y, 4 * x), sp.Eq(y, 2 * x))
    grading.check_symbolic("Eq(2*x, y)", sp.Eq(y, 2 * x))
    grading.check_symbolic("x < y", y > x)
    assert "points the other way" in failure(grading.check_symbolic, "x > y", y > x)
    assert "constant multiple" in failure(grading.check_symbolic, sp.Eq(y, 3 * x), sp.Eq(y, 2 * x))
    assert "kind of relation" in failure(grading.check_symbolic, sp.Eq(y, x), y > x)
    assert "expected an equation or inequality" in failure(grading.check_symbolic, 2 * x, sp.Eq(y, 2 * x))
    assert "found an equation" in failure(grading.check_symbolic, sp.Eq(y, 2 * x), 2 * x)
    assert "truth value" in failure(grading.check_symbolic, "Eq(x, x)", sp.Eq(y, 2 * x))


def test_check_symbolic_matrices(failure):
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    grading.check_symbolic([2 * x, 2 * y], sp.Matrix([2 * x, 2 * y]))
    message = failure(grading.check_symbolic, [2 * x, 3 * y], sp.Matrix([2 * x, 2 * y]))
    assert "entry (1, 0) differs: expected 2*y, found 3*y" in message
    assert "shape (2, 1)" in failure(grading.check_symbolic, sp.Matrix([[x, y]]), sp.Matrix([x, y]))
