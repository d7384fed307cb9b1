"""Losses by their Keras names, with Keras' averaging.

Keras averages a per-entry loss over the last axis (the k outputs) and then over the batch:
``mse`` is mean((y − ŷ)²) and ``binary_crossentropy`` the mean of the k binary losses. nnbook's
core sums over the k outputs (陈强 (15.22), (15.23)), which is the same for one output and k
times Keras' value for k. :class:`MeanOverOutputs` divides such a loss, its gradient and its
from-logits twin by k. Categorical cross-entropy sums over the classes in both, so it is
nnbook's unchanged.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.losses import Loss, get_loss


def _outputs(output) -> int:
    output = np.asarray(output)
    return output.shape[-1] if output.ndim == 2 else 1


class MeanOverOutputs(Loss):
    """``inner`` (a loss summed over the k outputs of an example) divided by k."""

    def __init__(self, inner: Loss):
        self.inner = inner
        self.name = inner.name
        self.from_logits = inner.from_logits
        self.target_ndim = inner.target_ndim

    def __call__(self, output, target) -> float:
        return self.inner(output, target) / _outputs(output)

    def gradient(self, output, target) -> np.ndarray:
        return self.inner.gradient(output, target) / _outputs(output)

    def check_targets(self, y, output_shape) -> np.ndarray:
        return self.inner.check_targets(y, output_shape)

    def fused_with(self, activation):
        fused = self.inner.fused_with(activation)
        return None if fused is None else MeanOverOutputs(fused)

    def __repr__(self):
        return f"MeanOverOutputs({self.inner!r})"


#: Keras' loss names → how to make the loss with Keras' averaging.
KERAS_LOSSES = {
    "categorical_crossentropy": lambda: get_loss("categorical_crossentropy"),
    "binary_crossentropy": lambda: MeanOverOutputs(get_loss("binary_crossentropy")),
    "mse": lambda: MeanOverOutputs(get_loss("mse")),
    "mean_squared_error": lambda: MeanOverOutputs(get_loss("mse")),
}


def get(identifier) -> Loss:
    """A loss from a Keras name (``"categorical_crossentropy"``, ``"mse"``, …) or a Loss object."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str) and identifier.strip().lower() in KERAS_LOSSES:
        return KERAS_LOSSES[identifier.strip().lower()]()
    raise ValueError(f"loss: expected one of the Keras names {sorted(KERAS_LOSSES)} or an nnbook "
                     f"Loss, found {identifier!r}")
