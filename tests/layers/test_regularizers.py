"""nnbook.layers.regularizers: L1, L2 (陈强 (15.33)) and elastic net (Gulli & Pal ch. 1), their
gradients, and the weight-decay factor (1 − 2ηλ)."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.layers import Param
from nnbook.layers.regularizers import L1, L1L2, L2, l1, l1_l2, l2
from nnbook.optim import SGD

W = np.array([[1.0, -2.0], [3.0, 0.5]])


def test_l2_penalty_value_gradient_and_shrink_factor():
    pen = l2(0.1)
    assert isinstance(pen, L2) and pen.lam == 0.1
    assert pen(W) == pytest.approx(0.1 * (1 + 4 + 9 + 0.25))    # λ‖W‖²_F (15.33)
    np.testing.assert_allclose(pen.gradient(W), 0.2 * W)
    assert pen.shrink_factor(0.5) == pytest.approx(1 - 2 * 0.5 * 0.1)
    p = Param(W.copy(), "kernel")                                # a pure-penalty step shrinks W
    p.grad[...] = pen.gradient(W)
    SGD(learning_rate=0.5).step([p])
    np.testing.assert_allclose(p.value, pen.shrink_factor(0.5) * W)
    for bad in (-0.1, float("inf"), "x"):
        with pytest.raises(ValueError):
            L2(bad)


def test_keras_example_l2_of_point_01_on_one_to_four_is_point_3():
    assert l2(0.01)([[1, 2], [3, 4]]) == pytest.approx(0.3)


def test_l1_and_elastic_net_by_hand():
    assert l1(0.1)(W) == pytest.approx(0.1 * 6.5) and isinstance(l1(), L1)
    np.testing.assert_allclose(l1(0.1).gradient(W), 0.1 * np.sign(W))
    both = l1_l2(0.1, 0.2)
    assert both(W) == pytest.approx(0.1 * 6.5 + 0.2 * 14.25)
    np.testing.assert_allclose(both.gradient(W), 0.1 * np.sign(W) + 0.4 * W)
    assert (l1().l1, l2().l2, l1_l2().l1, l1_l2().l2) == (0.01, 0.01, 0.01, 0.01)   # Keras' defaults


@pytest.mark.parametrize("penalty", [l1(0.3), l2(0.3), L1L2(0.2, 0.4)], ids=repr)
def test_gradients_against_central_differences(penalty):
    w = np.array([[0.7, -1.3], [2.1, -0.4]])     # away from 0, where |w| has a kink
    numeric = numerical_gradient(lambda v: penalty(v), w.copy())
    assert relative_error(penalty.gradient(w), numeric) < 1e-8
