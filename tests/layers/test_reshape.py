"""nnbook.layers.reshape: Flatten."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers import Flatten


def test_flatten_shapes_and_gradient():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 4, 5))
    layer = Flatten()
    y = layer.forward(x)
    assert y.shape == (2, 60) and np.array_equal(y[1], x[1].ravel())
    assert layer.output_shape((100, 100, 3)) == (30_000,)       # 陈强 §15.10: 30,000 inputs
    assert check_layer(Flatten(), x, rng) < 1e-7


def test_flatten_errors_name_the_expected_shape():
    layer = Flatten()
    layer.forward(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"expected shape \(2, 12\)"):
        layer.backward(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="at least one example"):
        Flatten().forward(np.ones((0, 5)))
