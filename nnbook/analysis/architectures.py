"""Shapes, parameters and connections of CNNs, traced on nnbook's own layers (陈强 §15.10).

:func:`trace` walks a list of real layers (:class:`~nnbook.layers.Conv2D`,
:class:`~nnbook.layers.MaxPool2D`, :class:`~nnbook.layers.Dense`, …) through an input shape
and reports, per layer, the output shape, the trainable parameters, the connections
(multiply-adds per example, a bias counting as one — the convention of LeCun et al. 1998) and the
output units. It asks each layer for ``output_shape``, ``count_params`` and
``count_connections`` and allocates no weights, so AlexNet's 61 million or VGG-16's 138 million
parameters cost nothing to count. A Dense or RBF layer after a feature map reads it flattened.

* :func:`dense_vs_conv_counts` — 陈强's 100×100×3 image: 30,000 connections per neuron of a
  fully connected first layer, against a convolution's k·k·C·F + F shared weights;
* :func:`lenet5_trace` — LeNet-5 (LeCun et al. 1998; 陈强 figure 15.22), layer by layer;
* :func:`alexnet_counts` — AlexNet (Krizhevsky et al. 2012; 陈强 figure 15.23), ≈ 60 million
  parameters and ≈ 650,000 neurons;
* :func:`vgg16_trace` — VGG-16 (Simonyan & Zisserman 2014), the 12-step shape trace of
  《深度学习与神经网络》第5章 §5.3.4 (Figs. 5-22, 5-23), 138,357,544 parameters;
* :func:`dense_share` — the fully connected layers' share of a network's parameters.
* :func:`fc_vs_conv_params` — Galeone's two neurons on a 1000×1000 RGB image (6,000,002
  parameters) against a convolution whose count does not change with the image size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nnbook.functional.convolution import conv_output_size
from nnbook.layers import RBF, AvgPool2D, Conv2D, Dense, Layer, MaxPool2D, Subsampling2D
from nnbook.validation import check_positive

__all__ = ["LayerCount", "trace", "total_params", "neuron_count", "format_trace",
           "LENET5_C3_TABLE", "lenet5_layers", "lenet5_trace", "alexnet_layers", "alexnet_counts",
           "VGG16_BLOCKS", "vgg16_layers", "vgg16_trace", "dense_share",
           "ParameterComparison", "dense_vs_conv_counts", "fc_vs_conv_params"]

#: Layers whose outputs are neurons (counted by :func:`neuron_count`); pooling outputs are not.
NEURON_LAYERS = ("Conv2D", "Dense", "RBF")


@dataclass(frozen=True)
class LayerCount:
    """One row of a trace: the layer's name and kind (its class), output shape (C, H, W) or
    (units,), trainable parameters, connections, output units, and a note."""

    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    connections: int
    neurons: int
    note: str = ""


def _note(layer: Layer, fixed: int) -> str:
    if fixed:
        return f"{fixed:,} fixed (not trained) weights"
    if isinstance(layer, Conv2D) and layer.connections is not None:
        return "partial connection table"
    if isinstance(layer, Conv2D) and layer.groups > 1:
        return f"{layer.groups} groups"
    if isinstance(layer, Subsampling2D):
        return "trainable coefficient + bias per map"
    if isinstance(layer, (MaxPool2D, AvgPool2D)):
        return "no parameters"
    return ""


def trace(layers, input_shape) -> list[LayerCount]:
    """Walk ``layers`` through ``input_shape`` (no batch axis); an "input" row, then one per layer."""
    shape = tuple(int(d) for d in input_shape)
    for d in shape:
        check_positive(d, "input_shape", integer=True)
    rows = [LayerCount("input", "input", shape, 0, 0, 0)]
    for layer in layers:
        if not isinstance(layer, Layer):
            raise TypeError(f"trace: expected nnbook layers, found {type(layer).__name__}")
        if isinstance(layer, (Dense, RBF)) and len(shape) > 1:
            shape = (math.prod(shape),)          # a dense layer reads a feature map flattened
        trainable, fixed = layer.count_params(shape)
        out = tuple(layer.output_shape(shape))
        rows.append(LayerCount(layer.name, type(layer).__name__, out, trainable,
                               layer.count_connections(shape), math.prod(out),
                               _note(layer, fixed)))
        shape = out
    return rows


def total_params(rows) -> int:
    """Sum of the trainable parameters of a trace."""
    return sum(row.params for row in rows)


def neuron_count(rows) -> int:
    """Output units of the convolution, dense and RBF layers of a trace (not pooling outputs)."""
    return sum(row.neurons for row in rows if row.kind in NEURON_LAYERS)


def _shape_text(shape) -> str:
    if len(shape) == 3:
        return f"{shape[0]}@{shape[1]}×{shape[2]}"
    return "×".join(map(str, shape))


def format_trace(rows) -> str:
    """A plain-text table of a trace (layer, kind, output shape, params, connections, note)."""
    kind_width = max(len("kind"), *(len(row.kind) for row in rows)) + 2
    lines = [f"{'layer':<8}{'kind':<{kind_width}}{'output':>14}{'params':>13}{'connections':>15}  note"]
    for row in rows:
        lines.append(f"{row.name:<8}{row.kind:<{kind_width}}{_shape_text(row.output_shape):>14}"
                     f"{row.params:>13,}{row.connections:>15,}  {row.note}".rstrip())
    lines.append(f"{'total':<8}{'':<{kind_width}}{'':>14}{total_params(rows):>13,}"
                 f"{sum(r.connections for r in rows):>15,}")
    return "\n".join(lines)


#: LeNet-5's C3 connection table (LeCun et al. 1998, Table I): the S2 maps each C3 map reads.
#: Six maps read 3 neighbouring maps, six read 4 neighbouring, three read 4 non-neighbouring,
#: one reads all 6 — 60 map-to-map connections instead of 96, to break symmetry.
LENET5_C3_TABLE = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


def lenet5_layers(convention: str = "lecun1998") -> list[Layer]:
    """LeNet-5 as nnbook layers for a 1@32×32 input (7 layers; 陈强 figure 15.22).

    ``"lecun1998"`` follows the paper: S2/S4 are :class:`~nnbook.layers.Subsampling2D` (a
    trainable coefficient and bias per map), C3 reads :data:`LENET5_C3_TABLE`, and the output is
    10 Euclidean :class:`~nnbook.layers.RBF` units on F6 with fixed weights. ``"modern"`` is how
    it is usually rebuilt today: max pooling, C3 fully connected to S2, a dense 10-way output.
    """
    if convention == "lecun1998":
        return [Conv2D(6, 5, name="C1"), Subsampling2D(2, name="S2"),
                Conv2D(16, 5, connections=LENET5_C3_TABLE, name="C3"),
                Subsampling2D(2, name="S4"), Conv2D(120, 5, name="C5"), Dense(84, name="F6"),
                RBF(10, name="output")]
    if convention == "modern":
        return [Conv2D(6, 5, name="C1"), MaxPool2D(2, name="S2"), Conv2D(16, 5, name="C3"),
                MaxPool2D(2, name="S4"), Conv2D(120, 5, name="C5"), Dense(84, name="F6"),
                Dense(10, name="output")]
    raise ValueError(f"convention: expected 'lecun1998' or 'modern', found {convention!r}")


def lenet5_trace(convention: str = "lecun1998") -> list[LayerCount]:
    """The trace of :func:`lenet5_layers` on a 1@32×32 input.

    ``"lecun1998"``: 60,000 trainable parameters (S2/S4 12 and 32, C3 1,516; the RBF output's
    840 weights are fixed). ``"modern"``: 61,706 (C3 2,416, output 850).
    """
    return trace(lenet5_layers(convention), (1, 32, 32))


def alexnet_layers(variant: str = "krizhevsky2012") -> tuple[list[Layer], tuple[int, int, int]]:
    """AlexNet's layers (5 convolutions + 3 dense) and its input shape.

    Variants (陈强 figure 15.23 shows the first): ``"krizhevsky2012"`` — the published two-GPU
    network on 227×227×3 inputs (the size that makes the paper's 55×55 first map come out; its
    text says 224), conv2, conv4 and conv5 split into 2 groups; ``"single_gpu"`` — the same
    widths without groups; ``"torchvision"`` — torchvision's ``alexnet`` (64-192-384-256-256
    filters, 224 input with padding 2 in conv1). Local response normalisation has no trainable
    parameters and is left out.
    """
    if variant in ("krizhevsky2012", "single_gpu"):
        groups = 2 if variant == "krizhevsky2012" else 1
        layers = [Conv2D(96, 11, stride=4, name="conv1"), MaxPool2D(3, 2, name="pool1"),
                  Conv2D(256, 5, padding=2, groups=groups, name="conv2"),
                  MaxPool2D(3, 2, name="pool2"), Conv2D(384, 3, padding=1, name="conv3"),
                  Conv2D(384, 3, padding=1, groups=groups, name="conv4"),
                  Conv2D(256, 3, padding=1, groups=groups, name="conv5"),
                  MaxPool2D(3, 2, name="pool5")]
        input_shape = (3, 227, 227)
    elif variant == "torchvision":
        layers = [Conv2D(64, 11, stride=4, padding=2, name="conv1"), MaxPool2D(3, 2, name="pool1"),
                  Conv2D(192, 5, padding=2, name="conv2"), MaxPool2D(3, 2, name="pool2"),
                  Conv2D(384, 3, padding=1, name="conv3"), Conv2D(256, 3, padding=1, name="conv4"),
                  Conv2D(256, 3, padding=1, name="conv5"), MaxPool2D(3, 2, name="pool5")]
        input_shape = (3, 224, 224)
    else:
        raise ValueError("variant: expected 'krizhevsky2012', 'single_gpu' or 'torchvision', "
                         f"found {variant!r}")
    layers += [Dense(4096, name="fc6"), Dense(4096, name="fc7"), Dense(1000, name="fc8")]
    return layers, input_shape


def alexnet_counts(variant: str = "krizhevsky2012") -> list[LayerCount]:
    """The trace of :func:`alexnet_layers`: 60,965,224 parameters for ``"krizhevsky2012"``
    (the paper's "60 million"), 62,378,344 for ``"single_gpu"``, 61,100,840 for ``"torchvision"``."""
    layers, input_shape = alexnet_layers(variant)
    return trace(layers, input_shape)


#: VGG-16's five convolution blocks: (filters, 3×3 convolutions in the block); each is followed
#: by 2×2 max pooling with stride 2 (§5.3.4, steps (1)–(10) of the book's trace).
VGG16_BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def vgg16_layers() -> list[Layer]:
    """VGG-16 (configuration D of Simonyan & Zisserman 2014) as nnbook layers for 3@224×224.

    13 convolutions 3×3 (stride 1, padding 1: the map keeps its size), 5 max poolings 2×2
    (stride 2: the map halves), then FC-4096, FC-4096 and FC-1000 with softmax — 16 weight
    layers, the "16" of the name. The book leaves stride and padding implicit; these are the
    paper's.
    """
    layers: list[Layer] = []
    for block, (filters, convolutions) in enumerate(VGG16_BLOCKS, start=1):
        layers += [Conv2D(filters, 3, padding=1, activation="relu", name=f"conv{block}_{k}")
                   for k in range(1, convolutions + 1)]
        layers.append(MaxPool2D(2, name=f"pool{block}"))
    return layers + [Dense(4096, activation="relu", name="fc6"),
                     Dense(4096, activation="relu", name="fc7"),
                     Dense(1000, activation="softmax", name="fc8")]


def vgg16_trace() -> list[LayerCount]:
    """The trace of :func:`vgg16_layers` on a 3@224×224 image: 224²×64 after block 1, then
    112²×128, 56²×256, 28²×512, 14²×512 and 7²×512 after the last pooling, 4096, 4096, 1000;
    138,357,544 parameters (the book prints the shapes, not the count)."""
    return trace(vgg16_layers(), (3, 224, 224))


def dense_share(rows) -> float:
    """The fraction of a trace's parameters that sit in its Dense layers (VGG-16: 0.894,
    AlexNet: 0.962 — more than the "about 80 %" of §5.3.3)."""
    total = total_params(rows)
    if total == 0:
        raise ValueError("dense_share: the trace has no parameters")
    return sum(row.params for row in rows if row.kind == "Dense") / total


@dataclass(frozen=True)
class ParameterComparison:
    """A dense first layer versus a convolution on the same image (陈强 §15.10)."""

    inputs: int                 # H·W·C, the length of the flattened image (30,000)
    connections_per_neuron: int  # every dense neuron sees every input
    dense_params: int           # hidden_units · (inputs + 1)
    conv_params: int            # filters · (k·k·C + 1), independent of the image size
    conv_connections: int       # Ho·Wo·filters · (k·k·C + 1)


def dense_vs_conv_counts(image_shape=(100, 100, 3), hidden_units: int = 1, filters: int = 1,
                         kernel_size: int = 3) -> ParameterComparison:
    """Count the parameters a dense layer and a convolution need on an image (H, W, C).

    陈强's image is 100×100×3: flattened it has 30,000 entries, so each neuron of a fully
    connected first layer has 30,000 connections (30,000·h weights + h biases for h neurons),
    while a k×k convolution with F filters needs F·(k·k·C + 1) shared weights.
    """
    if len(tuple(image_shape)) != 3:
        raise ValueError(f"image_shape: expected (H, W, C), found {image_shape!r}")
    height, width, channels = (check_positive(d, "image_shape", integer=True)
                               for d in image_shape)
    check_positive(hidden_units, "hidden_units", integer=True)
    check_positive(filters, "filters", integer=True)
    check_positive(kernel_size, "kernel_size", integer=True)
    inputs = height * width * channels
    conv_shape = (channels, height, width)
    conv = Conv2D(filters, kernel_size)
    conv_output_size(height, kernel_size)      # the kernel must fit the image
    return ParameterComparison(inputs, inputs, Dense(hidden_units).count_params((inputs,))[0],
                               conv.count_params(conv_shape)[0],
                               conv.count_connections(conv_shape))


def fc_vs_conv_params(image_shapes=((1000, 1000, 3),), units: int = 2, filters: int = 2,
                      kernel_size: int = 3) -> dict[tuple[int, int, int], ParameterComparison]:
    """:func:`dense_vs_conv_counts` for each image (H, W, C) of ``image_shapes``.

    Galeone, ch. 2, end of §'Backpropagation and automatic differentiation': connecting every
    neuron to every input value makes the weights (inputs × neurons); with just two neurons on a
    1000×1000 RGB image that is 2·H·W·C = 6,000,000 weights + 2 biases = 6,000,002 (the
    source's number is lost and counts pixels, not pixel values: its own arithmetic for a
    grey megapixel image gives 2,000,000) — while ``filters`` k×k×C kernels need
    filters·(k²·C + 1) parameters (2·(9·3 + 1) = 56) for any H×W.
    """
    if not isinstance(image_shapes, (tuple, list)) or not all(
            isinstance(shape, (tuple, list)) for shape in image_shapes):
        raise TypeError(f"image_shapes: expected a sequence of (H, W, C) shapes such as "
                        f"((1000, 1000, 3),), found {image_shapes!r}")
    shapes = [tuple(shape) for shape in image_shapes]
    if not shapes:
        raise ValueError("image_shapes: expected at least one (H, W, C) shape")
    return {shape: dense_vs_conv_counts(shape, units, filters, kernel_size) for shape in shapes}
