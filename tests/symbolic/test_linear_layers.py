"""The collapse of stacked linear layers as a matrix identity."""

import pytest
import sympy as sp

from nnbook.symbolic.linear_layers import column_form, layer_symbols, linear_collapse
from nnbook.symbolic.matrices import entry_matrix


@pytest.mark.parametrize("sizes", [(3, 2, 2), (1, 1, 1), (2, 4, 3)])
def test_the_collapse_holds_entry_by_entry(sizes):
    derivation = linear_collapse(*sizes)
    assert derivation.verify() and derivation.verify_numerically()
    assert column_form(*sizes).verify()


def test_the_collapsed_layer_is_w1w2_and_b1w2_plus_b2_written_out():
    # independent of the derivation: multiply the explicit matrices by hand
    s = layer_symbols(2, 2, 1)
    x, W1, b1, W2, b2 = (entry_matrix(s[k]) for k in ("x", "W1", "b1", "W2", "b2"))
    stacked = ((x * W1 + b1) * W2 + b2)[0, 0]
    x1, x2 = x
    w = W1 * W2                                  # 2×1
    collapsed = x1 * w[0] + x2 * w[1] + (b1 * W2)[0] + b2[0]
    assert sp.expand(stacked - collapsed) == 0


def test_the_printed_chain_names_the_collapsed_layer():
    text = str(linear_collapse())
    assert "x*W'" in text and "b'" in text and "reconstructed" in text
    assert r"\begin{aligned}" in linear_collapse().latex()


def test_layer_sizes_must_be_positive_integers():
    with pytest.raises(ValueError, match="inputs"):
        linear_collapse(0)                 # used to 'verify' an empty identity
    with pytest.raises(TypeError, match="hidden"):
        column_form(3, "2")
