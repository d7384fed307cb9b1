"""Chapter 2's demos (陈强 ch. 15): the code the chapter runs and the tour reruns.

Everything here is chapter-specific glue on top of the library: the perceptron learning the
gates of figure 15.3, the symmetry of equal starting weights (§15.7), batch, stochastic and
mini-batch descent side by side (figure 15.12; the runs live in
:func:`nnbook.analysis.linear_regression.gradient_descent_variants`, which chapter 5 shares),
the chapter's derivations, and its figures.
"""

from __future__ import annotations

import numpy as np

from nnbook.layers import Dense
from nnbook.layers.initializers import constant, get_initializer
from nnbook.models.logic_gates import gate_dataset
from nnbook.models.perceptron_learning import PerceptronClassifier
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD


def learn_gate(gate: str, *, max_iter: int = 100) -> PerceptronClassifier:
    """Train the perceptron (陈强 (15.5)–(15.6), batch mode) on a truth table of figure 15.3."""
    return PerceptronClassifier(eta=1.0, max_iter=max_iter, mode="batch").fit(*gate_dataset(gate))


def symmetry_demo(initializer="constant", steps: int = 50, rng=0) -> dict:
    """Train a 2-3-1 network on XOR from ``initializer`` and report whether hidden units differ.

    Returns a dict: ``initial`` and ``trained`` hidden kernels (2, 3), ``column_spread``
    (largest difference between two hidden units' incoming weights after training, 0 when the
    symmetry never breaks) and ``losses`` (per step). With ``"constant"`` (or ``"zeros"``)
    the three hidden units stay identical — 陈强's reason for random W₀ (§15.7); with
    ``"uniform"`` or ``"normal"`` they separate.
    """
    rng = np.random.default_rng(rng)
    init = constant(0.5) if initializer == "constant" else get_initializer(initializer)
    model = Sequential([Dense(3, activation="sigmoid", kernel_initializer=init),
                        Dense(1, activation="sigmoid", kernel_initializer=init)],
                       input_shape=(2,), rng=rng)
    model.compile(loss="mse", optimizer=SGD(learning_rate=1.0))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    hidden = model.layers[0]
    initial = hidden.params["kernel"].value.copy()
    losses = [model.train_on_batch(X, Y) for _ in range(steps)]
    trained = hidden.params["kernel"].value.copy()
    spread = float(np.max(trained.max(axis=1) - trained.min(axis=1)))
    return {"initial": initial, "trained": trained, "column_spread": spread,
            "losses": np.array(losses)}


def derivations():
    """Every step-by-step derivation the chapter prints (and the tests verify)."""
    from nnbook.symbolic import activations, backprop, losses

    return [activations.logistic_derivative(), activations.logistic_derivative_bound(),
            activations.tanh_identity(), activations.tanh_derivative(),
            activations.leaky_relu_derivative("positive"),
            activations.leaky_relu_derivative("negative"), activations.softplus_derivative(),
            losses.binary_cross_entropy_gradient(), losses.softmax_jacobian_entry(1, 1),
            losses.softmax_jacobian_entry(1, 2), losses.softmax_cross_entropy_gradient(),
            backprop.backprop_derivation(2, 1, 1), backprop.backprop_derivation(1, 1, 1)]
