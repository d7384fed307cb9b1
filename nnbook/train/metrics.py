"""Metrics computed from a model's outputs and the targets: accuracy (what ``compile`` accepts),
and the confusion matrix with precision and recall (Gulli & Pal ch. 1)."""

from __future__ import annotations

import numpy as np

#: Metric names a model can be compiled with.
METRICS = ("accuracy",)


def accuracy(output, Y, *, from_logits: bool = False) -> float | None:
    """Share of examples whose predicted class is the target's; None for non-class targets.

    output, Y: (n, k). One-hot targets (k > 1): the class is the argmax of a row. One {0, 1}
    column (k = 1): the prediction is output > 0.5, or > 0 for logits. Targets other than 0/1
    (regression) give None.
    """
    output = np.asarray(output)
    Y = np.asarray(Y)
    if output.ndim != 2 or Y.shape != output.shape:
        return None
    classes = target_classes(Y)
    if classes is None:
        return None
    return count_correct(output, classes, from_logits=from_logits) / len(Y)


def target_classes(Y) -> np.ndarray | None:
    """The class of every target row, (n,), as :func:`accuracy` reads it: the argmax of a one-hot
    row (k > 1), or whether the one {0, 1} entry is 1 (k = 1); None unless every entry is 0 or 1.

    A fit loop computes this once for the whole training set, then counts each batch with
    :func:`count_correct`.
    """
    Y = np.asarray(Y)
    if Y.ndim != 2 or not np.all((Y == 0) | (Y == 1)):
        return None
    return np.argmax(Y, axis=1) if Y.shape[1] > 1 else Y[:, 0] > 0.5


def count_correct(output, classes, *, from_logits: bool = False) -> int:
    """How many rows of ``output`` (n, k) predict ``classes`` (n,) from :func:`target_classes`."""
    if output.shape[1] > 1:
        return int(np.count_nonzero(np.argmax(output, axis=1) == classes))
    threshold = 0.0 if from_logits else 0.5
    return int(np.count_nonzero((output[:, 0] > threshold) == classes))


def _class_labels(values, name: str) -> np.ndarray:
    """Class indices (n,) from labels (n,), one-hot rows or probabilities (n, k), or one
    probability column (n, 1) read at 0.5."""
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] > 1:
        return np.argmax(values, axis=1)
    if values.ndim > 2 or (values.ndim == 2 and values.shape[1] != 1):
        raise ValueError(f"{name}: expected labels (n,), rows (n, k) or a column (n, 1), found "
                         f"shape {values.shape}")
    values = values.reshape(-1)
    if not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"{name}: expected numbers, found dtype {values.dtype}")
    if np.any(values != np.round(values)):          # probabilities of class 1
        return (values > 0.5).astype(np.int64)
    return values.astype(np.int64)


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """C (k, k) with C[i, j] = number of examples of true class i predicted as class j.

    ``y_true``, ``y_pred``: labels (n,), one-hot rows or probability rows (n, k) (argmax), or one
    probability column (n, 1) (> 0.5 is class 1). ``n_classes`` defaults to the largest label + 1.
    """
    true, pred = _class_labels(y_true, "y_true"), _class_labels(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred: expected one label each per example, found "
                         f"{true.shape[0]} and {pred.shape[0]}")
    if true.size == 0:
        raise ValueError("y_true: expected at least one example, found none")
    if true.min() < 0 or pred.min() < 0:
        raise ValueError("class labels must be ≥ 0")
    k = int(max(true.max(), pred.max()) + 1) if n_classes is None else int(n_classes)
    if max(true.max(), pred.max()) >= k:
        raise ValueError(f"n_classes: {k} is too small for labels up to "
                         f"{max(true.max(), pred.max())}")
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def precision(y_true, y_pred, positive: int = 1) -> float:
    """TP / (TP + FP): the share of the examples predicted ``positive`` that are positive.

    Gulli & Pal ch. 1 define it as "how many selected items are relevant". 0.0 when nothing is
    predicted positive. Inputs as for :func:`confusion_matrix`.
    """
    matrix = confusion_matrix(y_true, y_pred, max(positive + 1, 2))
    predicted = matrix[:, positive].sum()
    return float(matrix[positive, positive] / predicted) if predicted else 0.0


def recall(y_true, y_pred, positive: int = 1) -> float:
    """TP / (TP + FN): the share of the truly ``positive`` examples that are found.

    Source note: Gulli & Pal ch. 1 (in the English original too) give recall the same definition
    as precision; recall's denominator is the relevant items — the positives found plus the
    positives missed. 0.0 when there are no positive examples. Inputs as for
    :func:`confusion_matrix`.
    """
    matrix = confusion_matrix(y_true, y_pred, max(positive + 1, 2))
    actual = matrix[positive, :].sum()
    return float(matrix[positive, positive] / actual) if actual else 0.0
