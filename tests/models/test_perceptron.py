"""nnbook.models.perceptron: perceptrons (Nielsen §1.1; 陈强's M-P neuron (15.1)) and perceptron
networks, against truth tables written out by hand."""

import itertools

import numpy as np
import pytest

from nnbook.functional.activations import sigmoid
from nnbook.models.logic_gates import nand_perceptron, truth_table
from nnbook.models.perceptron import (
    Perceptron,
    PerceptronNetwork,
    festival_perceptron,
    xor_network,
)

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_threshold_and_bias_forms_agree_on_every_binary_input():
    rng = np.random.default_rng(0)
    for _ in range(50):
        w = rng.integers(-3, 4, size=3).astype(float)
        t = float(rng.integers(-3, 4))
        p = Perceptron.from_threshold(w, t)
        for x in itertools.product((0, 1), repeat=3):
            assert p.output(x) == int(np.dot(w, x) > t)  # eq. (1), tie goes to 0


def test_boundary_gives_zero():
    assert Perceptron((1.0, 1.0), -1.0).output((1, 0)) == 0




def test_festival_thresholds():
    rows = list(itertools.product((0, 1), repeat=3))
    assert [festival_perceptron(5).output(x) for x in rows] == [x[0] for x in rows]
    assert [festival_perceptron(3).output(x) for x in rows] == [
        int(x[0] or (x[1] and x[2])) for x in rows]


def test_lower_threshold_accepts_a_superset():
    rows = list(itertools.product((0, 1), repeat=3))
    accepted = [{x for x in rows if festival_perceptron(t).output(x)} for t in (9, 7, 5, 3, 1, -1)]
    assert all(a <= b for a, b in zip(accepted, accepted[1:]))






def test_batch_output_and_truth_table_order():
    p = nand_perceptron()
    assert p.output(np.array([[0, 0], [1, 1]])).tolist() == [1, 0]
    inputs, outputs = truth_table(lambda a, b: a & b, 2)
    assert inputs.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and outputs.tolist() == [0, 0, 0, 1]


def test_network_scaling_keeps_behaviour_and_sigmoid_limit_matches():
    rng = np.random.default_rng(1)
    net = PerceptronNetwork([rng.normal(size=(3, 4)), rng.normal(size=(2, 3))],
                            [rng.normal(size=3), rng.normal(size=2)])
    x = np.array(list(itertools.product((0, 1), repeat=4)))
    assert np.array_equal(net.output(x), net.scaled(7.5).output(x))
    # random real weights never give z = 0 exactly, so large c reproduces the perceptrons (X2)
    assert np.allclose(net.sigmoid_output(x, c=1e4), net.output(x), atol=1e-6)


def test_sigmoid_network_gives_half_on_the_boundary():
    net = PerceptronNetwork([np.array([[1.0, -1.0]])], [np.array([0.0])])
    assert net.sigmoid_output((1, 1), c=1e6)[0] == 0.5 and net.output((1, 1))[0] == 0


def test_clear_errors():
    with pytest.raises(ValueError, match="expected 2 inputs"):
        nand_perceptron().output((1, 0, 1))
    with pytest.raises(TypeError, match="expected an array of numbers"):
        Perceptron(None, 1)
    with pytest.raises(ValueError, match="finite"):
        Perceptron((np.nan, 1.0), 0)
    with pytest.raises(ValueError, match="layer 1"):
        PerceptronNetwork([np.ones((3, 2)), np.ones((1, 4))], [np.ones(3), np.ones(1)])


def test_the_perceptron_is_the_mp_neuron_of_15_1():
    """陈强 (15.1): output I(Σ w_i x_i + b > 0)."""
    rng = np.random.default_rng(0)
    for _ in range(30):
        w = rng.integers(-3, 4, size=3).astype(float)
        b = float(rng.integers(-3, 4))
        neuron = Perceptron(w, b)
        for x in itertools.product((0, 1), repeat=3):
            total = sum(wi * xi for wi, xi in zip(w, x))
            assert neuron.output(x) == (1 if total > -b else 0)  # threshold −b, tie → 0


def test_xor_network_computes_xor():
    net = xor_network()
    X = np.array(BITS, dtype=float)
    expected = [a ^ b for a, b in BITS]
    assert net.output(X).ravel().tolist() == expected
    assert net.output(X).dtype == np.int64
    # hidden units are OR and NAND (陈强's orientation: column i of the kernel feeds unit i)
    hidden = (X @ net.weights[0].T + net.biases[0] > 0).astype(int)
    assert hidden[:, 0].tolist() == [a | b for a, b in BITS]
    assert hidden[:, 1].tolist() == [1 - (a & b) for a, b in BITS]
    # a steep sigmoid network with the same weights rounds to the same answers
    smooth = net.output(X, activation=sigmoid, scale=20.0).ravel()
    assert np.all(np.abs(smooth - np.array(expected)) < 0.01)
    np.testing.assert_allclose(smooth, net.sigmoid_output(X, 20.0).ravel(), rtol=0)


def test_from_kernels_takes_the_transposed_orientation():
    net = PerceptronNetwork.from_kernels([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [[0.0, 0.0, 0.0]])
    assert net.weights[0].shape == (3, 2) and net.n_inputs == 2
    np.testing.assert_array_equal(net.weights[0], [[1, 4], [2, 5], [3, 6]])
