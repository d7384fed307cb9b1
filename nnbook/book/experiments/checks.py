"""What an experiment asserts: an ordering between two runs, or a value inside a stated band.

A :class:`Check` says in words what is asserted, whether it held, and the numbers behind the
verdict; the exit status of ``nnbook experiments`` is 0 only when every check held.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One assertion: ``text`` (what), ``held`` (verdict), ``detail`` (the numbers), ``note``
    (why it is stated this way, e.g. for this data set). A check with ``asserted`` False is
    reported only: it does not count towards the verdict."""

    text: str
    held: bool
    detail: str
    note: str = ""
    asserted: bool = True


def percent(value: float) -> str:
    """0.92224 → '92.22%'."""
    return f"{100 * value:.2f}%"


def ordering(text: str, better: float, worse: float, note: str = "",
             asserted: bool = True) -> Check:
    """``better`` > ``worse`` (accuracies); ties do not count as better."""
    return Check(text, bool(better > worse), f"{percent(better)} vs {percent(worse)}", note,
                 asserted)


def band(text: str, value: float, low: float, high: float, note: str = "") -> Check:
    """``low`` ≤ ``value`` ≤ ``high`` (accuracies)."""
    return Check(text, bool(low <= value <= high),
                 f"{percent(value)} in [{percent(low)}, {percent(high)}]", note)
