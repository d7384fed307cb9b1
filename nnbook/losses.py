"""Cost functions (Nielsen §1.5).

Shapes: ``a`` and ``y`` are (n, k) — one row per training example x, k output neurons — or
(k,) for a single example.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array


def _pair(a, y):
    a = as_float_array(a, "a (network output)", ndim=(1, 2))
    y = as_float_array(y, "y (desired output)", ndim=(1, 2))
    if a.shape != y.shape:
        raise ValueError(f"a and y must have the same shape; found a {a.shape} and y {y.shape}")
    return np.atleast_2d(a), np.atleast_2d(y)


def quadratic_cost_per_example(a, y) -> np.ndarray:
    """C_x = ‖y(x) − a‖² / 2 for every example (Nielsen §1.5, the decomposition before eq. (18))."""
    a, y = _pair(a, y)
    return 0.5 * np.sum((y - a) ** 2, axis=1)


def quadratic_cost(a, y) -> float:
    """C = (1/2n) Σ_x ‖y(x) − a‖² — Nielsen eq. (6), the mean squared error (均方误差)."""
    return float(np.mean(quadratic_cost_per_example(a, y)))


def quadratic_cost_gradient(a, y) -> np.ndarray:
    """∂C_x/∂a = a − y for each example (the output-layer factor of backpropagation)."""
    a, y = _pair(a, y)
    return a - y
