"""Read a student's formula written as text (``"sigma*(1 - sigma)"``) into sympy, safely.

``sympy.sympify`` of a string runs Python's ``eval`` with Python's builtins at hand, so text
such as ``"__import__('os').system(...)"`` would run in the grading process. The text is
therefore parsed with :mod:`ast` first and only formulas pass: numbers, names (not starting with
``_``), ``+ - * / ** ^``, comparisons, lists/tuples (matrices) and calls of the functions in
:data:`FUNCTIONS`, without keywords. Constant powers are bounded (``9**9**9`` would take the
grader's memory), and so is the length. Only then does ``sympify`` build the expression.
"""

import ast

#: Functions a formula may call (sympy's names; ``abs``, ``max`` and ``min`` are sympify's).
FUNCTIONS = frozenset("""
    exp log ln sqrt cbrt root sin cos tan cot sec csc asin acos atan atan2 acot sinh cosh tanh
    coth sech csch asinh acosh atanh Abs abs sign Max Min max min Heaviside Piecewise floor
    ceiling erf Eq Ne Lt Le Gt Ge Matrix Rational
""".split())

#: Longest formula read, in characters.
MAX_LENGTH = 5000

#: Largest constant exponent allowed in a power of constants.
MAX_CONSTANT_EXPONENT = 1000

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.BitXor)
_COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class FormulaError(ValueError):
    """The text is not a formula that may be read (the message says why)."""


def _constant(node):
    """The value of a constant-only subtree of numbers and + - * /, or ``None``."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _constant(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _constant(node.left), _constant(node.right)
        if left is None or right is None or abs(left) > 1e6 or abs(right) > 1e6:
            return None
        try:
            return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(
                type(node.op), left / right if right else None)
        except ArithmeticError:
            return None
    return None


def _has_names(node):
    return any(isinstance(child, ast.Name) for child in ast.walk(node))


def _check(node):
    """Raise :class:`FormulaError` unless ``node`` (and everything under it) is a formula."""
    if isinstance(node, ast.Expression):
        return _check(node.body)
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float, complex, bool):  # bool: Piecewise's (0, True)
            raise FormulaError(f"{node.value!r} is not a number")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(f"the name {node.id!r} (names may not start with '_')")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        return _check(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
        if isinstance(node.op, (ast.Pow, ast.BitXor)) and not _has_names(node.right) \
                and not _has_names(node.left):
            base, exponent = _constant(node.left), _constant(node.right)
            if base is None or exponent is None or abs(exponent) > MAX_CONSTANT_EXPONENT:
                raise FormulaError("a power of constants that is not a number to an exponent up "
                                   f"to {MAX_CONSTANT_EXPONENT} (write the number out)")
        _check(node.left)
        return _check(node.right)
    if isinstance(node, ast.Compare) and all(isinstance(op, _COMPARISONS) for op in node.ops):
        for child in [node.left, *node.comparators]:
            _check(child)
        return
    if isinstance(node, (ast.List, ast.Tuple)):
        for child in node.elts:
            _check(child)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise FormulaError(f"a call of {called!r} (allowed: {', '.join(sorted(FUNCTIONS))})")
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise FormulaError(f"keyword or starred arguments to {node.func.id}")
        for arg in node.args:
            _check(arg)
        return
    raise FormulaError(f"{ast.unparse(node)!r} ({type(node).__name__} is not part of a formula)")


def read_formula(text, table):
    """``text`` read by ``sympify`` with the names of ``table`` (name → Symbol) once it is known
    to be a formula; raises :class:`FormulaError` otherwise."""
    import sympy as sp

    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the text is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"it is not a formula ({exc.msg})") from None
    _check(tree)
    return sp.sympify(text, locals=dict(table))
