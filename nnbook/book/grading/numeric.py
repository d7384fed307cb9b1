"""Numeric checks: arrays (shape, dtype kind, finiteness, then ``allclose``), scalars, exact values.

The tolerance rule is numpy's: ``|found - expected| <= atol + rtol * |expected|``.
"""

import math
import numbers
import warnings

import numpy as np

from .feedback import fail, index_text, kind_text, labelled, show, type_hint, type_name


def _numeric_array(found, name, expected_shape):
    """``found`` as a numeric numpy array, or a :class:`CheckFailure` saying what it is."""
    __tracebackhide__ = True
    wanted = f"an array of shape {expected_shape}"
    if found is None or callable(found) or isinstance(found, (str, bytes, dict, set, frozenset)):
        fail(name, f"expected {wanted}, found {type_name(found)}: {show(found)}", type_hint(found))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(found)
    except Exception as exc:  # e.g. ragged nested lists
        fail(name, f"expected {wanted}, found {type_name(found)} that numpy cannot turn into an array",
             f"numpy says: {exc}", f"found: {show(found)}",
             "hint: every row must have the same length.")
    if array.dtype.kind == "O":  # e.g. a list of Fractions or sympy numbers
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                array = np.array([float(v) for v in array.flat]).reshape(array.shape)
        except (TypeError, ValueError):
            pass
    if array.dtype.kind not in "biufc":
        fail(name, f"expected {wanted} of numbers, found {type_name(found)} "
             f"(numpy dtype {array.dtype}): {show(found)}")
    return array


def _shape_hint(found_shape, expected_shape):
    if found_shape == tuple(reversed(expected_shape)) and len(expected_shape) == 2:
        return "hint: the shape is transposed (rows and columns swapped)."
    if expected_shape == () and found_shape in ((1,), (1, 1)):
        return "hint: a single number was expected; use .item() or index the array."
    if math.prod(found_shape) == math.prod(expected_shape):
        return "hint: the number of entries is right; check the order of the axes or use reshape."
    return ""


def _tolerance_text(rtol, atol, first, shape):
    """The tolerance rule with its values; an array ``rtol``/``atol`` (broadcast against the
    expected shape) is shown by its value at the first differing entry ``first``."""
    values = []
    for label, value in (("rtol", rtol), ("atol", atol)):
        value = np.asarray(value, dtype=float)
        if value.ndim == 0:
            values.append(f"{label}={float(value):g}")
        else:
            here = np.broadcast_to(value, shape)[first] if shape else value.flat[0]
            where = f" at index {index_text(first)}" if first else ""
            values.append(f"{label}={float(here):g}{where} (an array of shape {value.shape})")
    return f"tolerance: |found - expected| <= atol + rtol*|expected| with {', '.join(values)}"


def check_array(found, expected, *, name="answer", rtol=1e-7, atol=0.0, dtype_kind=None):
    """Check that the array-like ``found`` equals ``expected`` within tolerance.

    In this order: ``found`` is numeric and array-like; its shape equals ``expected``'s (no
    broadcasting); its dtype kind is in ``dtype_kind`` (numpy kind letters such as ``"f"``,
    ``"i"``, ``"b"`` or ``"iu"``; ``None`` accepts any numeric kind); it has no NaN/inf where
    ``expected`` is finite; and ``np.isclose(found, expected, rtol, atol)`` holds everywhere
    (NaN matches NaN). ``rtol`` and ``atol`` may be arrays that broadcast to ``expected``'s shape. Raises :class:`CheckFailure` naming the first problem.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected)
    if expected.dtype.kind not in "biufc":
        raise TypeError(f"check_array: the expected value must be numeric, got dtype {expected.dtype}")
    array = _numeric_array(found, name, expected.shape)

    if array.shape != expected.shape:
        fail(name, f"expected shape {expected.shape}, found {array.shape}",
             _shape_hint(array.shape, expected.shape), labelled("found:", array))

    if dtype_kind is not None and array.dtype.kind not in dtype_kind:
        example = f"e.g. {expected.dtype}" if expected.dtype.kind in dtype_kind else f"dtype kind {dtype_kind!r}"
        fail(name, f"expected a {kind_text(dtype_kind)} array ({example}), found dtype {array.dtype}",
             labelled("found:", array))

    with np.errstate(all="ignore"):
        unexpected = ~np.isfinite(array) & np.isfinite(expected)
        if unexpected.any():
            first = tuple(np.argwhere(unexpected)[0])
            where = f" at index {index_text(first)}" if first else ""
            fail(name, f"found {show(array[first])}{where} where the finite value "
                 f"{show(expected[first])} was expected",
                 f"{int(unexpected.sum())} of {array.size} entries are NaN or infinite; "
                 "look for 0/0, log(0), overflow in exp, or uninitialised entries (np.empty).",
                 labelled("found:", array))

        close = np.isclose(array, expected, rtol=rtol, atol=atol, equal_nan=True)
        if not close.all():
            wrong = ~close
            first = tuple(np.argwhere(wrong)[0])
            difference = np.abs(array.astype(complex if array.dtype.kind == "c" else float)
                                - expected.astype(complex if expected.dtype.kind == "c" else float))
            where = f"at index {index_text(first)}: " if first else ""
            fail(name, f"{int(wrong.sum())} of {array.size} entries differ from the expected values",
                 f"first difference {where}expected {show(expected[first])}, found {show(array[first])}",
                 f"largest difference: {np.nanmax(np.where(wrong, difference, 0)):.3g}",
                 _tolerance_text(rtol, atol, first, expected.shape),
                 labelled("expected:", expected),
                 labelled("found:   ", array))


def _as_number(value, name, role="found"):
    """``value`` as a Python float or complex, or a :class:`CheckFailure` saying what it is."""
    __tracebackhide__ = True
    if isinstance(value, (bool, np.bool_)):
        fail(name, f"expected a number, found the boolean {value}")
    if isinstance(value, np.ndarray):
        if value.shape == () and value.dtype.kind in "iufc":
            value = value.item()
        else:
            hint = "hint: use .item() or index the array to get the number." if value.size == 1 else ""
            fail(name, f"expected a single number, found {type_name(value)}: {show(value)}", hint)
    if isinstance(value, (list, tuple)):
        fail(name, f"expected a single number, found {type_name(value)} of length {len(value)}: {show(value)}")
    if value is None or callable(value) or isinstance(value, (str, bytes)):
        fail(name, f"expected a number, found {type_name(value)}: {show(value)}", type_hint(value))
    try:
        if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
            return complex(value)
        return float(value)
    except Exception:
        try:
            return complex(value)  # e.g. a sympy number with an imaginary part
        except Exception:
            fail(name, f"expected a number, found {type_name(value)}: {show(value)}",
                 "hint: a sympy expression with free symbols is not a number; substitute values first.")


def _factor_hint(found, expected):
    if expected == 0 or not math.isfinite(abs(found)):
        return ""
    ratio = found / expected
    for factor, words in ((-1, "the sign looks flipped"), (2, "found is 2 times the expected value"),
                          (0.5, "found is half the expected value")):
        if abs(ratio - factor) < 1e-9:
            return f"hint: {words}."
    return ""


def check_scalar(found, expected, *, name="answer", rtol=1e-7, atol=0.0):
    """Check that ``found`` is a single number (int, float, numpy scalar, 0-d array, sympy number)
    within ``atol + rtol * |expected|`` of ``expected``. Booleans and size-1 arrays are rejected
    with a hint; NaN/inf where ``expected`` is finite is reported as such.
    """
    __tracebackhide__ = True
    expected = _as_number(expected, "check_scalar (expected value)")
    value = _as_number(found, name)
    if _isnan(expected) or _isnan(value):
        if _isnan(expected) and _isnan(value):
            return
        fail(name, f"expected {expected!r}, found {value!r}",
             "look for 0/0, log(0) or inf - inf." if _isnan(value) else "")
    if not _isfinite(value) and _isfinite(expected):
        fail(name, f"expected the finite value {expected!r}, found {value!r}",
             "look for 0/0, log(0) or overflow in exp.")
    tolerance = atol + rtol * abs(expected) if _isfinite(expected) else 0.0
    if value == expected or abs(value - expected) <= tolerance:
        return
    fail(name, f"expected {expected!r}, found {value!r}",
         f"difference {abs(value - expected):.3g} > tolerance atol + rtol*|expected| = {tolerance:.3g} "
         f"(rtol={rtol:g}, atol={atol:g})",
         _factor_hint(value, expected))


def _isnan(x):
    return x != x


def _isfinite(x):
    return math.isfinite(x.real) and math.isfinite(x.imag) if isinstance(x, complex) else math.isfinite(x)


def check_equal(found, expected, *, name="answer"):
    """Check ``found == expected`` exactly, for ints, tuples, strings and booleans.

    A bool is only equal to a bool (``1`` is not ``True`` here). When the types differ the
    message says so (a list where a tuple was expected); for sequences of the same length it
    names the first differing position; for strings it points out case/whitespace-only changes.
    """
    __tracebackhide__ = True
    bool_types = (bool, np.bool_)
    if isinstance(expected, bool_types) != isinstance(found, bool_types):
        fail(name, f"expected {show(expected)} ({type_name(expected)}), "
             f"found {show(found)} ({type_name(found)})", type_hint(found))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = found == expected
            equal = bool(result) if np.ndim(result) == 0 else None
    except Exception:
        equal = None
    if equal:
        return
    details = []
    if type(found) is not type(expected) and not (
            isinstance(found, numbers.Number) and isinstance(expected, numbers.Number)):
        details.append(f"found {type_name(found)} where {type_name(expected)} was expected")
    if (isinstance(found, (list, tuple)) and isinstance(expected, (list, tuple))
            and len(found) == len(expected)):
        for position, (f, e) in enumerate(zip(found, expected)):
            try:
                same = bool(f == e)
            except Exception:
                same = False
            if not same:
                details.append(f"first difference at position {position}: expected {show(e)}, found {show(f)}")
                break
    elif isinstance(found, (list, tuple)) and isinstance(expected, (list, tuple)):
        details.append(f"expected length {len(expected)}, found length {len(found)}")
    if isinstance(found, str) and isinstance(expected, str):
        if found.strip().lower() == expected.strip().lower():
            details.append("hint: the text differs only in upper/lower case or surrounding spaces.")
    if type(found) is not type(expected):
        details.append(type_hint(found))
    fail(name, f"expected {show(expected)}, found {show(found)}", *details)
