"""sympy expressions as plain nested lists, and back through a whitelist.

A student's expression crosses the sandbox boundary as a tree of node names and plain leaves,
never as a pickled or ``eval``-ed object: :func:`to_tree` writes it, :func:`from_tree` rebuilds
it from sympy classes on :data:`ALLOWED` only, with the tree's size, depth and integer length
bounded, and without evaluation (so ``2**(10**9)`` stays a power and costs nothing).
"""

import re

import sympy as sp

#: sympy classes a tree may name (anything else is refused).
ALLOWED = frozenset("""
Add Mul Pow exp log sin cos tan cot sec csc asin acos atan atan2 acot sinh cosh tanh coth asinh
acosh atanh Abs sign Max Min Heaviside DiracDelta Piecewise ExprCondPair floor ceiling re im
conjugate arg erf erfc gamma factorial binomial LambertW Mod Eq Ne Lt Le Gt Ge And Or Not Xor
Implies Derivative Integral Sum Product Limit Tuple Interval FiniteSet Union Intersection
Complement Lambda Subs KroneckerDelta sqrt root Equality Unequality StrictGreaterThan GreaterThan
StrictLessThan LessThan ImmutableMatrix
""".split())

_CONSTANTS = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo,
              "nan": sp.nan, "true": sp.true, "false": sp.false, "EulerGamma": sp.EulerGamma,
              "Half": sp.S.Half, "One": sp.S.One, "Zero": sp.S.Zero, "NegativeOne": sp.S.NegativeOne,
              "EmptySet": sp.S.EmptySet, "Reals": sp.S.Reals}

#: Names a symbol or function may have: letters (any script), digits, ``_``, ``{``, ``}``, ``^``
#: — never quotes, brackets, dots, spaces or operators, since ``sympy.lambdify`` writes names
#: into Python source.
_NAME = re.compile(r"^[^\W\d][\w{}^]{0,99}$")

MAX_NODES = 20_000
MAX_DEPTH = 300
MAX_DIGITS = 2_000


class TreeError(ValueError):
    """A tree that names something outside the whitelist, or is too large."""


def _constant_name(expr):
    for name, value in _CONSTANTS.items():
        if expr is value or (expr == value and type(expr) is type(value)):
            return name
    return None


def to_tree(expr):
    """``expr`` (a sympy Basic or Matrix) as nested lists of strings, numbers and booleans."""
    if isinstance(expr, sp.core.function.UndefinedFunction):  # Function("f") itself, not applied
        return ["FunctionClass", expr.__name__]
    if isinstance(expr, sp.MatrixBase):
        return ["Matrix", expr.rows, expr.cols, [to_tree(entry) for entry in expr]]
    expr = sp.sympify(expr)
    if isinstance(expr, sp.Symbol):  # Dummy and Wild are written as plain symbols
        assumptions = {k: v for k, v in expr.assumptions0.items() if isinstance(v, bool)}
        return ["Symbol", expr.name, assumptions]
    constant = _constant_name(expr)
    if constant is not None:
        return ["Const", constant]
    if isinstance(expr, sp.Integer):
        return ["Integer", str(int(expr))]
    if isinstance(expr, sp.Rational):
        return ["Rational", str(expr.p), str(expr.q)]
    if isinstance(expr, sp.Float):
        return ["Float", str(expr), expr._prec]
    if isinstance(expr, sp.core.function.AppliedUndef):
        return ["Undef", expr.func.__name__, [to_tree(a) for a in expr.args]]
    name = type(expr).__name__
    if name not in ALLOWED:
        raise TreeError(f"sympy {name} cannot be sent (not a supported kind of expression)")
    return [name, [to_tree(a) for a in expr.args]]


def from_tree(tree):
    """The sympy expression a :func:`to_tree` tree describes; :class:`TreeError` otherwise."""
    budget = [MAX_NODES]
    with sp.core.parameters.evaluate(False):
        try:
            return _build(tree, budget, 0)
        except (IndexError, ValueError, TypeError, AttributeError, RecursionError) as error:
            if isinstance(error, TreeError):
                raise
            raise TreeError(f"malformed expression tree ({type(error).__name__})") from None


def _check_name(name):
    if not isinstance(name, str) or not _NAME.match(name):
        raise TreeError(f"{str(name)[:40]!r} is not allowed as a symbol name (letters, digits, _, {{, }}, ^)")


def _class(name):
    """The sympy class called ``name`` (whitelisted by the caller)."""
    if name == "ExprCondPair":
        return sp.functions.elementary.piecewise.ExprCondPair
    return getattr(sp, name)


def _integer(text):
    if not isinstance(text, str) or len(text.lstrip("-")) > MAX_DIGITS or not text.lstrip("-").isdigit():
        raise TreeError(f"bad integer in an expression tree: {str(text)[:40]!r}")
    return int(text)


def _build(tree, budget, depth):
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise TreeError(f"expression tree too large (more than {MAX_NODES} nodes or {MAX_DEPTH} levels)")
    if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
        raise TreeError("malformed expression tree")
    kind = tree[0]
    if kind == "Symbol":
        _, name, assumptions = tree
        if not isinstance(name, str) or not isinstance(assumptions, dict):
            raise TreeError("malformed symbol")
        _check_name(name)
        valid = {k: v for k, v in assumptions.items() if isinstance(k, str) and isinstance(v, bool)}
        try:
            return sp.Symbol(name, **valid)
        except (ValueError, TypeError) as error:
            raise TreeError(f"bad symbol assumptions: {error}") from None
    if kind == "Const":
        if tree[1] not in _CONSTANTS:
            raise TreeError(f"unknown constant {tree[1]!r}")
        return _CONSTANTS[tree[1]]
    if kind == "Integer":
        return sp.Integer(_integer(tree[1]))
    if kind == "Rational":
        return sp.Rational(_integer(tree[1]), _integer(tree[2]))
    if kind == "Float":
        text, precision = tree[1], tree[2]
        if not isinstance(text, str) or len(text) > 200 or not isinstance(precision, int) or not 1 <= precision <= 4000:
            raise TreeError("bad float in an expression tree")
        try:
            return sp.Float(text, precision=precision)
        except (ValueError, TypeError):
            raise TreeError("bad float in an expression tree") from None
    if kind == "Matrix":
        _, rows, cols, entries = tree
        if not (isinstance(rows, int) and isinstance(cols, int) and 0 <= rows and 0 <= cols
                and isinstance(entries, list) and len(entries) == rows * cols):
            raise TreeError("malformed matrix")
        return sp.ImmutableMatrix(rows, cols, [_build(e, budget, depth + 1) for e in entries])
    if kind == "FunctionClass":
        _check_name(tree[1])
        return sp.Function(tree[1])
    if kind == "Undef":
        _, name, args = tree
        if not isinstance(args, list):
            raise TreeError("malformed function application")
        _check_name(name)
        return sp.Function(name)(*[_build(a, budget, depth + 1) for a in args])
    if kind not in ALLOWED or len(tree) != 2 or not isinstance(tree[1], list):
        raise TreeError(f"sympy {kind!r} is not allowed in an expression tree")
    args = [_build(a, budget, depth + 1) for a in tree[1]]
    try:
        return _class(kind)(*args)
    except Exception as error:  # noqa: BLE001 - sympy raises many types for bad arguments
        raise TreeError(f"cannot rebuild sympy {kind}: {type(error).__name__}: {error}") from None
