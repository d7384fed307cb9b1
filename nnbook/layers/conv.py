"""Convolution and pooling layers on the Layer protocol (NCHW), 陈强 §15.10.

``Conv2D`` is a partially connected layer with shared weights: F filters, each (C, kh, kw),
plus one bias per filter, so it has F·(C·kh·kw + 1) parameters however large the image.
``MaxPool2D`` and ``AvgPool2D`` have no parameters (§15.10, L772). All three run the Numba
kernels of :mod:`nnbook.conv` (``use_reference=True`` switches to the readable loops).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook import conv
from nnbook.initializers import get_initializer
from nnbook.layers.base import Layer
from nnbook.validation import as_float_array, check_positive

__all__ = ["Conv2D", "MaxPool2D", "AvgPool2D"]


def _pair(value, name):
    """An int k or a pair (kh, kw) of positive ints → (kh, kw)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value, value)
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)):
        raise TypeError(f"{name}: expected an int or a pair of ints, found {value!r}")
    for v in value:
        check_positive(int(v), name, integer=True)
    return int(value[0]), int(value[1])


def _check_images(layer, x):
    x = as_float_array(x, f"{layer.name} input", ndim=4)
    if layer.input_shape is not None and x.shape[1:] != layer.input_shape:
        raise ValueError(f"{layer.name}: expected inputs of shape (batch, "
                         f"{', '.join(map(str, layer.input_shape))}), found {x.shape}")
    return np.ascontiguousarray(x)


class Conv2D(Layer):
    """2-D convolution (cross-correlation) with ``filters`` kernels of size ``kernel_size``.

    Input (N, C, H, W) → output (N, filters, Ho, Wo), Ho = ⌊(H + 2p − kh)/s⌋ + 1.
    ``padding`` is an int p, "valid" (p = 0) or "same" (p = (k − 1)/2; odd square kernels,
    stride 1). ``activation`` is a name known to ``nnbook.activations.get_activation``
    (applied after the bias) or None. ``kernel_initializer`` is a name or callable accepted by
    :func:`nnbook.initializers.get_initializer` ("glorot_uniform" with fan_in = C·kh·kw and
    fan_out = filters·kh·kw, "normal" N(0, 1), "uniform" U[−0.7, 0.7], …); biases start at 0.
    Parameters: ``params["kernel"]`` (filters, C, kh, kw) and ``params["bias"]`` (filters,).
    """

    def __init__(self, filters: int, kernel_size, stride: int = 1, padding=0,
                 activation: str | None = None, kernel_initializer: str = "glorot_uniform",
                 use_reference: bool = False, name: str | None = None):
        super().__init__(name)
        self.filters = check_positive(filters, "filters", integer=True)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = check_positive(stride, "stride", integer=True)
        if padding == "valid":
            padding = 0
        elif padding == "same":
            kh, kw = self.kernel_size
            if kh != kw or kh % 2 == 0 or self.stride != 1:
                raise ValueError("padding='same' needs an odd square kernel and stride 1, found "
                                 f"kernel_size {self.kernel_size} and stride {self.stride}")
            padding = (kh - 1) // 2
        elif isinstance(padding, str):
            raise ValueError(f"padding: expected an int, 'valid' or 'same', found {padding!r}")
        self.padding = check_positive(padding, "padding", integer=True, allow_zero=True)
        self.kernel_initializer = kernel_initializer
        self._initializer = get_initializer(kernel_initializer)
        self.activation = activation
        if activation is None:
            self._f = self._f_prime = None
        else:
            from nnbook.activations import get_activation
            self._f, self._f_prime = get_activation(activation)
        self.use_reference = bool(use_reference)
        self._cache = None

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.name}: expected an input shape (C, H, W), found {input_shape}")
        _, height, width = input_shape
        kh, kw = self.kernel_size
        return (self.filters, conv.conv_output_size(height, kh, self.padding, self.stride),
                conv.conv_output_size(width, kw, self.padding, self.stride))

    def build(self, input_shape, rng):
        self.output_shape(input_shape)  # checks that the kernel fits
        channels = int(input_shape[0])
        kh, kw = self.kernel_size
        shape = (self.filters, channels, kh, kw)
        kernel = np.asarray(self._initializer(shape, rng), dtype=np.float64)
        if kernel.shape != shape:
            raise ValueError(f"{self.name}: the kernel initializer returned shape {kernel.shape}, "
                             f"expected {shape}")
        self.params = {"kernel": kernel, "bias": np.zeros(self.filters)}
        self.zero_grads()
        super().build(input_shape, rng)

    def forward(self, x, training=False):
        if not self.built:
            raise RuntimeError(f"{self.name}: call build(input_shape, rng) before forward")
        x = _check_images(self, x)
        fn = conv.conv2d_forward_reference if self.use_reference else conv.conv2d_forward
        z = fn(x, self.params["kernel"], self.params["bias"], self.stride, self.padding)
        self._cache = (x, z)
        return z if self._f is None else self._f(z)

    def backward(self, grad_output):
        if self._cache is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        x, z = self._cache
        grad_z = as_float_array(grad_output, f"{self.name} grad_output", ndim=4)
        if grad_z.shape != z.shape:
            raise ValueError(f"{self.name}: grad_output has shape {grad_z.shape}; expected the "
                             f"output shape {z.shape}")
        if self._f_prime is not None:
            grad_z = grad_z * self._f_prime(z)
        fn = conv.conv2d_backward_reference if self.use_reference else conv.conv2d_backward
        grad_x, grad_w, grad_b = fn(x, self.params["kernel"], grad_z, self.stride, self.padding)
        self.grads = {"kernel": grad_w, "bias": grad_b}
        return grad_x


class _Pool2D(Layer):
    def __init__(self, pool_size: int = 2, stride: int | None = None,
                 use_reference: bool = False, name: str | None = None):
        super().__init__(name)
        self.pool_size = check_positive(pool_size, "pool_size", integer=True)
        self.stride = pool_size if stride is None else check_positive(stride, "stride",
                                                                      integer=True)
        self.use_reference = bool(use_reference)
        self._cache = None

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.name}: expected an input shape (C, H, W), found {input_shape}")
        channels, height, width = input_shape
        return (int(channels), conv.conv_output_size(height, self.pool_size, 0, self.stride),
                conv.conv_output_size(width, self.pool_size, 0, self.stride))

    def build(self, input_shape, rng):
        self.output_shape(input_shape)
        super().build(input_shape, rng)

    def _grad(self, grad_output):
        if self._cache is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        grad = as_float_array(grad_output, f"{self.name} grad_output", ndim=4)
        return grad


class MaxPool2D(_Pool2D):
    """Max pooling over pool_size × pool_size windows (stride defaults to pool_size); fig. 15.19.

    Backward sends each window's gradient to the window's (first) maximum.
    """

    def forward(self, x, training=False):
        x = _check_images(self, x)
        fn = conv.max_pool2d_forward_reference if self.use_reference else conv.max_pool2d_forward
        y, argmax = fn(x, self.pool_size, self.stride)
        self._cache = (x.shape, argmax)
        return y

    def backward(self, grad_output):
        grad = self._grad(grad_output)
        shape, argmax = self._cache
        fn = conv.max_pool2d_backward_reference if self.use_reference else conv.max_pool2d_backward
        return fn(grad, argmax, shape)


class AvgPool2D(_Pool2D):
    """Mean pooling over pool_size × pool_size windows (stride defaults to pool_size); fig 15.20."""

    def forward(self, x, training=False):
        x = _check_images(self, x)
        fn = conv.avg_pool2d_forward_reference if self.use_reference else conv.avg_pool2d_forward
        y = fn(x, self.pool_size, self.stride)
        self._cache = x.shape
        return y

    def backward(self, grad_output):
        grad = self._grad(grad_output)
        fn = conv.avg_pool2d_backward_reference if self.use_reference else conv.avg_pool2d_backward
        return fn(grad, self._cache, self.pool_size, self.stride)
