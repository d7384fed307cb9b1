"""The chapter's autodiff examples: the ReLU neuron against the hand derivation and sympy (ReLU
active and inactive), and the engine-built MLP against Sequential's own backward passes."""

import numpy as np
import pytest
import sympy as sp

from nnbook.book.demos.galeone_2_autodiff import (NEURON_ACTIVE, NEURON_INACTIVE,
                                                   compare_with_sequential, engine_mlp_loss,
                                                   example_mlp, relu_neuron, relu_neuron_chain_rule,
                                                   relu_neuron_graph)
from nnbook.optim import SGD, Adam


def hand_gradients(x1, x2, w1, w2, b, y):
    """The chain rule by hand: ∂L/∂w1 = −2(y − O)·1[s > 0]·x1, and likewise."""
    s = x1 * w1 + x2 * w2 + b
    out = max(s, 0.0)
    upstream = -2 * (y - out) * (1.0 if s > 0 else 0.0)
    return {"w1": upstream * x1, "w2": upstream * x2, "b": upstream, "x1": upstream * w1,
            "x2": upstream * w2, "y": 2 * (y - out), "L": (y - out) ** 2, "O": out}


def sympy_gradients(values):
    """∂L/∂θ by sympy with relu(s) = s·Heaviside(s); the DiracDelta terms vanish for s ≠ 0."""
    x1, x2, w1, w2, b, y = sp.symbols("x1 x2 w1 w2 b y", real=True)
    s = x1 * w1 + x2 * w2 + b
    loss = (y - s * sp.Heaviside(s)) ** 2
    point = {sp.Symbol(k, real=True): sp.Rational(str(v)) for k, v in values.items()}
    return {name: float(sp.diff(loss, symbol).subs(point))
            for name, symbol in (("w1", w1), ("w2", w2), ("b", b))}


@pytest.mark.parametrize("values", [NEURON_ACTIVE, NEURON_INACTIVE], ids=["active", "inactive"])
def test_relu_neuron_table_matches_hand_and_sympy(values):
    rows = {row.name: row.as_tuple() for row in relu_neuron_graph(**values)}
    assert list(rows) == ["x1", "w1", "mul1", "x2", "w2", "mul2", "sum1", "b", "sum2", "O", "y",
                          "y − O", "L"]
    hand = hand_gradients(**values)
    for name in ("w1", "w2", "b", "x1", "x2", "y"):
        assert rows[name][3] == pytest.approx(hand[name], abs=1e-15), name
    for name, value in sympy_gradients(values).items():
        assert rows[name][3] == pytest.approx(value, abs=1e-15), name
    assert rows["L"][2:] == pytest.approx((hand["L"], 1.0))
    assert rows["O"][2] == pytest.approx(hand["O"])
    assert rows["O"][1] == "relu" and rows["mul1"][1] == "mul" and rows["sum2"][1] == "add"


def test_active_values_by_hand():
    rows = {row.name: row.as_tuple() for row in relu_neuron_graph(**NEURON_ACTIVE)}
    assert rows["sum2"][2] == pytest.approx(0.3)
    assert rows["L"][2] == pytest.approx(0.49)
    assert rows["w1"][3] == pytest.approx(-2.1)
    inactive = {row.name: row.as_tuple() for row in relu_neuron_graph(**NEURON_INACTIVE)}
    assert inactive["w1"][3] == inactive["b"][3] == 0.0
    assert inactive["O"][3] == pytest.approx(-2.0)      # the gradient reaches O and stops there


@pytest.mark.parametrize("values", [NEURON_ACTIVE, NEURON_INACTIVE], ids=["active", "inactive"])
def test_chain_rule_factors(values):
    factors = relu_neuron_chain_rule(**values)
    hand = hand_gradients(**values)
    s = values["x1"] * values["w1"] + values["x2"] * values["w2"] + values["b"]
    assert factors["dL/d(y − O)"] == pytest.approx(2 * (values["y"] - hand["O"]))
    assert factors["d(y − O)/dO"] == -1.0
    assert factors["dO/dsum2"] == (1.0 if s > 0 else 0.0)
    assert factors["dsum2/dsum1"] == factors["dsum1/dmul1"] == 1.0
    assert factors["dmul1/dw1"] == values["x1"]
    assert factors["dL/dw1"] == pytest.approx(hand["w1"], abs=1e-15)


def test_relu_neuron_refuses_non_numbers():
    with pytest.raises(ValueError, match="w1"):
        relu_neuron(1.0, 2.0, "a", 0.0, 0.0, 1.0)


@pytest.mark.parametrize("make_optimizer", [lambda: SGD(learning_rate=0.5),
                                            lambda: SGD(learning_rate=0.3, momentum=0.9),
                                            lambda: Adam(learning_rate=0.05)],
                         ids=["sgd", "momentum", "adam"])
def test_engine_mlp_takes_the_same_steps_as_sequential(make_optimizer):
    result = compare_with_sequential(make_optimizer, steps=6)
    assert result["max_weight_difference"] < 1e-12
    np.testing.assert_allclose(result["engine_losses"], result["sequential_losses"], rtol=1e-12)
    assert result["engine_losses"][-1] < result["engine_losses"][0]     # it did train


def test_engine_mlp_loss_is_nnbooks_mse():
    model = example_mlp(seed=3)
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((6, 4)), rng.uniform(size=(6, 3))
    model.compile(loss="mse", optimizer="sgd", metrics=())
    assert engine_mlp_loss(model, X, Y).item() == pytest.approx(model.compute_loss(X, Y),
                                                                rel=1e-14)
    with pytest.raises(ValueError, match="rows"):
        engine_mlp_loss(model, X, Y[:3])
    with pytest.raises(TypeError, match="Sequential"):
        engine_mlp_loss(object(), X, Y)


def test_engine_mlp_loss_names_an_unbuilt_model_and_a_wrong_example_shape():
    from nnbook.layers import Dense
    from nnbook.models.sequential import Sequential

    with pytest.raises(ValueError, match="build the Sequential first"):
        engine_mlp_loss(Sequential([Dense(2)]), np.ones((2, 4)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"examples of shape \(4,\)"):
        engine_mlp_loss(example_mlp(), np.ones((2, 5)), np.ones((2, 3)))
