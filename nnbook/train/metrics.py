"""Metrics computed from a model's outputs and the targets."""

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
    if output.ndim != 2 or Y.shape != output.shape or not np.all((Y == 0) | (Y == 1)):
        return None
    if Y.shape[1] > 1:
        return float(np.mean(np.argmax(output, axis=1) == np.argmax(Y, axis=1)))
    threshold = 0.0 if from_logits else 0.5
    return float(np.mean((output > threshold) == (Y > 0.5)))
