"""Weight penalties (陈强 (15.33)): add λ‖W‖₂² to the empirical risk of 陈强 (15.30).

‖W‖₂ is the Frobenius norm √(Σ_jk W_jk²), so the penalty is λ Σ W_jk² and its gradient 2λW.
A gradient step on the penalised loss is therefore

    W ← W − η(∂L/∂W + 2λW) = (1 − 2ηλ) W − η ∂L/∂W,

first shrinking every weight by the factor (1 − 2ηλ) and then taking the ordinary step: this is
why the source calls it weight decay (权重衰减) or shrinkage. (Texts that write the penalty as
(λ/2)‖W‖² get the factor (1 − ηλ); Keras' ``l2(λ)`` uses λ Σ W², as here.)
"""

from __future__ import annotations

import numbers

import numpy as np


class L2:
    """The penalty λ‖W‖₂² of 陈强 (15.33); ``lam`` ≥ 0."""

    def __init__(self, lam: float):
        if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not np.isfinite(lam) \
                or lam < 0:
            raise ValueError(f"lam: expected a finite real number >= 0, found {lam!r}")
        self.lam = float(lam)

    def __call__(self, weights: np.ndarray) -> float:
        """λ Σ W² (a float)."""
        return self.lam * float(np.sum(np.square(weights)))

    def gradient(self, weights: np.ndarray) -> np.ndarray:
        """∂(λ‖W‖²)/∂W = 2λW (same shape as W)."""
        return 2.0 * self.lam * weights

    def shrink_factor(self, learning_rate: float) -> float:
        """(1 − 2ηλ): what one plain gradient step multiplies the weights by before the data step."""
        return 1.0 - 2.0 * learning_rate * self.lam

    def __repr__(self):
        return f"L2(lam={self.lam})"


def l2(lam: float) -> L2:
    """Keras-shaped spelling: ``Dense(..., kernel_regularizer=l2(0.01))``."""
    return L2(lam)


def check_penalty(penalty, name: str):
    """``penalty`` unchanged when it is None or has ``__call__(W)`` and ``gradient(W)``; else TypeError."""
    if penalty is None or (callable(penalty) and callable(getattr(penalty, "gradient", None))):
        return penalty
    raise TypeError(f"{name}: expected None or a penalty with __call__(W) and gradient(W) such as "
                    f"nnbook.layers.regularizers.l2(0.01), found {type(penalty).__name__}")
