"""nnbook.train.metrics: accuracy for one-hot, binary and regression targets."""

import numpy as np
import pytest

from nnbook.train.metrics import accuracy


def test_accuracy_of_one_hot_targets_is_the_argmax_agreement():
    output = np.array([[0.1, 0.9], [0.8, 0.2], [0.4, 0.6]])
    Y = np.array([[0, 1], [0, 1], [0, 1]])
    assert accuracy(output, Y) == 2 / 3


def test_binary_targets_are_thresholded_at_one_half_or_zero_for_logits():
    output = np.array([[0.6], [0.4], [-0.1]])
    Y = np.array([[1.0], [0.0], [0.0]])
    assert accuracy(output, Y) == 1.0
    assert accuracy(output, Y, from_logits=True) == 2 / 3      # the logit 0.4 reads as class 1
    assert accuracy(np.array([[0.2]]), np.array([[1.0]]), from_logits=True) == 1.0
    assert accuracy(np.array([[0.2]]), np.array([[1.0]])) == 0.0


def test_regression_targets_have_no_accuracy():
    assert accuracy(np.array([[0.5]]), np.array([[0.3]])) is None
    assert accuracy(np.array([[1.0, 0.0]]), np.array([[1.0]])) is None


def test_a_fit_loop_reads_the_classes_once_and_counts_each_batch():
    """target_classes + count_correct, batch by batch, give accuracy's count exactly."""
    from nnbook.train.metrics import count_correct, target_classes

    rng = np.random.default_rng(3)
    output, Y = rng.random((10, 3)), np.eye(3)[rng.integers(0, 3, 10)]
    classes = target_classes(Y)
    counts = [count_correct(output[i:i + 4], classes[i:i + 4]) for i in range(0, 10, 4)]
    assert sum(counts) / 10 == accuracy(output, Y)
    column = np.array([[1.0], [0.0], [1.0]])
    assert target_classes(column).tolist() == [True, False, True]
    assert count_correct(np.array([[0.3], [-0.2], [0.9]]), target_classes(column),
                         from_logits=True) == 3
    assert target_classes(np.array([[0.5, 0.5]])) is None and target_classes(np.ones(3)) is None


def test_confusion_matrix_precision_and_recall_by_hand():
    """A toy case counted by hand: 4 true positives, 1 false positive, 2 false negatives, 3 TN."""
    from nnbook.train.metrics import confusion_matrix, precision, recall

    y_true = [1, 1, 1, 1, 0, 1, 1, 0, 0, 0]
    y_pred = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), [[3, 1], [2, 4]])
    assert precision(y_true, y_pred) == 4 / 5            # of the 5 predicted positive, 4 are
    assert recall(y_true, y_pred) == 4 / 6               # of the 6 positives, 4 are found
    assert precision(y_true, [0] * 10) == 0.0 and recall([0] * 10, y_pred) == 0.0


def test_rows_and_probabilities_are_read_as_classes():
    from nnbook.train.metrics import confusion_matrix, precision

    one_hot = np.eye(3)[[0, 2, 1, 2]]
    scores = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.5, 0.1, 0.4]])
    np.testing.assert_array_equal(confusion_matrix(one_hot, scores),
                                  [[1, 0, 0], [0, 1, 0], [1, 0, 1]])
    assert precision([[1.0], [0.0]], [[0.9], [0.2]]) == 1.0       # one sigmoid column, at 0.5
    with pytest.raises(ValueError, match="one label each"):
        confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="too small"):
        confusion_matrix([0, 3], [0, 1], n_classes=2)
