"""nnbook.layers.param: a value, an accumulated gradient, shared storage."""

import numpy as np
import pytest

from nnbook.layers import Param


def test_gradients_accumulate_until_zeroed():
    p = Param(np.zeros((2, 3)), "w")
    p.accumulate(np.ones((2, 3)))
    p.accumulate(2 * np.ones((2, 3)))
    assert np.all(p.grad == 3.0)
    p.zero_grad()
    assert np.all(p.grad == 0.0) and p.shape == (2, 3) and p.size == 6


def test_value_can_be_a_view_that_updates_write_through():
    flat = np.arange(6.0)
    p = Param(np.zeros((3, 2)), "kernel")
    p.value = flat.reshape(2, 3).T            # a transposed view, as chapter 1's Network uses
    p.value[...] -= 1.0
    assert flat.tolist() == [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    assert p.grad.shape == (3, 2) and np.all(p.grad == 0)


def test_bad_values_and_gradients_are_refused():
    with pytest.raises(TypeError, match="floats"):
        Param(np.arange(3), "ints")
    p = Param(np.zeros(3), "b")
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\)"):
        p.accumulate(np.zeros(4))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        p.value = np.zeros(2)
    assert "trainable=False" in repr(Param(np.zeros(1), "c", trainable=False))
