"""Numba twins of the convolution loops in :mod:`nnbook.functional.convolution`.

Convolution goes through *im2col*: every receptive field of the (padded) input is copied
into one column of a matrix, so the layer becomes matrix products that Numba hands to BLAS,
one per block of examples small enough for the column matrix to stay in cache (陈强 §15.10:
a convolution is a partially connected layer with shared weights). The copy loops run with
the innermost index over contiguous memory.

Examples are independent, so a large batch is cut into one slice per core and the slices run
at the same time on Python threads: the compiled loops release the GIL (``nogil=True``), each
thread writes only its own examples' outputs and input gradients, and the weight and bias
gradients of the slices are summed at the end. This takes two cores without ``parallel=True``
(whose threading layer costs seconds to compile and competes with numpy's BLAS threads); a
small batch stays on the calling thread.

These functions trust their inputs (C-contiguous float64, shapes already checked); call them
through :mod:`nnbook.functional.convolution`, which validates. Shapes: x (N, C, H, W),
w (F, C, kh, kw), b (F,), outputs (N, F, Ho, Wo).
"""

from __future__ import annotations

import os
import threading

import numpy as np
from numba import njit

__all__ = ["conv2d_forward", "conv2d_backward"]


@njit(cache=True, nogil=True)
def pad_images(x, padding):
    """Zero-pad the two spatial axes of x (N, C, H, W) by ``padding`` on every side."""
    if padding == 0:
        return x
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for i in range(n):
        for ch in range(c):
            for r in range(h):
                for col in range(w):
                    out[i, ch, r + padding, col + padding] = x[i, ch, r, col]
    return out


#: At most this many output positions (im2col columns) per block, so the column matrix stays
#: in cache.
BLOCK_COLUMNS = 512
#: At most this many multiply-adds per matrix product: OpenBLAS runs products up to
#: 4·65,536 multiply-adds on the calling thread, so the twins stay single-threaded (like the
#: rest of nnbook's kernels) and do not stall when other processes hold the cores.
BLOCK_WORK = 262_144


@njit(cache=True, nogil=True)
def block_size(n, positions, filters, field):
    """Examples per block: ``positions`` = Ho·Wo per example, ``field`` = C·kh·kw."""
    columns = min(BLOCK_COLUMNS, BLOCK_WORK // max(filters * field, 1))
    return max(1, min(n, columns // max(positions, 1)))


@njit(cache=True, nogil=True)
def _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, gather):
    """The one loop nest behind :func:`im2col` (``gather``) and its adjoint :func:`col2im_add`.

    Row (c, u, v), column (n − start, i, j) of ``cols`` is position xp[n, c, i·stride + u,
    j·stride + v] of the padded input xp (N, C, Hp, Wp): gathering copies xp into cols,
    scattering adds cols back into xp. The innermost loop runs over one image row and one
    column-matrix row, both contiguous when the stride is 1 (then the compiler vectorises it);
    the branches sit outside it.
    """
    c = xp.shape[1]
    hw = ho * wo
    for ch in range(c):
        for u in range(kh):
            for v in range(kw):
                target = cols[(ch * kh + u) * kw + v]
                for i in range(start, stop):
                    base = (i - start) * hw
                    for r in range(ho):
                        image_row = xp[i, ch, r * stride + u]
                        first = base + r * wo
                        if stride == 1:
                            if gather:
                                for col in range(wo):
                                    target[first + col] = image_row[col + v]
                            else:
                                for col in range(wo):
                                    image_row[col + v] += target[first + col]
                        elif gather:
                            for col in range(wo):
                                target[first + col] = image_row[col * stride + v]
                        else:
                            for col in range(wo):
                                image_row[col * stride + v] += target[first + col]


@njit(cache=True, nogil=True)
def im2col(xp, start, stop, kh, kw, stride, ho, wo):
    """Receptive fields of examples start … stop−1 as columns: (C·kh·kw, (stop−start)·Ho·Wo)."""
    cols = np.empty((xp.shape[1] * kh * kw, (stop - start) * ho * wo))
    _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, True)
    return cols


@njit(cache=True, nogil=True)
def col2im_add(cols, start, stop, kh, kw, stride, ho, wo, xp):
    """Adjoint of :func:`im2col`: add every column entry back into its place in xp (in place)."""
    _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, False)


#: A batch is split over threads only when it needs at least this many multiply-adds (about
#: 0.1 ms on one core): below it, starting a thread costs more than it saves.
MIN_THREADED_WORK = 1_000_000


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                   # not on Linux
        return os.cpu_count() or 1


def example_slices(n, work, threads=None) -> list[tuple[int, int]]:
    """[start, stop) ranges of examples, one per thread. ``threads`` None: one per core when the
    batch's ``work`` (multiply-adds) is large enough, else the whole batch in one; an int: that
    many (at most one per example)."""
    if threads is None:
        threads = available_cores() if work >= MIN_THREADED_WORK else 1
    threads = max(1, min(threads, n))
    bounds = [n * k // threads for k in range(threads + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def run_slices(kernel, slices, *args) -> list:
    """``kernel(*args, start, stop)`` for every slice: the first on the calling thread, the
    others on threads of their own (the kernels release the GIL). Returns their results in order."""
    results = [None] * len(slices)

    def work(index):
        results[index] = kernel(*args, *slices[index])

    helpers = [threading.Thread(target=work, args=(k,)) for k in range(1, len(slices))]
    for helper in helpers:
        helper.start()
    work(0)
    for helper in helpers:
        helper.join()
    return results


@njit(cache=True, nogil=True)
def _forward_slice(xp, w_mat, b, y, kh, kw, stride, ho, wo, start, stop):
    """Examples start … stop−1 of the forward pass into y (N, F, Ho·Wo): per block of examples,
    im2col, then one product W (F, C·kh·kw) @ cols, plus the bias."""
    f = w_mat.shape[0]
    hw = ho * wo
    step = block_size(stop - start, hw, f, w_mat.shape[1])
    for first in range(start, stop, step):
        last = min(first + step, stop)
        out = np.dot(w_mat, im2col(xp, first, last, kh, kw, stride, ho, wo))
        for i in range(first, last):
            base = (i - first) * hw
            for k in range(f):
                bias = b[k]
                for p in range(hw):
                    y[i, k, p] = out[k, base + p] + bias


def conv2d_forward(x, w, b, stride, padding, threads=None):
    """Multi-channel cross-correlation plus bias: y[n, f] = Σ_c x[n, c] ⋆ w[f, c] + b[f]."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    xp = pad_images(x, padding)
    w_mat = np.ascontiguousarray(w.reshape((f, c * kh * kw)))
    y = np.empty((n, f, ho * wo))
    slices = example_slices(n, n * f * ho * wo * c * kh * kw, threads)
    run_slices(_forward_slice, slices, xp, w_mat, b, y, kh, kw, stride, ho, wo)
    return y.reshape((n, f, ho, wo))


@njit(cache=True, nogil=True)
def _backward_slice(xp, w_t, g_flat, grad_xp, kh, kw, stride, ho, wo, start, stop):
    """Examples start … stop−1 of the backward pass: adds their ∂L/∂x into grad_xp (padded) and
    returns their share of (grad_w (F, C·kh·kw), grad_b (F,)). Per block: grad_w += G @ colsᵀ,
    grad_cols = Wᵀ @ G, scattered back by col2im."""
    ckk, f = w_t.shape
    hw = ho * wo
    grad_w = np.zeros((f, ckk))
    grad_b = np.zeros(f)
    step = block_size(stop - start, hw, f, ckk)
    for first in range(start, stop, step):
        last = min(first + step, stop)
        g_mat = np.empty((f, (last - first) * hw))
        for i in range(first, last):
            base = (i - first) * hw
            for k in range(f):
                total = 0.0
                for p in range(hw):
                    value = g_flat[i, k, p]
                    g_mat[k, base + p] = value
                    total += value
                grad_b[k] += total
        cols = im2col(xp, first, last, kh, kw, stride, ho, wo)
        grad_w += np.dot(g_mat, cols.T)
        col2im_add(np.dot(w_t, g_mat), first, last, kh, kw, stride, ho, wo, grad_xp)
    return grad_w, grad_b


def conv2d_backward(x, w, grad_y, stride, padding, threads=None):
    """Gradients (grad_x, grad_w, grad_b) of a scalar loss given grad_y = ∂L/∂y (N, F, Ho, Wo)."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho, wo = grad_y.shape[2], grad_y.shape[3]
    ckk = c * kh * kw
    xp = pad_images(x, padding)
    w_t = np.ascontiguousarray(w.reshape((f, ckk)).T)
    g_flat = np.ascontiguousarray(grad_y).reshape((n, f, ho * wo))
    grad_xp = np.zeros(xp.shape)
    slices = example_slices(n, 2 * n * f * ho * wo * ckk, threads)
    shares = run_slices(_backward_slice, slices, xp, w_t, g_flat, grad_xp, kh, kw, stride, ho, wo)
    grad_w = sum(share[0] for share in shares)
    grad_b = sum(share[1] for share in shares)
    grad_w4 = grad_w.reshape((f, c, kh, kw))
    if padding == 0:
        return grad_xp, grad_w4, grad_b
    grad_x = np.ascontiguousarray(grad_xp[:, :, padding:padding + h, padding:padding + wd])
    return grad_x, grad_w4, grad_b
