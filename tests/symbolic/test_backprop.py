"""nnbook.symbolic.backprop: the δ recursion (陈强 (15.26)–(15.29)) equals sympy's direct
differentiation for every weight; a wrong output δ or recursion is caught."""

import pytest
import sympy as sp

from nnbook.symbolic import backprop as B
from nnbook.symbolic.activations import sigmoid_expr, z
from nnbook.symbolic.derivation import DerivationError


@pytest.mark.parametrize("sizes, activation, loss", [
    ((2, 2, 1), None, "squared"),
    ((2, 2, 1), None, "binary_crossentropy"),
    ((2, 2, 1), sigmoid_expr, "squared"),
    ((2, 3, 2, 2), None, "squared"),
], ids=["2-2-1 f squared", "2-2-1 f BCE", "2-2-1 sigmoid squared", "2-3-2-2 f squared"])
def test_delta_recursion_equals_direct_differentiation(sizes, activation, loss):
    assert B.backprop_matches_sympy(sizes, activation, loss)


def test_a_wrong_output_delta_is_caught(monkeypatch):
    def half_output_delta(net):  # the squared loss's δ without its factor 2
        return [-(y - o) * sp.diff(net.output_activation(z), z).subs(z, zk)
                for y, o, zk in zip(net.y, net.output, net.z[-1])]

    monkeypatch.setattr(B, "output_deltas", half_output_delta)
    with pytest.raises(DerivationError, match="differs from sympy"):
        B.backprop_matches_sympy((2, 2, 1))


def test_gradient_by_deltas_for_one_weight_by_hand():
    # 1-1-1 network with identity hidden and output units: ŷ = w2_0 + w2_1 (w1_0 + w1_1 x).
    net = B.symbolic_network((1, 1, 1), activation=lambda e: e)
    (w10, w11), (w20, w21) = list(net.weights[0]), list(net.weights[1])
    x, y = net.x[0], net.y[0]
    yhat = w20 + w21 * (w10 + w11 * x)
    expected = -2 * (y - yhat) * w21 * x  # ∂(y − ŷ)²/∂w1_1
    assert sp.expand(B.backprop_gradients(net)[0][1, 0] - expected) == 0


def test_the_step_by_step_derivation_verifies_and_catches_a_slip():
    assert B.backprop_derivation(2, 1, 1).verify() and B.backprop_derivation(1, 2, 1).verify()
    d = B.backprop_derivation(1, 1, 1)
    d.then(sp.Integer(0), "a plausible slip")
    with pytest.raises(DerivationError, match="a plausible slip"):
        d.verify()


def test_symbolic_network_input_errors():
    with pytest.raises(ValueError, match="layer sizes"):
        B.symbolic_network((3,))
    with pytest.raises(ValueError, match="'squared' or 'binary_crossentropy'"):
        B.symbolic_network((2, 1), loss="hinge")
    with pytest.raises(ValueError, match="layer 1 or 2"):
        B.backprop_derivation(3, 1, 1)
