"""Derivations about losses: binary cross-entropy through a sigmoid, softmax with cross-entropy.

陈强 (15.23) and §15.10/§15.15: the output-layer δ of both pairs is p − y (supplied: 陈强 names
the losses but does not differentiate them).
"""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.activations import Lambda_symbol, sigmoid_expr, y_symbol, z
from nnbook.symbolic.derivation import Derivation


def binary_cross_entropy_gradient() -> Derivation:
    """∂/∂z of −[y ln Λ(z) + (1 − y) ln(1 − Λ(z))] = Λ(z) − y: 陈强 (15.23) with a sigmoid
    output."""
    s, y, lam = sigmoid_expr(z), y_symbol, Lambda_symbol
    loss = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    d = Derivation("Binary cross-entropy through a sigmoid output", "陈强 (15.23), supplied",
                   sp.Derivative(loss, z), definitions={lam: s})
    d.then(sp.Mul(-y / lam + (1 - y) / (1 - lam), lam * (1 - lam), evaluate=False),
           "chain rule: ∂ℓ/∂Λ · Λ′, with Λ′ = Λ(1 − Λ) 陈强 (15.11)")
    d.then(-y * (1 - lam) + (1 - y) * lam, "cancel Λ and 1 − Λ")
    d.then(lam - y, "multiply out: the output-layer δ is ŷ − y")
    return d


def _softmax_symbols(n_classes: int):
    zs = sp.symbols(f"z1:{n_classes + 1}", real=True)
    ps = sp.symbols(f"p1:{n_classes + 1}", positive=True)
    denominator = sum(sp.exp(v) for v in zs)
    definitions = {p: sp.exp(v) / denominator for p, v in zip(ps, zs)}
    return zs, ps, definitions


def softmax_jacobian_entry(k: int = 1, j: int = 2, n_classes: int = 3) -> Derivation:
    """∂p_k/∂z_j = p_k(1[k = j] − p_j) for the softmax p_k = e^{z_k}/Σ e^{z_i} (the middle step of
    :func:`softmax_cross_entropy_gradient`)."""
    if not (1 <= k <= n_classes and 1 <= j <= n_classes):
        raise ValueError(f"k and j must be class numbers 1..{n_classes}; found k={k}, j={j}")
    zs, ps, definitions = _softmax_symbols(n_classes)
    d = Derivation(f"Softmax Jacobian entry ∂p_{k}/∂z_{j}", "陈强 §15.10 (softmax), supplied",
                   sp.Derivative(definitions[ps[k - 1]], zs[j - 1]), definitions=definitions)
    kron = 1 if k == j else 0
    d.then(ps[k - 1] * (kron - ps[j - 1]), "quotient rule; e^{z_k}/Σ e^{z_i} = p_k")
    return d


def softmax_cross_entropy_gradient(n_classes: int = 3, j: int = 1) -> Derivation:
    """∂/∂z_j of −Σ_k y_k ln softmax(z)_k = p_j − y_j for one-hot y (陈强 names only
    softmax and ``categorical_crossentropy``)."""
    if not 1 <= j <= n_classes:
        raise ValueError(f"j must be a class number 1..{n_classes}; found {j}")
    zs, ps, definitions = _softmax_symbols(n_classes)
    ys = sp.symbols(f"y1:{n_classes + 1}", real=True)
    definitions[ys[-1]] = 1 - sum(ys[:-1])  # one-hot (or any distribution): Σ_k y_k = 1
    loss = -sum(y * sp.log(definitions[p]) for y, p in zip(ys, ps))
    d = Derivation(f"Softmax + cross-entropy gradient ∂ℓ/∂z_{j}", "陈强 §15.10, §15.15, supplied",
                   sp.Derivative(loss, zs[j - 1]), definitions=definitions)
    d.then(-sum(y * ((1 if k == j - 1 else 0) - ps[j - 1]) for k, y in enumerate(ys)),
           "∂ ln p_k/∂z_j = 1[k = j] − p_j (the Jacobian divided by p_k)")
    d.then(ps[j - 1] * sum(ys) - ys[j - 1], "collect the terms in p_j")
    d.then(ps[j - 1] - ys[j - 1], "Σ_k y_k = 1 for a one-hot y")
    return d
