"""Convolution identities as sympy derivations (Galeone, ch. 2, §'The convolution operator',
§'2D convolutions among volumes', §'1 x 1 x D convolutions').

The source's formulas are lost images; the volume formula used here is a reconstruction:

    O(i, j) = Σ_{d} Σ_{u=0}^{k−1} Σ_{v=0}^{k−1} I(i + u, j + v, d) K(u, v, d)

(a volume W×H×D indexed I(row, column, depth) as in the text; nnbook's arrays store it as
(D, H, W)). Three derivations:

* :func:`one_by_one_reduction` — with k = 1 a filter meets one pixel: O(i, j) = Σ_d I(i, j, d) K(d),
  the dot product of the pixel's depth vector with the filter;
* :func:`one_by_one_filters` — N such filters side by side give O(i, j, :) = I(i, j, :) W with
  W ∈ ℝ^{D×N}: a dense layer applied at every pixel (numbers: :func:`nnbook.functional.
  convolution.conv1x1`);
* :func:`convolution_commutes` — (f * g)[n] = (g * f)[n] by the substitution k = n − m, for a
  signal f that is zero outside 0 … L − 1 (so the sums are finite and sympy checks them).
"""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.derivation import Derivation
from nnbook.symbolic.matrices import MatrixDerivation
from nnbook.validation import check_positive

__all__ = ["one_by_one_reduction", "one_by_one_filters", "convolution_commutes"]

i, j = sp.symbols("i j", integer=True)
d, u, v = sp.symbols("d u v", integer=True, nonnegative=True)
IMAGE = sp.IndexedBase("I", real=True)
KERNEL = sp.IndexedBase("K", real=True)


def one_by_one_reduction(depth: int = 3) -> Derivation:
    """The volume formula with k = 1 is the dot product of I(i, j, :) with the filter."""
    check_positive(depth, "depth", integer=True)
    k = 1
    volume_sum = sp.Sum(IMAGE[i + u, j + v, d] * KERNEL[u, v, d],
                        (d, 0, depth - 1), (u, 0, k - 1), (v, 0, k - 1))
    derivation = Derivation("A 1×1×D filter is a dot product across the depth",
                            "Galeone, ch. 2, §'1 x 1 x D convolutions' (reconstructed)", volume_sum)
    derivation.then(sp.Sum(IMAGE[i, j, d] * KERNEL[0, 0, d], (d, 0, depth - 1)),
                    "k = 1: u and v take the single value 0")
    pixel = sp.Matrix([[IMAGE[i, j, c] for c in range(depth)]])
    weights = sp.Matrix([KERNEL[0, 0, c] for c in range(depth)])
    derivation.then((pixel * weights)[0, 0], "the row I(i, j, :) times the column K(0, 0, :)")
    return derivation


def one_by_one_filters(depth: int = 3, filters: int = 2) -> MatrixDerivation:
    """N filters of size 1×1×D: the output pixel O(i, j, :) is I(i, j, :) W, W[d, n] = Kₙ(d)."""
    check_positive(depth, "depth", integer=True)
    check_positive(filters, "filters", integer=True)
    n_filter = KERNEL                                    # K[n, d]: filter n, depth d
    per_filter = sp.ImmutableMatrix([[sp.Sum(IMAGE[i, j, d] * n_filter[n, d], (d, 0, depth - 1))
                                      for n in range(filters)]])
    pixel = sp.MatrixSymbol("I_ij", 1, depth)
    W = sp.MatrixSymbol("W", depth, filters)
    definitions = {pixel: sp.ImmutableMatrix([[IMAGE[i, j, c] for c in range(depth)]]),
                   W: sp.ImmutableMatrix(depth, filters, lambda r, c: n_filter[c, r])}
    derivation = MatrixDerivation("N filters of size 1×1×D are a dense layer at every pixel",
                                  "Galeone, ch. 2, §'1 x 1 x D convolutions' (reconstructed)",
                                  per_filter, definitions=definitions)
    derivation.then(pixel * W, "stack the N dot products: column n of W holds filter n")
    return derivation


def convolution_commutes(length: int = 4) -> Derivation:
    """(f * g)[n] = Σ_m f[m] g[n − m] = Σ_k f[n − k] g[k] = (g * f)[n], f zero outside 0 … L−1.

    The substitution k = n − m runs over the same indices in reverse, so the sum is unchanged
    (Galeone, ch. 2, §'The convolution operator' states the commutativity without proof).
    """
    check_positive(length, "length", integer=True)
    f, g = sp.Function("f"), sp.Function("g")
    m, k, n = sp.symbols("m k n", integer=True)
    f_star_g = sp.Sum(f(m) * g(n - m), (m, 0, length - 1))
    derivation = Derivation("Discrete convolution commutes",
                            "Galeone, ch. 2, §'The convolution operator'", f_star_g)
    g_star_f = f_star_g.change_index(m, n - m, k)
    derivation.then(g_star_f, "substitute k = n - m (m = 0 ... L-1 becomes k = n-L+1 ... n): "
                              "the sum of g[k] f[n - k] over every k where f[n - k] can be "
                              "non-zero, i.e. (g * f)[n]")
    derivation.then(g_star_f.doit(), "written out: the same L products")
    return derivation
