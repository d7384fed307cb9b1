"""Give a student's function a different global for the length of a check.

A hidden test may count how a student's function uses a helper of the notebook (e.g. that a half
adder really calls ``nand_gate``): :func:`student_global` makes the name ``name`` in the
student's global namespace refer to ``value`` inside the ``with`` block and puts the old value
back afterwards. It works on a function defined in this process and on one that lives in the
grading sandbox (where ``value``, a function of the check, is called back across the boundary).
"""

import contextlib

_MISSING = object()


@contextlib.contextmanager
def student_global(func, name, value):
    """``with student_global(half_adder, "nand_gate", counting_nand): ...``"""
    if hasattr(type(func), "_nnbook_swap_global"):
        func._nnbook_swap_global(name, value)
        try:
            yield
        finally:
            func._nnbook_restore_global(name)
        return
    namespace = func.__globals__
    old = namespace.get(name, _MISSING)
    namespace[name] = value
    try:
        yield
    finally:
        if old is _MISSING:
            namespace.pop(name, None)
        else:
            namespace[name] = old
