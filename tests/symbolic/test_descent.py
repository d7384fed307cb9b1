"""nnbook.symbolic.descent: ΔC ≈ −η‖∇C‖² (Nielsen eqs. (9)–(10)) and the steepest direction by
Lagrange multipliers (exercise X4)."""

import sympy as sp

from nnbook.symbolic import descent


def test_gradient_step_decrease_verifies():
    d = descent.gradient_step_decrease(3)
    assert d.verify()
    g = sp.symbols("g1:4", real=True)
    assert sp.expand(d.result + sp.Symbol("eta", positive=True) * sum(v ** 2 for v in g)) == 0


def test_lagrange_gives_the_steepest_descent_direction():
    solutions = descent.steepest_descent_direction()
    g = sp.Matrix(sp.symbols("g1:3", real=True))
    eps = sp.Symbol("epsilon", positive=True)
    values = sorted((v for _, v in solutions), key=lambda v: sp.sign(v.subs({g[0]: 1, g[1]: 1})))
    assert sp.simplify(values[0] + eps * sp.sqrt(g[0] ** 2 + g[1] ** 2)) == 0
    minimiser = [d for d, v in solutions if v == values[0]][0]
    assert sp.simplify(minimiser + eps * g / sp.sqrt(g[0] ** 2 + g[1] ** 2)) == sp.zeros(2, 1)
