"""The Numba epoch kernel against the per-example reference, and the reference against oracles.

Oracles: (1) the reference SGD step (``nnbook.train.minibatch_sgd.update_mini_batch``) is checked by a
central-difference gradient of the quadratic cost C_x = ‖y − a‖²/2 (Nielsen eq. (6) for one
example) computed by a forward pass written here, and by one step on a 2-2-1 net worked out
by hand in exact fractions (Nielsen eqs. (20)–(21)); (2) the kernel is then checked against
that reference step by step, to 1e-10 in float64.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnbook.models.network import Network
from nnbook.train.minibatch_sgd import backprop, update_mini_batch
from nnbook.models.network import sgd
from nnbook.kernels.minibatch_sgd import sgd_epoch

ATOL = 1e-10


def _data(rng, n, sizes):
    X = rng.random((n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return X, np.eye(sizes[-1])[labels]


def _reference_epoch(network, X, Y, order, eta, batch_size):
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        update_mini_batch(network, X[batch], Y[batch], eta)


def _train_both(sizes, n, epochs, batch_size, eta, seed):
    rng = np.random.default_rng(seed)
    X, Y = _data(rng, n, sizes)
    reference = Network(sizes, rng)
    initial = reference.parameters.copy()
    parameters = reference.parameters.copy()
    layout = np.asarray(sizes, dtype=np.int64)
    for _ in range(epochs):
        order = rng.permutation(n)
        _reference_epoch(reference, X, Y, order, eta, batch_size)
        sgd_epoch(parameters, layout, X, Y, order, eta, batch_size)
    return initial, reference.parameters, parameters


# --- kernel == reference -------------------------------------------------------------------

@pytest.mark.parametrize(
    "sizes, n, batch_size",
    [
        ((64, 20, 10), 600, 10),      # the brief's case: 3 epochs, 180 steps
        ((64, 20, 10), 605, 10),      # last mini-batch has 5 examples
        ((64, 20, 10), 600, 7),       # 600 = 85·7 + 5: uneven last batch, odd batch size
        ((64, 24, 16, 10), 600, 10),  # four layers, three weight matrices
        ((64, 20, 10), 600, 1),       # pure per-example SGD
        ((64, 20, 10), 600, 600),     # one full-batch step per epoch
    ],
)
def test_kernel_matches_reference_after_many_steps(sizes, n, batch_size):
    initial, reference, kernel = _train_both(sizes, n, epochs=3, batch_size=batch_size,
                                             eta=3.0, seed=7)
    assert np.max(np.abs(reference - initial)) > 0.1  # training really moved the parameters
    np.testing.assert_allclose(kernel, reference, rtol=0, atol=ATOL)


def test_kernel_actually_trains():
    """Guard against a kernel and reference that agree because neither changes anything."""
    rng = np.random.default_rng(3)
    sizes = (64, 20, 10)
    X, Y = _data(rng, 600, sizes)
    net = Network(sizes, rng)
    before = net.parameters.copy()
    sgd_epoch(net.parameters, np.asarray(sizes, dtype=np.int64), X, Y,
              rng.permutation(600), 3.0, 10)
    assert np.all(np.isfinite(net.parameters))
    changed = np.abs(net.parameters - before) > 0
    assert changed.mean() > 0.5


def test_sgd_gives_the_same_history_with_either_kernel():
    rng = np.random.default_rng(11)
    sizes = (64, 20, 10)
    X = rng.random((300, 64))
    labels = rng.integers(0, 10, 300)
    nets = {kernel: Network(sizes, 5) for kernel in ("numba", "reference")}
    histories = {kernel: sgd(net, X, labels, epochs=2, batch_size=10, eta=3.0, rng=9,
                             kernel=kernel, progress=False)
                 for kernel, net in nets.items()}
    np.testing.assert_allclose(nets["numba"].parameters, nets["reference"].parameters,
                               rtol=0, atol=ATOL)
    for numba_record, reference_record in zip(histories["numba"], histories["reference"]):
        assert numba_record.keys() == reference_record.keys()
        for key in numba_record:
            assert numba_record[key] == pytest.approx(reference_record[key], abs=1e-10)


# --- the reference step against independent oracles ------------------------------------------

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
