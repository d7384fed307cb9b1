"""Learning-rate decay: schedules step → η that start large and shrink.

Galeone ch. 2, §'Gradient descent', says only that strategies exist which lower the learning
rate during training, to explore with large steps first and settle into a valley with small
ones; the formulas below are Keras' (an addition: not in the source chapter), StepDecay being
Keras' staircase exponential decay under the names of the classic step decay.

A schedule is any callable ``schedule(step) -> float`` of the update number (0 for the first
update). Every :class:`~nnbook.optim.base.Optimizer` accepts one as ``learning_rate`` and
evaluates it at its ``iterations`` before each update, e.g.
``SGD(learning_rate=ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5))``. The steps are
updates (mini-batches), not epochs: with n examples and batch size B an epoch is ⌈n/B⌉ steps.

==========================  ====================================================================
:class:`ExponentialDecay`   η₀ · r^(s/S)  (``staircase``: r^⌊s/S⌋)
:class:`InverseTimeDecay`   η₀ / (1 + r·s/S)  (``staircase``: ⌊s/S⌋); Keras 2's ``decay=r``
                            argument of SGD was this schedule with S = 1
:class:`StepDecay`          η₀ · drop^⌊s/S⌋ = ExponentialDecay(η₀, S, drop, staircase=True)
==========================  ====================================================================
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from nnbook.optim.base import check_learning_rate
from nnbook.validation import check_positive


def _check_step(step) -> int | float:
    if isinstance(step, bool) or not isinstance(step, numbers.Real) or not step >= 0 \
            or not np.isfinite(step):
        raise ValueError(f"step: expected an update number >= 0, found {step!r}")
    return step


class LearningRateSchedule:
    """Base of the schedules: ``schedule(step)`` is η for update number ``step`` (from 0)."""

    def __call__(self, step) -> float:
        return self.rate(_check_step(step))

    def rate(self, step) -> float:
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class ExponentialDecay(LearningRateSchedule):
    """η(s) = η₀ · r^(s/S), Keras' ``ExponentialDecay``: the rate is multiplied by
    ``decay_rate`` r every ``decay_steps`` S updates (continuously, or in jumps with
    ``staircase=True``: r^⌊s/S⌋)."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False):
        self.initial_learning_rate = check_learning_rate(initial_learning_rate)
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.decay_rate = check_positive(decay_rate, "decay_rate")
        self.staircase = bool(staircase)

    def rate(self, step) -> float:
        exponent = step / self.decay_steps
        if self.staircase:
            exponent = math.floor(exponent)
        return self.initial_learning_rate * self.decay_rate ** exponent


class InverseTimeDecay(LearningRateSchedule):
    """η(s) = η₀ / (1 + r · s/S), Keras' ``InverseTimeDecay`` (``staircase``: ⌊s/S⌋). The
    rate falls like 1/s: Σ η(s) diverges while the steps shrink, the classical condition for
    stochastic gradient descent to converge."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False):
        self.initial_learning_rate = check_learning_rate(initial_learning_rate)
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.decay_rate = check_positive(decay_rate, "decay_rate", allow_zero=True)
        self.staircase = bool(staircase)

    def rate(self, step) -> float:
        ratio = step / self.decay_steps
        if self.staircase:
            ratio = math.floor(ratio)
        return self.initial_learning_rate / (1.0 + self.decay_rate * ratio)


class StepDecay(ExponentialDecay):
    """η(s) = η₀ · drop^⌊s/S⌋: constant for ``steps_per_drop`` S updates, then multiplied by
    ``drop`` ∈ (0, 1] (e.g. halved every 10 epochs' worth of updates). The classic step decay
    under its usual names; it is :class:`ExponentialDecay` with ``staircase=True`` (how Keras
    writes it), whose rule it uses."""

    def __init__(self, initial_learning_rate: float, drop: float = 0.5,
                 steps_per_drop: int = 10):
        if isinstance(drop, bool) or not isinstance(drop, numbers.Real) or not 0 < drop <= 1:
            raise ValueError(f"drop: expected a factor in (0, 1], found {drop!r}")
        check_positive(steps_per_drop, "steps_per_drop", integer=True)
        super().__init__(initial_learning_rate, decay_steps=steps_per_drop,
                         decay_rate=float(drop), staircase=True)

    @property
    def drop(self) -> float:
        return self.decay_rate

    @property
    def steps_per_drop(self) -> int:
        return self.decay_steps

    def __repr__(self):
        return (f"StepDecay(initial_learning_rate={self.initial_learning_rate!r}, "
                f"drop={self.drop!r}, steps_per_drop={self.steps_per_drop!r})")


__all__ = ["ExponentialDecay", "InverseTimeDecay", "LearningRateSchedule", "StepDecay"]
