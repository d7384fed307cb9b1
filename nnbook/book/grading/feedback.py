"""How a failed check talks to the student.

A check that fails raises :class:`CheckFailure` (an ``AssertionError``, so nbgrader and pytest
count it as a failed test) with a message that starts with the name of what was checked and
then says what was expected and what was found. Values are shown short: arrays through numpy's
summarising printer, every representation cut at :data:`MAX_REPR` characters.
"""

import sys

import numpy as np

#: Longest representation of a single value that a message may contain.
MAX_REPR = 200

_NUMPY_2 = np.lib.NumpyVersion(np.__version__) >= "2.0.0"
# numpy >= 2 writes scalars inside containers as np.float64(0.5); "1.25" keeps them plain.
_PRINT_OPTIONS = dict(threshold=20, edgeitems=3, linewidth=100, **({"legacy": "1.25"} if _NUMPY_2 else {}))

_KIND_NAMES = {
    "b": "boolean",
    "i": "signed integer",
    "u": "unsigned integer",
    "f": "floating-point",
    "c": "complex",
    "O": "Python object",
    "U": "string",
    "S": "bytes",
    "M": "datetime",
    "m": "timedelta",
    "V": "structured",
}


class CheckFailure(AssertionError):
    """A check found something other than what was expected; the message says both."""


def fail(name, headline, *details):
    """Raise :class:`CheckFailure` with ``"<name>: <headline>"`` and indented detail lines.

    Empty details are skipped. The exception is raised ``from None`` so that a student sees one
    message, not a chain of internal tracebacks.
    """
    __tracebackhide__ = True
    lines = [f"{name}: {headline}"]
    lines += ["  " + str(detail).replace("\n", "\n  ") for detail in details if detail]
    raise CheckFailure("\n".join(lines)) from None


def shorten(text, limit=MAX_REPR):
    """``text`` cut to at most ``limit`` characters, marked with an ellipsis when cut."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value, limit=MAX_REPR):
    """A short, readable representation of ``value`` (at most ``limit`` characters).

    numpy scalars print as plain numbers, arrays through numpy's summarising printer
    (first and last few entries), anything else through ``repr``.
    """
    try:
        with np.printoptions(**_PRINT_OPTIONS):
            if isinstance(value, np.ndarray):
                text = np.array2string(value, separator=", ")
            elif isinstance(value, np.generic):
                text = repr(value.item())
            else:
                text = repr(value)
    except Exception:  # a student's object whose repr is broken must not hide the real message
        text = f"<{type(value).__name__} object>"
    return shorten(text, limit)


def describe_with_printoptions(describe, value, limit=MAX_REPR):
    """``describe(value)`` under the short numpy print options, cut to ``limit`` characters."""
    if describe is repr:
        return show(value, limit)
    try:
        with np.printoptions(**_PRINT_OPTIONS):
            return shorten(describe(value), limit)
    except Exception as exc:
        return f"<could not describe the case: {type(exc).__name__}: {shorten(exc, 80)}>"


def type_name(value):
    """The type of ``value`` in words: ``None``, ``a list``, ``a function``, ``a numpy array``…"""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, type):
        return f"the class {value.__name__}"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function {value.__name__}"
    name = {"str": "string", "bytes": "bytes object", "dict": "dictionary"}.get(
        type(value).__name__, type(value).__name__)
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def kind_text(kinds):
    """Numpy dtype kind letters in words: ``"iu"`` → ``"signed integer or unsigned integer"``."""
    return " or ".join(_KIND_NAMES.get(k, repr(k)) for k in kinds)


def type_hint(value):
    """A short hint for the usual wrong-type mistakes (``None``, a function, text), or ``""``."""
    if value is None:
        return "hint: did your function forget to `return` its result?"
    if callable(value) and not isinstance(value, type):
        return "hint: did you forget to call the function, e.g. f(x) instead of f?"
    if isinstance(value, (str, bytes)):
        return "hint: give a number or an array, not text (no quotes)."
    return ""


def labelled(label, value):
    """``"label value"`` via :func:`show`; a multi-line value starts on the next line, indented."""
    text = show(value)
    return f"{label}\n  " + text.replace("\n", "\n  ") if "\n" in text else f"{label} {text}"


def index_text(index):
    """An array index for a message: ``3`` for 1-D, ``(1, 2)`` for n-D, ``()`` for 0-D."""
    index = tuple(int(i) for i in index)
    return str(index[0]) if len(index) == 1 else str(index)


def passed(name):
    """Print ``✓ <name>`` to stdout (never stderr): the feedback for a check that passed."""
    try:
        print(f"\u2713 {name}", file=sys.stdout)
    except UnicodeEncodeError:  # a terminal that cannot write the tick
        print(f"OK {name}", file=sys.stdout)
