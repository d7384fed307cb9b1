"""Derivations whose steps are matrices: :class:`MatrixDerivation`.

A :class:`~nnbook.symbolic.derivation.Derivation` compares scalar steps. Here every step is a
matrix expression in ``sympy.MatrixSymbol`` s (x W₁ W₂ + b₁ W₂ + b₂ reads as in the text); to
verify it, each matrix symbol is replaced by an explicit matrix of entry symbols (x ↦
[x₁₁ x₁₂ …]) and the steps must agree entry by entry. ``definitions`` abbreviate matrix
expressions (W′ ↦ W₁W₂) and are expanded first. The sizes are concrete, but nothing in an
identity like (xW₁ + b₁)W₂ = x(W₁W₂) + b₁W₂ depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from nnbook.symbolic.derivation import Derivation, DerivationError

__all__ = ["MatrixDerivation", "entry_matrix"]


def entry_matrix(symbol: sp.MatrixSymbol) -> sp.ImmutableMatrix:
    """An explicit matrix of real entry symbols for a matrix symbol: W ↦ [[W_11, W_12], …]."""
    rows, cols = symbol.shape
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{symbol.name}_{i + 1}{j + 1}",
                                                                  real=True))


@dataclass
class MatrixDerivation(Derivation):
    """A :class:`Derivation` of matrix expressions, verified entry by entry."""

    def explicit(self, expr) -> sp.ImmutableMatrix:
        """``expr`` with abbreviations expanded and every matrix symbol written out."""
        expr = sp.sympify(expr)
        for _ in range(len(self.definitions) + 1):          # abbreviations may nest
            expr = expr.xreplace(self.definitions)
        symbols = {s: entry_matrix(s) for s in expr.atoms(sp.MatrixSymbol)}
        return sp.ImmutableMatrix(expr.xreplace(symbols).doit())

    def _difference(self, before, after) -> str | None:
        """None when the two matrix expressions agree in every entry (exactly), else what
        differs; :meth:`Derivation.verify` walks the steps."""
        before, after = self.explicit(before), self.explicit(after)
        if before.shape != after.shape:
            return f"its shape {after.shape} differs from {before.shape}"
        difference = (before - after).applyfunc(sp.expand)
        if any(entry != 0 for entry in difference):
            return f"their difference is {sp.sstr(difference)}"
        return None

    def verify_numerically(self, rng: np.random.Generator | None = None, points: int = 3,
                           tol: float = 1e-10) -> bool:
        """Each step equals the one before at ``points`` random values of the entries."""
        rng = np.random.default_rng(0) if rng is None else rng
        if not self.steps:
            raise DerivationError(f"{self.title}: a derivation needs at least one step")
        exprs = [self.explicit(e) for e in [self.lhs] + [s.expr for s in self.steps]]
        symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=sp.default_sort_key)
        evaluate = [sp.lambdify(symbols, e, "numpy") for e in exprs]
        for _ in range(points):
            values = rng.standard_normal(len(symbols))
            results = [np.asarray(f(*values), dtype=float) for f in evaluate]
            for number in range(1, len(results)):
                if not np.allclose(results[number], results[number - 1], rtol=tol, atol=tol):
                    step = self.steps[number - 1]
                    raise DerivationError(f"{self.title}, step {number} ({step.reason}): "
                                          f"{sp.sstr(step.expr)} differs numerically from the "
                                          "previous expression")
        return True
