"""nnbook.layers.rbf: LeNet-5's Euclidean RBF output units with fixed centres."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers import RBF


def test_outputs_are_squared_distances_to_the_centres():
    layer = RBF(2, centres=[[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    layer.build((3,), np.random.default_rng(0))
    x = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(layer.forward(x), [[0 + 4 + 16, 1 + 4 + 9]])


def test_centres_are_fixed_and_counted_as_non_trainable():
    layer = RBF(10)
    assert layer.count_params((84,)) == (0, 840)
    layer.build((84,), np.random.default_rng(1))
    assert not layer.params["centres"].trainable
    assert set(np.unique(layer.params["centres"].value)) <= {-1.0, 1.0}


def test_gradient_check():
    rng = np.random.default_rng(2)
    assert check_layer(RBF(4), rng.normal(size=(3, 5)), rng) < 1e-7


def test_bad_centres_are_refused():
    with pytest.raises(ValueError, match="one per unit"):
        RBF(3, centres=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="flat examples"):
        RBF(3).output_shape((2, 2))
