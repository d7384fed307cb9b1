"""Dense, Activation, Dropout, Flatten (陈强 (15.24)–(15.29), fig. 15.14) and initialisers (W9)."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers.initializers import constant, get_initializer, glorot_uniform, normal, uniform
from nnbook.book.demos.chen_15 import symmetry_demo
from nnbook.layers import Activation, Dense, Dropout, Flatten, Layer
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "linear", None]


def built_dense(units, fan_in, seed=0, **kwargs):
    layer = Dense(units, **kwargs)
    layer.build((fan_in,), np.random.default_rng(seed))
    return layer


def test_dense_forward_is_x_w_plus_b_then_f_by_hand():
    layer = built_dense(2, 3, activation="sigmoid")
    layer.params["W"][...] = [[1.0, -1.0], [0.0, 2.0], [0.5, 0.0]]   # W[j, i] = w_ji (15.25)
    layer.params["b"][...] = [0.0, -1.0]
    x = np.array([[2.0, 1.0, -2.0]])
    z = np.array([2 * 1 + 1 * 0 + (-2) * 0.5 + 0.0, 2 * -1 + 1 * 2 + 0 - 1.0])   # [1, -1]
    np.testing.assert_allclose(layer.forward(x), 1 / (1 + np.exp(-z[None, :])), rtol=1e-15)


@pytest.mark.parametrize("activation", ELEMENTWISE + ["softmax"])
def test_dense_gradient_check_for_every_activation(activation):
    rng = np.random.default_rng(1)
    layer = built_dense(4, 5, seed=2, activation=activation)
    x = rng.standard_normal((6, 5))
    assert check_layer(layer, x, rng) < 1e-7


def test_dense_backward_is_the_delta_recursion_by_hand():
    """δ = f′(z) ⊙ g, ∂L/∂W = Xᵀδ (15.26), ∂L/∂X = δWᵀ — written out with loops."""
    rng = np.random.default_rng(3)
    layer = built_dense(3, 2, seed=4, activation="tanh")
    x, g = rng.standard_normal((4, 2)), rng.standard_normal((4, 3))
    layer.forward(x)
    grad_x = layer.backward(g)
    W, b = layer.params["W"], layer.params["b"]
    grad_W, grad_b, expected_x = np.zeros_like(W), np.zeros_like(b), np.zeros_like(x)
    for n in range(4):
        for i in range(3):
            z = sum(x[n, j] * W[j, i] for j in range(2)) + b[i]
            delta = (1 - np.tanh(z) ** 2) * g[n, i]
            grad_b[i] += delta
            for j in range(2):
                grad_W[j, i] += delta * x[n, j]
                expected_x[n, j] += W[j, i] * delta
    np.testing.assert_allclose(layer.grads["W"], grad_W, rtol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], grad_b, rtol=1e-12)
    np.testing.assert_allclose(grad_x, expected_x, rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "softmax", "Tanh"])
def test_activation_layer_gradient_check(activation):
    rng = np.random.default_rng(5)
    assert check_layer(Activation(activation), rng.standard_normal((3, 4)) + 0.05, rng) < 1e-7


def test_softmax_activation_rows_are_probabilities():
    out = Activation("softmax").forward(np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]]))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(out[0], e / e.sum(), rtol=1e-14)
    np.testing.assert_allclose(out[1], [1.0, 0.0, 0.0])


def test_unknown_activation_names_the_valid_ones():
    with pytest.raises(ValueError, match="relu"):
        Dense(3, activation="rectifier")
    with pytest.raises(TypeError):
        Activation(3)


def test_flatten_shapes_and_gradient():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 4, 5))
    layer = Flatten()
    y = layer.forward(x)
    assert y.shape == (2, 60) and np.array_equal(y[1], x[1].ravel())
    assert layer.output_shape((100, 100, 3)) == (30_000,)       # W14: 100×100×3 → 30,000
    assert check_layer(Flatten(), x, rng) < 1e-7


def test_dropout_is_identity_at_inference_and_inverted_in_training():
    x = np.full((200, 50), 3.0)
    layer = Dropout(0.5, rng=np.random.default_rng(7))
    assert np.array_equal(layer.forward(x, training=False), x)
    y = layer.forward(x, training=True)
    kept = y != 0
    assert set(np.unique(y)) == {0.0, 6.0}                      # kept units scaled by 1/(1 − p)
    assert abs(kept.mean() - 0.5) < 0.02                         # 10,000 Bernoulli(0.5) draws
    assert abs(y.mean() - 3.0) < 0.12                            # expectation preserved
    assert np.array_equal(layer.mask, kept.astype(float))


def test_dropout_mask_comes_from_the_explicit_rng():
    x = np.ones((5, 8))
    a = Dropout(0.5, rng=np.random.default_rng(11)).forward(x, training=True)
    b = Dropout(0.5, rng=np.random.default_rng(11)).forward(x, training=True)
    c = Dropout(0.5, rng=np.random.default_rng(12)).forward(x, training=True)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    expected = (np.random.default_rng(11).random((5, 8)) >= 0.5) * 2.0
    assert np.array_equal(a, expected)


def test_dropout_gradient_check_with_a_fixed_mask():
    rng = np.random.default_rng(8)
    layer = Dropout(0.5)
    mask = (rng.random((4, 6)) >= 0.5).astype(float)
    layer.fix_mask(mask)
    x = rng.standard_normal((4, 6))
    assert check_layer(layer, x, rng, training=True) < 1e-7
    np.testing.assert_allclose(layer.backward(np.ones((4, 6))), 2.0 * mask)


def test_dropout_rejects_bad_rates():
    for rate in (-0.1, 1.0, "half", True):
        with pytest.raises(ValueError):
            Dropout(rate)


def test_dense_input_errors_are_clear():
    layer = built_dense(3, 4)
    with pytest.raises(ValueError, match=r"expected examples of shape \(4,\)"):
        layer.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match="finite"):
        layer.forward(np.array([[1.0, np.nan, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="Flatten"):
        Dense(3).build((2, 2), np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="build"):
        Dense(3).forward(np.ones((1, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        built_dense(3, 4).backward(np.ones((1, 3)))
    with pytest.raises(ValueError):
        Dense(0)


def test_package_exports_the_dense_and_convolution_layers():
    import nnbook.layers as layers

    for name in ("Layer", "Dense", "Activation", "Dropout", "Flatten", "Conv2D", "MaxPool2D",
                 "AvgPool2D"):
        assert name in layers.__all__ and issubclass(getattr(layers, name), Layer)


def test_layers_follow_the_protocol_and_count_parameters():
    layer = built_dense(10, 64)
    assert isinstance(layer, Layer) and layer.n_params == 64 * 10 + 10
    assert layer.output_shape((64,)) == (10,)
    assert Dropout(0.5).n_params == 0 and Flatten().n_params == 0


def test_initialisers_follow_the_source():
    """W9: N(0, 1) and U[−0.7, 0.7]; 200,000 draws pin mean and variance to ~0.005."""
    rng = np.random.default_rng(9)
    w = normal((400, 500), rng)
    assert abs(w.mean()) < 0.01 and abs(w.var() - 1.0) < 0.01
    u = uniform((400, 500), rng)
    assert u.min() >= -0.7 and u.max() <= 0.7 and u.max() > 0.69 and u.min() < -0.69
    assert abs(u.var() - 1.4 ** 2 / 12) < 0.005                 # Var U[a, b] = (b − a)²/12
    g = glorot_uniform((30, 70), rng)
    assert np.abs(g).max() <= np.sqrt(6 / 100)
    assert np.array_equal(constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    layer = built_dense(5, 3, kernel_initializer="uniform")
    assert np.all(np.abs(layer.params["W"]) <= 0.7) and np.all(layer.params["b"] == 0)
    with pytest.raises(ValueError, match="glorot_uniform"):
        get_initializer("he")


def test_equal_initial_weights_stay_equal_under_training():
    """A5 step 3: units that start equal get equal gradients, so training never separates them."""
    rng = np.random.default_rng(10)
    X, y = rng.standard_normal((40, 3)), (rng.random(40) > 0.5).astype(float)
    model = Sequential([Dense(4, activation="tanh", kernel_initializer=constant(0.3)),
                        Dense(1, activation="sigmoid", kernel_initializer=constant(0.3))],
                       input_shape=(3,), rng=0)
    model.compile("binary_crossentropy", SGD(learning_rate=0.5))
    model.fit(X, y, epochs=5, batch_size=8, progress=False)
    W = model.layers[0].params["W"]
    assert not np.allclose(W, 0.3)                               # it did train …
    assert np.all(W == W[:, :1])                                 # … but every hidden unit is the same
    demo = symmetry_demo("constant")
    assert demo["column_spread"] == 0.0 and demo["losses"][-1] < demo["losses"][0]
    assert symmetry_demo("uniform")["column_spread"] > 0.1
