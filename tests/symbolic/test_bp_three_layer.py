"""nnbook.symbolic.bp_three_layer: every step of the BP derivation of 《深度学习与神经网络》第5章
((5-2)–(5-21)) checked by sympy on a 2-2-2 network; the book's slips fail the same checks."""

import pytest
import sympy as sp

from nnbook.symbolic import bp_three_layer as B
from nnbook.symbolic.activations import sigmoid_expr
from nnbook.symbolic.derivation import DerivationError


def test_every_derivation_verifies():
    derivations = B.derivations()
    assert len(derivations) >= 20
    assert all(d.verify() for d in derivations)
    labels = " ".join(d.source_ref for d in derivations)
    for label in ("(5-4)", "(5-6)", "(5-9)", "(5-10)", "(5-14)", "(5-16)", "(5-17)", "(5-19)",
                  "(5-21)", "(5-24)"):
        assert label in labels, label


@pytest.mark.parametrize("k, j", [(1, 1), (2, 1)])
def test_output_weight_rule_for_other_indices(k, j):
    assert B.output_weight_rule(k, j).verify()
    assert B.output_net_partial(k, j).verify()


def test_the_expansion_of_E_is_the_composed_network():
    net = B.bp_network()
    d = B.error_expansion()
    assert d.result == net.E
    # The first line of (5-6) as printed puts +b¹_k inside the inner f: that is another E.
    f, s = net.f, net.symbol
    printed = sp.Rational(1, 2) * sum(
        (net.d[k] - f(sum(net.W1[k, j] * f(s[f"net^(0)_{j + 1}"] - net.theta0[j] + net.b1[k])
                          for j in range(2)) - net.theta1[k])) ** 2 for k in range(2))
    d.then(printed, "(5-6) first line as printed")
    with pytest.raises(DerivationError, match="step 5"):
        d.verify()


def test_the_printed_indices_of_5_17_fail():
    """Σ_k δᵒ_k w_jk read with the book's own indices is W1[j, k]: not the hidden delta."""
    net = B.bp_network(sigmoid_expr)
    delta_o = sp.symbols("delta^o_1:3", real=True)
    h = sp.Symbol("h_1", real=True)
    d = B.hidden_delta_sigmoid_form(1)
    d.then(sum(delta_o[k] * net.W1[0, k] for k in range(2)) * h * (1 - h), "w_jk as printed")
    with pytest.raises(DerivationError, match="w_jk as printed"):
        d.verify()


def test_the_printed_bias_rule_labels_are_swapped():
    values = B.printed_bias_rules_check()
    assert values["-dE/db0_1"] == pytest.approx(values["delta_y_1"], rel=1e-12)
    assert values["-dE/db1_1"] == pytest.approx(values["delta_o_1"], rel=1e-12)
    assert abs(values["-dE/db0_1"] - values["delta_o_1"]) > 1e-2   # what (5-19) prints
    # The same holds at a point chosen by hand.
    point = {"x_1": 1, "x_2": -1, "d_1": 1, "d_2": 0, "w^(1)_12": 2, "theta^(0)_1": "1/2"}
    other = B.printed_bias_rules_check(point)
    assert other["-dE/db0_1"] == pytest.approx(other["delta_y_1"], rel=1e-12)
    assert other["-dE/db0_1"] != pytest.approx(other["delta_o_1"], rel=1e-3)


def test_a_bias_rule_put_on_the_wrong_layer_fails():
    net = B.bp_network()
    d = B.bias_rules()[-1]                          # −η ∂E/∂b⁰_2 = η δʸ_2
    d.then(B.eta * net.symbol["delta^o_2"], "(5-21)'s partner as printed: η δᵒ")
    with pytest.raises(DerivationError, match="as printed"):
        d.verify()


def test_threshold_enters_with_the_opposite_sign_of_the_bias():
    for d in B.threshold_antisymmetry():
        assert d.verify()
    net = B.bp_network()
    assert sp.diff(net.E, net.theta0[0]) + sp.diff(net.E, net.b0[0]) == 0


def test_bad_indices_are_reported():
    with pytest.raises(ValueError, match="index from 1 to 2"):
        B.output_weight_rule(3, 1)
    with pytest.raises(ValueError, match="three positive"):
        B.bp_network(sizes=(2, 0, 1))


def test_derivations_print():
    d = B.output_weight_rule(1, 2)
    assert "(5-16)" in str(d) and d.latex().startswith("\\begin{aligned}")
