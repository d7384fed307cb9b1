"""nnbook.models.network: chapter 1's network of sigmoid neurons (Nielsen §1.3–§1.6), a face of
Sequential over one flat parameter vector, trained by three engines that take the same steps."""

import numpy as np
import pytest

from nnbook.functional.activations import sigmoid
from nnbook.functional.losses import quadratic_cost
from nnbook.layers import Dense
from nnbook.models.network import KERNELS, Network, binary_decision, count_parameters
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD
from nnbook.train.minibatch_sgd import update_mini_batch


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


def test_classify_is_argmax_and_binary_decision_counts_half_as_yes():
    net = Network.from_parameters([np.eye(3) * 10], [np.zeros(3)])
    assert net.classify(np.eye(3)).tolist() == [0, 1, 2]
    np.testing.assert_allclose(net.predict(np.eye(3)), net.feedforward(np.eye(3)), rtol=0)
    assert binary_decision(np.array([0.49, 0.5, 0.51])).tolist() == [False, True, True]


def test_errors_name_what_was_expected():
    with pytest.raises(ValueError, match="expected 3 inputs"):
        Network((3, 2), rng=0).feedforward(np.zeros(4))
    with pytest.raises(ValueError, match="at least two layers"):
        Network((3,), rng=0)
    with pytest.raises(TypeError):
        Network("abc", rng=0)


def test_it_is_a_sequential_of_sigmoid_dense_layers_over_the_flat_vector():
    net = Network((3, 4, 2), rng=0)
    assert isinstance(net, Sequential) and [layer.activation for layer in net.layers] == [
        "sigmoid", "sigmoid"]
    for layer, w, b in zip(net.layers, net.weights, net.biases):
        assert np.shares_memory(layer.params["kernel"].value, net.parameters)
        np.testing.assert_array_equal(layer.params["kernel"].value, w.T)   # Dense's (n_in, n_out)
        assert np.shares_memory(layer.params["bias"].value, b)
    assert net.loss.name == "quadratic"
    X, Y = np.eye(3), np.eye(2)[[0, 1, 0]]
    assert net.evaluate(X, Y)["loss"] == pytest.approx(quadratic_cost(net.feedforward(X), Y),
                                                       rel=1e-15)


@pytest.fixture(scope="module")
def small_problem():
    rng = np.random.default_rng(11)
    return rng.random((40, 6)), rng.integers(0, 3, 40)


def test_reference_kernel_and_layers_take_the_same_steps(small_problem):
    """Nielsen's per-example reference, the Numba kernel and the Dense layers: one network, one
    arithmetic — to 1e-12 after 3 epochs of mini-batches of 4 (10 steps per epoch)."""
    X, labels = small_problem
    nets = {kernel: Network((6, 5, 3), rng=5) for kernel in KERNELS}
    start = nets["numba"].parameters.copy()
    histories = {kernel: net.sgd(X, labels, epochs=3, batch_size=4, eta=3.0, rng=9,
                                 kernel=kernel, test=(X[:10], labels[:10]), progress=False)
                 for kernel, net in nets.items()}
    assert np.max(np.abs(nets["reference"].parameters - start)) > 0.1     # it trained
    for kernel in ("numba", "layers"):
        np.testing.assert_allclose(nets[kernel].parameters, nets["reference"].parameters,
                                   rtol=0, atol=1e-12)
        for key, values in histories["reference"].history.items():
            np.testing.assert_allclose(histories[kernel].history[key], values, rtol=0, atol=1e-12)


def test_one_step_of_a_plain_sequential_is_one_step_of_the_network():
    """A Sequential built from chapter 2's parts (sigmoid Dense, "quadratic", SGD(η)) takes
    Nielsen's step (eqs. (20)–(21)) from the same weights."""
    rng = np.random.default_rng(0)
    nielsen = Network((6, 5, 3), rng=rng)
    model = Sequential([Dense(5, activation="sigmoid"), Dense(3, activation="sigmoid")],
                       input_shape=(6,), rng=1)
    model.compile("quadratic", SGD(learning_rate=3.0))
    model.set_weights([{"kernel": w.T.copy(), "bias": b.copy()}
                       for w, b in zip(nielsen.weights, nielsen.biases)])
    X, Y = rng.random((10, 6)), np.eye(3)[rng.integers(0, 3, size=10)]
    for _ in range(5):
        update_mini_batch(nielsen, X, Y, eta=3.0)
        model.train_on_batch(X, Y)
    for (w, b), layer in zip(zip(nielsen.weights, nielsen.biases), model.layers):
        np.testing.assert_allclose(layer.params["kernel"].value, w.T, rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.params["bias"].value, b, rtol=0, atol=1e-12)


def test_digit_network_reaches_93_percent_with_a_fixed_seed(digits):
    rng = np.random.default_rng(0)
    net = Network((64, 30, 10), rng=rng)
    history = net.sgd(digits.X_train, digits.y_train, epochs=30, batch_size=10, eta=3.0,
                      rng=rng, test=(digits.X_test, digits.y_test), progress=False)
    assert history.epoch == list(range(1, 31))
    assert history.history["test_accuracy"][-1] >= 0.93
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "accuracy", "test_loss", "test_accuracy"}


def test_progress_bar_goes_to_stdout_and_can_be_silenced(digits, capfd):
    X, y = digits.X_train[:100], digits.y_train[:100]
    Network((64, 5, 10), rng=0).sgd(X, y, epochs=2, batch_size=10, eta=1.0, rng=0, progress=True)
    out, err = capfd.readouterr()
    assert "epochs" in out and err == ""
    Network((64, 5, 10), rng=0).sgd(X, y, epochs=2, batch_size=10, eta=1.0, rng=0, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_same_seed_same_result(digits):
    X, y = digits.X_train[:200], digits.y_train[:200]
    runs = []
    for _ in range(2):
        net = Network((64, 8, 10), rng=3)
        net.sgd(X, y, epochs=2, batch_size=7, eta=2.0, rng=4, progress=False)
        runs.append(net.parameters)
    assert np.array_equal(*runs)


@pytest.mark.parametrize("kwargs,message", [
    (dict(kernel="cuda"), "kernel"),
    (dict(batch_size=0), "batch_size"),
    (dict(eta=-1.0), "eta"),
    (dict(epochs=1.5), "epochs"),
])
def test_bad_arguments(digits, kwargs, message):
    args = dict(epochs=1, batch_size=10, eta=1.0, rng=0, progress=False) | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        Network((64, 5, 10), rng=0).sgd(digits.X_train[:20], digits.y_train[:20], **args)


def test_bad_data():
    net = Network((64, 5, 10), rng=0)
    args = dict(epochs=1, batch_size=2, eta=1.0, rng=0)
    with pytest.raises(ValueError, match="expected 64 columns"):
        net.sgd(np.zeros((5, 10)), np.zeros(5, int), **args)
    with pytest.raises(ValueError, match=r"classes 0 … 9"):
        net.sgd(np.zeros((5, 64)), np.full(5, 12), **args)
    with pytest.raises(ValueError, match="finite"):
        net.sgd(np.full((5, 64), np.nan), np.zeros(5, int), **args)
    with pytest.raises(ValueError, match="rows"):
        net.sgd(np.zeros((5, 64)), np.zeros(4, int), **args)
    with pytest.raises(ValueError, match="at least one example"):
        net.sgd(np.zeros((0, 64)), np.zeros(0, int), **args)
    with pytest.raises(ValueError, match="integer array"):
        net.sgd(np.zeros((5, 64)), np.zeros(5), **args)
