"""Derivations about gradient descent (Nielsen §1.5, eqs. (9)–(10) and the exercise on p.18)."""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.derivation import Derivation


def gradient_step_decrease(m: int = 2) -> Derivation:
    """ΔC ≈ ∇C·Δv with Δv = −η∇C gives −η‖∇C‖² ≤ 0 (Nielsen eqs. (9)–(10), and (12)–(14))."""
    g = sp.Matrix(sp.symbols(f"g1:{m + 1}", real=True))
    eta = sp.Symbol("eta", positive=True)
    dv = sp.Matrix(sp.symbols(f"Delta_v1:{m + 1}", real=True))
    linear = (g.T * dv)[0]
    d = Derivation("Gradient descent lowers the cost to first order", "Nielsen §1.5, eqs. (9)–(10)",
                   linear)
    d.then((g.T * (-eta * g))[0], "substitute Δv = −η∇C (eq. 10)")
    d.then(-eta * sum(gi ** 2 for gi in g), "∇C·∇C = ‖∇C‖²")
    d.definitions = dict(zip(dv, -eta * g))
    return d


def steepest_descent_direction(m: int = 2) -> list:
    """Solve min ∇C·Δv subject to ‖Δv‖² = ε² by Lagrange multipliers (Nielsen §1.5,
    the exercise on p.18).

    Returns the stationary points as (Δv, value) pairs; the minimum is Δv = −ε g/‖g‖ with
    value −ε‖g‖ (Cauchy–Schwarz).
    """
    g = sp.symbols(f"g1:{m + 1}", real=True)
    d = sp.symbols(f"d1:{m + 1}", real=True)
    eps, lam = sp.symbols("epsilon lambda", positive=True)
    objective = sum(gi * di for gi, di in zip(g, d))
    lagrangian = objective - lam * (sum(di ** 2 for di in d) - eps ** 2)
    lam_free = sp.Symbol("mu", real=True, nonzero=True)
    lagrangian = lagrangian.subs(lam, lam_free)
    equations = [sp.diff(lagrangian, v) for v in (*d, lam_free)]
    solutions = sp.solve(equations, (*d, lam_free), dict=True)
    return [(sp.Matrix([s[di] for di in d]), sp.simplify(objective.subs(s))) for s in solutions]
