"""SGD (陈强 (15.31)–(15.32)), momentum, and the L2 penalty (15.33)."""

import numpy as np
import pytest

from nnbook.layers import Layer
from nnbook.optim import SGD, get_optimizer
from nnbook.layers.regularizers import L2, l2


class Holder(Layer):
    """A parameter-only layer: params and grads set by hand."""

    def __init__(self, w, g):
        super().__init__()
        self.params = {"w": np.array(w, dtype=float)}
        self.grads = {"w": np.array(g, dtype=float)}


def test_sgd_step_is_w_minus_eta_gradient():
    layer = Holder([1.0, -2.0], [0.5, 4.0])
    SGD(learning_rate=0.1).step([layer])
    np.testing.assert_allclose(layer.params["w"], [1.0 - 0.05, -2.0 - 0.4], rtol=1e-15)


def test_momentum_by_hand():
    """v₁ = −ηg₁, w₁ = w₀ + v₁; v₂ = μv₁ − ηg₂, w₂ = w₁ + v₂."""
    layer = Holder([1.0], [2.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.step([layer])
    assert layer.params["w"][0] == pytest.approx(1.0 - 0.2)
    layer.grads["w"] = np.array([1.0])
    opt.step([layer])
    assert layer.params["w"][0] == pytest.approx(0.8 + (0.9 * -0.2 - 0.1))
    assert opt.iterations == 2


def test_velocity_is_kept_per_layer_and_parameter():
    a, b = Holder([0.0], [1.0]), Holder([0.0], [-1.0])
    opt = SGD(learning_rate=1.0, momentum=0.5)
    opt.step([a, b])
    opt.step([a, b])
    assert a.params["w"][0] == pytest.approx(-1.0 - 1.5) and b.params["w"][0] == pytest.approx(2.5)


def test_sgd_errors():
    for bad in (0, -1.0, float("nan"), "0.1"):
        with pytest.raises(ValueError):
            SGD(learning_rate=bad)
    with pytest.raises(ValueError):
        SGD(momentum=1.0)
    layer = Holder([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        SGD().step([layer])
    assert isinstance(get_optimizer("SGD"), SGD)
    with pytest.raises(ValueError, match="sgd"):
        get_optimizer("adam")


def test_l2_penalty_value_gradient_and_shrink_factor():
    W = np.array([[1.0, -2.0], [3.0, 0.5]])
    pen = l2(0.1)
    assert isinstance(pen, L2)
    assert pen(W) == pytest.approx(0.1 * (1 + 4 + 9 + 0.25))    # λ‖W‖²_F (15.33)
    np.testing.assert_allclose(pen.gradient(W), 0.2 * W)
    assert pen.shrink_factor(0.5) == pytest.approx(1 - 2 * 0.5 * 0.1)
    layer = Holder(W, pen.gradient(W))                           # a pure-penalty step shrinks W
    SGD(learning_rate=0.5).step([layer])
    np.testing.assert_allclose(layer.params["w"], pen.shrink_factor(0.5) * W)
    for bad in (-0.1, float("inf"), "x"):
        with pytest.raises(ValueError):
            L2(bad)
