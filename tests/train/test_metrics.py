"""nnbook.train.metrics: accuracy for one-hot, binary and regression targets."""

import numpy as np

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
