"""Chapter 4's convolution demos (Galeone, ch. 2, §'The convolution operator' to §'1 x 1 x D
convolutions'), run on the library, and batch normalisation's batch statistics.

All results are *derived* (the source has no numbers): a discrete LTI system's output equals
``np.convolve(x, S(δ))``; output sizes ⌊(I − k)/S⌋ + 1 (reconstructed); Sobel's edge map of a
real photograph (scikit-learn's offline sample image); a 1×1×D convolution is a dense layer at
every pixel, and a dense layer on a whole W×H×D volume is a convolution with a W×H×D kernel
(the precise form of the source's overstated "1×1×D convolutions replace any fully connected
layer"); batch normalisation's batch mean 0 and variance σ²/(σ² + ε) ≈ 1. The other
regularisation demos (dropout, weight decay, augmentation, early stopping, batch normalisation
in a deep net) are in :mod:`nnbook.book.demos.galeone_2_regularisation`.

Library pieces are imported inside the functions that need them.
"""

from __future__ import annotations

import numpy as np

#: (input side I, kernel side k, stride S) → output side, the derived cases of the reconstructed
#: size formula ⌊(I − k)/S⌋ + 1 (§'2D convolution'): 32, 5, 1 is LeNet-5's first layer.
CONV_SIZE_CASES = {(5, 3, 1): 3, (32, 5, 1): 28, (7, 3, 2): 3}


# ------------------------------------------------------------------ §'The convolution operator'

def lti_demo(rng: np.random.Generator, n: int = 24) -> dict:
    """For each example system of :mod:`nnbook.functional.signals`: its response to a random
    signal x (n,), the first n samples of ``np.convolve(x, S(δ))`` (numpy's, as the oracle),
    and the linearity / time-invariance checks. The two LTI systems match; the squarer (not
    linear) and the ramp gain (not time invariant) do not."""
    from nnbook.functional import signals

    x = rng.normal(size=n)
    systems = {"moving average": signals.moving_average(3),
               "exponential smoother": signals.exponential_smoother(0.5),
               "squarer": signals.squarer(), "ramp gain": signals.ramp_gain()}
    result = {}
    for name, system in systems.items():
        h = signals.impulse_response(system, n)
        result[name] = {"output": system(x), "by_convolution": np.convolve(x, h)[:n],
                        "linear": bool(signals.is_linear(system, rng)),
                        "time_invariant": bool(signals.is_time_invariant(system, rng))}
    return result


# ------------------------------------------------------------------ §'2D convolution'

def conv_output_sizes(cases=None, rng=None) -> dict:
    """{(I, k, S): (formula, shape side of an actual sliding)}: the size by
    :func:`nnbook.functional.convolution.conv_output_size` and the side of
    :func:`~nnbook.functional.convolution.correlate2d`'s output on an I×I image."""
    from nnbook.functional.convolution import conv_output_size, correlate2d

    rng = np.random.default_rng(0) if rng is None else rng
    cases = CONV_SIZE_CASES if cases is None else cases
    sizes = {}
    for (side, k, stride) in cases:
        computed = correlate2d(rng.normal(size=(side, side)), rng.normal(size=(k, k)), stride)
        sizes[(side, k, stride)] = (conv_output_size(side, k, 0, stride), computed.shape[0])
    return sizes


def sobel_demo(name: str = "china.jpg", crop=(slice(100, 300), slice(300, 560))) -> dict:
    """Sobel's edge map (:func:`nnbook.functional.convolution.sobel_edges`) of a grey crop of
    scikit-learn's sample photograph (:func:`nnbook.data.images.sample_photo`, offline), as in
    the source's figure of §'2D convolution': {"gray" (H, W), "gx", "gy", "edges" (H−2, W−2)}."""
    from nnbook.data.images import sample_photo, to_gray
    from nnbook.functional.convolution import SOBEL_X, SOBEL_Y, correlate2d, sobel_edges

    gray = np.asarray(to_gray(sample_photo(name)), dtype=float)[crop]
    return {"gray": gray, "gx": correlate2d(gray, SOBEL_X), "gy": correlate2d(gray, SOBEL_Y),
            "edges": sobel_edges(gray)}


# ------------------------------------------------------------------ §'1 x 1 x D convolutions'

def conv1x1_demo(rng: np.random.Generator, depth: int = 512, filters: int = 64) -> dict:
    """A 1×1×D convolution (D = 512 as in the source, N = ``filters``) on two image sizes, next
    to the dense layer applied to each pixel's depth vector (einsum, the oracle), and a dense
    layer on a whole flattened volume next to a convolution whose kernel is the whole volume
    (:func:`nnbook.functional.convolution.conv2d_forward`): both give 1×1×N."""
    from nnbook.functional.convolution import conv1x1, conv2d_forward

    w, b = rng.normal(size=(depth, filters)), rng.normal(size=filters)
    per_pixel = {}
    for side in (1, 5):
        x = rng.normal(size=(depth, side, side))
        per_pixel[side] = (conv1x1(x, w, b), np.einsum("dhw,dn->nhw", x, w) + b[:, None, None])
    volume = rng.normal(size=(3, 6, 6))                          # a small (D, H, W) volume
    dense_w = rng.normal(size=(volume.size, filters))
    dense = volume.reshape(1, -1) @ dense_w                      # (1, N)
    kernel = dense_w.T.reshape(filters, *volume.shape)           # N filters as deep and wide
    conv = conv2d_forward(volume[None], kernel, np.zeros(filters))   # (1, N, 1, 1)
    return {"per_pixel": per_pixel, "params": depth * filters + filters,
            "dense_on_volume": dense[0], "volume_kernel_conv": conv[0, :, 0, 0],
            "conv_shape": conv.shape[1:]}


# ------------------------------------------------------------------ §'Batch normalization'

def batchnorm_statistics(rng: np.random.Generator, *, batch: int = 64, features: int = 4,
                         scale: float = 3.0, shift: float = 5.0) -> dict:
    """A :class:`nnbook.layers.batchnorm.BatchNormalization` layer (γ = 1, β = 0) on a training
    batch of N(shift, scale²) features: per-feature mean of the output ≈ 0 and variance
    σ²/(σ² + ε) ≈ 1 (σ² the batch's own variance); in inference mode it uses the running
    statistics instead, so its output no longer depends on the rest of the batch."""
    from nnbook.layers.batchnorm import BatchNormalization

    layer = BatchNormalization()
    layer.build((features,), rng)
    x = shift + scale * rng.normal(size=(batch, features))
    y = layer.forward(x, training=True)
    variance = x.var(axis=0)
    return {"mean": y.mean(axis=0), "variance": y.var(axis=0),
            "expected_variance": variance / (variance + layer.epsilon),
            "first_alone": layer.forward(x[:1], training=False),
            "first_in_batch": layer.forward(x, training=False)[:1]}
