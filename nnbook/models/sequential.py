"""The one network: a stack of layers trained by (mini-batch) gradient descent.

:class:`Sequential` chains layers of the :mod:`nnbook.layers` protocol. ``forward`` is forward
propagation (陈强 (15.24)–(15.25)); ``backward`` is back-propagation: it starts from the loss
gradient ∂L/∂(output) and hands each layer's input gradient to the layer below, each layer
adding its parameter gradients on the way. For Dense layers this is exactly the δ recursion of
陈强 (15.26)–(15.29) (see :mod:`nnbook.layers.dense`). The output-layer δ, which 陈强 leaves out,
comes from the loss: when the loss pairs with the last layer's activation (softmax with
categorical cross-entropy, sigmoid with binary cross-entropy) the model asks the loss for its
from-logits twin (``Loss.fused_with``) and starts from p − y at the logits, stable for extreme
logits; otherwise from f′(z) ⊙ ∂L/∂a. Weight penalties (陈强 (15.33)) join the objective and the
gradients of the parameters they act on.

Training: :meth:`Sequential.fit` is the fit loop of :mod:`nnbook.train.fit` (epochs of
shuffled mini-batches, 陈强 (15.30)–(15.32)); :meth:`train_on_batch` is one step.

Checks happen once, where data enter (``fit``, ``evaluate``, ``predict``, ``train_on_batch``,
``compute_gradients``): the inputs and targets are converted to the model's dtype and checked
for shape, finiteness and, for the loss, valid targets. Inside, every mini-batch is a slice of
checked arrays, so the step (:meth:`train_on_checked_batch`) and the layers
(``forward_unchecked``) run without checking again. Back-propagation stops at the lowest layer
with parameters, which skips ∂L/∂(data) when it can (``input_grad=False``).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.functional.losses import Loss, get_loss
from nnbook.layers.base import Layer
from nnbook.optim import get_optimizer
from nnbook.train import fit as fit_loop
from nnbook.train.callbacks import EarlyStopping
from nnbook.train.history import History
from nnbook.train.metrics import METRICS, accuracy
from nnbook.validation import as_float_array, check_positive


class Sequential:
    """A stack of layers: ``Sequential([Dense(16, activation="relu"), Dense(1)], input_shape=(8,))``.

    ``rng`` (Generator or seed) initialises the weights, draws dropout masks (for Dropout
    layers without their own rng), shuffles and splits in ``fit`` unless fit gets its own.
    Parameters are created when the input shape is known: from ``input_shape`` here, from
    :meth:`build`, or from the first data seen. ``dtype`` ("float64" or "float32") is the type
    of the parameters and of every batch: inputs and targets are converted once, on entry.
    """

    def __init__(self, layers=None, input_shape=None, rng=None, name: str = "sequential",
                 dtype="float64"):
        self.name = name
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype: expected 'float32' or 'float64', found {dtype!r}")
        self.rng = np.random.default_rng(rng)
        self.layers: list[Layer] = []
        self.input_shape = None
        self.built = False
        self.loss: Loss | None = None
        self.optimizer = None
        self.metrics: tuple[str, ...] = ()
        self.last_output = None
        self._outputs: list = []          # every layer's output in the last forward pass
        self._output_shapes: list[tuple] = []
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
            layer.build(self._output_shapes[-1], self.rng, self.dtype)
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
            layer.build(shape, self.rng, self.dtype)
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

    def trainable_params(self) -> list:
        """Every trainable :class:`~nnbook.layers.param.Param`, layer by layer (what the optimiser steps)."""
        return [p for layer in self.layers for p in layer.params.values() if p.trainable]

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
        trainable = sum(p.size for p in self.trainable_params())
        out += [line, f"Total params: {self.n_params:,}", f"Trainable params: {trainable:,}",
                f"Non-trainable params: {self.n_params - trainable:,}"]
        return "\n".join(out)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """Copies of every layer's parameter values (one dict per layer, keyed like ``params``)."""
        return [{k: p.value.copy() for k, p in layer.params.items()} for layer in self.layers]

    def set_weights(self, weights) -> None:
        """Copy ``weights`` (as from :meth:`get_weights`) into the layers' parameters, in place."""
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
            for key, value in values.items():
                layer.params[key].value[...] = value

    # ----------------------------------------------------------------------------- compile
    def compile(self, loss, optimizer="sgd", metrics=("accuracy",)) -> None:
        """Choose the loss (a name for :func:`nnbook.functional.losses.get_loss` or a Loss), the
        optimiser (``"sgd"`` or e.g. ``SGD(learning_rate=0.1)``) and the metrics (``accuracy``)."""
        self.loss = get_loss(loss)
        self.optimizer = get_optimizer(optimizer)
        if isinstance(metrics, str):
            metrics = (metrics,)
        unknown = [m for m in (metrics or ()) if m not in METRICS]
        if unknown:
            raise ValueError(f"metrics: supported are {list(METRICS)}, found {unknown}")
        self.metrics = tuple(metrics or ())

    def _fused_loss(self) -> Loss | None:
        """The loss's from-logits twin when it pairs with the last layer's activation (and that
        layer has no activity penalty, whose gradient is on the activation's output)."""
        if not self.layers or self.layers[-1].activity_regularizer is not None:
            return None
        return self.loss.fused_with(self.layers[-1].activation)

    # ----------------------------------------------------------------------------- passes
    def forward(self, X, training: bool = False) -> np.ndarray:
        """Forward propagation (陈强 (15.24)–(15.25)) through every layer; X ``(batch, *input_shape)``."""
        return self._forward(self._check_inputs(X), training)

    def _forward(self, X, training: bool) -> np.ndarray:
        """``forward`` of a checked batch: the layers trust it (``forward_unchecked``)."""
        self._outputs = []
        for layer in self.layers:
            X = layer.forward_unchecked(X, training=training)
            self._outputs.append(X)
        return X

    def backward(self, grad_output) -> np.ndarray:
        """Back-propagation: ∂L/∂(output) in, ∂L/∂X out; adds to every parameter's ``grad``."""
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def zero_grads(self) -> None:
        for layer in self.layers:
            layer.zero_grads()

    def regularization_loss(self) -> float:
        """Σ of the layers' penalties, e.g. λ‖W‖² per regularised kernel (陈强 (15.33)), plus
        each activity penalty on the layer's output of the last forward pass, ÷ the batch size."""
        total = sum(penalty(param.value) for layer in self.layers
                    for param, penalty in layer.penalties())
        for layer, output in zip(self.layers, self._outputs):
            if layer.activity_regularizer is not None:
                total += layer.activity_regularizer(output) / len(output)
        return float(total)

    def _with_activity(self, layer, index: int, grad):
        """∂L/∂(output of layer ``index``), plus the gradient of its activity penalty if any."""
        if layer.activity_regularizer is None:
            return grad
        output = self._outputs[index]
        return grad + layer.activity_regularizer.gradient(output) / len(output)

    def compute_loss(self, X, Y, training: bool = False) -> float:
        """The objective: mean loss over the batch (陈强 (15.21)) plus the penalties (15.33)."""
        self._require_compiled("compute_loss")
        output = self.forward(X, training=training)
        return self._objective(output, self._check_targets(Y, len(output)))

    def _objective(self, output, Y) -> float:
        """Loss of the last forward pass (its ``output``) against checked targets, plus penalty."""
        fused = self._fused_loss()
        data = fused(self.layers[-1].preactivation, Y) if fused else self.loss(output, Y)
        return float(data) + self.regularization_loss()

    def compute_gradients(self, X, Y, training: bool = True) -> float:
        """Zero the gradients, then forward and backward on one batch; return the objective.

        Afterwards every parameter's ``grad`` holds ∂(objective)/∂θ for this batch.
        """
        self._require_compiled("compute_gradients")
        X = self._check_inputs(X)
        return self._gradients(X, self._check_targets(Y, len(X)), training)

    def _gradients(self, X, Y, training: bool) -> float:
        """``compute_gradients`` for a checked batch X and checked targets Y."""
        self.zero_grads()
        output = self._forward(X, training)
        self.last_output = output
        fused = self._fused_loss()
        if fused:
            value, grad = fused.value_and_gradient(self.layers[-1].preactivation, Y)
        else:
            value, grad = self.loss.value_and_gradient(output, Y)
        last, lowest = len(self.layers) - 1, self._lowest_with_params()
        for index in range(last, lowest - 1, -1):
            from_logits = fused is not None and index == last
            grad = self._backward_layer(index, grad, from_logits, lowest)
        for layer in self.layers:
            for param, penalty in layer.penalties():
                param.grad += penalty.gradient(param.value)
        return float(value) + self.regularization_loss()

    def _lowest_with_params(self) -> int:
        """Index of the lowest layer with parameters: back-propagation need not go further
        (len(layers) when no layer has any)."""
        return next((i for i, layer in enumerate(self.layers) if layer.params), len(self.layers))

    def _backward_layer(self, index: int, grad, from_logits: bool, lowest: int):
        """One layer's backward inside the model: from ∂L/∂(its preactivation) for a fused output
        layer, else from ∂L/∂(its output) plus its activity penalty. The lowest layer with
        parameters skips ∂L/∂(its input) when it can: below it there is only the data."""
        layer = self.layers[index]
        backward = layer.backward_preactivation if from_logits else layer.backward
        if not from_logits:
            grad = self._with_activity(layer, index, grad)
        if index == lowest and layer.skips_input_grad:
            return backward(grad, input_grad=False)
        return backward(grad)

    def train_on_batch(self, X, Y) -> float:
        """One gradient step (陈强 (15.32)) on the batch; returns the objective before the step."""
        self._require_compiled("train_on_batch")
        X = self._check_inputs(X)
        return self.train_on_checked_batch(X, self._check_targets(Y, len(X)))

    def train_on_checked_batch(self, X, Y) -> float:
        """:meth:`train_on_batch` for a batch that is checked already — e.g. a slice of the
        arrays ``fit`` checked on entry: X of the model's dtype and input shape, Y of the
        model's dtype and output shape with targets the loss accepts. Nothing is checked again."""
        self._require_compiled("train_on_checked_batch")
        value = self._gradients(X, Y, training=True)
        self.optimizer.step(self.trainable_params())
        return value

    # ----------------------------------------------------------------------------- use
    def predict(self, X, batch_size: int | None = None) -> np.ndarray:
        """Outputs in inference mode (dropout off), computed ``batch_size`` rows at a time."""
        X = self._check_inputs(X)
        if batch_size is None:
            return self._forward(X, training=False)
        check_positive(batch_size, "batch_size", integer=True)
        return np.concatenate([self._forward(X[i:i + batch_size], training=False)
                               for i in range(0, len(X), batch_size)])

    def evaluate(self, X, Y) -> dict[str, float]:
        """``{"loss": …, "accuracy": …}`` on (X, Y) in inference mode (accuracy for class targets)."""
        self._require_compiled("evaluate")
        X = self._check_inputs(X)
        Y = self._check_targets(Y, len(X))
        output = self._forward(X, training=False)
        result = {"loss": self._objective(output, Y)}
        if "accuracy" in self.metrics:
            share = accuracy(output, Y, from_logits=self.loss.from_logits)
            if share is not None:
                result["accuracy"] = share
        return result

    def fit(self, X, y, epochs: int = 1, batch_size: int = 32, validation_split: float = 0.0,
            validation_data=None, shuffle: bool = True, early_stopping: EarlyStopping | None = None,
            progress: bool = True, rng=None) -> History:
        """Train by mini-batch gradient descent (:func:`nnbook.train.fit.fit`); return a History.

        X ``(n, *input_shape)``; y: one-hot (n, k) for categorical cross-entropy, (n,) or (n, 1) in
        {0, 1} for binary cross-entropy, (n,) or (n, k) reals for the squared loss.
        ``validation_split`` ∈ [0, 1) holds out that fraction of the examples (chosen at random
        with ``rng``) before training; ``validation_data`` = (X_val, y_val) instead. Each epoch
        makes ⌈n/B⌉ updates. ``rng`` defaults to the model's generator.
        """
        self._require_compiled("fit")
        X = self._check_inputs(X)
        Y = self._check_targets(y, len(X))
        rng = self.rng if rng is None else np.random.default_rng(rng)
        if validation_data is not None and validation_split:
            raise ValueError("give either validation_split or validation_data, not both")
        evaluation = {}
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data: expected a pair (X_val, y_val)")
            X_val = self._check_inputs(validation_data[0])
            evaluation["val"] = (X_val, self._check_targets(validation_data[1], len(X_val)))
        elif validation_split:
            X, Y, X_val, Y_val = fit_loop.split_validation(X, Y, validation_split, rng)
            evaluation["val"] = (X_val, Y_val)
        elif isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real):
            raise ValueError(f"validation_split: expected a fraction in [0, 1), found "
                             f"{validation_split!r}")
        return fit_loop.fit(self, X, Y, epochs=epochs, batch_size=batch_size, rng=rng,
                            shuffle=shuffle, evaluation=evaluation, early_stopping=early_stopping,
                            progress=progress, step=self.train_on_checked_batch)

    # ----------------------------------------------------------------------------- checks
    def _require_built(self, what: str) -> None:
        if not self.built:
            raise RuntimeError(f"{what}: the model is not built yet; pass input_shape=… to "
                               "Sequential, call build(input_shape) or fit it on data first")

    def _require_compiled(self, what: str) -> None:
        if self.loss is None or self.optimizer is None:
            raise RuntimeError(f"{what}: call compile(loss=…, optimizer=…) before {what}")

    def _check_inputs(self, X) -> np.ndarray:
        X = as_float_array(X, "X", dtype=self.dtype)
        if X.ndim < 2:
            raise ValueError(f"X: expected a batch of shape (n, *input_shape) with one row per "
                             f"example, found shape {X.shape}")
        if X.shape[0] == 0:
            raise ValueError(f"X: expected at least one example, found an empty batch of shape "
                             f"{X.shape}")
        if not self.built:
            self.build(X.shape[1:])
        elif X.shape[1:] != self.input_shape:
            raise ValueError(f"X: expected examples of shape {self.input_shape}, found a batch of "
                             f"shape {X.shape}")
        return X

    def _check_targets(self, y, n: int) -> np.ndarray:
        Y = self.loss.check_targets(y, self.output_shape).astype(self.dtype, copy=False)
        if len(Y) != n:
            raise ValueError(f"y has {len(Y)} rows but X has {n}; expected one target per example")
        return Y

    def __repr__(self):
        return f"Sequential(layers={[layer.name for layer in self.layers]}, n_params={self.n_params})"
