"""Stacked linear layers collapse into one, in numbers (Galeone, ch. 2, §'Activation functions').

Row convention, as :class:`~nnbook.layers.Dense`: a batch X (n, D), kernels W₁ (D, M) and
W₂ (M, N), biases b₁ (M,) and b₂ (N,). Without a non-linearity between them,
(XW₁ + b₁)W₂ + b₂ = X W′ + b′ with W′ = W₁W₂ and b′ = b₁W₂ + b₂ (the step-by-step identity is
:func:`nnbook.symbolic.linear_layers.linear_collapse`). However many linear layers are stacked,
the network stays one linear map — the reason hidden layers need a non-linear activation.
"""

from __future__ import annotations

import numpy as np

from nnbook.layers.dense import Dense
from nnbook.validation import as_float_array

__all__ = ["collapse_linear_layers", "collapse_dense_layers"]


def collapse_linear_layers(W1, b1, W2, b2) -> tuple[np.ndarray, np.ndarray]:
    """(W′, b′) = (W₁W₂, b₁W₂ + b₂): one layer computing what x ↦ (xW₁ + b₁)W₂ + b₂ computes.

    Shapes: W1 (D, M), b1 (M,), W2 (M, N), b2 (N,) → W′ (D, N), b′ (N,).
    """
    W1, W2 = as_float_array(W1, "W1", ndim=2), as_float_array(W2, "W2", ndim=2)
    b1, b2 = as_float_array(b1, "b1", ndim=1), as_float_array(b2, "b2", ndim=1)
    if W1.shape[1] != W2.shape[0]:
        raise ValueError(f"W1 has {W1.shape[1]} columns (shape {W1.shape}) but W2 has "
                         f"{W2.shape[0]} rows (shape {W2.shape}); expected W1 (D, M), W2 (M, N)")
    if b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError(f"b1 has shape {b1.shape} and b2 {b2.shape}; expected ({W1.shape[1]},) "
                         f"and ({W2.shape[1]},), one bias per unit of each layer")
    return W1 @ W2, b1 @ W2 + b2


def collapse_dense_layers(*layers: Dense) -> Dense:
    """One built :class:`Dense` layer equal to a stack of built linear Dense layers.

    Every layer must have no activation (``activation=None``); with a non-linearity between
    them there is no such layer. The result is built for the first layer's input shape.
    """
    if not layers:
        raise ValueError("collapse_dense_layers: expected at least one Dense layer")
    for layer in layers:
        if not isinstance(layer, Dense):
            raise TypeError(f"expected nnbook Dense layers, found {type(layer).__name__}")
        if not layer.built:
            raise ValueError(f"{layer.name}: build the layer first (its weights are needed)")
        if layer.activation not in (None, "linear"):
            raise ValueError(f"{layer.name} has activation {layer.activation!r}: only linear "
                             "layers (activation=None) collapse into one")
    W = layers[0].params["kernel"].value
    b = layers[0].params["bias"].value
    for layer in layers[1:]:
        W, b = collapse_linear_layers(W, b, layer.params["kernel"].value,
                                      layer.params["bias"].value)
    merged = Dense(W.shape[1], name="collapsed")
    merged.build(layers[0].input_shape, np.random.default_rng(0),
                 dtype=layers[0].params["kernel"].value.dtype)
    merged.params["kernel"].value[...] = W
    merged.params["bias"].value[...] = b
    return merged
