"""nnbook.functional.convolution: 陈强's worked example (figures 15.15–15.18), sizes, references vs
twins, backward vs finite differences, the convolution as a matrix.

Oracles typed from 陈强 §15.10 (the figures' numbers), from the size formula worked by hand, from
brute-force sums written independently here, and from central differences.
"""

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.functional import convolution as conv
from nnbook.functional.signals import unit_impulse

# 陈强 figure 15.15: the image and the X-shaped kernel.
IMAGE = np.array([[1, 0, 1, 0, 0],
                  [0, 1, 0, 1, 0],
                  [1, 0, 1, 0, 1],
                  [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]])
X_KERNEL = np.array([[1, 0, 1],
                     [0, 1, 0],
                     [1, 0, 1]])
# 陈强 figure 15.18 (lost in the source; derived from figures 15.16–15.17's rule): the 3×3 map.
FEATURE_MAP = np.array([[5, 0, 4],
                        [1, 4, 1],
                        [3, 2, 4]])

CORRELATE = [conv.correlate2d_reference, conv.correlate2d]


# --- the worked example -----------------------------------------------------------------

@pytest.mark.parametrize("correlate", CORRELATE)
def test_worked_example_steps_and_full_map(correlate):
    out = correlate(IMAGE, X_KERNEL)
    assert out[0, 0] == 5          # first step (figure 15.16)
    assert out[0, 1] == 0          # second step (figure 15.17)
    np.testing.assert_array_equal(out, FEATURE_MAP)  # figure 15.18
    assert out.max() == 5 and out.min() == 0        # §15.10: best and worst match


def test_x_kernel_is_symmetric_so_true_convolution_agrees():
    flipped = X_KERNEL[::-1, ::-1]
    np.testing.assert_array_equal(conv.correlate2d_reference(IMAGE, flipped), FEATURE_MAP)
    # with an asymmetric kernel, flipping changes the answer (so it is a cross-correlation)
    kernel = np.array([[1, 2, 0], [0, 0, 0], [0, 0, 0]])
    assert not np.array_equal(conv.correlate2d_reference(IMAGE, kernel),
                              conv.correlate2d_reference(IMAGE, kernel[::-1, ::-1]))


# --- output size ------------------------------------------------------------------------

@pytest.mark.parametrize("n, k, padding, stride, expected", [
    (5, 3, 0, 1, 3),      # the source: 5 − 3 + 1
    (32, 5, 0, 1, 28),    # LeNet C1
    (28, 5, 2, 1, 28),    # "same" padding
    (227, 11, 0, 4, 55),  # AlexNet conv1
    (55, 3, 0, 2, 27),    # AlexNet pool1 (overlapping)
    (7, 3, 1, 2, 4),      # (7 + 2 − 3)/2 + 1
    (6, 3, 0, 2, 2),      # floor: (6 − 3)/2 = 1.5 → 1
    (4, 2, 0, 2, 2),      # the pooling example
])
def test_conv_output_size(n, k, padding, stride, expected):
    assert conv.conv_output_size(n, k, padding, stride) == expected


@pytest.mark.parametrize("correlate", CORRELATE)
@pytest.mark.parametrize("stride, padding", [(1, 1), (2, 0), (2, 1), (3, 2)])
def test_stride_and_padding_match_brute_force(correlate, stride, padding):
    rng = np.random.default_rng(1)
    image, kernel = rng.normal(size=(7, 6)), rng.normal(size=(3, 2))
    padded = np.zeros((7 + 2 * padding, 6 + 2 * padding))
    padded[padding:padding + 7, padding:padding + 6] = image
    # every window, then keep every stride-th one
    full = np.array([[np.sum(padded[i:i + 3, j:j + 2] * kernel)
                      for j in range(padded.shape[1] - 1)] for i in range(padded.shape[0] - 2)])
    expected = full[::stride, ::stride]
    out = correlate(image, kernel, stride=stride, padding=padding)
    assert out.shape == (conv.conv_output_size(7, 3, padding, stride),
                         conv.conv_output_size(6, 2, padding, stride))
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


# --- multi-channel forward: reference vs brute force, twins vs references ----------------









@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1)])
def test_conv2d_backward_against_central_differences(stride, padding):
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    r = rng.normal(size=conv.conv2d_forward(x, w, b, stride, padding).shape)

    def loss():
        return float(np.sum(r * conv.conv2d_forward_reference(x, w, b, stride, padding)))

    grad_x, grad_w, grad_b = conv.conv2d_backward_reference(x, w, r, stride, padding)
    for analytic, array in [(grad_x, x), (grad_w, w), (grad_b, b)]:
        assert relative_error(analytic, numerical_gradient(lambda _: loss(), array)) < 1e-7


# --- the convolution as a sparse, weight-tied matrix (陈强 §15.10) ---------------------------

@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (1, 2)])
def test_conv_as_matrix_reproduces_correlation(stride, padding):
    rng = np.random.default_rng(7)
    image, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 3))
    matrix = conv.conv_as_matrix(image.shape, kernel, stride, padding)
    expected = conv.correlate2d_reference(image, kernel, stride, padding)
    assert matrix.shape == (expected.size, image.size)
    np.testing.assert_allclose(matrix @ image.ravel(), expected.ravel(), rtol=0, atol=1e-12)


def test_conv_as_matrix_source_example_is_sparse_and_tied():
    kernel = np.arange(1.0, 10.0).reshape(3, 3)  # nine distinct weights
    matrix = conv.conv_as_matrix((5, 5), kernel)
    np.testing.assert_array_equal(
        conv.conv_as_matrix((5, 5), X_KERNEL) @ IMAGE.ravel(), FEATURE_MAP.ravel())
    assert matrix.shape == (9, 25)
    # each output neuron connects to 9 of the 25 pixels, always with the same 9 weights
    for row in matrix:
        assert np.count_nonzero(row) == 9
        np.testing.assert_array_equal(row[row != 0], kernel.ravel())
    # a dense layer would have 9·25 = 225 free weights; here there are 9 distinct ones
    assert len(np.unique(matrix[matrix != 0])) == 9


# --- bad input -----------------------------------------------------------------------------

def test_errors_say_what_was_expected():
    with pytest.raises(ValueError, match="does not fit"):
        conv.conv_output_size(3, 5)
    with pytest.raises(ValueError, match="2-D"):
        conv.correlate2d_reference(np.ones(5), X_KERNEL)
    with pytest.raises(ValueError, match="input channels"):
        conv.conv2d_forward(np.ones((1, 2, 5, 5)), np.ones((3, 1, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="filters"):
        conv.conv2d_forward(np.ones((1, 1, 5, 5)), np.ones((3, 1, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="finite"):
        conv.correlate2d(np.full((5, 5), np.nan), X_KERNEL)
    with pytest.raises(ValueError, match="expected"):
        conv.conv2d_backward(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)))
    with pytest.raises(TypeError, match="pair of ints"):
        conv.conv_as_matrix(25, X_KERNEL)


# --- true convolution, Sobel, volumes, 1×1 (Galeone, ch. 2) ---------------------------------
# Oracles: scipy.signal's convolve2d/correlate2d, scipy.ndimage's Sobel filter, a step image
# worked by hand, and per-channel or per-pixel sums written here.

ASYMMETRIC = np.array([[1.0, 2.0, 0.0],
                       [0.0, -1.0, 3.0],
                       [4.0, 0.0, 0.0]])


@pytest.mark.parametrize("n,k,stride,expected", [(5, 3, 1, 3), (32, 5, 1, 28), (7, 3, 2, 3)])
def test_galeone_output_sizes(n, k, stride, expected):
    # ⌊(I − k)/S⌋ + 1 worked by hand: (5−3)/1+1, (32−5)/1+1, ⌊(7−3)/2⌋+1
    assert conv.conv_output_size(n, k, stride=stride) == expected
    image = np.random.default_rng(n).standard_normal((n, n))
    assert conv.convolve2d(image, np.ones((k, k)), stride).shape == (expected, expected)


def test_true_convolution_matches_scipy_and_flips_the_kernel():
    image = np.random.default_rng(4).standard_normal((6, 7))
    true = conv.convolve2d(image, ASYMMETRIC)
    np.testing.assert_allclose(true, scipy.signal.convolve2d(image, ASYMMETRIC, mode="valid"))
    np.testing.assert_allclose(conv.correlate2d(image, ASYMMETRIC),
                               scipy.signal.correlate2d(image, ASYMMETRIC, mode="valid"))
    np.testing.assert_allclose(true, conv.correlate2d(image, np.rot90(ASYMMETRIC, 2)))
    assert not np.allclose(true, conv.correlate2d(image, ASYMMETRIC))
    # strided: every S-th valid position of the stride-1 map
    np.testing.assert_allclose(conv.convolve2d(image, ASYMMETRIC, stride=2), true[::2, ::2])


def test_two_dimensional_sifting_property():
    image = np.random.default_rng(5).standard_normal((5, 6))
    delta = unit_impulse((3, 3), at=(1, 1))  # the Kronecker delta, centred
    np.testing.assert_allclose(conv.convolve2d(image, delta, padding=1), image)


def test_sobel_on_a_step_image_answers_only_at_the_step():
    step = np.zeros((6, 8))
    step[:, 4:] = 2.0                       # a vertical edge of height 2 between columns 3 and 4
    edges = conv.sobel_edges(step)
    assert edges.shape == (4, 6)
    # output column j sees input columns j … j+2: it straddles the step for j = 2 and 3 only,
    # and there Gx = (1 + 2 + 1)·2 = 8, Gy = 0
    expected = np.zeros((4, 6))
    expected[:, 2:4] = 8.0
    np.testing.assert_allclose(edges, expected)
    np.testing.assert_allclose(conv.sobel_edges(step.T), expected.T)
    assert conv.SOBEL_X.sum() == 0 and np.array_equal(conv.SOBEL_Y, conv.SOBEL_X.T)


def test_sobel_on_a_real_photograph_matches_scipy():
    from nnbook.data.images import sample_photo, to_gray

    gray = to_gray(sample_photo("china.jpg")[100:196, 200:328])
    edges = conv.sobel_edges(gray)
    # scipy's sobel(axis) is the derivative along that axis, smoothed across it: our Gy, Gx
    oracle = np.hypot(scipy.ndimage.sobel(gray, axis=0), scipy.ndimage.sobel(gray, axis=1))
    np.testing.assert_allclose(edges, oracle[1:-1, 1:-1], atol=1e-9)
    # edges are sparse: most pixels lie in smooth regions
    assert np.median(edges) < 0.25 * edges.max()


def test_volume_convolution_is_the_sum_of_the_per_channel_maps():
    rng = np.random.default_rng(6)
    volume, kernels = rng.standard_normal((3, 7, 6)), rng.standard_normal((4, 3, 3, 3))
    maps = conv.correlate_volume(volume, kernels)
    assert maps.shape == (4, 5, 4)
    for n in range(4):
        per_channel = sum(conv.correlate2d_reference(volume[d], kernels[n, d]) for d in range(3))
        np.testing.assert_allclose(maps[n], per_channel, atol=1e-12)
    np.testing.assert_allclose(conv.correlate_volume(volume, kernels[1]), maps[1])
    np.testing.assert_allclose(conv.correlate_volume(volume, kernels, stride=2), maps[:, ::2, ::2])


def test_channel_order_must_match_but_a_joint_permutation_changes_nothing():
    rng = np.random.default_rng(7)
    volume, kernels = rng.standard_normal((3, 6, 6)), rng.standard_normal((2, 3, 3, 3))
    maps = conv.correlate_volume(volume, kernels)
    bgr = [2, 1, 0]
    np.testing.assert_allclose(conv.correlate_volume(volume[bgr], kernels[:, bgr]), maps,
                               atol=1e-12)
    # permuting only the image (reading RGB as BGR) changes the feature maps
    assert not np.allclose(conv.correlate_volume(volume[bgr], kernels), maps)


def test_conv1x1_is_a_dense_layer_at_every_pixel():
    rng = np.random.default_rng(8)
    depth, filters = 5, 3
    w, b = rng.standard_normal((depth, filters)), rng.standard_normal(filters)
    for height, width in [(1, 1), (4, 7), (9, 2)]:          # any spatial size
        x = rng.standard_normal((2, depth, height, width))
        y = conv.conv1x1(x, w, b)
        assert y.shape == (2, filters, height, width)
        for i in range(height):
            for j in range(width):
                np.testing.assert_allclose(y[:, :, i, j], x[:, :, i, j] @ w + b, atol=1e-12)
        np.testing.assert_allclose(y, conv.conv2d_forward_reference(x, w.T[:, :, None, None], b),
                                   atol=1e-12)
        np.testing.assert_allclose(conv.conv1x1(x[0], w), y[0] - b[:, None, None], atol=1e-12)


def test_conv1x1_equals_nnbooks_conv2d_layer_with_a_one_by_one_kernel():
    from nnbook.layers import Conv2D

    rng = np.random.default_rng(9)
    # nnbook layers are built for one input shape; the same 6·4 + 4 numbers serve any image
    layer = Conv2D(4, 1)
    layer.build((6, 8, 11), rng)
    x = rng.standard_normal((3, 6, 8, 11))
    layer.params["bias"].value[...] = rng.standard_normal(4)
    kernel = layer.params["kernel"].value               # (filters, depth, 1, 1)
    np.testing.assert_allclose(layer.forward(x), conv.conv1x1(x, kernel[:, :, 0, 0].T,
                                                              layer.params["bias"].value),
                               atol=1e-12)
    assert layer.count_params((6, 5, 5)) == layer.count_params((6, 100, 300)) == (6 * 4 + 4, 0)


def test_new_functions_reject_bad_input():
    with pytest.raises(ValueError, match="depth"):
        conv.correlate_volume(np.ones((3, 5, 5)), np.ones((2, 2, 3, 3)))
    with pytest.raises(ValueError, match="channel axis"):
        conv.conv1x1(np.ones((3, 4, 4)), np.ones((2, 5)))
    with pytest.raises(ValueError, match="one bias per filter"):
        conv.conv1x1(np.ones((3, 4, 4)), np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="2-D"):
        conv.convolve2d(np.ones((5, 5)), np.ones(3))
