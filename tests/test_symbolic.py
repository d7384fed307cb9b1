"""Derivations as data: every chapter-1 derivation verifies, and a broken step is caught."""

import sympy as sp
import pytest

from nnbook import symbolic


@pytest.mark.parametrize("derivation", symbolic.chapter1_derivations(), ids=lambda d: d.title)
def test_chapter1_derivations_verify(derivation):
    assert derivation.verify()
    assert derivation.latex().startswith("\\begin{aligned}")


def test_a_wrong_step_is_reported_with_its_number():
    d = symbolic.sigmoid_derivative()
    d.then(symbolic.sigma_symbol * (1 + symbolic.sigma_symbol), "a sign slip")
    with pytest.raises(symbolic.DerivationError, match="step 5 \\(a sign slip\\)"):
        d.verify()


def test_sigmoid_derivative_result_is_sigma_times_one_minus_sigma():
    s = 1 / (1 + sp.exp(-symbolic.z))
    assert sp.simplify(sp.diff(s, symbolic.z) - s * (1 - s)) == 0


def test_limits():
    assert symbolic.sigmoid_limits() == (1, 0, sp.Rational(1, 2))
    assert symbolic.scaled_sigmoid_limits() == (1, 0, sp.Rational(1, 2))


def test_lagrange_gives_the_steepest_descent_direction():
    solutions = symbolic.steepest_descent_direction()
    g = sp.Matrix(sp.symbols("g1:3", real=True))
    eps = sp.Symbol("epsilon", positive=True)
    values = sorted((v for _, v in solutions), key=lambda v: sp.sign(v.subs({g[0]: 1, g[1]: 1})))
    assert sp.simplify(values[0] + eps * sp.sqrt(g[0] ** 2 + g[1] ** 2)) == 0
    minimiser = [d for d, v in solutions if v == values[0]][0]
    assert sp.simplify(minimiser + eps * g / sp.sqrt(g[0] ** 2 + g[1] ** 2)) == sp.zeros(2, 1)
