"""A Keras-shaped model: a stack of layers trained by (mini-batch) gradient descent.

:class:`Sequential` chains layers of the :mod:`nnbook.layers` protocol. ``forward`` is
forward propagation (陈强 (15.24)–(15.25), A3); ``backward`` is back-propagation (A4): it
starts from the loss gradient ∂L/∂(output) and hands each layer's input gradient to the layer
below. For Dense layers this is exactly the δ recursion: a Dense layer turns ∂L/∂A⁽ˡ⁾ into
δ⁽ˡ⁾ = f′(Z⁽ˡ⁾) ⊙ ∂L/∂A⁽ˡ⁾, stores ∂L/∂w⁽ˡ⁾_ji = a⁽ˡ⁻¹⁾_j δ⁽ˡ⁾_i (15.26) and returns
Σ_i w⁽ˡ⁾_ji δ⁽ˡ⁾_i; the layer below multiplies that by f′(z⁽ˡ⁻¹⁾_j), which is (15.27)–(15.29).
The output-layer δ, which the source leaves out, comes from the loss: (p − y)/n for softmax
with categorical cross-entropy and for sigmoid with binary cross-entropy (the model fuses these
pairs and differentiates the loss with respect to the logits, so extreme logits stay stable),
f′(z) ⊙ ∂L/∂a otherwise.

Training (15.30)–(15.32): each epoch shuffles the n training examples and walks through them
in ⌈n/B⌉ mini-batches (:func:`iterations_per_epoch`); B = n is batch gradient descent, B = 1
stochastic gradient descent (15.31). Early stopping (fig. 15.13) watches the validation loss.
Targets: one-hot rows for categorical cross-entropy, a {0, 1} column for binary
cross-entropy, real values for the squared loss.
"""

from __future__ import annotations

import math
import numbers
import sys

import numpy as np
from tqdm import tqdm

from nnbook.layers.base import Layer
from nnbook.optim import get_optimizer
from nnbook.validation import as_float_array, check_matching_rows, check_positive

METRICS = ("accuracy",)


def iterations_per_epoch(n: int, batch_size: int) -> int:
    """Parameter updates in one epoch: ⌈n / B⌉ (F45, W12).

    Batch gradient descent (B = n) makes 1, stochastic gradient descent (B = 1) makes n,
    mini-batch n/B when B divides n (a last, smaller batch otherwise); e.g. n = 1,000,000 and
    B = 32 give 31,250.
    """
    check_positive(n, "n", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    return math.ceil(n / min(batch_size, n))


class History:
    """What :meth:`Sequential.fit` returns: ``history`` (dict of per-epoch lists) and ``epoch``.

    Keys: ``loss`` and, when measured, ``accuracy``, ``val_loss``, ``val_accuracy``. ``epoch``
    counts from 1. ``loss``/``accuracy`` are the means over the epoch's mini-batches (in
    training mode, as Keras reports them). ``stopped_epoch`` and ``best_epoch`` are set when
    early stopping ends the run (else None).
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

    def plot(self, ax=None, keys=("loss", "val_loss")):
        """Draw the ``keys`` present (default loss and val_loss) against the epoch; return the Axes.

        A dotted vertical line marks ``best_epoch`` when early stopping chose one (fig. 15.13).
        """
        if isinstance(keys, str):
            keys = (keys,)
        present = [k for k in keys if k in self.history]
        if not present:
            raise ValueError(f"nothing to plot: asked for {list(keys)}, the history has "
                             f"{sorted(self.history)}")
        if ax is None:
            import matplotlib.pyplot as plt

            ax = plt.figure().add_subplot()
        for key in present:
            ax.plot(self.epoch, self.history[key], "o-", markersize=3, label=key)
        if self.best_epoch is not None:
            ax.axvline(self.best_epoch, color="0.5", linestyle=":", label="best epoch")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss" if all("loss" in k for k in present) else "value")
        ax.grid(alpha=0.3)
        ax.legend()
        return ax

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


class EarlyStopping:
    """Stop when ``monitor`` (default ``val_loss``) has not improved for ``patience`` epochs.

    陈强 A9: watch the validation error after each epoch and stop when it starts to rise; the
    patience (not in the source) tolerates noise. With ``restore_best_weights`` the model
    ends with the weights of the best epoch. An improvement must exceed ``min_delta``.
    """

    def __init__(self, patience: int = 5, restore_best_weights: bool = True,
                 monitor: str = "val_loss", min_delta: float = 0.0):
        check_positive(patience, "patience", integer=True, allow_zero=True)
        check_positive(min_delta, "min_delta", allow_zero=True)
        if monitor not in ("loss", "val_loss", "accuracy", "val_accuracy"):
            raise ValueError(f"monitor: expected 'loss', 'val_loss', 'accuracy' or "
                             f"'val_accuracy', found {monitor!r}")
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


class Sequential:
    """A stack of layers: ``Sequential([Dense(16, activation="relu"), Dense(1)], input_shape=(8,))``.

    ``rng`` (Generator or seed) initialises the weights, draws dropout masks (for Dropout
    layers without their own rng), shuffles and splits in ``fit`` unless fit gets its own.
    Parameters are created when the input shape is known: from ``input_shape`` here, from
    :meth:`build`, or from the first data seen.
    """

    def __init__(self, layers=None, input_shape=None, rng=None, name: str = "sequential"):
        self.name = name
        self.rng = np.random.default_rng(rng)
        self.layers: list[Layer] = []
        self.input_shape = None
        self.built = False
        self.loss = None
        self.optimizer = None
        self.metrics: tuple[str, ...] = ()
        self._output_shapes: list[tuple] = []
        self._last_output = None
        if isinstance(layers, Layer):
            raise TypeError("layers: expected a list of layers, found a single "
                            f"{type(layers).__name__}; write Sequential([layer, …])")
        for layer in layers or []:
            self.add(layer)
        if input_shape is not None:
            self.build(input_shape)

    # ----------------------------------------------------------------------------- structure
    def add(self, layer: Layer) -> None:
        """Append a layer (names are made unique Keras-style: dense, dense_1, …)."""
        if not isinstance(layer, Layer):
            raise TypeError(f"add: expected an nnbook.layers Layer, found {type(layer).__name__}")
        if any(layer is other for other in self.layers):
            raise ValueError(f"add: layer {layer.name!r} is already in this model")
        names = {other.name for other in self.layers}
        if layer.name in names:
            base, k = layer.name, 1
            while f"{base}_{k}" in names:
                k += 1
            layer.name = f"{base}_{k}"
        self.layers.append(layer)
        if self.built:
            layer.build(self._output_shapes[-1], self.rng)
            self._output_shapes.append(tuple(layer.output_shape(self._output_shapes[-1])))

    def build(self, input_shape) -> None:
        """Create every layer's parameters for examples of ``input_shape`` (no batch axis)."""
        if isinstance(input_shape, numbers.Integral):
            input_shape = (int(input_shape),)
        try:
            shape = tuple(int(d) for d in input_shape)
        except TypeError:
            raise TypeError(f"input_shape: expected a tuple of ints such as (64,), found "
                            f"{input_shape!r}") from None
        if not shape or any(d <= 0 for d in shape):
            raise ValueError(f"input_shape: expected positive sizes, found {input_shape!r}")
        if not self.layers:
            raise ValueError("build: the model has no layers; add some first")
        self.input_shape = shape
        self._output_shapes = [shape]
        for layer in self.layers:
            layer.build(shape, self.rng)
            shape = tuple(layer.output_shape(shape))
            self._output_shapes.append(shape)
        self.built = True

    @property
    def output_shape(self) -> tuple:
        self._require_built("output_shape")
        return self._output_shapes[-1]

    @property
    def n_params(self) -> int:
        return sum(layer.n_params for layer in self.layers)

    def summary(self) -> str:
        """Keras-like table: layer (type), output shape (None = batch axis), parameter count."""
        self._require_built("summary")
        rows = [(f"{layer.name} ({type(layer).__name__})", str((None, *shape)), f"{layer.n_params:,}")
                for layer, shape in zip(self.layers, self._output_shapes[1:])]
        header = ("Layer (type)", "Output Shape", "Param #")
        widths = [max(len(r[i]) for r in [header, *rows]) + 3 for i in range(3)]
        line = "=" * sum(widths)
        out = [f'Model: "{self.name}"', line,
               "".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), line]
        out += ["".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        total = self.n_params
        out += [line, f"Total params: {total:,}", f"Trainable params: {total:,}",
                "Non-trainable params: 0"]
        return "\n".join(out)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """Copies of every layer's parameters (one dict per layer)."""
        return [{k: v.copy() for k, v in layer.params.items()} for layer in self.layers]

    def set_weights(self, weights) -> None:
        """Copy ``weights`` (as from :meth:`get_weights`) into the layers' parameter arrays."""
        if len(weights) != len(self.layers):
            raise ValueError(f"set_weights: expected {len(self.layers)} dicts, found {len(weights)}")
        for layer, values in zip(self.layers, weights):
            if set(values) != set(layer.params):
                raise ValueError(f"set_weights: {layer.name} has parameters {sorted(layer.params)}, "
                                 f"found {sorted(values)}")
            for key, value in values.items():
                if np.shape(value) != layer.params[key].shape:
                    raise ValueError(f"set_weights: {layer.name}.{key} has shape "
                                     f"{layer.params[key].shape}, found {np.shape(value)}")
                layer.params[key][...] = value

    # ----------------------------------------------------------------------------- compile
    def compile(self, loss, optimizer="sgd", metrics=("accuracy",)) -> None:
        """Choose the loss (name for :func:`nnbook.losses.get_loss` or a loss object), the
        optimiser (``"sgd"`` or e.g. ``SGD(learning_rate=0.1)``) and the metrics (``accuracy``)."""
        from nnbook import losses

        self.loss = losses.get_loss(loss) if isinstance(loss, str) else loss
        if not (callable(self.loss) and hasattr(self.loss, "gradient")):
            raise TypeError("loss: expected a name such as 'mse' or an object with "
                            f"__call__(output, target) and gradient(...), found {loss!r}")
        self.optimizer = get_optimizer(optimizer)
        if isinstance(metrics, str):
            metrics = (metrics,)
        unknown = [m for m in (metrics or ()) if m not in METRICS]
        if unknown:
            raise ValueError(f"metrics: supported are {list(METRICS)}, found {unknown}")
        self.metrics = tuple(metrics or ())

    def _fused_loss(self):
        """The from-logits twin of the loss when the last layer's activation pairs with it."""
        from nnbook import losses

        last = self.layers[-1] if self.layers else None
        act = getattr(last, "activation", None)
        if getattr(self.loss, "from_logits", True) or not hasattr(last, "backward_z"):
            return None
        if act == "softmax" and isinstance(self.loss, losses.CategoricalCrossEntropy):
            return losses.CategoricalCrossEntropy(from_logits=True)
        if act == "sigmoid" and isinstance(self.loss, losses.BinaryCrossEntropy):
            return losses.BinaryCrossEntropy(from_logits=True)
        return None

    # ----------------------------------------------------------------------------- passes
    def forward(self, X, training: bool = False) -> np.ndarray:
        """Forward propagation (15.24)–(15.25) through every layer; X (batch, *input_shape)."""
        X = self._check_inputs(X)
        for layer in self.layers:
            X = layer.forward(X, training=training)
        return X

    def backward(self, grad_output) -> np.ndarray:
        """Back-propagation: ∂L/∂(output) in, ∂L/∂X out; every layer's ``grads`` filled.

        Each layer maps the gradient with respect to its output to the gradient with respect
        to its input — for Dense layers the δ recursion (15.26)–(15.29) (see module docstring).
        """
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def _backward_from_logits(self, grad_z) -> np.ndarray:
        grad = self.layers[-1].backward_z(grad_z)
        for layer in reversed(self.layers[:-1]):
            grad = layer.backward(grad)
        return grad

    def regularization_loss(self) -> float:
        """Σ λ‖W‖² over the layers' kernel regularizers (15.33)."""
        return float(sum(getattr(layer, "penalty", lambda: 0.0)() for layer in self.layers))

    def compute_loss(self, X, Y, training: bool = False) -> float:
        """The objective: mean loss over the batch (15.21) plus the penalty (15.33)."""
        self._require_compiled("compute_loss")
        output = self.forward(X, training=training)
        return self._objective(output, self._check_targets(Y, len(output)))

    def _objective(self, output, Y) -> float:
        """Loss of the last forward pass (its ``output``) against checked targets, plus penalty."""
        fused = self._fused_loss()
        data = fused(self.layers[-1].preactivation, Y) if fused else self.loss(output, Y)
        return float(data) + self.regularization_loss()

    def compute_gradients(self, X, Y, training: bool = True) -> float:
        """Forward and backward on one batch; fill every layer's ``grads``; return the objective."""
        self._require_compiled("compute_gradients")
        output = self.forward(X, training=training)
        Y = self._check_targets(Y, len(output))
        self._last_output = output
        fused = self._fused_loss()
        if fused:
            z = self.layers[-1].preactivation
            value = fused(z, Y)
            self._backward_from_logits(fused.gradient(z, Y))
        else:
            value = self.loss(output, Y)
            self.backward(self.loss.gradient(output, Y))
        return float(value) + self.regularization_loss()

    def train_on_batch(self, X, Y) -> float:
        """One gradient step (15.32) on the batch; returns the objective before the step."""
        value = self.compute_gradients(X, Y, training=True)
        self.optimizer.step(self.layers)
        return value

    # ----------------------------------------------------------------------------- use
    def predict(self, X, batch_size: int | None = None) -> np.ndarray:
        """Outputs in inference mode (dropout off), computed ``batch_size`` rows at a time."""
        X = self._check_inputs(X)
        if batch_size is None:
            return self.forward(X)
        check_positive(batch_size, "batch_size", integer=True)
        return np.concatenate([self.forward(X[i:i + batch_size])
                               for i in range(0, len(X), batch_size)])

    def evaluate(self, X, Y) -> dict[str, float]:
        """``{"loss": …, "accuracy": …}`` on (X, Y) in inference mode (accuracy for class targets)."""
        self._require_compiled("evaluate")
        X = self._check_inputs(X)
        Y = self._check_targets(Y, len(X))
        check_matching_rows(X, Y, "X", "y")
        output = self.forward(X)
        result = {"loss": self._objective(output, Y)}
        if "accuracy" in self.metrics:
            accuracy = self._accuracy(output, Y)
            if accuracy is not None:
                result["accuracy"] = accuracy
        return result

    def fit(self, X, y, epochs: int = 1, batch_size: int = 32, validation_split: float = 0.0,
            validation_data=None, shuffle: bool = True, early_stopping: EarlyStopping | None = None,
            progress: bool = True, rng=None) -> History:
        """Train by mini-batch gradient descent; return a :class:`History`.

        X (n, *input_shape); y: one-hot (n, k) for categorical cross-entropy, (n,) or (n, 1) in
        {0, 1} for binary cross-entropy, (n,) or (n, k) reals for the squared loss.
        ``validation_split`` ∈ [0, 1) holds out that fraction of the examples (chosen at random
        with ``rng``) before training; ``validation_data`` = (X_val, y_val) instead. Each epoch
        makes :func:`iterations_per_epoch` updates. The tqdm progress bar goes to stdout, never
        stderr; ``progress=False`` silences it. ``rng`` defaults to the model's generator.
        """
        self._require_compiled("fit")
        X = self._check_inputs(X)
        Y = self._check_targets(y, len(X))
        check_matching_rows(X, Y, "X", "y")
        check_positive(epochs, "epochs", integer=True)
        check_positive(batch_size, "batch_size", integer=True)
        rng = self.rng if rng is None else np.random.default_rng(rng)
        if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real) \
                or not 0 <= validation_split < 1:
            raise ValueError(f"validation_split: expected a fraction in [0, 1), found "
                             f"{validation_split!r}")
        if validation_data is not None and validation_split:
            raise ValueError("give either validation_split or validation_data, not both")
        X_val = Y_val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data: expected a pair (X_val, y_val)")
            X_val = self._check_inputs(validation_data[0])
            Y_val = self._check_targets(validation_data[1], len(X_val))
            check_matching_rows(X_val, Y_val, "X_val", "y_val")
        elif validation_split:
            n_val = int(round(validation_split * len(X)))
            if n_val < 1 or n_val >= len(X):
                raise ValueError(f"validation_split={validation_split} of {len(X)} examples leaves "
                                 f"{n_val} for validation and {len(X) - n_val} for training; "
                                 "both need at least one")
            order = rng.permutation(len(X))
            X_val, Y_val = X[order[:n_val]], Y[order[:n_val]]
            X, Y = X[order[n_val:]], Y[order[n_val:]]
        if early_stopping is not None:
            if not isinstance(early_stopping, EarlyStopping):
                raise TypeError("early_stopping: expected an EarlyStopping, found "
                                f"{type(early_stopping).__name__}")
            if early_stopping.monitor.startswith("val_") and X_val is None:
                raise ValueError(f"early stopping monitors {early_stopping.monitor!r}: give "
                                 "validation_split or validation_data")
            early_stopping.reset()

        history = History()
        n = len(X)
        bar = tqdm(range(1, epochs + 1), desc="epochs", unit="epoch", file=sys.stdout,
                   disable=not progress, leave=True)
        for epoch in bar:
            order = rng.permutation(n) if shuffle else np.arange(n)
            total_loss, total_correct, counted = 0.0, 0.0, True
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for start in range(0, n, batch_size):
                    batch = order[start:start + batch_size]
                    total_loss += self.train_on_batch(X[batch], Y[batch]) * len(batch)
                    if "accuracy" in self.metrics and counted:
                        accuracy = self._accuracy(self._last_output, Y[batch])
                        counted = accuracy is not None
                        total_correct += (accuracy or 0.0) * len(batch)
            record = {"loss": total_loss / n}
            if not np.isfinite(record["loss"]):
                bar.close()
                raise FloatingPointError(f"the training loss became {record['loss']} in epoch "
                                         f"{epoch}: lower the learning rate or scale the inputs")
            if "accuracy" in self.metrics and counted:
                record["accuracy"] = total_correct / n
            if X_val is not None:
                for key, value in self.evaluate(X_val, Y_val).items():
                    record[f"val_{key}"] = value
            history.append(epoch, record)
            bar.set_postfix({k: round(v, 4) for k, v in record.items()})
            if early_stopping is not None:
                weights = self.get_weights() if early_stopping.restore_best_weights else None
                if early_stopping.update(epoch, record[early_stopping.monitor], weights):
                    history.stopped_epoch = epoch
                    break
        bar.close()
        if early_stopping is not None:
            history.best_epoch = early_stopping.best_epoch
            if early_stopping.restore_best_weights and early_stopping.best_weights is not None:
                self.set_weights(early_stopping.best_weights)
        return history

    # ----------------------------------------------------------------------------- checks
    def _require_built(self, what: str) -> None:
        if not self.built:
            raise RuntimeError(f"{what}: the model is not built yet; pass input_shape=… to "
                               "Sequential, call build(input_shape) or fit it on data first")

    def _require_compiled(self, what: str) -> None:
        if self.loss is None or self.optimizer is None:
            raise RuntimeError(f"{what}: call compile(loss=…, optimizer=…) before {what}")

    def _check_inputs(self, X) -> np.ndarray:
        X = as_float_array(X, "X")
        if X.ndim < 2:
            raise ValueError(f"X: expected a batch of shape (n, *input_shape) with one row per "
                             f"example, found shape {X.shape}")
        if not self.built:
            self.build(X.shape[1:])
        elif X.shape[1:] != self.input_shape:
            raise ValueError(f"X: expected examples of shape {self.input_shape}, found a batch of "
                             f"shape {X.shape}")
        return X

    def _check_targets(self, y, n: int) -> np.ndarray:
        from nnbook import losses

        k = self.output_shape[0] if len(self.output_shape) == 1 else None
        loss_name = type(self.loss).__name__
        Y = as_float_array(y, "y")
        if Y.ndim == 1 and k == 1:
            Y = Y.reshape(-1, 1)
        if Y.ndim == 1 and isinstance(self.loss, losses.CategoricalCrossEntropy):
            raise ValueError(f"y: {loss_name} expects one-hot targets of shape (n, {k}), found "
                             f"shape {Y.shape}; encode class labels with "
                             f"nnbook.data.one_hot(labels, {k})")
        if Y.shape[1:] != self.output_shape:
            raise ValueError(f"y: the model outputs shape (n, {', '.join(map(str, self.output_shape))})"
                             f" for {loss_name}, found targets of shape {Y.shape}")
        if len(Y) != n:
            raise ValueError(f"y has {len(Y)} rows but X has {n}; expected one target per example")
        if isinstance(self.loss, (losses.CategoricalCrossEntropy, losses.BinaryCrossEntropy)):
            if np.any((Y < 0) | (Y > 1)):
                raise ValueError(f"y: {loss_name} expects targets in [0, 1], found values from "
                                 f"{Y.min()} to {Y.max()}")
        if isinstance(self.loss, losses.CategoricalCrossEntropy) and not np.allclose(Y.sum(axis=1), 1):
            raise ValueError(f"y: {loss_name} expects each row to sum to 1 (one-hot), found row "
                             f"sums from {Y.sum(axis=1).min()} to {Y.sum(axis=1).max()}")
        return Y

    def _accuracy(self, output, Y) -> float | None:
        """Share of correct classes, or None when the targets are not classes (regression)."""
        if output is None or not np.all((Y == 0) | (Y == 1)):
            return None
        if Y.shape[1] > 1:
            return float(np.mean(np.argmax(output, axis=1) == np.argmax(Y, axis=1)))
        threshold = 0.0 if getattr(self.loss, "from_logits", False) else 0.5
        return float(np.mean((output > threshold) == (Y > 0.5)))

    def __repr__(self):
        return f"Sequential(layers={[layer.name for layer in self.layers]}, n_params={self.n_params})"


def gradient_descent_variants(X=None, y=None, *, epochs: int = 10, learning_rate: float = 0.1,
                              batch_size: int = 32, rng=0) -> dict:
    """Batch, stochastic and mini-batch gradient descent on one convex problem (fig. 15.12).

    The problem is least squares for a linear model y ≈ w x + b (a Dense(1) layer, MSE loss)
    on X (n, 1), y (n,); by default n = 256 points of y = 2x − 1 + noise with x standardised.
    Each variant starts from w = b = 0 and runs ``epochs`` epochs of SGD with B = n, 1 and
    ``batch_size``. Returns {"batch" | "stochastic" | "mini-batch": dict} with ``batch_size``,
    ``iterations_per_epoch``, ``epoch`` (fraction of epochs done at each point), ``loss`` (MSE
    on all n points after each update, starting with the initial loss) and ``path`` (the
    (w, b) after each update, shape (updates + 1, 2)).
    """
    from nnbook.layers import Dense
    from nnbook.optim import SGD

    rng = np.random.default_rng(rng)
    if X is None:
        x = rng.standard_normal(256)
        X, y = x[:, None], 2.0 * x - 1.0 + 0.5 * rng.standard_normal(256)
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=(1, 2)).reshape(len(y), -1)
    if X.shape[1] != 1 or y.shape[1] != 1:
        raise ValueError(f"expected X (n, 1) and y (n,) for the two-parameter picture, found "
                         f"{X.shape} and {y.shape}")
    check_matching_rows(X, y, "X", "y")
    n = len(X)
    results = {}
    for name, B in (("batch", n), ("stochastic", 1), ("mini-batch", batch_size)):
        model = Sequential([Dense(1, kernel_initializer="zeros")], input_shape=(1,), rng=rng)
        model.compile(loss="mse", optimizer=SGD(learning_rate=learning_rate), metrics=())
        layer = model.layers[0]
        losses_, path = [model.compute_loss(X, y)], [(layer.params["W"][0, 0], layer.params["b"][0])]
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, B):
                batch = order[start:start + B]
                model.train_on_batch(X[batch], y[batch])
                losses_.append(model.compute_loss(X, y))
                path.append((layer.params["W"][0, 0], layer.params["b"][0]))
        k = iterations_per_epoch(n, B)
        results[name] = {"batch_size": B, "iterations_per_epoch": k,
                         "epoch": np.arange(len(losses_)) / k, "loss": np.array(losses_),
                         "path": np.array(path)}
    return results
