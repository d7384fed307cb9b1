"""Inverted dropout (陈强 §15.9, figure 15.14; Srivastava et al. 2014)."""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.layers.base import Layer
from nnbook.validation import as_float_array


class Dropout(Layer):
    """In training each unit is kept with probability 1 − ``rate`` and scaled by 1/(1 − rate).

    The expected activation is unchanged, so inference is the identity (no rescaling at test
    time). 陈强 drops 50 % (``rate=0.5``) and does not discuss the scaling. The mask comes from
    ``rng`` (a Generator or seed; when None, the one the model passes to ``build``).
    ``fix_mask(mask)`` freezes a 0/1 mask (for gradient checks and figures); the last mask used
    is ``mask`` (1 = kept). Any example shape.
    """

    deterministic = False

    def __init__(self, rate: float, rng=None, name: str | None = None):
        super().__init__(name)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"rate: expected a drop probability in [0, 1), found {rate!r}")
        self.rate = float(rate)
        self.rng = None if rng is None else np.random.default_rng(rng)
        self.mask = None
        self._fixed = None
        self._scale = None

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
            self._scale = np.ones_like(x)
            self.mask = None
            return x
        if self._fixed is not None:
            if self._fixed.shape != x.shape:
                raise ValueError(f"{self.name}: fixed mask has shape {self._fixed.shape}, the batch "
                                 f"has shape {x.shape}")
            self.mask = self._fixed
        else:
            if self.rng is None:
                self.rng = np.random.default_rng()
            self.mask = (self.rng.random(x.shape) >= self.rate).astype(x.dtype)
        self._scale = (self.mask / (1.0 - self.rate)).astype(x.dtype, copy=False)
        return x * self._scale

    def backward(self, grad_output):
        shape = () if self._scale is None else self._scale.shape
        return self._check_grad(grad_output, shape, self._scale) * self._scale

    def __repr__(self):
        return f"Dropout(rate={self.rate}, name={self.name!r})"
