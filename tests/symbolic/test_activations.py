"""nnbook.symbolic.activations: the sigmoid σ/Λ (Nielsen eqs. (3), (5); 陈强 (15.10)–(15.11)),
tanh (15.12)–(15.14), leaky ReLU (15.16)–(15.17), softplus (15.18) — each derivation verifies,
ends at a closed form written here, and a plausible slip is caught."""

import pytest
import sympy as sp

from nnbook.symbolic import activations as A
from nnbook.symbolic.derivation import DerivationError

z = A.z
LAM = 1 / (1 + sp.exp(-z))


def final_value(derivation):
    """The derivation's last expression with its abbreviations expanded."""
    return derivation._expand(derivation.result)


def same(a, b):
    return sp.simplify((a - b).rewrite(sp.exp)) == 0


def test_sigmoid_derivative_result_is_sigma_times_one_minus_sigma():
    assert A.sigmoid_derivative().verify()
    assert same(final_value(A.sigmoid_derivative()), LAM * (1 - LAM))
    assert same(final_value(A.logistic_derivative()), LAM * (1 - LAM))            # (15.11)


def test_limits():
    assert A.sigmoid_limits() == (1, 0, sp.Rational(1, 2))
    assert A.scaled_sigmoid_limits() == (1, 0, sp.Rational(1, 2))
    assert A.logistic_derivative_limits() == (0, 0, sp.Rational(1, 4))
    assert A.logistic_derivative_bound().result == (A.Lambda_symbol - sp.Rational(1, 2)) ** 2


def test_closed_forms_at_the_end_of_each_derivation():
    assert A.tanh_identity().result == sp.tanh(z)                                 # (15.13)
    assert same(A.tanh_identity().lhs, sp.tanh(z))
    assert same(final_value(A.tanh_derivative()), 1 - sp.tanh(z) ** 2)
    assert same(final_value(A.softplus_derivative()), LAM)                        # softplus′ = Λ
    assert A.leaky_relu_derivative("positive").result == 1
    assert A.leaky_relu_derivative("negative").result == A.gamma_symbol


@pytest.mark.parametrize("build, wrong", [
    (A.logistic_derivative, A.Lambda_symbol * (1 + A.Lambda_symbol)),
    (A.tanh_identity, sp.tanh(z / 2)),
    (A.softplus_derivative, 1 - A.Lambda_symbol),
    (lambda: A.leaky_relu_derivative("positive"), A.gamma_symbol),
    (lambda: A.leaky_relu_derivative("negative"), sp.Integer(1)),
], ids=["sigmoid", "tanh", "softplus", "lrelu+", "lrelu-"])
def test_a_wrong_final_step_is_caught(build, wrong):
    d = build()
    d.then(wrong, "a plausible slip")
    with pytest.raises(DerivationError, match="a plausible slip"):
        d.verify()


def test_the_max_form_needs_gamma_below_one():
    d = A.leaky_relu_derivative("negative")
    d.definitions = {A.gamma_symbol: 1 + sp.Symbol("c", positive=True)}  # γ > 1 instead
    with pytest.raises(DerivationError):
        d.verify()
    with pytest.raises(ValueError, match="side"):
        A.leaky_relu_derivative("zero")
