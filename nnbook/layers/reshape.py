"""Reshaping layers: :class:`Flatten` turns feature maps into the flat vectors a Dense layer takes."""

from __future__ import annotations

import math

from nnbook.layers.base import Layer


class Flatten(Layer):
    """(batch, d₁, d₂, …) → (batch, d₁·d₂·…), e.g. a 100×100×3 image → 30,000 inputs (陈强 §15.10)."""

    def __init__(self, name: str | None = None):
        super().__init__(name)
        self._shape = None

    def output_shape(self, input_shape):
        return (int(math.prod(input_shape)),)

    def forward(self, x, training: bool = False):
        x = self._check_input(x)
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output):
        expected = () if self._shape is None else (self._shape[0], math.prod(self._shape[1:]))
        return self._check_grad(grad_output, expected, self._shape).reshape(self._shape)
