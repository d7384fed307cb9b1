"""Dense layers as convolutions, and the fully convolutional network as one big convolution
(Galeone, ch. 2, §'1 x 1 x D convolutions').

A Dense layer of N units reading a flattened C×H×W map is a convolution with N kernels of size
C×H×W: each unit's weights, reshaped, are a filter that fits the map exactly once, giving an
N×1×1 output. Every later Dense layer then reads an M×1×1 map and is a 1×1 convolution. So a
1×1×D convolution equals a *per-pixel* dense layer; it replaces a dense layer on a whole volume
only after that first H×W convolution (the source says any dense layer, which overstates it).

Once every layer is a convolution or a pooling, the network applies the same weights at every
position of a larger input: it is itself one convolution, with a receptive field r and a stride
S computed by :func:`receptive_field`, so an I×I input gives ⌊(I − r)/S⌋ + 1 outputs per axis —
more than 1 when I exceeds the size the network was designed for. The source's sentence saying
the architecture *cannot* be seen as one convolution is inverted in translation: it can, and that
is why larger inputs give W > 1, H > 1 maps (while the original dense network refuses them).
"""

from __future__ import annotations

import copy

import numpy as np

from nnbook.functional.convolution import conv_output_size
from nnbook.layers import AvgPool2D, Conv2D, Dense, Flatten, Layer, MaxPool2D, Subsampling2D
from nnbook.layers.conv import feature_map_shape
from nnbook.validation import as_float_array

__all__ = ["dense_as_conv", "to_fully_convolutional", "receptive_field", "output_positions",
           "fully_convolutional_output_shape", "forward_any_size"]


def dense_as_conv(dense: Dense, input_shape) -> Conv2D:
    """The convolution that computes what ``dense`` computes on a flattened (C, H, W) map.

    N = dense.units kernels of size (C, H, W): kernel[n] = dense's column n reshaped (the order
    in which :class:`~nnbook.layers.Flatten` reads the map); output (N, 1, 1). When ``dense`` is
    built its weights and bias are copied and the convolution is built for ``input_shape``.
    """
    if not isinstance(dense, Dense):
        raise TypeError(f"expected a Dense layer, found {type(dense).__name__}")
    channels, height, width = feature_map_shape(dense, input_shape)
    conv = Conv2D(dense.units, (height, width), activation=dense.activation,
                  name=f"{dense.name}_as_conv")
    if dense.built:
        kernel = dense.params["kernel"].value
        if kernel.shape[0] != channels * height * width:
            raise ValueError(f"{dense.name} reads {kernel.shape[0]} inputs, but a map of shape "
                             f"{(channels, height, width)} has {channels * height * width}")
        conv.build((channels, height, width), np.random.default_rng(0), dtype=kernel.dtype)
        conv.params["kernel"].value[...] = kernel.T.reshape(dense.units, channels, height, width)
        conv.params["bias"].value[...] = dense.params["bias"].value
    return conv


def to_fully_convolutional(layers, input_shape) -> list[Layer]:
    """Replace Flatten + Dense layers by convolutions (the first H×W, the others 1×1).

    ``layers``: nnbook layers for inputs of ``input_shape`` (C, H, W), e.g. a model's
    ``layers``. Convolution and pooling layers are kept (copied); Flatten disappears.
    """
    shape = feature_map_shape(Flatten(name="input"), input_shape)
    converted: list[Layer] = []
    for layer in layers:
        if isinstance(_check_layer(layer), Flatten):
            continue
        if isinstance(layer, Dense):
            layer = dense_as_conv(layer, shape)
        else:
            layer = copy.deepcopy(layer)
        shape = tuple(layer.output_shape(shape))
        converted.append(layer)
    return converted


def _check_layer(layer) -> Layer:
    if not isinstance(layer, Layer):
        raise TypeError(f"expected nnbook layers, found {type(layer).__name__}")
    return layer


def _window(layer: Layer) -> tuple[int, int]:
    """(window size, stride) of a convolution or pooling layer (square, unpadded)."""
    _check_layer(layer)
    if isinstance(layer, Conv2D):
        kh, kw = layer.kernel_size
        if kh != kw or layer.padding:
            raise ValueError(f"{layer.name}: receptive_field handles square, unpadded kernels "
                             f"(found kernel {layer.kernel_size}, padding {layer.padding})")
        return kh, layer.stride
    if isinstance(layer, (MaxPool2D, AvgPool2D, Subsampling2D)):
        return layer.pool_size, layer.stride
    if isinstance(layer, Dense):
        raise ValueError(f"{layer.name} is a Dense layer: convert the network with "
                         "to_fully_convolutional first")
    return 1, 1                     # element-wise layers (activations, dropout) keep positions


def receptive_field(layers) -> tuple[int, int]:
    """(r, S): the stack of convolutions and poolings as one convolution of size r, stride S.

    Each layer of window k and stride s widens the field by (k − 1)·(product of the strides
    before it) and multiplies the stride by s.
    """
    size, stride = 1, 1
    for layer in layers:
        k, s = _window(layer)
        size += (k - 1) * stride
        stride *= s
    return size, stride


def fully_convolutional_output_shape(layers, input_shape, new_input_shape) -> tuple[int, ...]:
    """Output shape (N, Ho, Wo) of ``layers`` (designed for ``input_shape``) made fully
    convolutional and applied to ``new_input_shape`` — (N, 1, 1) for the design size."""
    converted = to_fully_convolutional(layers, input_shape)
    shape = feature_map_shape(converted[0] if converted else Flatten(), new_input_shape)
    for layer in converted:
        shape = tuple(layer.output_shape(shape))
    return shape


def forward_any_size(layers, x) -> np.ndarray:
    """Run convolution/pooling layers on a batch (B, C, H, W) of any size the kernels fit.

    nnbook layers are built for one input shape; a layer built for another is rebuilt for this
    one with the same parameters (a convolution's parameters do not depend on H and W).
    """
    x = as_float_array(x, "x", ndim=4)
    for layer in layers:
        _check_layer(layer)
        shape = tuple(x.shape[1:])
        if not layer.built and layer.param_shapes(shape):
            raise ValueError(f"{layer.name}: build the layer first (its weights are needed)")
        if layer.input_shape != shape:
            resized = copy.deepcopy(layer)
            resized.build(shape, np.random.default_rng(0), dtype=x.dtype)
            for key, param in layer.params.items():
                resized.params[key].value[...] = param.value
            layer = resized
        x = layer.forward(x)
    return x


def output_positions(input_size: int, layers) -> int:
    """Outputs per axis of the network seen as one convolution: ⌊(I − r)/S⌋ + 1."""
    size, stride = receptive_field(layers)
    return conv_output_size(input_size, size, 0, stride)
