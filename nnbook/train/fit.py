"""The one fit loop: epochs of shuffled mini-batches, metrics, evaluation, early stopping.

Every model of nnbook trains here — chapter 2's ``Sequential.fit`` and chapter 1's
``Network.sgd`` alike. The loop needs from the model only:

* ``train_on_batch(X, Y) -> float`` (one gradient step, returns the objective before it) and
  ``last_output`` (the outputs of that batch), for the default per-batch epochs — or any
  ``step(X, Y) -> float`` the caller passes instead (``Sequential.fit`` passes its
  ``train_on_checked_batch``: the arrays were checked on entry, the batches are slices of them);
* ``evaluate(X, Y) -> {"loss": …, "accuracy": …}`` in inference mode;
* ``get_weights()`` / ``set_weights(w)`` when early stopping restores the best weights;
* ``metrics`` (names) and ``loss.from_logits``.

An epoch either walks the mini-batches through ``train_on_batch`` — the training metrics are
then running averages over the epoch, measured in training mode while the weights move (Keras'
convention; with dropout active they can sit below the test accuracy) — or, when the caller
passes ``epoch_runner(order)``, runs a whole epoch at once (chapter 1's Numba kernel); the
training metrics are then measured on the whole training set after the epoch, in inference mode.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np
from tqdm import tqdm

from nnbook.train.batches import epoch_order, minibatches
from nnbook.train.callbacks import EarlyStopping
from nnbook.train.history import History
from nnbook.train.metrics import count_correct, target_classes
from nnbook.validation import check_matching_rows, check_positive


def split_validation(X, Y, fraction, rng: np.random.Generator):
    """Hold out ``fraction`` ∈ (0, 1) of the examples, chosen at random: (X, Y, X_val, Y_val)."""
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) \
            or not 0 < fraction < 1:
        raise ValueError(f"validation_split: expected a fraction in [0, 1), found {fraction!r}")
    n_val = int(round(fraction * len(X)))
    if n_val < 1 or n_val >= len(X):
        raise ValueError(f"validation_split={fraction} of {len(X)} examples leaves {n_val} for "
                         f"validation and {len(X) - n_val} for training; both need at least one")
    order = rng.permutation(len(X))
    return X[order[n_val:]], Y[order[n_val:]], X[order[:n_val]], Y[order[:n_val]]


def fit(model, X, Y, *, epochs: int, batch_size: int, rng: np.random.Generator,
        shuffle: bool = True, evaluation: dict | None = None,
        early_stopping: EarlyStopping | None = None, progress: bool = True,
        epoch_runner=None, step=None) -> History:
    """Train ``model`` on checked arrays X (n, …), Y (n, …); return the :class:`History`.

    ``evaluation`` maps a prefix to a data set, e.g. ``{"val": (X_val, Y_val)}``: after each
    epoch ``model.evaluate`` adds ``val_loss`` and ``val_accuracy``. ``early_stopping`` watches
    one of the recorded values. ``epoch_runner(order)``, when given, trains a whole epoch on
    the examples in ``order`` (see the module docstring); ``step(X_batch, Y_batch)`` replaces
    ``model.train_on_batch`` for each mini-batch otherwise. The tqdm bar goes to stdout, never
    stderr (nbgrader zeroes a test cell that writes to stderr); ``progress=False`` silences it.
    """
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_matching_rows(X, Y, "X", "y")
    n = len(X)
    if n == 0:
        raise ValueError("fit: expected at least one training example, found none")
    evaluation = dict(evaluation or {})
    if early_stopping is not None:
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError("early_stopping: expected an EarlyStopping, found "
                            f"{type(early_stopping).__name__}")
        prefix = early_stopping.monitor.rsplit("_", 1)[0] if "_" in early_stopping.monitor else ""
        if prefix and prefix not in evaluation:
            raise ValueError(f"early stopping monitors {early_stopping.monitor!r}: give "
                             "validation_split or validation_data")
        early_stopping.reset()
    step = model.train_on_batch if step is None else step
    # the target classes, read once; None when accuracy is not wanted or not defined (regression)
    classes = target_classes(Y) if "accuracy" in model.metrics else None
    from_logits = getattr(model.loss, "from_logits", False)

    history = History()
    bar = tqdm(range(1, epochs + 1), desc="epochs", unit="epoch", file=sys.stdout,
               disable=not progress, leave=True)
    for epoch in bar:
        order = epoch_order(n, rng, shuffle)
        if epoch_runner is not None:
            epoch_runner(order)
            record = dict(model.evaluate(X, Y))
        else:
            record = _running_epoch(model, step, X, Y, order, batch_size, classes, from_logits)
        if not np.isfinite(record["loss"]):
            bar.close()
            raise FloatingPointError(f"the training loss became {record['loss']} in epoch {epoch}: "
                                     "lower the learning rate or scale the inputs")
        for prefix, (X_eval, Y_eval) in evaluation.items():
            for key, value in model.evaluate(X_eval, Y_eval).items():
                record[f"{prefix}_{key}"] = value
        history.append(epoch, record)
        bar.set_postfix({k: round(v, 4) for k, v in record.items()})
        if early_stopping is not None:
            weights = model.get_weights() if early_stopping.restore_best_weights else None
            if early_stopping.update(epoch, record[early_stopping.monitor], weights):
                history.stopped_epoch = epoch
                break
    bar.close()
    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        if early_stopping.restore_best_weights and early_stopping.best_weights is not None:
            model.set_weights(early_stopping.best_weights)
    return history


def _running_epoch(model, step, X, Y, order, batch_size, classes, from_logits) -> dict:
    """One epoch of per-batch steps; loss and accuracy averaged over the epoch's batches."""
    n = len(order)
    total_loss, correct, counted = 0.0, 0, classes is not None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for batch in minibatches(order, batch_size):
            total_loss += step(X[batch], Y[batch]) * len(batch)
            if counted:
                output = model.last_output
                counted = np.shape(output) == (len(batch), Y.shape[1])
                if counted:
                    correct += count_correct(output, classes[batch], from_logits=from_logits)
    record = {"loss": total_loss / n}
    if counted:
        record["accuracy"] = correct / n
    return record
