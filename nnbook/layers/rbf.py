"""Euclidean radial-basis-function units: LeNet-5's output layer (LeCun et al. 1998).

Unit i outputs the squared distance between its input x (fan_in,) and a fixed centre w_i:
y_i = Σ_j (x_j − w_ij)². LeCun et al. set the centres by hand (stylised 7×12 bitmaps of the
digits, entries ±1) and did not train them, so the layer has fan_in·units *non-trainable*
parameters (840 for LeNet-5's 84 → 10). Here the centres are drawn as ±1 from ``rng`` unless
``centres`` are given.
"""

from __future__ import annotations

import numpy as np

from nnbook.layers.base import Layer
from nnbook.validation import as_float_array, check_positive


class RBF(Layer):
    """y (batch, units) with y[n, i] = ‖x[n] − centres[i]‖² for x (batch, fan_in)."""

    non_trainable = ("centres",)

    def __init__(self, units: int, centres=None, name: str | None = None):
        super().__init__(name)
        self.units = check_positive(units, "units", integer=True)
        self._given = None if centres is None else as_float_array(centres, "centres", ndim=2)
        if self._given is not None and self._given.shape[0] != self.units:
            raise ValueError(f"centres: expected {self.units} rows (one per unit), found shape "
                             f"{self._given.shape}")
        self._x = None

    def output_shape(self, input_shape):
        self._flat_features(input_shape)
        return (self.units,)

    def param_shapes(self, input_shape):
        return {"centres": (self.units, self._flat_features(input_shape))}

    def initial_values(self, input_shape, rng):
        if self._given is not None:
            return {"centres": self._given}
        return {"centres": rng.choice([-1.0, 1.0], size=self.param_shapes(input_shape)["centres"])}

    def forward(self, x, training=False):
        self._require_built()
        self._x = self._check_input(x, ndim=2)
        difference = self._x[:, None, :] - self.params["centres"].value[None, :, :]
        return np.sum(difference ** 2, axis=2)

    def backward(self, grad_output):
        shape = () if self._x is None else (self._x.shape[0], self.units)
        grad = self._check_grad(grad_output, shape, self._x)
        centres = self.params["centres"].value
        # ∂y_i/∂x = 2(x − w_i): the input gradient sums 2(x − w_i) weighted by ∂L/∂y_i
        return 2.0 * (grad.sum(axis=1, keepdims=True) * self._x - grad @ centres)
