"""Linear separability, proved: exact certificates that no hyperplane separates the data.

陈强 §15.2's example: one perceptron learns AND, OR and NAND but not XOR (figure 15.3), because
no line separates XOR's TRUE points from its FALSE ones. A perceptron failing to converge only
suggests this; Gordan's alternative proves it. If rational multipliers λ_i ≥ 0, not all 0, make
Σ λ_i y_i x̃_i = 0 (x̃ = (x, 1)), then Σ λ_i y_i (w'x_i + b) is 0 for every (w, b), while a
separating (w, b) would make it > 0. :func:`separability_certificate` finds such λ in exact
arithmetic (sympy); :func:`brute_force_separators` is an independent sweep over a grid.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from nnbook.models.logic_gates import gate_dataset
from nnbook.models.perceptron_learning import check_signed_labels
from nnbook.validation import as_float_array


@dataclass(frozen=True)
class SeparabilityCertificate:
    """Exact proof that no (w, b) separates labelled points (Gordan's alternative).

    forms : the sympy linear forms ℓ_i(w, b) = y_i (w'x_i + b), one per point; separation needs
        ℓ_i > 0 for every i (or ℓ_i ≥ 0 for y_i = +1 under sign(0) = +1 陈强 (15.8), with the −1
        points strict).

    multipliers : rational λ_i ≥ 0, not all 0.
    combination : Σ λ_i ℓ_i expanded — identically 0.

    A separating (w, b) would make the combination > 0 (every weighted term ≥ 0 and one with
    λ_i > 0 on a strict inequality is > 0), yet it equals 0: no such (w, b) exists.
    """

    points: tuple
    labels: tuple
    forms: tuple
    multipliers: tuple
    combination: object

    @property
    def holds(self) -> bool:
        """True when every check of the proof passes (recomputed, exact arithmetic)."""
        import sympy

        nonneg = all(lam >= 0 for lam in self.multipliers)
        strict_used = any(lam > 0 and y == -1 for lam, y in zip(self.multipliers, self.labels))
        total = sympy.expand(sum(lam * f for lam, f in zip(self.multipliers, self.forms)))
        return bool(nonneg and strict_used and total == 0)

    def explain(self) -> str:
        lines = [f"  {lam} × ({f}) {'>' if y == -1 else '≥'} 0"
                 for lam, f, y in zip(self.multipliers, self.forms, self.labels)]
        return ("If (w, b) separated the points, then\n" + "\n".join(lines)
                + "\nand adding them would give a number > 0; but the weighted sum is "
                f"{self.combination} for every (w, b): impossible.")


def separability_certificate(X, y):
    """Search, in exact rational arithmetic, for a proof that (X, y) is not linearly separable.

    Builds the matrix A (p+1, n) with columns y_i x̃_i (x̃ = (x, 1)) and takes its null space
    with sympy. When the null space is one-dimensional and spanned by a vector of one sign,
    that vector (scaled to non-negative integers) is the certificate: Σ λ_i y_i x̃_i = 0.
    Returns a :class:`SeparabilityCertificate`, or None when the null space has no such vector
    (for instance AND/OR/NAND, which are separable). Raises ValueError when the null space has
    dimension > 1 (this exact search does not cover that case).
    """
    import sympy

    X, y = check_signed_labels(X, y)
    n, p = X.shape
    rows = [[Fraction(v).limit_denominator() for v in row] for row in X]
    A = sympy.Matrix([[sympy.Rational(y[i]) * sympy.Rational(v) for v in list(rows[i]) + [1]]
                      for i in range(n)]).T
    null = A.nullspace()
    if len(null) == 0:
        return None
    if len(null) > 1:
        raise ValueError(f"the null space of the {p + 1}×{n} constraint matrix has dimension "
                         f"{len(null)}; this exact search handles dimension 1 only")
    vector = null[0]
    if all(v <= 0 for v in vector):
        vector = -vector
    if not all(v >= 0 for v in vector):
        return None
    denominators = [sympy.fraction(v)[1] for v in vector]
    vector = vector * sympy.ilcm(*denominators)
    vector = vector / sympy.igcd(*[int(v) for v in vector])
    symbols = sympy.symbols(f"w1:{p + 1}") + (sympy.Symbol("b"),)
    forms = tuple(sympy.expand(int(y[i]) * (sum(sympy.Rational(rows[i][k]) * symbols[k]
                                                for k in range(p)) + symbols[-1]))
                  for i in range(n))
    multipliers = tuple(sympy.Integer(v) for v in vector)
    combination = sympy.expand(sum(lam * f for lam, f in zip(multipliers, forms)))
    return SeparabilityCertificate(tuple(tuple(r) for r in rows), tuple(int(v) for v in y),
                                   forms, multipliers, combination)


def xor_separability_certificate() -> SeparabilityCertificate:
    """Proof by code that no (w, b) separates XOR (陈强 §15.2 例, figure 15.3).

    The four conditions y_i (w1 x_i1 + w2 x_i2 + b) > 0 read −b > 0, w2 + b > 0, w1 + b > 0,
    −w1 − w2 − b > 0; the null-space search finds the multipliers (1, 1, 1, 1), whose sum of
    the four forms is identically 0 — so 0 > 0. Checked with sympy in exact arithmetic.
    """
    certificate = separability_certificate(*gate_dataset("XOR"))
    if certificate is None or not certificate.holds:  # pragma: no cover - a broken proof
        raise AssertionError("the XOR certificate did not verify")
    return certificate


def brute_force_separators(X, y, values=None) -> int:
    """Count the (w, b) on the grid values^(p+1) with y_i (w'x_i + b) > 0 for every i.

    A sanity sweep beside the exact certificate: 0 for XOR, > 0 for AND/OR/NAND on the
    default grid values = −2, −1.75, …, 2 (step 0.25).
    """
    X, y = check_signed_labels(X, y)
    values = np.linspace(-2.0, 2.0, 17) if values is None else as_float_array(values, "values",
                                                                                ndim=1)
    grid = np.array(list(itertools.product(values, repeat=X.shape[1] + 1)))  # (g, p+1)
    margins = y[None, :] * (grid[:, :-1] @ X.T + grid[:, -1:])
    return int(np.count_nonzero(np.all(margins > 0, axis=1)))
