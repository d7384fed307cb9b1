"""nnbook.keras.utils: to_categorical (also as utils.np_utils) and set_random_seed."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nnbook.keras.utils import np_utils, set_random_seed, to_categorical


def test_to_categorical_one_hot_rows():
    Y = to_categorical(np.array([0, 2, 1]), 3)
    assert Y.dtype == np.float64                                            # as Keras
    np.testing.assert_array_equal(Y, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert to_categorical([3, 1]).shape == (2, 4)                           # max + 1 classes
    assert to_categorical(np.array([[0], [2]]), 3).shape == (2, 3)          # (n, 1) → (n, k)
    assert to_categorical(np.array([[0, 1], [2, 1]]), 3).shape == (2, 2, 3)
    assert to_categorical(np.array([5], dtype=np.uint8), 10)[0, 5] == 1
    assert np_utils.to_categorical is to_categorical


def test_to_categorical_errors():
    with pytest.raises(ValueError, match="0 .. 2|range|n_classes"):
        to_categorical([0, 3], 3)
    with pytest.raises(ValueError, match="empty"):
        to_categorical([], 3)
    with pytest.raises(TypeError, match="integer class labels"):
        to_categorical(["a"], 3)
    with pytest.raises((TypeError, ValueError), match="whole|int"):
        to_categorical([0.5], 3)


def test_set_random_seed_seeds_numpy_and_python(global_numpy_seed):
    state = random.getstate()
    try:
        set_random_seed(1671)
        first = (np.random.rand(), random.random())
        set_random_seed(1671)
        assert (np.random.rand(), random.random()) == first
    finally:
        random.setstate(state)
    with pytest.raises(ValueError, match="seed"):
        set_random_seed(-1)
