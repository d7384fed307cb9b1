"""Worked examples of Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2 (source
``galeone-2``), §'The convolution operator' to §'1 x 1 x D convolutions': LTI systems,
output sizes, Sobel, volumes, 1×1×D convolutions and the fully convolutional net.
Part of :func:`nnbook.book.worked_examples.galeone_2.rows`, whose docstring says how the rows
are built (every source value stated by the source or derived, every nnbook value computed).
"""

from __future__ import annotations

import numpy as np

from nnbook.book.worked_examples.galeone_2 import _row, _verified
from nnbook.book.worked_examples.reproduction import Reproduction


def convolution_rows() -> list[Reproduction]:
    """§'The convolution operator' to §'1 x 1 x D convolutions'."""
    from scipy.signal import convolve2d as scipy_convolve2d

    from nnbook.analysis.architectures import lenet5_trace
    from nnbook.book.demos import galeone_2_cnn as demos
    from nnbook.functional import convolution as conv
    from nnbook.functional.signals import convolve1d
    from nnbook.symbolic.convolution import convolution_commutes, one_by_one_filters

    rng = np.random.default_rng(6)
    lti = demos.lti_demo(rng)
    a, b = rng.normal(size=7), rng.normal(size=4)
    image, kernel = rng.normal(size=(7, 6)), rng.normal(size=(3, 3))
    true_conv = conv.convolve2d(image, kernel)
    step = np.zeros((6, 8))
    step[:, 4:] = 1.0
    edges = conv.sobel_edges(step)
    volume, filters = rng.normal(size=(3, 6, 5)), rng.normal(size=(2, 3, 3, 3))
    out = conv.correlate_volume(volume, filters)
    per_channel = sum(conv.correlate2d(volume[d], filters[0, d]) for d in range(3))
    order = [2, 0, 1]
    permuted = conv.correlate_volume(volume[order], filters[:, order])
    one_by_one = demos.conv1x1_demo(rng, depth=512, filters=64)
    sizes = demos.conv_output_sizes()
    lenet = lenet5_trace()
    rows = [
        _row("§'The convolution operator' (derived: linearity + time invariance give "
             "y = x * h)", "moving average and exponential smoother: output equals "
             "np.convolve(x, S(δ)), first n samples", "True True",
             " ".join(str(bool(np.allclose(lti[k]["output"], lti[k]["by_convolution"],
                                           rtol=0, atol=1e-12)))
                      for k in ("moving average", "exponential smoother"))),
        _row("§'The convolution operator' (derived)", "counter-examples: the squarer is not "
             "linear, the ramp gain not time invariant; neither output is x * S(δ)",
             "False False",
             " ".join(str(bool(np.allclose(lti[k]["output"], lti[k]["by_convolution"])))
                      for k in ("squarer", "ramp gain"))),
        _row("§'The convolution operator' (derived: substitute u = t − τ)", "convolution "
             "commutes: sympy, and convolve1d(a, b) = convolve1d(b, a)", "True True",
             f"{_verified(convolution_commutes())} "
             f"{bool(np.allclose(convolve1d(a, b), convolve1d(b, a)))}"),
        _row("§'2D convolution' (derived: the kernel index reversed; valid positions)",
             "convolve2d equals scipy's true convolution (mode valid) and correlate2d with the "
             "kernel rotated 180°", "True True",
             f"{bool(np.allclose(true_conv, scipy_convolve2d(image, kernel, mode='valid')))} "
             f"{bool(np.allclose(true_conv, conv.correlate2d(image, kernel[::-1, ::-1])))}"),
    ]
    for (side, k, stride), expected in demos.CONV_SIZE_CASES.items():
        formula, computed = sizes[(side, k, stride)]
        rows.append(_row(f"§'2D convolution' (derived: ⌊({side} − {k})/{stride}⌋ + 1; the "
                         "formula is reconstructed)", f"output side for I = {side}, k = {k}, "
                         f"S = {stride} (formula; sliding)", f"{expected} {expected}",
                         f"{formula} {computed}"))
    rows += [
        _row("§'2D convolution' (derived: 1 + 2 + 1 times a step of 1)", "Sobel on a vertical "
             "step of height 1: largest edge value, and columns with a response", "4 2,3",
             f"{edges.max():g} " + ",".join(str(c) for c in np.flatnonzero(edges.max(axis=0)))),
        _row("§'2D convolution' (derived: valid positions)", "Sobel edge map of the photo's "
             "200×260 grey crop: its size", "198×258",
             "×".join(str(n) for n in demos.sobel_demo()["edges"].shape)),
        _row("§'2D convolutions among volumes' (derived; formula reconstructed)", "a filter as "
             "deep as the volume gives one map, the sum of the per-channel 2-D maps", True,
             bool(np.allclose(out[0], per_channel, rtol=0, atol=1e-12))),
        _row("§'2D convolutions among volumes' (derived; the source's \"unordered set\" is "
             "wrong)", "permuting the channels of input and kernel together changes nothing; "
             "permuting the input's alone does", "True False",
             f"{bool(np.allclose(out, permuted))} "
             f"{bool(np.allclose(out, conv.correlate_volume(volume[order], filters)))}"),
        _row("§'2D convolutions among volumes', LeNet-5 figure (10 classes; sizes from LeCun "
             "et al. 1998)", "LeNet-5: the first map and the classes out",
             "6@28×28 10", f"{lenet[1].output_shape[0]}@{lenet[1].output_shape[1]}×"
                           f"{lenet[1].output_shape[2]} {lenet[-1].output_shape[-1]}"),
        _row("§'1 x 1 x D convolutions' (1×1×512 filters; derived)", "a 1×1×512 convolution "
             "with 64 filters equals a dense layer on every pixel's depth vector (1×1 and 5×5 "
             "images)", True, all(np.allclose(c, d) for c, d in one_by_one["per_pixel"].values())),
        _row("§'1 x 1 x D convolutions' (derived: 512·64 + 64, for any W×H)", "parameters of "
             "64 filters of 1×1×512", 32_832, one_by_one["params"]),
        _row("§'1 x 1 x D convolutions' (derived; sympy)", "the 1×1×D convolution as a matrix "
             "product, entry by entry", True, _verified(one_by_one_filters())),
        _row("§'1 x 1 x D convolutions' (derived; the source's \"a 1×1×D convolution replaces "
             "any dense layer\" overstates)", "a dense layer on a whole 6×6×3 volume equals a "
             "convolution with 6×6×3 kernels: 1×1×N out", True,
             bool(np.allclose(one_by_one["dense_on_volume"], one_by_one["volume_kernel_conv"]))
             and one_by_one["conv_shape"][1:] == (1, 1)),
        *_fully_convolutional_rows(),
    ]
    return rows


def _fully_convolutional_rows() -> list[Reproduction]:
    """§'1 x 1 x D convolutions', 200×200×3: a network designed for it outputs 1×1 there and
    W > 1, H > 1 on a larger input (the source's "cannot be seen as one convolution" is
    inverted in translation: it can, which is why). Sides 200 → 66 (conv 5, stride 3) → 33
    (pool 2) → 16 (conv 3, stride 2); the dense layer is a 16×16 convolution."""
    from nnbook.analysis.fully_conv import (
        fully_convolutional_output_shape,
        receptive_field,
        to_fully_convolutional,
    )
    from nnbook.layers import Conv2D, Dense, Flatten, MaxPool2D

    layers = [Conv2D(8, 5, stride=3), MaxPool2D(2), Conv2D(16, 3, stride=2), Flatten(),
              Dense(10)]
    model_input = design = (3, 200, 200)
    for layer in layers:                            # build for the design size
        layer.build(model_input, np.random.default_rng(0))
        model_input = tuple(layer.output_shape(model_input))
    larger = (3, 264, 264)
    size, stride = receptive_field(to_fully_convolutional(layers, design))
    small = fully_convolutional_output_shape(layers, design, design)
    big = fully_convolutional_output_shape(layers, design, larger)
    ref = "§'1 x 1 x D convolutions' (200×200×3 input; derived"
    return [
        _row(f"{ref}: r = 1 + 4 + 1·3 + 2·6 + 15·12, S = 3·2·2·1)", "conv 5/3, pool 2, conv "
             "3/2, dense on the 16×16 map: the whole net as one convolution, size r and stride "
             "S", "200 12", f"{size} {stride}"),
        _row(f"{ref}: ⌊(264 − 200)/12⌋ + 1 = 6)", "its output on 200×200×3 and on 264×264×3 "
             "(10 classes): 1×1 at the design size, W > 1 and H > 1 on a larger image",
             "10×1×1 10×6×6", f"{'×'.join(map(str, small))} {'×'.join(map(str, big))}"),
    ]
