"""Dropout as pure functions: the Bernoulli mask, the direct scheme and the inverted scheme.

Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2, §'Dropout', §'How dropout
works', §'Inverted dropout'; Srivastava et al. 2014. The source's formulas are lost images; the
ones below are reconstructions from its surviving text.

**Two probabilities — say which one.** A unit is *dropped* with probability p and *kept* with
probability q = 1 − p; the mask entry is d ~ Bernoulli(q), P(d = 1) = q, P(d = 0) = p. Keras'
``Dropout(rate)`` and TF 2's ``tf.nn.dropout(x, rate=…)`` take the DROP probability p; TF 1's
``tf.nn.dropout(x, keep_prob=…)`` took the KEEP probability q. Every function here takes
``keep_prob`` = q; :class:`nnbook.layers.Dropout` takes ``rate`` = p, as Keras does.

The two schemes (reconstructed), for an activation a and its mask entry d:

=============  ======================  ==================
scheme         training                inference (test)
=============  ======================  ==================
direct         d · a                   q · a
inverted       d · a / q               a
=============  ======================  ==================

Both make the inference output the expected training output: E[d a] = q a and E[d a / q] = a.
The inverted scheme moves the correction into training, so the inference graph needs no
change — why frameworks (TensorFlow, Keras, nnbook's layer) implement it. The variance over
masks is a² q (1 − q) for direct and a² (1 − q)/q for inverted (an addition, not in the source
chapter). Every output is a times a factor that does not depend on a, so the map is linear and
diagonal in a: its backward pass is the same function applied to ∂L/∂(output).

A layer of n units has 2ⁿ masks, hence 2ⁿ "thinned" networks sharing their weights (the
ensemble reading of §'Dropout'): :func:`thinned_network_count`.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.validation import as_float_array

SCHEMES = ("direct", "inverted")


def check_keep_prob(keep_prob) -> float:
    """``keep_prob`` = q as a float in (0, 1] (q = 0 would drop every unit), else a ValueError."""
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real) \
            or not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"keep_prob: expected the KEEP probability q = 1 - p in (0, 1], found "
                         f"{keep_prob!r} (Keras' Dropout(rate) takes the drop probability p)")
    return float(keep_prob)


def check_scheme(scheme) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme: expected one of {SCHEMES}, found {scheme!r}")
    return scheme


def bernoulli_mask(shape, keep_prob, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """A 0/1 array of ``shape``: each entry is 1 (kept) with probability q = ``keep_prob``.

    Drawn as u ≥ p with u ~ U[0, 1) from ``rng`` (a numpy Generator), p = 1 − q — the draw
    :class:`nnbook.layers.Dropout` has always used, so seeded masks stay what they were.
    """
    keep_prob = check_keep_prob(keep_prob)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")
    shape = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(shape, (tuple, list)) or not all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in shape):
        raise TypeError(f"shape: expected a tuple of ints, found {shape!r}")
    shape = tuple(int(d) for d in shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"shape: expected sizes >= 0, found {shape}")
    return (rng.random(shape) >= 1.0 - keep_prob).astype(dtype)


def dropout_factor(mask, keep_prob: float, training: bool, scheme: str):
    """What the activations are multiplied by: mask/q or 1 (inverted), mask or q (direct).

    No checks (the callers make them); a scalar at inference, an array of the mask's shape
    in training. Returned factors are also the backward pass: ∂(output)/∂a = factor.
    """
    if scheme == "inverted":
        return mask / keep_prob if training else 1.0
    return mask if training else keep_prob


def _checked(a, mask, keep_prob, training, scheme):
    scheme = check_scheme(scheme)
    keep_prob = check_keep_prob(keep_prob)
    a = as_float_array(a, "a")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training: expected True or False, found {training!r}")
    if not training:
        return a, None, keep_prob
    if mask is None:
        raise ValueError("mask: training needs a 0/1 mask of the activations' shape (see "
                         "bernoulli_mask); only inference runs without one")
    mask = as_float_array(mask, "mask")
    if mask.shape != a.shape:
        raise ValueError(f"mask: expected the activations' shape {a.shape}, found {mask.shape}")
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError("mask: expected entries 0 (dropped) or 1 (kept)")
    return a, mask.astype(a.dtype, copy=False), keep_prob


def dropout_direct(a, mask, keep_prob: float, training: bool = True) -> np.ndarray:
    """Direct dropout (reconstructed): training d ⊙ a, inference q · a (``mask`` unused there).

    ``a``: activations of any shape; ``mask``: 0/1 of the same shape (1 = kept) or None at
    inference; ``keep_prob`` = q. Returns a new array; the inputs are not changed.
    """
    a, mask, keep_prob = _checked(a, mask, keep_prob, training, "direct")
    return a * dropout_factor(mask, keep_prob, training, "direct")


def dropout_inverted(a, mask, keep_prob: float, training: bool = True) -> np.ndarray:
    """Inverted dropout (reconstructed): training d ⊙ a / q, inference a (a copy).

    Arguments as in :func:`dropout_direct`.
    """
    a, mask, keep_prob = _checked(a, mask, keep_prob, training, "inverted")
    return a * dropout_factor(mask, keep_prob, training, "inverted")


def dropout_variance(a, keep_prob: float, scheme: str = "inverted") -> np.ndarray:
    """Variance over masks of the training output for activations ``a`` (an addition).

    Direct: a² q (1 − q); inverted: a² (1 − q)/q — larger, since 1/q ≥ 1 scales the noise too.
    """
    scheme = check_scheme(scheme)
    keep_prob = check_keep_prob(keep_prob)
    a = as_float_array(a, "a")
    if scheme == "direct":
        return a ** 2 * keep_prob * (1.0 - keep_prob)
    return a ** 2 * (1.0 - keep_prob) / keep_prob


def thinned_network_count(n_units: int) -> int:
    """2ⁿ: how many thinned networks dropout samples from with ``n_units`` droppable units."""
    if isinstance(n_units, bool) or not isinstance(n_units, numbers.Integral) or n_units < 0:
        raise ValueError(f"n_units: expected an int >= 0, found {n_units!r}")
    return 2 ** int(n_units)


__all__ = [
    "SCHEMES",
    "bernoulli_mask",
    "check_keep_prob",
    "dropout_direct",
    "dropout_factor",
    "dropout_inverted",
    "dropout_variance",
    "thinned_network_count",
]
