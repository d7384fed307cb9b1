"""Symbolic check: is the student's sympy expression (or string) equivalent to the expected one?

Equivalence is decided by ``simplify(found - expected) == 0``; when sympy cannot simplify the
difference to zero, both expressions are compared at random points (a generator seeded inside
the call, so a check always gives the same verdict) before a difference is declared.
Equations and inequalities are compared as relations: ``a = b`` matches ``c = d`` when
``a - b`` is a non-zero constant times ``c - d`` (a positive constant for inequalities).
Matrices are compared entry by entry. sympy is imported on first use, not with nnbook.
"""

import cmath
import numbers
import warnings

import numpy as np

from .feedback import fail, shorten, show, type_hint, type_name

#: Seed of the generator that draws the comparison points.
SEED = 20240917


def _symbol_table(symbols, expected):
    """Names → sympy symbols for reading strings: the ``symbols`` given, else ``expected``'s."""
    import sympy as sp

    table = {}
    if isinstance(expected, sp.Basic):
        table.update({s.name: s for s in expected.free_symbols if isinstance(s, sp.Symbol)})
    if symbols is None:
        return table
    if isinstance(symbols, dict):
        table.update(symbols)
    else:
        if isinstance(symbols, sp.Symbol):
            symbols = [symbols]
        table.update({s.name: s for s in symbols})
    return table


def _to_sympy(value, table, name, role):
    """``value`` (sympy object, number, string, list/array, Matrix) as a sympy object."""
    __tracebackhide__ = True
    import sympy as sp

    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, (bool, np.bool_)):
        return sp.true if value else sp.false
    if isinstance(value, (numbers.Number, np.number)):
        return sp.sympify(value)
    if isinstance(value, str):
        if not value.strip():
            fail(name, f"the {role} expression is an empty string")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = sp.sympify(value, locals=table)
        except Exception as exc:
            cause = getattr(exc, "base_exc", None) or exc
            reason = (str(cause).strip().splitlines() or [""])[0]
            fail(name, f"could not read {show(value)} as a sympy expression "
                 f"({type(cause).__name__}: {shorten(reason, 100)})",
                 "hint: write products with * and powers with **, e.g. 'sigma*(1 - sigma)'.")
        if isinstance(result, (list, tuple)):
            result = sp.ImmutableMatrix(result)
        if not isinstance(result, (sp.Basic, sp.MatrixBase)):
            fail(name, f"{show(value)} is not a sympy expression (it reads as {type_name(result)})")
        return result
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            return sp.ImmutableMatrix(value)
        except Exception:
            fail(name, f"expected a sympy expression, found {type_name(value)} that is not a matrix: "
                 f"{show(value)}")
    if callable(value) and not isinstance(value, type):
        fail(name, f"expected a sympy expression or a string, found {type_name(value)}",
             "hint: give the expression itself (built from sympy symbols), not a Python function.")
    try:
        return sp.sympify(value, strict=True)
    except Exception:
        fail(name, f"expected a sympy expression or a string, found {type_name(value)}: {show(value)}",
             type_hint(value))


def _unify_symbols(found, expected):
    """Replace symbols of ``found`` that share a name with (but not the assumptions of) one in
    ``expected``: a student's ``Symbol('x')`` then matches an expected ``Symbol('x', real=True)``."""
    import sympy as sp

    by_name = {s.name: s for s in expected.free_symbols if isinstance(s, sp.Symbol)}
    swap = {s: by_name[s.name] for s in found.free_symbols
            if isinstance(s, sp.Symbol) and s.name in by_name and s != by_name[s.name]}
    return found.xreplace(swap) if swap else found


def _sample(symbol, rng):
    """A value for ``symbol`` respecting its assumptions (integer, positive, …), two decimals."""
    import sympy as sp

    if symbol.is_integer:
        low, high = (1, 7) if symbol.is_positive else (0, 7) if symbol.is_nonnegative else (
            (-6, 0) if symbol.is_negative else (-6, 7))
        return sp.Integer(int(rng.integers(low, high)))
    low, high = (0.1, 3.0) if symbol.is_positive else (0.0, 3.0) if symbol.is_nonnegative else (
        (-3.0, -0.1) if symbol.is_negative else (-3.0, 3.0))
    return sp.Float(round(float(rng.uniform(low, high)), 2), 15)


def _evaluate(expr, point):
    """``expr`` at ``point`` as a finite complex number, or ``None`` when undefined there."""
    try:
        value = complex(expr.evalf(subs=point))
    except Exception:
        return None
    return value if cmath.isfinite(value) else None


def _close(a, b):
    return abs(a - b) <= 1e-8 * max(1.0, abs(a), abs(b))


def _format_number(z):
    return f"{z.real:.6g}" if abs(z.imag) <= 1e-12 * max(1.0, abs(z.real)) else f"{z:.6g}"


def _compare_at_points(found, expected, n_points):
    """Compare numerically. Returns ``("equal", None)``, ``("differ", text)`` or ``("unknown", None)``."""
    symbols = sorted(found.free_symbols | expected.free_symbols, key=lambda s: s.name)
    rng = np.random.default_rng(SEED)
    agreeing = 0
    for _ in range(n_points if symbols else 1):
        point = {s: _sample(s, rng) for s in symbols}
        f, e = _evaluate(found, point), _evaluate(expected, point)
        if f is None or e is None:
            continue
        if not _close(f, e):
            where = ", ".join(f"{s} = {float(v):g}" for s, v in point.items())
            at = f"at {where}: " if where else ""
            return "differ", f"they differ {at}expected {_format_number(e)}, found {_format_number(f)}"
        agreeing += 1
    enough = 1 if not symbols else max(3, n_points // 4)
    return ("equal", None) if agreeing >= enough else ("unknown", None)


def _text(expr, limit=160):
    """A one-line sympy string of ``expr`` (matrices as nested lists), cut to ``limit``."""
    import sympy as sp

    return shorten(sp.sstr(expr.tolist() if isinstance(expr, sp.MatrixBase) else expr), limit)


def _is_zero(expr):
    import sympy as sp

    if expr == 0:
        return True
    try:
        simplified = sp.simplify(expr)
    except Exception:
        return False
    return simplified == 0 or simplified.is_zero is True


def _expression_verdict(found, expected, n_points):
    """``None`` when equivalent, else the detail line that explains the difference."""
    import sympy as sp

    try:
        difference = found - expected
    except Exception:
        return "the two cannot be subtracted (one of them is not an algebraic expression)"
    if _is_zero(difference):
        return None
    verdict, detail = _compare_at_points(sp.sympify(found), sp.sympify(expected), n_points)
    if verdict == "equal":
        return None
    return detail or ("sympy could not simplify found - expected to 0, and the expressions could "
                      "not be evaluated at enough points to confirm they agree")


def _relation_form(relation):
    """``(kind, expr)`` with ``relation`` ⇔ ``expr <kind> 0``, kind one of ``= ≠ > ≥``."""
    import sympy as sp

    lhs, rhs = relation.lhs, relation.rhs
    if isinstance(relation, sp.Equality):
        return "=", lhs - rhs
    if isinstance(relation, sp.Unequality):
        return "≠", lhs - rhs
    if isinstance(relation, sp.StrictGreaterThan):
        return ">", lhs - rhs
    if isinstance(relation, sp.GreaterThan):
        return "≥", lhs - rhs
    if isinstance(relation, sp.StrictLessThan):
        return ">", rhs - lhs
    return "≥", rhs - lhs  # LessThan


def _relation_verdict(found, expected, n_points):
    """``None`` when the relations are equivalent, else the reason they are not."""
    import sympy as sp

    found_kind, found_expr = _relation_form(found)
    expected_kind, expected_expr = _relation_form(expected)
    if found_kind != expected_kind:
        return f"the kind of relation differs: expected '{expected_kind}', found '{found_kind}'"
    if expected_expr == 0:
        return None if _is_zero(found_expr) else "the expected relation is trivial, yours is not"
    try:
        ratio = sp.simplify(found_expr / expected_expr)
    except Exception:
        ratio = found_expr / expected_expr
    if ratio.free_symbols:  # sympy did not reduce the ratio; estimate it at one point and verify
        rng = np.random.default_rng(SEED)
        estimate = _evaluate(ratio, {s: _sample(s, rng) for s in ratio.free_symbols})
        if estimate is None or abs(estimate.imag) > 1e-12:
            return "the two sides are not proportional"
        ratio = sp.Float(estimate.real, 15)
        if _expression_verdict(found_expr, ratio * expected_expr, n_points) is not None:
            return "(left side − right side) is not a constant multiple of the expected one"
    if not ratio.is_number or ratio == 0:
        return "(left side − right side) is not a constant multiple of the expected one"
    if found_kind in (">", "≥"):
        try:
            positive = bool(ratio > 0)
        except TypeError:  # a complex ratio
            positive = False
        if not positive:
            return "the inequality points the other way"
    return None


def _matrix_verdict(found, expected, n_points):
    if found.shape != expected.shape:
        return f"expected a matrix of shape {expected.shape}, found shape {found.shape}"
    for i in range(expected.rows):
        for j in range(expected.cols):
            detail = _expression_verdict(found[i, j], expected[i, j], n_points)
            if detail is not None:
                return (f"entry ({i}, {j}) differs: expected {_text(expected[i, j], 80)}, "
                        f"found {_text(found[i, j], 80)}; {detail}")
    return None


def check_symbolic(found, expected, *, name="expression", symbols=None, show_expected=True, n_points=20):
    """Check that ``found`` is mathematically equivalent to ``expected``.

    ``found``/``expected``: sympy expressions, equations/inequalities, matrices, numbers, or
    strings (read with ``sympify`` and the ``symbols`` table: a dict name → Symbol, or a list of
    Symbols; by default the free symbols of ``expected``). A student's symbol with the same name
    but other assumptions than an expected one is treated as that symbol. ``show_expected=False``
    keeps the expected expression out of the message (for hidden tests).
    """
    __tracebackhide__ = True
    import sympy as sp

    table = _symbol_table(symbols, expected if isinstance(expected, sp.Basic) else None)
    expected = _to_sympy(expected, table, f"check_symbolic ({name}, expected value)", "expected")
    table = _symbol_table(symbols, expected)
    found = _to_sympy(found, table, name, "found")
    found = _unify_symbols(found, expected)

    expected_text = f"expected: {_text(expected)}" if show_expected else ""
    found_text = f"found:    {_text(found)}"
    is_matrix = [isinstance(x, sp.MatrixBase) for x in (found, expected)]
    is_relation = [isinstance(x, sp.core.relational.Relational) for x in (found, expected)]
    is_boolean = [isinstance(x, sp.logic.boolalg.BooleanAtom) for x in (found, expected)]

    if is_matrix[1] != is_matrix[0]:
        wanted = "a matrix" if is_matrix[1] else "a single expression"
        fail(name, f"expected {wanted}, found {type_name(found)}", expected_text, found_text)
    if is_relation[1] and not is_relation[0]:
        extra = " (sympy evaluated your equation to a truth value)" if is_boolean[0] else ""
        fail(name, f"expected an equation or inequality, e.g. sympy.Eq(lhs, rhs), found an expression{extra}",
             expected_text, found_text)
    if is_boolean[0] and not is_boolean[1]:
        fail(name, f"expected an expression, found the truth value {found}", expected_text)
    if is_relation[0] and not is_relation[1]:
        fail(name, "expected an expression, found an equation or inequality",
             "hint: give only the expression (for example the right-hand side).", found_text)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if is_matrix[1]:
            detail = _matrix_verdict(found, expected, n_points)
        elif is_relation[1]:
            detail = _relation_verdict(found, expected, n_points)
        elif is_boolean[1] or is_boolean[0]:
            detail = None if found == expected else "the truth values differ"
        else:
            detail = _expression_verdict(found, expected, n_points)
    if detail is None:
        return
    extra = sorted(str(s) for s in found.free_symbols - expected.free_symbols)
    hint = (f"hint: your expression uses symbol(s) {', '.join(extra)} that the expected one does not"
            if extra else "")
    fail(name, "not equivalent to the expected expression", expected_text, found_text, detail, hint)
