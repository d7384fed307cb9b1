"""Chapter 4's demos (Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2): the
small computations the chapter, its tour rows and its figures rerun on the library.

The source has no code and no numeric example, and almost all of its formulas are lost images:
every number here is *derived* (it follows from a formula or a claim of the text), or one the
source states (10 inputs → 2 outputs, constant 10, N(0, 1), μ ∈ [0.9, 0.999], 200×200×3 …).

This module covers §'Artificial neurons' to §'Parameter initialization': the neuron
O = f(Σ xᵢwᵢ + b) and the fully connected layer O = f(xW + b) in the row convention (x a row
vector (1, D), W (D, M)) with the column form Wᵀx equivalent, the collapse of stacked linear
layers, the activations, pixel scaling, one-hot / argmax / mean L2 loss, and the symmetry of a
constant initialisation. :mod:`nnbook.book.demos.galeone_2_optimization` covers §'Optimization'
to §'ADAM', :mod:`nnbook.book.demos.galeone_2_autodiff` the autodiff section,
:mod:`nnbook.book.demos.galeone_2_cnn` the convolution and regularisation sections.

Library pieces are imported inside the functions that need them, so importing stays cheap.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array

#: The fully connected network of the source's figure in §'Fully connected layers': 10 input
#: features, two hidden layers, 2 outputs (the text says 10 → 2; the hidden widths are not
#: given: 6 and 4 here, each layer narrower than the one before, as the text describes).
FC_FIGURE_SIZES = (10, 6, 4, 2)
#: The constant of the source's exercise on initialisation (every parameter set to 10).
CONSTANT_INIT = 10.0


def _dense(kernel, bias, activation):
    """A built :class:`nnbook.layers.dense.Dense` holding ``kernel`` (D, M) and ``bias`` (M,)."""
    from nnbook.layers.dense import Dense

    kernel = as_float_array(kernel, "kernel", ndim=2)
    bias = as_float_array(bias, "bias", ndim=1)
    layer = Dense(kernel.shape[1], activation=activation)
    layer.build((kernel.shape[0],), np.random.default_rng(0))
    layer.params["kernel"].value = kernel.copy()
    layer.params["bias"].value = bias.copy()
    return layer


def derivations():
    """Every step-by-step sympy derivation of the chapter (all reconstructed or derived: the
    source's formulas are lost images), in the chapter's order; each ``verify()``-es."""
    from nnbook.symbolic import convolution, linear_layers, optimizers

    return [linear_layers.linear_collapse(), linear_layers.column_form(),
            optimizers.parabola_step(), optimizers.quadratic_step_decrease(),
            optimizers.minibatch_full_batch(), optimizers.minibatch_single_example(),
            optimizers.minibatch_average_unbiased(), optimizers.momentum_unrolled(),
            optimizers.momentum_constant_gradient(), optimizers.nesterov_lookahead(),
            optimizers.adam_first_moment_bias(), optimizers.adam_first_step(),
            optimizers.adam_epsilon_placement(), convolution.convolution_commutes(),
            convolution.one_by_one_reduction(), convolution.one_by_one_filters(),
            optimizers.weight_decay_update()]


# ------------------------------------------------------------------ §'Artificial neurons'

def neuron(x, w, b: float, activation: str = "sigmoid") -> dict:
    """O = f(Σᵢ xᵢwᵢ + b) (the source's neuron, §'Artificial neurons') computed three ways:
    the written-out sum, :class:`nnbook.models.perceptron.Perceptron`'s weighted input w·x + b
    passed through f, and a one-unit :class:`~nnbook.layers.dense.Dense` layer.

    ``x``, ``w``: (D,); returns {"sum", "perceptron", "dense"} (floats) and "weighted_input".
    Without f the neuron's decision boundary Σ xᵢwᵢ + b = 0 is a hyperplane; a monotone f
    with a threshold keeps it one (the source's "hypersurface" is wrong for one neuron).
    """
    from nnbook.functional.activations import get_activation
    from nnbook.models.perceptron import Perceptron

    x = as_float_array(x, "x", ndim=1)
    w = as_float_array(w, "w", ndim=1)
    if x.shape != w.shape:
        raise ValueError(f"x and w: expected the same length D, found {x.shape} and {w.shape}")
    f, _ = get_activation(activation)
    total = float(b)
    for xi, wi in zip(x, w):
        total += float(xi) * float(wi)
    weighted = float(Perceptron(w, b).weighted_input(x))
    layer = _dense(w[:, None], [b], activation)
    return {"weighted_input": total, "sum": float(f(total)), "perceptron": float(f(weighted)),
            "dense": float(layer.forward(x[None, :])[0, 0])}


# ------------------------------------------------------------------ §'Fully connected layers'

def dense_forms(x, kernel, bias, activation: str = "sigmoid") -> dict:
    """A fully connected layer in both conventions (§'Fully connected layers', reconstructed).

    Row form (the library's and TensorFlow's): O = f(xW + b), x (n, D), W (D, M), b (M,).
    Column form: O = f(Vx + b) with V = Wᵀ (M, D) acting on a column x (D, 1). One neuron:
    Oᵢ = f(Σⱼ xⱼ wⱼᵢ + bᵢ). Returns the three (n, M) arrays: "row" (Dense), "column",
    "per_neuron".
    """
    from nnbook.functional.activations import get_activation

    x = as_float_array(x, "x", ndim=2)
    layer = _dense(kernel, bias, activation)
    W, b = layer.params["kernel"].value, layer.params["bias"].value
    f, _ = get_activation(activation)
    column = f(W.T @ x.T + b[:, None]).T
    per_neuron = np.array([[f(sum(x[n, j] * W[j, i] for j in range(W.shape[0])) + b[i])
                            for i in range(W.shape[1])] for n in range(x.shape[0])])
    return {"row": layer.forward(x), "column": column, "per_neuron": per_neuron}


def fc_figure_network(sizes=FC_FIGURE_SIZES, rng=0):
    """The source's two-hidden-layer figure as a built Sequential of Dense layers (sigmoid)."""
    from nnbook.layers.dense import Dense
    from nnbook.models.sequential import Sequential

    return Sequential([Dense(units, activation="sigmoid") for units in sizes[1:]],
                      input_shape=(sizes[0],), rng=rng)


def linear_collapse(rng: np.random.Generator, sizes=(5, 4, 3), n: int = 7) -> dict:
    """Two stacked linear layers are one (§'Activation functions', reconstructed):
    (xW₁ + b₁)W₂ + b₂ = x(W₁W₂) + (b₁W₂ + b₂). The two-layer Sequential's output next to one
    Dense holding :func:`nnbook.analysis.linear_collapse.collapse_linear_layers`' (W′, b′)
    (the sympy identity: :func:`nnbook.symbolic.linear_layers.linear_collapse`); with ReLU
    between them the same (W′, b′) no longer reproduce the output."""
    from nnbook.analysis.linear_collapse import collapse_linear_layers
    from nnbook.layers.dense import Dense
    from nnbook.models.sequential import Sequential

    x = rng.normal(size=(n, sizes[0]))
    outputs = {}
    for activation in (None, "relu"):
        model = Sequential([Dense(sizes[1], activation=activation,
                                  bias_initializer="normal"),
                            Dense(sizes[2], bias_initializer="normal")],
                           input_shape=(sizes[0],), rng=rng)
        (W1, b1), (W2, b2) = ((layer.params["kernel"].value, layer.params["bias"].value)
                              for layer in model.layers)
        W, b = collapse_linear_layers(W1, b1, W2, b2)
        outputs[activation or "linear"] = {"stacked": model.predict(x),
                                           "collapsed": _dense(W, b, None).forward(x),
                                           "W": np.asarray(W), "b": np.asarray(b),
                                           "layers": (W1, b1, W2, b2)}
    outputs["x"] = x
    return outputs


# ------------------------------------------------------------------ §'Activation functions'

#: The activations of the source's figure in §'Activation functions' (its Maxout is left out).
ACTIVATION_GRID = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")


def activation_values(z=(-2.0, -0.5, 0.0, 0.5, 2.0), leaky_slope: float = 0.1) -> dict:
    """{name: values at ``z``} for :data:`ACTIVATION_GRID`, by :mod:`nnbook.functional.activations`
    (leaky ReLU with slope ``leaky_slope``, ELU with α = 1)."""
    from nnbook.functional import activations as act

    z = as_float_array(z, "z")
    return {"sigmoid": act.sigmoid(z), "tanh": act.tanh(z), "relu": act.relu(z),
            "leaky_relu": act.leaky_relu(z, gamma=leaky_slope), "elu": act.elu(z)}


def pixel_scaling(pixels=(0, 127.5, 255)) -> dict:
    """Pixels [0, 255] → [−1, 1] (the range of tanh, §'Activation functions'): x/127.5 − 1, and
    back, by :func:`nnbook.data.preprocessing.scale_pixels` and
    :func:`~nnbook.data.preprocessing.unscale_pixels`."""
    from nnbook.data.preprocessing import scale_pixels, unscale_pixels

    pixels = as_float_array(pixels, "pixels")
    scaled = scale_pixels(pixels)
    return {"pixels": pixels, "scaled": scaled, "back": unscale_pixels(scaled)}


# ------------------------------------------------------------------ §'Loss function'

def classification_head(outputs, labels, n_classes: int) -> dict:
    """§'Loss function': predicted class = argmax of f_θ(x); labels one-hot
    (:func:`nnbook.data.dataset.one_hot`); per-example L2 loss ‖one_hot(y) − f_θ(x)‖² and its
    mean over the k examples (:class:`nnbook.functional.losses.MeanSquaredError`: summed over the
    M outputs, averaged over the examples — the square is reconstructed, the text says "L2")."""
    from nnbook.data.dataset import one_hot
    from nnbook.functional.losses import MeanSquaredError

    outputs = as_float_array(outputs, "outputs", ndim=2)
    targets = one_hot(labels, n_classes)
    return {"predicted": np.argmax(outputs, axis=1), "one_hot": targets,
            "per_example": np.sum((targets - outputs) ** 2, axis=1),
            "mean_loss": MeanSquaredError()(outputs, targets)}


# ------------------------------------------------------------------ §'Parameter initialization'

def _symmetry_model(initializer, sizes, rng, hidden="sigmoid"):
    from nnbook.layers.dense import Dense
    from nnbook.models.sequential import Sequential

    model = Sequential([Dense(sizes[1], activation=hidden, kernel_initializer=initializer,
                              bias_initializer=initializer),
                        Dense(sizes[2], activation="sigmoid", kernel_initializer=initializer,
                              bias_initializer=initializer)],
                       input_shape=(sizes[0],), rng=rng)
    model.compile(loss="mse", optimizer="sgd")
    return model


def symmetry_after_training(initializer, rng: np.random.Generator, *, steps: int = 20,
                            sizes=(4, 3, 2), n: int = 16, learning_rate: float = 0.5) -> dict:
    """Train a 4 → 3 → 2 sigmoid net ``steps`` full-batch SGD steps from ``initializer``
    ("normal" = N(0, 1), or :func:`nnbook.layers.initializers.constant` (10) …) on random data;
    return the hidden kernel (4, 3), the output kernel (3, 2) and whether the hidden units are
    still identical (equal columns of the first kernel and equal rows of the second) — the
    symmetry argument of §'Parameter initialization'."""
    from nnbook.optim.sgd import SGD

    x = rng.normal(size=(n, sizes[0]))
    y = rng.uniform(size=(n, sizes[2]))
    model = _symmetry_model(initializer, sizes, rng)
    model.optimizer = SGD(learning_rate)
    before = model.compute_loss(x, y)
    for _ in range(steps):
        model.train_on_batch(x, y)
    hidden = model.layers[0].params["kernel"].value.copy()
    output = model.layers[1].params["kernel"].value.copy()
    identical = bool(np.all(hidden == hidden[:, :1]) and np.all(output == output[:1, :]))
    return {"hidden_kernel": hidden, "output_kernel": output, "units_identical": identical,
            "loss_before": before, "loss_after": model.compute_loss(x, y)}


def zero_init_gradients(hidden: str, rng: np.random.Generator, *, sizes=(4, 3, 2),
                        n: int = 16) -> dict:
    """Which gradients vanish when every weight and bias starts at 0 (§'Parameter
    initialization' says "the whole gradient is 0": imprecise). {parameter: ‖∂L/∂θ‖} after one
    backward pass of a 4 → 3 → 2 net with ``hidden`` units and sigmoid outputs, MSE loss.

    The output bias always gets a gradient; with sigmoid hidden units (σ(0) = ½) so do the
    output weights; only the hidden layer's gradients are 0 (the weights after it are 0). The
    real problem is symmetry, not a zero gradient."""
    x = rng.normal(size=(n, sizes[0]))
    y = rng.uniform(size=(n, sizes[2]))
    model = _symmetry_model("zeros", sizes, rng, hidden=hidden)
    model.compute_gradients(x, y)
    return {f"{name}.{key}": float(np.linalg.norm(param.grad))
            for name, layer in (("hidden", model.layers[0]), ("output", model.layers[1]))
            for key, param in layer.params.items()}
