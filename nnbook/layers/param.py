"""A trainable array and the gradient of the objective with respect to it.

Layers own :class:`Param` objects; backward passes *add* their contribution to ``grad`` (so a
parameter used twice, or a penalty term, simply accumulates); optimisers read ``grad`` and
update ``value`` in place, keeping any per-parameter state (velocity, moment estimates) keyed
by the Param itself. ``value`` may be a view into a larger array (chapter 1's ``Network`` keeps
every weight in one flat vector): updates in place write through to it.
"""

from __future__ import annotations

import numpy as np


class Param:
    """``value`` (any shape, float) and ``grad`` (same shape), plus a name for messages.

    ``trainable=False`` marks parameters that optimisers leave alone (fixed weights, running
    statistics); they are still counted by ``summary`` as non-trainable.
    """

    __slots__ = ("_value", "grad", "name", "trainable", "__weakref__")

    def __init__(self, value, name: str = "param", trainable: bool = True):
        value = np.asarray(value)
        if not np.issubdtype(value.dtype, np.floating):
            raise TypeError(f"{name}: a parameter must hold floats, found dtype {value.dtype}")
        self._value = value
        self.grad = np.zeros_like(value)
        self.name = name
        self.trainable = bool(trainable)

    @property
    def value(self) -> np.ndarray:
        return self._value

    @value.setter
    def value(self, array) -> None:
        """Share ``array`` as the storage (same shape); the gradient is reset to zeros."""
        array = np.asarray(array)
        if array.shape != self._value.shape:
            raise ValueError(f"{self.name}: expected an array of shape {self._value.shape}, "
                             f"found {array.shape}")
        self._value = array
        self.grad = np.zeros_like(array)

    @property
    def shape(self) -> tuple[int, ...]:
        return self._value.shape

    @property
    def size(self) -> int:
        return int(self._value.size)

    def zero_grad(self) -> None:
        """Set the gradient to 0 (before a new forward/backward pass)."""
        self.grad[...] = 0.0

    def accumulate(self, gradient) -> None:
        """Add ``gradient`` (the shape of ``value``) to ``grad``."""
        gradient = np.asarray(gradient)
        if gradient.shape != self._value.shape:
            raise ValueError(f"{self.name}: expected a gradient of shape {self._value.shape}, "
                             f"found {gradient.shape}")
        self.grad += gradient

    def __repr__(self):
        flag = "" if self.trainable else ", trainable=False"
        return f"Param({self.name!r}, shape={self.shape}{flag})"
