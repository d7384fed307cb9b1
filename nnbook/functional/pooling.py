"""Pooling by hand (陈强 §15.10, figures 15.19–15.20), with fast twins.

Pooling replaces each size × size window (stride s, default s = size) of a feature map by its
maximum or its mean; it has no parameters and keeps the number of channels. The output size is
the convolution's, ⌊(H − size)/s⌋ + 1 (:func:`nnbook.functional.convolution.conv_output_size`).

Every ``*_reference`` function is a plain loop that mirrors its formula; the function of the
same name without the suffix validates its arguments and calls its Numba twin in
:mod:`nnbook.kernels.pooling`, tested equal. Batched arrays are NCHW: x (N, C, H, W).
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.convolution import as_images, conv_output_size
from nnbook.validation import as_float_array, check_positive


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook.kernels import pooling

    return pooling


def _pool_args(size, stride):
    check_positive(size, "size", integer=True)
    if stride is None:
        stride = size
    check_positive(stride, "stride", integer=True)
    return int(size), int(stride)



# --- one feature map (the worked example) -------------------------------------------------

def _pool_map_reference(feature_map, size, stride, reduce):
    feature_map = as_float_array(feature_map, "feature_map", ndim=2)
    size, stride = _pool_args(size, stride)
    n_rows = conv_output_size(feature_map.shape[0], size, 0, stride)
    n_cols = conv_output_size(feature_map.shape[1], size, 0, stride)
    out = np.zeros((n_rows, n_cols))
    for r in range(n_rows):
        for c in range(n_cols):
            window = [feature_map[r * stride + u, c * stride + v]
                      for u in range(size) for v in range(size)]
            out[r, c] = reduce(window)
    return out


def max_pool2d_reference(feature_map, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Max pooling of one map (H, W): P(r, c) = max over the window at (r·s, c·s) (fig. 15.19)."""
    return _pool_map_reference(feature_map, size, stride, max)


def avg_pool2d_reference(feature_map, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Mean pooling of one map (H, W): P(r, c) = window sum / size² (fig. 15.20)."""
    return _pool_map_reference(feature_map, size, stride, lambda window: sum(window) / len(window))


def max_pool2d(feature_map, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Numba twin of :func:`max_pool2d_reference` for one map (H, W)."""
    feature_map = as_float_array(feature_map, "feature_map", ndim=2)
    return max_pool2d_forward(feature_map[None, None], size, stride)[0][0, 0]


def avg_pool2d(feature_map, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Numba twin of :func:`avg_pool2d_reference` for one map (H, W)."""
    feature_map = as_float_array(feature_map, "feature_map", ndim=2)
    return avg_pool2d_forward(feature_map[None, None], size, stride)[0, 0]


# --- batched pooling ------------------------------------------------------------------------

def _pool_shape(x, size, stride):
    return (x.shape[0], x.shape[1], conv_output_size(x.shape[2], size, 0, stride),
            conv_output_size(x.shape[3], size, 0, stride))


def max_pool2d_forward_reference(x, size: int = 2, stride: int | None = None):
    """Max pooling of every channel of x (N, C, H, W).

    Returns (y, argmax): y (N, C, Ho, Wo) the window maxima, argmax (N, C, Ho, Wo) int64 the
    flat position row·W + col of the first maximum of each window (row-major order) — where
    backward sends the gradient, since ∂max/∂x is 1 at the maximum and 0 elsewhere.
    """
    x = as_images(x)
    size, stride = _pool_args(size, stride)
    out_shape = _pool_shape(x, size, stride)
    width = x.shape[3]
    y = np.zeros(out_shape)
    argmax = np.zeros(out_shape, dtype=np.int64)
    for n, c, r, s in np.ndindex(*out_shape):
        best_row, best_col = r * stride, s * stride
        for u in range(size):
            for v in range(size):
                if x[n, c, r * stride + u, s * stride + v] > x[n, c, best_row, best_col]:
                    best_row, best_col = r * stride + u, s * stride + v
        y[n, c, r, s] = x[n, c, best_row, best_col]
        argmax[n, c, r, s] = best_row * width + best_col
    return y, argmax


def _argmax_args(grad_y, argmax, input_shape, check_range=True):
    """Checked (grad_y, argmax, input_shape). grad_y may hold NaN or ±∞ (a diverging run's
    gradients pass through, as in every layer's backward). ``check_range`` False leaves the
    range of argmax to the caller (the Numba twin checks it during its scatter)."""
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4, dtype=np.float64,
                                                 allow_nan=True))
    argmax = np.asarray(argmax)
    if argmax.shape != grad_y.shape or not np.issubdtype(argmax.dtype, np.integer):
        raise ValueError(f"argmax: expected an integer array of shape {grad_y.shape} (from the "
                         f"forward pass), found dtype {argmax.dtype} and shape {argmax.shape}")
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) != 4 or input_shape[:2] != grad_y.shape[:2]:
        raise ValueError(f"input_shape: expected (N, C, H, W) with N, C = {grad_y.shape[:2]}, "
                         f"found {input_shape}")
    if check_range:
        _check_argmax_range(argmax, input_shape)
    return grad_y, np.ascontiguousarray(argmax, dtype=np.int64), input_shape


def _check_argmax_range(argmax, input_shape):
    n_positions = input_shape[2] * input_shape[3]
    if argmax.size and (argmax.min() < 0 or argmax.max() >= n_positions):
        raise ValueError(f"argmax: expected flat positions in [0, {n_positions}) for input "
                         f"{input_shape}, found values from {argmax.min()} to {argmax.max()}")


def max_pool2d_backward_reference(grad_y, argmax, input_shape) -> np.ndarray:
    """∂L/∂x (input_shape) from ∂L/∂y: each window's gradient goes to its maximum."""
    grad_y, argmax, input_shape = _argmax_args(grad_y, argmax, input_shape)
    width = input_shape[3]
    grad_x = np.zeros(input_shape)
    for n, c, r, s in np.ndindex(*grad_y.shape):
        at = argmax[n, c, r, s]
        grad_x[n, c, at // width, at % width] += grad_y[n, c, r, s]
    return grad_x


def max_pool2d_forward(x, size: int = 2, stride: int | None = None):
    """Numba twin of :func:`max_pool2d_forward_reference`; returns (y, argmax)."""
    x = as_images(x)
    size, stride = _pool_args(size, stride)
    _pool_shape(x, size, stride)
    return _kernels().max_pool2d_forward(x, size, stride)


def max_pool2d_backward(grad_y, argmax, input_shape) -> np.ndarray:
    """Numba twin of :func:`max_pool2d_backward_reference`."""
    grad_y, argmax, input_shape = _argmax_args(grad_y, argmax, input_shape, check_range=False)
    grad_x, outside = _kernels().max_pool2d_backward(grad_y, argmax, input_shape[2], input_shape[3])
    if outside:
        _check_argmax_range(argmax, input_shape)
    return grad_x


def avg_pool2d_forward_reference(x, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Mean pooling of every channel of x (N, C, H, W) → (N, C, Ho, Wo)."""
    x = as_images(x)
    size, stride = _pool_args(size, stride)
    out_shape = _pool_shape(x, size, stride)
    y = np.zeros(out_shape)
    for n, c, r, s in np.ndindex(*out_shape):
        total = 0.0
        for u in range(size):
            for v in range(size):
                total += x[n, c, r * stride + u, s * stride + v]
        y[n, c, r, s] = total / (size * size)
    return y


def _avg_backward_args(grad_y, input_shape, size, stride):
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4, dtype=np.float64))
    size, stride = _pool_args(size, stride)
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) != 4:
        raise ValueError(f"input_shape: expected (N, C, H, W), found {input_shape}")
    expected = _pool_shape(np.empty(input_shape, dtype=np.uint8), size, stride)
    if grad_y.shape != expected:
        raise ValueError(f"grad_y has shape {grad_y.shape}; expected {expected} for input "
                         f"{input_shape}, size {size}, stride {stride}")
    return grad_y, input_shape, size, stride


def avg_pool2d_backward_reference(grad_y, input_shape, size: int = 2,
                                  stride: int | None = None) -> np.ndarray:
    """∂L/∂x: every input in a window receives the window's gradient ÷ size²."""
    grad_y, input_shape, size, stride = _avg_backward_args(grad_y, input_shape, size, stride)
    grad_x = np.zeros(input_shape)
    for n, c, r, s in np.ndindex(*grad_y.shape):
        for u in range(size):
            for v in range(size):
                grad_x[n, c, r * stride + u, s * stride + v] += grad_y[n, c, r, s] / (size * size)
    return grad_x


def avg_pool2d_forward(x, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Numba twin of :func:`avg_pool2d_forward_reference`."""
    x = as_images(x)
    size, stride = _pool_args(size, stride)
    _pool_shape(x, size, stride)
    return _kernels().avg_pool2d_forward(x, size, stride)


def avg_pool2d_backward(grad_y, input_shape, size: int = 2,
                        stride: int | None = None) -> np.ndarray:
    """Numba twin of :func:`avg_pool2d_backward_reference`."""
    grad_y, input_shape, size, stride = _avg_backward_args(grad_y, input_shape, size, stride)
    return _kernels().avg_pool2d_backward(grad_y, size, stride, input_shape[2], input_shape[3])
