"""Keras' utilities the book uses: :func:`to_categorical` (one-hot, Gulli & Pal ch. 1,
'One-hot encoding — OHE') and :func:`set_random_seed`; ``np_utils`` is the Keras 1–2 path of the
book's listings (``np_utils.to_categorical``)."""

from __future__ import annotations

import numbers
import random

import numpy as np

from nnbook.data import one_hot


def to_categorical(y, num_classes=None) -> np.ndarray:
    """Class labels (any shape; a trailing axis of 1 is dropped) → one-hot rows, class axis last.

    ``num_classes`` defaults to max(y) + 1, as in Keras; the result is float64 (Keras' too), which
    a float32 model converts on entry. ``to_categorical([0, 2], 3)`` is [[1, 0, 0], [0, 0, 1]].
    """
    labels = np.asarray(y)
    if labels.size == 0:
        raise ValueError("to_categorical: expected at least one label, found an empty array")
    if not np.issubdtype(labels.dtype, np.number) or np.issubdtype(labels.dtype, np.complexfloating):
        raise TypeError(f"to_categorical: expected integer class labels, found dtype {labels.dtype}")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    if num_classes is None:
        num_classes = int(np.max(labels)) + 1
    return one_hot(labels.reshape(-1), num_classes).reshape(*shape, num_classes)


def set_random_seed(seed: int) -> None:
    """Seed Python's and numpy's global generators, as Keras 3's ``set_random_seed`` does.

    A :class:`nnbook.keras.models.Sequential` made without ``seed=`` takes its seed from numpy's
    global generator, so this (or the book's ``np.random.seed(1671)``) fixes its weights, dropout
    masks, shuffling — the whole run.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: expected an int >= 0, found {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)


__all__ = ["to_categorical", "set_random_seed"]
