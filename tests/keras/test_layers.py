"""nnbook.keras.layers (and the Keras 1–2 path layers.core): nnbook's layers, Keras' arguments."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook import layers as core
from nnbook.keras import layers
from nnbook.keras.layers import core as keras2
from nnbook.keras.models import Sequential


def test_the_layers_are_nnbooks_and_layers_core_is_the_same_module_contents():
    assert issubclass(layers.Dense, core.Dense) and issubclass(layers.Dropout, core.Dropout)
    assert issubclass(layers.Activation, core.Activation)
    assert (keras2.Dense, keras2.Activation, keras2.Dropout) == \
        (layers.Dense, layers.Activation, layers.Dropout)


def test_dense_defaults_glorot_uniform_kernel_and_zero_bias():
    model = Sequential([layers.Dense(300, input_dim=200)], seed=0)
    kernel, bias = model.get_weights()
    limit = np.sqrt(6 / (200 + 300))
    assert np.abs(kernel).max() <= limit and not bias.any()
    assert kernel.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)     # U[−r, r]
    assert abs(kernel.mean()) < 0.005
    assert model.layers[0].name == "dense" and model.layers[0].activation == "linear"


def test_input_dim_and_input_shape():
    assert layers.Dense(12, input_dim=8).keras_input_shape == (8,)
    assert layers.Dense(12, input_shape=(8,)).keras_input_shape == (8,)
    assert layers.Dense(12, input_dim=8, input_shape=(8,)).keras_input_shape == (8,)
    assert layers.Dense(12).keras_input_shape is None
    with pytest.raises(ValueError, match="disagree"):
        layers.Dense(12, input_dim=8, input_shape=(9,))
    with pytest.raises(TypeError, match="note the comma"):
        layers.Dense(12, input_shape=784)
    with pytest.raises(ValueError, match="positive int"):
        layers.Dense(12, input_dim=0)
    with pytest.raises(ValueError, match="positive sizes"):
        layers.Dense(12, input_shape=())


def test_any_first_layer_may_carry_the_input_shape():
    for first in (layers.Dropout(0.2, input_shape=(4,)), layers.Activation("relu", input_shape=(4,)),
                  layers.Flatten(input_shape=(2, 2))):
        model = Sequential([first, layers.Dense(3)], seed=0)
        assert model.built and model.count_params() == 15


def test_dense_takes_keras_initializer_names():
    model = Sequential([layers.Dense(500, input_dim=400, kernel_initializer="normal",
                                     bias_initializer="one")], seed=0)
    kernel, bias = model.get_weights()
    assert kernel.std() == pytest.approx(0.05, rel=0.02)    # Keras' "normal" is σ = 0.05
    assert np.all(bias == 1)
    with pytest.raises(ValueError, match="Keras names"):
        layers.Dense(3, kernel_initializer="he_normal")


def test_unsupported_keras_arguments_are_refused_clearly():
    with pytest.raises(ValueError, match="use_bias"):
        layers.Dense(3, use_bias=False)
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=(1, 3))
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="unknown activation"):
        layers.Activation("swishy")


def test_dropout_seed_gives_the_layer_its_own_masks():
    masks = []
    for model_seed in (1, 2):
        model = Sequential([layers.Dropout(0.5, seed=3, input_shape=(50,))], seed=model_seed)
        model.forward(np.ones((4, 50), dtype=np.float32), training=True)
        masks.append(model.layers[0].mask)
    np.testing.assert_array_equal(*masks)


def test_layer_get_and_set_weights():
    model = Sequential([layers.Dense(3, input_dim=2)], seed=0)
    dense = model.layers[0]
    dense.set_weights([np.ones((2, 3)), np.arange(3.0)])
    kernel, bias = dense.get_weights()
    assert kernel.dtype == np.float32 and np.all(kernel == 1) and bias.tolist() == [0, 1, 2]
    assert layers.Dense(3).get_weights() == []                              # not built yet
    with pytest.raises(ValueError, match=r"dense.kernel has shape \(2, 3\)"):
        dense.set_weights([np.ones((3, 2)), np.zeros(3)])


def test_input_needs_a_shape():
    assert layers.Input(shape=(28, 28)).shape == (28, 28)
    with pytest.raises(ValueError, match="shape="):
        layers.Input()


def test_batch_normalization_counts_and_orders_its_weights_like_keras():
    model = Sequential([layers.Dense(4, input_shape=(3,)), layers.BatchNormalization(),
                        layers.Dense(2)])
    bn = model.layers[1]
    # Keras: Dense(4) on 3 inputs 16, BatchNormalization 4·4 = 16 (8 trainable), Dense(2) 10
    assert [w.shape for w in bn.get_weights()] == [(4,)] * 4        # γ, β, moving mean, variance
    np.testing.assert_array_equal(np.stack(bn.get_weights()), [[1] * 4, [0] * 4, [0] * 4, [1] * 4])
    assert (bn.axis, bn.momentum, bn.epsilon) == (-1, 0.99, 0.001)
    assert sum(layer.n_params for layer in model.layers) == 42
    assert sum(p.size for layer in model.layers for p in layer.params.values()
               if p.trainable) == 34
    with pytest.raises(ValueError, match="center"):
        layers.BatchNormalization(center=False)
