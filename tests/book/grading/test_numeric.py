"""Tests of nnbook.book.grading: every check passes the right answer and fails wrong ones with a
message that names what was expected and what was found. Expected values are written by hand."""

import importlib
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from nnbook.book import grading
from nnbook.book.grading import CheckFailure


def failure(check, *args, **kwargs):
    """The message of the CheckFailure that ``check(*args, **kwargs)`` raises."""
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    assert isinstance(info.value, AssertionError)
    return str(info.value)


# ---------------------------------------------------------------- general behaviour

def test_import_is_light():
    code = "import sys, nnbook.book.grading; print('sympy' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert out.stderr == ""


def test_passed_prints_tick_to_stdout_only(capsys):
    grading.passed("x1 scale invariance")
    captured = capsys.readouterr()
    assert captured.out == "\u2713 x1 scale invariance\n"
    assert captured.err == ""


def test_checks_are_silent_on_success(capsys):
    grading.check_array([1.0, 2.0], np.array([1.0, 2.0]))
    grading.check_scalar(0.5, 0.5)
    grading.check_equal((1, 2), (1, 2))
    grading.check_choice("a", "a", {"a": "yes", "b": "no"})
    grading.check_property(lambda c: c > 0, [1, 2])
    grading.check_gradient(lambda v: float(v @ v), lambda v: 2 * v, [1.0, -2.0])
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_messages_start_with_the_name_and_keep_values_short():
    big = np.arange(10_000, dtype=float)
    wrong = big.copy()
    wrong[1234] = -1.0
    message = failure(grading.check_array, wrong, big, name="weights")
    assert message.startswith("weights: ")
    assert all(len(line) <= 250 for line in message.splitlines())
    assert "..." in message  # numpy summarised the arrays


# ---------------------------------------------------------------- check_array

def test_check_array_passes_within_tolerance():
    grading.check_array([[1.0, 2.0], [3.0, 4.0 + 1e-9]], [[1, 2], [3, 4]], rtol=1e-7, dtype_kind="f")
    grading.check_array(np.array([1, 0, 1]), [1, 0, 1], dtype_kind="iu")
    grading.check_array([np.nan, 1.0], [np.nan, 1.0])  # NaN where NaN is expected


@pytest.mark.parametrize("found, expected_phrase", [
    (None, "found None"),
    (lambda: 0, "found the function"),
    ("1, 2, 3", "found a string"),
])
def test_check_array_rejects_non_arrays(found, expected_phrase):
    message = failure(grading.check_array, found, np.zeros(3), name="z")
    assert message.startswith("z: expected an array of shape (3,)")
    assert expected_phrase in message
    assert "hint:" in message


def test_check_array_reads_lists_of_exact_numbers():
    from fractions import Fraction

    grading.check_array([Fraction(1, 2), Fraction(1, 4)], [0.5, 0.25])
    message = failure(grading.check_array, [None, 1.0], [0.5, 1.0])
    assert "of numbers" in message and "dtype object" in message


def test_check_array_rejects_ragged_lists():
    message = failure(grading.check_array, [[1, 2], [3]], np.zeros((2, 2)))
    assert "cannot turn into an array" in message


def test_check_array_shape_comes_first():
    message = failure(grading.check_array, np.ones((2, 3), dtype=int), np.zeros((3, 2)), dtype_kind="f")
    assert "expected shape (3, 2), found (2, 3)" in message
    assert "transposed" in message


def test_check_array_dtype_kind_names_both_dtypes():
    message = failure(grading.check_array, np.array([1, 0, 1]), np.array([1.0, 0.0, 1.0]), dtype_kind="f")
    assert "floating-point" in message and "float64" in message and "int64" in message
    message = failure(grading.check_array, np.array([1.0, 0.0]), np.array([1, 0]), dtype_kind="iu")
    assert "signed integer or unsigned integer" in message and "found dtype float64" in message


def test_check_array_reports_nan_where_finite_expected():
    message = failure(grading.check_array, [0.25, np.nan, 0.75], [0.25, 0.5, 0.75])
    assert "found nan at index 1 where the finite value 0.5 was expected" in message
    message = failure(grading.check_array, [[0.0, np.inf]], [[0.0, 1.0]])
    assert "found inf at index (0, 1)" in message


def test_check_array_one_entry_off():
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    found = expected.copy()
    found[1, 2] = 6.5
    message = failure(grading.check_array, found, expected, name="a", rtol=1e-3)
    assert "1 of 6 entries differ" in message
    assert "first difference at index (1, 2): expected 6.0, found 6.5" in message
    assert "rtol=0.001, atol=0" in message


def test_check_array_reports_first_of_several_differences():
    message = failure(grading.check_array, [0.0, 9.0, 2.0, 9.0], [0.0, 1.0, 2.0, 3.0])
    assert "2 of 4 entries differ" in message
    assert "at index 1: expected 1.0, found 9.0" in message
    assert "largest difference: 8" in message


# ---------------------------------------------------------------- check_scalar / check_equal

def test_check_scalar_passes_numbers_of_many_kinds():
    grading.check_scalar(0.1 + 0.2, 0.3)
    grading.check_scalar(np.float32(0.5), 0.5, rtol=1e-6)
    grading.check_scalar(np.array(11935), 11935)
    sympy = pytest.importorskip("sympy")
    grading.check_scalar(sympy.Rational(1, 2), 0.5)


def test_check_scalar_failures():
    message = failure(grading.check_scalar, 0.25, 0.5, name="cost")
    assert message.startswith("cost: expected 0.5, found 0.25")
    assert "tolerance" in message and "half the expected value" in message
    assert "sign looks flipped" in failure(grading.check_scalar, -0.5, 0.5)
    assert "found nan" in failure(grading.check_scalar, float("nan"), 0.5)
    assert "found None" in failure(grading.check_scalar, None, 0.5)
    assert "boolean" in failure(grading.check_scalar, True, 1.0)
    message = failure(grading.check_scalar, np.array([0.5]), 0.5)
    assert "shape (1,)" in message and ".item()" in message
    assert "found a list of length 2" in failure(grading.check_scalar, [0.5, 1.0], 0.5)


def test_check_equal():
    grading.check_equal(10, 10)
    grading.check_equal((0, 1), (0, 1))
    grading.check_equal("sigmoid", "sigmoid")
    grading.check_equal(np.int64(4), 4)
    message = failure(grading.check_equal, (1, 0, 1), (1, 1, 1), name="bits")
    assert message.startswith("bits: expected (1, 1, 1), found (1, 0, 1)")
    assert "first difference at position 1: expected 1, found 0" in message
    assert "found a list where a tuple was expected" in failure(grading.check_equal, [1, 2], (1, 2))
    assert "expected True (a bool), found 1 (an int)" in failure(grading.check_equal, 1, True)
    assert "upper/lower case" in failure(grading.check_equal, "Sigmoid ", "sigmoid")
    assert "found None" in failure(grading.check_equal, None, 4)
    message = failure(grading.check_equal, np.array([1, 2]), (1, 2))
    assert "numpy array" in message


# ---------------------------------------------------------------- check_symbolic

def test_check_symbolic_equivalent_forms_pass():
    sp = pytest.importorskip("sympy")
    sigma, x = sp.symbols("sigma x")
    grading.check_symbolic(sigma * (1 - sigma), sigma - sigma**2)
    grading.check_symbolic("sigma*(1-sigma)", sigma - sigma**2)
    grading.check_symbolic("sigma - sigma^2", "sigma*(1 - sigma)", symbols={"sigma": sigma})
    s = 1 / (1 + sp.exp(-x))
    grading.check_symbolic(s * (1 - s), sp.diff(s, x))
    grading.check_symbolic(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)


def test_check_symbolic_sign_error_fails_with_both_expressions_and_a_point():
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


def test_check_symbolic_point_values_are_right():
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x", positive=True)
    message = failure(grading.check_symbolic, 2 * x, x)
    value = float(message.split("they differ at x = ")[1].split(":")[0])
    assert value > 0  # positive symbols get positive sample points
    assert f"expected {value:g}, found {2 * value:g}" in message


def test_check_symbolic_numeric_fallback(monkeypatch):
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


def test_check_symbolic_bad_input():
    sp = pytest.importorskip("sympy")
    x = sp.Symbol("x")
    assert "could not read 'x*(1-x'" in failure(grading.check_symbolic, "x*(1-x", x)
    assert "found None" in failure(grading.check_symbolic, None, x)
    assert "not a Python function" in failure(grading.check_symbolic, lambda t: t, x)
    assert "empty string" in failure(grading.check_symbolic, "  ", x)
    message = failure(grading.check_symbolic, "x*z", x)
    assert "symbol(s) z" in message


def test_check_symbolic_relations():
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


def test_check_symbolic_matrices():
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    grading.check_symbolic([2 * x, 2 * y], sp.Matrix([2 * x, 2 * y]))
    message = failure(grading.check_symbolic, [2 * x, 3 * y], sp.Matrix([2 * x, 2 * y]))
    assert "entry (1, 0) differs: expected 2*y, found 3*y" in message
    assert "shape (2, 1)" in failure(grading.check_symbolic, sp.Matrix([[x, y]]), sp.Matrix([x, y]))


# ---------------------------------------------------------------- check_property

def test_check_property_passes_and_names_the_failing_case():
    grading.check_property(lambda n: n * (n + 1) % 2 == 0, range(50))
    message = failure(grading.check_property, lambda n: n < 3, [0, 1, 2, 3, 4], name="small",
                      describe=lambda n: f"n = {n}")
    assert message.startswith("small: is false for case 4 of 5 (3 cases passed before it)")
    assert "case: n = 3" in message


def test_check_property_reports_exceptions_and_nested_checks():
    message = failure(grading.check_property, lambda c: 1 / c > 0, (c for c in [2, 1, 0]))
    assert "raised ZeroDivisionError for case 3 (2 cases passed before it)" in message
    assert "case: 0" in message and "division by zero" in message
    message = failure(grading.check_property, lambda c: grading.check_array(c, [1, 2], name="row") is None,
                      [np.array([1, 2]), np.array([1, 5])])
    assert "a check inside the property failed for case 2 of 2" in message
    assert "expected 2, found 5" in message


def test_check_property_describes_big_cases_briefly():
    message = failure(grading.check_property, lambda a: False, [np.arange(10_000)])
    case_line = [line for line in message.splitlines() if "case:" in line][0]
    assert len(case_line) < 220 and "..." in case_line


# ---------------------------------------------------------------- check_gradient

def _f(v):  # f(v) = v0^2 v1 + sin(v2)
    return v[0] ** 2 * v[1] + np.sin(v[2])


def _grad_f(v):  # by hand: (2 v0 v1, v0^2, cos v2)
    return np.array([2 * v[0] * v[1], v[0] ** 2, np.cos(v[2])])


def test_check_gradient_correct_passes():
    grading.check_gradient(_f, _grad_f, [1.5, -2.0, 0.3])
    grading.check_gradient(lambda w: np.sum(w**2), lambda w: 2 * w, np.zeros((2, 2)))  # zero gradient
    grading.check_gradient(lambda w: np.sum(w**2), lambda w: 2 * w, [1e-7, 3.0, 1e4])


def test_check_gradient_factor_two_names_worst_coordinate():
    def half_wrong(v):
        g = _grad_f(v)
        g[2] *= 2  # d/dv2 off by a factor of 2
        return g

    message = failure(grading.check_gradient, _f, half_wrong, [1.5, -2.0, 0.3], name="dC/dv")
    assert message.startswith("dC/dv: does not match central finite differences at coordinate 2")
    cos = math.cos(0.3)
    assert f"yours {2 * cos:.10g}" in message
    assert "relative error 0.333" in message  # |c - 2c| / (c + 2c)
    assert "1 of 3 coordinates" in message


def test_check_gradient_matrix_input_and_small_errors():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])

    def wrong(w):
        g = a.copy()
        g[1, 0] = 3.001
        return g

    message = failure(grading.check_gradient, lambda w: float(np.sum(a * w)), wrong, np.ones((2, 2)))
    assert "coordinate (1, 0)" in message and "yours 3.001" in message
    small = failure(grading.check_gradient, lambda w: 1e-3 * w[0] ** 2, lambda w: 4e-3 * w, [0.5])
    assert "coordinate 0" in small


def test_check_gradient_bad_gradients():
    assert "found None" in failure(grading.check_gradient, _f, lambda v: None, [1.0, 2.0, 3.0])
    message = failure(grading.check_gradient, _f, lambda v: np.zeros(2), [1.0, 2.0, 3.0])
    assert "expected a gradient of shape (3,) (the shape of x), found (2,)" in message
    message = failure(grading.check_gradient, _f, lambda v: np.array([0.0, np.nan, 0.0]), [1.0, 2.0, 3.0])
    assert "found nan at coordinate 1" in message
    message = failure(grading.check_gradient, lambda v: v**2, lambda v: 2 * v, [1.0, 2.0])
    assert "f must return a single real number" in message


# ---------------------------------------------------------------- choices

OPTIONS = {"a": "eta too small: slow convergence", "b": "eta too large: overshoot", "c": "no effect"}


def test_check_choice():
    grading.check_choice(" B ", "b", OPTIONS)
    grading.check_choice("c", ["b", "c"], OPTIONS)
    message = failure(grading.check_choice, "a", "b", OPTIONS, name="eta")
    assert message.startswith("eta: you chose 'a'")
    assert OPTIONS["a"] in message and "not the correct answer" in message
    assert "'b'" not in message and OPTIONS["b"] not in message
    message = failure(grading.check_choice, "d", "b", OPTIONS)
    assert "'d' is not one of the options; the valid keys are 'a', 'b', 'c'" in message
    assert "found None" in failure(grading.check_choice, None, "b", OPTIONS)
    with pytest.raises(ValueError):
        grading.check_choice("a", "z", OPTIONS)


def test_check_valid_choice():
    grading.check_valid_choice("A", OPTIONS)
    assert "valid keys are 'a', 'b', 'c'" in failure(grading.check_valid_choice, "e", OPTIONS)
    assert "found a list" in failure(grading.check_valid_choice, ["a"], OPTIONS)
    assert "found a bool: True" in failure(grading.check_valid_choice, True, OPTIONS)


# ---------------------------------------------------------------- plots

@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def test_axes_lines_reads_line_data(plt):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.plot([0, 1], [5, 6])
    lines = grading.axes_lines(ax)
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0][0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(lines[0][1], [0.0, 1.0, 4.0])
    np.testing.assert_array_equal(lines[1][1], [5.0, 6.0])


def test_check_plot(plt):
    fig, ax = plt.subplots()
    v = np.arange(10.0)
    ax.plot(v, v**2)
    ax.set_xlabel("Step")
    ax.set_ylabel("cost C(v)")
    ax.set_title("Gradient descent on C")
    grading.check_plot(ax, xlabel="step", ylabel="cost", title="gradient descent")
    grading.check_plot(fig, xlabel=("iteration", "step"))  # a Figure with one Axes is accepted
    message = failure(grading.check_plot, ax, name="trajectory", min_lines=2)
    assert message.startswith("trajectory: expected at least 2 lines with data, found 1")
    assert "10 points, x from 0 to 9, y from 0 to 81" in message
    message = failure(grading.check_plot, ax, xlabel="eta")
    assert "x-axis label should mention 'eta', found 'Step'" in message


def test_check_plot_rejects_non_axes(plt):
    assert "found None" in failure(grading.check_plot, None)
    assert "return ax" in failure(grading.check_plot, None)
    fig, axes = plt.subplots(1, 2)
    assert "a Figure with 2 Axes" in failure(grading.check_plot, fig)
    fig, ax = plt.subplots()
    message = failure(grading.check_plot, ax)
    assert "found 0" in message and "no lines on the axes" in message
    ax.set_ylabel("")
    ax.scatter([1, 2], [3, 4])
    assert "scatter" in failure(grading.check_plot, ax)
    fig, ax = plt.subplots()
    assert "should mention 'cost', found no text" in failure(grading.check_plot, ax.plot([1, 2]), ylabel="cost")


def test_check_line(plt):
    fig, ax = plt.subplots()
    x = np.linspace(0.0, 1.0, 5)
    ax.plot(x, x**2, label="C")
    ax.plot(x, x)
    grading.check_line(ax, x, x)
    grading.check_line(ax, x, x**2)
    grading.check_line(ax, None, x**2)
    message = failure(grading.check_line, ax, x, x**3, name="cost curve")
    assert message.startswith("cost curve: no line on the axes has the expected data (5 points")
    assert "first differing point is 1: expected y = 0.015625, found y = 0.0625" in message
    assert "line 0 'C': 5 points" in message
    message = failure(grading.check_line, ax, x[:3], x[:3])
    assert "3 points" in message and "right length" not in message


# ---------------------------------------------------------------- check_independent

@pytest.fixture
def fake_library(tmp_path, monkeypatch):
    """Two small modules whose names start with "nnbook": one defines sigmoid, one imports it."""
    (tmp_path / "nnbook_fake_act.py").write_text(textwrap.dedent("""
        import math

        def sigmoid(z):
            return 1 / (1 + math.exp(-z))

        class Neuron:
            def fire(self, z):
                return sigmoid(z)
    """))
    (tmp_path / "nnbook_fake_user.py").write_text(textwrap.dedent("""
        from nnbook_fake_act import sigmoid as logistic

        def squash(z):
            return logistic(z)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    act = importlib.import_module("nnbook_fake_act")
    user = importlib.import_module("nnbook_fake_user")
    yield act, user
    for module_name in ("nnbook_fake_act", "nnbook_fake_user"):
        sys.modules.pop(module_name, None)


def _student_namespace(source):
    namespace = {"__name__": "student_notebook"}
    exec(textwrap.dedent(source), namespace)
    return namespace


def test_check_independent_returns_result_of_own_code(fake_library):
    act, _ = fake_library
    ns = _student_namespace("""
        import math
        def sigmoid(z, scale=1.0):
            return scale / (1 + math.exp(-z))
    """)
    assert grading.check_independent(ns["sigmoid"], [act.sigmoid], 0.0, scale=2.0) == 1.0


@pytest.mark.parametrize("source", [
    "from nnbook_fake_act import sigmoid\ndef student(z):\n    return sigmoid(z)",
    "from nnbook_fake_act import sigmoid as s\ndef student(z):\n    return s(z)",
    "import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.sigmoid(z)",
    "import nnbook_fake_user\ndef student(z):\n    return nnbook_fake_user.squash(z)",
    "import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.Neuron().fire(z)",
    "import nnbook_fake_act\ndef student(z):\n    try:\n        return nnbook_fake_act.sigmoid(z)\n"
    "    except Exception:\n        return 0.5",
])
def test_check_independent_catches_calls_and_restores(fake_library, source):
    act, user = fake_library
    original = act.sigmoid
    ns = _student_namespace(source)
    message = failure(grading.check_independent, ns["student"], [act.sigmoid], 0.0, name="my_sigmoid")
    assert message.startswith("my_sigmoid: must be written by you, not call nnbook_fake_act.sigmoid")
    assert act.sigmoid is original and user.logistic is original
    assert not any(str(getattr(value, "__doc__", "")).startswith("Unavailable") for value in ns.values())
    assert ns.get("sigmoid", original) is original and ns.get("s", original) is original
    assert act.Neuron().fire(0.0) == 0.5


def test_check_independent_forbidden_method(fake_library):
    act, _ = fake_library
    ns = _student_namespace("import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.Neuron().fire(z)")
    original = act.Neuron.fire
    message = failure(grading.check_independent, ns["student"], act.Neuron.fire, 0.0)
    assert "not call nnbook_fake_act.Neuron.fire" in message
    assert act.Neuron.fire is original


def test_check_independent_forbidden_class(fake_library):
    act, _ = fake_library
    original = act.Neuron
    ns = _student_namespace(
        "import nnbook_fake_act\n"
        "def student(z):\n    return nnbook_fake_act.Neuron().fire(z)\n"
        "def checks_type(z):\n    return isinstance(z, nnbook_fake_act.Neuron)\n")
    message = failure(grading.check_independent, ns["student"], [act.Neuron], 0.0)
    assert "not call nnbook_fake_act.Neuron" in message
    assert grading.check_independent(ns["checks_type"], [act.Neuron], 0.0) is False
    assert act.Neuron is original


def test_check_independent_rejects_the_forbidden_function_itself(fake_library):
    act, _ = fake_library
    assert "is nnbook_fake_act.sigmoid itself" in failure(grading.check_independent, act.sigmoid, [act.sigmoid], 0.0)


def test_check_independent_with_math_exp():
    original = math.exp
    ns = _student_namespace("import math\ndef student(z):\n    return 1 / (1 + math.exp(-z))")
    message = failure(grading.check_independent, ns["student"], [math.exp], 0.0)
    assert "not call math.exp" in message
    assert math.exp is original and math.exp(0.0) == 1.0
    ns = _student_namespace("from math import exp\ndef student(z):\n    return 1 / (1 + exp(-z))")
    assert "not call math.exp" in failure(grading.check_independent, ns["student"], math.exp, 0.0)
    assert ns["exp"] is original
    assert grading.check_independent(lambda z: 1 / (1 + np.exp(-z)), [math.exp], 0.0) == 0.5


def test_check_independent_restores_after_other_errors(fake_library):
    act, _ = fake_library
    original = act.sigmoid

    def broken(z):
        raise KeyError("student bug")

    with pytest.raises(KeyError):
        grading.check_independent(broken, [act.sigmoid], 0.0)
    assert act.sigmoid is original


def test_check_independent_with_nnbook_activations():
    activations = pytest.importorskip("nnbook.functional.activations")
    original = activations.sigmoid
    ns = _student_namespace("from nnbook.functional.activations import sigmoid\ndef student(z):\n    return sigmoid(z)")
    message = failure(grading.check_independent, ns["student"], [activations.sigmoid], 0.0)
    assert "must be written by you, not call nnbook.functional.activations.sigmoid" in message
    assert activations.sigmoid is original
    own = _student_namespace("import numpy as np\ndef student(z):\n    return 1 / (1 + np.exp(-z))")
    result = grading.check_independent(own["student"], [activations.sigmoid], np.array([0.0, 100.0]))
    np.testing.assert_allclose(result, [0.5, 1.0])
