"""Chapter 1's demos (Nielsen ch. 1): the code the chapter runs and the tour reruns.

Tools for Nielsen's exercise in §1.4 (p.13), a fourth layer that rewrites the digit network's
output in binary: the old output layer has 10 neurons, one per digit d; the new one has 4 sigmoid
neurons, the k-th reading bit k of d (least significant bit first). The premise of the exercise:
the correct old output is ≥ 0.99 and the other nine are ≤ 0.01. Because each new neuron is σ of
a linear function of the old activations, its worst cases sit at the corners of that box, so
:func:`decode_fraction` over all 10 × 2 × 2⁹ = 10,240 corners proves a layer correct for every
allowed activation. The layer itself is the student's to find: nnbook does not ship it.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from nnbook.functional.activations import sigmoid
from nnbook.validation import as_float_array, check_positive


def bits_needed(n_values: int) -> int:
    """⌈log₂ n⌉ binary neurons distinguish n values: 10 digits need 4, since 2⁴ = 16 ≥ 10."""
    check_positive(n_values, "n_values", integer=True)
    return max(1, math.ceil(math.log2(n_values)))


def digit_bits(n_digits: int = 10, n_bits: int = 4) -> np.ndarray:
    """B (n_bits, n_digits) with B[k, d] = bit k of d (least significant first)."""
    digits = np.arange(n_digits)
    return ((digits[None, :] >> np.arange(n_bits)[:, None]) & 1).astype(np.float64)


def corner_activations(high: float = 0.99, low: float = 0.01):
    """Every corner of the premise box: (activations (10240, 10), digits (10240,)).

    For digit d, a_d ∈ {high, 1} and each other a_j ∈ {0, low}.
    """
    rows, digits = [], []
    for d in range(10):
        for correct in (high, 1.0):
            for others in itertools.product((0.0, low), repeat=9):
                a = np.insert(np.array(others), d, correct)
                rows.append(a)
                digits.append(d)
    return np.array(rows), np.array(digits)


def decode_fraction(weights, biases, *, msb_first: bool = False) -> float:
    """Fraction of the 10,240 corners whose 4 outputs, thresholded at 0.5, spell the digit."""
    w = as_float_array(weights, "weights", ndim=2)
    b = as_float_array(biases, "biases", ndim=1)
    if w.shape != (4, 10) or b.shape != (4,):
        raise ValueError(f"expected weights (4, 10) and biases (4,), found {w.shape} and {b.shape}")
    activations, digits = corner_activations()
    bits = (sigmoid(activations @ w.T + b) >= 0.5).astype(int)
    expected = digit_bits()[:, digits].T.astype(int)
    if msb_first:
        expected = expected[:, ::-1]
    return float(np.mean(np.all(bits == expected, axis=1)))


def derivations():
    """Every step-by-step derivation the chapter prints (and the tests verify)."""
    from nnbook.symbolic import activations, descent, neuron

    return [activations.sigmoid_derivative(), neuron.sigmoid_neuron_partials(),
            descent.gradient_step_decrease(), neuron.merged_edge()]


def train_digit_network(epochs: int = 30, seed: int = 0):
    """Nielsen's set-up on the offline 8×8 digits: a 64-30-10 sigmoid net, η = 3, mini-batch 10.

    Returns (network, history, digits). About a second with the Numba kernel.
    """
    from nnbook.data import load_digits
    from nnbook.models.network import Network

    digits = load_digits()
    rng = np.random.default_rng(seed)
    net = Network((digits.X_train.shape[1], 30, 10), rng=rng)
    history = net.sgd(digits.X_train, digits.y_train, epochs=epochs, batch_size=10, eta=3.0,
                      rng=rng, test=(digits.X_test, digits.y_test), progress=False)
    return net, history, digits
