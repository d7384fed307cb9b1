"""Keras' ``Sequential`` over nnbook's (Gulli & Pal ch. 1, 'Defining a simple neural net in
Keras'; listings keras_MINST_V1–V4).

:class:`Sequential` *is* :class:`nnbook.models.sequential.Sequential` — the same layers,
forward and backward passes, fit loop and optimisers — with Keras' signatures and conventions
where the book depends on them:

* float32 parameters and batches (Keras' default ``floatx``);
* the first layer's ``input_shape`` / ``input_dim`` (or an :class:`~nnbook.keras.layers.Input`)
  builds the model, so ``summary()`` works before ``fit``;
* ``compile(optimizer="rmsprop", loss=…, metrics=None)``: Keras' order and defaults, loss names
  with Keras' averaging (:mod:`nnbook.keras.losses`);
* ``fit(validation_split=0.2)`` keeps the **last** 20 % of the arrays for validation, before any
  shuffling (Keras' rule; nnbook's own ``fit`` draws them at random); the training loss and
  accuracy are running averages over the epoch's batches in training mode (dropout active),
  which is why a dropout run can show training accuracy below validation and test accuracy;
  ``verbose`` 0 / 1 / 2 (:mod:`nnbook.keras.progress`); ``history.history`` has ``loss``,
  ``accuracy``, ``val_loss``, ``val_accuracy``;
* ``evaluate`` returns ``[loss, accuracy]`` (a float without metrics); ``summary()`` prints;
* ``get_weights()`` / ``set_weights()`` use Keras' flat list [kernel, bias, kernel, bias, …];
* ``predict_classes`` / ``predict_proba`` of the book's Keras 2.0 API, which Keras removed in
  2.6, still work and say what replaces them.

Without ``seed=`` the model draws its seed from numpy's global generator, so the book's
``np.random.seed(1671)`` (or :func:`nnbook.keras.utils.set_random_seed`) makes a run repeat
exactly — weights, dropout masks and shuffling alike.
"""

from __future__ import annotations

import math
import numbers
import time

import numpy as np

from nnbook.keras import losses, progress
from nnbook.keras.layers import Input
from nnbook.keras.layers.base import assign_flat_weights, flat_weights
from nnbook.layers.base import Layer
from nnbook.models import sequential as core
from nnbook.train import fit as fit_loop
from nnbook.train.history import History
from nnbook.train.metrics import accuracy
from nnbook.validation import check_positive

#: Keras' default batch size of fit, evaluate and predict.
DEFAULT_BATCH_SIZE = 32


def split_last(X, Y, validation_split):
    """Keras' hold-out: the last ``n − ⌊n (1 − validation_split)⌋`` rows validate, before any
    shuffling. 60,000 rows and 0.2 give 48,000 for training and 12,000 for validation."""
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real) \
            or not 0 < validation_split < 1:
        raise ValueError(f"validation_split: expected a fraction in [0, 1), found "
                         f"{validation_split!r}")
    n = len(X)
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at in (0, n):
        raise ValueError(f"validation_split={validation_split} of {n} examples leaves "
                         f"{split_at} for training and {n - split_at} for validation; both "
                         "need at least one")
    return X[:split_at], Y[:split_at], X[split_at:], Y[split_at:]


class Sequential(core.Sequential):
    """Keras' ``Sequential(layers=None, name=None)``; ``model.add(Dense(10, input_shape=(784,)))``.

    nnbook extras: ``seed`` (int; default drawn from numpy's global generator) and ``dtype``
    (default "float32", Keras' ``floatx``).
    """

    def __init__(self, layers=None, name=None, *, seed=None, dtype="float32"):
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        super().__init__(None, rng=seed, name=name or "sequential", dtype=dtype)
        self._input_spec = None
        if isinstance(layers, (Layer, Input)):
            raise TypeError("layers: expected a list of layers, found a single "
                            f"{type(layers).__name__}; write Sequential([layer, …])")
        for layer in layers or []:
            self.add(layer)

    # --------------------------------------------------------------------------- structure
    def add(self, layer) -> None:
        """Append a layer; the first layer's ``input_shape`` (or a preceding ``Input``) builds
        the model."""
        if isinstance(layer, Input):
            if self.layers:
                raise ValueError("add: an Input must come first, before any layer")
            self._input_spec = layer.shape
            return
        shape = getattr(layer, "keras_input_shape", None)
        if shape is not None and self.layers and self.built \
                and tuple(shape) != self._output_shapes[-1]:
            raise ValueError(f"add: {type(layer).__name__} says input_shape={shape}, but the "
                             f"layer before it outputs {self._output_shapes[-1]}")
        super().add(layer)
        if not self.built and len(self.layers) == 1 and (shape or self._input_spec):
            self.build(shape or self._input_spec)

    def count_params(self) -> int:
        """The number of parameters (Keras' ``count_params``): 7,850 for listing keras_MINST_V1."""
        self._require_built("count_params")
        return self.n_params

    def summary(self, line_length=None, positions=None, print_fn=None) -> None:
        """Print Keras' table (layer, output shape, parameters; totals) with ``print_fn`` (default
        ``print``, called once with the whole table, as Keras 3 does); returns None like Keras.
        ``line_length`` and ``positions`` are accepted and ignored."""
        (print_fn or print)(super().summary())

    def get_weights(self) -> list[np.ndarray]:
        """Keras' list of arrays, every layer's parameters in order — for Dense [kernel, bias] —
        as copies."""
        return flat_weights(self.layers)

    def set_weights(self, weights) -> None:
        """Set every parameter from Keras' list (as :meth:`get_weights` returns; e.g. from a real
        Keras model of the same layers), converted to the model's dtype."""
        self._require_built("set_weights")
        assign_flat_weights(self.layers, weights)

    # --------------------------------------------------------------------------- training
    def compile(self, optimizer="rmsprop", loss=None, metrics=None) -> None:
        """Keras' ``compile``: an optimiser (name or object), a loss (Keras name) and metrics
        (``["accuracy"]`` or None)."""
        if loss is None:
            raise ValueError("compile: expected a loss such as loss='categorical_crossentropy', "
                             "found None")
        super().compile(loss=losses.get(loss), optimizer=optimizer, metrics=metrics or ())

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True) -> History:
        """Keras' ``fit``; returns a History (``history.history`` keys loss, accuracy, val_loss,
        val_accuracy; ``history.epoch`` counts from 1 as in nnbook's plots).

        ``validation_data`` = (x_val, y_val) takes precedence over ``validation_split``, as in
        Keras. Keras callbacks are not supported (nnbook's own ``fit`` has ``early_stopping``).
        """
        self._require_compiled("fit")
        if callbacks:
            raise ValueError("fit: Keras callbacks are not supported by nnbook.keras; for early "
                             "stopping use nnbook.models.sequential.Sequential.fit(early_stopping=…)")
        verbose = progress.check_verbose(verbose)
        epochs = check_positive(epochs, "epochs", integer=True)
        batch_size = check_positive(DEFAULT_BATCH_SIZE if batch_size is None else batch_size,
                                    "batch_size", integer=True)
        X = self._check_inputs(x)
        Y = self._check_targets(y, len(X))
        evaluation = {}
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data: expected a pair (x_val, y_val)")
            X_val = self._check_inputs(validation_data[0])
            evaluation["val"] = (X_val, self._check_targets(validation_data[1], len(X_val)))
        elif validation_split:
            X, Y, X_val, Y_val = split_last(X, Y, validation_split)
            evaluation["val"] = (X_val, Y_val)
        steps = math.ceil(len(X) / batch_size)
        history = History()
        history.params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        history.model = self
        reporter = progress.EpochReporter(verbose, epochs, steps)
        try:
            for epoch in range(1, epochs + 1):
                trainee = _Trainee(self, reporter.begin(epoch))
                record = fit_loop.fit(trainee, X, Y, epochs=1, batch_size=batch_size,
                                      rng=self.rng, shuffle=shuffle, evaluation=evaluation,
                                      progress=False).last()
                history.append(epoch, record)
                reporter.end(epoch, record)
        finally:
            reporter.abort()
        return history

    def train_on_batch(self, x, y, return_dict=False):
        """Keras' ``train_on_batch``: one gradient step; the batch's loss before it, with the
        batch's metrics as ``[loss, accuracy]`` (or a dict) when metrics are compiled."""
        self._require_compiled("train_on_batch")
        X = self._check_inputs(x)
        Y = self._check_targets(y, len(X))
        record = {"loss": core.Sequential.train_on_batch(self, X, Y)}
        if "accuracy" in self.metrics:
            share = accuracy(self.last_output, Y, from_logits=self.loss.from_logits)
            if share is not None:
                record["accuracy"] = share
        return _keras_result(record, return_dict)

    # --------------------------------------------------------------------------- use
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", return_dict=False):
        """Keras' ``evaluate``: ``[loss, accuracy]`` in inference mode (the loss alone, a float,
        without metrics; a dict with ``return_dict=True``). One pass over all of x; ``batch_size``
        only sets the step count printed, as the mean is the same either way."""
        verbose = progress.check_verbose(verbose)
        start = time.perf_counter()
        record = super().evaluate(x, y)
        progress.report_once(verbose, self._steps(x, batch_size), time.perf_counter() - start,
                             record)
        return _keras_result(record, return_dict)

    def predict(self, x, batch_size=None, verbose="auto") -> np.ndarray:
        """Outputs (n, units) in inference mode (dropout off), e.g. class probabilities."""
        verbose = progress.check_verbose(verbose)
        start = time.perf_counter()
        output = super().predict(x, batch_size=batch_size)
        progress.report_once(verbose, self._steps(output, batch_size), time.perf_counter() - start)
        return output

    def predict_classes(self, x, batch_size=DEFAULT_BATCH_SIZE, verbose=1) -> np.ndarray:
        """Keras 2.0's class predictions, **removed in Keras 2.6** (gone from today's Keras).

        Today: ``np.argmax(model.predict(x), axis=-1)`` for a softmax output,
        ``(model.predict(x) > 0.5).astype("int32")`` for one sigmoid output — which is what this
        computes.
        """
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return np.argmax(proba, axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=DEFAULT_BATCH_SIZE, verbose=1) -> np.ndarray:
        """Keras 2.0's class probabilities, **removed in Keras 2.6**: today simply
        ``model.predict(x)`` (the same array)."""
        return self.predict(x, batch_size=batch_size, verbose=verbose)

    def _steps(self, x, batch_size) -> int:
        size = DEFAULT_BATCH_SIZE if batch_size is None else batch_size
        return math.ceil(len(x) / size)

    def __repr__(self):
        return (f"nnbook.keras.Sequential(layers={[layer.name for layer in self.layers]}, "
                f"n_params={self.n_params})")


def _keras_result(record: dict, return_dict: bool):
    """Keras' return value: the dict, or [loss, *metrics], or the loss alone without metrics."""
    if return_dict:
        return record
    values = list(record.values())
    return values if len(values) > 1 else values[0]


class _Trainee:
    """What nnbook's fit loop (:func:`nnbook.train.fit.fit`) sees of a face model: nnbook's
    ``train_on_batch`` (ticking the progress bar) and ``evaluate`` (a dict), not Keras'."""

    def __init__(self, model: Sequential, on_batch=None):
        self.model, self.on_batch = model, on_batch
        self.metrics, self.loss = model.metrics, model.loss

    @property
    def last_output(self):
        return self.model.last_output

    def train_on_batch(self, X, Y) -> float:
        value = core.Sequential.train_on_batch(self.model, X, Y)
        if self.on_batch is not None:
            self.on_batch(1)
        return value

    def evaluate(self, X, Y) -> dict:
        return core.Sequential.evaluate(self.model, X, Y)
