"""Feedforward networks of sigmoid neurons (Nielsen §1.3–§1.4)."""

import numpy as np
import pytest

from nnbook.functional.activations import sigmoid
from nnbook.models.network import Network, binary_decision, count_parameters


def test_parameter_count_of_the_book_networks():
    assert count_parameters((784, 15, 10)) == 784 * 15 + 15 + 15 * 10 + 10 == 11935
    assert Network((784, 30, 10), rng=0).n_parameters == 784 * 30 + 30 + 300 + 10


def test_views_share_the_flat_parameter_vector():
    net = Network((3, 4, 2), rng=0)
    net.parameters[:] = 0
    assert all(not w.any() for w in net.weights) and all(not b.any() for b in net.biases)
    assert [w.shape for w in net.weights] == [(4, 3), (2, 4)]


def test_feedforward_against_explicit_neuron_sums():
    net = Network((3, 2, 1), rng=np.random.default_rng(5))
    x = np.array([0.638, 0.1, 0.9])
    hidden = [sigmoid(sum(net.weights[0][j, k] * x[k] for k in range(3)) + net.biases[0][j])
              for j in range(2)]
    out = sigmoid(sum(net.weights[1][0, j] * hidden[j] for j in range(2)) + net.biases[1][0])
    assert net.feedforward(x)[0] == pytest.approx(float(out), rel=1e-14)
    assert net.feedforward(np.stack([x, x])).shape == (2, 1)


def test_from_parameters_round_trip_and_copy_is_independent():
    net = Network((2, 3, 2), rng=1)
    clone = Network.from_parameters(net.weights, net.biases)
    assert np.array_equal(clone.parameters, net.parameters)
    copy = net.copy()
    copy.parameters += 1
    assert not np.array_equal(copy.parameters, net.parameters)


def test_seeded_networks_are_reproducible():
    assert np.array_equal(Network((4, 3, 2), rng=7).parameters, Network((4, 3, 2), rng=7).parameters)


def test_predict_is_argmax_and_binary_decision_counts_half_as_yes():
    net = Network.from_parameters([np.eye(3) * 10], [np.zeros(3)])
    assert net.predict(np.eye(3)).tolist() == [0, 1, 2]
    assert binary_decision(np.array([0.49, 0.5, 0.51])).tolist() == [False, True, True]


def test_errors_name_what_was_expected():
    with pytest.raises(ValueError, match="expected 3 inputs"):
        Network((3, 2), rng=0).feedforward(np.zeros(4))
    with pytest.raises(ValueError, match="at least two layers"):
        Network((3,), rng=0)
    with pytest.raises(TypeError):
        Network("abc", rng=0)
