"""Two stacked linear layers are one linear layer (Galeone, ch. 2, §'Activation functions').

Row convention, as nnbook's :class:`~nnbook.layers.Dense`: an input is a row x ∈ ℝ^{1×D}, a
layer's kernel W ∈ ℝ^{D×M}, its bias b ∈ ℝ^{1×M}, and a layer computes O = f(xW + b). With the
identity as f (a "linear activation"), the source's argument — its formulas are lost, so the
steps here are reconstructed — runs

    O₂ = O₁W₂ + b₂ = (xW₁ + b₁)W₂ + b₂ = x(W₁W₂) + (b₁W₂ + b₂) = xW′ + b′,

so any stack of linear layers computes what one layer with W′ = W₁W₂, b′ = b₁W₂ + b₂ computes
(no hidden layer at all, not "one hidden layer" as the source words it). In the column
convention of most textbooks (o = Ax + c, A = Wᵀ) the same collapse reads A′ = A₂A₁,
c′ = A₂c₁ + c₂: :func:`column_form` shows it is the transpose of the row form.
The numbers: :func:`nnbook.analysis.linear_collapse.collapse_linear_layers`.
"""

from __future__ import annotations

import sympy as sp

from nnbook.symbolic.matrices import MatrixDerivation
from nnbook.validation import check_positive

__all__ = ["layer_symbols", "linear_collapse", "column_form"]

SOURCE = "Galeone, ch. 2, §'Activation functions' (reconstructed)"


def layer_symbols(inputs: int = 3, hidden: int = 2, outputs: int = 2) -> dict[str, sp.MatrixSymbol]:
    """The matrix symbols x (1×D), W₁ (D×M), b₁ (1×M), W₂ (M×N), b₂ (1×N) and the collapsed
    W′ (D×N), b′ (1×N), for D = ``inputs``, M = ``hidden``, N = ``outputs``."""
    d, m, n = (check_positive(size, name, integer=True)
               for size, name in ((inputs, "inputs"), (hidden, "hidden"), (outputs, "outputs")))
    return {"x": sp.MatrixSymbol("x", 1, d),
            "W1": sp.MatrixSymbol("W_1", d, m), "b1": sp.MatrixSymbol("b_1", 1, m),
            "W2": sp.MatrixSymbol("W_2", m, n), "b2": sp.MatrixSymbol("b_2", 1, n),
            "W": sp.MatrixSymbol("W'", d, n), "b": sp.MatrixSymbol("b'", 1, n)}


def linear_collapse(inputs: int = 3, hidden: int = 2, outputs: int = 2) -> MatrixDerivation:
    """O₂ = (xW₁ + b₁)W₂ + b₂ = xW₁W₂ + b₁W₂ + b₂ = xW′ + b′, checked entry by entry."""
    s = layer_symbols(inputs, hidden, outputs)
    x, W1, b1, W2, b2, W, b = (s[k] for k in ("x", "W1", "b1", "W2", "b2", "W", "b"))
    d = MatrixDerivation("Two linear layers collapse into one", SOURCE, (x * W1 + b1) * W2 + b2,
                         definitions={W: W1 * W2, b: b1 * W2 + b2})
    d.then(x * W1 * W2 + b1 * W2 + b2, "distribute the product over the sum")
    d.then(x * W + b, "name W' = W1 W2 and b' = b1 W2 + b2: one linear layer")
    return d


def column_form(inputs: int = 3, hidden: int = 2, outputs: int = 2) -> MatrixDerivation:
    """The transposed (column) view: O₂ᵀ = W₂ᵀ(W₁ᵀxᵀ + b₁ᵀ) + b₂ᵀ = (W₂ᵀW₁ᵀ)xᵀ + W₂ᵀb₁ᵀ + b₂ᵀ
    = W′ᵀxᵀ + b′ᵀ: with A = Wᵀ, A′ = A₂A₁ and c′ = A₂c₁ + c₂."""
    s = layer_symbols(inputs, hidden, outputs)
    x, W1, b1, W2, b2, W, b = (s[k] for k in ("x", "W1", "b1", "W2", "b2", "W", "b"))
    d = MatrixDerivation("The collapse in the column convention", SOURCE,
                         sp.Transpose((x * W1 + b1) * W2 + b2),
                         definitions={W: W1 * W2, b: b1 * W2 + b2})
    d.then(W2.T * (W1.T * x.T + b1.T) + b2.T, "transpose: (AB)^T = B^T A^T, (A + B)^T = A^T + B^T")
    d.then(W2.T * W1.T * x.T + W2.T * b1.T + b2.T, "distribute")
    d.then(W.T * x.T + b.T, "W'^T = W2^T W1^T and b'^T = W2^T b1^T + b2^T")
    return d
