"""nnbook.layers.conv: Conv2D on the Layer protocol — shapes, parameter counts, gradient checks
(< 1e-7 in float64), the fast path equal to the reference path, groups and connection tables,
and errors."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.functional import convolution as conv
from nnbook.layers.conv import Conv2D
from nnbook.layers.pooling import AvgPool2D, MaxPool2D

X_KERNEL = np.array([[1.0, 0, 1], [0, 1, 0], [1, 0, 1]])
IMAGE = np.array([[1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1],
                  [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], dtype=float)


def test_conv2d_layer_reproduces_the_worked_example():
    layer = Conv2D(1, 3)
    layer.build((1, 5, 5), np.random.default_rng(0))
    layer.params["kernel"].value[...] = X_KERNEL
    out = layer.forward(IMAGE[None, None])
    np.testing.assert_array_equal(out[0, 0], [[5, 0, 4], [1, 4, 1], [3, 2, 4]])  # 陈强 figure 15.18


@pytest.mark.parametrize("kwargs, input_shape, expected", [
    (dict(filters=6, kernel_size=5), (1, 32, 32), (6, 28, 28)),
    (dict(filters=4, kernel_size=3, padding="same"), (2, 9, 9), (4, 9, 9)),
    (dict(filters=3, kernel_size=(3, 2), stride=2, padding=1), (2, 7, 6), (3, 4, 4)),
])
def test_conv2d_shapes_and_parameter_count(kwargs, input_shape, expected):
    layer = Conv2D(**kwargs)
    assert layer.output_shape(input_shape) == expected
    layer.build(input_shape, np.random.default_rng(0))
    kh, kw = layer.kernel_size
    # F·(C·kh·kw + 1) shared weights, independent of the image size (陈强 §15.10)
    assert layer.n_params == kwargs["filters"] * (input_shape[0] * kh * kw + 1)
    out = layer.forward(np.ones((2, *input_shape)))
    assert out.shape == (2, *expected)




@pytest.mark.parametrize("make, input_shape", [
    (lambda: Conv2D(3, 3), (2, 6, 6)),
    (lambda: Conv2D(2, (2, 3), stride=2, padding=1), (3, 5, 6)),
    (lambda: Conv2D(3, 3, padding="same", activation="tanh"), (2, 5, 5)),
    (lambda: Conv2D(2, 3, activation="sigmoid", kernel_initializer="normal"), (1, 6, 5)),
    (lambda: MaxPool2D(2), (2, 6, 6)),
    (lambda: MaxPool2D(3, stride=2), (2, 7, 7)),
    (lambda: AvgPool2D(2), (2, 6, 6)),
    (lambda: AvgPool2D(3, stride=1), (1, 5, 6)),
])
@pytest.mark.parametrize("use_reference", [False, True])
def test_gradient_check(make, input_shape, use_reference):
    rng = np.random.default_rng(11)
    layer = make()
    layer.use_reference = use_reference
    x = rng.normal(size=(2, *input_shape))
    layer.build(input_shape, rng)
    assert check_layer(layer, x, rng) < 1e-7


def test_fast_path_equals_reference_path():
    rng = np.random.default_rng(12)
    x = rng.normal(size=(3, 2, 8, 8))
    fast = Conv2D(4, 3, stride=1, padding=1, activation="relu")
    fast.build((2, 8, 8), np.random.default_rng(1))
    slow = Conv2D(4, 3, stride=1, padding=1, activation="relu", use_reference=True)
    slow.build((2, 8, 8), np.random.default_rng(1))
    np.testing.assert_allclose(fast.forward(x), slow.forward(x), rtol=0, atol=1e-12)
    g = rng.normal(size=(3, 4, 8, 8))
    np.testing.assert_allclose(fast.backward(g), slow.backward(g), rtol=0, atol=1e-12)
    for key in fast.params:
        np.testing.assert_allclose(fast.params[key].grad, slow.params[key].grad, rtol=0, atol=1e-12)






def test_layer_errors():
    with pytest.raises(ValueError, match="same"):
        Conv2D(2, 4, padding="same")
    with pytest.raises(ValueError, match="padding"):
        Conv2D(2, 3, padding="full")
    with pytest.raises(TypeError, match="kernel_size"):
        Conv2D(2, "3")
    with pytest.raises(ValueError, match="initializer"):
        Conv2D(2, 3, kernel_initializer="bogus")
    layer = Conv2D(2, 3)
    with pytest.raises(RuntimeError, match="build"):
        layer.forward(np.ones((1, 1, 5, 5)))
    layer.build((1, 5, 5), np.random.default_rng(0))
    with pytest.raises(ValueError, match="expected examples of shape"):
        layer.forward(np.ones((1, 2, 5, 5)))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((1, 2, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        Conv2D(2, 7).build((1, 5, 5), np.random.default_rng(0))


def test_modern_lenet_from_layers_matches_the_tracer():
    """Build LeNet-5 (modern convention) from nnbook layers and compare every count."""
    from nnbook.analysis.architectures import lenet5_trace
    from nnbook.layers import Dense, Flatten

    rng = np.random.default_rng(0)
    layers = [Conv2D(6, 5, activation="tanh"), AvgPool2D(2), Conv2D(16, 5, activation="tanh"),
              AvgPool2D(2), Conv2D(120, 5, activation="tanh"), Flatten(),
              Dense(84, activation="tanh"), Dense(10)]
    shape = (1, 32, 32)
    counts = []
    for layer in layers:
        layer.build(shape, rng)
        shape = tuple(layer.output_shape(shape))
        if not isinstance(layer, Flatten):
            counts.append((shape, layer.n_params))
    rows = lenet5_trace("modern")[1:]
    assert [row.params for row in rows] == [n for _, n in counts]
    assert [int(np.prod(row.output_shape)) for row in rows] == [int(np.prod(s)) for s, _ in counts]
    x = rng.normal(size=(2, 1, 32, 32))
    for layer in layers:
        x = layer.forward(x)
    assert x.shape == (2, 10)


def test_conv_layer_agrees_with_module_function():
    rng = np.random.default_rng(3)
    layer = Conv2D(3, 3, stride=2, padding=1)
    layer.build((2, 7, 7), rng)
    x = rng.normal(size=(2, 2, 7, 7))
    expected = conv.conv2d_forward_reference(x, layer.params["kernel"].value,
                                             layer.params["bias"].value, 2, 1)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=0, atol=1e-12)


def test_groups_split_channels_like_alexnets_two_gpus():
    layer = Conv2D(4, 3, groups=2)
    mask = layer.connection_mask(6)
    np.testing.assert_array_equal(mask, [[1, 1, 1, 0, 0, 0]] * 2 + [[0, 0, 0, 1, 1, 1]] * 2)
    assert layer.count_params((6, 8, 8)) == (4 * 3 * 9 + 4, 0)
    layer.build((6, 8, 8), np.random.default_rng(0))
    kernel = layer.params["kernel"].value
    assert np.all(kernel[:2, 3:] == 0) and np.all(kernel[2:, :3] == 0)
    # each half of the output depends only on its half of the input
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 8, 8))
    y = layer.forward(x)
    x2 = x.copy()
    x2[:, 3:] = rng.normal(size=(2, 3, 8, 8))
    np.testing.assert_allclose(layer.forward(x2)[:, :2], y[:, :2], rtol=0, atol=1e-12)
    assert not np.allclose(layer.forward(x2)[:, 2:], y[:, 2:])


def test_a_connection_table_masks_kernel_and_gradient():
    """LeNet-5's C3 reads only some S2 maps (LeCun et al. 1998, Table I)."""
    table = ((0, 1), (1, 2), (0, 2))
    layer = Conv2D(3, 2, connections=table)
    assert layer.count_params((3, 4, 4)) == ((2 + 2 + 2) * 4 + 3, 0)
    rng = np.random.default_rng(2)
    layer.build((3, 4, 4), rng)
    x = rng.normal(size=(2, 3, 4, 4))
    layer.forward(x)
    layer.backward(rng.normal(size=(2, 3, 3, 3)))
    mask = layer.connection_mask(3)[:, :, None, None]
    assert np.all(layer.params["kernel"].grad * (1 - mask) == 0)
    assert np.all(layer.params["kernel"].value * (1 - mask) == 0)
    assert check_layer(layer, x, rng) < 1e-7
    with pytest.raises(ValueError, match="outside"):
        Conv2D(3, 2, connections=((0, 5), (1,), (2,))).build((3, 4, 4), rng)
    with pytest.raises(ValueError, match="either groups or connections"):
        Conv2D(3, 2, groups=3, connections=table)
    with pytest.raises(ValueError, match="do not split"):
        Conv2D(4, 3, groups=3)


def test_connections_count_multiply_adds_per_example():
    """LeCun's convention: every weight (and bias) of a feature map is used at every position."""
    assert Conv2D(6, 5).count_connections((1, 32, 32)) == 156 * 28 * 28
