"""MatrixDerivation: matrix-valued steps, verified entry by entry (exactly and numerically)."""

import pytest
import sympy as sp

from nnbook.symbolic.derivation import DerivationError
from nnbook.symbolic.linear_layers import layer_symbols
from nnbook.symbolic.matrices import MatrixDerivation, entry_matrix


def test_entry_matrix_writes_out_a_matrix_symbol():
    m = entry_matrix(sp.MatrixSymbol("A", 2, 3))
    assert m.shape == (2, 3) and str(m[1, 2]) == "A_23"


def test_abbreviations_are_expanded_before_comparing():
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    C = sp.MatrixSymbol("C", 2, 2)
    d = MatrixDerivation("distribute", "test", A * (A + B), definitions={C: A * B})
    d.then(A * A + C, "A(A + B) = A² + AB, with C = AB")
    assert d.verify() and d.verify_numerically()


def test_a_wrong_step_is_caught():
    s = layer_symbols()
    x, W1, b1, W2, b2 = (s[k] for k in ("x", "W1", "b1", "W2", "b2"))
    wrong = MatrixDerivation("forgets b1 W2", "test", (x * W1 + b1) * W2 + b2)
    wrong.then(x * W1 * W2 + b2, "drop a term")
    with pytest.raises(DerivationError, match="drop a term"):
        wrong.verify()
    with pytest.raises(DerivationError, match="drop a term"):
        wrong.verify_numerically()
    swapped = MatrixDerivation("the order matters", "test", W1 * W2)
    swapped.then(W2.T * W1.T, "transpose instead")
    with pytest.raises(DerivationError, match="shape"):
        swapped.verify()


