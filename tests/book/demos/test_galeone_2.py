"""nnbook.book.demos.galeone_2: chapter 4's demos of Galeone ch. 2 §'Artificial neurons' to
§'Parameter initialization' — the neuron three ways, the dense layer in row and column form,
the collapse of linear layers, the activations, pixel scaling, one-hot / argmax / L2 loss and
the symmetry of a constant initialisation. Oracles are written here independently (the math
module, explicit matrix algebra, hand sums)."""

import math

import numpy as np
import pytest

from nnbook.book.demos import galeone_2 as demos
from nnbook.layers.initializers import constant


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def test_the_neuron_by_hand():
    """1·0.1 + 2·(−0.2) + 3·0.3 + 0.5 = 1.1, σ(1.1) from the math module."""
    out = demos.neuron([1.0, 2.0, 3.0], [0.1, -0.2, 0.3], 0.5)
    assert out["weighted_input"] == pytest.approx(1.1, abs=1e-15)
    for way in ("sum", "perceptron", "dense"):
        assert out[way] == pytest.approx(_sigmoid(1.1), rel=1e-14), way
    relu = demos.neuron([1.0, 2.0], [-1.0, -1.0], 0.5, activation="relu")
    assert relu["sum"] == relu["dense"] == 0.0


def test_the_neuron_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        demos.neuron([1.0, 2.0], [1.0], 0.0)


def test_row_and_column_forms_of_the_dense_layer():
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    forms = demos.dense_forms(x, W, b, activation="tanh")
    expected = np.array([[math.tanh(sum(x[n, j] * W[j, i] for j in range(4)) + b[i])
                          for i in range(3)] for n in range(5)])
    for name in ("row", "column", "per_neuron"):
        assert forms[name].shape == (5, 3)
        assert np.allclose(forms[name], expected, rtol=0, atol=1e-14), name


def test_the_fc_figure_network_counts_its_parameters():
    """10 → 6 → 4 → 2: (10·6 + 6) + (6·4 + 4) + (4·2 + 2) = 104 parameters, 2 outputs."""
    model = demos.fc_figure_network()
    assert demos.FC_FIGURE_SIZES[0] == 10 and demos.FC_FIGURE_SIZES[-1] == 2
    assert model.n_params == 104 and model.output_shape == (2,)


def test_linear_layers_collapse_and_relu_ones_do_not():
    result = demos.linear_collapse(np.random.default_rng(4))
    x = result["x"]
    W1, b1, W2, b2 = result["linear"]["layers"]
    assert np.allclose(result["linear"]["W"], W1 @ W2, rtol=0, atol=1e-14)
    assert np.allclose(result["linear"]["b"], b1 @ W2 + b2, rtol=0, atol=1e-14)
    assert np.allclose(result["linear"]["stacked"], (x @ W1 + b1) @ W2 + b2, atol=1e-13)
    assert np.allclose(result["linear"]["collapsed"], result["linear"]["stacked"], atol=1e-13)
    assert not np.allclose(result["relu"]["collapsed"], result["relu"]["stacked"], atol=1e-3)


def test_activation_values_by_hand():
    z = [-2.0, -0.5, 0.0, 0.5, 2.0]
    values = demos.activation_values(z, leaky_slope=0.1)
    assert set(values) == set(demos.ACTIVATION_GRID)
    assert np.allclose(values["sigmoid"], [_sigmoid(v) for v in z], rtol=1e-14)
    assert np.allclose(values["tanh"], [math.tanh(v) for v in z], rtol=1e-14)
    assert values["relu"].tolist() == [0.0, 0.0, 0.0, 0.5, 2.0]
    assert np.allclose(values["leaky_relu"], [-0.2, -0.05, 0.0, 0.5, 2.0], rtol=0, atol=1e-15)
    assert np.allclose(values["elu"], [math.exp(-2) - 1, math.exp(-0.5) - 1, 0, 0.5, 2],
                       rtol=1e-14, atol=0)


def test_pixel_scaling_maps_0_255_onto_the_range_of_tanh():
    result = demos.pixel_scaling([0, 51, 127.5, 255])
    assert np.allclose(result["scaled"], [-1.0, 51 / 127.5 - 1, 0.0, 1.0], rtol=0, atol=1e-15)
    assert np.allclose(result["back"], [0, 51, 127.5, 255], rtol=0, atol=1e-12)


def test_one_hot_argmax_and_the_mean_l2_loss_by_hand():
    """(0.1² + 0.2² + 0.1²) = 0.06 and (0.6² + 0.3² + 0.9²) = 1.26; their mean 0.66."""
    head = demos.classification_head([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]], [1, 2], 3)
    assert head["predicted"].tolist() == [1, 0]
    assert head["one_hot"].tolist() == [[0, 1, 0], [0, 0, 1]]
    assert np.allclose(head["per_example"], [0.06, 1.26], rtol=0, atol=1e-15)
    assert head["mean_loss"] == pytest.approx(0.66, abs=1e-15)


def test_constant_initialisation_keeps_the_hidden_units_identical():
    """The source's exercise value 10: every hidden unit gets the same gradient, so after 20
    steps the columns of the first kernel (rows of the second) are still equal, though the
    weights moved; N(0, 1) starts them apart."""
    rng = np.random.default_rng(5)
    same = demos.symmetry_after_training(constant(demos.CONSTANT_INIT), rng)
    hidden, output = same["hidden_kernel"], same["output_kernel"]
    assert same["units_identical"]
    assert all(np.array_equal(hidden[:, 0], hidden[:, j]) for j in range(hidden.shape[1]))
    assert all(np.array_equal(output[0], output[i]) for i in range(output.shape[0]))
    assert not np.all(hidden == demos.CONSTANT_INIT)
    apart = demos.symmetry_after_training("normal", np.random.default_rng(5))
    assert not apart["units_identical"]
    assert not np.allclose(apart["hidden_kernel"][:, 0], apart["hidden_kernel"][:, 1])


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid"])
def test_all_zero_initialisation_leaves_the_output_bias_gradient(hidden):
    """With every parameter 0 the output is σ(0) = ½ everywhere; ∂L/∂b_out,j =
    (1/n) Σᵢ 2(½ − yᵢⱼ)·¼ is not 0 (the source's "the whole gradient is 0" is imprecise).
    The hidden layer's gradients are 0 (the output weights are 0); the output weights' are 0
    only when the hidden units output 0 (tanh), not for sigmoid's ½."""
    grads = demos.zero_init_gradients(hidden, np.random.default_rng(6))
    rng = np.random.default_rng(6)
    rng.normal(size=(16, 4))
    y = rng.uniform(size=(16, 2))
    bias_grad = [sum(2 * (0.5 - y[i, j]) * 0.25 for i in range(16)) / 16 for j in range(2)]
    assert grads["output.bias"] == pytest.approx(math.hypot(*bias_grad), rel=1e-12)
    assert grads["hidden.kernel"] == grads["hidden.bias"] == 0.0
    if hidden == "tanh":
        assert grads["output.kernel"] == 0.0
    else:
        assert grads["output.kernel"] > 0.0


def test_every_derivation_of_the_chapter_verifies():
    derivations = demos.derivations()
    assert len(derivations) == len({d.title for d in derivations}) >= 15
    for derivation in derivations:
        assert derivation.verify() is True, derivation.title
