"""Fast LSTM forward and backward: twins of :mod:`nnbook.functional.lstm`.

The equations are (5-37)–(5-45) of 《深度学习与神经网络》第5章 (5.5.3).

Both directions are arranged around matrix products, each one call:

* forward: x W for all T steps at once ((B·T, I) times (I, 4H)), then per step one product
  h_{t−1} U and the gate arithmetic of (5-37);
* backward: per step the gate arithmetic that forms dz = ∂L/∂z_t and one product dz Uᵀ (the
  gradient carried to h_{t−1}); after the loop ∂L/∂W = Xᵀ dZ, ∂L/∂U = H_prevᵀ dZ and
  ∂L/∂X = dZ Wᵀ as three products over all steps (the sums over t of (5-45)).

Two implementations of that plan, chosen by :mod:`nnbook.functional.lstm` by size and both
tested equal to the references:

* ``lstm_forward`` / ``lstm_backward`` — one compiled Numba function each, the whole loop
  inside; a product that is tiny runs as a plain loop (a BLAS call would cost more than its
  arithmetic). Best when B·H is small and the cost of calls dominates (the book's sizes).
* ``lstm_forward_vectorised`` / ``lstm_backward_vectorised`` — a Python loop over the steps
  whose gate arithmetic runs through numpy's SIMD loops (σ(z) = ½ + ½·tanh(z/2), one tanh for
  all four gates). Numba calls the scalar C library for exp and tanh (about 8 and 23 ns an
  entry here, without Intel's SVML), numpy's vectorised tanh takes 0.4 ns (float32) to 3 ns
  (float64), so for large B·H this path wins although each step costs a few calls (a product,
  a numpy add, one or two numpy tanh and two small compiled calls forward; one compiled call
  and a product backward, whose gate arithmetic needs no exp or tanh once tanh(c) is known).

These functions trust their inputs (C-contiguous arrays of one float dtype, shapes checked);
call them through :mod:`nnbook.functional.lstm`, which validates. ``book_output`` selects the
book's h = c ⊙ o; otherwise h = o ⊙ tanh(c). Nothing here runs in parallel threads except the
BLAS library's own products: OpenBLAS splits a product above 4·65,536 multiply-adds over all
cores (at T = 50, B = 32, I = 64, H = 128 every per-step product), which helps on an idle
machine and can stall on a loaded one; ``threadpoolctl.threadpool_limits(1, "blas")`` around
a call keeps it on one core (benchmarks/bench_lstm.py times both).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["lstm_forward", "lstm_backward"]

#: Below this many multiply-adds a matrix product runs as a plain loop: a BLAS call costs
#: roughly a microsecond, about as much as a few thousand multiply-adds in a loop (an estimate,
#: not tuned; the book's sizes stay far below it).
SMALL_PRODUCT = 4096


@njit(cache=True)
def _matmul(a, b, out):
    """out = a @ b for C-contiguous a (m, k), b (k, n), out (m, n)."""
    m, k = a.shape
    n = b.shape[1]
    if m * k * n >= SMALL_PRODUCT:
        np.dot(a, b, out)
        return
    for r in range(m):
        for j in range(n):
            out[r, j] = 0.0
        for q in range(k):
            a_rq = a[r, q]
            for j in range(n):
                out[r, j] += a_rq * b[q, j]


#: From this B·H on, the functional module takes the vectorised path. Measured on the project's
#: 2-core machine (T = 20, I = 8, float32 and float64, forward + backward): the compiled loop
#: was faster at B·H = 128, the vectorised path at 256 — a few µs of calls per step against
#: roughly 60 ns of scalar exp and tanh per state entry.
VECTORISED_FROM = 256


@njit(cache=True, fastmath={"reassoc"})
def all_finite(values):
    """True when the 1-D array ``values`` has no NaN and no ±∞ (v·0 is 0 for finite v, else NaN).

    The check of the validating functions: a compiled loop costs ~0.5 µs a call where numpy's
    reductions cost several µs, which matters at the book's sizes (a forward pass takes ~5 µs).
    Reassociating the sum lets it vectorise; NaN semantics are kept (no ``nnan`` flag).
    """
    total = 0.0
    for v in values:
        total += v * 0.0
    return total == 0.0


@njit(cache=True)
def _sigmoid(z):
    """σ(z) without overflow: e^z / (1 + e^z) for negative z."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@njit(cache=True)
def lstm_forward(x, h0, c0, kernel, recurrent_kernel, bias, book_output):
    """(hs, cs, gates) for x (B, T, I), h0 and c0 (B, H); gates (B, T, 4H) hold (i, f, g, o)."""
    batch, steps, n_input = x.shape
    units = h0.shape[1]
    width = 4 * units
    dtype = x.dtype
    x_kernel = np.empty((batch * steps, width), dtype=dtype)
    _matmul(x.reshape(batch * steps, n_input), kernel, x_kernel)   # x_t W for every t at once
    x_kernel = x_kernel.reshape(batch, steps, width)
    hs = np.empty((batch, steps, units), dtype=dtype)
    cs = np.empty((batch, steps, units), dtype=dtype)
    gates = np.empty((batch, steps, width), dtype=dtype)
    h = h0.copy()
    c = c0.copy()
    z = np.empty((batch, width), dtype=dtype)
    for t in range(steps):
        _matmul(h, recurrent_kernel, z)                            # h_{t−1} U
        for b in range(batch):
            for j in range(units):
                i = _sigmoid(z[b, j] + x_kernel[b, t, j] + bias[j])
                f = _sigmoid(z[b, units + j] + x_kernel[b, t, units + j] + bias[units + j])
                g = math.tanh(z[b, 2 * units + j] + x_kernel[b, t, 2 * units + j]
                              + bias[2 * units + j])
                o = _sigmoid(z[b, 3 * units + j] + x_kernel[b, t, 3 * units + j]
                             + bias[3 * units + j])
                c_new = f * c[b, j] + i * g                        # (5-37)
                h_new = c_new * o if book_output else o * math.tanh(c_new)
                gates[b, t, j] = i
                gates[b, t, units + j] = f
                gates[b, t, 2 * units + j] = g
                gates[b, t, 3 * units + j] = o
                c[b, j] = c_new
                h[b, j] = h_new
                cs[b, t, j] = c_new
                hs[b, t, j] = h_new
    return hs, cs, gates


@njit(cache=True)
def _gate_gradients(grad_h, dh_next, dc, gates_t, c_prev, cell_t, book_output, dz):
    """One step of (5-43)/(5-44): dz (B, 4H) from ∂l/∂h_t, the carried dh and dc; dc ← dc ⊙ f.

    ``cell_t`` is c_t for the book's output and tanh(c_t) otherwise.
    """
    batch, units = dh_next.shape
    one = np.ones(1, dz.dtype)[0]                   # 1 in the arrays' dtype: float32 stays float32
    for b in range(batch):
        for j in range(units):
            i = gates_t[b, j]
            f = gates_t[b, units + j]
            g = gates_t[b, 2 * units + j]
            o = gates_t[b, 3 * units + j]
            dh = grad_h[b, j] + dh_next[b, j]
            do = dh * cell_t[b, j]
            if book_output:
                dc_j = dc[b, j] + dh * o
            else:
                dc_j = dc[b, j] + dh * o * (one - cell_t[b, j] * cell_t[b, j])
            dz[b, j] = dc_j * g * i * (one - i)
            dz[b, units + j] = dc_j * c_prev[b, j] * f * (one - f)
            dz[b, 2 * units + j] = dc_j * i * (one - g * g)
            dz[b, 3 * units + j] = do * o * (one - o)
            dc[b, j] = dc_j * f


@njit(cache=True)
def lstm_backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates, book_output,
                  grad_c_last):
    """(grad_x, grad_h0, grad_c0, grad_kernel, grad_recurrent_kernel, grad_bias), (5-43)–(5-45)."""
    batch, steps, n_input = x.shape
    units = h0.shape[1]
    width = 4 * units
    dtype = x.dtype
    recurrent_t = np.ascontiguousarray(recurrent_kernel.T)
    cell = cs if book_output else np.tanh(cs)                       # what h_t multiplies o by
    c_prev = np.empty((steps, batch, units), dtype=dtype)           # c_{t−1}, time-major
    c_prev[0] = c0
    for t in range(1, steps):
        c_prev[t] = cs[:, t - 1]
    grad_z = np.empty((batch, steps, width), dtype=dtype)           # dZ, all steps
    dz = np.empty((batch, width), dtype=dtype)                      # dZ of one step
    dh_next = np.zeros((batch, units), dtype=dtype)
    dc = grad_c_last.copy()
    for t in range(steps - 1, -1, -1):
        _gate_gradients(grad_hs[:, t], dh_next, dc, gates[:, t], c_prev[t], cell[:, t],
                        book_output, dz)
        grad_z[:, t, :] = dz
        _matmul(dz, recurrent_t, dh_next)                           # ∂L/∂h_{t−1} = dz Uᵀ
    rows = batch * steps
    flat_grad_z = grad_z.reshape(rows, width)
    x_t = np.ascontiguousarray(x.reshape(rows, n_input).T)          # Xᵀ (I, B·T)
    h_prev_t = np.empty((units, rows), dtype=dtype)                 # H_prevᵀ (H, B·T)
    for b in range(batch):
        for j in range(units):
            h_prev_t[j, b * steps] = h0[b, j]
            for t in range(1, steps):
                h_prev_t[j, b * steps + t] = hs[b, t - 1, j]
    grad_kernel = np.empty((n_input, width), dtype=dtype)
    _matmul(x_t, flat_grad_z, grad_kernel)                          # (5-45), summed over t
    grad_recurrent_kernel = np.empty((units, width), dtype=dtype)
    _matmul(h_prev_t, flat_grad_z, grad_recurrent_kernel)
    grad_bias = np.zeros(width, dtype=dtype)
    for r in range(rows):
        for j in range(width):
            grad_bias[j] += flat_grad_z[r, j]
    grad_x = np.empty((rows, n_input), dtype=dtype)
    _matmul(flat_grad_z, np.ascontiguousarray(kernel.T), grad_x)
    return (grad_x.reshape(batch, steps, n_input), dh_next, dc, grad_kernel,
            grad_recurrent_kernel, grad_bias)


# --- the vectorised path (large B·H) -----------------------------------------------------------
# σ(z) = ½ + ½·tanh(z/2): the forward pass halves the columns of W, U and b that feed i, f, o
# (so the products give z/2 there, exactly: halving is exact in binary floating point), applies
# one numpy tanh to all four gates and maps i, f, o back with ½ + ½·(·). Products read and write
# C-contiguous buffers (a row stride of T·4H made OpenBLAS ~1.5× slower per step).

def _halve_sigmoid_columns(array):
    """A copy of ``array`` (…, 4H) with the i, f, o blocks times ½ (exact in binary floats)."""
    units = array.shape[-1] // 4
    halved = array * 0.5
    halved[..., 2 * units:3 * units] = array[..., 2 * units:3 * units]
    return halved


@njit(cache=True)
def _cell_state(tanh_z, half, gates_t, c, c_t):
    """From tanh of the scaled pre-activations (B, 4H): the gates (i, f, g, o) into gates_t
    (σ = ½ + ½·tanh on i, f, o) and the cell state of (5-37), c ← f ⊙ c + i ⊙ g, into the
    buffer c and into c_t. ``half`` is ½ in the arrays' dtype (float32 arithmetic stays float32).
    """
    batch, width = tanh_z.shape
    units = width // 4
    for b in range(batch):
        for j in range(units):
            i = half + half * tanh_z[b, j]
            f = half + half * tanh_z[b, units + j]
            g = tanh_z[b, 2 * units + j]
            gates_t[b, j] = i
            gates_t[b, units + j] = f
            gates_t[b, 2 * units + j] = g
            gates_t[b, 3 * units + j] = half + half * tanh_z[b, 3 * units + j]
            value = f * c[b, j] + i * g
            c[b, j] = value
            c_t[b, j] = value


@njit(cache=True)
def _cell_output(gates_t, source, h, h_t):
    """h = o ⊙ source (source = c or tanh(c)), into the buffer h and into h_t."""
    batch, units = h.shape
    for b in range(batch):
        for j in range(units):
            value = gates_t[b, 3 * units + j] * source[b, j]
            h[b, j] = value
            h_t[b, j] = value


def lstm_forward_vectorised(x, h0, c0, kernel, recurrent_kernel, bias, book_output):
    """Same contract as :func:`lstm_forward`; a Python loop over steps, tanh by numpy."""
    batch, steps, n_input = x.shape
    units = h0.shape[1]
    width = 4 * units
    recurrent_kernel = _halve_sigmoid_columns(recurrent_kernel)
    gates = x.reshape(batch * steps, n_input) @ _halve_sigmoid_columns(kernel)
    gates += _halve_sigmoid_columns(bias)           # (x_t W + b)·scale for every t at once
    gates = gates.reshape(batch, steps, width)
    hs = np.empty((batch, steps, units), dtype=x.dtype)
    cs = np.empty((batch, steps, units), dtype=x.dtype)
    z = np.empty((batch, width), dtype=x.dtype)
    tanh_c = np.empty((batch, units), dtype=x.dtype)
    h, c = h0.copy(), c0.copy()                     # contiguous buffers for h_t and c_t
    half = x.dtype.type(0.5)
    for t in range(steps):
        np.dot(h, recurrent_kernel, out=z)
        z += gates[:, t]                            # z_t·scale, scale = ½ on i, f, o and 1 on g
        np.tanh(z, out=z)
        _cell_state(z, half, gates[:, t], c, cs[:, t])
        if book_output:
            _cell_output(gates[:, t], c, h, hs[:, t])
        else:
            np.tanh(c, out=tanh_c)
            _cell_output(gates[:, t], tanh_c, h, hs[:, t])
    return hs, cs, gates


def lstm_backward_vectorised(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates,
                             book_output, grad_c_last):
    """Same contract as :func:`lstm_backward`; a Python loop over steps, one compiled call each.

    dZ is kept time-major (T, B, 4H) so that each step's dz is contiguous; the sums over t of
    (5-45) then read x and H_prev in the same (t, b) row order.
    """
    batch, steps, n_input = x.shape
    units = h0.shape[1]
    width = 4 * units
    cell = cs if book_output else np.tanh(cs)       # what h_t multiplies o by
    grad_z = np.empty((steps, batch, width), dtype=x.dtype)
    dh_next = np.zeros((batch, units), dtype=x.dtype)
    dc = grad_c_last.copy()
    recurrent_t = np.ascontiguousarray(recurrent_kernel.T)
    c_prev = np.empty((steps, batch, units), dtype=x.dtype)      # c_{t−1}, time-major
    c_prev[0] = c0
    c_prev[1:] = cs[:, :-1].transpose(1, 0, 2)
    for t in range(steps - 1, -1, -1):
        _gate_gradients(grad_hs[:, t], dh_next, dc, gates[:, t], c_prev[t], cell[:, t],
                        book_output, grad_z[t])
        np.dot(grad_z[t], recurrent_t, out=dh_next)  # ∂L/∂h_{t−1} = dz Uᵀ
    rows = steps * batch
    flat_grad_z = grad_z.reshape(rows, width)
    x_rows = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(rows, n_input)
    h_prev = np.empty((steps, batch, units), dtype=x.dtype)
    h_prev[0] = h0
    h_prev[1:] = hs[:, :-1].transpose(1, 0, 2)
    grad_kernel = x_rows.T @ flat_grad_z                                     # (5-45), all t
    grad_recurrent_kernel = h_prev.reshape(rows, units).T @ flat_grad_z
    grad_bias = flat_grad_z.sum(axis=0)
    grad_x = (flat_grad_z @ kernel.T).reshape(steps, batch, n_input).transpose(1, 0, 2)
    return (np.ascontiguousarray(grad_x), dh_next, dc, grad_kernel, grad_recurrent_kernel,
            grad_bias)
