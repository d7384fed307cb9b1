"""The record of a training run, one value per epoch and metric (Keras' ``History``)."""

from __future__ import annotations


class History:
    """What a fit returns: ``history`` (dict metric → per-epoch list) and ``epoch`` (from 1).

    Keys: ``loss`` and, when measured, ``accuracy``; ``val_loss`` / ``val_accuracy`` for
    validation data (or another prefix, e.g. ``test_accuracy``, when the caller names the
    evaluation set). ``stopped_epoch`` and ``best_epoch`` are set when early stopping ends the
    run (else None). Draw it with :func:`nnbook.plots.training.plot_history`.
    """

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.stopped_epoch: int | None = None
        self.best_epoch: int | None = None

    def append(self, epoch: int, record: dict) -> None:
        self.epoch.append(epoch)
        for key, value in record.items():
            self.history.setdefault(key, []).append(float(value))

    def last(self) -> dict[str, float]:
        """The values of the last epoch, {metric: value}."""
        return {key: values[-1] for key, values in self.history.items()}

    def __len__(self):
        return len(self.epoch)

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"
