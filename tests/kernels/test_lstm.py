"""nnbook.kernels.lstm: both fast paths equal the readable references of nnbook.functional.lstm.

The compiled loop (``lstm_forward``/``lstm_backward``, products below and above the size where
they switch from a plain loop to BLAS) and the vectorised path (``*_vectorised``) are compared
with ``lstm_forward_reference``/``lstm_backward_reference``: to 1e-12 in float64, for several
T, B, I, H (I ≠ H, T = 1) and both cell outputs; float32 runs agree to float32 rounding.
"""

import numpy as np
import pytest

from nnbook.functional.lstm import (
    fast_lstm_pair,
    lstm_backward_reference,
    lstm_forward_reference,
)
from nnbook.kernels import lstm as kernels

PATHS = {"compiled loop": (kernels.lstm_forward, kernels.lstm_backward),
         "vectorised": (kernels.lstm_forward_vectorised, kernels.lstm_backward_vectorised)}
SIZES = [  # batch, steps, inputs, units
    (1, 10, 2, 4),     # the book's sizes
    (3, 1, 5, 2),      # one step
    (2, 7, 3, 5),
    (9, 3, 4, 33),     # products above kernels.SMALL_PRODUCT: BLAS inside the compiled loop
]


def _problem(rng, batch, steps, n_input, units, dtype=np.float64):
    arrays = (rng.normal(size=(batch, steps, n_input)), rng.normal(size=(batch, units)),
              rng.normal(size=(batch, units)), 0.5 * rng.normal(size=(n_input, 4 * units)),
              0.5 * rng.normal(size=(units, 4 * units)), 0.3 * rng.normal(size=4 * units))
    return [a.astype(dtype) for a in arrays]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("cell_output", ["tanh", "book"])
def test_fast_paths_equal_the_references_in_float64(path, size, cell_output):
    forward, backward = PATHS[path]
    rng = np.random.default_rng(sum(size))
    x, h0, c0, kernel, recurrent_kernel, bias = _problem(rng, *size)
    book = cell_output == "book"
    expected = lstm_forward_reference(x, h0, c0, kernel, recurrent_kernel, bias, cell_output)
    got = forward(x, h0, c0, kernel, recurrent_kernel, bias, book)
    for name, a, b in zip(("hs", "cs", "gates"), got, expected):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)
    grad_hs = rng.normal(size=expected[0].shape)
    grad_c_last = rng.normal(size=h0.shape)
    expected_grads = lstm_backward_reference(grad_hs, x, h0, c0, kernel, recurrent_kernel,
                                             *expected, cell_output, grad_c_last=grad_c_last)
    grads = backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, *expected, book, grad_c_last)
    names = ("grad_x", "grad_h0", "grad_c0", "grad_kernel", "grad_recurrent_kernel", "grad_bias")
    for name, a, b in zip(names, grads, expected_grads):
        assert a.shape == b.shape, name
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("path", PATHS)
def test_fast_paths_in_float32_agree_to_float32_rounding(path):
    forward, backward = PATHS[path]
    rng = np.random.default_rng(11)
    arrays64 = _problem(rng, 4, 6, 3, 5)
    arrays32 = [a.astype(np.float32) for a in arrays64]
    expected = lstm_forward_reference(*arrays64)
    got = forward(*arrays32, False)
    assert all(a.dtype == np.float32 for a in got)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=0, atol=2e-6)
    grad_hs = rng.normal(size=expected[0].shape)
    expected_grads = lstm_backward_reference(grad_hs, *arrays64[:5], *expected)
    grads = backward(grad_hs.astype(np.float32), *arrays32[:5], *got, False,
                     np.zeros((4, 5), np.float32))
    for a, b in zip(grads, expected_grads):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=0, atol=2e-5 * max(1.0, np.abs(b).max()))


def test_the_validating_functions_pick_the_path_by_batch_times_units():
    assert fast_lstm_pair(1, 4) == PATHS["compiled loop"]
    assert fast_lstm_pair(1, kernels.VECTORISED_FROM - 1) == PATHS["compiled loop"]
    assert fast_lstm_pair(2, kernels.VECTORISED_FROM // 2) == PATHS["vectorised"]
    assert fast_lstm_pair(32, 128) == PATHS["vectorised"]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_all_finite_finds_nan_and_infinity(bad):
    for dtype in (np.float64, np.float32):
        values = np.full(37, 1e30, dtype=dtype)      # large but finite: no overflow to ∞
        assert kernels.all_finite(values)
        values[23] = bad
        assert not kernels.all_finite(values)
    assert kernels.all_finite(np.full(5, 1.7e308))
