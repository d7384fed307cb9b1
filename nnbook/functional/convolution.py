"""Convolution by hand (陈强 §15.10, figures 15.15–15.18), with fast twins.

The "convolution" of a CNN slides a kernel over the image and adds up element-wise
products, **without flipping the kernel** — mathematically a cross-correlation (陈强 says so
in 陈强 §15.10). For an image I (H, W) and kernel K (kh, kw), with stride s and zero padding p (the
padded image is Ĩ)::

    O(i, j) = Σ_u Σ_v Ĩ(i·s + u, j·s + v) · K(u, v),   0 ≤ i < Ho, 0 ≤ j < Wo,
    Ho = ⌊(H + 2p − kh) / s⌋ + 1

(陈强 shows the stride-1, unpadded case on a 5×5 image, figures 15.15–15.18.)

Every ``*_reference`` function is a plain loop that mirrors its formula; the function of the
same name without the suffix validates its arguments and calls its Numba twin in
:mod:`nnbook.kernels.convolution`, tested equal.
Batched arrays are NCHW: x (N, C, H, W), weights w (F, C, kh, kw), bias b (F,).

Galeone, ch. 2 (§'2D convolution' to §'1 x 1 x D convolutions') adds: :func:`convolve2d`, the
true convolution (kernel rotated 180°); Sobel's kernels and :func:`sobel_edges`;
:func:`correlate_volume` for one (D, H, W) volume (the source's W×H×D); :func:`conv1x1`, the
per-pixel dense layer. The 1-D signal view is :mod:`nnbook.functional.signals`.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.validation import as_float_array, check_positive


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook.kernels import convolution

    return convolution


__all__ = [
    "conv_output_size", "as_images",
    "correlate2d_reference", "correlate2d",
    "conv2d_forward_reference", "conv2d_forward",
    "conv2d_backward_reference", "conv2d_backward",
    "conv_as_matrix",
    "convolve2d", "SOBEL_X", "SOBEL_Y", "sobel_edges", "correlate_volume", "conv1x1",
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


def as_images(x, name="x"):
    """``x`` as a C-contiguous float64 batch of images (N, C, H, W) (the twins compute in float64)."""
    return np.ascontiguousarray(as_float_array(x, name, ndim=4, dtype=np.float64))


def _conv_args(x, w, b, stride, padding):
    x = as_images(x)
    w = np.ascontiguousarray(as_float_array(w, "w", ndim=4, dtype=np.float64))
    stride, padding = _check_stride_padding(stride, padding)
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"w has {w.shape[1]} input channels (shape {w.shape}) but x has "
                         f"{x.shape[1]} (shape {x.shape}); expected w (F, C, kh, kw) with C "
                         "equal to x's channel axis (N, C, H, W)")
    if b is not None:
        b = np.ascontiguousarray(as_float_array(b, "b", ndim=1, dtype=np.float64))
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b has shape {b.shape} but w has {w.shape[0]} filters; "
                             f"expected b of shape ({w.shape[0]},)")
    ho = conv_output_size(x.shape[2], w.shape[2], padding, stride)
    wo = conv_output_size(x.shape[3], w.shape[3], padding, stride)
    return x, w, b, stride, padding, (x.shape[0], w.shape[0], ho, wo)


def _grad_y(grad_y, expected_shape):
    grad_y = np.ascontiguousarray(as_float_array(grad_y, "grad_y", ndim=4, dtype=np.float64))
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

    Returns O (Ho, Wo) with O(i, j) = Σ_u Σ_v Ĩ(i·s + u, j·s + v) K(u, v) (the formula in
    the module docstring); no kernel flip (a cross-correlation, as 陈强 §15.10 notes).
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


# --- multi-channel, batched convolution ---------------------------------------------------

def conv2d_forward_reference(x, w, b, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Convolution pre-activation y (N, F, Ho, Wo) from x (N, C, H, W), w (F, C, kh, kw), b (F,).

    y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v x̃[n, c, i·s + u, j·s + v] · w[f, c, u, v]
    — every filter sees all input channels and shares its weights across positions (陈强 §15.10).
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

    By the chain rule 陈强 (15.26) applied to every position where a weight is used:
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


# --- the convolution as a matrix -----------------------------------------------------------

def conv_as_matrix(input_shape, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The convolution as a partially connected, weight-tied layer (陈强 §15.10).

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


# --- true convolution, edge detection, volumes (Galeone, ch. 2) -----------------------------

def convolve2d(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """True 2-D convolution (I * K)(i, j) = Σ_m Σ_n I(m, n) K(i − m, j − n), valid positions only.

    Galeone, ch. 2, §'2D convolution' defines the convolution with the kernel index reversed;
    on a finite image that is :func:`correlate2d` with the kernel rotated by 180°, which is how
    it is computed here (no second loop). The two agree only for a kernel that is symmetric
    under that rotation. Output size ⌊(I + 2p − k)/S⌋ + 1 per axis, as for :func:`correlate2d`.
    The image is the 2-D *signal* and the kernel the linear shift-invariant *system* (its impulse
    response); the source's sentence calling the image the 2-D version of an LTI system swaps
    the two roles.
    """
    kernel = as_float_array(kernel, "kernel", ndim=2)
    return correlate2d(image, kernel[::-1, ::-1], stride, padding)


#: Sobel's horizontal-derivative kernel in the sliding (cross-correlation) form a CNN uses:
#: positive where the intensity grows from left to right (a difference of columns, smoothed
#: 1-2-1 over rows). As a true-convolution kernel it is the 180° rotation, i.e. minus this.
SOBEL_X = np.array([[-1.0, 0.0, 1.0],
                    [-2.0, 0.0, 2.0],
                    [-1.0, 0.0, 1.0]])
SOBEL_X.flags.writeable = False
#: Sobel's vertical-derivative kernel: positive where the intensity grows downwards.
SOBEL_Y = np.ascontiguousarray(SOBEL_X.T)
SOBEL_Y.flags.writeable = False


def sobel_edges(gray) -> np.ndarray:
    """Edge strength √(Gx² + Gy²) of a grey image (H, W) → (H − 2, W − 2), valid positions only.

    Gx and Gy slide :data:`SOBEL_X` and :data:`SOBEL_Y` over the image (the edge map of
    Galeone's figure in §'2D convolution'; Sobel is a square 3×3 derivative filter, not the
    "rectangular filter" the source calls it). A constant region
    gives 0; a step of height c gives 4c next to the step.
    """
    gray = as_float_array(gray, "gray", ndim=2)
    return np.hypot(correlate2d(gray, SOBEL_X), correlate2d(gray, SOBEL_Y))


def correlate_volume(volume, kernels, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Slide filters through a whole volume (Galeone, ch. 2, §'2D convolutions among volumes').

    ``volume`` (D, H, W) is the source's W×H×D volume, channels first; ``kernels`` is one
    filter (D, k, k) → one map (Ho, Wo), or N filters (N, D, k, k) → N maps (N, Ho, Wo). Each
    filter has the volume's depth D, and its map adds the D per-channel 2-D maps (the
    reconstructed formula O(i,j) = Σ_d Σ_u Σ_v I(i+u, j+v, d) K(u, v, d)). Channel d of the
    filter meets channel d of the volume: the channel order must agree (not "an unordered set",
    as the source says) — permuting both together changes nothing. The batched
    :func:`conv2d_forward` on a batch of one, no bias.
    """
    volume = as_float_array(volume, "volume", ndim=3)
    kernels = as_float_array(kernels, "kernels", ndim=(3, 4))
    single = kernels.ndim == 3
    if single:
        kernels = kernels[None]
    if kernels.shape[1] != volume.shape[0]:
        raise ValueError(f"kernels have depth {kernels.shape[1]} (shape {kernels.shape}) but the "
                         f"volume has depth {volume.shape[0]} (shape {volume.shape}); expected "
                         "kernels (D, k, k) or (N, D, k, k) with the volume's depth D")
    maps = conv2d_forward(volume[None], kernels, np.zeros(len(kernels)), stride, padding)[0]
    return maps[0] if single else maps


def conv1x1(x, w, b=None) -> np.ndarray:
    """The 1×1×D convolution: the same dense layer applied to the depth vector of every pixel.

    ``x`` (D, H, W) or a batch (B, D, H, W), ``w`` (D, N) in the dense layer's row convention
    (output = input row @ w), ``b`` (N,) or None → (N, H, W) or (B, N, H, W), for any H and W.
    O(i, j, :) = I(i, j, :) W + b: N·D weights (+ N biases) whatever the image size
    (Galeone, ch. 2, §'1 x 1 x D convolutions'). The same as :func:`conv2d_forward` with the
    kernel ``w.T[:, :, None, None]``.
    """
    x = as_float_array(x, "x", ndim=(3, 4))
    w = as_float_array(w, "w", ndim=2)
    depth_axis = x.ndim - 3
    if w.shape[0] != x.shape[depth_axis]:
        raise ValueError(f"w has {w.shape[0]} rows (shape {w.shape}) but x has depth "
                         f"{x.shape[depth_axis]} (shape {x.shape}); expected w (D, N) with D the "
                         "channel axis of x (D, H, W) or (B, D, H, W)")
    y = np.moveaxis(x, depth_axis, -1) @ w           # every pixel's depth vector times W
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (w.shape[1],):
            raise ValueError(f"b has shape {b.shape}; expected ({w.shape[1]},), one bias per filter")
        y = y + b
    return np.moveaxis(y, -1, depth_axis)
