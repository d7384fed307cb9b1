"""nnbook.layers.activation: the Activation layer and the Nonlinearity every layer shares."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers import Activation, Dense
from nnbook.layers.activation import Nonlinearity


@pytest.mark.parametrize("activation", ["relu", "softmax", "Tanh", "sigmoid", None])
def test_activation_layer_gradient_check(activation):
    rng = np.random.default_rng(5)
    assert check_layer(Activation(activation), rng.standard_normal((3, 4)) + 0.05, rng) < 1e-7


def test_softmax_activation_rows_are_probabilities():
    out = Activation("softmax").forward(np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]]))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(out[0], e / e.sum(), rtol=1e-14)
    np.testing.assert_allclose(out[1], [1.0, 0.0, 0.0])


def test_softmax_backward_is_the_jacobian_vector_product():
    rng = np.random.default_rng(2)
    z, g = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
    nl = Nonlinearity("softmax")
    a = nl(z)
    jacobian = np.diag(a[0]) - np.outer(a[0], a[0])
    np.testing.assert_allclose(nl.backward(z, a, g)[0], jacobian.T @ g[0], rtol=1e-13)


def test_names_are_normalised_and_unknown_ones_listed():
    assert Activation(" ReLU ").activation == "relu" and Activation(None).activation == "linear"
    with pytest.raises(ValueError, match="relu"):
        Dense(3, activation="rectifier")
    with pytest.raises(TypeError):
        Activation(3)


def test_the_activation_layer_fuses_with_a_loss_through_its_input():
    layer = Activation("softmax")
    z = np.array([[1.0, 2.0]])
    layer.forward(z)
    assert layer.preactivation is not None and np.array_equal(layer.preactivation, z)
    np.testing.assert_array_equal(layer.backward_preactivation(np.array([[0.5, -0.5]])),
                                  [[0.5, -0.5]])


def test_an_activation_added_to_the_table_works_in_a_layer(monkeypatch):
    """Layers call the built-in functions unchecked; a plain pair (f, f′) is called as it is."""
    from nnbook.functional import activations

    monkeypatch.setitem(activations.ACTIVATIONS, "square", (lambda z: z * z, lambda z: 2 * z))
    layer = Activation("square")
    z = np.array([[1.0, -2.0]])
    np.testing.assert_array_equal(layer.forward(z), [[1.0, 4.0]])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 2))), [[2.0, -4.0]])
