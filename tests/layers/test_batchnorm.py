"""nnbook.layers.batchnorm: BatchNormalization after Dense (B, F) and after Conv2D (NCHW).

Oracles: finite differences (analysis.gradcheck, float64, < 1e-7), the running-average rule
written out by hand, per-channel statistics computed directly with numpy over (B, H, W),
Keras' parameter counts (4F, of which 2F trainable), and the dependence of one example's output
on its batch companions in training only.
"""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import layer_gradient_errors
from nnbook.layers import BatchNormalization, Conv2D, Dense, Flatten
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD


def _randomised(layer, shape, rng):
    """A built layer with non-trivial γ, β and running statistics."""
    layer.build(shape[1:], rng)
    c = shape[1]
    layer.params["gamma"].value[...] = rng.normal(size=c)
    layer.params["beta"].value[...] = rng.normal(size=c)
    layer.params["moving_mean"].value[...] = rng.normal(size=c)
    layer.params["moving_variance"].value[...] = rng.random(c) + 0.5
    return layer


@pytest.mark.parametrize("shape", [(6, 4), (3, 2, 4, 5)], ids=["dense", "nchw"])
@pytest.mark.parametrize("training", [True, False])
def test_gradient_check(shape, training):
    rng = np.random.default_rng(0)
    layer = _randomised(BatchNormalization(), shape, rng)
    x = rng.normal(size=shape) * 2 + 1
    errors = layer_gradient_errors(layer, x, rng, training=training)
    assert set(errors) == {"input", "gamma", "beta"}            # running statistics: no gradient
    assert max(errors.values()) < 1e-7, errors


def test_training_after_dense_uses_batch_statistics_and_updates_running_ones():
    rng = np.random.default_rng(1)
    layer = BatchNormalization(momentum=0.9, epsilon=1e-3)
    layer.build((3,), rng)
    x = rng.normal([1.0, -2.0, 5.0], [1.0, 0.5, 3.0], size=(20, 3))
    y = layer.forward(x, training=True)
    sigma2 = x.var(axis=0)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), sigma2 / (sigma2 + 1e-3), rtol=1e-12)
    np.testing.assert_allclose(layer.params["moving_mean"].value, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(layer.params["moving_variance"].value, 0.9 + 0.1 * sigma2)
    # inference uses the running statistics
    mean, var = layer.params["moving_mean"].value, layer.params["moving_variance"].value
    np.testing.assert_allclose(layer.forward(x, training=False), (x - mean) / np.sqrt(var + 1e-3))
    assert np.array_equal(layer.params["moving_mean"].value, mean)   # inference changes nothing


def test_nchw_statistics_are_per_channel_over_batch_height_width():
    rng = np.random.default_rng(2)
    layer = BatchNormalization(epsilon=1e-5)
    x = rng.normal(size=(4, 3, 5, 6)) * np.array([1.0, 3.0, 0.2])[:, None, None] \
        + np.array([0.0, 10.0, -4.0])[:, None, None]
    layer.build(x.shape[1:], rng)
    y = layer.forward(x, training=True)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5), atol=1e-12)
    assert y.shape == x.shape and y.flags.c_contiguous


def test_identity_at_gamma_sqrt_var_plus_eps_and_beta_mean():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 4)) * 3 - 1
    layer = BatchNormalization()
    layer.build((4,), rng)
    layer.params["gamma"].value[...] = np.sqrt(x.var(axis=0) + layer.epsilon)
    layer.params["beta"].value[...] = x.mean(axis=0)
    np.testing.assert_allclose(layer.forward(x, training=True), x, atol=1e-12)


def test_an_example_depends_on_its_batch_in_training_only():
    rng = np.random.default_rng(4)
    layer = _randomised(BatchNormalization(), (5, 3), rng)
    first = rng.normal(size=(1, 3))
    batch_a = np.vstack([first, rng.normal(size=(4, 3))])
    batch_b = np.vstack([first, rng.normal(size=(4, 3)) + 2.0])
    train_a = layer.forward(batch_a, training=True)[0]
    train_b = layer.forward(batch_b, training=True)[0]
    assert np.max(np.abs(train_a - train_b)) > 0.1
    np.testing.assert_array_equal(layer.forward(batch_a, training=False)[0],
                                  layer.forward(batch_b, training=False)[0])


def test_in_sequential_counts_and_training():
    rng = np.random.default_rng(5)
    model = Sequential([Conv2D(2, 3, activation="relu"), BatchNormalization(), Flatten(),
                        Dense(8), BatchNormalization(), Dense(3, activation="softmax")],
                       input_shape=(1, 6, 6), rng=5)
    text = model.summary()
    bn_conv, bn_dense = model.layers[1], model.layers[4]
    assert (bn_conv.n_params, bn_dense.n_params) == (4 * 2, 4 * 8)
    assert bn_conv.count_params((2, 4, 4)) == (4, 4)
    assert bn_dense.count_params((8,)) == (16, 16)
    assert "batch_normalization_1 (BatchNormalization)" in text
    fixed = 2 * 2 + 2 * 8
    assert f"Non-trainable params: {fixed:,}" in text
    assert all(p.trainable == (p.name.split(".")[-1] in ("gamma", "beta"))
               for layer in (bn_conv, bn_dense) for p in layer.params.values())
    model.compile(loss="categorical_crossentropy", optimizer=SGD(learning_rate=0.1))
    X = rng.normal(size=(12, 1, 6, 6))
    Y = np.eye(3)[rng.integers(0, 3, 12)]
    before = model.get_weights()
    model.train_on_batch(X, Y)
    after = model.get_weights()
    assert not np.array_equal(before[4]["gamma"], after[4]["gamma"])           # trained
    # the running statistics moved by the rule, not by the optimiser's step
    assert np.allclose(after[4]["moving_variance"], 0.99 + 0.01 * model._outputs[3].var(axis=0))
    assert model.predict(X).shape == (12, 3)


def test_float32_stays_float32():
    rng = np.random.default_rng(6)
    layer = BatchNormalization()
    layer.build((3, 2, 2), rng, dtype=np.float32)
    x = rng.normal(size=(2, 3, 2, 2)).astype(np.float32)
    assert layer.forward(x, training=True).dtype == np.float32
    assert layer.backward(np.ones_like(x)).dtype == np.float32


def test_bad_input_and_settings_are_refused():
    rng = np.random.default_rng(7)
    layer = BatchNormalization()
    layer.build((3,), rng)
    with pytest.raises(ValueError, match="batch of shape \\(1, 3\\).*variance is 0"):
        layer.forward(np.ones((1, 3)), training=True)
    assert layer.forward(np.ones((1, 3)), training=False).shape == (1, 3)   # fine in inference
    with pytest.raises(ValueError, match="examples of shape"):
        layer.forward(np.ones((4, 2)), training=True)
    with pytest.raises(ValueError, match="finite"):
        layer.forward(np.array([[np.nan, 0, 0], [1, 2, 3]]), training=True)
    with pytest.raises(ValueError, match="empty"):
        layer.forward(np.ones((0, 3)), training=True)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        BatchNormalization().backward(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="build"):
        BatchNormalization().forward(np.ones((2, 3)))
    for bad in ({"momentum": 1.0}, {"momentum": -0.1}, {"epsilon": 0.0}, {"axis": 2}):
        with pytest.raises(ValueError):
            BatchNormalization(**bad)
    with pytest.raises(ValueError, match="channels-last"):
        BatchNormalization(axis=-1).build((3, 4, 4), rng)
    with pytest.raises(ValueError, match="scalar"):
        BatchNormalization().output_shape(())


def test_whole_model_gradient_in_training_mode():
    """Back-propagation through Dense → BN → Dense(softmax) with batch statistics."""
    from nnbook.analysis.gradcheck import numerical_gradient, relative_error

    rng = np.random.default_rng(8)
    model = Sequential([Dense(5), BatchNormalization(), Dense(3, activation="softmax")],
                       input_shape=(4,), rng=8)
    model.layers[1].params["gamma"].value[...] = rng.normal(size=5)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    X = rng.normal(size=(6, 4))
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    model.compute_gradients(X, Y, training=True)
    for param in model.trainable_params():
        analytic = param.grad.copy()
        numeric = numerical_gradient(lambda _: model.compute_loss(X, Y, training=True),
                                     param.value)
        if param is model.layers[0].params["bias"]:
            # BN subtracts the batch mean, so a bias right before it changes nothing: its
            # gradient is 0 (why such Dense layers are often built without a bias)
            assert np.max(np.abs(analytic)) < 1e-12 and np.max(np.abs(numeric)) < 1e-8
            continue
        assert relative_error(analytic, numeric) < 1e-7, param.name
