"""nnbook.models.neural_net: the vectorised network of 《深度学习与神经网络》第5章 (§5.2.4's listing)
— gradient check with keep_prob = 1, L2 and cross-entropy by hand, dropout done right against
the printed dropout (output layer dropped, one mask for the whole batch, mask ignored in
backprop), training and its log lines."""

import re

import numpy as np
import pytest

from nnbook.analysis.gradcheck import relative_error
from nnbook.analysis.gradcheck import richardson_gradient
from nnbook.models.neural_net import NeuralNet


def _blobs(m=40, seed=0):
    """Two Gaussian blobs in 3-D, columns = examples; y (1, m) in {0, 1}."""
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(float)[None, :]
    X = rng.standard_normal((3, m)) * 0.7 + np.where(y == 1, 1.0, -1.0)
    return X, y


def _net(ac_funcs=("tanh", "relu", "sigmoid"), layers=(5, 4, 1), seed=1, m=12, **options):
    X, y = _blobs(m)
    return NeuralNet(list(layers), X, y, list(ac_funcs), rng=np.random.default_rng(seed), **options)


def _numeric(net, _lambda, keep_prob, masks):
    def cost(_):
        return net.compute_cost(_lambda, keep_prob, masks)

    return [richardson_gradient(cost, values) for values in net.W + net.B]


@pytest.mark.parametrize("ac_funcs", [("tanh", "relu", "sigmoid"), ("sigmoid", "lrelu", "sigmoid"),
                                      ("relu", "tanh", "sigmoid"), ("tanh", "tanh", "sigmoid")])
def test_gradient_check_below_1e_minus_9_with_keep_prob_one(ac_funcs):
    net = _net(ac_funcs)
    assert net.gradient_check(_lambda=0.2, keep_prob=1.0) < 1e-9
    literal = _net(ac_funcs, book_literal=True)        # without dropout the two modes agree
    for a, b in zip(literal.gradients(0.2)[0], net.gradients(0.2)[0]):
        np.testing.assert_array_equal(a, b)


def test_gradient_check_with_a_softmax_output_and_c_ce():
    X, labels = _blobs(15)
    y = np.vstack([1 - labels, labels, np.zeros_like(labels)])
    y[:, ::5] = [[0], [0], [1]]
    net = NeuralNet([4, 3], X, y, ["tanh", "softmax"], loss_func="c_ce",
                    rng=np.random.default_rng(2))
    assert net.gradient_check(_lambda=0.1) < 1e-9


def test_cost_is_cross_entropy_plus_the_l2_penalty_by_hand():
    net = _net()
    a = net.predict()
    y, m = net.y, net.y.shape[1]
    bce = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m
    penalty = 0.3 / (2 * m) * sum(np.sum(W ** 2) for W in net.W)
    assert np.isclose(net.compute_cost(0.0), bce, rtol=1e-12)
    assert np.isclose(net.compute_cost(0.3), bce + penalty, rtol=1e-12)
    dW0, dW3 = net.gradients(0.0)[0], net.gradients(0.3)[0]
    for W, g0, g3 in zip(net.W, dW0, dW3):
        assert np.allclose(g3 - g0, 0.3 / m * W, rtol=1e-10, atol=1e-15)


def test_fixed_dropout_gradient_agrees_with_the_same_masked_forward():
    net = _net(m=10)
    dW, dB, masks = net.gradients(_lambda=0.1, keep_prob=0.5)
    assert masks[-1] is None                               # no dropout on the output layer
    for layer, mask in enumerate(masks[:-1]):              # every hidden layer, per example
        assert mask.shape == (net.layers[layer], 10)
    assert any(len(np.unique(mask[row])) == 2 for mask in masks[:-1] for row in range(len(mask)))
    numeric = _numeric(net, 0.1, 0.5, masks)
    assert max(relative_error(a, n) for a, n in zip(dW + dB, numeric)) < 1e-9


def test_literal_dropout_gradient_disagrees_with_the_same_masked_forward():
    """The printed dropout: the output layer is dropped and rescaled (so a − y is no longer
    ∂J/∂z) and the hidden masks are ignored on the way back."""
    net = _net(("sigmoid", "tanh", "sigmoid"), m=10, book_literal=True)
    masks = [None, np.array([[1.0], [0.0], [1.0], [0.0]]), np.ones((1, 1))]
    _, a = net._feedForward(0.8, masks)
    assert a[-1].max() < 1.0                               # the cost is defined for this pass
    assert np.all(a[1][[1, 3]] == 0)                       # dropped rows, all examples at once
    dW, dB, _ = net.gradients(_lambda=0.1, keep_prob=0.8, masks=masks)
    numeric = _numeric(net, 0.1, 0.8, masks)
    errors = [relative_error(g, n) for g, n in zip(dW + dB, numeric)]
    assert max(errors) > 0.05
    # The same masks on the fixed network (hidden layers only, masks used): agreement.
    fixed = _net(("sigmoid", "tanh", "sigmoid"), m=10)
    fixed_masks = [np.ones((5, 10)), np.repeat(masks[1], 10, axis=1), None]
    dW, dB, _ = fixed.gradients(0.1, 0.8, fixed_masks)
    assert max(relative_error(g, n) for g, n in
               zip(dW + dB, _numeric(fixed, 0.1, 0.8, fixed_masks))) < 1e-9


def test_literal_dropout_pushes_the_sigmoid_output_above_one():
    literal, fixed = _net(book_literal=True, m=40), _net(m=40)
    highest = [literal._feedForward(0.5)[1][-1].max() for _ in range(20)]
    assert max(highest) > 1.0                              # 2σ(z) with keep_prob = 1/2
    assert all(fixed._feedForward(0.5)[1][-1].max() < 1.0 for _ in range(20))
    assert literal.masks[0] is None and literal.masks[-1].shape == (1, 1)
    literal._feedForward(0.5, [None, np.ones((4, 1)), np.ones((1, 1))])
    assert literal.compute_cost(0.0, 0.5, [None, np.ones((4, 1)), np.ones((1, 1))]) != \
        literal.compute_cost(0.0, 1.0)


def test_training_learns_the_blobs_and_logs_only_on_request(capsys):
    X, y = _blobs(60, seed=3)
    net = NeuralNet([8, 4, 1], X, y, ["relu", "tanh", "sigmoid"], rng=np.random.default_rng(0))
    lines = net.startTraining(300, 0.5, 0.01, keep_prob=0.8, interval=100)
    assert len(lines) == 4 and len(net.cost) == 4
    assert re.fullmatch(r"Epoch\[300\] : Cost = \d+\.\d\d ; Acc = \d+\.\d\d% ; "
                        r"Time Taken = \d+\.\d\ds", lines[-1])
    assert net.acc >= 0.95 and net.cost[-1] < net.cost[0]
    assert capsys.readouterr() == ("", "")
    net.startTraining(10, 0.5, 0.01, keep_prob=1.0, interval=5, verbose=True)
    out, err = capsys.readouterr()
    assert out.count("Epoch[") == 3 and err == ""


def test_accuracy_by_threshold_and_by_arg_max():
    X, labels = _blobs(8)
    net = NeuralNet([2, 1], X, labels, ["tanh", "sigmoid"], rng=np.random.default_rng(0))
    out = net.predict()
    assert net.accuracy() == np.mean((out > 0.5) == labels)
    y = np.vstack([1 - labels, labels])
    cat = NeuralNet([3, 2], X, y, ["tanh", "sigmoid"], loss_func="c_ce",
                    rng=np.random.default_rng(0))
    assert cat.accuracy() == np.mean(np.argmax(cat.predict(), 0) == labels)


def test_initialisers_and_the_generator():
    a, b = _net(seed=5), _net(seed=5)
    assert all(np.array_equal(p, q) for p, q in zip(a.W, b.W))
    zero = _net(init_method="zeros")
    assert all(not W.any() for W in zero.W) and all(not B.any() for B in zero.B)
    assert [W.shape for W in a.W] == [(5, 3), (4, 5), (1, 4)]


def test_bad_input_is_reported():
    X, y = _blobs(6)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="one column per example"):
        NeuralNet([2, 1], X, y.T, ["relu", "sigmoid"], rng=rng)
    with pytest.raises(ValueError, match="output activation"):
        NeuralNet([2, 1], X, y, ["relu", "relu"], rng=rng)
    with pytest.raises(ValueError, match="unknown hidden activation"):
        NeuralNet([2, 1], X, y, ["swish", "sigmoid"], rng=rng)
    with pytest.raises(ValueError, match="one activation name per layer"):
        NeuralNet([2, 1], X, y, ["sigmoid"], rng=rng)
    with pytest.raises(TypeError, match="Generator"):
        NeuralNet([2, 1], X, y, ["relu", "sigmoid"], rng=0)
    with pytest.raises(ValueError, match="loss_func"):
        NeuralNet([2, 1], X, y, ["relu", "sigmoid"], loss_func="mse", rng=rng)
    net = NeuralNet([2, 1], X, y, ["relu", "sigmoid"], rng=rng)
    for keep_prob in (0.0, 1.5):
        with pytest.raises(ValueError, match="keep_prob"):
            net.startTraining(1, 0.1, 0.0, keep_prob=keep_prob)
    with pytest.raises(ValueError, match="masks"):
        net.gradients(keep_prob=0.5, masks=[None])
    with pytest.raises(ValueError, match=r"masks\[0\]: expected a 0/1 array"):
        net.gradients(keep_prob=0.5, masks=[np.full((2, 6), 0.5), None])
    with pytest.raises(ValueError, match="dropped out"):
        net.gradients(keep_prob=0.5, masks=[None, None])
    with pytest.raises(ValueError, match="features"):
        net.predict(np.zeros((2, 4)))
