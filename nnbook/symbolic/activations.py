"""Derivations about activation functions: the sigmoid σ/Λ, tanh, leaky ReLU, softplus.

Nielsen §1.2 (eqs. (3)–(5)) and 陈强 §15.4 ((15.10)–(15.18)). 陈强 writes the sigmoid as Λ; the
same derivation serves both chapters with the letter as a parameter. Steps that a source does
not print are marked "supplied".
"""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.derivation import Derivation

z = sp.Symbol("z", real=True)
sigma_symbol = sp.Symbol("sigma")

Lambda_symbol = sp.Symbol("Lambda")
y_symbol = sp.Symbol("y", real=True)


def sigmoid_expr(arg=z):
    """σ(arg) = 1/(1 + e^{−arg}) as a sympy expression (Nielsen eq. (3))."""
    return 1 / (1 + sp.exp(-arg))


def sigmoid_derivative(symbol=sigma_symbol, *, title: str = "Derivative of the sigmoid",
                       source_ref: str = "Nielsen §1.2, eqs. (3), (5)") -> Derivation:
    """σ'(z) = σ(z)(1 − σ(z)) — the 'lovely property' Nielsen alludes to in §1.2.

    ``symbol`` is the letter the last step writes for the sigmoid (σ for Nielsen, Λ for 陈强).
    """
    s, e = sigmoid_expr(), sp.exp(-z)
    name = sp.pretty(symbol, use_unicode=True)
    d = Derivation(title, source_ref, sp.Derivative(s, z), definitions={symbol: s})
    d.then(e / (1 + e) ** 2, "chain rule on (1 + e^{-z})^{-1}")
    d.then(sp.Mul(1 / (1 + e), e / (1 + e), evaluate=False), "split the fraction")
    d.then(sp.Mul(1 / (1 + e), 1 - 1 / (1 + e), evaluate=False),
           f"e^{{-z}}/(1+e^{{-z}}) = 1 − {name}(z)")
    d.then(symbol * (1 - symbol), f"write {name} for 1/(1+e^{{-z}})")
    return d


def sigmoid_limits() -> tuple:
    """(lim_{z→+∞} σ, lim_{z→−∞} σ, σ(0)) = (1, 0, 1/2) — Nielsen §1.2;
    σ(0) = 1/2 is why the second exercise of p.9 needs w·x + b ≠ 0."""
    s = sigmoid_expr()
    return sp.limit(s, z, sp.oo), sp.limit(s, z, -sp.oo), s.subs(z, 0)


def scaled_sigmoid_limits() -> tuple:
    """lim_{c→∞} σ(c z) for z > 0, z < 0 and z = 0: (1, 0, 1/2) — Nielsen §1.2, the
    second exercise of p.9."""
    c = sp.Symbol("c", positive=True)
    zp = sp.Symbol("z", positive=True)
    zn = sp.Symbol("z", negative=True)
    return (sp.limit(sigmoid_expr(c * zp), c, sp.oo), sp.limit(sigmoid_expr(c * zn), c, sp.oo),
            sigmoid_expr(c * 0))


def _logistic():
    return sigmoid_expr(z)


def logistic_derivative() -> Derivation:
    """Λ′(z) = Λ(z)[1 − Λ(z)] 陈强 (15.11); 陈强 defers the steps to the book's ch. 5
    (supplied here)."""
    return sigmoid_derivative(Lambda_symbol, title="Derivative of the sigmoid Λ",
                              source_ref="陈强 (15.10)–(15.11)")


def logistic_derivative_bound() -> Derivation:
    """1/4 − Λ′(z) = (Λ − 1/2)² ≥ 0, so Λ′ ≤ 1/4 with equality at z = 0 (supplied: 陈强
    states the bound)."""
    s = _logistic()
    half = sp.Rational(1, 2)
    d = Derivation("The sigmoid's slope is at most 1/4", "陈强 §15.4 (1), after (15.11)",
                   sp.Rational(1, 4) - sp.diff(s, z), definitions={Lambda_symbol: s})
    d.then(sp.Rational(1, 4) - Lambda_symbol * (1 - Lambda_symbol), "陈强 (15.11)")
    d.then((Lambda_symbol - half) ** 2, "complete the square")
    return d


def logistic_derivative_limits() -> tuple:
    """(lim_{z→+∞} Λ′, lim_{z→−∞} Λ′, Λ′(0)) = (0, 0, 1/4): saturation at both ends (陈强 §15.4 (1))."""
    slope = sp.diff(_logistic(), z)
    return sp.limit(slope, z, sp.oo), sp.limit(slope, z, -sp.oo), sp.simplify(slope.subs(z, 0))


def tanh_identity() -> Derivation:
    """2Λ(2z) − 1 = tanh z, the four steps of 陈强 (15.13)–(15.14)."""
    e = sp.exp(-2 * z)
    d = Derivation("tanh is a rescaled sigmoid", "陈强 (15.12)–(15.14)",
                   2 * sigmoid_expr(2 * z) - 1, rewrite=sp.exp)
    d.then(sp.Add(2 / (1 + e), -1, evaluate=False), "Λ(2z) = 1/(1 + e^{-2z}) 陈强 (15.10)")
    d.then((1 - e) / (1 + e), "common denominator: 2 − (1 + e^{-2z}) = 1 − e^{-2z}")
    d.then((sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)),
           "multiply numerator and denominator by e^{z}")
    d.then(sp.tanh(z), "definition of tanh 陈强 (15.12)")
    return d


def tanh_derivative() -> Derivation:
    """tanh′(z) = 1 − tanh²(z) (supplied; used by ``nnbook.functional.activations.tanh_prime``)."""
    d = Derivation("Derivative of tanh", "陈强 (15.12), supplied", sp.Derivative(sp.tanh(z), z),
                   rewrite=sp.exp)
    d.then(4 / (sp.exp(z) + sp.exp(-z)) ** 2, "quotient rule on (e^z − e^{-z})/(e^z + e^{-z})")
    d.then(1 - sp.tanh(z) ** 2, "(e^z + e^{-z})² − (e^z − e^{-z})² = 4")
    return d


gamma_symbol = sp.Symbol("gamma", positive=True)
_gamma_gap = sp.Symbol("c", positive=True)


def leaky_relu_derivative(side: str = "positive") -> Derivation:
    """LReLU′ from the max form 陈强 (15.17): 1 for z > 0, γ for z < 0, when 0 < γ < 1.

    ``side`` is "positive" (z > 0) or "negative" (z < 0). The condition γ < 1 is encoded by
    substituting γ = 1/(1 + c) with c > 0 during verification; for γ > 1 the max form is
    wrong, which is why the source adds "当 γ<1 时".
    """
    if side not in ("positive", "negative"):
        raise ValueError(f"side: expected 'positive' or 'negative', found {side!r}")
    positive = side == "positive"
    zs = sp.Symbol("z", positive=True) if positive else sp.Symbol("z", negative=True)
    g = gamma_symbol
    d = Derivation(f"Leaky ReLU derivative for z {'>' if positive else '<'} 0",
                   "陈强 (15.16)–(15.17)", sp.Derivative(sp.Max(zs, g * zs), zs),
                   definitions={g: 1 / (1 + _gamma_gap)})
    if positive:
        d.then(sp.Derivative(zs, zs), "z > γz when z > 0 and γ < 1, so max(z, γz) = z 陈强 (15.16)")
        d.then(sp.Integer(1), "d z/dz = 1")
    else:
        d.then(sp.Derivative(g * zs, zs), "γz > z when z < 0 and γ < 1, so max(z, γz) = γz 陈强 (15.16)")
        d.then(g, "d(γz)/dz = γ")
    return d


def softplus_derivative() -> Derivation:
    """Softplus′(z) = Λ(z) > 0 (陈强 (15.18) and the claim after it; supplied)."""
    d = Derivation("Derivative of softplus", "陈强 (15.18)", sp.Derivative(sp.log(1 + sp.exp(z)), z),
                   definitions={Lambda_symbol: _logistic()})
    d.then(sp.exp(z) / (1 + sp.exp(z)), "chain rule: (1/(1 + e^z)) · e^z")
    d.then(1 / (1 + sp.exp(-z)), "divide numerator and denominator by e^z")
    d.then(Lambda_symbol, "the sigmoid 陈强 (15.10), which is > 0 for every z")
    return d
