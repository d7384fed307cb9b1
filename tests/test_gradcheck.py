"""nnbook.analysis.gradcheck: central differences against closed-form gradients, and check_layer /
check_model on tiny hand-made layers that follow nnbook.layers.base.Layer (a correct one passes,
a buggy one is caught)."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import (check_layer, check_model, layer_gradient_errors, model_gradient_errors, numerical_gradient, relative_error)
from nnbook.layers.base import Layer
from nnbook.functional.losses import get_loss


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

    def build(self, input_shape, rng):
        super().build(input_shape, rng)
        self.params = {"W": rng.normal(size=(input_shape[0], self.units)),
                       "b": rng.normal(size=self.units)}

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x, training=False):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, g):
        W = self.params["W"]
        self.grads = {"W": self.x.T @ g, "b": g.sum(axis=0)}
        if self.bug == "bias":
            self.grads["b"] = g.mean(axis=0)  # forgets that every example adds to ∂/∂b
        if self.bug == "input":
            return g @ W.T * 1.01
        return g @ W.T


class Tanh(Layer):
    def forward(self, x, training=False):
        self.y = np.tanh(x)
        return self.y

    def backward(self, g):
        return g * (1 - self.y ** 2)


class Sigmoid(Layer):
    def forward(self, x, training=False):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, g):
        return g * self.y * (1 - self.y)


class Softmax(Layer):
    def forward(self, x, training=False):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.p = e / e.sum(axis=1, keepdims=True)
        return self.p

    def backward(self, g):  # Jᵀg with J = diag(p) − p pᵀ, row by row
        return self.p * (g - np.sum(g * self.p, axis=1, keepdims=True))


class TinyModel:
    def __init__(self, layers, loss, rng, n_inputs):
        self.layers, self.loss = layers, loss
        shape = (n_inputs,)
        for layer in layers:
            layer.build(shape, rng)
            shape = layer.output_shape(shape)

    def forward(self, x, training=False):
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, g):
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g


def test_check_layer_passes_a_correct_layer_and_builds_it():
    rng = np.random.default_rng(1)
    layer = Affine(4)
    assert not layer.built
    x = rng.normal(size=(5, 3))
    errors = layer_gradient_errors(layer, x, rng)
    assert layer.built and set(errors) == {"input", "W", "b"}
    assert max(errors.values()) < 1e-7
    assert check_layer(Tanh(), rng.normal(size=(4, 6)), rng) < 1e-7


@pytest.mark.parametrize("bug, where", [("bias", "b"), ("input", "input")])
def test_check_layer_catches_a_wrong_backward(bug, where):
    rng = np.random.default_rng(2)
    errors = layer_gradient_errors(Affine(3, bug=bug), rng.normal(size=(6, 2)), rng)
    assert errors[where] > 1e-3
    assert check_layer(Affine(3, bug=bug), rng.normal(size=(6, 2)), rng) > 1e-3


def test_check_layer_reports_missing_gradients():
    class NoGrads(Affine):
        def backward(self, g):
            return g @ self.params["W"].T

    rng = np.random.default_rng(3)
    with pytest.raises(ValueError, match="did not store a gradient for parameter 'W'"):
        check_layer(NoGrads(2), rng.normal(size=(3, 2)), rng)
    with pytest.raises(TypeError, match="Generator"):
        check_layer(Affine(2), np.ones((3, 2)), rng=0)


@pytest.mark.parametrize("loss, head, targets", [
    ("mse", [], "real"),
    (get_loss("binary_crossentropy", from_logits=True), [], "binary"),
    ("binary_crossentropy", [Sigmoid()], "binary"),
    (get_loss("categorical_crossentropy", from_logits=True), [], "onehot"),
    ("categorical_crossentropy", [Softmax()], "onehot"),
], ids=["mse", "bce-logits", "bce-sigmoid", "cce-logits", "cce-softmax"])
def test_check_model_with_every_loss(loss, head, targets):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, 3))
    Y = {"real": rng.normal(size=(6, 2)),
         "binary": rng.integers(0, 2, size=(6, 2)).astype(float),
         "onehot": np.eye(2)[rng.integers(0, 2, size=6)]}[targets]
    model = TinyModel([Affine(4), Tanh(), Affine(2), *head], loss, rng, 3)
    errors = model_gradient_errors(model, X, Y)
    assert {"0:affine.W", "0:affine.b", "2:affine.W", "2:affine.b", "input"} <= set(errors)
    assert check_model(model, X, Y) < 1e-7


def test_check_model_catches_a_wrong_layer_and_needs_a_loss():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    model = TinyModel([Affine(4, bug="bias"), Tanh(), Affine(2)], "mse", rng, 3)
    errors = model_gradient_errors(model, X, Y)
    assert errors["0:affine.b"] > 1e-3 and errors["2:affine.b"] < 1e-7
    assert check_model(model, X, Y) > 1e-3
    model.loss = None
    with pytest.raises(ValueError, match="compile it first or pass loss="):
        check_model(model, X, Y)
    assert check_model(TinyModel([Affine(2)], None, rng, 3), X, Y, loss="mse") < 1e-7
