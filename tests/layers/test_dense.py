"""nnbook.layers.dense: 陈强 (15.24)–(15.29) by hand, gradient checks, accumulation, clear errors."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers import Dense
from nnbook.layers.regularizers import l2

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "linear", None]


def built_dense(units, fan_in, seed=0, **kwargs):
    layer = Dense(units, **kwargs)
    layer.build((fan_in,), np.random.default_rng(seed))
    return layer


def test_dense_forward_is_x_w_plus_b_then_f_by_hand():
    layer = built_dense(2, 3, activation="sigmoid")
    layer.params["kernel"].value[...] = [[1.0, -1.0], [0.0, 2.0], [0.5, 0.0]]   # W[j, i] = w_ji
    layer.params["bias"].value[...] = [0.0, -1.0]
    x = np.array([[2.0, 1.0, -2.0]])
    z = np.array([2 * 1 + 1 * 0 + (-2) * 0.5 + 0.0, 2 * -1 + 1 * 2 + 0 - 1.0])   # [1, -1]
    np.testing.assert_allclose(layer.forward(x), 1 / (1 + np.exp(-z[None, :])), rtol=1e-15)
    np.testing.assert_allclose(layer.preactivation, z[None, :], rtol=1e-15)


@pytest.mark.parametrize("activation", ELEMENTWISE + ["softmax"])
def test_dense_gradient_check_for_every_activation(activation):
    rng = np.random.default_rng(1)
    layer = built_dense(4, 5, seed=2, activation=activation)
    x = rng.standard_normal((6, 5))
    assert check_layer(layer, x, rng) < 1e-7


def test_dense_backward_is_the_delta_recursion_by_hand():
    """δ = f′(z) ⊙ g, ∂L/∂W = Xᵀδ (陈强 (15.26)), ∂L/∂X = δWᵀ — written out with loops."""
    rng = np.random.default_rng(3)
    layer = built_dense(3, 2, seed=4, activation="tanh")
    x, g = rng.standard_normal((4, 2)), rng.standard_normal((4, 3))
    layer.forward(x)
    grad_x = layer.backward(g)
    W, b = layer.params["kernel"].value, layer.params["bias"].value
    grad_W, grad_b, expected_x = np.zeros_like(W), np.zeros_like(b), np.zeros_like(x)
    for n in range(4):
        for i in range(3):
            z = sum(x[n, j] * W[j, i] for j in range(2)) + b[i]
            delta = (1 - np.tanh(z) ** 2) * g[n, i]
            grad_b[i] += delta
            for j in range(2):
                grad_W[j, i] += delta * x[n, j]
                expected_x[n, j] += W[j, i] * delta
    np.testing.assert_allclose(layer.params["kernel"].grad, grad_W, rtol=1e-12)
    np.testing.assert_allclose(layer.params["bias"].grad, grad_b, rtol=1e-12)
    np.testing.assert_allclose(grad_x, expected_x, rtol=1e-12)


def test_two_backward_passes_add_up():
    """Gradients accumulate (a parameter used twice gets both contributions)."""
    rng = np.random.default_rng(5)
    layer = built_dense(3, 4, activation="relu")
    x, g = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    layer.forward(x)
    layer.backward(g)
    once = layer.params["kernel"].grad.copy()
    layer.forward(x)
    layer.backward(g)
    np.testing.assert_allclose(layer.params["kernel"].grad, 2 * once, rtol=1e-15)


def test_backward_from_the_preactivation_skips_f_prime():
    rng = np.random.default_rng(6)
    layer = built_dense(3, 2, activation="sigmoid")
    x, delta = rng.standard_normal((4, 2)), rng.standard_normal((4, 3))
    layer.forward(x)
    grad_x = layer.backward_preactivation(delta)
    np.testing.assert_allclose(layer.params["kernel"].grad, x.T @ delta, rtol=1e-14)
    np.testing.assert_allclose(grad_x, delta @ layer.params["kernel"].value.T, rtol=1e-14)


def test_the_kernel_regularizer_is_a_penalty_of_the_model_not_of_backward():
    layer = built_dense(2, 3, kernel_regularizer=l2(0.1))
    [(param, penalty)] = layer.penalties()
    assert param is layer.params["kernel"]
    assert penalty(param.value) == pytest.approx(0.1 * np.sum(param.value ** 2))
    assert built_dense(2, 3).penalties() == []
    with pytest.raises(TypeError, match="l2"):
        Dense(2, kernel_regularizer=0.01)


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
    with pytest.raises(ValueError, match=r"expected shape \(2, 3\)"):
        layer.forward(np.ones((2, 4)))
        layer.backward(np.ones((2, 4)))
    with pytest.raises(ValueError):
        Dense(0)


def test_bias_and_activity_penalties_join_the_objective_and_its_gradient(mlp):
    """Keras' three places for a penalty (Gulli & Pal ch. 1): kernel, bias, activity."""
    from nnbook.analysis.gradcheck import check_model
    from nnbook.layers.regularizers import l1, l1_l2

    rng = np.random.default_rng(8)
    model = mlp((3, 4, 2), ("tanh", "softmax"), seed=2, kernel_regularizer=l2(0.05),
                bias_regularizer=l1_l2(0.02, 0.03), activity_regularizer=l1(0.01))
    model.compile("categorical_crossentropy", "sgd")
    X, Y = rng.normal(size=(5, 3)), np.eye(2)[rng.integers(0, 2, 5)]
    assert check_model(model, X, Y) < 1e-7
    output = model.forward(X)
    hidden = model._outputs[0]
    expected = sum(l2(0.05)(layer.params["kernel"].value)
                   + l1_l2(0.02, 0.03)(layer.params["bias"].value) for layer in model.layers)
    expected += l1(0.01)(hidden) / 5 + l1(0.01)(output) / 5        # ÷ batch size, as Keras
    assert model.regularization_loss() == pytest.approx(expected, rel=1e-12)
    assert model._fused_loss() is None                 # the output's penalty needs its gradient


def test_the_lowest_layer_can_skip_the_input_gradient():
    """A model's lowest Dense layer needs only ∂L/∂W and ∂L/∂b (its input is the data):
    ``input_grad=False`` returns None and adds exactly the same parameter gradients."""
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(4, 5)), rng.normal(size=(4, 3))
    full, lean = built_dense(3, 5, activation="tanh"), built_dense(3, 5, activation="tanh")
    assert Dense.skips_input_grad
    for layer, flag in ((full, True), (lean, False)):
        np.testing.assert_array_equal(layer.forward_unchecked(x), full.forward(x))
        returned = layer.backward(g, input_grad=flag)
        assert (returned is None) == (not flag)
    for key in ("kernel", "bias"):
        np.testing.assert_array_equal(lean.params[key].grad, full.params[key].grad)
    full.zero_grads()
    lean.zero_grads()
    assert lean.backward_preactivation(g, input_grad=False) is None
    full.backward_preactivation(g)
    np.testing.assert_array_equal(lean.params["kernel"].grad, full.params["kernel"].grad)


def test_backward_lets_non_finite_gradients_through_but_checks_their_shape():
    """A diverging run produces NaN gradients; the fit loop reports that, not the layer."""
    layer = built_dense(2, 3)
    layer.forward(np.ones((1, 3)))
    assert np.isnan(layer.backward(np.array([[np.nan, 0.0]]))).any()
    with pytest.raises(ValueError, match=r"expected shape \(1, 2\)"):
        layer.backward(np.ones((2, 2)))
