"""nnbook.layers.pooling: max and mean pooling (陈强 figures 15.19–15.20) and LeNet-5's trainable
subsampling."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers.pooling import AvgPool2D, GlobalAveragePooling2D, MaxPool2D, Subsampling2D


def test_pooling_has_no_parameters_and_halves_the_map():
    for layer in (MaxPool2D(2), AvgPool2D(2)):
        layer.build((6, 28, 28), np.random.default_rng(0))
        assert layer.n_params == 0  # 陈强 §15.10: pooling has no parameters
        assert layer.output_shape((6, 28, 28)) == (6, 14, 14)
    assert MaxPool2D(3, stride=2).output_shape((96, 55, 55)) == (96, 27, 27)


def test_max_pool_layer_routes_gradient_to_the_maxima():
    feature_map = np.array([[5, 0, 4, 6], [1, 4, 1, 4], [3, 2, 4, 3], [1, 2, 5, 7]], float)
    layer = MaxPool2D(2)
    np.testing.assert_array_equal(layer.forward(feature_map[None, None])[0, 0], [[5, 6], [3, 7]])
    grad = layer.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))[0, 0]
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 3], expected[2, 0], expected[3, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(grad, expected)


def test_avg_pool_layer_matches_the_mean_table():
    feature_map = np.array([[5, 0, 4, 6], [1, 4, 1, 4], [3, 2, 4, 3], [1, 2, 5, 7]], float)
    out = AvgPool2D(2).forward(feature_map[None, None])[0, 0]
    np.testing.assert_allclose(out, [[2.5, 3.75], [2, 4.75]])  # 陈强 figure 15.20


def test_subsampling_is_a_trainable_scaled_window_sum():
    """LeNet-5's S2: z = coefficient · (window sum) + bias per map; 2 parameters per map."""
    layer = Subsampling2D(2, activation="tanh")
    assert layer.count_params((6, 28, 28)) == (12, 0)
    assert layer.count_connections((6, 28, 28)) == (4 + 1) * 6 * 14 * 14   # LeCun's 5,880
    rng = np.random.default_rng(3)
    layer.build((2, 4, 4), rng)
    layer.params["coefficient"].value[...] = [0.5, -1.0]
    layer.params["bias"].value[...] = [0.1, 0.2]
    x = rng.normal(size=(1, 2, 4, 4))
    sums = x.reshape(1, 2, 2, 2, 2, 2).sum(axis=(3, 5))
    expected = np.tanh(np.array([0.5, -1.0])[None, :, None, None] * sums
                       + np.array([0.1, 0.2])[None, :, None, None])
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-13)


@pytest.mark.parametrize("use_reference", [False, True])
def test_subsampling_gradient_check(use_reference):
    rng = np.random.default_rng(4)
    layer = Subsampling2D(2, activation="sigmoid", use_reference=use_reference)
    layer.build((3, 6, 6), rng)
    layer.params["coefficient"].value[...] = rng.normal(size=3)
    assert check_layer(layer, rng.normal(size=(2, 3, 6, 6)), rng) < 1e-7


def test_pooling_errors_name_the_shape():
    layer = MaxPool2D(2)
    layer.forward(np.ones((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"expected shape \(1, 1, 2, 2\)"):
        layer.backward(np.ones((1, 1, 4, 4)))
    with pytest.raises(RuntimeError, match="before forward"):
        AvgPool2D(2).backward(np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        MaxPool2D(2).output_shape((4, 4))


def test_global_average_pooling_gives_each_map_its_mean():
    """(N, C, H, W) → (N, C), each entry the mean of one map, on a non-square map."""
    x = np.arange(2 * 3 * 2 * 5, dtype=float).reshape(2, 3, 2, 5)
    layer = GlobalAveragePooling2D()
    assert layer.output_shape((3, 2, 5)) == (3,)
    assert layer.count_params((3, 2, 5)) == (0, 0)
    out = layer.forward(x)
    expected = [[x[n, c].sum() / 10 for c in range(3)] for n in range(2)]
    np.testing.assert_allclose(out, expected)
    grad = layer.backward(np.ones((2, 3)))
    np.testing.assert_allclose(grad, np.full(x.shape, 0.1))   # 1/(H·W) to every position


def test_global_average_pooling_gradient_checks_and_rejects_bad_input():
    rng = np.random.default_rng(4)
    layer = GlobalAveragePooling2D()
    assert check_layer(layer, rng.normal(size=(3, 2, 4, 3)), rng) < 1e-8
    layer = GlobalAveragePooling2D()
    with pytest.raises(ValueError, match="expected"):
        layer.forward(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="empty"):
        layer.forward(np.ones((0, 2, 3, 3)))
    layer.forward(np.ones((1, 2, 3, 3)))
    with pytest.raises(ValueError, match=r"expected shape \(1, 2\)"):
        layer.backward(np.ones((1, 3)))
