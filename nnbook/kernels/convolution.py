"""Numba twins of the convolution loops in :mod:`nnbook.functional.convolution`.

Convolution goes through *im2col*: every receptive field of the (padded) input is copied
into one column of a matrix, so the layer becomes matrix products that Numba hands to BLAS,
one per block of examples small enough for the column matrix to stay in cache (陈强 §15.10:
a convolution is a partially connected layer with shared weights). The copy loops run with
the innermost index over contiguous memory.

These functions trust their inputs (C-contiguous float64, shapes already checked); call them
through :mod:`nnbook.functional.convolution`, which validates. Shapes: x (N, C, H, W),
w (F, C, kh, kw), b (F,), outputs (N, F, Ho, Wo).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["conv2d_forward", "conv2d_backward"]


@njit(cache=True)
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


@njit(cache=True)
def block_size(n, positions, filters, field):
    """Examples per block: ``positions`` = Ho·Wo per example, ``field`` = C·kh·kw."""
    columns = min(BLOCK_COLUMNS, BLOCK_WORK // max(filters * field, 1))
    return max(1, min(n, columns // max(positions, 1)))


@njit(cache=True)
def _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, gather):
    """The one loop nest behind :func:`im2col` (``gather``) and its adjoint :func:`col2im_add`.

    Row (c, u, v), column (n − start, i, j) of ``cols`` is position xp[n, c, i·stride + u,
    j·stride + v] of the padded input xp (N, C, Hp, Wp): gathering copies xp into cols,
    scattering adds cols back into xp. The branch sits outside the innermost loop.
    """
    c = xp.shape[1]
    hw = ho * wo
    for ch in range(c):
        for u in range(kh):
            for v in range(kw):
                row = (ch * kh + u) * kw + v
                for i in range(start, stop):
                    base = (i - start) * hw
                    for r in range(ho):
                        xr = r * stride + u
                        first = base + r * wo
                        if gather:
                            for col in range(wo):
                                cols[row, first + col] = xp[i, ch, xr, col * stride + v]
                        else:
                            for col in range(wo):
                                xp[i, ch, xr, col * stride + v] += cols[row, first + col]


@njit(cache=True)
def im2col(xp, start, stop, kh, kw, stride, ho, wo):
    """Receptive fields of examples start … stop−1 as columns: (C·kh·kw, (stop−start)·Ho·Wo)."""
    cols = np.empty((xp.shape[1] * kh * kw, (stop - start) * ho * wo))
    _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, True)
    return cols


@njit(cache=True)
def col2im_add(cols, start, stop, kh, kw, stride, ho, wo, xp):
    """Adjoint of :func:`im2col`: add every column entry back into its place in xp (in place)."""
    _walk_fields(xp, cols, start, stop, kh, kw, stride, ho, wo, False)


@njit(cache=True)
def conv2d_forward(x, w, b, stride, padding):
    """Multi-channel cross-correlation plus bias: y[n, f] = Σ_c x[n, c] ⋆ w[f, c] + b[f].

    Per block of examples: im2col, then one product W (F, C·kh·kw) @ cols.
    """
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    hw = ho * wo
    xp = pad_images(x, padding)
    w_mat = np.ascontiguousarray(w.reshape((f, c * kh * kw)))
    y = np.empty((n, f, hw))
    step = block_size(n, hw, f, c * kh * kw)
    for start in range(0, n, step):
        stop = min(start + step, n)
        out = np.dot(w_mat, im2col(xp, start, stop, kh, kw, stride, ho, wo))
        for i in range(start, stop):
            base = (i - start) * hw
            for k in range(f):
                bias = b[k]
                for p in range(hw):
                    y[i, k, p] = out[k, base + p] + bias
    return y.reshape((n, f, ho, wo))


@njit(cache=True)
def conv2d_backward(x, w, grad_y, stride, padding):
    """Gradients (grad_x, grad_w, grad_b) of a scalar loss given grad_y = ∂L/∂y (N, F, Ho, Wo).

    Per block: grad_w += G @ colsᵀ, grad_cols = Wᵀ @ G, scattered back by col2im.
    """
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho, wo = grad_y.shape[2], grad_y.shape[3]
    hw = ho * wo
    ckk = c * kh * kw
    xp = pad_images(x, padding)
    w_t = np.ascontiguousarray(w.reshape((f, ckk)).T)
    g_flat = grad_y.reshape((n, f, hw))
    grad_w = np.zeros((f, ckk))
    grad_b = np.zeros(f)
    grad_xp = np.zeros(xp.shape)
    step = block_size(n, hw, f, ckk)
    for start in range(0, n, step):
        stop = min(start + step, n)
        g_mat = np.empty((f, (stop - start) * hw))
        for i in range(start, stop):
            base = (i - start) * hw
            for k in range(f):
                total = 0.0
                for p in range(hw):
                    value = g_flat[i, k, p]
                    g_mat[k, base + p] = value
                    total += value
                grad_b[k] += total
        cols = im2col(xp, start, stop, kh, kw, stride, ho, wo)
        grad_w += np.dot(g_mat, cols.T)
        col2im_add(np.dot(w_t, g_mat), start, stop, kh, kw, stride, ho, wo, grad_xp)
    grad_w4 = grad_w.reshape((f, c, kh, kw))
    if padding == 0:
        return grad_xp, grad_w4, grad_b
    grad_x = np.ascontiguousarray(grad_xp[:, :, padding:padding + h, padding:padding + wd])
    return grad_x, grad_w4, grad_b
