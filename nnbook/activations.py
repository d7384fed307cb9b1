"""Activation functions with their derivatives (Nielsen §1.2, eqs. (3)–(4)).

Each function takes a scalar or an array ``z`` of any shape and returns float64 of the same
shape. The sigmoid is evaluated without overflow for any finite ``z`` (no warnings).
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{−z})  — Nielsen eq. (3), the logistic function.

    Computed as ``exp(-logaddexp(0, -z))`` so that z = ±1e4 gives 1 and 0 without overflow.
    """
    z = as_float_array(z, "z")
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z)), the derivative used in eq. (5) and in backpropagation."""
    s = sigmoid(z)
    return s * (1.0 - s)


def step(z):
    """The perceptron's step: 1 where z > 0, 0 where z ≤ 0 (Nielsen §1.2, footnote 2).

    Note ``step(0) == 0``: the perceptron of eq. (2) outputs 0 on the boundary, unlike the
    Heaviside convention H(0) = 1.
    """
    z = as_float_array(z, "z")
    return (z > 0).astype(np.float64)
