"""Penalties added to the loss: L1 (lasso), L2 (ridge, weight decay) and both (elastic net).

陈强 (15.33) adds λ‖W‖₂² to the empirical risk (15.30); Gulli & Pal ch. 1 ("adopting
regularization") name the three kinds and Keras' ``kernel_regularizer``, ``bias_regularizer``
and ``activity_regularizer``. A penalty is an object: ``penalty(W)`` is its value and
``penalty.gradient(W)`` its gradient, same shape as W.

* L2: λ Σ W², gradient 2λW. One gradient step on the penalised loss is
  W ← W − η(∂L/∂W + 2λW) = (1 − 2ηλ) W − η ∂L/∂W: every weight shrinks by (1 − 2ηλ) first —
  why 陈强 calls it weight decay (权重衰减). (Texts that write (λ/2)‖W‖² get (1 − ηλ); Keras'
  ``l2(λ)`` uses λ Σ W², as here: ``l2(0.01)`` on [[1, 2], [3, 4]] is 0.3.)
* L1: λ Σ |W|, gradient λ·sign(W) (the subgradient 0 at W = 0); it pushes weights to exactly 0.
* L1L2: λ₁ Σ |W| + λ₂ Σ W².
"""

from __future__ import annotations

import numbers

import numpy as np


def _check_lambda(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) \
            or value < 0:
        raise ValueError(f"{name}: expected a finite real number >= 0, found {value!r}")
    return float(value)


class L1L2:
    """λ₁ Σ |W| + λ₂ Σ W² (elastic net); ``l1`` and ``l2`` are λ₁, λ₂ ≥ 0."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _check_lambda(l1, "l1")
        self.l2 = _check_lambda(l2, "l2")

    def __call__(self, weights) -> float:
        weights = np.asarray(weights)
        value = 0.0
        if self.l1:
            value += self.l1 * float(np.sum(np.abs(weights)))
        if self.l2:
            value += self.l2 * float(np.sum(np.square(weights)))
        return value

    def gradient(self, weights) -> np.ndarray:
        """∂penalty/∂W = λ₁ sign(W) + 2 λ₂ W (same shape and dtype as W)."""
        weights = np.asarray(weights)
        return self.l1 * np.sign(weights) + 2.0 * self.l2 * weights

    def __repr__(self):
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2})"


class L1(L1L2):
    """The lasso penalty λ Σ |W|."""

    def __init__(self, lam: float):
        super().__init__(l1=_check_lambda(lam, "lam"))

    def __repr__(self):
        return f"L1(lam={self.l1})"


class L2(L1L2):
    """The ridge penalty λ‖W‖₂² of 陈强 (15.33); ``lam`` ≥ 0."""

    def __init__(self, lam: float):
        super().__init__(l2=_check_lambda(lam, "lam"))

    @property
    def lam(self) -> float:
        return self.l2

    def shrink_factor(self, learning_rate: float) -> float:
        """(1 − 2ηλ): what one plain gradient step multiplies the weights by before the data step."""
        return 1.0 - 2.0 * learning_rate * self.l2

    def __repr__(self):
        return f"L2(lam={self.l2})"


def l1(lam: float = 0.01) -> L1:
    """Keras' spelling: ``Dense(..., kernel_regularizer=l1(0.01))`` (default 0.01, as Keras)."""
    return L1(lam)


def l2(lam: float = 0.01) -> L2:
    """Keras' spelling: ``Dense(..., kernel_regularizer=l2(0.01))`` (default 0.01, as Keras)."""
    return L2(lam)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """Keras' spelling of the elastic net (defaults 0.01 and 0.01, as Keras)."""
    return L1L2(l1=l1, l2=l2)


def check_penalty(penalty, name: str):
    """``penalty`` unchanged when it is None or has ``__call__(W)`` and ``gradient(W)``; else TypeError."""
    if penalty is None or (callable(penalty) and callable(getattr(penalty, "gradient", None))):
        return penalty
    raise TypeError(f"{name}: expected None or a penalty with __call__(W) and gradient(W) such as "
                    f"nnbook.layers.regularizers.l2(0.01), found {type(penalty).__name__}")
