"""Dense layers as convolutions; a fully convolutional network is one big convolution, so a
larger input gives a W > 1, H > 1 map whose every entry is the original network on a crop."""

import numpy as np
import pytest

from nnbook.analysis.fully_conv import (
    dense_as_conv,
    forward_any_size,
    fully_convolutional_output_shape,
    output_positions,
    receptive_field,
    to_fully_convolutional,
)
from nnbook.functional.convolution import conv1x1
from nnbook.layers import Conv2D, Dense, Flatten, MaxPool2D
from nnbook.models.sequential import Sequential


def small_classifier(rng):
    # 2@10×10 → conv 3×3 → 4@8×8 → pool 2 → 4@4×4 → 64 → 5 → 3
    return Sequential([Conv2D(4, 3, activation="relu"), MaxPool2D(2), Flatten(),
                       Dense(5, activation="relu"), Dense(3)], input_shape=(2, 10, 10), rng=rng)


def test_a_dense_layer_on_a_whole_volume_is_a_convolution_with_a_volume_sized_kernel():
    rng = np.random.default_rng(0)
    dense = Dense(6)
    dense.build((3 * 4 * 5,), rng)
    conv = dense_as_conv(dense, (3, 4, 5))
    assert conv.params["kernel"].value.shape == (6, 3, 4, 5)       # N kernels of size C×H×W
    x = rng.standard_normal((7, 3, 4, 5))
    y = conv.forward(x)
    assert y.shape == (7, 6, 1, 1)                                  # a 1×1×N output
    np.testing.assert_allclose(y[:, :, 0, 0], dense.forward(x.reshape(7, -1)), atol=1e-12)


def test_later_dense_layers_become_one_by_one_convolutions():
    rng = np.random.default_rng(1)
    dense = Dense(4)
    dense.build((6,), rng)
    conv = dense_as_conv(dense, (6, 1, 1))
    assert conv.kernel_size == (1, 1)
    x = rng.standard_normal((2, 6, 3, 5))       # applied at every pixel of a larger map
    np.testing.assert_allclose(forward_any_size([conv], x),
                               conv1x1(x, dense.params["kernel"].value,
                                       dense.params["bias"].value), atol=1e-12)


def test_the_converted_network_agrees_at_the_design_size():
    rng = np.random.default_rng(2)
    model = small_classifier(rng)
    converted = to_fully_convolutional(model.layers, (2, 10, 10))
    assert [type(layer).__name__ for layer in converted] == ["Conv2D", "MaxPool2D", "Conv2D",
                                                             "Conv2D"]
    x = rng.standard_normal((3, 2, 10, 10))
    y = forward_any_size(converted, x)
    assert y.shape == (3, 3, 1, 1)
    np.testing.assert_allclose(y[:, :, 0, 0], model.forward(x), atol=1e-12)


def test_a_larger_input_gives_a_map_of_the_network_on_every_crop():
    rng = np.random.default_rng(3)
    model = small_classifier(rng)
    converted = to_fully_convolutional(model.layers, (2, 10, 10))
    # receptive field by hand: 3, then +1 (pool), then +(4 − 1)·2 (the 4×4 conv after a stride 2)
    assert receptive_field(converted) == (10, 2)
    assert fully_convolutional_output_shape(model.layers, (2, 10, 10), (2, 10, 10)) == (3, 1, 1)
    assert fully_convolutional_output_shape(model.layers, (2, 10, 10), (2, 14, 18)) == (3, 3, 5)
    assert output_positions(14, converted) == 3 and output_positions(18, converted) == 5
    x = rng.standard_normal((2, 2, 14, 18))
    y = forward_any_size(converted, x)
    assert y.shape == (2, 3, 3, 5)
    for p in range(3):
        for q in range(5):
            crop = x[:, :, 2 * p:2 * p + 10, 2 * q:2 * q + 10]
            np.testing.assert_allclose(y[:, :, p, q], model.forward(crop), atol=1e-12)
    # the dense network itself refuses the larger input
    with pytest.raises(ValueError, match="expected examples of shape"):
        model.forward(x)


def test_errors_say_what_was_expected():
    with pytest.raises(TypeError, match="Dense"):
        dense_as_conv(Conv2D(2, 3), (1, 4, 4))
    dense = Dense(2)
    dense.build((10,), np.random.default_rng(0))
    with pytest.raises(ValueError, match="reads 10 inputs"):
        dense_as_conv(dense, (1, 3, 3))
    with pytest.raises(ValueError, match="to_fully_convolutional"):
        receptive_field([Dense(3)])
    with pytest.raises(ValueError, match="build the layer first"):
        forward_any_size([Conv2D(2, 3)], np.ones((1, 1, 5, 5)))


def test_objects_that_are_not_layers_are_refused():
    for call in (lambda: receptive_field([3]), lambda: to_fully_convolutional([3], (1, 4, 4)),
                 lambda: forward_any_size([3], np.ones((1, 1, 4, 4)))):
        with pytest.raises(TypeError, match="expected nnbook layers"):
            call()
