"""Which data an experiment runs on (``nnbook.book.experiments.data``): the fall-back order,
the book's preparation of the arrays, and the data sets recognised by their labels."""

import numpy as np
import pytest

from nnbook.book.experiments.data import KNOWN_SETS, experiment_data, from_arrays

LABELS = np.arange(10)


def _labels_of(known):
    """Labels with ``known``'s per-class counts and first labels (train, test)."""
    parts = []
    for counts, first in ((known.train_counts, known.first_train),
                          (known.test_counts, known.first_test)):
        rest = np.bincount(first, minlength=10)
        tail = np.repeat(LABELS, np.asarray(counts) - rest)
        parts.append(np.concatenate([first, tail]).astype(np.uint8))
    return parts


def test_without_files_the_offline_digits_run_and_say_their_width(empty_cache):
    data = experiment_data()
    assert data.name == "digits" and data.width == 64
    assert "64 wide" in data.note and "784" in data.note
    assert "no MNIST in nnbook's cache" in data.origin and str(empty_cache) in data.origin
    assert data.X_train.dtype == np.float32 and data.Y_train.dtype == np.float32


def test_mnist_format_files_in_the_cache_come_before_the_digits(empty_cache, mnist_format):
    mnist_format(empty_cache / "mnist", LABELS, LABELS[:5], side=3)
    data = experiment_data()
    assert data.width == 9 and len(data.X_train) == 10 and len(data.X_test) == 5
    assert "nnbook's cache" in data.origin
    assert data.name == "mnist-format"      # labels of no known set: orderings only
    assert "no bands" in data.note


def test_data_given_on_the_command_line_comes_first(empty_cache, mnist_format, tmp_path):
    mnist_format(empty_cache / "mnist", LABELS, LABELS, side=3)
    given = mnist_format(tmp_path / "given", LABELS, LABELS, side=2)
    data = experiment_data(given)
    assert data.width == 4 and str(given) in data.origin


def test_a_missing_data_folder_is_an_error_naming_it(empty_cache, tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        experiment_data(tmp_path / "nope")


def test_arrays_are_prepared_as_listing_v1_prepares_them():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    data = from_arrays((images, np.array([3], np.uint8)), (images, np.array([9], np.uint8)),
                       origin="here")
    np.testing.assert_allclose(data.X_train, [[0.0, 1.0, 0.2, 0.4]], rtol=1e-6)
    assert data.X_train.dtype == np.float32 and data.Y_train.dtype == np.float32
    assert data.Y_train.tolist() == [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]
    assert data.Y_test.argmax(axis=1).tolist() == [9]


@pytest.mark.parametrize("known", KNOWN_SETS, ids=lambda k: k.name)
def test_known_sets_are_recognised_by_their_labels(known):
    y_train, y_test = _labels_of(known)
    images = [np.zeros((len(y), 1, 1), np.uint8) for y in (y_train, y_test)]
    data = from_arrays((images[0], y_train), (images[1], y_test), origin="here")
    assert (data.name, data.title) == (known.name, known.title)
    y_train[:2] = y_train[1::-1]            # the same counts, another order: not that set
    if y_train[0] != y_train[1]:
        assert from_arrays((images[0], y_train), (images[1], y_test), "here").name == "mnist-format"


def test_subset_keeps_the_first_examples_and_describe_counts_the_split():
    images = np.arange(60_000 * 4, dtype=np.uint8).reshape(60_000, 2, 2)
    labels = np.arange(60_000) % 10
    data = from_arrays((images, labels), (images[:10_000], labels[:10_000]), "here")
    assert "48,000 / 12,000" in data.describe(0.2) and "10,000 test, 4 inputs" in data.describe(0.2)
    small = data.subset(100, 30)
    assert len(small.X_train) == 100 and len(small.Y_test) == 30
    np.testing.assert_array_equal(small.X_train, data.X_train[:100])
