"""AdaGrad (Duchi, Hazan & Singer 2011) in Keras' form — an addition: not in the source chapter.

Galeone ch. 2 names AdaGrad only as one of the adaptive methods (§'Mini-batch Gradient Descent'
and §'ADAM'). Each parameter keeps the running *sum* of its squared gradients, and its step is
the learning rate divided by the root of that sum:

    G ← G + g²,        θ ← θ − η g / √(G + ε)

with G starting at ``initial_accumulator_value``. Keras' defaults: η = 0.001, G₀ = 0.1,
ε = 1e-7, ε inside the root as Keras 3 computes it (TensorFlow 2.0's Adagrad wrote
η g / (√G + ε); the two differ by O(ε) only).

A parameter whose gradient is often large (a frequent feature) piles up G quickly and takes
ever smaller steps; one whose gradient is rarely non-zero (a rare feature) keeps a small G and
so takes *larger* steps when its feature does appear. The source states this the other way
round in §'Mini-batch Gradient Descent' ("smaller steps for the parameters of low-frequency
features"); that sentence is reversed — rare features get the larger steps, as the source
itself says in §'ADAM'. Because G only grows, every effective rate η/√G decays towards 0 — the
weakness RMSprop (:mod:`nnbook.optim.rmsprop`) fixes by averaging instead of summing.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.optim.base import (
    Optimizer,
    check_learning_rate,
    check_nonnegative_state,
    check_step_arrays,
)
from nnbook.optim.rmsprop import check_epsilon


def check_initial_accumulator_value(value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0 \
            or not np.isfinite(value):
        raise ValueError(f"initial_accumulator_value: expected a finite number >= 0, "
                         f"found {value!r}")
    return float(value)


def adagrad_update(value, grad, accumulator, *, learning_rate: float, epsilon: float) -> None:
    """The rule in place: G ← G + g², θ ← θ − η g/√(G + ε) (G = ``accumulator``)."""
    accumulator += grad * grad
    value -= learning_rate * grad / np.sqrt(accumulator + epsilon)


def adagrad_step(value, grad, accumulator=None, *, learning_rate: float = 0.001,
                 initial_accumulator_value: float = 0.1, epsilon: float = 1e-7):
    """One AdaGrad step as a pure function: returns (new value, new accumulator G).

    ``accumulator`` None means G = ``initial_accumulator_value`` everywhere (the first step).
    Shapes: value, grad, accumulator alike.
    """
    learning_rate = check_learning_rate(learning_rate)
    initial = check_initial_accumulator_value(initial_accumulator_value)
    epsilon = check_epsilon(epsilon)
    new_value, grad, states = check_step_arrays(value, grad, accumulator=accumulator)
    check_nonnegative_state(states["accumulator"], "accumulator")
    new_accumulator = np.full_like(new_value, initial)
    if accumulator is not None:
        new_accumulator[...] = states["accumulator"]
    adagrad_update(new_value, grad, new_accumulator, learning_rate=learning_rate, epsilon=epsilon)
    return new_value, new_accumulator


class Adagrad(Optimizer):
    """AdaGrad on Params; Keras' defaults (learning rate 0.001, G₀ = 0.1, ε = 1e-7).
    ``learning_rate`` may be a schedule (:mod:`nnbook.optim.schedules`)."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.initial_accumulator_value = check_initial_accumulator_value(
            initial_accumulator_value)
        self.epsilon = check_epsilon(epsilon)

    def initial_state(self, param):
        return {"accumulator": np.full_like(param.value, self.initial_accumulator_value)}

    def update(self, value, grad, state):
        adagrad_update(value, grad, state["accumulator"],
                       learning_rate=self.current_learning_rate, epsilon=self.epsilon)

    def __repr__(self):
        return (f"Adagrad(learning_rate={self.learning_rate}, initial_accumulator_value="
                f"{self.initial_accumulator_value}, epsilon={self.epsilon})")
