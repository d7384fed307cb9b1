"""Callbacks of the fit loop: early stopping (陈强 §15.9, figure 15.13)."""

from __future__ import annotations

from nnbook.validation import check_positive


class EarlyStopping:
    """Stop when ``monitor`` (default ``val_loss``) has not improved for more than ``patience`` epochs.

    The (patience + 1)-th epoch in a row without improvement ends training: ``patience``
    counts the epochs waited, not the one that stops. Keras counts that epoch too, so its
    ``EarlyStopping(patience=p)`` stops one epoch sooner for p ≥ 1 (both stop at the first
    epoch without improvement when the patience is 0).

    陈强 §15.9 (1): watch the validation error after each epoch and stop when it starts to rise;
    the patience (not in the source) tolerates noise. With ``restore_best_weights`` the model
    ends with the weights of the best epoch. An improvement must exceed ``min_delta``.
    """

    MONITORS = ("loss", "val_loss", "accuracy", "val_accuracy")

    def __init__(self, patience: int = 5, restore_best_weights: bool = True,
                 monitor: str = "val_loss", min_delta: float = 0.0):
        check_positive(patience, "patience", integer=True, allow_zero=True)
        check_positive(min_delta, "min_delta", allow_zero=True)
        if monitor not in self.MONITORS:
            raise ValueError(f"monitor: expected one of {self.MONITORS}, found {monitor!r}")
        self.patience = patience
        self.restore_best_weights = bool(restore_best_weights)
        self.monitor = monitor
        self.min_delta = float(min_delta)
        self.reset()

    def reset(self) -> None:
        self.best = None
        self.best_epoch = None
        self.best_weights = None
        self.wait = 0

    def update(self, epoch: int, value: float, weights=None) -> bool:
        """Record the monitored ``value`` after ``epoch``; return True when training should stop."""
        sign = 1.0 if "loss" in self.monitor else -1.0   # losses fall, accuracies rise
        if self.best is None or sign * (self.best - value) > self.min_delta:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            self.best_weights = weights
            return False
        self.wait += 1
        return self.wait > self.patience
