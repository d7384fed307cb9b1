"""nnbook.train.minibatch_sgd: Nielsen's per-example backprop and mini-batch step (eqs. (20)–(21))
against independent oracles — a central-difference gradient of C_x = ‖y − a‖²/2 (eq. (6) for one
example) from a forward pass written here, and one step on a 2-2-1 net worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnbook.kernels.minibatch_sgd import sgd_epoch
from nnbook.models.network import Network
from nnbook.train.minibatch_sgd import backprop, update_mini_batch


def _cost_written_out(parameters, sizes, x, y):
    """C_x = ‖y − a^L‖²/2 with a forward pass written independently of nnbook."""
    a = np.asarray(x, dtype=np.float64)
    offset = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = parameters[offset:offset + n_out * n_in].reshape(n_out, n_in)
        offset += n_out * n_in
        b = parameters[offset:offset + n_out]
        offset += n_out
        a = 1.0 / (1.0 + np.exp(-(w @ a + b)))
    return 0.5 * float(np.sum((y - a) ** 2))


def _flatten(grad_w, grad_b):
    return np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(grad_w, grad_b)])


@pytest.mark.parametrize("sizes", [(3, 4, 2), (2, 3, 3, 2)])
def test_backprop_matches_central_differences(sizes):
    rng = np.random.default_rng(42)
    net = Network(sizes, rng)
    x = rng.random(sizes[0])
    y = np.eye(sizes[-1])[1]
    analytic = _flatten(*backprop(net, x, y))
    h = 1e-5
    numeric = np.empty_like(net.parameters)
    for i in range(net.n_parameters):
        plus, minus = net.parameters.copy(), net.parameters.copy()
        plus[i] += h
        minus[i] -= h
        numeric[i] = (_cost_written_out(plus, sizes, x, y)
                      - _cost_written_out(minus, sizes, x, y)) / (2 * h)
    assert np.linalg.norm(numeric) > 1e-3  # a gradient worth comparing
    relative_error = np.linalg.norm(analytic - numeric) / np.linalg.norm(numeric)
    assert relative_error < 1e-7


def _hand_net():
    """2-2-1 net chosen so every activation is an exact fraction.

    x = (1, 0): z¹ = (ln 3, 0) → a¹ = (3/4, 1/2), σ'(z¹) = (3/16, 1/4);
    z² = 2·3/4 − 3·1/2 = 0 → a² = 1/2, σ'(z²) = 1/4.
    """
    ln3 = math.log(3.0)
    net = Network.from_parameters([[[ln3, 0.0], [0.0, 1.0]], [[2.0, -3.0]]],
                                  [[0.0, 0.0], [0.0]])
    return net, np.array([1.0, 0.0]), np.array([1.0])


def test_one_step_on_a_2_2_1_net_by_hand():
    # δ² = (1/2 − 1)·1/4 = −1/8;  ∂C/∂W² = δ² a¹ᵀ = (−3/32, −1/16);  ∂C/∂b² = −1/8.
    # δ¹ = W²ᵀδ² ⊙ σ'(z¹) = (−1/4·3/16, 3/8·1/4) = (−3/64, 3/32);  ∂C/∂W¹ = δ¹ xᵀ.
    # With η = 2, m = 1: parameter − 2·gradient.
    ln3 = math.log(3.0)
    expected_w = [np.array([[ln3 + 3 / 32, 0.0], [-3 / 16, 1.0]]), np.array([[35 / 16, -23 / 8]])]
    expected_b = [np.array([3 / 32, -3 / 16]), np.array([1 / 4])]

    net, x, y = _hand_net()
    update_mini_batch(net, x[None, :], y[None, :], eta=2.0)
    for layer in range(2):
        np.testing.assert_allclose(net.weights[layer], expected_w[layer], rtol=0, atol=1e-15)
        np.testing.assert_allclose(net.biases[layer], expected_b[layer], rtol=0, atol=1e-15)

    # The same step through the kernel; and a mini-batch of the example twice averages to it.
    for copies in (1, 2):
        net, x, y = _hand_net()
        X, Y = np.tile(x, (copies, 1)), np.tile(y, (copies, 1))
        sgd_epoch(net.parameters, np.array([2, 2, 1], dtype=np.int64), X, Y,
                  np.arange(copies, dtype=np.int64), 2.0, copies)
        for layer in range(2):
            np.testing.assert_allclose(net.weights[layer], expected_w[layer], rtol=0, atol=1e-15)
            np.testing.assert_allclose(net.biases[layer], expected_b[layer], rtol=0, atol=1e-15)



def test_update_mini_batch_checks_its_inputs():
    net = Network((3, 2), rng=0)
    with pytest.raises(ValueError, match="finite"):
        update_mini_batch(net, np.array([[1.0, np.nan, 0.0]]), np.ones((1, 2)), eta=1.0)
    with pytest.raises(ValueError, match=r"expected 2 desired outputs.*\(1, 3\)"):
        update_mini_batch(net, np.ones((1, 3)), np.ones((1, 3)), eta=1.0)
    with pytest.raises(ValueError, match="expected 3 inputs"):
        update_mini_batch(net, np.ones((1, 4)), np.ones((1, 2)), eta=1.0)
    with pytest.raises(ValueError, match="at least one example"):
        update_mini_batch(net, np.ones((0, 3)), np.ones((0, 2)), eta=1.0)
    with pytest.raises(ValueError, match="rows"):
        update_mini_batch(net, np.ones((2, 3)), np.ones((1, 2)), eta=1.0)
    with pytest.raises(ValueError, match="eta"):
        update_mini_batch(net, np.ones((1, 3)), np.ones((1, 2)), eta=0.0)
