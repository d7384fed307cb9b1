"""Dataset validation and one_hot."""

import numpy as np
import pytest

from nnbook.data import Dataset, one_hot


def small(**changes):
    fields = dict(
        name="tiny",
        X_train=np.full((3, 4), 0.5),
        y_train=np.array([0, 1, 2]),
        X_test=np.zeros((2, 4)),
        y_test=np.array([2, 2]),
        image_shape=(2, 2),
        n_classes=3,
    )
    fields.update(changes)
    return Dataset(**fields)


def test_valid_dataset_and_repr():
    data = small(y_train=np.array([0, 1, 2], dtype=np.uint8), X_test=np.zeros((2, 4), dtype=np.float32))
    assert data.y_train.dtype == np.int64 and data.X_test.dtype == np.float64
    assert (data.n_train, data.n_test, data.n_features) == (3, 2, 4)
    text = repr(data)
    for piece in ("tiny", "3 train", "2 test", "2×2", "3 classes"):
        assert piece in text
    with pytest.raises(AttributeError):
        data.name = "other"


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"X_train": np.zeros((3, 5))}, ValueError, "(n, 4)"),
        ({"y_train": np.array([0, 1])}, ValueError, "3 rows but y_train has 2"),
        ({"X_test": np.array([[0, 0, np.nan, 0]] * 2)}, ValueError, "finite"),
        ({"X_train": np.full((3, 4), 2.0)}, ValueError, "[0, 1]"),
        ({"y_test": np.array([0, 3])}, ValueError, "0 .. 2"),
        ({"y_test": np.array([0.5, 1.0])}, TypeError, "integer"),
        ({"y_test": np.array([[0, 1]])}, ValueError, "1-D"),
        ({"n_classes": 0}, ValueError, "n_classes"),
        ({"image_shape": (2, 3)}, ValueError, "(n, 6)"),
        ({"X_train": np.array([["a"] * 4] * 3)}, TypeError, "dtype"),
    ],
)
def test_invalid_dataset_errors(changes, error, words):
    with pytest.raises(error) as info:
        small(**changes)
    assert words in str(info.value)


def test_one_hot_matches_hand_written():
    expected = np.array([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=float)
    result = one_hot([2, 0, 3], 4)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(one_hot(np.array([1.0, 2.0]), 3), [[0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(one_hot(5, 10), np.eye(10)[5])
    assert one_hot(np.array([], dtype=int), 3).shape == (0, 3)


@pytest.mark.parametrize(
    "labels, n_classes, error, words",
    [
        ([0, 10], 10, ValueError, "found 10 at index 1"),
        ([-1], 10, ValueError, "found -1"),
        ([1.5], 10, TypeError, "integer"),
        (["3"], 10, TypeError, "integer"),
        ([True, False], 10, TypeError, "bool"),
        ([[1, 2]], 10, ValueError, "1-D"),
        ([1], 2.5, TypeError, "n_classes"),
    ],
)
def test_one_hot_errors(labels, n_classes, error, words):
    with pytest.raises(error) as info:
        one_hot(labels, n_classes)
    assert words in str(info.value)
