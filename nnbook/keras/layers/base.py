"""What every layer of the Keras face adds to its nnbook layer: Keras' input-shape arguments and
Keras' weight lists.

In Keras the first layer of a ``Sequential`` model may say what it receives: ``input_dim=8``
(Keras 1–2, Gulli & Pal ch. 1, 'A first example of Keras code') or ``input_shape=(784,)``
(listing keras_MINST_V1). :class:`KerasLayer` keeps that shape as ``keras_input_shape`` for
:meth:`nnbook.keras.models.Sequential.add`, which builds the model from it.

Keras' weights are a flat list of arrays, each layer's parameters in order — for Dense
``[kernel (fan_in, units), bias (units,)]``, the layout of nnbook's Dense too — so
:func:`flat_weights` and :func:`assign_flat_weights` move weights between a Keras model and its
nnbook twin.
"""

from __future__ import annotations

import numbers

import numpy as np


def input_shape_from(input_shape=None, input_dim=None, where: str = "layer"):
    """The example shape from Keras' ``input_shape`` (a tuple) or ``input_dim`` (an int), or None."""
    if input_dim is not None:
        if isinstance(input_dim, bool) or not isinstance(input_dim, numbers.Integral) \
                or input_dim < 1:
            raise ValueError(f"{where}: input_dim: expected a positive int such as 784, found "
                             f"{input_dim!r}")
        if input_shape is not None and tuple(input_shape) != (int(input_dim),):
            raise ValueError(f"{where}: input_dim={input_dim} and input_shape={input_shape!r} "
                             "disagree; give one of them")
        return (int(input_dim),)
    if input_shape is None:
        return None
    if isinstance(input_shape, numbers.Integral) and not isinstance(input_shape, bool):
        raise TypeError(f"{where}: input_shape: expected a tuple such as (784,) — note the comma "
                        f"— found the int {input_shape!r}")
    try:
        shape = tuple(int(d) for d in input_shape)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: input_shape: expected a tuple of positive ints such as (784,), "
                        f"found {input_shape!r}") from None
    if not shape or any(d < 1 for d in shape):
        raise ValueError(f"{where}: input_shape: expected positive sizes such as (784,), found "
                         f"{input_shape!r}")
    return shape


def flat_weights(layers) -> list[np.ndarray]:
    """Copies of every parameter of ``layers``, layer by layer in each layer's order (Keras' list)."""
    return [param.value.copy() for layer in layers for param in layer.params.values()]


def assign_flat_weights(layers, weights, where: str = "set_weights") -> None:
    """Copy a Keras weight list (as from :func:`flat_weights`) into the parameters of ``layers``.

    Every shape is checked before anything is written; values take the parameters' dtype.
    """
    params = [param for layer in layers for param in layer.params.values()]
    if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
        raise TypeError(f"{where}: expected a list of arrays (kernel, bias, kernel, bias, …), "
                        f"found {type(weights).__name__}")
    if len(weights) != len(params):
        names = ", ".join(p.name for p in params) or "none"
        raise ValueError(f"{where}: expected {len(params)} arrays ({names}), found "
                         f"{len(weights)}")
    arrays = [np.asarray(w) for w in weights]
    for param, array in zip(params, arrays):
        if array.shape != param.shape:
            raise ValueError(f"{where}: {param.name} has shape {param.shape}, found an array of "
                             f"shape {array.shape}")
    for param, array in zip(params, arrays):
        param.value[...] = array


class KerasLayer:
    """Mixin for the face's layers: ``keras_input_shape`` and Keras' per-layer weight lists."""

    keras_input_shape: tuple[int, ...] | None = None

    def _keras_input(self, input_shape=None, input_dim=None) -> None:
        self.keras_input_shape = input_shape_from(input_shape, input_dim, type(self).__name__)

    def get_weights(self) -> list[np.ndarray]:
        """This layer's parameters as Keras lists them (Dense: [kernel, bias]); [] before build."""
        return flat_weights([self])

    def set_weights(self, weights) -> None:
        """Set this layer's parameters from a Keras list (Dense: [kernel, bias])."""
        assign_flat_weights([self], weights, f"{self.name}.set_weights")
