"""load_digits: the offline 8×8 stand-in for MNIST."""

import numpy as np
import pytest

from nnbook.data import Dataset, load_digits, stratified_split


def rows_as_sorted_bytes(X):
    return sorted(row.tobytes() for row in np.ascontiguousarray(X))


def test_shapes_dtypes_and_range():
    data = load_digits()
    assert isinstance(data, Dataset) and data.name == "digits"
    assert data.n_train + data.n_test == 1797
    assert data.X_train.shape == (data.n_train, 64) and data.X_test.shape == (data.n_test, 64)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype == np.int64
    assert data.image_shape == (8, 8) and data.n_classes == 10
    assert data.X_train.min() == 0.0 and data.X_train.max() == 1.0
    # values are k/16 for whole k
    np.testing.assert_array_equal(data.X_train * 16, np.round(data.X_train * 16))
    assert abs(data.n_test - 0.2 * 1797) <= 10  # rounding once per class


def test_same_images_as_scikit_learn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    reference = sklearn_datasets.load_digits()
    data = load_digits(seed=3)
    X = np.vstack([data.X_train, data.X_test])
    y = np.concatenate([data.y_train, data.y_test])
    assert rows_as_sorted_bytes(np.column_stack([X * 16, y])) == rows_as_sorted_bytes(
        np.column_stack([reference.data, reference.target]).astype(np.float64)
    )


def test_split_is_deterministic_per_seed():
    a, b, c = load_digits(seed=7), load_digits(seed=7), load_digits(seed=8)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_train, c.y_train)


def test_split_is_stratified():
    data = load_digits(test_size=0.25, seed=1)
    full = np.bincount(np.concatenate([data.y_train, data.y_test]), minlength=10)
    test = np.bincount(data.y_test, minlength=10)
    assert (test > 0).all() and (np.bincount(data.y_train, minlength=10) > 0).all()
    np.testing.assert_allclose(test, 0.25 * full, atol=0.5 + 1e-9)


def test_split_does_not_touch_global_random_state():
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    load_digits(seed=0)
    assert np.random.random() == before


def test_stratified_split_partitions_indices():
    labels = np.array([0] * 5 + [1] * 3 + [2] * 2)
    train, test = stratified_split(labels, 0.4, np.random.default_rng(0))
    assert sorted(np.concatenate([train, test])) == list(range(10))
    # round(0.4*5)=2, round(0.4*3)=1, round(0.4*2)=1 (at least one on each side)
    np.testing.assert_array_equal(np.bincount(labels[test]), [2, 1, 1])


@pytest.mark.parametrize("bad, error", [(0.0, ValueError), (1.0, ValueError), ("0.2", TypeError)])
def test_bad_test_size(bad, error):
    with pytest.raises(error, match="test_size"):
        load_digits(test_size=bad)


def test_bad_seed():
    with pytest.raises(TypeError, match="seed"):
        load_digits(seed=1.5)
