"""Numba twins of the simple RNN's forward pass and backpropagation through time.

They compute what :func:`nnbook.functional.rnn.rnn_forward_reference` and
:func:`nnbook.functional.rnn.rnn_backward_reference` compute, h_t = tanh(x_t W_x + h_{t−1} W_h + b)
(《深度学习与神经网络》第5章, 5.4.3), in fewer and larger steps:

* the input term x_t W_x of every time step is one matrix product over all T·B rows, before
  the time loop; the loop itself does one product h_{t−1} W_h per step;
* backward, the time loop only carries ∂L/∂h back through W_hᵀ (one product per step) and keeps
  every δ_t = ∂L/∂z_t; the weight gradients are then one product each over all steps
  (∂L/∂W_x = Σ_t x_tᵀ δ_t, ∂L/∂W_h = Σ_t h_{t−1}ᵀ δ_t) and ∂L/∂x one product δ W_xᵀ.

Arrays are kept time-major inside ((T, B, ·), so each step's rows are contiguous). Small
products (the book's sizes: a handful of units) run as plain loops, which beat a BLAS call's
fixed cost; larger ones go to BLAS through ``np.dot``, in blocks small enough for OpenBLAS to
keep them on the calling thread (like every nnbook kernel, the twins are single-threaded).

The forward pass has a second implementation of the same plan for large B·H,
:func:`rnn_forward_vectorised`: a Python loop over the steps whose tanh runs through numpy's
SIMD loop. Compiled code calls the C library's scalar tanh (about 20 ns an entry on this
machine, without Intel's SVML) where numpy's vectorised tanh takes well under 1 ns (float32) to
about 2 ns (float64) — so from B·H = ``VECTORISED_FROM`` on, a few Python calls per step cost
less than the scalar tanh; :func:`forward_for` picks the path. The backward pass needs no tanh
(1 − h² comes from the stored states) and stays one compiled call.

The twins trust their inputs: C-contiguous arrays of one float type (float64 or float32; the
result has that type), shapes already checked — call them through :mod:`nnbook.functional.rnn`
or :class:`nnbook.layers.rnn.SimpleRNN`.
Shapes: x (B, T, I), h0 (B, H), kernel W_x (I, H), recurrent_kernel W_h (H, H), bias (H,).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nnbook.kernels.convolution import BLOCK_WORK

__all__ = ["rnn_forward", "rnn_backward"]

#: From this many state entries per step (B·H) on, :func:`forward_for` picks the vectorised
#: forward pass (measured with benchmarks/bench_rnn.py; see the module docstring).
VECTORISED_FROM = 256

#: Products with fewer multiply-adds than this run as loops rather than BLAS calls.
SMALL_PRODUCT = 4096


@njit(cache=True)
def matmul(a, b):
    """a (m, k) @ b (k, n) for C-contiguous a and b.

    Small products run as loops; larger ones go to BLAS (``np.dot``) in blocks of at most
    ``BLOCK_WORK`` multiply-adds, so that OpenBLAS keeps every call on the calling thread (as the
    convolution twins do; a threaded product stalls when other processes hold the cores). A
    block is at least 32 rows of a by (all of k, or slices of 64 that are summed): a long inner
    dimension — Σ over all B·T rows in the weight gradients — is cut rather than the rows,
    which would leave matrix-vector products.
    """
    m, k = a.shape
    n = b.shape[1]
    if m * k * n < SMALL_PRODUCT:
        out = np.zeros((m, n), dtype=a.dtype)
        for i in range(m):
            for p in range(k):
                aip = a[i, p]
                for j in range(n):
                    out[i, j] += aip * b[p, j]
        return out
    if m * k * n <= BLOCK_WORK:
        return np.dot(a, b)
    chunk = k if k * n * 32 <= BLOCK_WORK else max(1, BLOCK_WORK // (n * 32))   # inner slice
    rows = max(1, BLOCK_WORK // (chunk * n))                                    # rows per block
    out = np.zeros((m, n), dtype=a.dtype)
    for start in range(0, m, rows):
        stop = min(start + rows, m)
        for first in range(0, k, chunk):
            last = min(first + chunk, k)
            out[start:stop] += np.dot(np.ascontiguousarray(a[start:stop, first:last]),
                                      np.ascontiguousarray(b[first:last]))
    return out


@njit(cache=True)
def swap_leading_axes(a):
    """(A, B, F) → a C-contiguous copy laid out (B, A, F): batch-major (B, T, F) to time-major
    (T, B, F) and back."""
    first, second, features = a.shape
    out = np.empty((second, first, features), dtype=a.dtype)
    for i in range(first):
        for t in range(second):
            for f in range(features):
                out[t, i, f] = a[i, t, f]
    return out


@njit(cache=True)
def rnn_forward(x, h0, kernel, recurrent_kernel, bias):
    """All states hs (B, T, H): one product for every x_t W_x, then one h_{t−1} W_h per step."""
    batch, steps, inputs = x.shape
    units = recurrent_kernel.shape[0]
    x_tm = swap_leading_axes(x)
    xw = matmul(x_tm.reshape((steps * batch, inputs)), kernel).reshape((steps, batch, units))
    hs_tm = np.empty((steps, batch, units), dtype=x.dtype)
    h = h0.copy()
    for t in range(steps):
        z = matmul(h, recurrent_kernel)
        xw_t = xw[t]
        for i in range(batch):
            for j in range(units):
                hs_tm[t, i, j] = np.tanh(z[i, j] + xw_t[i, j] + bias[j])
        h = hs_tm[t]
    return swap_leading_axes(hs_tm)


@njit(cache=True)
def rnn_backward(grad_hs, x, h0, hs, kernel, recurrent_kernel):
    """(grad_x, grad_h0, grad_kernel, grad_recurrent_kernel, grad_bias) by BPTT.

    ``grad_hs`` (B, T, H) is ∂L/∂h_t for every step (zeros where the loss does not look);
    ``hs`` are the states of the forward pass.
    """
    batch, steps, inputs = x.shape
    units = recurrent_kernel.shape[0]
    hs_tm = swap_leading_axes(hs)
    g_tm = swap_leading_axes(grad_hs)
    w_h_t = np.ascontiguousarray(recurrent_kernel.T)
    delta = np.empty((steps, batch, units), dtype=x.dtype)
    carried = np.zeros((batch, units), dtype=x.dtype)        # ∂L/∂h_t through h_{t+1}
    for t in range(steps - 1, -1, -1):
        for i in range(batch):
            for j in range(units):
                h = hs_tm[t, i, j]
                delta[t, i, j] = (g_tm[t, i, j] + carried[i, j]) * (1.0 - h * h)
        carried = matmul(delta[t], w_h_t)
    # states h_{t-1} for t = 0 … T−1: h0 followed by hs[:, :T−1]
    h_prev = np.empty((steps, batch, units), dtype=x.dtype)
    h_prev[0] = h0
    h_prev[1:] = hs_tm[:steps - 1]
    rows = steps * batch
    delta_rows = delta.reshape((rows, units))
    x_rows = swap_leading_axes(x).reshape((rows, inputs))
    grad_kernel = matmul(np.ascontiguousarray(x_rows.T), delta_rows)
    grad_recurrent = matmul(np.ascontiguousarray(h_prev.reshape((rows, units)).T), delta_rows)
    grad_bias = np.zeros(units, dtype=x.dtype)
    for r in range(rows):
        for j in range(units):
            grad_bias[j] += delta_rows[r, j]
    grad_x_tm = matmul(delta_rows, np.ascontiguousarray(kernel.T)).reshape((steps, batch, inputs))
    return swap_leading_axes(grad_x_tm), carried, grad_kernel, grad_recurrent, grad_bias


def rnn_forward_vectorised(x, h0, kernel, recurrent_kernel, bias):
    """Same contract and result as :func:`rnn_forward`: a Python loop over the steps, numpy's tanh.

    The products go through :func:`matmul` (blocked, single-threaded BLAS calls).
    """
    batch, steps, n_input = x.shape
    units = recurrent_kernel.shape[0]
    x_tm = swap_leading_axes(x)
    hs_tm = matmul(x_tm.reshape((steps * batch, n_input)), kernel).reshape(steps, batch, units)
    hs_tm += bias                                   # x_t W_x + b for every t; becomes h_t
    h = h0
    for t in range(steps):
        z = hs_tm[t]
        z += matmul(h, recurrent_kernel)           # z_t = x_t W_x + h_{t−1} W_h + b
        np.tanh(z, out=z)
        h = z
    return swap_leading_axes(hs_tm)


def forward_for(batch: int, units: int):
    """The forward implementation for B·H state entries per step (see ``VECTORISED_FROM``)."""
    return rnn_forward_vectorised if batch * units >= VECTORISED_FROM else rnn_forward
