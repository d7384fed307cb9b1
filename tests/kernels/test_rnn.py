"""nnbook.kernels.rnn: the Numba twins equal the readable loops of nnbook.functional.rnn to 1e-12
(float64), at the book's sizes, non-square I ≠ H, one step, and sizes whose products go to BLAS
in blocks."""

import numpy as np
import pytest

from nnbook.functional import rnn
from nnbook.kernels import rnn as twins

# (batch, steps, inputs, units): the book's example, T = 1, I > H, I < H, BLAS-sized, blocked
SHAPES = [(1, 2, 1, 2), (3, 1, 4, 2), (2, 7, 5, 3), (4, 6, 2, 9), (8, 12, 16, 24), (20, 5, 70, 64)]


def _problem(rng, batch, steps, n_in, units):
    return (rng.normal(size=(batch, steps, n_in)), rng.normal(size=(batch, units)),
            rng.normal(size=(n_in, units)) / np.sqrt(n_in),
            rng.normal(size=(units, units)) * (0.9 / np.sqrt(units)), rng.normal(size=units) * 0.2)


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_twins_equal_reference(rng, shape):
    """Both forward implementations (the compiled loop and the vectorised one) and the checked
    public function, which picks one by B·H."""
    x, h0, kernel, recurrent, bias = _problem(rng, *shape)
    expected = rnn.rnn_forward_reference(x, h0, kernel, recurrent, bias)
    for forward in (twins.rnn_forward, twins.rnn_forward_vectorised, rnn.rnn_forward):
        np.testing.assert_allclose(forward(x, h0, kernel, recurrent, bias), expected,
                                   rtol=0, atol=1e-12, err_msg=forward.__name__)


def test_the_size_picks_the_forward_implementation():
    assert twins.forward_for(1, 4) is twins.rnn_forward                     # the book's size
    assert twins.forward_for(32, 128) is twins.rnn_forward_vectorised
    assert twins.forward_for(1, twins.VECTORISED_FROM) is twins.rnn_forward_vectorised


@pytest.mark.parametrize("shape", SHAPES)
def test_backward_twin_equals_reference(rng, shape):
    x, h0, kernel, recurrent, bias = _problem(rng, *shape)
    hs = rnn.rnn_forward_reference(x, h0, kernel, recurrent, bias)
    grad_hs = rng.normal(size=hs.shape)
    expected = rnn.rnn_backward_reference(grad_hs, x, h0, hs, kernel, recurrent)
    found = rnn.rnn_backward(grad_hs, x, h0, hs, kernel, recurrent)
    for name, got, want in zip(("x", "h0", "kernel", "recurrent_kernel", "bias"), found, expected):
        assert got.shape == want.shape, name
        scale = max(1.0, float(np.abs(want).max()))     # weight gradients sum B·T terms
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12 * scale, err_msg=name)


def test_float32_twin_agrees_with_float64_to_float32_rounding(rng):
    x, h0, kernel, recurrent, bias = _problem(rng, 4, 10, 6, 8)
    exact = rnn.rnn_forward_reference(x, h0, kernel, recurrent, bias)
    single = [a.astype(np.float32) for a in (x, h0, kernel, recurrent, bias)]
    hs = twins.rnn_forward(*single)
    assert hs.dtype == twins.rnn_forward_vectorised(*single).dtype == np.float32
    np.testing.assert_allclose(hs, exact, atol=1e-5)
    np.testing.assert_allclose(twins.rnn_forward_vectorised(*single), exact, atol=1e-5)
    grads = twins.rnn_backward(np.ones_like(hs), single[0], single[1], hs, single[2], single[3])
    exact_grads = rnn.rnn_backward_reference(np.ones_like(exact), x, h0, exact, kernel, recurrent)
    for got, want in zip(grads, exact_grads):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, atol=1e-4 * max(1.0, np.abs(want).max()))


@pytest.mark.parametrize("m, k, n", [(3, 4, 5), (40, 30, 20), (700, 900, 1), (70, 900, 300),
                                     (1, 5000, 64)])
def test_matmul_in_blocks_equals_numpy(rng, m, k, n):
    """Loops for small products, one BLAS call for middling ones, blocks of rows and of the inner
    dimension for large ones: always the same product."""
    a, b = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    np.testing.assert_allclose(twins.matmul(a, b), a @ b, rtol=1e-12, atol=1e-11)
