"""Pooling layers on the Layer protocol (NCHW), 陈强 §15.10 (figures 15.19–15.20).

:class:`MaxPool2D` and :class:`AvgPool2D` have no parameters and keep the number of channels
(pooling shrinks height and width, never depth: 《深度学习与神经网络》第5章, §5.3.3, Fig. 5-16).
:class:`GlobalAveragePooling2D` averages each whole map to one number, the head that replaces
the fully connected layers in §5.3.3 ("global average pooling").
:class:`Subsampling2D` is LeNet-5's trainable variant (LeCun et al. 1998, layers S2 and S4):
each map's window sum is multiplied by a trainable coefficient and shifted by a trainable bias,
2 parameters per map. All run the Numba twins of :mod:`nnbook.functional.pooling`
(``use_reference=True`` switches to the readable loops).
"""

from __future__ import annotations

import numpy as np

from nnbook.functional import pooling
from nnbook.functional.convolution import conv_output_size
from nnbook.layers.activation import Nonlinearity
from nnbook.layers.base import Layer
from nnbook.layers.conv import feature_map_shape
from nnbook.validation import check_positive


class _Pool2D(Layer):
    """Windows of pool_size × pool_size moved by ``stride`` (default pool_size) over every map."""

    def __init__(self, pool_size: int = 2, stride: int | None = None,
                 use_reference: bool = False, name: str | None = None):
        super().__init__(name)
        self.pool_size = check_positive(pool_size, "pool_size", integer=True)
        self.stride = pool_size if stride is None else check_positive(stride, "stride",
                                                                      integer=True)
        self.use_reference = bool(use_reference)
        self._cache = None
        self._out_shape = None

    def output_shape(self, input_shape):
        channels, height, width = feature_map_shape(self, input_shape)
        return (channels, conv_output_size(height, self.pool_size, 0, self.stride),
                conv_output_size(width, self.pool_size, 0, self.stride))

    def count_connections(self, input_shape):
        channels, ho, wo = self.output_shape(input_shape)
        per_output = self.pool_size ** 2 + (1 if self.params_per_map else 0)
        return per_output * channels * ho * wo

    #: Trainable parameters per feature map (0 for max and mean pooling).
    params_per_map = 0

    def _images(self, x):
        return np.ascontiguousarray(self._check_input(x, ndim=4))

    def _grad(self, grad_output):
        shape = () if self._out_shape is None else self._out_shape
        return np.ascontiguousarray(self._check_grad(grad_output, shape, self._cache))


class MaxPool2D(_Pool2D):
    """Max pooling (figure 15.19); backward sends each window's gradient to its (first) maximum."""

    def forward(self, x, training=False):
        x = self._images(x)
        fn = pooling.max_pool2d_forward_reference if self.use_reference \
            else pooling.max_pool2d_forward
        y, argmax = fn(x, self.pool_size, self.stride)
        self._cache, self._out_shape = (x.shape, argmax), y.shape
        return y

    def backward(self, grad_output):
        grad = self._grad(grad_output)
        shape, argmax = self._cache
        fn = pooling.max_pool2d_backward_reference if self.use_reference \
            else pooling.max_pool2d_backward
        return fn(grad, argmax, shape)


class AvgPool2D(_Pool2D):
    """Mean pooling (figure 15.20); backward spreads each gradient evenly over its window."""

    def forward(self, x, training=False):
        x = self._images(x)
        fn = pooling.avg_pool2d_forward_reference if self.use_reference \
            else pooling.avg_pool2d_forward
        y = fn(x, self.pool_size, self.stride)
        self._cache, self._out_shape = x.shape, y.shape
        return y

    def backward(self, grad_output):
        grad = self._grad(grad_output)
        fn = pooling.avg_pool2d_backward_reference if self.use_reference \
            else pooling.avg_pool2d_backward
        return fn(grad, self._cache, self.pool_size, self.stride)


class Subsampling2D(_Pool2D):
    """LeNet-5's subsampling: z[c] = coefficient[c] · (window sum of map c) + bias[c], then f.

    Parameters ``params["coefficient"]`` (C,) start at 1/pool_size² (a mean) and
    ``params["bias"]`` (C,) at 0; ``activation`` is None or a name (LeNet squashed with a
    scaled tanh). The window sum is pool_size² times the mean pooling of
    :func:`nnbook.functional.pooling.avg_pool2d_forward`.
    """

    params_per_map = 2

    def __init__(self, pool_size: int = 2, stride: int | None = None, activation=None,
                 use_reference: bool = False, name: str | None = None):
        super().__init__(pool_size, stride, use_reference, name)
        self._nonlinearity = Nonlinearity(activation)
        self.activation = self._nonlinearity.name

    def param_shapes(self, input_shape):
        channels = feature_map_shape(self, input_shape)[0]
        return {"coefficient": (channels,), "bias": (channels,)}

    def initial_values(self, input_shape, rng):
        channels = feature_map_shape(self, input_shape)[0]
        return {"coefficient": np.full(channels, 1.0 / self.pool_size ** 2),
                "bias": np.zeros(channels)}

    def forward(self, x, training=False):
        self._require_built()
        x = self._images(x)
        fn = pooling.avg_pool2d_forward_reference if self.use_reference \
            else pooling.avg_pool2d_forward
        sums = fn(x, self.pool_size, self.stride) * self.pool_size ** 2
        coefficient = self.params["coefficient"].value[None, :, None, None]
        z = coefficient * sums + self.params["bias"].value[None, :, None, None]
        a = self._nonlinearity(z)
        self._cache, self._out_shape = (x.shape, sums, z, a), a.shape
        return a

    @property
    def preactivation(self):
        return None if self._cache is None else self._cache[2]

    def backward(self, grad_output):
        grad_a = self._grad(grad_output)
        _, _, z, a = self._cache
        return self.backward_preactivation(self._nonlinearity.backward(z, a, grad_a))

    def backward_preactivation(self, grad_z):
        grad_z = self._grad(grad_z)
        shape, sums, _, _ = self._cache
        self.params["coefficient"].grad += np.sum(grad_z * sums, axis=(0, 2, 3))
        self.params["bias"].grad += np.sum(grad_z, axis=(0, 2, 3))
        coefficient = self.params["coefficient"].value[None, :, None, None]
        grad_sums = np.ascontiguousarray(grad_z * coefficient * self.pool_size ** 2)
        fn = pooling.avg_pool2d_backward_reference if self.use_reference \
            else pooling.avg_pool2d_backward
        return fn(grad_sums, shape, self.pool_size, self.stride)


class GlobalAveragePooling2D(Layer):
    """Each feature map's mean: (N, C, H, W) → (N, C); no parameters (§5.3.3 of
    《深度学习与神经网络》第5章: global average pooling in place of the fully connected layers).

    Backward spreads ∂L/∂y[n, c] evenly over the H·W positions of map c: each gets 1/(H·W) of it.
    """

    def __init__(self, name: str | None = None):
        super().__init__(name)
        self._cache = None

    def output_shape(self, input_shape):
        return (feature_map_shape(self, input_shape)[0],)

    def count_connections(self, input_shape):
        channels, height, width = feature_map_shape(self, input_shape)
        return channels * height * width

    def forward(self, x, training=False):
        x = self._check_input(x, ndim=4)
        self._cache = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, grad_output):
        shape = self._cache
        grad = self._check_grad(grad_output, () if shape is None else shape[:2], shape)
        _, _, height, width = shape
        return np.broadcast_to(grad[:, :, None, None] / (height * width), shape).copy()
