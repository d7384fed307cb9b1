"""Derivations about single neurons and perceptron circuits (Nielsen §1.1–§1.2)."""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.activations import sigmoid_expr, z
from nnbook.symbolic.derivation import Derivation


def sigmoid_neuron_partials(n_inputs: int = 3) -> Derivation:
    """∂ output/∂w_j = σ'(z) x_j, the coefficient of Δw_j in eq. (5), for output = σ(w·x + b)."""
    w = sp.symbols(f"w1:{n_inputs + 1}", real=True)
    x = sp.symbols(f"x1:{n_inputs + 1}", real=True)
    b = sp.Symbol("b", real=True)
    weighted = sum(wi * xi for wi, xi in zip(w, x)) + b
    out = sigmoid_expr(weighted)
    d = Derivation("Partial derivative of a sigmoid neuron's output", "Nielsen §1.2, eq. (5)",
                   sp.Derivative(out, w[0]))
    d.then(sp.diff(sigmoid_expr(), z).subs(z, weighted) * x[0], "chain rule: σ'(z) ∂z/∂w₁")
    d.then(sp.Mul(out, 1 - out, x[0], evaluate=False), "σ' = σ(1 − σ)")
    return d


def merged_edge() -> Derivation:
    """Two −2 edges from the same perceptron act as one −4 edge (Nielsen §1.1, p.5)."""
    s = sp.Symbol("s")
    d = Derivation("Merging the carry gate's double edge", "Nielsen §1.1, p.5",
                   sp.Add(-2 * s, -2 * s, evaluate=False))
    d.then(-4 * s, "collect the two terms")
    return d
