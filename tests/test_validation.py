"""nnbook.validation: input checks that say what was expected and what was found."""

import numpy as np
import pytest

from nnbook.validation import as_float_array, check_matching_rows, check_positive


def test_arrays_become_float64_and_keep_their_shape():
    a = as_float_array([[1, 2], [3, 4]], "x", ndim=2)
    assert a.dtype == np.float64 and a.shape == (2, 2)
    assert as_float_array(np.array([True, False]), "mask").tolist() == [1.0, 0.0]
    assert np.isnan(as_float_array([np.nan], "x", allow_nan=True)[0])


@pytest.mark.parametrize("value, error, message", [
    ("abc", TypeError, "x: expected an array of numbers, found str"),
    (None, TypeError, "found NoneType"),
    ([[1, 2], [3]], ValueError, "could not turn"),
    (np.array(["a"], dtype=object), TypeError, "dtype object"),
    (np.array([1j]), TypeError, "complex"),
    ([1.0, np.inf], ValueError, r"finite numbers, found inf at index \(1,\)"),
])
def test_bad_arrays_are_named_with_what_was_found(value, error, message):
    with pytest.raises(error, match=message):
        as_float_array(value, "x")


def test_dimensionality_is_checked():
    with pytest.raises(ValueError, match=r"expected a 1-D or 2-D array, found shape \(1, 1, 1\)"):
        as_float_array(np.zeros((1, 1, 1)), "x", ndim=(1, 2))


def test_positive_scalars():
    assert check_positive(3, "n", integer=True) == 3
    assert check_positive(0, "k", integer=True, allow_zero=True) == 0
    for bad, error in ((0, ValueError), (-1.0, ValueError), (True, TypeError), (1.5, TypeError),
                       (float("nan"), ValueError)):
        with pytest.raises(error):
            check_positive(bad, "n", integer=not isinstance(bad, float) or bad == 1.5)
    with pytest.raises(ValueError, match=r">= 0"):
        check_positive(-1, "k", allow_zero=True)


def test_rows_must_match():
    check_matching_rows(np.zeros((3, 2)), np.zeros(3), "X", "y")
    with pytest.raises(ValueError, match="X has 3 rows but y has 2"):
        check_matching_rows(np.zeros((3, 2)), np.zeros(2), "X", "y")


@pytest.mark.parametrize("n", [10, 5000])            # small arrays: np.isfinite; large: one sum
def test_all_finite_finds_nan_and_infinity_also_when_the_sum_overflows(n):
    """Large arrays are summed once (no temporary array) and looked at entry by entry only when
    the sum is not finite: an overflow of finite numbers must not count as an infinity."""
    from nnbook.validation import all_finite

    assert all_finite(np.zeros((3, 4))) and all_finite(np.zeros((0, 3)))
    assert all_finite(np.full(n, 1e308))                        # Σ = inf, every entry finite
    assert all_finite(np.full(n, 3e38, dtype=np.float32))       # the same in float32
    for bad in (np.nan, np.inf, -np.inf):
        x = np.full(n, 1e308)
        x[7] = bad
        assert not all_finite(x)
    mixed = np.array([np.inf, -np.inf, 1.0])                    # Σ = NaN
    assert not all_finite(mixed)
    with pytest.raises(ValueError, match=r"found inf at index \(2,\)"):
        as_float_array([1e308, 1e308, np.inf], "x")

