"""A failed check reads as its message in a notebook, not as a traceback through nnbook.

When :mod:`nnbook.book.grading` is imported in an IPython kernel (the student's notebook),
:func:`show_failures_briefly` registers a handler that shows a :class:`CheckFailure` as one
line, ``CheckFailure: <what was expected and what was found>`` — the frames of nnbook's checks
say nothing to a student. Other errors (the student's own) keep IPython's full traceback.
"""

from .feedback import CheckFailure


def _brief(shell, etype, value, tb, tb_offset=None):
    shell._showtraceback(etype, value, [f"{etype.__name__}: {value}"])


def show_failures_briefly():
    """Register the brief display in the running IPython shell, if any (idempotent)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is not None and CheckFailure not in (getattr(shell, "custom_exceptions", ()) or ()):
        shell.set_custom_exc((CheckFailure,), _brief)
