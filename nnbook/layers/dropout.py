"""Dropout as a layer, inverted by default (陈强 §15.9, figure 15.14; Srivastava et al. 2014;
Galeone ch. 2, §'How dropout works', §'Inverted dropout').

The arithmetic lives in :mod:`nnbook.functional.dropout` (mask, direct and inverted schemes);
this layer draws masks, remembers the last one and passes gradients back.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.functional.dropout import bernoulli_mask, check_scheme, dropout_factor
from nnbook.layers.base import Layer
from nnbook.validation import as_float_array


class Dropout(Layer):
    """In training each unit is kept with probability q = 1 − ``rate`` (``rate`` = p is the DROP
    probability, as in Keras' ``Dropout(rate)``; TF 1 took the keep probability instead).

    ``scheme="inverted"`` (default): kept units are scaled by 1/q in training, so the expected
    activation is unchanged and inference is the identity. ``scheme="direct"`` (Galeone's first
    form): training multiplies by the 0/1 mask only and inference scales by q. 陈强 drops 50 %
    (``rate=0.5``) and does not discuss the scaling. The mask comes from ``rng`` (a Generator
    or seed; when None, the one the model passes to ``build``). ``fix_mask(mask)`` freezes a
    0/1 mask (for gradient checks and figures); the last mask used is ``mask`` (1 = kept). Any
    example shape.
    """

    deterministic = False

    def __init__(self, rate: float, rng=None, name: str | None = None, scheme: str = "inverted"):
        super().__init__(name)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"rate: expected a drop probability in [0, 1), found {rate!r}")
        self.rate = float(rate)
        self.scheme = check_scheme(scheme)
        self.rng = None if rng is None else np.random.default_rng(rng)
        self.mask = None
        self._fixed = None
        self._scale = None

    @property
    def keep_prob(self) -> float:
        """q = 1 − rate, the probability that a unit is kept."""
        return 1.0 - self.rate

    def build(self, input_shape, rng, dtype=np.float64):
        if self.rng is None:
            self.rng = np.random.default_rng(rng)
        super().build(input_shape, rng, dtype)

    def fix_mask(self, mask) -> None:
        """Use this 0/1 ``mask`` (shape of one batch) in every training forward; None to unfix."""
        if mask is None:
            self._fixed = None
            return
        mask = as_float_array(mask, "mask")
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask: expected entries 0 (dropped) or 1 (kept)")
        self._fixed = mask

    def forward(self, x, training: bool = False):
        return self.forward_unchecked(self._check_input(x), training)

    def forward_unchecked(self, x, training: bool = False):
        if not training or self.rate == 0.0:
            self.mask = None
            factor = dropout_factor(None, self.keep_prob, False, self.scheme)  # 1 or q
            self._scale = np.full_like(x, factor)
            return x if factor == 1.0 else x * factor
        if self._fixed is not None:
            if self._fixed.shape != x.shape:
                raise ValueError(f"{self.name}: fixed mask has shape {self._fixed.shape}, the batch "
                                 f"has shape {x.shape}")
            self.mask = self._fixed
        else:
            if self.rng is None:
                self.rng = np.random.default_rng()
            self.mask = bernoulli_mask(x.shape, self.keep_prob, self.rng, dtype=x.dtype)
        self._scale = np.asarray(dropout_factor(self.mask, self.keep_prob, True, self.scheme),
                                 dtype=x.dtype)
        return x * self._scale

    def backward(self, grad_output):
        shape = () if self._scale is None else self._scale.shape
        return self._check_grad(grad_output, shape, self._scale) * self._scale

    def __repr__(self):
        scheme = "" if self.scheme == "inverted" else f", scheme={self.scheme!r}"
        return f"Dropout(rate={self.rate}{scheme}, name={self.name!r})"
