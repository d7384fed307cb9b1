"""nnbook.symbolic.neuron: a sigmoid neuron's partials (Nielsen eq. (5)) and the half adder's
merged edge (Nielsen §1.1, p.5)."""

import pytest
import sympy as sp

from nnbook.symbolic import neuron
from nnbook.symbolic.derivation import DerivationError


def test_both_derivations_verify():
    assert neuron.sigmoid_neuron_partials().verify()
    assert neuron.merged_edge().verify() and neuron.merged_edge().result == -4 * sp.Symbol("s")


def test_a_missing_input_factor_is_caught():
    d = neuron.sigmoid_neuron_partials(2)
    d.then(d.result / sp.Symbol("x1", real=True), "forgot the input factor x₁")
    with pytest.raises(DerivationError, match="forgot the input factor"):
        d.verify()
