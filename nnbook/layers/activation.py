"""The activation layer, and the one helper every layer with an activation uses.

:class:`Nonlinearity` resolves an activation name to the function and its backward rule:
element-wise activations (:mod:`nnbook.functional.activations`) use ∂L/∂z = f′(z) ⊙ ∂L/∂a;
``"softmax"`` (row-wise) uses its Jacobian–vector product ∂L/∂z = a ⊙ (∂L/∂a − Σ_k a_k ∂L/∂a_k).
Dense, Conv2D and :class:`Activation` all hold one, so the rule is written once.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional import activations
from nnbook.layers.base import Layer


def _unchecked(function):
    return getattr(function, "unchecked", function)


class Nonlinearity:
    """An activation by name: ``nl(z)`` is f(z); ``nl.backward(z, a, ∂L/∂a)`` is ∂L/∂z.

    ``None`` or ``"linear"`` is the identity; other names are those of
    :func:`nnbook.functional.activations.get_activation`, plus ``"softmax"`` over the last axis.
    The layers pass arrays they computed themselves, so the functions run unchecked
    (``f.unchecked``; a function without that attribute, e.g. one a user put in
    :data:`~nnbook.functional.activations.ACTIVATIONS`, is called as it is).
    """

    def __init__(self, spec):
        if isinstance(spec, str) and spec.strip().lower() == "softmax":
            self.name = "softmax"
            self._f, self._f_prime = activations.softmax.unchecked, None
            return
        f, f_prime = activations.get_activation(spec)
        self._f, self._f_prime = _unchecked(f), _unchecked(f_prime)
        self.name = "linear" if spec is None else spec.strip().lower()

    def __call__(self, z) -> np.ndarray:
        return self._f(z)

    def backward(self, z, a, grad_a) -> np.ndarray:
        """∂L/∂z from the layer's pre-activation z, output a = f(z) and ∂L/∂a (all one shape)."""
        if self.name == "softmax":
            return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))
        if self.name == "linear":                 # f′ = 1
            return grad_a
        return grad_a * self._f_prime(z)

    def __repr__(self):
        return f"Nonlinearity({self.name!r})"


class Activation(Layer):
    """A = f(Z) element-wise (陈强 (15.24)), or row-wise softmax for ``"softmax"``; no parameters."""

    def __init__(self, activation, name: str | None = None):
        super().__init__(name)
        self._nonlinearity = Nonlinearity(activation)
        self.activation = self._nonlinearity.name
        self._z = self._a = None

    def forward(self, x, training: bool = False):
        return self.forward_unchecked(self._check_input(x), training)

    def forward_unchecked(self, x, training: bool = False):
        self._z = x
        self._a = self._nonlinearity(x)
        return self._a

    @property
    def preactivation(self):
        """The input Z of the last forward pass (the model uses it for stable output losses)."""
        return self._z

    def backward(self, grad_output):
        grad_output = self._check_grad(grad_output, self._z.shape if self._z is not None else (),
                                       self._a)
        return self._nonlinearity.backward(self._z, self._a, grad_output)

    def backward_preactivation(self, grad_z):
        """∂L/∂Z is ∂L/∂(input) for this layer: returned as it is, after a shape check."""
        return self._check_grad(grad_z, self._z.shape if self._z is not None else (), self._z)

    def __repr__(self):
        return f"Activation({self.activation!r}, name={self.name!r})"
