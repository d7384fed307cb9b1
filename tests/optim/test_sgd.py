"""nnbook.optim.sgd: the step of 陈强 (15.31)–(15.32) / Nielsen eqs. (20)–(21), and momentum —
as a pure function and as an optimiser stepping Params."""

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import SGD, get_optimizer, sgd_step


def param(value, grad, name="w"):
    p = Param(np.array(value, dtype=float), name)
    p.grad[...] = grad
    return p


def test_sgd_step_is_w_minus_eta_gradient():
    p = param([1.0, -2.0], [0.5, 4.0])
    SGD(learning_rate=0.1).step([p])
    np.testing.assert_allclose(p.value, [1.0 - 0.05, -2.0 - 0.4], rtol=1e-15)
    new, velocity = sgd_step(np.array([1.0, -2.0]), np.array([0.5, 4.0]), learning_rate=0.1)
    np.testing.assert_allclose(new, p.value, rtol=0, atol=0)
    np.testing.assert_allclose(velocity, [-0.05, -0.4])


def test_momentum_by_hand():
    """v₁ = −ηg₁, w₁ = w₀ + v₁; v₂ = μv₁ − ηg₂, w₂ = w₁ + v₂."""
    p = param([1.0], [2.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.step([p])
    assert p.value[0] == pytest.approx(1.0 - 0.2)
    p.grad[...] = 1.0
    opt.step([p])
    assert p.value[0] == pytest.approx(0.8 + (0.9 * -0.2 - 0.1))
    assert opt.iterations == 2
    w, v = sgd_step(np.array([1.0]), np.array([2.0]), None, learning_rate=0.1, momentum=0.9)
    w, v = sgd_step(w, np.array([1.0]), v, learning_rate=0.1, momentum=0.9)
    assert w[0] == pytest.approx(p.value[0], rel=1e-15)








def test_sgd_errors():
    for bad in (0, -1.0, float("nan"), "0.1"):
        with pytest.raises(ValueError):
            SGD(learning_rate=bad)
    with pytest.raises(ValueError):
        SGD(momentum=1.0)
    with pytest.raises(TypeError, match="Param"):
        SGD().step([np.zeros(2)])
    with pytest.raises(ValueError, match=r"shape of value \(2,\)"):
        sgd_step(np.zeros(2), np.zeros(3), learning_rate=0.1)
    assert isinstance(get_optimizer("SGD"), SGD)
    with pytest.raises(ValueError, match="sgd"):
        get_optimizer("no-such-optimiser")
    with pytest.raises(TypeError, match="Optimizer"):
        get_optimizer(3)
