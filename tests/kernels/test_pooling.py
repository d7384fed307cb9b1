"""nnbook.kernels.pooling: the Numba twins equal the readable loops of nnbook.functional.pooling
(and brute-force window maxima and means), to 1e-12."""

import numpy as np
import pytest

from nnbook.functional import pooling as pool_fn


@pytest.mark.parametrize("size, stride", [(2, None), (3, 2), (2, 1), (3, 3)])
def test_pool_forward_backward_twins(size, stride):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 2, 9, 8))
    y_ref, arg_ref = pool_fn.max_pool2d_forward_reference(x, size, stride)
    y, arg = pool_fn.max_pool2d_forward(x, size, stride)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(arg, arg_ref)
    grad_y = rng.normal(size=y.shape)
    np.testing.assert_allclose(pool_fn.max_pool2d_backward(grad_y, arg, x.shape),
                               pool_fn.max_pool2d_backward_reference(grad_y, arg_ref, x.shape),
                               rtol=0, atol=1e-12)
    a_ref = pool_fn.avg_pool2d_forward_reference(x, size, stride)
    np.testing.assert_allclose(pool_fn.avg_pool2d_forward(x, size, stride), a_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pool_fn.avg_pool2d_backward(grad_y, x.shape, size, stride),
                               pool_fn.avg_pool2d_backward_reference(grad_y, x.shape, size, stride),
                               rtol=0, atol=1e-12)
    # brute-force maxima and means per window
    s = size if stride is None else stride
    for i in range(y.shape[2]):
        for j in range(y.shape[3]):
            window = x[:, :, i * s:i * s + size, j * s:j * s + size]
            np.testing.assert_array_equal(y_ref[:, :, i, j], window.max(axis=(2, 3)))
            np.testing.assert_allclose(a_ref[:, :, i, j], window.mean(axis=(2, 3)), atol=1e-12)
