"""nnbook.analysis.separability: an exact proof that XOR is not linearly separable (陈强 §15.2),
and a brute-force sweep that agrees."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy

from nnbook.analysis.separability import (
    brute_force_separators,
    separability_certificate,
    xor_separability_certificate,
)
from nnbook.models.logic_gates import gate_dataset
from nnbook.models.perceptron import xor_network

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_xor_certificate_verifies_in_exact_arithmetic():
    cert = xor_separability_certificate()
    assert cert.holds
    lam = [Fraction(int(v)) for v in cert.multipliers]
    assert all(v >= 0 for v in lam) and sum(lam) > 0
    # independent check: Σ λ_i y_i (x_i1, x_i2, 1) = 0 with the XOR labels from the bit operator
    total = [Fraction(0)] * 3
    for lam_i, (a, b) in zip(lam, BITS):
        yi = 1 if a ^ b else -1
        for k, v in enumerate((a, b, 1)):
            total[k] += lam_i * yi * v
    assert total == [0, 0, 0]
    # and the same with fresh sympy symbols
    w1, w2, bias = sympy.symbols("w1 w2 b")
    forms = [(1 if a ^ b else -1) * (w1 * a + w2 * b + bias) for a, b in BITS]
    assert sympy.expand(sum(int(v) * f for v, f in zip(cert.multipliers, forms))) == 0
    assert "impossible" in cert.explain()


@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
def test_no_certificate_for_separable_gates(name):
    assert separability_certificate(*gate_dataset(name)) is None


def test_brute_force_sweep_agrees():
    assert brute_force_separators(*gate_dataset("XOR")) == 0
    for name in ("AND", "OR", "NAND"):
        assert brute_force_separators(*gate_dataset(name)) > 0
    # a separator found by hand for AND: x1 + x2 − 1.5 (it is on the default grid)
    X, y = gate_dataset("AND")
    assert np.all(y * (X @ np.array([1.0, 1.0]) - 1.5) > 0)
    # XOR stays unseparated on a much finer grid too
    assert brute_force_separators(*gate_dataset("XOR"), values=np.linspace(-3, 3, 61)) == 0


def test_xor_network_boundary_is_not_a_half_plane():
    # on the corners the network's labels are XOR's, which no single line produces: the
    # certificate search applied to the network's own outputs finds a proof
    net = xor_network()
    grid = np.array(list(itertools.product(np.linspace(0, 1, 11), repeat=2)))
    inside = net.output(grid).ravel() == 1
    assert inside.any() and (~inside).any()
    assert separability_certificate(grid[[0, 10, 110, 120]],
                                    np.where(net.output(grid[[0, 10, 110, 120]]).ravel() == 1, 1, -1))
