"""nnbook.book.autograde.sympy_tree: sympy expressions as plain nested lists, rebuilt only from
whitelisted classes, bounded in size, depth and digits, and never evaluated on the way in."""

from __future__ import annotations

import json
import time

import pytest
import sympy as sp

from nnbook.book.autograde import sympy_tree as st

x, y = sp.symbols("x y")


def round_trip(expr):
    return st.from_tree(json.loads(json.dumps(st.to_tree(expr))))


def _symbol(name="x"):
    return ["Symbol", name, {}]


def test_every_whitelisted_name_is_a_sympy_class_or_function():
    for name in st.ALLOWED:
        assert callable(st._class(name)), name


@pytest.mark.parametrize("expr", [
    sp.sin(x) ** 2 + sp.cos(y) - 3, sp.exp(x * y) / (1 + sp.exp(x)), sp.log(x, 2),
    sp.Piecewise((x**2, x < 0), (sp.tanh(x), sp.And(x >= 0, y > 1)), (0, True)),
    sp.Eq(x + 1, y), sp.Le(x, sp.Rational(-7, 2)), sp.Or(x > 1, sp.Not(y < 0)),
    sp.Matrix([[x, sp.pi], [sp.E, sp.I * y]]), sp.Float("0.1", 30), sp.Integer(10) ** 40 + 1,
    sp.Abs(x) + sp.sign(y) + sp.floor(x) + sp.Max(x, y, 0), sp.zoo, sp.EulerGamma,
], ids=str)
def test_round_trip_is_structurally_equal(expr):
    back = round_trip(expr)
    if isinstance(expr, sp.MatrixBase):
        assert back.shape == expr.shape and list(back) == list(expr)
    else:
        assert back == expr


def test_tree_is_plain_json_data():
    tree = st.to_tree(sp.Piecewise((x, x > 0), (-x, True)) + sp.Matrix([1]).det())
    assert json.loads(json.dumps(tree)) == tree


def test_float_precision_is_kept():
    value = sp.Float("3.14159265358979323846264338327950288", 40)
    back = round_trip(value)
    assert back._prec == value._prec and back == value


def test_assumptions_are_kept():
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r = sp.Symbol("r", real=True)
    back_n, back_r = round_trip(n), round_trip(r)
    assert back_n == n and back_n.is_integer and back_n.is_nonnegative
    assert back_r == r and back_r.is_real and back_r.is_integer is None
    assert round_trip(x) != back_r  # a plain x is not the real r, nor a real x
    assert round_trip(sp.Symbol("x", real=True)) != x


def test_inconsistent_assumptions_are_a_tree_error():
    with pytest.raises(st.TreeError):
        st.from_tree(["Symbol", "x", {"positive": True, "negative": True}])


def test_unknown_assumption_values_are_dropped():
    back = st.from_tree(["Symbol", "x", {"positive": "yes", 3: True, "real": True}])
    assert back.is_real and back.is_positive is None


def test_undefined_function_is_rebuilt_as_an_undefined_function():
    # a name like __import__ makes a sympy function of that name, nothing of Python's
    back = st.from_tree(["Undef", "__import__", [["Const", "pi"]]])
    assert isinstance(back, sp.core.function.AppliedUndef)
    assert back.func is not __import__ and back.func.__name__ == "__import__"


def test_an_undefined_function_class_crosses_as_a_sympy_function():
    f = sp.Function("f")
    back = round_trip(f)
    assert back == f and back(x) == f(x)
    odd = st.from_tree(["FunctionClass", "__import__"])
    assert isinstance(odd, sp.core.function.UndefinedFunction) and odd is not __import__
    with pytest.raises(st.TreeError):
        st.from_tree(["FunctionClass", ["not", "a", "name"]])


@pytest.mark.parametrize("name", ["Function", "__import__", "Basic", "Symbol_", "eval", "sympify",
                                  "Poly", "MatrixSymbol", "Lambda_", "lambdify", "Dummy", "Wild",
                                  "UndefinedFunction", "os", "getattr"])
def test_names_off_the_whitelist_are_refused(name):
    with pytest.raises(st.TreeError):
        st.from_tree([name, [_symbol()]])


@pytest.mark.parametrize("tree", [
    "x", [], [1, []], ["Add"], ["Add", "x"], ["Add", [1, 2]], ["Add", [_symbol()], "extra"],
    ["Symbol", 3, {}], ["Symbol", "x", []], ["Const", "os"], ["Const", "__class__"],
    ["Integer", 12], ["Integer", "1e5"], ["Integer", " 1"], ["Integer", "1_000"],
    ["Rational", "1", "x"], ["Float", "1.0", 10**6], ["Float", "nonsense", 53],
    ["Float", "1" * 300, 53], ["Matrix", 2, 2, [["Integer", "1"]]], ["Matrix", -1, 0, []],
    ["Undef", 3, []], ["Undef", "f", "x"], ["Lambda", [["Integer", "1"], ["Integer", "2"]]],
])
def test_malformed_trees_are_tree_errors(tree):
    with pytest.raises(st.TreeError):
        st.from_tree(tree)


@pytest.mark.parametrize("tree", [["Symbol"], ["Matrix", 1], ["Undef", "f"], ["Const"], ["Integer"],
                                  ["Rational", "1"], ["Float", "1.0"], ["FunctionClass"]])
def test_truncated_nodes_are_tree_errors(tree):
    with pytest.raises(st.TreeError):
        st.from_tree(tree)


def test_digit_bound():
    at_bound = "9" * st.MAX_DIGITS
    assert st.from_tree(["Integer", at_bound]) == int(at_bound)
    assert st.from_tree(["Integer", "-" + at_bound]) == -int(at_bound)
    with pytest.raises(st.TreeError):
        st.from_tree(["Integer", at_bound + "9"])
    with pytest.raises(st.TreeError):
        st.from_tree(["Rational", "1", at_bound + "9"])


def test_node_bound():
    leaves = [["Integer", str(i)] for i in range(st.MAX_NODES)]  # one more with the Add
    with pytest.raises(st.TreeError):
        st.from_tree(["Add", leaves])
    assert isinstance(st.from_tree(["Add", leaves[:-1]]), sp.Add)


def test_node_bound_counts_matrix_entries():
    n = st.MAX_NODES
    with pytest.raises(st.TreeError):
        st.from_tree(["Matrix", n, 1, [["Integer", "1"]] * n])


def test_depth_bound():
    def nested(depth):
        tree = _symbol()
        for _ in range(depth):
            tree = ["sin", [tree]]
        return tree

    assert st.from_tree(nested(st.MAX_DEPTH)).has(x)
    with pytest.raises(st.TreeError):
        st.from_tree(nested(st.MAX_DEPTH + 1))


def test_huge_power_is_not_evaluated():
    tree = ["Pow", [["Integer", "2"], ["Integer", str(10**9)]]]
    start = time.perf_counter()
    power = st.from_tree(tree)
    assert time.perf_counter() - start < 1.0
    assert isinstance(power, sp.Pow) and power.args == (2, 10**9)


def test_nothing_is_evaluated_on_the_way_in():
    back = st.from_tree(["Add", [["Integer", "1"], ["Integer", "1"]]])
    assert isinstance(back, sp.Add) and back.doit() == 2
    back = st.from_tree(["sin", [["Const", "pi"]]])
    assert isinstance(back, sp.sin) and back.doit() == 0


def test_to_tree_refuses_unlisted_kinds():
    for expr in (sp.Poly(x**2 + 1), sp.MatrixSymbol("A", 2, 2), sp.besselj(0, x)):
        with pytest.raises(st.TreeError):
            st.to_tree(expr)


def test_dummies_and_wilds_are_written_as_plain_symbols():
    assert round_trip(sp.Dummy("d")) == sp.Symbol("d")
    assert type(round_trip(sp.Wild("w"))) is sp.Symbol
