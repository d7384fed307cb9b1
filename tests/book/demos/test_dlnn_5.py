"""nnbook.book.demos.dlnn_5: chapter 5's constants and demos — the RNN example in both forms, the
convolution and pooling of Figs 5-15/5-16, the fully connected layer on a batch of 16, global
average pooling, the architecture facts, the descent arithmetic and the gradient curves.
Oracles are computed here independently (plain loops, finite differences, ρᵗ)."""

import numpy as np
import pytest

from nnbook.book.demos import dlnn_5 as demos

# --- the RNN example (§5.4.3, Fig. 5-28) ---------------------------------------------------

def test_the_rnn_weights_stack_into_the_proses_w_rnn():
    w = demos.rnn_weights()
    assert np.array_equal(w["w_rnn"], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    assert w["kernel"].shape == (1, 2) and w["recurrent_kernel"].shape == (2, 2)
    assert np.array_equal(w["bias"], [0.1, -0.1]) and w["b_output"].tolist() == [0.1]


def test_the_rnn_example_by_hand():
    """tanh([0, 0, 1]·W_rnn + b) = tanh([0.6, 0.5]); then the second step from it."""
    steps = demos.rnn_example()
    w_rnn = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    b = np.array([0.1, -0.1])
    h0 = np.tanh(np.array([0.0, 0.0, 1.0]) @ w_rnn + b)
    h1 = np.tanh(np.concatenate([h0, [2.0]]) @ w_rnn + b)
    assert np.allclose(steps[0]["before_activation"], [0.6, 0.5], rtol=0, atol=1e-15)
    assert np.allclose(steps[0]["state"], h0, rtol=0, atol=1e-15)
    assert np.allclose(steps[1]["state"], h1, rtol=0, atol=1e-15)
    assert np.allclose([s["output"][0] for s in steps], [h0 @ [1, 2] + 0.1, h1 @ [1, 2] + 0.1])
    assert [s["state"].shape for s in steps] == [(2,), (2,)]
    assert [s["output"].shape for s in steps] == [(1,), (1,)]


def test_both_forms_and_the_unrolled_pass_agree():
    split, concatenated = demos.rnn_example("split"), demos.rnn_example("concatenated")
    for a, b in zip(split, concatenated):
        for key in a:
            assert np.allclose(a[key], b[key], rtol=0, atol=1e-15), key
    states = np.array([s["state"] for s in split])
    assert np.allclose(demos.rnn_example_unrolled(), states, rtol=0, atol=1e-15)
    assert np.allclose(demos.rnn_example_cells(), states, rtol=0, atol=1e-15)
    assert demos.rnn_printout("split") == demos.rnn_printout("concatenated")
    with pytest.raises(ValueError, match="form"):
        demos.rnn_example("stacked")


# --- convolution and pooling (Figs 5-14–5-16) ----------------------------------------------

def _correlate(image, kernel, stride):
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    k = kernel.shape[0]
    n = (image.shape[0] - k) // stride + 1
    return np.array([[np.sum(image[i * stride:i * stride + k, j * stride:j * stride + k] * kernel)
                      for j in range(n)] for i in range(n)])


@pytest.mark.parametrize("stride", [1, 2])
def test_feature_map_is_relu_of_the_sliding_sum(stride):
    expected = np.maximum(_correlate(demos.CONV_IMAGE, demos.CONV_FILTER, stride), 0)
    assert np.array_equal(demos.feature_map(stride), expected)


def test_the_derived_image_reproduces_the_ten_printed_terms():
    terms = demos.a00_terms()
    assert terms == [1, 0, 1, 0, 1, 0, 0, 0, 1, 0]
    assert sum(terms) == 4 == demos.feature_map()[0, 0]


def test_relu_clips_a_negative_sum():
    assert demos.feature_map(1, kernel=-np.ones((3, 3)))[0, 0] == 0


def test_a_deep_filter_sums_its_channels(rng):
    result = demos.multichannel_feature_map(rng)
    assert result["map"].shape == (3, 3)
    assert np.allclose(result["map"], result["sum_of_channels"], rtol=0, atol=1e-12)
    by_hand = sum(_correlate(result["image"][c], result["kernel"][c], 1) for c in range(3))
    assert np.allclose(result["map"], by_hand, rtol=0, atol=1e-12)


def test_pooling_keeps_the_depth():
    pooled = demos.pooling_keeps_depth(depth=4)
    x = pooled["input"]
    windows = x.reshape(1, 4, 2, 2, 2, 2).swapaxes(3, 4)        # (1, C, 2, 2, window 2×2)
    assert pooled["max"].shape == pooled["average"].shape == (1, 4, 2, 2)
    assert np.array_equal(pooled["max"], windows.max(axis=(4, 5)))
    assert np.allclose(pooled["average"], windows.mean(axis=(4, 5)))
    assert np.array_equal(pooled["max"][0, 0], [[6, 8], [3, 4]])


# --- the fully connected layer, GAP, softmax (§5.3.3) -----------------------------------------

def test_the_fc_gradients_by_finite_differences():
    """loss = Σ A ⊙ dA, so ∂loss/∂A = dA; central differences on one input and one weight."""
    fc = demos.fully_connected_batch(np.random.default_rng(1), batch=4, n_in=6, n_out=5)
    X, W, b, dA = fc["X"], fc["W"], fc["b"], fc["dA"]

    def loss(X, W, b):
        return np.sum((X @ W.T + b) * dA)

    h = 1e-6
    E = np.zeros_like(X)
    E[2, 3] = h
    assert (loss(X + E, W, b) - loss(X - E, W, b)) / (2 * h) == pytest.approx(fc["dX"][2, 3])
    E = np.zeros_like(W)
    E[4, 1] = h
    assert (loss(X, W + E, b) - loss(X, W - E, b)) / (2 * h) == pytest.approx(fc["dW"][4, 1])
    assert np.allclose(fc["db"], dA.sum(axis=0))
    assert fc["params"] == 6 * 5 + 5


def test_the_books_layer_sizes():
    fc = demos.fully_connected_batch(np.random.default_rng(2))
    assert fc["X"].shape == (16, 800) and fc["W"].shape == (500, 800)
    assert fc["dX"].shape == (16, 800) and fc["dW"].shape == (500, 800)
    assert fc["params"] == 400_500


def test_global_average_pooling_and_softmax(rng):
    x = rng.normal(size=(2, 3, 4, 5))
    assert np.allclose(demos.global_average_pooling(x), x.mean(axis=(2, 3)))
    p = demos.class_probabilities([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    assert np.allclose(p.sum(axis=1), 1) and np.allclose(p[1], 1 / 3)
    assert np.all(np.diff(p[0]) > 0)                             # larger score, larger p
    with pytest.raises(ValueError):
        demos.global_average_pooling(np.ones((3, 4, 5)))


# --- architectures (§5.3.3–5.3.4) -------------------------------------------------------------

def test_lenet_alexnet_vgg():
    rows = demos.lenet_fc_trace()
    assert rows[-2].output_shape == (50, 4, 4) and rows[-1].params == 800 * 500 + 500
    alex = demos.alexnet_facts()
    assert (alex["conv"], alex["dense"], alex["pooled"]) == (5, 3, ["conv1", "conv2", "conv5"])
    assert alex["neurons"] == 55 ** 2 * 96 + 27 ** 2 * 256 + 13 ** 2 * 384 * 2 + \
        13 ** 2 * 256 + 4096 + 4096 + 1000
    steps = demos.vgg16_steps()
    assert len(steps) == 12 and steps[0] == "224×224×64" and steps[9] == "7×7×512"
    assert steps[-1] == "1000"


# --- descent and gradients in time --------------------------------------------------------------

def test_descent_work():
    work = demos.descent_work(300_000, 10)
    assert work == {"bgd_updates": 10, "bgd_gradients": 3_000_000, "sgd_updates": 300_000,
                    "sgd_gradients": 300_000}
    with pytest.raises(ValueError, match="n_samples"):
        demos.descent_work(0)


def test_state_gradient_curves_are_powers_of_rho_without_inputs():
    """Zero inputs from h₀ = 0 keep tanh′ = 1: the Jacobian is (ρQ)ᵀ to the t, norm ρᵗ."""
    curves = demos.state_gradient_curves((0.5, 1.0, 1.5), T=20)
    t = np.arange(1, 21)
    for rho, norms in curves.items():
        assert np.allclose(norms, rho ** t, rtol=1e-10), rho
    driven = demos.state_gradient_curves((1.0,), T=60, driven=True)[1.0]
    assert driven[-1] < 1e-3                      # saturation makes even ρ = 1 vanish


def test_an_open_forget_gate_lets_the_lstm_remember_where_the_rnn_cannot():
    """50 steps, noisy distractors: the SimpleRNN stays near chance, the LSTM whose forget gate
    starts at bias 5 (σ(5)⁴⁹ ≈ 0.72 of the gradient reaches the first step) learns it."""
    rnn = demos.memory_task("rnn", length=50, epochs=8)
    lstm = demos.memory_task("lstm", length=50, epochs=8, forget_bias=5.0)
    assert rnn["test_accuracy"] < 0.6
    assert lstm["test_accuracy"] > 0.9
    bias = lstm["model"].layers[0].params["bias"].value            # gates (i, f, g, o)
    assert bias[16:32].mean() > 4 > np.abs(bias[:16]).max()    # the 5 went to the forget block


def test_memory_task_checks_its_arguments():
    with pytest.raises(ValueError, match="cell"):
        demos.memory_task("gru")
    with pytest.raises(ValueError, match="forget_bias"):
        demos.memory_task("rnn", forget_bias=5.0, n_train=8, n_test=8, epochs=1)


def test_fitting_remedies_are_the_books_six_and_five():
    from nnbook.book.demos.dlnn_5 import FITTING_REMEDIES

    assert [len(FITTING_REMEDIES[k]) for k in ("under-fitting", "over-fitting")] == [6, 5]
    bagging = [r for r, _ in FITTING_REMEDIES["under-fitting"] if "Bagging" in r]
    assert bagging and "variance" in bagging[0]          # the misfiling is flagged where it sits
