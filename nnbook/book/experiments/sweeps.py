"""Sweeps: one setting varied over a few values, every other setting kept, the test accuracy
(and seconds) read at each value — the book's "what if we change X" experiments.

A :class:`Sweep` lists its points as (value, configuration). When ``along_epochs`` is set the
values are epochs of *one* run of the last configuration, read on the way (a run of 200 epochs
passes through epoch 20: training longer is the same run continued).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from nnbook.book.experiments.checks import percent
from nnbook.book.experiments.runner import Runner


@dataclass(frozen=True)
class Sweep:
    """``id`` and ``title`` (e.g. "R9", "learning rate"), ``section`` and ``claim`` (where and
    what the source says), ``parameter`` (axis label), ``points`` ((value, config), …; a config
    has ``epochs`` and ``batch_size``); ``source_best`` the value the source calls best (if
    any), ``log_base`` for a log axis, ``seconds`` to draw seconds per epoch beside the
    accuracy."""

    id: str
    title: str
    section: str
    claim: str
    parameter: str
    points: tuple
    source_best: float | None = None
    log_base: int | None = None
    seconds: bool = False
    along_epochs: bool = False


@dataclass(frozen=True)
class Point:
    """A sweep's value with nnbook's test and validation accuracy and seconds (per epoch, and
    in all) at that value."""

    value: float
    test: float
    validation: float | None
    seconds_per_epoch: float
    seconds: float


def run_sweep(sweep: Sweep, runner: Runner, build: Callable, label: Callable) -> list[Point]:
    """Train the sweep's points (``build(config)`` → compiled model; ``label(config)`` → text)."""
    if sweep.along_epochs:
        values = [value for value, _ in sweep.points]
        config = sweep.points[-1][1]
        outcome = runner.run(config, lambda: build(config), epochs=config.epochs,
                             batch_size=config.batch_size, label=f"{sweep.id} {label(config)}",
                             checkpoints=values)
        return [Point(v, outcome.checkpoints[v][0],
                      outcome.history.history["val_accuracy"][v - 1],
                      outcome.checkpoints[v][1] / v, outcome.checkpoints[v][1]) for v in values]
    points = []
    for value, config in sweep.points:
        outcome = runner.run(config, lambda config=config: build(config), epochs=config.epochs,
                             label=f"{sweep.id} {label(config)}", batch_size=config.batch_size)
        points.append(Point(value, outcome.test, outcome.validation, outcome.seconds_per_epoch,
                            outcome.seconds))
    return points


def finding(sweep: Sweep, points: list[Point]) -> str:
    """What nnbook found, in one sentence: the best value, and how the seconds grew."""
    best = max(points, key=lambda p: p.test)
    text = (f"best test accuracy at {sweep.parameter} = {best.value:g} ({percent(best.test)}); "
            f"range {percent(min(p.test for p in points))} – "
            f"{percent(max(p.test for p in points))}")
    if sweep.seconds or sweep.along_epochs:
        first, last = points[0], points[-1]
        what, a, b = (("seconds", first.seconds, last.seconds) if sweep.along_epochs else
                      ("seconds per epoch", first.seconds_per_epoch, last.seconds_per_epoch))
        text += f"; {what} {a:.2f} → {b:.2f} (×{b / a:.1f})"
    return text
