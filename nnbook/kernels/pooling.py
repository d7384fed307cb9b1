"""Numba twins of the pooling loops in :mod:`nnbook.functional.pooling`.

The loops are direct, innermost over the output width (contiguous memory). These functions
trust their inputs (C-contiguous float64, shapes already checked); call them through
:mod:`nnbook.functional.pooling`, which validates. Shapes: x (N, C, H, W), outputs
(N, C, Ho, Wo).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["max_pool2d_forward", "max_pool2d_backward", "avg_pool2d_forward",
           "avg_pool2d_backward"]


@njit(cache=True)
def max_pool2d_forward(x, size, stride):
    """Window maxima (N, C, Ho, Wo) and the flat index row·W + col of each window's maximum."""
    n, c, h, w = x.shape
    ho = (h - size) // stride + 1
    wo = (w - size) // stride + 1
    maps = x.reshape((n * c, h * w))
    y = np.empty((n * c, ho * wo))
    where = np.empty((n * c, ho * wo), dtype=np.int64)
    for m in range(n * c):
        feature_map = maps[m]
        for r in range(ho):
            for col in range(wo):
                best_at = r * stride * w + col * stride
                best = feature_map[best_at]
                for u in range(size):
                    first = (r * stride + u) * w + col * stride
                    for v in range(size):
                        if feature_map[first + v] > best:
                            best = feature_map[first + v]
                            best_at = first + v
                y[m, r * wo + col] = best
                where[m, r * wo + col] = best_at
    return y.reshape((n, c, ho, wo)), where.reshape((n, c, ho, wo))


@njit(cache=True)
def max_pool2d_backward(grad_y, where, h, w):
    """Route each output gradient to the input position recorded in ``where``; returns
    (grad_x, how many recorded positions lie outside [0, h·w) and were skipped) — the range check
    rides along the scatter instead of a pass of its own."""
    n, c, ho, wo = grad_y.shape
    grads = grad_y.reshape((n * c, ho * wo))
    positions = where.reshape((n * c, ho * wo))
    grad_x = np.zeros((n * c, h * w))
    outside = 0
    for m in range(n * c):
        target, source, at = grad_x[m], grads[m], positions[m]
        for p in range(ho * wo):
            if 0 <= at[p] < h * w:
                target[at[p]] += source[p]
            else:
                outside += 1
    return grad_x.reshape((n, c, h, w)), outside


@njit(cache=True)
def _walk_windows(x, y, size, stride, forward):
    """The one loop nest behind mean pooling: ``forward`` adds each window of x (N, C, H, W) into
    its output y (N, C, Ho, Wo); backward adds each entry of y into every position of its window
    of x. The branch sits outside the innermost loop."""
    n, c, ho, wo = y.shape
    for i in range(n):
        for ch in range(c):
            for r in range(ho):
                for u in range(size):
                    xr = r * stride + u
                    for v in range(size):
                        if forward:
                            for col in range(wo):
                                y[i, ch, r, col] += x[i, ch, xr, col * stride + v]
                        else:
                            for col in range(wo):
                                x[i, ch, xr, col * stride + v] += y[i, ch, r, col]


@njit(cache=True)
def avg_pool2d_forward(x, size, stride):
    """Window means (N, C, Ho, Wo)."""
    n, c, h, w = x.shape
    y = np.zeros((n, c, (h - size) // stride + 1, (w - size) // stride + 1))
    _walk_windows(x, y, size, stride, True)
    return y * (1.0 / (size * size))


@njit(cache=True)
def avg_pool2d_backward(grad_y, size, stride, h, w):
    """Spread each output gradient evenly (÷ size²) over its window."""
    n, c, ho, wo = grad_y.shape
    grad_x = np.zeros((n, c, h, w))
    _walk_windows(grad_x, grad_y * (1.0 / (size * size)), size, stride, False)
    return grad_x
