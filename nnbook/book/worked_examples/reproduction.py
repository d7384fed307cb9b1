"""One row of the reproduction table, and the rule that decides whether it matches."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Reproduction:
    """A number (or table, or statement) from a source next to nnbook's value.

    ``match`` is True/False, or None when the row could not be computed here (e.g. it needs
    data files that are absent); ``note`` says why.
    """

    source: str
    ref: str
    quantity: str
    source_value: object
    nnbook_value: object
    match: bool | None
    note: str = ""

    def as_dict(self) -> dict:
        row = asdict(self)
        if not row["note"]:
            del row["note"]
        return row


def compare(source_value, nnbook_value, *, rel: float = 0.0, abs_: float = 0.0,
            digits: int | None = None) -> bool:
    """Does nnbook's value reproduce the source's?

    Numbers match within ``rel``/``abs_``; with ``digits`` the nnbook value is rounded to the
    number of decimals the source prints (σ(4) = 0.982014 → digits=6). Other values match by
    equality.
    """
    if isinstance(source_value, (int, float)) and isinstance(nnbook_value, (int, float)):
        if digits is not None:
            return round(float(nnbook_value), digits) == round(float(source_value), digits)
        return math.isclose(float(nnbook_value), float(source_value), rel_tol=rel, abs_tol=abs_)
    return source_value == nnbook_value


#: Default of ``match`` in :func:`row`: decide by comparing the two values.
COMPARE = object()


def row(source: str, ref: str, quantity: str, source_value, nnbook_value, match=COMPARE,
        note: str = "", **tolerance) -> Reproduction:
    """Build a row; unless ``match`` is given (True/False/None), it is :func:`compare`'s verdict."""
    if match is COMPARE:
        match = compare(source_value, nnbook_value, **tolerance)
    return Reproduction(source, ref, quantity, source_value, nnbook_value, match, note)


def bits(values) -> str:
    """0/1 values as a string in reading order, e.g. a truth table column '1110'."""
    return "".join(str(int(v)) for v in np.ravel(values))
