"""Convolution and pooling by hand (陈强 §15.10, figures 15.15–15.20), with fast twins.

The "convolution" of a CNN slides a kernel over the image and adds up element-wise
products, **without flipping the kernel** — mathematically a cross-correlation (the source
says so; inventory 000, E29). For an image I (H, W) and kernel K (kh, kw), with stride s
and zero padding p (the padded image is Ĩ)::

    O(i, j) = Σ_u Σ_v Ĩ(i·s + u, j·s + v) · K(u, v),   0 ≤ i < Ho, 0 ≤ j < Wo,
    Ho = ⌊(H + 2p − kh) / s⌋ + 1                        (inventory F48)

Pooling replaces each size × size window (stride s, default s = size) by its maximum or its
mean (inventory F49, figures 15.19–15.20); it has no parameters.

Every ``*_reference`` function is a plain loop that mirrors its formula; the function of the
same name without the suffix is its Numba twin (:mod:`nnbook.conv_kernels`), tested equal.
Batched arrays are NCHW: x (N, C, H, W), weights w (F, C, kh, kw), bias b (F,).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.validation import as_float_array, check_positive


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook import conv_kernels

    return conv_kernels

__all__ = [
    "conv_output_size",
    "correlate2d_reference", "correlate2d",
    "max_pool2d_reference", "max_pool2d", "avg_pool2d_reference", "avg_pool2d",
    "conv2d_forward_reference", "conv2d_forward",
    "conv2d_backward_reference", "conv2d_backward",
    "max_pool2d_forward_reference", "max_pool2d_forward",
    "max_pool2d_backward_reference", "max_pool2d_backward",
    "avg_pool2d_forward_reference", "avg_pool2d_forward",
    "avg_pool2d_backward_reference", "avg_pool2d_backward",
    "conv_as_matrix",
]


# --- sizes and argument checks -----------------------------------------------------------

def conv_output_size(n: int, k: int, padding: int = 0, stride: int = 1) -> int:
    """Output length ⌊(n + 2·padding − k) / stride⌋ + 1 of a window k sliding over n inputs.

    The same formula serves convolution and pooling (for pooling, k = pool size).
    Example: the source's 5×5 image and 3×3 kernel give 5 − 3 + 1 = 3 (figure 15.18).
    """
    check_positive(n, "n", integer=True)
    check_positive(k, "k", integer=True)
    check_positive(padding, "padding", integer=True, allow_zero=True)
    check_positive(stride, "stride", integer=True)
    if k > n + 2 * padding:
        raise ValueError(f"window of size {k} does not fit in an input of size {n} with padding "
                         f"{padding} (padded size {n + 2 * padding}); expected k <= n + 2*padding")
    return (n + 2 * padding - k) // stride + 1


def _check_stride_padding(stride, padding):
    check_positive(stride, "stride", integer=True)
    check_positive(padding, "padding", integer=True, allow_zero=True)
    return int(stride), int(padding)


def _pool_args(size, stride):
    check_positive(size, "size", integer=True)
    if stride is None:
        stride = size
    check_positive(stride, "stride", integer=True)
    return int(size), int(stride)


def _images(x, name="x"):
    return np.ascontiguousarray(as_float_array(x, name, ndim=4))


def _conv_args(x, w, b, stride, padding):
    x = _images(x)
    w = np.ascontiguousarray(as_float_array(w, "w", ndim=4))
    stride, padding = _check_stride_padding(stride, padding)
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"w has {w.shape[1]} input channels (shape {w.shape}) but x has "
                         f"{x.shape[1]} (shape {x.shape}); expected w (F, C, kh, kw) with C "
                         "equal to x's channel axis (N, C, H, W)")
    if b is not None:
        b = np.ascontiguousarray(as_float_array(b, "b", ndim=1))
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b has shape {b.shape} but w has {w.shape[0]} filters; "
                             f"expected b of shape ({w.shape[0]},)")
    ho = conv_output_size(x.shape[2], w.shape[2], padding, stride)
    wo = conv_output_size(x.shape[3], w.shape[3], padding, stride)
    return x, w, b, stride, padding, (x.shape[0], w.shape[0], ho, wo)


def _grad_y(grad_y, expected_shape):
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4))
    if grad_y.shape != tuple(expected_shape):
        raise ValueError(f"grad_y has shape {grad_y.shape}; expected the output shape "
                         f"{tuple(expected_shape)}")
    return grad_y


def _pad(x, padding):
    """Zero-pad the last two axes of an (…, H, W) array."""
    if padding == 0:
        return x
    widths = [(0, 0)] * (x.ndim - 2) + [(padding, padding), (padding, padding)]
    return np.pad(x, widths)


# --- one image, one kernel (the worked example) ------------------------------------------

def correlate2d_reference(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Slide ``kernel`` (kh, kw) over ``image`` (H, W), multiply and add (figs 15.16–15.18).

    Returns O (Ho, Wo) with O(i, j) = Σ_u Σ_v Ĩ(i·s + u, j·s + v) K(u, v) (inventory F48);
    no kernel flip (cross-correlation, E29).
    """
    image = as_float_array(image, "image", ndim=2)
    kernel = as_float_array(kernel, "kernel", ndim=2)
    stride, padding = _check_stride_padding(stride, padding)
    n_rows = conv_output_size(image.shape[0], kernel.shape[0], padding, stride)
    n_cols = conv_output_size(image.shape[1], kernel.shape[1], padding, stride)
    padded = _pad(image, padding)
    out = np.zeros((n_rows, n_cols))
    for i in range(n_rows):
        for j in range(n_cols):
            total = 0.0
            for u in range(kernel.shape[0]):
                for v in range(kernel.shape[1]):
                    total += padded[i * stride + u, j * stride + v] * kernel[u, v]
            out[i, j] = total
    return out


def correlate2d(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Numba twin of :func:`correlate2d_reference` (one channel, one filter, no bias)."""
    image = as_float_array(image, "image", ndim=2)
    kernel = as_float_array(kernel, "kernel", ndim=2)
    y = conv2d_forward(image[None, None], kernel[None, None], np.zeros(1), stride, padding)
    return y[0, 0]


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


# --- multi-channel, batched convolution ---------------------------------------------------

def conv2d_forward_reference(x, w, b, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Convolution pre-activation y (N, F, Ho, Wo) from x (N, C, H, W), w (F, C, kh, kw), b (F,).

    y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v x̃[n, c, i·s + u, j·s + v] · w[f, c, u, v]
    — every filter sees all input channels and shares its weights across positions (§15.10).
    """
    x, w, b, stride, padding, out_shape = _conv_args(x, w, b, stride, padding)
    if b is None:
        raise TypeError("b: expected a bias array of shape (F,), found None")
    n_examples, n_filters, n_rows, n_cols = out_shape
    n_channels, kh, kw = w.shape[1:]
    xp = _pad(x, padding)
    y = np.zeros(out_shape)
    for n in range(n_examples):
        for f in range(n_filters):
            for i in range(n_rows):
                for j in range(n_cols):
                    total = b[f]
                    for c in range(n_channels):
                        for u in range(kh):
                            for v in range(kw):
                                total += xp[n, c, i * stride + u, j * stride + v] * w[f, c, u, v]
                    y[n, f, i, j] = total
    return y


def conv2d_backward_reference(x, w, grad_y, stride: int = 1, padding: int = 0):
    """Gradients (grad_x, grad_w, grad_b) of a scalar loss L, given grad_y = ∂L/∂y (N, F, Ho, Wo).

    By the chain rule (15.26) applied to every position where a weight is used:
    ∂L/∂w[f,c,u,v] = Σ_n Σ_i Σ_j grad_y[n,f,i,j] · x̃[n,c,i·s+u,j·s+v],
    ∂L/∂b[f] = Σ_n Σ_i Σ_j grad_y[n,f,i,j],
    ∂L/∂x̃[n,c,i·s+u,j·s+v] += grad_y[n,f,i,j] · w[f,c,u,v]  (then the padding is cut off).
    """
    x, w, _, stride, padding, out_shape = _conv_args(x, w, None, stride, padding)
    grad_y = _grad_y(grad_y, out_shape)
    n_examples, n_filters, n_rows, n_cols = out_shape
    n_channels, kh, kw = w.shape[1:]
    xp = _pad(x, padding)
    grad_xp = np.zeros_like(xp)
    grad_w = np.zeros_like(w)
    grad_b = np.zeros(n_filters)
    for n in range(n_examples):
        for f in range(n_filters):
            for i in range(n_rows):
                for j in range(n_cols):
                    g = grad_y[n, f, i, j]
                    grad_b[f] += g
                    for c in range(n_channels):
                        for u in range(kh):
                            for v in range(kw):
                                r, s = i * stride + u, j * stride + v
                                grad_w[f, c, u, v] += g * xp[n, c, r, s]
                                grad_xp[n, c, r, s] += g * w[f, c, u, v]
    height, width = x.shape[2:]
    grad_x = grad_xp[:, :, padding:padding + height, padding:padding + width].copy()
    return grad_x, grad_w, grad_b


def conv2d_forward(x, w, b, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Numba twin of :func:`conv2d_forward_reference` (im2col + one matrix product)."""
    x, w, b, stride, padding, _ = _conv_args(x, w, b, stride, padding)
    if b is None:
        raise TypeError("b: expected a bias array of shape (F,), found None")
    return _kernels().conv2d_forward(x, w, b, stride, padding)


def conv2d_backward(x, w, grad_y, stride: int = 1, padding: int = 0):
    """Numba twin of :func:`conv2d_backward_reference`; returns (grad_x, grad_w, grad_b)."""
    x, w, _, stride, padding, out_shape = _conv_args(x, w, None, stride, padding)
    grad_y = _grad_y(grad_y, out_shape)
    return _kernels().conv2d_backward(x, w, grad_y, stride, padding)


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
    x = _images(x)
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


def _argmax_args(grad_y, argmax, input_shape):
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4))
    argmax = np.asarray(argmax)
    if argmax.shape != grad_y.shape or not np.issubdtype(argmax.dtype, np.integer):
        raise ValueError(f"argmax: expected an integer array of shape {grad_y.shape} (from the "
                         f"forward pass), found dtype {argmax.dtype} and shape {argmax.shape}")
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) != 4 or input_shape[:2] != grad_y.shape[:2]:
        raise ValueError(f"input_shape: expected (N, C, H, W) with N, C = {grad_y.shape[:2]}, "
                         f"found {input_shape}")
    n_positions = input_shape[2] * input_shape[3]
    if argmax.size and (argmax.min() < 0 or argmax.max() >= n_positions):
        raise ValueError(f"argmax: expected flat positions in [0, {n_positions}) for input "
                         f"{input_shape}, found values from {argmax.min()} to {argmax.max()}")
    return grad_y, np.ascontiguousarray(argmax, dtype=np.int64), input_shape


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
    x = _images(x)
    size, stride = _pool_args(size, stride)
    _pool_shape(x, size, stride)
    return _kernels().max_pool2d_forward(x, size, stride)


def max_pool2d_backward(grad_y, argmax, input_shape) -> np.ndarray:
    """Numba twin of :func:`max_pool2d_backward_reference`."""
    grad_y, argmax, input_shape = _argmax_args(grad_y, argmax, input_shape)
    return _kernels().max_pool2d_backward(grad_y, argmax, input_shape[2], input_shape[3])


def avg_pool2d_forward_reference(x, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Mean pooling of every channel of x (N, C, H, W) → (N, C, Ho, Wo)."""
    x = _images(x)
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
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4))
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
    x = _images(x)
    size, stride = _pool_args(size, stride)
    _pool_shape(x, size, stride)
    return _kernels().avg_pool2d_forward(x, size, stride)


def avg_pool2d_backward(grad_y, input_shape, size: int = 2,
                        stride: int | None = None) -> np.ndarray:
    """Numba twin of :func:`avg_pool2d_backward_reference`."""
    grad_y, input_shape, size, stride = _avg_backward_args(grad_y, input_shape, size, stride)
    return _kernels().avg_pool2d_backward(grad_y, size, stride, input_shape[2], input_shape[3])


# --- the convolution as a matrix -----------------------------------------------------------

def conv_as_matrix(input_shape, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The convolution as a partially connected, weight-tied layer (§15.10, L774; E31).

    Returns T (Ho·Wo, H·W) with T @ image.ravel() == correlate2d(image, kernel).ravel(): row
    (i, j) is one output neuron; it holds the kernel's values at the pixels of its receptive
    field (the same values in every row: shared weights) and zeros everywhere else (the
    connections a dense layer would have but a convolution leaves out). Padding pixels are
    zeros, so they simply drop out of the row.
    """
    if (not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2
            or not all(isinstance(d, numbers.Integral) for d in input_shape)):
        raise TypeError(f"input_shape: expected a pair of ints (H, W), found {input_shape!r}")
    height, width = (check_positive(int(d), "input_shape", integer=True) for d in input_shape)
    kernel = as_float_array(kernel, "kernel", ndim=2)
    stride, padding = _check_stride_padding(stride, padding)
    n_rows = conv_output_size(height, kernel.shape[0], padding, stride)
    n_cols = conv_output_size(width, kernel.shape[1], padding, stride)
    matrix = np.zeros((n_rows * n_cols, height * width))
    for i in range(n_rows):
        for j in range(n_cols):
            for u in range(kernel.shape[0]):
                for v in range(kernel.shape[1]):
                    r, c = i * stride + u - padding, j * stride + v - padding
                    if 0 <= r < height and 0 <= c < width:
                        matrix[i * n_cols + j, r * width + c] = kernel[u, v]
    return matrix
