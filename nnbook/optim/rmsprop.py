"""RMSprop (Hinton's lecture 6e; Keras' form), used by Gulli & Pal ch. 1 (the RMSprop run).

A running average of squared gradients scales each parameter's step:

    v ← ρ v + (1 − ρ) g²,      θ ← θ − η g / √(v + ε)

so directions with large recent gradients take smaller steps. Keras' defaults: η = 0.001,
ρ = 0.9, ε = 1e-7 (ε inside the root, as Keras computes it).
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


def check_unit_interval(value, name: str) -> float:
    """A number in [0, 1), or ValueError (decay rates ρ, β₁, β₂)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name}: expected a number in [0, 1), found {value!r}")
    return float(value)


def check_epsilon(value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0 \
            or not np.isfinite(value):
        raise ValueError(f"epsilon: expected a small finite number > 0, found {value!r}")
    return float(value)


def rmsprop_update(value, grad, mean_square, *, learning_rate: float, rho: float,
                   epsilon: float) -> None:
    """The rule in place: v ← ρv + (1 − ρ)g², θ ← θ − ηg/√(v + ε) (v = ``mean_square``)."""
    mean_square *= rho
    mean_square += (1.0 - rho) * grad * grad
    value -= learning_rate * grad / np.sqrt(mean_square + epsilon)


def rmsprop_step(value, grad, mean_square=None, *, learning_rate: float = 0.001,
                 rho: float = 0.9, epsilon: float = 1e-7):
    """One RMSprop step as a pure function: returns (new value, new mean square v).

    ``mean_square`` None means v = 0 (the first step). Shapes: value, grad, v alike.
    """
    learning_rate = check_learning_rate(learning_rate)
    rho, epsilon = check_unit_interval(rho, "rho"), check_epsilon(epsilon)
    new_value, grad, states = check_step_arrays(value, grad, mean_square=mean_square)
    check_nonnegative_state(states["mean_square"], "mean_square")
    v = np.zeros_like(new_value)
    if mean_square is not None:
        v[...] = states["mean_square"]
    rmsprop_update(new_value, grad, v, learning_rate=learning_rate, rho=rho, epsilon=epsilon)
    return new_value, v


class RMSprop(Optimizer):
    """RMSprop on Params; Keras' defaults (learning rate 0.001, ρ 0.9, ε 1e-7)."""

    def __init__(self, learning_rate=0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = check_unit_interval(rho, "rho")
        self.epsilon = check_epsilon(epsilon)

    def initial_state(self, param):
        return {"mean_square": np.zeros_like(param.value)}

    def update(self, value, grad, state):
        rmsprop_update(value, grad, state["mean_square"], learning_rate=self.current_learning_rate,
                       rho=self.rho, epsilon=self.epsilon)

    def __repr__(self):
        return f"RMSprop(learning_rate={self.learning_rate}, rho={self.rho}, epsilon={self.epsilon})"
