"""nnbook.analysis.gradcheck: central differences against closed-form gradients, and check_layer /
check_model on tiny hand-made layers on the Layer protocol (a correct one passes, a buggy one is
caught), alone and inside a Sequential with every loss."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import (
    check_layer,
    check_model,
    layer_gradient_errors,
    model_gradient_errors,
    numerical_gradient,
    relative_error,
)
from nnbook.functional.losses import get_loss
from nnbook.layers import Dense
from nnbook.layers.base import Layer
from nnbook.models.sequential import Sequential


def test_numerical_gradient_of_closed_forms():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3))
    grad = numerical_gradient(lambda v: np.sum(v ** 3), x)
    assert grad.shape == (2, 3)
    assert relative_error(grad, 3 * x ** 2) < 1e-8
    A = rng.normal(size=(4, 4))
    v = rng.normal(size=4)
    assert relative_error(numerical_gradient(lambda u: u @ A @ u, v), (A + A.T) @ v) < 1e-8
    assert numerical_gradient(lambda u: 5 * u[0], [2.0]).tolist() == pytest.approx([5.0])


def test_numerical_gradient_perturbs_in_place_and_restores():
    shared = np.array([1.0, 2.0, 3.0])
    before = shared.copy()
    grad = numerical_gradient(lambda _: float(shared @ shared), shared)
    assert np.array_equal(shared, before)
    assert relative_error(grad, 2 * before) < 1e-8


def test_numerical_gradient_errors():
    with pytest.raises(TypeError, match="one real number"):
        numerical_gradient(lambda v: v, np.ones(2))
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: 0.0, np.ones(2), eps=0.0)
    with pytest.raises(ValueError, match="finite"):
        numerical_gradient(lambda v: float("inf") if v[0] > 0 else 0.0, np.array([0.0]))


def test_relative_error_by_hand():
    assert relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2))
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([3.0, 4.0], [3.0, 4.5]) == pytest.approx(0.5 / np.hypot(3, 4.5))
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))


# --- tiny layers written here, on the Layer protocol -----------------------------------------

class Affine(Layer):
    """y = x W + b; backward written from the closed forms ∂/∂W = xᵀg, ∂/∂b = Σ g, ∂/∂x = g Wᵀ."""

    def __init__(self, units, bug=None):
        super().__init__()
        self.units, self.bug = units, bug

    def param_shapes(self, input_shape):
        return {"W": (input_shape[0], self.units), "b": (self.units,)}

    def initial_values(self, input_shape, rng):
        return {key: rng.normal(size=shape) for key, shape in self.param_shapes(input_shape).items()}

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x, training=False):
        self.x = x
        return x @ self.params["W"].value + self.params["b"].value

    def backward(self, g):
        W = self.params["W"].value
        self.params["W"].grad += self.x.T @ g
        if self.bug == "bias":
            self.params["b"].grad += g.mean(axis=0)  # forgets that every example adds to ∂/∂b
        elif self.bug != "no bias gradient":
            self.params["b"].grad += g.sum(axis=0)
        if self.bug == "input":
            return g @ W.T * 1.01
        return g @ W.T


class Tanh(Layer):
    def forward(self, x, training=False):
        self.y = np.tanh(x)
        return self.y

    def backward(self, g):
        return g * (1 - self.y ** 2)


def test_check_layer_passes_a_correct_layer_and_builds_it():
    rng = np.random.default_rng(1)
    layer = Affine(4)
    assert not layer.built
    x = rng.normal(size=(5, 3))
    errors = layer_gradient_errors(layer, x, rng)
    assert layer.built and set(errors) == {"input", "W", "b"}
    assert max(errors.values()) < 1e-7
    assert check_layer(Tanh(), rng.normal(size=(4, 6)), rng) < 1e-7


@pytest.mark.parametrize("bug, where", [("bias", "b"), ("input", "input"),
                                        ("no bias gradient", "b")])
def test_check_layer_catches_a_wrong_backward(bug, where):
    rng = np.random.default_rng(2)
    errors = layer_gradient_errors(Affine(3, bug=bug), rng.normal(size=(6, 2)), rng)
    assert errors[where] > 1e-3
    assert check_layer(Affine(3, bug=bug), rng.normal(size=(6, 2)), rng) > 1e-3


def test_check_layer_needs_a_generator_and_a_batch():
    with pytest.raises(TypeError, match="Generator"):
        check_layer(Affine(2), np.ones((3, 2)), rng=0)
    with pytest.raises(ValueError, match="batch axis"):
        check_layer(Affine(2), np.ones((0, 2)), np.random.default_rng(0))


@pytest.mark.parametrize("loss, last, targets", [
    ("mse", None, "real"),
    (get_loss("binary_crossentropy", from_logits=True), None, "binary"),
    ("binary_crossentropy", "sigmoid", "binary"),
    (get_loss("categorical_crossentropy", from_logits=True), None, "onehot"),
    ("categorical_crossentropy", "softmax", "onehot"),
    ("quadratic", "sigmoid", "real"),
], ids=["mse", "bce-logits", "bce-sigmoid", "cce-logits", "cce-softmax", "quadratic"])
def test_check_model_with_every_loss(loss, last, targets):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, 3))
    Y = {"real": rng.random(size=(6, 2)),
         "binary": rng.integers(0, 2, size=(6, 2)).astype(float),
         "onehot": np.eye(2)[rng.integers(0, 2, size=6)]}[targets]
    model = Sequential([Affine(4), Tanh(), Dense(2, activation=last)], input_shape=(3,), rng=1)
    model.compile(loss, "sgd")
    errors = model_gradient_errors(model, X, Y)
    assert set(errors) == {"0:affine.W", "0:affine.b", "2:dense.kernel", "2:dense.bias"}
    assert check_model(model, X, Y) < 1e-7


def test_check_model_catches_a_wrong_layer_and_needs_a_model():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    model = Sequential([Affine(4, bug="bias"), Tanh(), Affine(2)], input_shape=(3,), rng=2)
    model.compile("mse", "sgd")
    errors = model_gradient_errors(model, X, Y)
    assert errors["0:affine.b"] > 1e-3 and errors["2:affine_1.b"] < 1e-7
    assert check_model(model, X, Y) > 1e-3
    with pytest.raises(TypeError, match="compute_gradients"):
        check_model(object(), X, Y)
    with pytest.raises(RuntimeError, match="compile"):
        check_model(Sequential([Affine(2)], input_shape=(3,)), X, Y)


def test_richardson_gradient_is_fourth_order():
    """On f = Σ sin(3x) the central difference errs by ~ε²·9/6·|cos|·9 while Richardson's
    extrapolation is ~1e4 times closer at ε = 1e-3; both agree with the exact 3 cos(3x)."""
    from nnbook.analysis.gradcheck import richardson_gradient

    x = np.array([0.3, -1.2, 2.0])
    exact = 3 * np.cos(3 * x)
    central = numerical_gradient(lambda v: np.sum(np.sin(3 * v)), x.copy(), 1e-3)
    fourth = richardson_gradient(lambda v: np.sum(np.sin(3 * v)), x.copy(), 1e-3)
    assert np.max(np.abs(central - exact)) > 1e-7
    assert np.max(np.abs(fourth - exact)) < 1e-11
    with pytest.raises(ValueError):
        richardson_gradient(lambda v: np.sum(v), x, 0.0)
