"""nnbook.layers.regularizers: λ‖W‖² (陈强 (15.33)) and the weight-decay factor (1 − 2ηλ)."""

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.layers.regularizers import L2, l2
from nnbook.optim import SGD


def test_l2_penalty_value_gradient_and_shrink_factor():
    W = np.array([[1.0, -2.0], [3.0, 0.5]])
    pen = l2(0.1)
    assert isinstance(pen, L2)
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
