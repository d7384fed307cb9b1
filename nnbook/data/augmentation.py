"""Data augmentation: label-preserving random changes of training images (Galeone ch. 2,
§'Data augmentation').

The source names five transformations — left-right flip, up-down flip, added noise, brightness
and saturation changes — and warns that a transformation is only allowed when it keeps the
label: flip a picture of an arrow pointing right and it points left. :func:`arrow_image` draws
such arrows so that this can be checked (``flip_left_right(arrow_image("right"))`` *is*
``arrow_image("left")``).

Layout. Images are floats in [0, 1]. By default the channel axis is last, as image files store
it: (H, W) a grey image, (H, W, C) one image, (N, H, W, C) a batch (NHWC) — so a batch of grey
images is (N, H, W, 1): a 3-D array is always read as one image. nnbook's layers take
(N, C, H, W): pass ``layout="NCHW"`` to work on such a batch directly. The colour operations
(saturation) need C = 3, RGB. Every function is pure: it returns a new array and never changes
its input. Noise, brightness and saturation clip the result to [0, 1] (as TensorFlow's image
functions leave it to the user to do).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.validation import as_float_array

LAYOUTS = ("channels_last", "NCHW")
ARROW_DIRECTIONS = ("right", "left", "up", "down")


# ------------------------------------------------------------------------------ layout
def _axes(images: np.ndarray, layout: str) -> tuple[int, int, int | None]:
    """(height axis, width axis, channel axis or None) of ``images`` in ``layout``."""
    if layout == "NCHW":
        if images.ndim != 4:
            raise ValueError(f"images: layout 'NCHW' expects a batch (N, C, H, W), found shape "
                             f"{images.shape}")
        return 2, 3, 1
    if layout != "channels_last":
        raise ValueError(f"layout: expected one of {LAYOUTS}, found {layout!r}")
    if images.ndim == 2:
        return 0, 1, None
    if images.ndim in (3, 4):
        return images.ndim - 3, images.ndim - 2, images.ndim - 1
    raise ValueError(f"images: expected (H, W), (H, W, C) or a batch (N, H, W, C), found shape "
                     f"{images.shape}")


def _check_images(images, layout: str) -> np.ndarray:
    images = as_float_array(images, "images")
    _axes(images, layout)
    if images.size == 0:
        raise ValueError(f"images: expected at least one pixel, found shape {images.shape}")
    if images.min() < 0.0 or images.max() > 1.0:
        raise ValueError("images: expected intensities in [0, 1] (divide 8-bit images by 255), "
                         f"found values from {images.min():g} to {images.max():g}")
    return images


def _check_real(value, name: str, *, low=None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite real number, found {value!r}")
    if low is not None and value < low:
        raise ValueError(f"{name}: expected a number >= {low}, found {value!r}")
    return float(value)


# ------------------------------------------------------------------------------ the transformations
def flip_left_right(images, layout: str = "channels_last") -> np.ndarray:
    """Mirror every image about its vertical axis (the columns reversed)."""
    images = _check_images(images, layout)
    return np.flip(images, axis=_axes(images, layout)[1]).copy()


def flip_up_down(images, layout: str = "channels_last") -> np.ndarray:
    """Mirror every image about its horizontal axis (the rows reversed)."""
    images = _check_images(images, layout)
    return np.flip(images, axis=_axes(images, layout)[0]).copy()


def add_gaussian_noise(images, rng: np.random.Generator, sigma: float = 0.05,
                       layout: str = "channels_last") -> np.ndarray:
    """Add independent N(0, σ²) noise to every pixel and channel, then clip to [0, 1]."""
    images = _check_images(images, layout)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")
    sigma = _check_real(sigma, "sigma", low=0.0)
    return np.clip(images + rng.normal(0.0, sigma, size=images.shape), 0.0, 1.0)


#: The contract's short name for :func:`add_gaussian_noise`.
add_noise = add_gaussian_noise


def adjust_brightness(images, delta: float, layout: str = "channels_last") -> np.ndarray:
    """Add ``delta`` to every intensity (as ``tf.image.adjust_brightness``), then clip to [0, 1]."""
    images = _check_images(images, layout)
    return np.clip(images + _check_real(delta, "delta"), 0.0, 1.0)


def adjust_saturation(images, factor: float, layout: str = "channels_last") -> np.ndarray:
    """Multiply the HSV saturation of RGB images by ``factor`` ≥ 0, keeping hue and value.

    TensorFlow's ``tf.image.adjust_saturation`` converts to HSV, scales S (clipped to 1) and
    converts back. The round trip has a closed form: with V = max(R, G, B) and S = (V − min)/V,
    every channel is V − (V − c) and the hue fixes the ratios of the (V − c), so scaling S to
    S′ = min(S · factor, 1) maps each channel c to V − (V − c) · S′/S. Grey pixels (S = 0) stay
    grey; ``factor`` 0 makes every pixel grey (R = G = B = V).
    """
    images = _check_images(images, layout)
    factor = _check_real(factor, "factor", low=0.0)
    channel_axis = _axes(images, layout)[2]
    if channel_axis is None or images.shape[channel_axis] != 3:
        raise ValueError(f"images: saturation needs RGB images (3 channels), found shape "
                         f"{images.shape} in layout {layout!r}")
    value = images.max(axis=channel_axis, keepdims=True)
    chroma = value - images.min(axis=channel_axis, keepdims=True)
    saturation = np.divide(chroma, value, out=np.zeros_like(value), where=value > 0)
    new_saturation = np.minimum(saturation * factor, 1.0)
    ratio = np.divide(new_saturation, saturation, out=np.ones_like(value), where=saturation > 0)
    return np.clip(value - (value - images) * ratio, 0.0, 1.0)


# ------------------------------------------------------------------------------ random pipeline
def random_augment(images, rng: np.random.Generator, *, flip_left_right_prob: float = 0.5,
                   flip_up_down_prob: float = 0.0, noise_prob: float = 0.5,
                   noise_sigma: float = 0.05, brightness_prob: float = 0.5,
                   max_brightness_delta: float = 0.1, saturation_prob: float = 0.0,
                   saturation_range: tuple[float, float] = (0.5, 1.5),
                   layout: str = "channels_last") -> np.ndarray:
    """Apply each transformation with its own probability, drawn independently per image.

    In this order: left-right flip, up-down flip, brightness shift δ ~ U[−max, max], saturation
    factor ~ U[saturation_range], Gaussian noise of σ = ``noise_sigma``. The defaults suit a
    photo data set whose labels survive a left-right mirror; the up-down flip and saturation
    are off unless asked for (an upside-down digit or arrow changes meaning; saturation needs
    RGB). A single image (H, W[, C]) is one draw; a batch draws per image. All randomness
    comes from ``rng``.
    """
    images = _check_images(images, layout)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")
    probs = {"flip_left_right_prob": flip_left_right_prob, "flip_up_down_prob": flip_up_down_prob,
             "noise_prob": noise_prob, "brightness_prob": brightness_prob,
             "saturation_prob": saturation_prob}
    for name, p in probs.items():
        if not 0.0 <= _check_real(p, name) <= 1.0:
            raise ValueError(f"{name}: expected a probability in [0, 1], found {p!r}")
    max_brightness_delta = _check_real(max_brightness_delta, "max_brightness_delta", low=0.0)
    if not isinstance(saturation_range, (tuple, list)) or len(saturation_range) != 2:
        raise ValueError(f"saturation_range: expected (low, high), found {saturation_range!r}")
    low, high = (_check_real(v, "saturation_range", low=0.0) for v in saturation_range)
    if low > high:
        raise ValueError(f"saturation_range: expected (low, high) with low <= high, found "
                         f"{saturation_range!r}")
    batched = layout == "NCHW" or images.ndim == 4
    single_layout = "channels_last"
    examples = [np.moveaxis(image, 0, -1) if layout == "NCHW" else image
                for image in (images if batched else [images])]
    if saturation_prob > 0 and (examples[0].ndim != 3 or examples[0].shape[-1] != 3):
        raise ValueError("saturation_prob: saturation needs RGB images (3 channels); pass "
                         "saturation_prob=0 for grey images")
    out = []
    for image in examples:
        if rng.random() < flip_left_right_prob:
            image = flip_left_right(image, single_layout)
        if rng.random() < flip_up_down_prob:
            image = flip_up_down(image, single_layout)
        if rng.random() < brightness_prob:
            image = adjust_brightness(image, rng.uniform(-max_brightness_delta,
                                                         max_brightness_delta), single_layout)
        if rng.random() < saturation_prob:
            image = adjust_saturation(image, rng.uniform(low, high), single_layout)
        if rng.random() < noise_prob:
            image = add_gaussian_noise(image, rng, noise_sigma, single_layout)
        out.append(np.moveaxis(image, -1, 0) if layout == "NCHW" else np.array(image))
    return np.stack(out) if batched else out[0]


# ------------------------------------------------------------------------------ the arrow check
def arrow_image(direction: str, size: int = 9) -> np.ndarray:
    """A (size, size) grey image of an arrow pointing ``direction`` (1 = ink, 0 = background).

    The shaft runs through the centre from one border pixel to the other, the tip one pixel
    from the border, the head two diagonals of length size//2 − 1 back from the tip. Each
    direction is drawn from its own geometry (no flips), so the flip checks are real checks.
    ``size`` is odd and ≥ 5 so that the centre is a pixel.
    """
    if direction not in ARROW_DIRECTIONS:
        raise ValueError(f"direction: expected one of {ARROW_DIRECTIONS}, found {direction!r}")
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 5 \
            or size % 2 == 0:
        raise ValueError(f"size: expected an odd int >= 5, found {size!r}")
    # (row, column) step towards the tip; the perpendicular spreads the head
    step = {"right": (0, 1), "left": (0, -1), "up": (-1, 0), "down": (1, 0)}[direction]
    side = (step[1], step[0])
    centre = size // 2
    tip = (centre + step[0] * (centre - 1), centre + step[1] * (centre - 1))
    tail = (centre - step[0] * (centre - 1), centre - step[1] * (centre - 1))
    image = np.zeros((size, size))
    for k in range(size - 2):                                   # shaft, tail to tip
        image[tail[0] + step[0] * k, tail[1] + step[1] * k] = 1.0
    for k in range(1, centre):                                  # head, both sides
        back = (tip[0] - step[0] * k, tip[1] - step[1] * k)
        image[back[0] + side[0] * k, back[1] + side[1] * k] = 1.0
        image[back[0] - side[0] * k, back[1] - side[1] * k] = 1.0
    return image


__all__ = [
    "ARROW_DIRECTIONS",
    "LAYOUTS",
    "add_gaussian_noise",
    "add_noise",
    "adjust_brightness",
    "adjust_saturation",
    "arrow_image",
    "flip_left_right",
    "flip_up_down",
    "random_augment",
]
