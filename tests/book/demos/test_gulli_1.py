"""nnbook.book.demos.gulli_1: the chapter-3 demos — the one-pixel neuron, the hiker, the book's
networks, the Keras-style hold-out, the dropout gap, optimisers, overfitting, pixel
permutations."""

import numpy as np
import pytest

from nnbook.book.demos import gulli_1 as demos
from nnbook.data import load_digits
from nnbook.data.dataset import Dataset
from nnbook.models.sequential import Sequential


@pytest.fixture(scope="module")
def small_digits():
    """600 training and 200 test digits: enough for the orderings, fast enough for a test."""
    d = load_digits()
    return Dataset("digits", d.X_train[:600], d.y_train[:600], d.X_test[:200], d.y_test[:200],
                   d.image_shape, 10)


def test_the_step_neuron_jumps_and_the_sigmoid_neuron_moves_a_little():
    """§'Problems in training the perceptron': a small Δw moves σ a little, by ≈ σ′(z)·x·Δw,
    while the step either stays or jumps by 1, and its slope is 0."""
    dw = np.linspace(-0.5, 0.5, 1001)
    r = demos.neuron_response(dw)
    assert set(np.unique(r["step"])) == {0.0, 1.0}
    assert np.count_nonzero(np.diff(r["step"])) == 1                      # one jump
    assert np.max(np.abs(np.diff(r["sigmoid"]))) < 1e-3                   # no jump
    h = 1e-6
    tiny = demos.neuron_response(np.array([-h, 0.0, h]))
    numeric = (tiny["sigmoid"][2] - tiny["sigmoid"][0]) / (2 * h)
    assert numeric == pytest.approx(tiny["sigmoid_slope"][1], rel=1e-6)
    assert (tiny["step"][2] - tiny["step"][0]) / (2 * h) == 0 == tiny["step_slope"][1]
    z = (demos.NEURON["w"] + dw) * demos.NEURON["x"] + demos.NEURON["b"]
    assert np.array_equal(r["step"], (z > 0).astype(float))


def test_the_hiker_with_three_leg_lengths():
    paths = demos.hiker_paths()
    assert list(paths) == ["too small", "good", "too large"]
    start = abs(demos.HIKER["w0"] - demos.HIKER["w_min"])
    good = paths["good"]
    assert abs(good[-1] - demos.HIKER["w_min"]) < 1e-3 * start
    assert np.all(np.diff(demos.hiker_cost(good)) < 0)                     # downhill all the way
    slow = paths["too small"]
    assert np.all(np.diff(slow) > 0) and abs(slow[-1] - 2) > 0.4 * start   # right way, slowly
    wild = paths["too large"]
    assert np.all(np.diff(np.abs(wild - 2)) > 0)                 # every step overshoots more
    one = demos.hiker_paths({"unit": 1.0}, w0=0.0, steps=4)["unit"]   # η = 1, C″ = 2: ±2 forever
    assert np.allclose(one, [0, 4, 0, 4, 0])
    assert demos.hiker_slope(5.0) == 6.0 and demos.hiker_cost(2.0) == 1.0


@pytest.mark.parametrize("variant, params, kinds", [
    ("simple", 7_850, ["Dense", "Activation"]),
    ("hidden", 118_282, ["Dense", "Activation"] * 3),
    ("dropout", 118_282, ["Dense", "Activation", "Dropout"] * 2 + ["Dense", "Activation"]),
])
def test_the_books_networks(variant, params, kinds):
    model = Sequential(demos.mlp_layers(variant), input_shape=(784,))
    assert model.n_params == params
    assert [type(layer).__name__ for layer in model.layers] == kinds
    assert model.layers[-1].name.startswith("activation")


def test_hidden_parameter_count_is_the_written_out_formula():
    for n in (1, 32, 128, 512):
        assert demos.hidden_parameter_count(n) == n * n + 796 * n + 10
        model = Sequential(demos.mlp_layers("hidden", n_hidden=n), input_shape=(784,))
        assert model.n_params == demos.hidden_parameter_count(n)
    with pytest.raises(ValueError, match="n_hidden"):
        demos.hidden_parameter_count(0)
    with pytest.raises(ValueError, match="variant"):
        demos.mlp_layers("deep")


def test_dropout_running_accuracy_sits_below_validation(small_digits):
    """The book's 20-epoch dropout run reports 91.54 % training and 94.25 % test accuracy: with
    dropout on, Keras' running training accuracy is below validation, while the training set
    evaluated without dropout is above it."""
    run = demos.dropout_gap(epochs=10, digits=small_digits)
    last = run["history"].last()
    assert last["accuracy"] < last["val_accuracy"] < last["train_accuracy"]
    assert last["accuracy"] < run["test_accuracy"]
    assert len(run["history"]) == 10


def test_rmsprop_and_adam_beat_sgd_at_its_defaults(small_digits):
    results = demos.compare_optimizers(epochs=8, digits=small_digits)
    sgd = results["sgd"]["test_accuracy"]
    assert results["rmsprop"]["test_accuracy"] > sgd + 0.05
    assert results["adam"]["test_accuracy"] > sgd + 0.05


def test_overfitting_run_turns_up_and_l2_holds_it_down(small_digits):
    from nnbook.layers.regularizers import l2

    plain = demos.overfitting_run(n_val=200, epochs=50, digits=small_digits)["history"]
    val = np.array(plain.history["val_loss"])
    best = int(np.argmin(val))
    assert best < 40 and val[-1] > 1.2 * val[best]                        # it turns up …
    assert plain.history["loss"][-1] < 0.01                      # … as the fit gets perfect
    penalised = demos.overfitting_run(l2(1e-3), n_val=200, epochs=50, digits=small_digits)
    assert penalised["history"].history["val_loss"][-1] < val[-1]
    with pytest.raises(ValueError, match="n_train"):
        demos.overfitting_run(n_train=590, n_val=200, digits=small_digits)


def test_a_dense_network_cannot_tell_permuted_pixels(small_digits):
    run = demos.dense_on_permuted_pixels(epochs=3, digits=small_digits)
    assert run["largest_difference"] < 1e-9
    assert run["accuracy"] == run["permuted_accuracy"]
    assert sorted(run["permutation"]) == list(range(64))


def test_a_convolution_can(small_digits):
    run = demos.conv_on_permuted_pixels(epochs=8, seeds=(0,), digits=small_digits)
    plain, permuted = run["per_seed"][0]
    assert plain > permuted


def test_permute_pixels_checks_its_permutation():
    X = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(demos.permute_pixels(X, [2, 0, 1]), [[2, 0, 1], [5, 3, 4]])
    with pytest.raises(ValueError, match="permutation"):
        demos.permute_pixels(X, [0, 0, 1])


@pytest.mark.parametrize("derivation", demos.derivations(), ids=lambda d: d.title)
def test_every_chapter_3_derivation_verifies(derivation):
    assert derivation.verify()
    assert "Gulli & Pal" in derivation.source_ref
