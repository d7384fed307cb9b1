"""nnbook.kernels.convolution: the Numba twins equal the readable loops of
nbook.functional.convolution (forward against a brute-force sum too), to 1e-12."""

import numpy as np
import pytest

from nnbook.functional import convolution as conv


def _brute_force_conv(x, w, b, stride, padding):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = w.shape[2:]
    ho = (xp.shape[2] - kh) // stride + 1
    wo = (xp.shape[3] - kw) // stride + 1
    y = np.empty((x.shape[0], w.shape[0], ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.einsum("nchw,fchw->nf", patch, w) + b
    return y


CASES = [((2, 3, 7, 8), (4, 3, 3, 2), 1, 0), ((3, 2, 9, 9), (5, 2, 3, 3), 2, 1),
         ((1, 1, 6, 5), (2, 1, 4, 4), 3, 2), ((4, 6, 14, 14), (16, 6, 5, 5), 1, 0)]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CASES)
def test_conv2d_forward_reference_and_twin(x_shape, w_shape, stride, padding):
    rng = np.random.default_rng(2)
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    expected = _brute_force_conv(x, w, b, stride, padding)
    reference = conv.conv2d_forward_reference(x, w, b, stride, padding)
    twin = conv.conv2d_forward(x, w, b, stride, padding)
    np.testing.assert_allclose(reference, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(twin, reference, rtol=0, atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CASES)
def test_conv2d_backward_twin_equals_reference(x_shape, w_shape, stride, padding):
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=x_shape), rng.normal(size=w_shape)
    y = conv.conv2d_forward_reference(x, w, np.zeros(w_shape[0]), stride, padding)
    grad_y = rng.normal(size=y.shape)
    for ref, twin in zip(conv.conv2d_backward_reference(x, w, grad_y, stride, padding),
                         conv.conv2d_backward(x, w, grad_y, stride, padding)):
        np.testing.assert_allclose(twin, ref, rtol=0, atol=1e-12)


def test_example_slices_cover_the_batch_once_and_stay_whole_when_small():
    from nnbook.kernels.convolution import MIN_THREADED_WORK, example_slices
    from nnbook.kernels.convolution import available_cores as kernels_cores

    assert example_slices(7, 0, threads=3) == [(0, 2), (2, 4), (4, 7)]
    assert example_slices(2, 0, threads=4) == [(0, 1), (1, 2)]
    assert example_slices(64, MIN_THREADED_WORK - 1) == [(0, 64)]
    assert len(example_slices(64, MIN_THREADED_WORK)) == min(64, kernels_cores())


@pytest.mark.parametrize("threads", [2, 3])
def test_threaded_slices_give_the_single_thread_results(threads):
    """A batch split over threads (uneven slices, stride and padding) gives what one thread gives,
    and both equal the readable loops."""
    from nnbook.kernels import convolution as kernels

    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(7, 3, 9, 8)), rng.normal(size=(5, 3, 3, 2)), rng.normal(size=5)
    one = kernels.conv2d_forward(x, w, b, 2, 1, threads=1)
    many = kernels.conv2d_forward(x, w, b, 2, 1, threads=threads)
    np.testing.assert_allclose(many, one, rtol=0, atol=1e-12)
    np.testing.assert_allclose(one, conv.conv2d_forward_reference(x, w, b, 2, 1), rtol=0, atol=1e-12)
    grad_y = rng.normal(size=one.shape)
    reference = conv.conv2d_backward_reference(x, w, grad_y, 2, 1)
    for ref, split in zip(reference, kernels.conv2d_backward(x, w, grad_y, 2, 1, threads=threads)):
        np.testing.assert_allclose(split, ref, rtol=0, atol=1e-12)
