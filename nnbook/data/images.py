"""Real photographs that ship offline, and their grey versions (for the edge maps of
Galeone, ch. 2, §'2D convolution').

scikit-learn bundles two colour photographs, ``"china.jpg"`` (a temple) and ``"flower.jpg"``,
427×640 pixels each; :func:`sample_photo` returns one as an (H, W, 3) uint8 array (channels
last, as image files store them; a layer wants NCHW, ``photo.transpose(2, 0, 1)[None]``).
:func:`to_gray` turns RGB into luminance with the ITU-R BT.601 weights.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array

__all__ = ["SAMPLE_PHOTOS", "LUMA_WEIGHTS", "sample_photo", "to_gray"]

#: The photographs scikit-learn ships (``sklearn.datasets.load_sample_image``).
SAMPLE_PHOTOS = ("china.jpg", "flower.jpg")

#: ITU-R BT.601 luma weights for (R, G, B): the eye is most sensitive to green, least to blue.
#: The same weights as Pillow's "L" mode; they add up to 1, so grey stays in the input's range.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


def sample_photo(name: str = "china.jpg") -> np.ndarray:
    """One of scikit-learn's bundled photographs as an (H, W, 3) uint8 array (no download)."""
    if name not in SAMPLE_PHOTOS:
        raise ValueError(f"name: expected one of {SAMPLE_PHOTOS}, found {name!r}")
    from sklearn.datasets import load_sample_image

    return np.asarray(load_sample_image(name))


def to_gray(rgb) -> np.ndarray:
    """Luminance Y = 0.299 R + 0.587 G + 0.114 B of an (…, 3) RGB array → (…) float64.

    Works on one image (H, W, 3) or a batch (N, H, W, 3); the values keep the input's scale
    (0–255 stays 0–255).
    """
    rgb = as_float_array(rgb, "rgb", dtype=np.float64)
    if rgb.ndim < 2 or rgb.shape[-1] != 3:
        raise ValueError(f"rgb: expected colour channels last, shape (..., 3), found {rgb.shape}")
    return rgb @ LUMA_WEIGHTS
