"""Batch normalisation as a layer (Galeone ch. 2, §'Batch normalization'; Ioffe & Szegedy 2015).

The arithmetic is :mod:`nnbook.functional.batchnorm`; this layer adds the two modes and the
running statistics. In training each feature (after Dense) or channel (after Conv2D) is
normalised with the statistics of the current batch, and the layer keeps running averages

    moving_mean     ← momentum · moving_mean     + (1 − momentum) · batch mean
    moving_variance ← momentum · moving_variance + (1 − momentum) · batch variance

(the batch variance divided by the number of values, as Keras does; Ioffe & Szegedy's
population estimate uses m/(m − 1) instead). In inference the running averages replace the
batch statistics, so an example's output no longer depends on the other examples of its batch.
γ and β are trained; the running averages are parameters that optimisers leave alone, so a
layer on F features holds 4F parameters of which 2F are trainable — what Keras' summary shows.
The defaults momentum = 0.99 and ε = 10⁻³ are Keras'; the source chapter gives no values.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.functional.batchnorm import (
    batchnorm_backward_unchecked,
    batchnorm_forward_unchecked,
    batchnorm_inference_unchecked,
    check_epsilon,
)
from nnbook.layers.base import Layer


class BatchNormalization(Layer):
    """``BatchNormalization(momentum=0.99, epsilon=1e-3, axis=1)``: normalise axis 1 of the batch.

    Examples (features,) after Dense are normalised per feature over the batch; images
    (channels, height, width) after Conv2D — nnbook's NCHW layout — per channel over batch,
    height and width (one γ, β per channel, as in Ioffe & Szegedy's convolutional variant).
    ``axis`` is the normalised axis of the batch: 1 (features or channels); −1 means the same
    for flat examples only (Keras' default, whose images are channels-last). Parameters
    "gamma" (ones), "beta" (zeros), "moving_mean" (zeros), "moving_variance" (ones), each
    (features,) — the last two not trainable. A batch in training must hold at least two
    values per feature (a batch of 1 after Dense has variance 0: a ValueError).
    """

    deterministic = False
    non_trainable = ("moving_mean", "moving_variance")

    def __init__(self, momentum: float = 0.99, epsilon: float = 1e-3, axis: int = 1,
                 name: str | None = None):
        super().__init__(name or "batch_normalization")
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) \
                or not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum: expected a number in [0, 1) such as 0.99, found "
                             f"{momentum!r}")
        if axis not in (1, -1) or isinstance(axis, bool):
            raise ValueError(f"axis: expected 1 (features, or channels of NCHW images), found "
                             f"{axis!r}")
        self.momentum = float(momentum)
        self.epsilon = check_epsilon(epsilon)
        self.axis = axis
        self._cache = None
        self._batch_shape = None

    # ------------------------------------------------------------------ shapes and parameters
    def _features(self, input_shape) -> int:
        input_shape = tuple(input_shape)
        if not input_shape:
            raise ValueError(f"{self.name}: expected examples with a feature or channel axis, "
                             "found scalar examples")
        if self.axis == -1 and len(input_shape) != 1:
            raise ValueError(f"{self.name}: axis=-1 is Keras' channels-last images; nnbook's "
                             f"images are (channels, height, width), found example shape "
                             f"{input_shape}: use axis=1")
        return int(input_shape[0])

    def output_shape(self, input_shape):
        self._features(input_shape)
        return tuple(input_shape)

    def param_shapes(self, input_shape):
        features = self._features(input_shape)
        return {key: (features,) for key in ("gamma", "beta", "moving_mean", "moving_variance")}

    def initial_values(self, input_shape, rng):
        features = self._features(input_shape)
        return {"gamma": np.ones(features), "beta": np.zeros(features),
                "moving_mean": np.zeros(features), "moving_variance": np.ones(features)}

    # ------------------------------------------------------------------ layout
    @staticmethod
    def _to_rows(x: np.ndarray) -> np.ndarray:
        """(B, C, …) → (B·…, C): one row per value of a statistic, one column per feature."""
        if x.ndim == 2:
            return x
        return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])

    def _from_rows(self, rows: np.ndarray) -> np.ndarray:
        shape = self._batch_shape
        if len(shape) == 2:
            return rows
        moved = (shape[0], *shape[2:], shape[1])
        return np.ascontiguousarray(np.moveaxis(rows.reshape(moved), -1, 1))

    # ------------------------------------------------------------------ passes
    def forward(self, x, training: bool = False):
        self._require_built()
        return self.forward_unchecked(self._check_input(x), training)

    def forward_unchecked(self, x, training: bool = False):
        self._batch_shape = x.shape
        rows = self._to_rows(x)
        gamma, beta = self.params["gamma"].value, self.params["beta"].value
        if training:
            if rows.shape[0] < 2:
                raise ValueError(
                    f"{self.name}: training needs at least 2 values per feature; a batch of "
                    f"shape {x.shape} gives 1, whose variance is 0 (every output would be β and "
                    "no gradient would reach the layers below); train with batches of 2 or more")
            output, self._cache = batchnorm_forward_unchecked(rows, gamma, beta, self.epsilon)
            self._update_moving_statistics(self._cache.mean, self._cache.variance)
        else:
            output, self._cache = batchnorm_inference_unchecked(
                rows, self.params["moving_mean"].value, self.params["moving_variance"].value,
                gamma, beta, self.epsilon)
        return self._from_rows(output.astype(x.dtype, copy=False))

    def _update_moving_statistics(self, mean, variance) -> None:
        """moving ← momentum · moving + (1 − momentum) · batch statistic (in place)."""
        for key, batch_value in (("moving_mean", mean), ("moving_variance", variance)):
            moving = self.params[key].value
            moving *= self.momentum
            moving += (1.0 - self.momentum) * batch_value

    def backward(self, grad_output):
        shape = () if self._batch_shape is None else self._batch_shape
        grad_output = self._check_grad(grad_output, shape, self._cache)
        grad_x, grad_gamma, grad_beta = batchnorm_backward_unchecked(self._to_rows(grad_output),
                                                                     self._cache)
        self.params["gamma"].accumulate(grad_gamma)
        self.params["beta"].accumulate(grad_beta)
        return self._from_rows(grad_x.astype(grad_output.dtype, copy=False))

    def __repr__(self):
        return (f"BatchNormalization(momentum={self.momentum}, epsilon={self.epsilon}, "
                f"name={self.name!r})")
