"""Tests of nnbook.book.grading.numeric: check_array, check_scalar and check_equal pass the right
answer and fail wrong ones with a message naming what was expected and what was found."""

import numpy as np
import pytest

from nnbook.book import grading


def test_check_array_passes_within_tolerance():
    grading.check_array([[1.0, 2.0], [3.0, 4.0 + 1e-9]], [[1, 2], [3, 4]], rtol=1e-7, dtype_kind="f")
    grading.check_array(np.array([1, 0, 1]), [1, 0, 1], dtype_kind="iu")
    grading.check_array([np.nan, 1.0], [np.nan, 1.0])  # NaN where NaN is expected


@pytest.mark.parametrize("found, expected_phrase", [
    (None, "found None"),
    (lambda: 0, "found the function"),
    ("1, 2, 3", "found a string"),
])
def test_check_array_rejects_non_arrays(found, expected_phrase, failure):
    message = failure(grading.check_array, found, np.zeros(3), name="z")
    assert message.startswith("z: expected an array of shape (3,)")
    assert expected_phrase in message
    assert "hint:" in message


def test_check_array_reads_lists_of_exact_numbers(failure):
    from fractions import Fraction

    grading.check_array([Fraction(1, 2), Fraction(1, 4)], [0.5, 0.25])
    message = failure(grading.check_array, [None, 1.0], [0.5, 1.0])
    assert "of numbers" in message and "dtype object" in message


def test_check_array_rejects_ragged_lists(failure):
    message = failure(grading.check_array, [[1, 2], [3]], np.zeros((2, 2)))
    assert "cannot turn into an array" in message


def test_check_array_shape_comes_first(failure):
    message = failure(grading.check_array, np.ones((2, 3), dtype=int), np.zeros((3, 2)), dtype_kind="f")
    assert "expected shape (3, 2), found (2, 3)" in message
    assert "transposed" in message


def test_check_array_dtype_kind_names_both_dtypes(failure):
    message = failure(grading.check_array, np.array([1, 0, 1]), np.array([1.0, 0.0, 1.0]), dtype_kind="f")
    assert "floating-point" in message and "float64" in message and "int64" in message
    message = failure(grading.check_array, np.array([1.0, 0.0]), np.array([1, 0]), dtype_kind="iu")
    assert "signed integer or unsigned integer" in message and "found dtype float64" in message


def test_check_array_reports_nan_where_finite_expected(failure):
    message = failure(grading.check_array, [0.25, np.nan, 0.75], [0.25, 0.5, 0.75])
    assert "found nan at index 1 where the finite value 0.5 was expected" in message
    message = failure(grading.check_array, [[0.0, np.inf]], [[0.0, 1.0]])
    assert "found inf at index (0, 1)" in message


def test_check_array_one_entry_off(failure):
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    found = expected.copy()
    found[1, 2] = 6.5
    message = failure(grading.check_array, found, expected, name="a", rtol=1e-3)
    assert "1 of 6 entries differ" in message
    assert "first difference at index (1, 2): expected 6.0, found 6.5" in message
    assert "rtol=0.001, atol=0" in message


def test_check_array_reports_first_of_several_differences(failure):
    message = failure(grading.check_array, [0.0, 9.0, 2.0, 9.0], [0.0, 1.0, 2.0, 3.0])
    assert "2 of 4 entries differ" in message
    assert "at index 1: expected 1.0, found 9.0" in message
    assert "largest difference: 8" in message
def test_check_scalar_passes_numbers_of_many_kinds():
    grading.check_scalar(0.1 + 0.2, 0.3)
    grading.check_scalar(np.float32(0.5), 0.5, rtol=1e-6)
    grading.check_scalar(np.array(11935), 11935)
    sympy = pytest.importorskip("sympy")
    grading.check_scalar(sympy.Rational(1, 2), 0.5)


def test_check_scalar_failures(failure):
    message = failure(grading.check_scalar, 0.25, 0.5, name="cost")
    assert message.startswith("cost: expected 0.5, found 0.25")
    assert "tolerance" in message and "half the expected value" in message
    assert "sign looks flipped" in failure(grading.check_scalar, -0.5, 0.5)
    assert "found nan" in failure(grading.check_scalar, float("nan"), 0.5)
    assert "found None" in failure(grading.check_scalar, None, 0.5)
    assert "boolean" in failure(grading.check_scalar, True, 1.0)
    message = failure(grading.check_scalar, np.array([0.5]), 0.5)
    assert "shape (1,)" in message and ".item()" in message
    assert "found a list of length 2" in failure(grading.check_scalar, [0.5, 1.0], 0.5)


def test_check_equal(failure):
    grading.check_equal(10, 10)
    grading.check_equal((0, 1), (0, 1))
    grading.check_equal("sigmoid", "sigmoid")
    grading.check_equal(np.int64(4), 4)
    message = failure(grading.check_equal, (1, 0, 1), (1, 1, 1), name="bits")
    assert message.startswith("bits: expected (1, 1, 1), found (1, 0, 1)")
    assert "first difference at position 1: expected 1, found 0" in message
    assert "found a list where a tuple was expected" in failure(grading.check_equal, [1, 2], (1, 2))
    assert "expected True (a bool), found 1 (an int)" in failure(grading.check_equal, 1, True)
    assert "upper/lower case" in failure(grading.check_equal, "Sigmoid ", "sigmoid")
    assert "found None" in failure(grading.check_equal, None, 4)
    message = failure(grading.check_equal, np.array([1, 2]), (1, 2))
    assert "numpy array" in message


def test_check_array_with_array_tolerances(failure):
    """A per-entry atol or rtol: the message shows its value where the first entry differs."""
    grading.check_array([1.05, 2.15], [1.0, 2.0], atol=np.array([0.1, 0.2]))
    message = failure(grading.check_array, [1.0, 2.5], [1.0, 2.0], atol=np.array([0.1, 0.2]))
    assert "first difference at index 1: expected 2.0, found 2.5" in message
    assert "atol=0.2 at index 1 (an array of shape (2,))" in message and "rtol=1e-07" in message
    message = failure(grading.check_array, [[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 5.0]],
                      rtol=np.array([0.5, 0.1]), atol=0)
    assert "rtol=0.1 at index (1, 1) (an array of shape (2,))" in message and "atol=0" in message
