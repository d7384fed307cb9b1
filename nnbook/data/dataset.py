"""A labelled image data set split into train and test parts, and one-hot label vectors.

Intensities follow Nielsen's convention (ch. 1, §1.6 "A simple network to classify
handwritten digits"): each input is the amount of ink in a pixel, 0.0 = white (no ink),
1.0 = black (full ink), so every image is a vector of floats in [0, 1].
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images and labels, split into a training part and a test part.

    Attributes
    ----------
    name : str
        What the data is, e.g. ``"digits"``, ``"mnist"`` or ``"fashion-mnist"``.
    X_train : ndarray, shape (n_train, d), float64
        One flattened image per row, ink intensities in [0, 1]; ``d = prod(image_shape)``.
    y_train : ndarray, shape (n_train,), int64
        Class label of each training row, in ``0 .. n_classes - 1``.

    X_test : ndarray, shape (n_test, d), float64

    y_test : ndarray, shape (n_test,), int64

    image_shape : tuple of int
        How a row reshapes into a picture, e.g. ``(8, 8)`` or ``(28, 28)``.
    n_classes : int
        Number of classes (10 for digits).

    Arrays are converted to float64 / int64 on construction and checked: shapes agree,
    intensities are finite and in [0, 1], labels are integers in range.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple
    n_classes: int

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Dataset name must be a non-empty str, found {self.name!r}")
        n_classes = _positive_int(self.n_classes, "n_classes")
        image_shape = _image_shape(self.image_shape)
        n_features = math.prod(image_shape)
        object.__setattr__(self, "n_classes", n_classes)
        object.__setattr__(self, "image_shape", image_shape)
        for part in ("train", "test"):
            X = _intensities(getattr(self, f"X_{part}"), f"X_{part}", n_features, image_shape)
            y = _labels(getattr(self, f"y_{part}"), f"y_{part}", n_classes)
            if len(y) != len(X):
                raise ValueError(
                    f"X_{part} has {len(X)} rows but y_{part} has {len(y)} labels; "
                    "expected one label per image"
                )
            object.__setattr__(self, f"X_{part}", X)
            object.__setattr__(self, f"y_{part}", y)

    @property
    def n_train(self) -> int:
        """Number of training images."""
        return self.X_train.shape[0]

    @property
    def n_test(self) -> int:
        """Number of test images."""
        return self.X_test.shape[0]

    @property
    def n_features(self) -> int:
        """Inputs per image, ``prod(image_shape)`` (64 for digits, 784 for MNIST)."""
        return self.X_train.shape[1]

    @property
    def train(self) -> tuple:
        """``(X_train, y_train)``."""
        return self.X_train, self.y_train

    @property
    def test(self) -> tuple:
        """``(X_test, y_test)``."""
        return self.X_test, self.y_test

    def __repr__(self) -> str:
        shape = "×".join(str(s) for s in self.image_shape)
        return (
            f"Dataset({self.name!r}: {self.n_train} train + {self.n_test} test images "
            f"of {shape} = {self.n_features} inputs, {self.n_classes} classes)"
        )


def one_hot(labels, n_classes: int) -> np.ndarray:
    """Turn class labels into one-hot target vectors (Nielsen's desired output y(x), ch. 1 §1.6).

    Parameters
    ----------
    labels : int or array_like of int, shape (n,)
        Class labels in ``0 .. n_classes - 1``. Floats are accepted only when they are
        whole numbers (e.g. ``3.0``).
    n_classes : int
        Length of each target vector.

    Returns
    -------
    ndarray, float64, shape (n, n_classes) — or (n_classes,) for a single int label —
    with a 1.0 in column ``labels[i]`` of row ``i`` and 0.0 elsewhere.
    """
    n_classes = _positive_int(n_classes, "n_classes")
    scalar = np.ndim(labels) == 0
    array = np.asarray(labels)
    if array.ndim > 1:
        raise ValueError(f"labels must be 1-D (n,), found shape {array.shape}")
    codes = _labels(array.reshape(-1), "labels", n_classes)
    targets = np.zeros((codes.shape[0], n_classes), dtype=np.float64)
    targets[np.arange(codes.shape[0]), codes] = 1.0
    return targets[0] if scalar else targets


def _positive_int(value, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a positive int, found {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{what} must be a positive int, found {value}")
    return int(value)


def _image_shape(shape) -> tuple:
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"image_shape must be a tuple of ints such as (28, 28), found {shape!r}") from None
    if not dims:
        raise ValueError("image_shape must have at least one dimension, found ()")
    return tuple(_positive_int(d, "each image_shape entry") for d in dims)


def _intensities(X, what: str, n_features: int, image_shape: tuple) -> np.ndarray:
    array = np.asarray(X)
    if array.dtype == np.bool_ or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise TypeError(f"{what} must hold real numbers (float64 intensities), found dtype {array.dtype}")
    if array.ndim != 2 or array.shape[1] != n_features:
        raise ValueError(
            f"{what} must have shape (n, {n_features}) (one flattened {image_shape} image per row), "
            f"found shape {array.shape}"
        )
    array = np.ascontiguousarray(array, dtype=np.float64)
    finite = np.isfinite(array)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        raise ValueError(f"{what} must be finite, found {array[row, col]} at [{row}, {col}]")
    if array.size and (array.min() < 0.0 or array.max() > 1.0):
        bad = np.argwhere((array < 0.0) | (array > 1.0))[0]
        raise ValueError(
            f"{what} must hold ink intensities in [0, 1], found {array[tuple(bad)]} at "
            f"[{bad[0]}, {bad[1]}] (range {array.min()} .. {array.max()})"
        )
    return array


def _labels(y, what: str, n_classes: int) -> np.ndarray:
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(f"{what} must be 1-D (n,), found shape {array.shape}")
    if array.dtype == np.bool_:
        raise TypeError(f"{what} must be integer class labels, found dtype bool")
    if np.issubdtype(array.dtype, np.floating):
        whole = np.isfinite(array) & (array == np.round(array))
        if not whole.all():
            i = int(np.argmin(whole))
            raise TypeError(f"{what} must be integer class labels, found {array[i]} at index {i}")
    elif not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{what} must be integer class labels, found dtype {array.dtype}")
    if array.size:
        bad = (array < 0) | (array >= n_classes)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"{what} must lie in 0 .. {n_classes - 1} (n_classes={n_classes}), "
                f"found {array[i]} at index {i}"
            )
    return array.astype(np.int64)
