"""Gradient descent on a cost C(v) of any number of variables (Nielsen §1.5, eqs. (7)–(19)).

These functions work on plain vectors ``v`` (m,), so the chapter can show the method on the
valley C = v1² + v2² before applying it to a network's weights and biases.
"""

from __future__ import annotations

import numpy as np

from nnbook.optim.sgd import sgd_step
from nnbook.validation import as_float_array, check_positive


def valley(v) -> np.ndarray:
    """C(v) = v1² + v2² — the bowl of Nielsen's valley figure (works for any m, last axis)."""
    v = as_float_array(v, "v")
    return np.sum(v ** 2, axis=-1)


def valley_gradient(v) -> np.ndarray:
    """∇C = 2v for the valley (eq. (8))."""
    return 2.0 * as_float_array(v, "v")


def gradient_descent(grad, v0, eta: float, steps: int) -> np.ndarray:
    """Repeat v → v' = v − η∇C(v) (eqs. (10)–(11), (15)); return the path (steps + 1, m).

    ``grad`` maps a vector (m,) to the gradient (m,); the path starts at ``v0``.
    """
    if not callable(grad):
        raise TypeError(f"grad: expected a function v -> ∇C(v), found {type(grad).__name__}")
    check_positive(eta, "eta")
    check_positive(steps, "steps", integer=True, allow_zero=True)
    v = as_float_array(v0, "v0", ndim=(0, 1)).copy()
    path = np.empty((steps + 1,) + v.shape)
    path[0] = v
    for t in range(steps):
        g = as_float_array(grad(v), "grad(v)")
        if g.shape != v.shape:
            raise ValueError(f"grad(v): expected shape {v.shape}, found {g.shape}")
        v, _ = sgd_step(v, g, learning_rate=eta)
        path[t + 1] = v
    return path


def linear_change_estimate(gradient, delta_v) -> float:
    """ΔC ≈ ∇C · Δv — eqs. (7), (9), (12): the first-order change of C for a small move Δv."""
    g = as_float_array(gradient, "gradient", ndim=1)
    d = as_float_array(delta_v, "delta_v", ndim=1)
    if g.shape != d.shape:
        raise ValueError(f"gradient and delta_v must have the same shape; found {g.shape}, {d.shape}")
    return float(g @ d)


def steepest_descent_step(gradient, epsilon: float) -> np.ndarray:
    """The move Δv of length ε that decreases C the most to first order: −ε ∇C/‖∇C‖.

    Cauchy–Schwarz gives ∇C·Δv ≥ −‖∇C‖‖Δv‖ with equality only along −∇C (Nielsen §1.5, the exercise on p.18),
    which is why eq. (10) uses Δv = −η∇C with η = ε/‖∇C‖. Undefined when ∇C = 0.
    """
    g = as_float_array(gradient, "gradient", ndim=1)
    check_positive(epsilon, "epsilon")
    norm = np.linalg.norm(g)
    if norm == 0:
        raise ValueError("gradient is zero: every direction is stationary to first order, "
                         "so no steepest direction exists")
    return -epsilon * g / norm


def second_partial_counts(m: int) -> tuple[int, int]:
    """How many second partials ∂²C/∂v_j∂v_k a cost of m variables has: all of them (m²) and the
    distinct ones, m(m+1)/2, since the mixed partials are symmetric (§1.5, footnote 4)."""
    check_positive(m, "m", integer=True)
    return m * m, m * (m + 1) // 2


def minibatch_gradient(per_example_gradients, batch_size: int, rng) -> np.ndarray:
    """Estimate ∇C by the mean of ∇C_{X_j} over a random mini-batch (eqs. (18)–(19)).

    ``per_example_gradients`` is (n, m): the gradient of each C_x. The mini-batch of
    ``batch_size`` examples is drawn without replacement by ``rng``.
    """
    grads = as_float_array(per_example_gradients, "per_example_gradients", ndim=2)
    check_positive(batch_size, "batch_size", integer=True)
    if batch_size > grads.shape[0]:
        raise ValueError(f"batch_size: expected at most n = {grads.shape[0]}, found {batch_size}")
    chosen = np.random.default_rng(rng).choice(grads.shape[0], size=batch_size, replace=False)
    return grads[chosen].mean(axis=0)
