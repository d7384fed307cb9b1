"""Stochastic gradient descent, optionally with momentum or Nesterov momentum.

The plain step is 陈强 (15.31)–(15.32) and Nielsen eqs. (20)–(21): θ ← θ − η ∂L/∂θ, with the
gradient averaged over the mini-batch (nnbook's losses already divide by the batch size, so
B = 1 is stochastic and B = n batch gradient descent). Galeone ch. 2 calls it the "vanilla"
update (§'Vanilla'). With momentum μ > 0 a velocity per parameter remembers past steps,
v ← μv − η ∂L/∂θ, θ ← θ + v (Keras' form; Galeone §'Momentum', reconstructed there, as the
source's formula images are lost). Vanilla and momentum are this one rule, with μ = 0 and μ > 0.

Nesterov momentum (``nesterov=True``; not in the source chapter) in Keras' form:

    v ← μv − η g,      θ ← θ + μv − η g

— the classical look-ahead v ← μv − η ∇L(θ + μv), θ ← θ + v written for the stored variable
φ = θ + μv, so the gradient is taken at the stored parameters
(:func:`nnbook.symbolic.optimizers.nesterov_lookahead` derives the equivalence).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.optim.base import Optimizer, check_learning_rate, check_step_arrays


def check_momentum(momentum) -> float:
    if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) \
            or not 0 <= momentum < 1:
        raise ValueError(f"momentum: expected a number in [0, 1), found {momentum!r}")
    return float(momentum)


def sgd_update(value, grad, velocity, *, learning_rate: float, momentum: float,
               nesterov: bool = False) -> None:
    """The rule in place: v ← μv − η·grad, then θ ← θ + v (or, Nesterov, θ ← θ + μv − η·grad);
    with ``velocity`` None (no momentum), θ ← θ − η·grad."""
    if velocity is None:
        value -= learning_rate * grad
        return
    velocity *= momentum
    velocity -= learning_rate * grad
    if nesterov:
        value += momentum * velocity
        value -= learning_rate * grad
    else:
        value += velocity


def check_nesterov(nesterov) -> bool:
    if not isinstance(nesterov, (bool, np.bool_)):
        raise TypeError(f"nesterov: expected True or False, found {nesterov!r}")
    return bool(nesterov)


def sgd_step(value, grad, velocity=None, *, learning_rate: float, momentum: float = 0.0,
             nesterov: bool = False):
    """One SGD step as a pure function: returns (new value, new velocity).

    value, grad and velocity have one shape; ``velocity`` None means zero (the first step).
    Without momentum the velocity is simply −η·grad (and ``nesterov`` changes nothing).
    """
    learning_rate = check_learning_rate(learning_rate)
    momentum = check_momentum(momentum)
    nesterov = check_nesterov(nesterov)
    new_value, grad, states = check_step_arrays(value, grad, velocity=velocity)
    new_velocity = np.zeros_like(new_value)
    if momentum and velocity is not None:
        new_velocity[...] = states["velocity"]
    sgd_update(new_value, grad, new_velocity, learning_rate=learning_rate, momentum=momentum,
               nesterov=nesterov)
    return new_value, new_velocity


class SGD(Optimizer):
    """Mini-batch gradient descent (陈强 (15.32)) with optional momentum μ ∈ [0, 1), plain or
    Nesterov; Keras' defaults (η = 0.01, μ = 0, nesterov False). ``learning_rate`` may be a
    schedule (:mod:`nnbook.optim.schedules`)."""

    def __init__(self, learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(learning_rate)
        self.momentum = check_momentum(momentum)
        self.nesterov = check_nesterov(nesterov)

    def initial_state(self, param):
        return {"velocity": np.zeros_like(param.value) if self.momentum else None}

    def update(self, value, grad, state):
        sgd_update(value, grad, state["velocity"], learning_rate=self.current_learning_rate,
                   momentum=self.momentum, nesterov=self.nesterov)

    def __repr__(self):
        nesterov = ", nesterov=True" if self.nesterov else ""
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum}{nesterov})"
