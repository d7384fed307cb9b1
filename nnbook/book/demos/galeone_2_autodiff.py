"""Chapter 4's autodiff examples (Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2,
§'Backpropagation and automatic differentiation'), run with :mod:`nnbook.autodiff`.

* The source's worked decomposition: a neuron with two inputs and a ReLU,
  O = relu(sum(sum(mul(x1, w1), mul(x2, w2)), b)), as a graph of mul, sum and relu nodes. The
  source's formulas are lost images; the composition and the node functions are reconstructed
  from its prose, and the loss L = (y − O)² is our reconstruction of its "simple loss" (the
  source does not say which one). :func:`relu_neuron_graph` is the chapter's table: every node
  with its forward value and its gradient ∂L/∂node; :func:`relu_neuron_chain_rule` the factors
  of the Leibniz chain ∂L/∂w1 = ∂L/∂O · ∂O/∂s2 · ∂s2/∂s1 · ∂s1/∂m1 · ∂m1/∂w1.
* Beyond the source chapter (an addition): the engine trains a small network. A
  :class:`~nnbook.models.sequential.Sequential` of Dense layers is rebuilt from its own Params
  as a graph (:func:`engine_mlp_loss`); :func:`compare_with_sequential` takes the same
  optimiser steps once through the engine and once through the layers' hand-written backward
  passes and reports how far the weights end up apart.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.autodiff import Tensor, gradient_table, local_derivatives, relu
from nnbook.functional.losses import MeanSquaredError
from nnbook.layers.dense import Dense
from nnbook.models.sequential import Sequential
from nnbook.optim import get_optimizer
from nnbook.validation import as_float_array, check_positive

# ------------------------------------------------------------------ the ReLU neuron

#: Values for the chapter's table: s = x1·w1 + x2·w2 + b = 0.6 − 0.4 + 0.1 = 0.3 > 0, the
#: ReLU passes ("active"): O = 0.3, L = 0.49, ∂L/∂w1 = −2(1 − 0.3)·1·1.5 = −2.1. With
#: b = −0.5, s = −0.3 and the ReLU blocks every gradient below it ("inactive").
NEURON_ACTIVE = {"x1": 1.5, "x2": -0.5, "w1": 0.4, "w2": 0.8, "b": 0.1, "y": 1.0}
NEURON_INACTIVE = {**NEURON_ACTIVE, "b": -0.5}


def _scalar(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite real number, found {value!r}")
    return float(value)


def relu_neuron(x1, x2, w1, w2, b, y) -> Tensor:
    """The loss L = (y − O)² of O = relu(sum(sum(mul(x1, w1), mul(x2, w2)), b)) as a graph.

    Scalars in; returns L, a Tensor whose nodes are named as in the chapter: leaves x1, w1,
    x2, w2, b, y; operations mul1, mul2, sum1, sum2, O (the relu), y − O and L.
    """
    leaves = {name: Tensor(_scalar(value, name), name=name)
              for name, value in zip(("x1", "x2", "w1", "w2", "b", "y"), (x1, x2, w1, w2, b, y))}
    mul1 = leaves["x1"] * leaves["w1"]
    mul2 = leaves["x2"] * leaves["w2"]
    sum1 = mul1 + mul2
    sum2 = sum1 + leaves["b"]
    out = relu(sum2)
    error = leaves["y"] - out
    loss = error ** 2
    for node, name in ((mul1, "mul1"), (mul2, "mul2"), (sum1, "sum1"), (sum2, "sum2"),
                       (out, "O"), (error, "y − O"), (loss, "L")):
        node.name = name
    return loss


def relu_neuron_graph(x1, x2, w1, w2, b, y) -> list:
    """The chapter's table: every node of :func:`relu_neuron` in forward order after one
    backward pass, as :class:`nnbook.autodiff.GraphRow` (name, op, value, grad = ∂L/∂node)."""
    loss = relu_neuron(x1, x2, w1, w2, b, y)
    loss.backward()
    return gradient_table(loss)


def relu_neuron_chain_rule(x1, x2, w1, w2, b, y) -> dict[str, float]:
    """The chain rule for ∂L/∂w1, factor by factor, each the local derivative of one node as
    the engine's rule for that node computes it (:func:`nnbook.autodiff.local_derivatives`):
    L = (y − O)² then y − O, O = relu(sum2), sum2 = sum1 + b, sum1 = mul1 + mul2,
    mul1 = x1·w1 — and their product, ``"dL/dw1"`` (what backward leaves in w1.grad).

    The product of the first two factors is ∂L/∂O = −2(y − O); the relu contributes 1[s > 0],
    the two sums 1 each and mul1 contributes x1.
    """
    loss = relu_neuron(x1, x2, w1, w2, b, y)
    error = loss.parents[0]
    out = error.parents[1]
    sum2 = out.parents[0]
    sum1, mul1 = sum2.parents[0], sum2.parents[0].parents[0]
    factors = {"dL/d(y − O)": local_derivatives(loss)[0],
               "d(y − O)/dO": local_derivatives(error)[1],
               "dO/dsum2": local_derivatives(out)[0],
               "dsum2/dsum1": local_derivatives(sum2)[0],
               "dsum1/dmul1": local_derivatives(sum1)[0],
               "dmul1/dw1": local_derivatives(mul1)[1]}
    factors = {key: float(value) for key, value in factors.items()}
    factors["dL/dw1"] = float(np.prod(list(factors.values())))
    return factors


# ------------------------------------------------------------------ an MLP built by the engine

def _dense_layers(model) -> list[Dense]:
    if not isinstance(model, Sequential):
        raise TypeError(f"model: expected a built nnbook Sequential, found "
                        f"{type(model).__name__}")
    if not model.built:
        raise ValueError("model: build the Sequential first (give it input_shape), so that its "
                         "Params exist")
    layers = list(model.layers)
    for layer in layers:
        if not isinstance(layer, Dense) or layer.activation not in _ACTIVATIONS:
            raise ValueError(f"engine_mlp_loss: supports Dense layers with activations "
                             f"{sorted(_ACTIVATIONS)}; found {layer!r}")
        if layer.penalties() or layer.activity_regularizer is not None:
            raise ValueError(f"engine_mlp_loss: {layer.name} has a penalty; not supported")
    return layers


_ACTIVATIONS = {"linear": lambda t: t, "tanh": Tensor.tanh, "sigmoid": Tensor.sigmoid,
                "relu": Tensor.relu}


def engine_mlp_loss(model, X, Y) -> Tensor:
    """nnbook's MSE of ``model`` on (X, Y), as a graph whose leaves are the model's Params.

    X (n, inputs), Y (n, outputs): each Dense layer is A = f(A_prev @ W + b) with the kernel
    W (inputs, units) and bias b (units,) bound by :meth:`Tensor.from_param`; the loss is
    nnbook's :class:`~nnbook.functional.losses.MeanSquaredError`: Σ (ŷ − y)² over the outputs,
    averaged over the n examples (no ½). Backward adds ∂L/∂θ into every Param's ``grad``.
    """
    layers = _dense_layers(model)
    X = as_float_array(X, "X", ndim=2, dtype=np.float64)
    Y = as_float_array(Y, "Y", ndim=2, dtype=np.float64)
    if X.shape[1:] != tuple(model.input_shape):
        raise ValueError(f"X: the model takes examples of shape {tuple(model.input_shape)}, "
                         f"found a batch of shape {X.shape}")
    if len(X) != len(Y) or len(X) == 0:
        raise ValueError(f"X and Y: expected the same number (≥ 1) of rows, found {len(X)} "
                         f"and {len(Y)}")
    activation = Tensor(X, name="X")
    for layer in layers:
        kernel = Tensor.from_param(layer.params["kernel"])
        bias = Tensor.from_param(layer.params["bias"])
        activation = _ACTIVATIONS[layer.activation](activation @ kernel + bias)
    if activation.shape != Y.shape:
        raise ValueError(f"Y: the model outputs {activation.shape}, found targets {Y.shape}")
    loss = ((activation - Y) ** 2).sum() / len(X)
    loss.name = "L"
    return loss


def engine_mlp_steps(model, X, Y, optimizer, steps: int) -> list[float]:
    """``steps`` training steps of ``model``'s Params by the engine: zero the grads, build
    :func:`engine_mlp_loss`, backward, ``optimizer.step``. Returns the loss before each step."""
    check_positive(steps, "steps", integer=True)
    optimizer = get_optimizer(optimizer)
    params = model.trainable_params()
    losses = []
    for _ in range(steps):
        for param in params:
            param.zero_grad()
        loss = engine_mlp_loss(model, X, Y)
        loss.backward()
        optimizer.step(params)
        losses.append(loss.item())
    return losses


def sequential_steps(model, X, Y, optimizer, steps: int) -> list[float]:
    """The same ``steps`` through the model's own layers: compile with nnbook's MSE and the
    optimiser, then ``train_on_batch`` on the whole (X, Y) each time."""
    check_positive(steps, "steps", integer=True)
    model.compile(loss=MeanSquaredError(), optimizer=get_optimizer(optimizer), metrics=())
    return [model.train_on_batch(X, Y) for _ in range(steps)]


def example_mlp(seed: int = 0, n_inputs: int = 4) -> Sequential:
    """Dense(5, tanh) → Dense(3, sigmoid) on ``n_inputs`` features, weights from ``seed``."""
    return Sequential([Dense(5, activation="tanh"), Dense(3, activation="sigmoid")],
                      input_shape=(n_inputs,), rng=seed)


def compare_with_sequential(make_optimizer, steps: int = 5, seed: int = 0,
                            n_examples: int = 8) -> dict:
    """Train two copies of :func:`example_mlp` (same seed) for ``steps`` full-batch steps, one
    by the engine and one by the layers, each with a fresh ``make_optimizer()``, on the same
    random data (X ~ N(0, 1), targets in (0, 1)). Returns both loss sequences and
    ``max_weight_difference``, the largest |θ_engine − θ_layers| after the last step."""
    if not callable(make_optimizer):
        raise TypeError("make_optimizer: expected a callable returning a fresh optimiser, e.g. "
                        "lambda: SGD(learning_rate=0.5)")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_examples, 4))
    Y = rng.uniform(0.1, 0.9, size=(n_examples, 3))
    engine_model, layer_model = example_mlp(seed), example_mlp(seed)
    engine_losses = engine_mlp_steps(engine_model, X, Y, make_optimizer(), steps)
    layer_losses = sequential_steps(layer_model, X, Y, make_optimizer(), steps)
    difference = max(float(np.max(np.abs(a.value - b.value)))
                     for a, b in zip(engine_model.trainable_params(),
                                     layer_model.trainable_params()))
    return {"engine_losses": engine_losses, "sequential_losses": layer_losses,
            "max_weight_difference": difference}
