"""Activation functions with their derivatives (Nielsen §1.2, eqs. (3)–(4); 陈强 §15.4, (15.10)–(15.18)).

Each function takes a scalar or an array ``z`` of any shape and returns float64 of the same
shape. Every function is evaluated without overflow for any finite ``z`` and emits no warning
even under ``np.errstate(all="raise")``: results that underflow (e.g. e^{−10000}) are exactly the
intended 0, so underflow is silenced locally.

Chapter 2 (陈强 ch. 15) adds tanh, ReLU, leaky ReLU, softplus, the perceptron's sign (15.8), the
softmax output and a name → (f, f′) table, :data:`ACTIVATIONS`, for layers (``get_activation``).
《深度学习与神经网络》第5章 adds the Gaussian (5-26) (the rest of its family (5-22)–(5-27) is
here already: linear, step, sigmoid, tanh, ReLU; its printed code, bugs included, is ported in
:mod:`nnbook.book.demos.dlnn_5_listings`). Galeone's ch. 2 adds ELU (its activation figure).
Where a derivative does not exist (ReLU and leaky ReLU at z = 0) the left derivative is used.

Each function checks its input (:func:`checks_z`); layers, which pass arrays they computed
themselves, call the same formula without the check as ``f.unchecked`` (e.g. ``relu.unchecked``).
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.validation import as_float_array, check_positive


def checks_z(formula):
    """Decorator: the public function turns ``z`` into a finite float array (or raises, naming
    the problem) and then evaluates ``formula``; ``formula`` itself stays reachable as
    ``.unchecked`` for callers whose ``z`` is checked already (the layers)."""
    @functools.wraps(formula)
    def checked(z, *args, **kwargs):
        return formula(as_float_array(z, "z"), *args, **kwargs)

    checked.unchecked = formula
    return checked


@checks_z
def sigmoid(z):
    """σ(z) = 1 / (1 + e^{−z})  — Nielsen eq. (3), the logistic function.

    Computed as ``exp(-logaddexp(0, -z))`` so that z = ±1e4 gives 1 and 0 without overflow.
    """
    with np.errstate(under="ignore"):
        return np.exp(-np.logaddexp(0.0, -z))


@checks_z
def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z)), the derivative used in eq. (5) and in backpropagation."""
    s = sigmoid.unchecked(z)
    with np.errstate(under="ignore"):
        return s * (1.0 - s)


@checks_z
def step(z):
    """The perceptron's step: 1 where z > 0, 0 where z ≤ 0 (Nielsen §1.2, footnote 2).

    Note ``step(0) == 0``: the perceptron of eq. (2) outputs 0 on the boundary, unlike the
    Heaviside convention H(0) = 1.
    """
    return (z > 0).astype(z.dtype)


# --- 陈强 ch. 15, §15.2 and §15.4 -------------------------------------------------------------


@checks_z
def sign(z):
    """The perceptron's sign function 陈强 (15.8): +1 where z ≥ 0, −1 where z < 0.

    Note ``sign(0) == +1`` as in 陈强 (15.8), unlike ``np.sign(0) == 0``.
    """
    return np.where(z >= 0, 1.0, -1.0).astype(z.dtype)


@checks_z
def tanh(z):
    """tanh(z) = (e^z − e^{−z}) / (e^z + e^{−z}) 陈强 (15.12), range (−1, 1); equals 2Λ(2z) − 1 (15.13)."""
    return np.tanh(z)


@checks_z
def tanh_prime(z):
    """tanh′(z) = 1 − tanh²(z) (derivative of 陈强 (15.12); 0 to machine precision for |z| ≳ 20)."""
    t = tanh.unchecked(z)
    with np.errstate(under="ignore"):
        return 1.0 - t * t


@checks_z
def relu(z):
    """ReLU(z) = max(0, z) 陈强 (15.15), the ramp function."""
    return np.maximum(z, 0.0)


@checks_z
def relu_prime(z):
    """ReLU′(z) = 1 for z > 0, 0 for z < 0 (陈强 §15.4 (3)); the left derivative 0 is used at z = 0."""
    return (z > 0).astype(z.dtype)


def _check_gamma(gamma):
    check_positive(gamma, "gamma (leaky ReLU slope)", allow_zero=True)
    return float(gamma)


@checks_z
def leaky_relu(z, gamma=0.01):
    """Leaky ReLU 陈强 (15.16): z for z ≥ 0, γz for z < 0; equals max(z, γz) when γ < 1 (15.17).

    ``gamma`` ≥ 0 is the slope on the negative side (the source suggests 0.01; γ = 0 is ReLU).
    """
    gamma = _check_gamma(gamma)
    with np.errstate(under="ignore"):
        return np.where(z >= 0, z, gamma * z)


@checks_z
def leaky_relu_prime(z, gamma=0.01):
    """Derivative of 陈强 (15.16): 1 for z > 0, γ for z < 0; the left derivative γ is used at z = 0."""
    gamma = _check_gamma(gamma)
    return np.where(z > 0, 1.0, gamma).astype(z.dtype)


@checks_z
def softplus(z):
    """Softplus(z) = ln(1 + e^z) 陈强 (15.18), a smooth ReLU; computed as ``logaddexp(0, z)``."""
    with np.errstate(under="ignore"):
        return np.logaddexp(0.0, z)


@checks_z
def softplus_prime(z):
    """Softplus′(z) = e^z / (1 + e^z) = Λ(z) > 0 (the claim after 陈强 (15.18)): the sigmoid."""
    return sigmoid.unchecked(z)


@checks_z
def linear(z):
    """The identity f(z) = z (a linear output unit, e.g. for regression)."""
    return z.copy()


@checks_z
def linear_prime(z):
    """f′(z) = 1 for the identity."""
    return np.ones_like(z)


@checks_z
def softmax(z, axis=None):
    """Softmax p_k = e^{z_k} / Σ_j e^{z_j} along ``axis`` (the output layer named in 陈强 §15.10).

    ``z``: (batch, K) logits, one row per example; the default axis is the last one and needs
    at least 2 dimensions, because a 1-D array is ambiguous (K logits of one example, or one
    logit of each of n examples?): pass ``axis=0`` (or ``z[None, :]``) for one example's logits.
    The maximum is subtracted first, so logits of ±1e4 give exact 0s and 1s without overflow;
    every slice along ``axis`` sums to 1.
    """
    if axis is None:
        if z.ndim < 2:
            raise ValueError(f"softmax: expected logits of shape (batch, classes), found shape "
                             f"{z.shape}; for the logits of one example pass axis=0 or z[None, :]")
        axis = -1
    if z.ndim == 0:
        raise ValueError("softmax: expected an array with at least one axis (the classes), "
                         "found a scalar")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -z.ndim <= axis < z.ndim:
        raise ValueError(f"softmax: axis {axis!r} is out of range for an array of shape {z.shape}")
    if z.shape[axis] == 0:
        raise ValueError(f"softmax: expected at least one class along axis {axis}, found shape "
                         f"{z.shape}")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


# --- 《深度学习与神经网络》第5章, §5.2.5 -----------------------------------------------------


def _check_gaussian(c, sigma):
    if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)) \
            or not np.isfinite(c):
        raise TypeError(f"c (centre of the Gaussian): expected a finite real number, found {c!r}")
    check_positive(sigma, "sigma (width of the Gaussian)")
    return float(c), float(sigma)


@checks_z
def gaussian(z, c=0.0, sigma=1.0):
    """Gaussian activation f(z) = exp(−½((z − c)/σ)²), 《深度学习与神经网络》第5章 (5-26).

    Range (0, 1], peak 1 at z = c; ``sigma`` > 0 is the width. Far from c it underflows to an
    exact 0 (no warning).
    """
    c, sigma = _check_gaussian(c, sigma)
    with np.errstate(under="ignore", over="ignore"):
        u = (z - c) / sigma
        return np.exp(-0.5 * u * u)


@checks_z
def gaussian_prime(z, c=0.0, sigma=1.0):
    """f′(z) = −((z − c)/σ²) f(z) for the Gaussian (5-26); the source does not print it."""
    c, sigma = _check_gaussian(c, sigma)
    value = gaussian.unchecked(z, c, sigma)
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        slope = -((z - c) / sigma) / sigma * value
    return np.where(value == 0.0, 0.0, slope).astype(z.dtype)


# --- Galeone, ch. 2, §'Activation functions' -------------------------------------------------


def _check_alpha(alpha):
    check_positive(alpha, "alpha (ELU's negative saturation)", allow_zero=True)
    return float(alpha)


@checks_z
def elu(z, alpha=1.0):
    """ELU(z) = z for z > 0, α(e^z − 1) for z ≤ 0 (Clevert et al. 2015; one of the curves of the
    activation figure of Galeone, ch. 2, §'Activation functions', whose formula the source does
    not print). Tends to −α as z → −∞; ``alpha`` ≥ 0 (Keras' default 1; α = 0 is ReLU).

    ``expm1`` keeps small negative z accurate; e^z underflows to an exact 0 far left (no warning).
    """
    alpha = _check_alpha(alpha)
    with np.errstate(under="ignore"):
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


@checks_z
def elu_prime(z, alpha=1.0):
    """ELU′(z) = 1 for z > 0, α e^z for z ≤ 0 (= ELU(z) + α there); at z = 0 the left
    derivative α is used (it equals 1 only for α = 1)."""
    alpha = _check_alpha(alpha)
    with np.errstate(under="ignore"):
        return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))).astype(z.dtype)


#: name → (f, f′) for the element-wise activations a layer can use (陈强 §15.4).
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "softplus": (softplus, softplus_prime),
    "linear": (linear, linear_prime),
    "gaussian": (gaussian, gaussian_prime),
    "elu": (elu, elu_prime),
}


def get_activation(name):
    """Return the pair (f, f′) for an activation name in :data:`ACTIVATIONS`.

    Names are case-insensitive; ``None`` means "linear" (a layer without activation).
    """
    if name is None:
        name = "linear"
    if not isinstance(name, str):
        raise TypeError(f"activation: expected a name (str) such as 'relu', found "
                        f"{type(name).__name__} {name!r}")
    key = name.strip().lower()
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid names are: "
                         + ", ".join(sorted(ACTIVATIONS)))
    return ACTIVATIONS[key]
