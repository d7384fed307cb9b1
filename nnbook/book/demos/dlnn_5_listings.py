"""The short code listings of 《深度学习与神经网络》第5章, ported to Python 3 with their bugs.

§5.2.5 prints eight activation functions under the names ``sigmoid``, ``sigmoid_prime``,
``ReLU``, ``ReLU_prime``, ``lReLU``, ``lReLU_prime``, ``tanh``, ``tanh_prime``; §5.2.7 a
TensorFlow 1 ``binary_crossentropy``; §5.3.2 a numpy ``softmax``. Each is re-implemented here
under the book's name, doing what the printed code does — faults included — with the fault
named in its docstring and a pointer to nnbook's correct function (:data:`CORRECT` maps each
name to it). Two printed *formulas* are here too, because their sign is wrong: the
cross-entropy (5-29) and the softmax (5-30).

Use these to see the bugs; use :mod:`nnbook.functional.activations` and
:mod:`nnbook.functional.losses` for everything else. The book's vectorised network (its
dropout bugs) is :class:`nnbook.models.neural_net.NeuralNet` with ``book_literal=True``.
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.functional import activations as act
from nnbook.functional.losses import BinaryCrossEntropy


def sigmoid(z):
    """1 / (1 + e^{−z}) as printed (5-24). Correct values; the printed form overflows in
    e^{−z} for z < −709 (numpy warns; the result 0 is still right — silenced here).
    nnbook: :func:`nnbook.functional.activations.sigmoid` (no overflow)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_prime(z):
    """σ(z)(1 − σ(z)) as printed: correct.
    nnbook: :func:`~nnbook.functional.activations.sigmoid_prime`."""
    return sigmoid(z) * (1 - sigmoid(z))


def ReLU(z):  # noqa: N802 (the book's name)
    """z·[z > 0] as printed (5-27): correct values, but −0.0 for negative z.
    nnbook: :func:`~nnbook.functional.activations.relu`."""
    z = np.asarray(z)
    return z * (z > 0)


def ReLU_prime(z):  # noqa: N802
    """1·[z ≥ 0] as printed: an *integer* array, and 1 at z = 0, where (5-27)'s ReLU has no
    derivative (a convention: nnbook's :func:`~nnbook.functional.activations.relu_prime` uses
    the left derivative 0 and returns floats)."""
    return 1 * (np.asarray(z) >= 0)


def lReLU(z):  # noqa: N802
    """max(z/100, z) as printed: correct (slope 1/100 for z < 0).
    nnbook: :func:`~nnbook.functional.activations.leaky_relu` with ``gamma=0.01``."""
    z = np.asarray(z)
    return np.maximum(z / 100, z)


def lReLU_prime(z):  # noqa: N802
    """BUG as printed: starts from the integer array 1·[z ≥ 0] and writes 1/100 into its zeros,
    which truncates to 0 — so the slope for z < 0 comes out 0, not 0.01 (for integer and float
    z alike), and the result is an integer array. Fix: start from floats,
    ``np.where(z >= 0, 1.0, 0.01)``; nnbook: :func:`~nnbook.functional.activations.leaky_relu_prime`
    with ``gamma=0.01`` (which takes 0.01 at z = 0, the left derivative; the book takes 1)."""
    slope = 1 * (np.asarray(z) >= 0)
    slope[slope == 0] = 1 / 100     # assigned into an integer array: becomes 0
    return slope


def tanh(z):
    """tanh z (5-25) as printed: correct. nnbook: :func:`~nnbook.functional.activations.tanh`."""
    return np.tanh(z)


def tanh_prime(z):
    """1 − tanh²z as printed: correct. nnbook: :func:`~nnbook.functional.activations.tanh_prime`."""
    return 1 - tanh(z) ** 2


def binary_crossentropy(t, o, eps=1e-7):
    """−(t ln(o + ε) + (1 − t) ln(1 − o + ε)), element by element, as the §5.2.7 listing.

    Faults of the printed listing: it calls ``tf.log``, which exists in TensorFlow 1 only
    (``tf.math.log`` since TensorFlow 2; numpy here); ``eps`` is never defined (a parameter
    here, 1e-7); it returns one loss per entry, without the mean over n of (5-29); and the ε
    shift makes the loss of a perfect prediction −ln(1 + ε) < 0 instead of 0. Its sign is
    right — unlike the printed formula, :func:`cross_entropy_as_printed`.
    nnbook: :class:`nnbook.functional.losses.BinaryCrossEntropy` (mean, clipped, exact at 0/1).
    """
    t, o = np.asarray(t, dtype=float), np.asarray(o, dtype=float)
    return -(t * np.log(o + eps) + (1.0 - t) * np.log(1.0 - o + eps))


def cross_entropy_as_printed(y, sigma):
    """(5-29) as printed: C = (1/n) Σ_i [y_i ln σ_i + (1 − y_i) ln(1 − σ_i)] — the leading
    minus is missing, so C ≤ 0 and minimising it would push predictions *away* from the
    labels. Correct: C = −(1/n) Σ_i […], nnbook's
    :class:`~nnbook.functional.losses.BinaryCrossEntropy`.
    ``y``, ``sigma``: (n,) labels and predicted probabilities in (0, 1)."""
    y, sigma = np.asarray(y, dtype=float), np.asarray(sigma, dtype=float)
    return float(np.mean(y * np.log(sigma) + (1 - y) * np.log(1 - sigma)))


def softmax(x):
    """e^{x} / Σ e^{x} as the §5.3.2 listing: right for one small vector, two bugs otherwise.

    * No shift by the maximum: e^{x} overflows for x ≳ 710, so ``softmax([1000, 1001])`` is
      [nan, nan] (numpy's overflow warnings are silenced here, the NaNs kept).
    * ``np.sum`` over *all* axes: a batch of rows is normalised as one big vector, so no row
      sums to 1.

    The listing's e^{+x} is right; the printed formula (5-30) is not (:func:`softmax_as_printed`).
    nnbook: :func:`nnbook.functional.activations.softmax` (shifted, per row with ``axis``).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        exp_x = np.exp(np.asarray(x, dtype=float))
        return exp_x / np.sum(exp_x)


def softmax_as_printed(O):  # noqa: N803 (the book's symbol)
    """(5-30) as printed: e^{−O_i} / Σ_j e^{−O_j}, and only for i = 1, …, C − 1.

    The sign reverses the ranking (the largest output gets the smallest probability) and the
    last class is left out, so the C − 1 values returned do not sum to 1. Correct:
    e^{O_i} / Σ_{j=1}^{C} e^{O_j} for i = 1, …, C (nnbook's softmax); and the denominator is the
    sum of the exponentials, not "a sum of log-probabilities" as the text calls it.
    ``O``: (C,) outputs."""
    e = np.exp(-np.asarray(O, dtype=float))
    return (e / e.sum())[:-1]


#: The book's name → nnbook's correct function (with the book's constants bound).
CORRECT = {
    "sigmoid": act.sigmoid,
    "sigmoid_prime": act.sigmoid_prime,
    "ReLU": act.relu,
    "ReLU_prime": act.relu_prime,
    "lReLU": functools.partial(act.leaky_relu, gamma=0.01),
    "lReLU_prime": functools.partial(act.leaky_relu_prime, gamma=0.01),
    "tanh": act.tanh,
    "tanh_prime": act.tanh_prime,
    "binary_crossentropy": BinaryCrossEntropy(),
    "softmax": functools.partial(act.softmax, axis=-1),
}


def bug_table() -> list[dict]:
    """One row per printed fault: the book's code, the input that shows it, both outputs.

    Keys: ``name``, ``input``, ``book`` (what the port returns), ``correct`` (nnbook's value),
    ``fault`` (one line). For the chapter and the tour; the tests check every row.
    """
    z = np.array([-5, -1, 1, 5])          # an integer array, away from the kink at 0
    big = np.array([1000.0, 1001.0])
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    labels, probs = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
    outputs = np.array([1.0, 2.0, 3.0])
    return [
        {"name": "lReLU_prime", "input": z, "book": lReLU_prime(z),
         "correct": CORRECT["lReLU_prime"](z),
         "fault": "1/100 written into an integer array truncates to 0"},
        {"name": "softmax", "input": big, "book": softmax(big), "correct": CORRECT["softmax"](big),
         "fault": "no shift by the maximum: e^x overflows, giving NaN"},
        {"name": "softmax", "input": batch, "book": softmax(batch),
         "correct": CORRECT["softmax"](batch),
         "fault": "sums over every axis: the rows of a batch do not sum to 1"},
        {"name": "(5-30)", "input": outputs, "book": softmax_as_printed(outputs),
         "correct": CORRECT["softmax"](outputs),
         "fault": "e^{-O}: the ranking is reversed and the last class is missing"},
        {"name": "(5-29)", "input": (labels, probs),
         "book": cross_entropy_as_printed(labels, probs),
         "correct": CORRECT["binary_crossentropy"](probs, labels),
         "fault": "no leading minus: the printed cost is the negative of the cross-entropy"},
        {"name": "binary_crossentropy", "input": (labels, labels),
         "book": binary_crossentropy(labels, labels),
         "correct": CORRECT["binary_crossentropy"](labels, labels),
         "fault": "element-wise, not averaged; eps undefined in the listing; tf.log is TF1 only"},
    ]
