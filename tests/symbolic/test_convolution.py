"""Convolution identities in sympy: the 1×1×D reduction, N filters = a per-pixel dense layer,
and commutativity by substitution — verified symbolically and compared with the numbers of
nnbook.functional.convolution."""

import numpy as np
import pytest
import sympy as sp

from nnbook.functional.convolution import conv1x1, correlate_volume
from nnbook.symbolic.convolution import (
    IMAGE,
    KERNEL,
    convolution_commutes,
    i,
    j,
    one_by_one_filters,
    one_by_one_reduction,
)
from nnbook.symbolic.derivation import Derivation, DerivationError


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_one_by_one_reduction_verifies(depth):
    assert one_by_one_reduction(depth).verify()


@pytest.mark.parametrize("depth,filters", [(3, 2), (4, 1), (2, 5)])
def test_one_by_one_filters_verify(depth, filters):
    assert one_by_one_filters(depth, filters).verify()


@pytest.mark.parametrize("length", [1, 3, 6])
def test_commutativity_verifies(length):
    assert convolution_commutes(length).verify()


def test_correlation_does_not_commute():
    # sliding without a flip: Σ f(m) g(n + m) is not Σ g(m) f(n + m) in general
    f, g = sp.Function("f"), sp.Function("g")
    m, n = sp.symbols("m n", integer=True)
    wrong = Derivation("correlation swapped", "test", sp.Sum(f(m) * g(n + m), (m, 0, 2)))
    wrong.then(sp.Sum(g(m) * f(n + m), (m, 0, 2)), "swap the roles")
    with pytest.raises(DerivationError, match="swap the roles"):
        wrong.verify()


def test_the_reduction_gives_the_numbers_of_correlate_volume():
    rng = np.random.default_rng(0)
    depth = 3
    volume, kernel = rng.standard_normal((depth, 4, 5)), rng.standard_normal((depth, 1, 1))
    maps = correlate_volume(volume, kernel)                   # (4, 5)
    result = one_by_one_reduction(depth).result
    for row, col in [(0, 0), (2, 3), (3, 4)]:
        values = {IMAGE[i, j, c]: volume[c, row, col] for c in range(depth)}
        values.update({KERNEL[0, 0, c]: kernel[c, 0, 0] for c in range(depth)})
        assert float(result.xreplace(values)) == pytest.approx(maps[row, col], abs=1e-12)


def test_the_filter_matrix_gives_the_numbers_of_conv1x1():
    rng = np.random.default_rng(1)
    depth, filters = 3, 2
    derivation = one_by_one_filters(depth, filters)
    x, kernels = rng.standard_normal((depth, 2, 2)), rng.standard_normal((filters, depth))
    out = conv1x1(x, kernels.T)                               # W = Kᵀ: column n is filter n
    pixel = derivation.explicit(derivation.lhs)               # the N sums, written out
    values = {IMAGE[i, j, c]: x[c, 1, 0] for c in range(depth)}
    values.update({KERNEL[n, c]: kernels[n, c] for n in range(filters) for c in range(depth)})
    np.testing.assert_allclose(np.array(pixel.xreplace(values), dtype=float)[0], out[:, 1, 0])


@pytest.mark.parametrize("build, error", [
    (lambda: one_by_one_reduction(0), ValueError), (lambda: one_by_one_filters(3, 0), ValueError),
    (lambda: one_by_one_reduction("3"), TypeError), (lambda: convolution_commutes(2.5), TypeError),
])
def test_sizes_must_be_positive_integers(build, error):
    with pytest.raises(error, match="expected"):
        build()
