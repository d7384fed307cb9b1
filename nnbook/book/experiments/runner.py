"""Run one training configuration the way the book's programs do, and keep what it gave.

A run builds a compiled Keras-face model, trains it with ``fit(batch_size=…,
validation_split=…)`` — Keras' rules: the last fraction validates, the training metrics are
running averages over each epoch with dropout active — and evaluates it on the test set. It
calls ``fit`` one epoch at a time, which continues the same run (the model keeps its weights,
optimiser state and random generator; ``fit(epochs=1)`` n times trains exactly as
``fit(epochs=n)``), so that a progress bar can advance per epoch and the test accuracy can be
read at chosen epochs on the way (the "more epochs" sweep reads 20, 50, … from one run).

:class:`Runner` remembers each configuration's outcome: a sweep point equal to a table run
(e.g. Adam at the default learning rate) is trained once.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from tqdm import tqdm

from nnbook.book.experiments.data import ExperimentData
from nnbook.layers import Dropout
from nnbook.train.history import History


@dataclass
class Outcome:
    """What a run gave: ``history`` (per epoch: loss, accuracy — running averages in training
    mode —, val_loss, val_accuracy), the final test loss and accuracy, the seconds spent in
    ``fit`` (validation included, as Keras times an epoch), ``checkpoints`` {epoch: (test
    accuracy, seconds so far)} when asked for, and whether the model has dropout (then the
    training metrics were measured with units dropped)."""

    label: str
    history: History
    test: float
    test_loss: float
    seconds: float
    checkpoints: dict = field(default_factory=dict)
    dropout: bool = False

    @property
    def epochs(self) -> int:
        return len(self.history)

    @property
    def train(self) -> float:
        """Training accuracy of the last epoch (Keras' running average)."""
        return self.history.history["accuracy"][-1]

    @property
    def validation(self) -> float:
        return self.history.history["val_accuracy"][-1]

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds / self.epochs


def train_and_test(build: Callable, data: ExperimentData, *, epochs: int, batch_size: int,
                   validation_split: float, label: str, progress: bool = True,
                   checkpoints=()) -> Outcome:
    """Train ``build()`` (a compiled :class:`nnbook.keras.models.Sequential`) for ``epochs``;
    the bar (stdout) shows the epochs and the latest metrics."""
    model = build()
    history = History()
    seconds, marks = 0.0, {}
    bar = tqdm(total=epochs, desc=label, unit="epoch", file=sys.stdout, disable=not progress,
               leave=True, dynamic_ncols=True)
    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            record = model.fit(data.X_train, data.Y_train, batch_size=batch_size, epochs=1,
                               verbose=0, validation_split=validation_split).last()
            seconds += time.perf_counter() - start
            history.append(epoch, record)
            if epoch in checkpoints:
                marks[epoch] = (model.evaluate(data.X_test, data.Y_test, verbose=0)[1], seconds)
            bar.set_postfix(acc=f"{record['accuracy']:.4f}", val=f"{record['val_accuracy']:.4f}",
                            refresh=False)
            bar.update(1)
    finally:
        bar.close()
    test_loss, test = model.evaluate(data.X_test, data.Y_test, verbose=0)
    dropout = any(isinstance(layer, Dropout) and layer.rate > 0 for layer in model.layers)
    return Outcome(label, history, float(test), float(test_loss), seconds, marks, dropout)


class Runner:
    """Runs configurations on one data set, each at most once (``key`` identifies it)."""

    def __init__(self, data: ExperimentData, *, batch_size: int, validation_split: float,
                 progress: bool = True):
        self.data, self.batch_size = data, batch_size
        self.validation_split, self.progress = validation_split, progress
        self._done: dict = {}

    def run(self, key, build: Callable, *, epochs: int, label: str, batch_size=None,
            checkpoints=()) -> Outcome:
        """The outcome of ``key`` (hashable), trained now unless it already ran."""
        key = (key, tuple(checkpoints))
        if key not in self._done:
            self._done[key] = train_and_test(
                build, self.data, epochs=epochs, label=label,
                batch_size=batch_size or self.batch_size, validation_split=self.validation_split,
                progress=self.progress, checkpoints=checkpoints)
        return self._done[key]

    @property
    def seconds(self) -> float:
        """Seconds spent training, over every distinct run."""
        return sum(outcome.seconds for outcome in self._done.values())
