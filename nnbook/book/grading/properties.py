"""Property check: a predicate must hold on every case of a list (random or hand-picked cases)."""

import numpy as np

from .feedback import CheckFailure, describe_with_printoptions, fail, shorten, show


def check_property(prop, cases, *, name="property", describe=repr):
    """Check that ``prop(case)`` is true for every case in ``cases`` (any iterable).

    ``prop`` returns a bool (a numpy bool or an array, read with ``np.all``) or raises. The check
    stops at the first case where it is false or raises and reports that case (through
    ``describe``, cut to ~200 characters), the exception if any, and how many cases passed before.
    """
    __tracebackhide__ = True
    total = len(cases) if hasattr(cases, "__len__") else None
    of_total = f" of {total}" if total is not None else ""
    count = 0
    for number, case in enumerate(cases, start=1):
        try:
            result = prop(case)
        except CheckFailure as exc:
            problem, message = "a check inside the property failed", str(exc)
        except Exception as exc:
            problem, message = f"raised {type(exc).__name__}", shorten(f"{type(exc).__name__}: {exc}", 400)
        else:
            if result is None:
                raise TypeError(f"check_property ({name}): the property returned None for case "
                                f"{show(case)}; it must return True or False")
            try:
                holds = bool(np.all(result))
            except Exception:
                holds = False
            if holds:
                count += 1
                continue
            problem, message = "is false", ""
        fail(name, f"{problem} for case {number}{of_total} ({count} case{'s' if count != 1 else ''} passed before it)",
             f"case: {describe_with_printoptions(describe, case)}", message)
    if count == 0:
        raise ValueError(f"check_property ({name}): no cases to check")
