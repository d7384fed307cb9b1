"""The convolution layer on the Layer protocol (NCHW), 陈强 §15.10.

``Conv2D`` is a partially connected layer with shared weights: F filters, each (C, kh, kw),
plus one bias per filter, so it has F·(C·kh·kw + 1) parameters however large the image. Two
historical networks connect a filter to only some input maps: AlexNet splits its layers over two
GPUs (``groups=2``: each filter sees half of the channels) and LeNet-5's C3 reads the maps listed
in a connection table (``connections=``). Both are a 0/1 mask on the kernel: the masked entries
stay 0, receive no gradient and are not counted as parameters. The layer runs the Numba twins of
:mod:`nnbook.functional.convolution` (``use_reference=True`` switches to the readable loops).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.functional import convolution as conv
from nnbook.layers.activation import Nonlinearity
from nnbook.layers.base import Layer
from nnbook.layers.initializers import get_initializer
from nnbook.validation import check_positive


def pair(value, name) -> tuple[int, int]:
    """An int k or a pair (kh, kw) of positive ints → (kh, kw)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value, value)
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)):
        raise TypeError(f"{name}: expected an int or a pair of ints, found {value!r}")
    for v in value:
        check_positive(int(v), name, integer=True)
    return int(value[0]), int(value[1])


def feature_map_shape(layer: Layer, input_shape) -> tuple[int, int, int]:
    """``input_shape`` as (C, H, W), or a ValueError naming ``layer``."""
    input_shape = tuple(input_shape)
    if len(input_shape) != 3:
        raise ValueError(f"{layer.name}: expected an input shape (C, H, W), found {input_shape}")
    return tuple(int(d) for d in input_shape)


class Conv2D(Layer):
    """2-D convolution (cross-correlation) with ``filters`` kernels of size ``kernel_size``.

    Input (N, C, H, W) → output (N, filters, Ho, Wo), Ho = ⌊(H + 2p − kh)/s⌋ + 1.
    ``padding`` is an int p, "valid" (p = 0) or "same" (p = (k − 1)/2; odd square kernels,
    stride 1). ``activation`` is None or a name (applied after the bias).
    ``kernel_initializer``: a name or callable of :mod:`nnbook.layers.initializers`
    ("glorot_uniform" with fan_in = C·kh·kw and fan_out = filters·kh·kw by default); biases
    start at 0. ``groups`` g splits channels and filters into g groups (filter f sees only the
    channels of its group); ``connections`` instead lists, per filter, the input maps it reads
    (e.g. LeNet-5's C3 table). Parameters: ``params["kernel"]`` (filters, C, kh, kw) and
    ``params["bias"]`` (filters,); ``connection_mask(C)`` is the (filters, C) 0/1 mask.
    """

    def __init__(self, filters: int, kernel_size, stride: int = 1, padding=0,
                 activation: str | None = None, kernel_initializer="glorot_uniform",
                 groups: int = 1, connections=None, use_reference: bool = False,
                 name: str | None = None):
        super().__init__(name)
        self.filters = check_positive(filters, "filters", integer=True)
        self.kernel_size = pair(kernel_size, "kernel_size")
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
        self.groups = check_positive(groups, "groups", integer=True)
        if self.filters % self.groups:
            raise ValueError(f"groups: {self.filters} filters do not split into {self.groups} groups")
        if connections is not None:
            if self.groups != 1:
                raise ValueError("give either groups or connections, not both")
            connections = tuple(tuple(int(c) for c in maps) for maps in connections)
            if len(connections) != self.filters:
                raise ValueError(f"connections: expected one list of input maps per filter "
                                 f"({self.filters}), found {len(connections)}")
        self.connections = connections
        self.kernel_initializer = get_initializer(kernel_initializer)
        self._nonlinearity = Nonlinearity(activation)
        self.activation = self._nonlinearity.name
        self.use_reference = bool(use_reference)
        self._mask = None
        self._cache = None

    # ------------------------------------------------------------------ shapes
    def output_shape(self, input_shape):
        _, height, width = feature_map_shape(self, input_shape)
        kh, kw = self.kernel_size
        return (self.filters, conv.conv_output_size(height, kh, self.padding, self.stride),
                conv.conv_output_size(width, kw, self.padding, self.stride))

    def connection_mask(self, channels: int) -> np.ndarray:
        """(filters, channels) 0/1 array: 1 where filter f reads input map c."""
        mask = np.zeros((self.filters, channels))
        if self.connections is not None:
            for f, maps in enumerate(self.connections):
                if any(not 0 <= c < channels for c in maps):
                    raise ValueError(f"{self.name}: connections[{f}] = {maps} names maps outside "
                                     f"0 … {channels - 1}")
                mask[f, list(maps)] = 1.0
        else:
            if channels % self.groups:
                raise ValueError(f"{self.name}: {channels} channels do not split into "
                                 f"{self.groups} groups")
            per_group, filters_per_group = channels // self.groups, self.filters // self.groups
            for f in range(self.filters):
                group = f // filters_per_group
                mask[f, group * per_group:(group + 1) * per_group] = 1.0
        return mask

    def param_shapes(self, input_shape):
        channels = feature_map_shape(self, input_shape)[0]
        return {"kernel": (self.filters, channels, *self.kernel_size), "bias": (self.filters,)}

    def count_params(self, input_shape):
        kh, kw = self.kernel_size
        mask = self.connection_mask(feature_map_shape(self, input_shape)[0])
        return int(mask.sum()) * kh * kw + self.filters, 0

    def count_connections(self, input_shape):
        _, ho, wo = self.output_shape(input_shape)
        return self.count_params(input_shape)[0] * ho * wo

    def initial_values(self, input_shape, rng):
        shapes = self.param_shapes(input_shape)
        mask = self.connection_mask(shapes["kernel"][1])
        kernel = np.asarray(self.kernel_initializer(shapes["kernel"], rng), dtype=np.float64)
        return {"kernel": kernel * mask[:, :, None, None], "bias": np.zeros(self.filters)}

    def build(self, input_shape, rng, dtype=np.float64):
        """Build as every layer; the Numba twins compute in float64 whatever ``dtype`` is."""
        super().build(input_shape, rng, dtype)
        mask = self.connection_mask(self.input_shape[0])
        self._mask = None if mask.all() else mask[:, :, None, None]

    # ------------------------------------------------------------------ passes
    def forward(self, x, training=False):
        self._require_built()
        x = np.ascontiguousarray(self._check_input(x, ndim=4))
        kernel = self.params["kernel"].value
        if self._mask is not None:
            kernel = kernel * self._mask
        fn = conv.conv2d_forward_reference if self.use_reference else conv.conv2d_forward
        z = fn(x, kernel, self.params["bias"].value, self.stride, self.padding)
        a = self._nonlinearity(z)
        self._cache = (x, z, a)
        return a

    @property
    def preactivation(self):
        return None if self._cache is None else self._cache[1]

    def backward(self, grad_output):
        shape = () if self._cache is None else self._cache[2].shape
        grad_a = self._check_grad(grad_output, shape, self._cache)
        _, z, a = self._cache
        return self.backward_preactivation(self._nonlinearity.backward(z, a, grad_a))

    def backward_preactivation(self, grad_z):
        shape = () if self._cache is None else self._cache[1].shape
        grad_z = np.ascontiguousarray(self._check_grad(grad_z, shape, self._cache))
        x = self._cache[0]
        fn = conv.conv2d_backward_reference if self.use_reference else conv.conv2d_backward
        grad_x, grad_w, grad_b = fn(x, self.params["kernel"].value, grad_z, self.stride,
                                    self.padding)
        if self._mask is not None:
            grad_w = grad_w * self._mask
        self.params["kernel"].grad += grad_w
        self.params["bias"].grad += grad_b
        return grad_x

    def __repr__(self):
        return (f"Conv2D({self.filters}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, name={self.name!r})")
