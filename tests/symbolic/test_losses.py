"""nnbook.symbolic.losses: binary cross-entropy through a sigmoid (陈强 (15.23)) and softmax with
cross-entropy (§15.10, §15.15) both give the output δ p − y; a slip is caught."""

import pytest
import sympy as sp

from nnbook.symbolic import losses as L
from nnbook.symbolic.activations import Lambda_symbol, y_symbol, z
from nnbook.symbolic.derivation import DerivationError

LAM = 1 / (1 + sp.exp(-z))


def test_bce_and_softmax_ce_end_at_p_minus_y():
    bce = L.binary_cross_entropy_gradient()
    assert bce.verify()
    assert sp.simplify((bce._expand(bce.result) - (LAM - y_symbol)).rewrite(sp.exp)) == 0
    p1, y1 = sp.Symbol("p1", positive=True), sp.Symbol("y1", real=True)
    assert L.softmax_cross_entropy_gradient().result == p1 - y1


def test_softmax_cross_entropy_gradient_for_every_class_and_four_classes():
    for j in (1, 2, 3, 4):
        assert L.softmax_cross_entropy_gradient(n_classes=4, j=j).verify()
    zs = sp.symbols("z1:4", real=True)
    p = [sp.exp(v) / sum(sp.exp(u) for u in zs) for v in zs]
    for k in range(3):
        for j in range(3):
            expected = p[k] * ((1 if k == j else 0) - p[j])
            assert sp.simplify(sp.diff(p[k], zs[j]) - expected) == 0
            assert L.softmax_jacobian_entry(k + 1, j + 1).verify()


@pytest.mark.parametrize("build, wrong", [
    (L.binary_cross_entropy_gradient, y_symbol - Lambda_symbol),
    (L.softmax_cross_entropy_gradient, sp.Symbol("p1", positive=True) + sp.Symbol("y1", real=True)),
], ids=["bce", "softmax-ce"])
def test_a_wrong_final_step_is_caught(build, wrong):
    d = build()
    d.then(wrong, "a plausible slip")
    with pytest.raises(DerivationError, match="a plausible slip"):
        d.verify()


def test_class_numbers_are_checked():
    with pytest.raises(ValueError, match="class number"):
        L.softmax_cross_entropy_gradient(3, 4)
    with pytest.raises(ValueError, match="class numbers"):
        L.softmax_jacobian_entry(0, 1)
