"""nnbook.optim.base: what every optimiser shares — per-Param state in a weak dictionary, in-place
updates that write through views, fixed parameters left alone."""

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import SGD


def param(value, grad, name="w"):
    p = Param(np.array(value, dtype=float), name)
    p.grad[...] = grad
    return p


def test_state_is_kept_per_param_and_forgotten_with_it():
    a, b = param([0.0], [1.0], "a"), param([0.0], [-1.0], "b")
    opt = SGD(learning_rate=1.0, momentum=0.5)
    opt.step([a, b])
    opt.step([a, b])
    assert a.value[0] == pytest.approx(-1.0 - 1.5) and b.value[0] == pytest.approx(2.5)
    assert len(opt.state) == 2
    del b
    assert len(opt.state) == 1                       # a weak dictionary: no stale state


def test_updates_are_in_place_so_views_write_through():
    flat = np.zeros(4)
    p = Param(np.zeros((2, 2)), "kernel")
    p.value = flat.reshape(2, 2).T
    p.grad[...] = [[1.0, 2.0], [3.0, 4.0]]
    SGD(learning_rate=1.0).step([p])
    assert flat.tolist() == [-1.0, -3.0, -2.0, -4.0]


def test_fixed_params_are_left_alone():
    p = Param(np.ones(2), "centres", trainable=False)
    p.grad[...] = 5.0
    SGD(learning_rate=1.0).step([p])
    assert p.value.tolist() == [1.0, 1.0]
