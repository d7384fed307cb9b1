"""Chapter-2 derivations (陈强 (15.11), (15.13)–(15.14), (15.17), (15.18), D7, D8, (15.26)–(15.29)):
each verifies, ends at the closed form written here, and a corrupted step is caught."""

import pytest
import sympy as sp

from nnbook import symbolic as S

z = S.z
LAM = 1 / (1 + sp.exp(-z))


def final_value(derivation):
    """The derivation's last expression with its abbreviations expanded."""
    return derivation._expand(derivation.result)


def same(a, b):
    return sp.simplify((a - b).rewrite(sp.exp)) == 0


@pytest.mark.parametrize("derivation", S.chapter2_derivations(), ids=lambda d: d.title)
def test_chapter2_derivations_verify(derivation):
    assert derivation.verify()
    assert derivation.latex().startswith("\\begin{aligned}")
    assert "陈强" in derivation.source_ref


def test_closed_forms_at_the_end_of_each_derivation():
    assert same(final_value(S.logistic_derivative()), LAM * (1 - LAM))  # (15.11)
    assert S.tanh_identity().result == sp.tanh(z)  # (15.13)
    assert same(S.tanh_identity().lhs, sp.tanh(z))
    assert same(final_value(S.tanh_derivative()), 1 - sp.tanh(z) ** 2)
    assert same(final_value(S.softplus_derivative()), LAM)  # softplus′ = Λ
    assert S.leaky_relu_derivative("positive").result == 1
    assert S.leaky_relu_derivative("negative").result == S.gamma_symbol
    y = S.y_symbol
    assert same(final_value(S.binary_cross_entropy_gradient()), LAM - y)  # D7
    p1, y1 = sp.Symbol("p1", positive=True), sp.Symbol("y1", real=True)
    assert S.softmax_cross_entropy_gradient().result == p1 - y1  # D8


def test_softmax_cross_entropy_gradient_for_every_class_and_four_classes():
    for j in (1, 2, 3, 4):
        assert S.softmax_cross_entropy_gradient(n_classes=4, j=j).verify()
    zs = sp.symbols("z1:4", real=True)
    p = [sp.exp(v) / sum(sp.exp(u) for u in zs) for v in zs]
    for k in range(3):
        for j in range(3):
            expected = p[k] * ((1 if k == j else 0) - p[j])
            assert sp.simplify(sp.diff(p[k], zs[j]) - expected) == 0
            assert S.softmax_jacobian_entry(k + 1, j + 1).verify()


def test_slope_limits_and_bound():
    assert S.logistic_derivative_limits() == (0, 0, sp.Rational(1, 4))
    assert S.logistic_derivative_bound().result == (S.Lambda_symbol - sp.Rational(1, 2)) ** 2


@pytest.mark.parametrize("build, wrong", [
    (S.logistic_derivative, S.Lambda_symbol * (1 + S.Lambda_symbol)),
    (S.tanh_identity, sp.tanh(z / 2)),
    (S.softplus_derivative, 1 - S.Lambda_symbol),
    (lambda: S.leaky_relu_derivative("positive"), S.gamma_symbol),
    (lambda: S.leaky_relu_derivative("negative"), sp.Integer(1)),
    (S.binary_cross_entropy_gradient, S.y_symbol - S.Lambda_symbol),
    (S.softmax_cross_entropy_gradient, sp.Symbol("p1", positive=True) + sp.Symbol("y1", real=True)),
    (lambda: S.backprop_derivation(1, 1, 1), sp.Integer(0)),
], ids=["sigmoid", "tanh", "softplus", "lrelu+", "lrelu-", "bce", "softmax-ce", "backprop"])
def test_a_wrong_final_step_is_caught(build, wrong):
    d = build()
    d.then(wrong, "a plausible slip")
    with pytest.raises(S.DerivationError, match="a plausible slip"):
        d.verify()


def test_the_max_form_needs_gamma_below_one():
    d = S.leaky_relu_derivative("negative")
    d.definitions = {S.gamma_symbol: 1 + sp.Symbol("c", positive=True)}  # γ > 1 instead
    with pytest.raises(S.DerivationError):
        d.verify()


@pytest.mark.parametrize("sizes, activation, loss", [
    ((2, 2, 1), None, "squared"),
    ((2, 2, 1), None, "binary_crossentropy"),
    ((2, 2, 1), S.sigmoid_expr, "squared"),
    ((2, 3, 2, 2), None, "squared"),
], ids=["2-2-1 f squared", "2-2-1 f BCE", "2-2-1 sigmoid squared", "2-3-2-2 f squared"])
def test_delta_recursion_equals_direct_differentiation(sizes, activation, loss):
    assert S.backprop_matches_sympy(sizes, activation, loss)


def test_a_wrong_output_delta_or_recursion_is_caught(monkeypatch):
    def half_output_delta(net):  # the squared loss's δ without its factor 2
        return [-(y - o) * sp.diff(net.output_activation(z), z).subs(z, zk)
                for y, o, zk in zip(net.y, net.output, net.z[-1])]

    monkeypatch.setattr(S, "output_deltas", half_output_delta)
    with pytest.raises(S.DerivationError, match="differs from sympy"):
        S.backprop_matches_sympy((2, 2, 1))


def test_gradient_by_deltas_for_one_weight_by_hand():
    # 1-1-1 network with identity hidden and output units: ŷ = w2_0 + w2_1 (w1_0 + w1_1 x).
    net = S.symbolic_network((1, 1, 1), activation=lambda e: e)
    (w10, w11), (w20, w21) = list(net.weights[0]), list(net.weights[1])
    x, y = net.x[0], net.y[0]
    yhat = w20 + w21 * (w10 + w11 * x)
    expected = -2 * (y - yhat) * w21 * x  # ∂(y − ŷ)²/∂w1_1
    assert sp.expand(S.backprop_gradients(net)[0][1, 0] - expected) == 0


def test_symbolic_network_input_errors():
    with pytest.raises(ValueError, match="layer sizes"):
        S.symbolic_network((3,))
    with pytest.raises(ValueError, match="'squared' or 'binary_crossentropy'"):
        S.symbolic_network((2, 1), loss="hinge")
    with pytest.raises(ValueError, match="layer 1 or 2"):
        S.backprop_derivation(3, 1, 1)
