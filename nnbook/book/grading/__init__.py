"""Checks used by exercise cells and by ``nnbook check``.

Every check is silent when it passes and raises :class:`CheckFailure` (an ``AssertionError``)
when it fails, with a message that starts with the ``name`` given to the check and says what was
expected and what was found. Call :func:`passed` to print ``✓ <name>``.

One module per kind of check:

- :mod:`~nnbook.book.grading.numeric`: :func:`check_array`, :func:`check_scalar`, :func:`check_equal`
- :mod:`~nnbook.book.grading.symbolic`: :func:`check_symbolic` (sympy equivalence),
  :func:`as_expression` (a student's value as sympy, safely; formulas given
  as text are read by :mod:`~nnbook.book.grading.reading`, which lets nothing but a formula through)
- :mod:`~nnbook.book.grading.properties`: :func:`check_property`
- :mod:`~nnbook.book.grading.gradient`: :func:`check_gradient` (central finite differences)
- :mod:`~nnbook.book.grading.choice`: :func:`check_choice`, :func:`check_valid_choice`
- :mod:`~nnbook.book.grading.plots`: :func:`axes_lines`, :func:`check_plot`, :func:`check_line`
- :mod:`~nnbook.book.grading.independence`: :func:`check_independent` (and, for the grading
  sandbox, :func:`~nnbook.book.grading.independence.call_without` with forbidden objects named by
  :func:`~nnbook.book.grading.independence.forbidden_labels`)
- :mod:`~nnbook.book.grading.student_globals`: :func:`student_global` (a check lends the
  student's function another global, e.g. a counting helper)
- :mod:`~nnbook.book.grading.feedback`: :class:`CheckFailure`, :func:`passed`, message helpers
- :mod:`~nnbook.book.grading.display`: in a notebook, a failed check shows its message alone

sympy and matplotlib are imported only when a check that needs them runs.
"""

from .choice import check_choice, check_valid_choice
from .display import show_failures_briefly
from .feedback import CheckFailure, passed
from .gradient import check_gradient
from .independence import check_independent
from .numeric import check_array, check_equal, check_scalar
from .plots import axes_lines, check_line, check_plot
from .properties import check_property
from .student_globals import student_global
from .symbolic import as_expression, check_symbolic

show_failures_briefly()

__all__ = [
    "CheckFailure",
    "as_expression",
    "axes_lines",
    "check_array",
    "check_choice",
    "check_equal",
    "check_gradient",
    "check_independent",
    "check_line",
    "check_plot",
    "check_property",
    "check_scalar",
    "check_symbolic",
    "check_valid_choice",
    "passed",
    "student_global",
]
