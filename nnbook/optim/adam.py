"""Adam (Kingma & Ba 2015), used by Gulli & Pal ch. 1 (the Adam run, their best).

Running averages of the gradient (m) and of its square (v), with bias correction because both
start at 0. At step t = 1, 2, …:

    m ← β₁ m + (1 − β₁) g,      v ← β₂ v + (1 − β₂) g²,
    θ ← θ − α_t m / (√v + ε),   α_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)

— Kingma & Ba's Algorithm 1 in the "more efficient order" of their §2, which is also what
Keras computes; it equals θ − η m̂ / (√v̂ + ε̂) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) and
ε̂ = ε/√(1 − β₂ᵗ). The first step is therefore ≈ −η·sign(g). Keras' defaults: η = 0.001,
β₁ = 0.9, β₂ = 0.999, ε = 1e-7.

Galeone ch. 2 (§'ADAM') writes the update with ε added to the bias-corrected root,
θ ← θ − η m̂ / (√v̂ + ε). nnbook keeps Keras' placement above, which is the same formula with
ε replaced by ε̂ = ε/√(1 − β₂ᵗ): the two differ only through ε (at t = 1 the steps are
−η g/(abs(g) + ε) and −η g/(abs(g) + ε/√(1 − β₂)), where ε/√(1 − β₂) ≈ 32 ε for β₂ = 0.999),
and agree as t grows and ε̂ → ε.
:func:`nnbook.symbolic.optimizers.adam_epsilon_placement` derives the relation.
"""

from __future__ import annotations

import math

import numpy as np

from nnbook.optim.base import (
    Optimizer,
    check_learning_rate,
    check_nonnegative_state,
    check_step_arrays,
)
from nnbook.optim.rmsprop import check_epsilon, check_unit_interval
from nnbook.validation import check_positive


def adam_update(value, grad, m, v, t: int, *, learning_rate: float, beta_1: float,
                beta_2: float, epsilon: float) -> None:
    """The rule in place for step number ``t`` (from 1): updates ``value``, ``m`` and ``v``."""
    m *= beta_1
    m += (1.0 - beta_1) * grad
    v *= beta_2
    v += (1.0 - beta_2) * (grad * grad)
    alpha = learning_rate * math.sqrt(1.0 - beta_2 ** t) / (1.0 - beta_1 ** t)   # a Python float
    value -= alpha * m / (np.sqrt(v) + epsilon)


def adam_step(value, grad, m=None, v=None, t: int = 1, *, learning_rate: float = 0.001,
              beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7):
    """One Adam step as a pure function: returns (new value, new m, new v).

    ``t`` counts steps from 1 (this step's number, for the bias correction); ``m`` and ``v`` None
    mean 0 (the first step). Shapes: value, grad, m, v alike.
    """
    learning_rate = check_learning_rate(learning_rate)
    beta_1, beta_2 = check_unit_interval(beta_1, "beta_1"), check_unit_interval(beta_2, "beta_2")
    epsilon = check_epsilon(epsilon)
    check_positive(t, "t", integer=True)
    new_value, grad, states = check_step_arrays(value, grad, m=m, v=v)
    check_nonnegative_state(states["v"], "v")
    new_m, new_v = np.zeros_like(new_value), np.zeros_like(new_value)
    if m is not None:
        new_m[...] = states["m"]
    if v is not None:
        new_v[...] = states["v"]
    adam_update(new_value, grad, new_m, new_v, t, learning_rate=learning_rate, beta_1=beta_1,
                beta_2=beta_2, epsilon=epsilon)
    return new_value, new_m, new_v


class Adam(Optimizer):
    """Adam on Params with bias correction; Keras' defaults (0.001, β 0.9 / 0.999, ε 1e-7)."""

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.beta_1 = check_unit_interval(beta_1, "beta_1")
        self.beta_2 = check_unit_interval(beta_2, "beta_2")
        self.epsilon = check_epsilon(epsilon)

    def initial_state(self, param):
        return {"m": np.zeros_like(param.value), "v": np.zeros_like(param.value), "t": 0}

    def update(self, value, grad, state):
        state["t"] += 1
        adam_update(value, grad, state["m"], state["v"], state["t"],
                    learning_rate=self.current_learning_rate, beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon)

    def __repr__(self):
        return (f"Adam(learning_rate={self.learning_rate}, beta_1={self.beta_1}, "
                f"beta_2={self.beta_2}, epsilon={self.epsilon})")
