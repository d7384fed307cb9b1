"""nnbook.functional.pooling: 陈强's pooling tables (figures 15.19–15.20), references vs twins,
backward vs finite differences."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.functional import pooling as pool_fn

# 陈强 figures 15.19–15.20: the illustrative 4×4 map and its pooled tables.
POOL_INPUT = np.array([[5, 0, 4, 6],
                       [1, 4, 1, 4],
                       [3, 2, 4, 3],
                       [1, 2, 5, 7]])
MAX_POOLED = np.array([[5, 6], [3, 7]])
MEAN_POOLED = np.array([[2.5, 3.75], [2, 4.75]])
MAX_POOL = [pool_fn.max_pool2d_reference, pool_fn.max_pool2d]
AVG_POOL = [pool_fn.avg_pool2d_reference, pool_fn.avg_pool2d]


@pytest.mark.parametrize("pool, expected", [(p, MAX_POOLED) for p in MAX_POOL]
                         + [(p, MEAN_POOLED) for p in AVG_POOL])
def test_pooling_tables(pool, expected):
    np.testing.assert_array_equal(pool(POOL_INPUT, 2), expected)


def test_pool_input_top_left_is_the_convolution_example():
    """陈强 pools a map whose top-left 3×3 block is figure 15.18's feature map."""
    np.testing.assert_array_equal(POOL_INPUT[:3, :3], [[5, 0, 4], [1, 4, 1], [3, 2, 4]])


def test_overlapping_pooling_with_stride():
    x = np.arange(25.0).reshape(5, 5)
    # 3×3 windows, stride 2: the maxima are the bottom-right corners; means the centres
    np.testing.assert_array_equal(pool_fn.max_pool2d_reference(x, 3, 2), [[12, 14], [22, 24]])
    np.testing.assert_array_equal(pool_fn.max_pool2d(x, 3, 2), [[12, 14], [22, 24]])
    np.testing.assert_allclose(pool_fn.avg_pool2d(x, 3, 2), [[6, 8], [16, 18]], atol=1e-12)
    np.testing.assert_allclose(pool_fn.avg_pool2d_reference(x, 3, 2), [[6, 8], [16, 18]])


# --- batched pooling: twins vs references, backward vs finite differences -----------------



@pytest.mark.parametrize("size, stride", [(2, None), (3, 2)])
def test_pool_backward_against_central_differences(size, stride):
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 2, 7, 7))
    y, argmax = pool_fn.max_pool2d_forward_reference(x, size, stride)
    r = rng.normal(size=y.shape)
    grad = pool_fn.max_pool2d_backward_reference(r, argmax, x.shape)
    numeric = numerical_gradient(
        lambda _: float(np.sum(r * pool_fn.max_pool2d_forward_reference(x, size, stride)[0])), x)
    assert relative_error(grad, numeric) < 1e-7
    grad = pool_fn.avg_pool2d_backward_reference(r, x.shape, size, stride)
    numeric = numerical_gradient(
        lambda _: float(np.sum(r * pool_fn.avg_pool2d_forward_reference(x, size, stride))), x)
    assert relative_error(grad, numeric) < 1e-7


def test_max_pool_ties_go_to_the_first_maximum():
    x = np.ones((1, 1, 2, 2))
    for forward in (pool_fn.max_pool2d_forward_reference, pool_fn.max_pool2d_forward):
        _, argmax = forward(x)
        assert argmax[0, 0, 0, 0] == 0
    grad = pool_fn.max_pool2d_backward(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 1, 1), int), x.shape)
    np.testing.assert_array_equal(grad[0, 0], [[1, 0], [0, 0]])


def test_errors_say_what_was_expected():
    with pytest.raises(TypeError, match="integer"):
        pool_fn.max_pool2d(POOL_INPUT, 1.5)
    with pytest.raises(ValueError, match="flat positions"):
        pool_fn.max_pool2d_backward(np.ones((1, 1, 1, 1)), np.full((1, 1, 1, 1), 4), (1, 1, 2, 2))
    with pytest.raises(ValueError, match="does not fit"):
        pool_fn.max_pool2d(POOL_INPUT, 5)


def test_backward_passes_nan_gradients_through_like_every_layer():
    """A diverging run's NaN gradients flow on (layers report them, not the pooling twin)."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    _, argmax = pool_fn.max_pool2d_forward(x, 2)
    grad_y = np.array([[[[np.nan, 1.0], [2.0, 3.0]]]])
    grad = pool_fn.max_pool2d_backward(grad_y, argmax, x.shape)
    assert np.isnan(grad[0, 0, 1, 1]) and grad[0, 0, 3, 3] == 3.0 and np.isfinite(grad).sum() == 15
