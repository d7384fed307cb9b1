"""Symbolic check: is the student's sympy expression (or string) equivalent to the expected one?

Equivalence is decided numerically first: both expressions are evaluated (30 significant
digits) at random points drawn by a generator seeded inside the call, so a check always gives
the same verdict. Agreement at every point where both are defined (and at enough of them) means
equal; one clear difference means different, and the message names that point. Only when the
expressions cannot be evaluated at enough points does ``sympy.simplify`` decide, as a tie-break
run in a forked child process with a time limit (:data:`TIE_BREAK_SECONDS`), so a check never
runs unbounded, in the main thread or in a worker thread; a tie-break that does not finish in
time is graded as different and says so. Equations and inequalities are compared as relations:
``a = b`` matches ``c = d`` when ``a - b`` is a non-zero constant times ``c - d`` (a positive
constant for inequalities). Matrices are compared entry by entry. sympy is imported on first
use, not with nnbook.
"""

import cmath
import json
import numbers
import os
import select
import signal
import time
import warnings

import numpy as np

from .feedback import fail, shorten, show, type_hint, type_name
from .reading import FormulaError, read_formula

#: Seed of the generator that draws the comparison points.
SEED = 20240917

#: Default time limit, in seconds, of the ``simplify`` tie-break.
TIE_BREAK_SECONDS = 5.0

#: Significant digits of the numeric evaluation.
DIGITS = 30

#: Verdict of a tie-break that did not finish in time (or could not run).
UNDECIDED = "could not decide in time; graded as different"


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
                result = read_formula(value, table)
        except FormulaError as exc:
            fail(name, f"could not read {show(value)} as a formula: {shorten(exc, 160)}",
                 "hint: write the expression with numbers, symbols, + - * / ** and functions "
                 "such as exp, log, tanh, sqrt.")
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
    """``expr`` at ``point`` as a finite complex number, or ``None`` when undefined there.

    The point's values are put in with ``xreplace`` as 30-digit Floats, so sympy evaluates the
    tree bottom-up once (fast even for large derivatives); what does not become a number that
    way is given one ``evalf``."""
    import sympy as sp

    try:
        value = expr.xreplace({s: v if v.is_Integer else sp.Float(str(v), DIGITS) for s, v in point.items()})
        if not value.is_Number:
            if not value.is_number:  # e.g. an undefined function f(0.3): no value
                return None
            value = value.evalf(DIGITS)
        value = complex(value)
    except Exception:
        return None
    return value if cmath.isfinite(value) else None


def _evaluable(expr):
    """``False`` when ``expr`` holds something with no quick numeric value (an undefined
    function ``f(x)``, an unevaluated derivative, integral, sum, product or limit, which ``evalf``
    might take unbounded time over): the bounded tie-break decides those."""
    import sympy as sp
    from sympy.core.function import AppliedUndef

    return not expr.has(AppliedUndef, sp.Derivative, sp.Integral, sp.Sum, sp.Product, sp.Limit)


def _close(a, b):
    return abs(a - b) <= 1e-8 * max(1.0, abs(a), abs(b))


def _format_number(z):
    return f"{z.real:.6g}" if abs(z.imag) <= 1e-12 * max(1.0, abs(z.real)) else f"{z:.6g}"


def _compare_at_points(found, expected, n_points):
    """Compare numerically. Returns ``("equal", None)``, ``("differ", text)`` or ``("unknown", None)``."""
    if not (_evaluable(found) and _evaluable(expected)):
        return "unknown", None
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


def _in_child(function, args, seconds):
    """``function(*args)`` (a JSON-able result) computed in a forked child process that is
    killed after ``seconds``; :data:`UNDECIDED` when it did not finish (or raised, or no child
    could be made).

    A child, not a signal: SIGALRM works only in the main thread, and a child also keeps a
    runaway ``simplify`` from growing this process's memory. The child's stdout and stderr go
    to /dev/null (nbgrader zeroes a test cell that writes to stderr) and it leaves with
    ``os._exit``, running none of this process's exit handlers.
    """
    if not hasattr(os, "fork") or seconds <= 0:
        return UNDECIDED
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python >= 3.12 warns about fork in a threaded process
            pid = os.fork()
    except OSError:  # e.g. a process limit: undecided, like a timeout
        os.close(read_end)
        os.close(write_end)
        return UNDECIDED
    if pid == 0:  # the child
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            answer = json.dumps({"result": function(*args)}).encode()
            while answer:
                answer = answer[os.write(write_end, answer):]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, finished = [], False
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_end], [], [], remaining)[0]:
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already (SIGCHLD ignored by the host process)
            pass
    try:
        return json.loads(b"".join(chunks))["result"]
    except (ValueError, KeyError, TypeError):  # killed, or the function raised
        return UNDECIDED


def _simplifies_to_zero(expr):
    """``True`` when ``sympy.simplify`` reduces ``expr`` to 0 (run in the child)."""
    import sympy as sp

    simplified = sp.simplify(expr)
    return bool(simplified == 0 or simplified.is_zero is True)


def _tie_break_zero(expr, seconds):
    """``True``/``False`` from :func:`_simplifies_to_zero` within ``seconds``, or :data:`UNDECIDED`."""
    if expr == 0:
        return True
    return _in_child(_simplifies_to_zero, (expr,), seconds)


def _expression_verdict(found, expected, n_points, seconds):
    """``None`` when equivalent, else the detail line that explains the difference."""
    import sympy as sp

    try:
        difference = found - expected
    except Exception:
        return "the two cannot be subtracted (one of them is not an algebraic expression)"
    if difference == 0:
        return None
    verdict, detail = _compare_at_points(sp.sympify(found), sp.sympify(expected), n_points)
    if verdict == "equal":
        return None
    if verdict == "differ":
        return detail
    zero = _tie_break_zero(difference, seconds)
    if zero is True:
        return None
    if zero == UNDECIDED:
        return (f"the expressions could not be evaluated at enough points, and sympy {UNDECIDED} "
                f"(limit {seconds:g} s)")
    return ("the expressions could not be evaluated at enough points to compare them, and sympy "
            "could not simplify found - expected to 0")


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


def _ratio_at_points(found, expected, n_points):
    """Estimate ``found / expected`` numerically. Returns ``("constant", ratio)``,
    ``("varies", detail)`` or ``("unknown", None)``."""
    if not (_evaluable(found) and _evaluable(expected)):
        return "unknown", None
    symbols = sorted(found.free_symbols | expected.free_symbols, key=lambda s: s.name)
    rng = np.random.default_rng(SEED)
    ratios = []
    for _ in range(n_points if symbols else 1):
        point = {s: _sample(s, rng) for s in symbols}
        f, e = _evaluate(found, point), _evaluate(expected, point)
        if f is None or e is None:
            continue
        if _close(e, 0):
            if _close(f, 0):
                continue
            return "varies", None
        ratios.append(f / e)
        if not _close(ratios[-1], ratios[0]):
            where = ", ".join(f"{s} = {float(v):g}" for s, v in point.items())
            return "varies", f"(the ratio of the two is {_format_number(ratios[0])} at one point and " \
                             f"{_format_number(ratios[-1])} at {where})"
    enough = 1 if not symbols else max(3, n_points // 4)
    return ("constant", ratios[0]) if len(ratios) >= enough else ("unknown", None)


def _simplified_ratio(found, expected):
    """``[re, im]`` of ``simplify(found / expected)`` when it is a number, else ``"varies"`` (child)."""
    import sympy as sp

    ratio = sp.simplify(found / expected)
    if not ratio.is_number:
        return "varies"
    value = complex(ratio.evalf(DIGITS))
    return [value.real, value.imag]


def _relation_verdict(found, expected, n_points, seconds):
    """``None`` when the relations are equivalent, else the reason they are not."""
    found_kind, found_expr = _relation_form(found)
    expected_kind, expected_expr = _relation_form(expected)
    if found_kind != expected_kind:
        return f"the kind of relation differs: expected '{expected_kind}', found '{found_kind}'"
    if expected_expr == 0:
        trivial = _expression_verdict(found_expr, expected_expr, n_points, seconds) is None
        return None if trivial else "the expected relation is trivial, yours is not"
    not_multiple = "(left side − right side) is not a constant multiple of the expected one"
    verdict, ratio = _ratio_at_points(found_expr, expected_expr, n_points)
    if verdict == "varies":
        return f"{not_multiple} {ratio}" if ratio else not_multiple
    if verdict == "unknown":
        pair = _in_child(_simplified_ratio, (found_expr, expected_expr), seconds)
        if pair == "varies":
            return not_multiple
        if pair == UNDECIDED:
            return (f"{not_multiple}, as far as could be checked: the sides could not be evaluated "
                    f"at enough points, and sympy {UNDECIDED} (limit {seconds:g} s)")
        ratio = complex(*pair)
    if _close(ratio, 0) or not cmath.isfinite(ratio):
        return not_multiple
    if found_kind in (">", "≥"):
        if abs(ratio.imag) > 1e-12 * abs(ratio):
            return not_multiple
        if ratio.real < 0:
            return "the inequality points the other way"
    return None


def _matrix_verdict(found, expected, n_points, seconds):
    if found.shape != expected.shape:
        return f"expected a matrix of shape {expected.shape}, found shape {found.shape}"
    for i in range(expected.rows):
        for j in range(expected.cols):
            detail = _expression_verdict(found[i, j], expected[i, j], n_points, seconds)
            if detail is not None:
                return (f"entry ({i}, {j}) differs: expected {_text(expected[i, j], 80)}, "
                        f"found {_text(found[i, j], 80)}; {detail}")
    return None


def as_expression(value, *, symbols=None, name="expression"):
    """``value`` (sympy object, number, formula text, list/array) as a sympy object, read safely:
    use it in test cells instead of ``sympy.sympify``, which evaluates text with Python's
    ``eval``. ``symbols`` as in :func:`check_symbolic`; a :class:`CheckFailure` names what could
    not be read."""
    __tracebackhide__ = True
    return _to_sympy(value, _symbol_table(symbols, None), name, "found")


def check_symbolic(found, expected, *, name="expression", symbols=None, show_expected=True, n_points=20,
                   time_limit=TIE_BREAK_SECONDS):
    """Check that ``found`` is mathematically equivalent to ``expected``.

    ``found``/``expected``: sympy expressions, equations/inequalities, matrices, numbers, or
    strings (formulas only, read safely by :mod:`~nnbook.book.grading.reading` with the
    ``symbols`` table: a dict name → Symbol, or a list of Symbols; by default the free symbols
    of ``expected``). A student's symbol with the same name
    but other assumptions than an expected one is treated as that symbol. ``show_expected=False``
    keeps the expected expression out of the message (for hidden tests). ``n_points`` random
    points decide; ``time_limit`` (seconds) bounds each ``simplify`` tie-break (see the module).
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
            detail = _matrix_verdict(found, expected, n_points, time_limit)
        elif is_relation[1]:
            detail = _relation_verdict(found, expected, n_points, time_limit)
        elif is_boolean[1] or is_boolean[0]:
            detail = None if found == expected else "the truth values differ"
        else:
            detail = _expression_verdict(found, expected, n_points, time_limit)
    if detail is None:
        return
    extra = sorted(str(s) for s in found.free_symbols - expected.free_symbols)
    hint = (f"hint: your expression uses symbol(s) {', '.join(extra)} that the expected one does not"
            if extra else "")
    fail(name, "not equivalent to the expected expression", expected_text, found_text, detail, hint)
