"""Exceptions crossing the boundary as plain descriptions.

The side that fails sends its exception's class name, the names of its base classes, the message
and the traceback text; the receiving side raises the nearest exception class it knows itself
(a student's ``class MyError(ValueError)`` arrives as a ``ValueError``), so a check's
``except ValueError`` still works and no class of the sender is ever built.
"""

import traceback

import numpy as np

from ..grading.feedback import CheckFailure

MAX_MESSAGE = 4000

#: Exception classes a description may name, most specific first.
KNOWN = {cls.__name__: cls for cls in (
    CheckFailure, ZeroDivisionError, FloatingPointError, OverflowError, ArithmeticError,
    IndexError, KeyError, LookupError, UnicodeError, ValueError, TypeError, AttributeError,
    NameError, NotImplementedError, RecursionError, RuntimeError, AssertionError,
    MemoryError, StopIteration, OSError, ImportError, ModuleNotFoundError, np.linalg.LinAlgError)}


def describe(error):
    """Plain description of ``error``: type, bases, message, traceback text."""
    bases = [cls.__name__ for cls in type(error).__mro__]
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a student's broken __str__
        message = f"<{type(error).__name__} whose message cannot be shown>"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return {"type": type(error).__name__, "bases": bases, "message": message[:MAX_MESSAGE],
            "traceback": text[-MAX_MESSAGE:]}


def rebuild(info):
    """An exception of a class this side knows, built from a :func:`describe` description."""
    names = info.get("bases") if isinstance(info.get("bases"), list) else [info.get("type")]
    cls = next((KNOWN[n] for n in names if isinstance(n, str) and n in KNOWN), RuntimeError)
    message = str(info.get("message", ""))[:MAX_MESSAGE]
    if cls is RuntimeError and names and names[0] != "RuntimeError":
        message = f"{str(names[0])[:80]}: {message}"
    error = cls(message) if cls is not KeyError else KeyError(message)
    error.remote_traceback = str(info.get("traceback", ""))[:MAX_MESSAGE]
    return error
