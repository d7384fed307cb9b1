"""nnbook.models.three_layer_bp: the three-layer network of 《深度学习与神经网络》第5章 (Fig. 5-7,
(5-2)–(5-21)) — forward pass by hand, deltas against sympy's derivatives, the update against
central differences, the book's swapped bias rules caught, training to a tolerance."""

import math

import numpy as np
import pytest
import sympy as sp

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.models.three_layer_bp import PARAMETERS, ThreeLayerBPNet
from nnbook.symbolic.activations import sigmoid_expr
from nnbook.symbolic.bp_three_layer import bp_network


def _net(sizes=(2, 2, 2), seed=3, **options):
    return ThreeLayerBPNet(*sizes, np.random.default_rng(seed), init_scale=1.0, **options)


def _numeric_gradients(net, x, d):
    def error(_):
        net.forward(x)
        return net.loss(d)

    return {name: numerical_gradient(error, value) for name, value in net.params().items()}


def test_forward_by_hand_on_a_1_1_1_network():
    net = _net((1, 1, 1))
    net.W0[...], net.b0[...], net.theta0[...] = 2.0, 0.5, 0.25
    net.W1[...], net.b1[...], net.theta1[...] = -1.5, 0.0, 0.5
    fp = net.forward([0.4])
    net0 = 2.0 * 0.4 + 0.5                      # (5-2)
    h = 1.0 / (1.0 + math.exp(-(net0 - 0.25)))
    net1 = -1.5 * h + 0.0                       # (5-3)
    o = 1.0 / (1.0 + math.exp(-(net1 - 0.5)))
    assert np.allclose([fp.net0[0], fp.h[0], fp.net1[0], fp.o[0]], [net0, h, net1, o],
                       rtol=1e-15, atol=0)
    assert math.isclose(net.loss([0.9]), 0.5 * (0.9 - o) ** 2, rel_tol=1e-15)  # (5-4)


def test_deltas_and_gradients_equal_sympys_derivatives_of_E():
    """Oracle: sympy differentiates the composed E of the 2-2-2 sigmoid network directly."""
    net, x, d = _net(), np.array([0.3, -0.8]), np.array([0.2, 0.9])
    sym = bp_network(sigmoid_expr)
    values = {**dict(zip(sym.x, x)), **dict(zip(sym.d, d))}
    for name in PARAMETERS:
        values.update(zip(list(getattr(sym, name)), getattr(net, name).ravel()))
    expected = {name: np.array([float(sp.diff(sym.E, p).xreplace(values))
                                for p in getattr(sym, name)]).reshape(getattr(net, name).shape)
                for name in PARAMETERS}
    got = net.gradients(x, d)
    for name in PARAMETERS:
        assert np.allclose(got[name], expected[name], rtol=1e-12, atol=1e-15), name
    delta_o, delta_y = net.deltas(d)
    assert np.allclose(delta_o, -expected["b1"], rtol=1e-12)   # δᵒ = −∂E/∂net¹ (5-16)
    assert np.allclose(delta_y, -expected["b0"], rtol=1e-12)   # δʸ = −∂E/∂net⁰ (5-17)


def test_the_printed_indices_of_5_17_give_a_different_hidden_delta():
    net, x, d = _net(seed=5), np.array([0.6, 0.1]), np.array([1.0, 0.0])
    fp = net.forward(x)
    delta_o, delta_y = net.deltas(d)
    printed = (net.W1 @ delta_o) * fp.h * (1 - fp.h)  # Σ_k δᵒ_k w_jk read as W1[j, k]
    assert not np.allclose(printed, delta_y)
    assert np.allclose(delta_y, -_numeric_gradients(net, x, d)["b0"], rtol=1e-7)


@pytest.mark.parametrize("sizes", [(2, 2, 2), (3, 4, 2)])
def test_correct_step_is_minus_eta_times_the_finite_difference_gradient(sizes):
    net = _net(sizes, seed=11)
    rng = np.random.default_rng(0)
    x, d, eta = rng.standard_normal(sizes[0]), rng.uniform(0, 1, sizes[2]), 0.3
    numeric = _numeric_gradients(net, x, d)
    change = net.updates(x, d, eta)
    for name in PARAMETERS:
        assert relative_error(change[name], -eta * numeric[name]) < 1e-8, name
    assert np.allclose(numeric["theta0"], -numeric["b0"]) and \
        np.allclose(numeric["theta1"], -numeric["b1"])           # θ–b antisymmetry


def test_book_literal_bias_rules_are_not_the_gradient():
    """(5-19)/(5-21) as printed: hidden bias moved by ηδᵒ, output bias by ηδʸ (swapped)."""
    correct, literal = _net(seed=7), _net(seed=7, book_literal=True)
    x, d, eta = np.array([0.5, -0.2]), np.array([0.1, 0.8]), 0.5
    numeric = _numeric_gradients(correct, x, d)
    right, printed = correct.updates(x, d, eta), literal.updates(x, d, eta)
    delta_o, delta_y = literal.deltas(d)
    for name in ("W0", "W1"):                                   # (5-12) is right as printed
        assert np.allclose(printed[name], right[name], rtol=1e-15)
    assert np.allclose(printed["b0"], eta * delta_o) and np.allclose(printed["b1"], eta * delta_y)
    for name in ("b0", "b1"):
        assert relative_error(right[name], -eta * numeric[name]) < 1e-8
        assert relative_error(printed[name], -eta * numeric[name]) > 0.1, name
    assert not printed["theta0"].any() and not printed["theta1"].any()


def test_book_literal_needs_as_many_hidden_units_as_outputs():
    with pytest.raises(ValueError, match="m = l"):
        _net((2, 3, 1), book_literal=True)


def test_step_uses_the_pre_update_weights_and_returns_the_error():
    net = _net(seed=2)
    x, d = np.array([1.0, -1.0]), np.array([0.0, 1.0])
    before = {name: value.copy() for name, value in net.params().items()}
    change = net.updates(x, d, 0.7)
    net.forward(x)
    error = net.loss(d)
    assert net.step(x, d, 0.7) == error
    for name in PARAMETERS:
        assert np.allclose(getattr(net, name), before[name] + change[name], rtol=1e-15)


def test_training_on_xor_stops_at_the_tolerance():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    D = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = ThreeLayerBPNet(2, 3, 1, np.random.default_rng(1), init_scale=1.0)
    result = net.train(X, D, eta=1.0, tol=0.02, max_epochs=5000)
    assert result.converged and result.errors[-1] <= 0.02 < result.errors[0]
    assert np.array_equal(net.predict(X).ravel() > 0.5, D.ravel() > 0.5)
    capped = ThreeLayerBPNet(2, 3, 1, np.random.default_rng(1), init_scale=1.0)
    short = capped.train(X, D, eta=1.0, tol=0.02, max_epochs=5)
    assert not short.converged and short.epochs == 5


def test_initial_weights_come_from_the_generator():
    a, b = _net(seed=4), _net(seed=4)
    assert all(np.array_equal(a.params()[k], b.params()[k]) for k in PARAMETERS)
    assert not np.array_equal(a.W0, _net(seed=5).W0)


def test_bad_input_is_reported():
    net = _net()
    with pytest.raises(RuntimeError, match="forward"):
        net.deltas([0.0, 1.0])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        net.forward([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        net.forward([np.nan, 0.0])
    net.forward([0.0, 1.0])
    with pytest.raises(ValueError, match="d: expected"):
        net.loss([1.0])
    with pytest.raises(ValueError, match="eta"):
        net.step([0.0, 1.0], [0.0, 1.0], -0.1)
    with pytest.raises(ValueError, match="per example"):
        net.forward(np.zeros((3, 2)))
        net.deltas(np.zeros((3, 2)))
    with pytest.raises(TypeError, match="Generator"):
        ThreeLayerBPNet(2, 2, 2, rng=0)
    with pytest.raises(ValueError, match="same number"):
        net.train(np.zeros((3, 2)), np.zeros((2, 2)), eta=0.1, tol=0.0)
