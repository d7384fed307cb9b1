"""What ``fit``, ``evaluate`` and ``predict`` print for Keras' ``verbose``, always on stdout.

``verbose=0`` prints nothing; ``1`` (Keras' "auto") a progress bar per epoch over its batches
(steps), ending with the epoch's metrics; ``2`` one line per epoch. Lines read like Keras':
``Epoch 3/20 - 375/375 - 1s - loss: 0.2513 - accuracy: 0.9281 - val_loss: … - val_accuracy: …``.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm


def check_verbose(verbose) -> int:
    """Keras' ``verbose``: "auto" (= 1), 0, 1 or 2."""
    if verbose == "auto":
        return 1
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose: expected 0 (silent), 1 (progress bar), 2 (one line per "
                         f"epoch) or 'auto', found {verbose!r}")
    return int(verbose)


def metrics_text(record: dict) -> str:
    """``loss: 0.2513 - accuracy: 0.9281`` from {"loss": …, "accuracy": …}."""
    return " - ".join(f"{key}: {value:.4f}" for key, value in record.items())


class EpochReporter:
    """Prints the progress of ``epochs`` epochs of ``steps`` batches each."""

    def __init__(self, verbose: int, epochs: int, steps: int):
        self.verbose, self.epochs, self.steps = verbose, epochs, steps
        self._bar = None
        self._start = 0.0

    def begin(self, epoch: int):
        """Start an epoch; returns the per-batch callback (None when nothing is drawn)."""
        self._start = time.perf_counter()
        if self.verbose != 1:
            return None
        self._bar = tqdm(total=self.steps, desc=f"Epoch {epoch}/{self.epochs}", unit="step",
                         file=sys.stdout, leave=True)
        return self._bar.update

    def end(self, epoch: int, record: dict) -> None:
        """Finish an epoch with its metrics (training and validation)."""
        if self._bar is not None:
            self._bar.set_postfix_str(metrics_text(record), refresh=False)
            self._bar.close()
            self._bar = None
        elif self.verbose == 2:
            seconds = time.perf_counter() - self._start
            print(f"Epoch {epoch}/{self.epochs} - {self.steps}/{self.steps} - {seconds:.0f}s - "
                  f"{metrics_text(record)}", file=sys.stdout)

    def abort(self) -> None:
        """Close a bar left open by an error."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def report_once(verbose: int, steps: int, seconds: float, record: dict | None = None) -> None:
    """The one line of ``evaluate`` / ``predict``: ``313/313 - 0s - loss: … - accuracy: …``."""
    if verbose:
        tail = f" - {metrics_text(record)}" if record else ""
        print(f"{steps}/{steps} - {seconds:.0f}s{tail}", file=sys.stdout)
