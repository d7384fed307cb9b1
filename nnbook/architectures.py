"""Counting shapes, parameters and connections of CNNs (陈强 §15.10; inventory 000 W14, W22–W23).

A tiny tracer walks a list of layer specifications through an input shape and reports, per
layer, the output shape, the trainable parameters and the connections (multiply-adds, a
bias counting as one connection — the convention of LeCun et al. 1998). Three uses:

* :func:`dense_vs_conv_counts` — the source's 100×100×3 image: 30,000 connections per neuron
  of a fully connected first layer, against a convolution's k·k·C·F + F shared weights;
* :func:`lenet5_trace` — LeNet-5 (LeCun et al. 1998; figure 15.22), layer by layer;
* :func:`alexnet_counts` — AlexNet (Krizhevsky et al. 2012; figure 15.23), ≈ 60 million
  parameters and ≈ 650,000 neurons.

Everything is computed from the layer sizes; the tests compare with the published numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnbook.conv import conv_output_size
from nnbook.validation import check_positive

__all__ = ["LayerCount", "Conv", "Pool", "Dense", "trace", "total_params",
           "LENET5_C3_TABLE", "lenet5_trace", "alexnet_counts", "ParameterComparison",
           "dense_vs_conv_counts", "format_trace", "neuron_count"]


@dataclass(frozen=True)
class Conv:
    """Convolution spec: ``filters`` kernels k×k with stride and padding.

    ``groups`` splits channels as AlexNet's two GPUs do (each filter sees C/groups channels);
    ``table`` (LeNet's C3) lists, per filter, the input maps it reads — overrides ``groups``.
    """

    name: str
    filters: int
    kernel: int
    stride: int = 1
    padding: int = 0
    groups: int = 1
    table: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True)
class Pool:
    """Pooling spec (size × size windows). ``trainable=True`` is LeNet-5's subsampling: each
    map multiplies its window sum by a trainable coefficient and adds a trainable bias."""

    name: str
    size: int
    stride: int | None = None
    trainable: bool = False


@dataclass(frozen=True)
class Dense:
    """Fully connected spec; ``trainable=False`` for LeNet-5's fixed RBF output layer."""

    name: str
    units: int
    bias: bool = True
    trainable: bool = True


@dataclass(frozen=True)
class LayerCount:
    """One row of a trace: output shape (C, H, W) or (units,), trainable parameters,
    connections, and the number of output units (neurons)."""

    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    connections: int
    neurons: int
    note: str = ""


def trace(specs, input_shape) -> list[LayerCount]:
    """Walk ``specs`` (Conv / Pool / Dense) through ``input_shape`` (C, H, W); one row each,
    after an "input" row. A Dense layer after a feature map flattens it."""
    shape = tuple(int(d) for d in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape: expected (C, H, W), found {input_shape!r}")
    for d in shape:
        check_positive(d, "input_shape", integer=True)
    rows = [LayerCount("input", "input", shape, 0, 0, 0)]
    for spec in specs:
        if isinstance(spec, Conv):
            channels, height, width = _feature_map(shape, spec)
            ho = conv_output_size(height, spec.kernel, spec.padding, spec.stride)
            wo = conv_output_size(width, spec.kernel, spec.padding, spec.stride)
            if spec.table is not None:
                if len(spec.table) != spec.filters:
                    raise ValueError(f"{spec.name}: table has {len(spec.table)} rows for "
                                     f"{spec.filters} filters")
                inputs_per_filter = [len(maps) for maps in spec.table]
                note = "partial connection table"
            else:
                if channels % spec.groups:
                    raise ValueError(f"{spec.name}: {channels} channels do not split into "
                                     f"{spec.groups} groups")
                inputs_per_filter = [channels // spec.groups] * spec.filters
                note = f"{spec.groups} groups" if spec.groups > 1 else ""
            params = sum(m * spec.kernel ** 2 + 1 for m in inputs_per_filter)
            shape = (spec.filters, ho, wo)
            rows.append(LayerCount(spec.name, "conv", shape, params, params * ho * wo,
                                   spec.filters * ho * wo, note))
        elif isinstance(spec, Pool):
            channels, height, width = _feature_map(shape, spec)
            stride = spec.size if spec.stride is None else spec.stride
            ho = conv_output_size(height, spec.size, 0, stride)
            wo = conv_output_size(width, spec.size, 0, stride)
            per_unit = spec.size ** 2 + (1 if spec.trainable else 0)
            params = 2 * channels if spec.trainable else 0
            shape = (channels, ho, wo)
            note = "trainable coefficient + bias per map" if spec.trainable else "no parameters"
            rows.append(LayerCount(spec.name, "pool", shape, params,
                                   per_unit * channels * ho * wo, channels * ho * wo, note))
        elif isinstance(spec, Dense):
            n_in = 1
            for d in shape:
                n_in *= d
            weights = spec.units * (n_in + (1 if spec.bias else 0))
            params = weights if spec.trainable else 0
            note = "" if spec.trainable else f"{weights:,} fixed (not trained) weights"
            shape = (spec.units,)
            rows.append(LayerCount(spec.name, "dense", shape, params, weights, spec.units, note))
        else:
            raise TypeError(f"trace: expected Conv, Pool or Dense specs, found "
                            f"{type(spec).__name__}")
    return rows


def _feature_map(shape, spec):
    if len(shape) != 3:
        raise ValueError(f"{spec.name}: needs a feature map (C, H, W), found shape {shape}")
    return shape


def total_params(rows) -> int:
    """Sum of the trainable parameters of a trace."""
    return sum(row.params for row in rows)


def format_trace(rows) -> str:
    """A plain-text table of a trace (layer, kind, output shape, params, connections)."""
    lines = [f"{'layer':<8}{'kind':<7}{'output':>14}{'params':>13}{'connections':>14}  note"]
    for row in rows:
        shape = "@".join([str(row.output_shape[0]), "×".join(map(str, row.output_shape[1:]))]) \
            if len(row.output_shape) == 3 else str(row.output_shape[0])
        lines.append(f"{row.name:<8}{row.kind:<7}{shape:>14}{row.params:>13,}"
                     f"{row.connections:>14,}  {row.note}".rstrip())
    lines.append(f"{'total':<8}{'':<7}{'':>14}{total_params(rows):>13,}"
                 f"{sum(r.connections for r in rows):>14,}")
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


def lenet5_trace(convention: str = "lecun1998") -> list[LayerCount]:
    """LeNet-5 on a 1@32×32 input, layer by layer (7 layers after the input, W22).

    ``convention="lecun1998"`` follows the paper: S2/S4 subsample with a trainable
    coefficient and bias per map (12 and 32 parameters), C3 uses :data:`LENET5_C3_TABLE`
    (1,516 parameters), and the output is 10 Euclidean RBF units on F6 whose 840 weights are
    fixed, not trained — 60,000 trainable parameters in all. ``convention="modern"`` is how the
    network is usually rebuilt today (and by ``nnbook.layers``): parameter-free pooling, C3
    fully connected to S2 (2,416), a trained dense 10-way softmax output (850) — 61,706.
    """
    if convention == "lecun1998":
        specs = [Conv("C1", 6, 5), Pool("S2", 2, trainable=True),
                 Conv("C3", 16, 5, table=LENET5_C3_TABLE), Pool("S4", 2, trainable=True),
                 Conv("C5", 120, 5), Dense("F6", 84),
                 Dense("output", 10, bias=False, trainable=False)]
    elif convention == "modern":
        specs = [Conv("C1", 6, 5), Pool("S2", 2), Conv("C3", 16, 5), Pool("S4", 2),
                 Conv("C5", 120, 5), Dense("F6", 84), Dense("output", 10)]
    else:
        raise ValueError(f"convention: expected 'lecun1998' or 'modern', found {convention!r}")
    rows = trace(specs, (1, 32, 32))
    if convention == "lecun1998":
        rows[-1] = LayerCount("output", "rbf", (10,), 0, rows[-1].connections, 10,
                              "Euclidean RBF units: 840 fixed weights")
    return rows


def alexnet_counts(variant: str = "krizhevsky2012") -> list[LayerCount]:
    """AlexNet's layers (5 conv + 3 dense; W23, E34), with parameters and neurons per layer.

    Variants (all on 227×227×3 inputs, the size that makes the paper's 55×55 first map come
    out; the paper's text says 224):

    * ``"krizhevsky2012"`` — the published two-GPU network: conv2, conv4 and conv5 are split
      into 2 groups (each filter sees only its GPU's half of the channels): 60,965,224
      parameters (the paper's "60 million");
    * ``"single_gpu"`` — the same widths without groups: 62,378,344;
    * ``"torchvision"`` — torchvision's ``alexnet`` (64-192-384-256-256 filters, 224 input
      with padding 2 in conv1): 61,100,840.

    Local response normalisation has no trainable parameters and is omitted.
    """
    if variant in ("krizhevsky2012", "single_gpu"):
        groups = 2 if variant == "krizhevsky2012" else 1
        specs = [Conv("conv1", 96, 11, stride=4), Pool("pool1", 3, 2),
                 Conv("conv2", 256, 5, padding=2, groups=groups), Pool("pool2", 3, 2),
                 Conv("conv3", 384, 3, padding=1),
                 Conv("conv4", 384, 3, padding=1, groups=groups),
                 Conv("conv5", 256, 3, padding=1, groups=groups), Pool("pool5", 3, 2)]
        input_shape = (3, 227, 227)
    elif variant == "torchvision":
        specs = [Conv("conv1", 64, 11, stride=4, padding=2), Pool("pool1", 3, 2),
                 Conv("conv2", 192, 5, padding=2), Pool("pool2", 3, 2),
                 Conv("conv3", 384, 3, padding=1), Conv("conv4", 256, 3, padding=1),
                 Conv("conv5", 256, 3, padding=1), Pool("pool5", 3, 2)]
        input_shape = (3, 224, 224)
    else:
        raise ValueError("variant: expected 'krizhevsky2012', 'single_gpu' or 'torchvision', "
                         f"found {variant!r}")
    specs += [Dense("fc6", 4096), Dense("fc7", 4096), Dense("fc8", 1000)]
    return trace(specs, input_shape)


def neuron_count(rows) -> int:
    """Output units of the conv and dense layers of a trace (pooling outputs not counted)."""
    return sum(row.neurons for row in rows if row.kind in ("conv", "dense", "rbf"))


@dataclass(frozen=True)
class ParameterComparison:
    """A dense first layer versus a convolution on the same image (W14, I30, I33)."""

    inputs: int                 # H·W·C, the length of the flattened image (30,000)
    connections_per_neuron: int  # every dense neuron sees every input
    dense_params: int           # hidden_units · (inputs + 1)
    conv_params: int            # filters · (k·k·C + 1), independent of the image size
    conv_connections: int       # Ho·Wo·filters · (k·k·C + 1)


def dense_vs_conv_counts(image_shape=(100, 100, 3), hidden_units: int = 1, filters: int = 1,
                         kernel_size: int = 3) -> ParameterComparison:
    """Count the parameters a dense layer and a convolution need on an image (H, W, C).

    The source's image is 100×100×3 (W14): flattened it has 30,000 entries, so each neuron of
    a fully connected first layer has 30,000 connections (30,000·h weights + h biases for h
    neurons), while a k×k convolution with F filters needs F·(k·k·C + 1) shared weights.
    """
    if len(tuple(image_shape)) != 3:
        raise ValueError(f"image_shape: expected (H, W, C), found {image_shape!r}")
    height, width, channels = (check_positive(d, "image_shape", integer=True)
                               for d in image_shape)
    check_positive(hidden_units, "hidden_units", integer=True)
    check_positive(filters, "filters", integer=True)
    check_positive(kernel_size, "kernel_size", integer=True)
    inputs = height * width * channels
    ho = conv_output_size(height, kernel_size)
    wo = conv_output_size(width, kernel_size)
    conv_params = filters * (kernel_size ** 2 * channels + 1)
    return ParameterComparison(inputs, inputs, hidden_units * (inputs + 1), conv_params,
                               ho * wo * conv_params)
