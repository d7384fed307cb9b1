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


def _tanh_network_hessian_entry():
    """The ch02 exercise's d²ŷ/dx1² of a 2-2-1 tanh network: (ŷ, x1, x2, expected entry)."""
    sp = pytest.importorskip("sympy")
    x1, x2, b1, b2, b_out, w11, w21, w12, w22, v1, v2 = sp.symbols(
        "x1 x2 b1 b2 b_out w11 w21 w12 w22 v1 v2", real=True)
    y_hat = sp.tanh(b_out + v1 * sp.tanh(b1 + w11 * x1 + w21 * x2) + v2 * sp.tanh(b2 + w12 * x1 + w22 * x2))
    return y_hat, x1, x2, sp.diff(y_hat, x1, 2)


@pytest.mark.parametrize("form", ["hessian entry", "tanh written with exp"])
def test_check_symbolic_accepts_other_forms_of_a_large_derivative_quickly(form):
    """sympy.simplify of found - expected runs for minutes here; the numeric test decides at once."""
    import time

    sp = pytest.importorskip("sympy")
    y_hat, x1, x2, expected = _tanh_network_hessian_entry()
    found = sp.hessian(y_hat, (x1, x2))[0, 0] if form == "hessian entry" else expected.rewrite(sp.exp)
    assert found != expected  # a different tree, not the same expression
    start = time.perf_counter()
    grading.check_symbolic(found, expected, name="hessian_entry_tanh", show_expected=False)
    assert time.perf_counter() - start < 5.0  # about 0.2 s (hessian) and 0.6 s (exp) on an idle core


@pytest.mark.parametrize("wrong", ["d2/dx2^2", "d/dx1 once", "sign of one term"])
def test_check_symbolic_rejects_a_wrong_large_derivative_with_a_point(wrong, failure):
    import time

    sp = pytest.importorskip("sympy")
    y_hat, x1, x2, expected = _tanh_network_hessian_entry()
    found = {"d2/dx2^2": sp.diff(y_hat, x2, 2), "d/dx1 once": sp.diff(y_hat, x1),
             "sign of one term": expected.subs(sp.Symbol("v2", real=True), -sp.Symbol("v2", real=True))}[wrong]
    start = time.perf_counter()
    message = failure(grading.check_symbolic, found, expected, name="hessian_entry_tanh", show_expected=False)
    assert time.perf_counter() - start < 5.0  # about 0.1 s on an idle core
    assert message.startswith("hessian_entry_tanh: not equivalent")
    assert "they differ at b1 = " in message and "expected:" not in message and "time" not in message


def test_check_symbolic_tie_break_decides_what_cannot_be_evaluated(failure):
    """An undefined function f cannot be evaluated at a point: sympy.simplify decides."""
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x")
    f = sp.Function("f")
    grading.check_symbolic(f(x) * (sp.sin(x) ** 2 + sp.cos(x) ** 2), f(x))
    message = failure(grading.check_symbolic, f(x) * x, f(x) * (x + 1))
    assert "could not simplify found - expected to 0" in message


def _slow_tie_break():
    """found/expected that cannot be evaluated (the factor f(x1)) and that simplify takes minutes on."""
    sp = pytest.importorskip("sympy")
    _, x1, _, expected = _tanh_network_hessian_entry()
    f = sp.Function("f")
    return f(x1) * expected.rewrite(sp.exp), f(x1) * expected


def test_check_symbolic_tie_break_is_bounded_in_time(failure, capfd):
    import time

    found, expected = _slow_tie_break()
    start = time.perf_counter()
    message = failure(grading.check_symbolic, found, expected, name="h", time_limit=1.0)
    elapsed = time.perf_counter() - start
    assert 1.0 <= elapsed < 5.0
    assert "could not decide in time; graded as different (limit 1 s)" in message
    assert capfd.readouterr().err == ""  # the killed child wrote nothing


def test_check_symbolic_tie_break_is_bounded_in_a_worker_thread():
    """No SIGALRM: the bound holds in a thread too (the grader may run checks there)."""
    import threading
    import time

    found, expected = _slow_tie_break()
    outcome = {}

    def run():
        start = time.perf_counter()
        try:
            grading.check_symbolic(found, expected, name="h", time_limit=1.0)
        except grading.CheckFailure as exc:
            outcome["message"] = str(exc)
        outcome["elapsed"] = time.perf_counter() - start

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert outcome["elapsed"] < 5.0 and "could not decide in time" in outcome["message"]


def test_check_symbolic_relation_of_unevaluable_sides_uses_the_tie_break(failure):
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    f = sp.Function("f")
    grading.check_symbolic(sp.Eq(2 * f(x), 2 * y), sp.Eq(f(x), y))
    assert "points the other way" in failure(grading.check_symbolic, f(x) < y, f(x) > y)
    assert "constant multiple" in failure(grading.check_symbolic, sp.Eq(f(x), x * y), sp.Eq(f(x), y))


def test_check_symbolic_without_fork_is_undecided_not_broken(monkeypatch, failure):
    """Where no child process can be made, an undecidable comparison says so and fails."""
    import os

    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x")
    f = sp.Function("f")

    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    message = failure(grading.check_symbolic, f(x) * (sp.sin(x) ** 2 + sp.cos(x) ** 2), f(x))
    assert "could not decide in time; graded as different" in message
    grading.check_symbolic(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)  # evaluation at points needs no child


def test_check_symbolic_relations_are_compared_at_points(failure):
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    grading.check_symbolic(2 * x > 2 * y, x > y)
    grading.check_symbolic(sp.GreaterThan(x - y, 0), sp.LessThan(y, x))
    grading.check_symbolic(sp.Eq(x**2 - 1, 0), sp.Eq((x - 1) * (x + 1), 0))
    grading.check_symbolic(sp.Eq(-3 * sp.exp(x), -3 * y), sp.Eq(sp.exp(x), y))  # any non-zero factor
    message = failure(grading.check_symbolic, sp.Eq(x * (x - y), 0), sp.Eq(x - y, 0))
    assert "not a constant multiple" in message and "the ratio of the two is" in message
    assert "points the other way" in failure(grading.check_symbolic, -2 * x > -2 * y, x > y)
    assert "truth value" in failure(grading.check_symbolic, sp.Eq(0 * x, 0), sp.Eq(x, y))
    assert "constant multiple" in failure(grading.check_symbolic, sp.Eq(x, x + y), sp.Eq(x, y))


def test_check_symbolic_leaves_unevaluated_sums_to_the_bounded_tie_break(failure):
    """evalf of a sum over 10**12 terms could run for long; such forms go to the bounded child."""
    import time

    sp = pytest.importorskip("sympy")
    x, k = sp.symbols("x k")
    grading.check_symbolic(sp.Sum(x * k, (k, 1, 3)), 6 * x)
    start = time.perf_counter()
    message = failure(grading.check_symbolic, sp.Sum(x / k**2, (k, 1, 10**12)), x, time_limit=1.0)
    assert time.perf_counter() - start < 5.0 and "not equivalent" in message
