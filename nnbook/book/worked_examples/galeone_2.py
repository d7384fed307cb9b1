"""Worked examples of Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2 (source
``galeone-2``), recomputed by nnbook.

The chapter has no code, no numeric example and almost no surviving formula (they were
images), and no numbered sections: refs cite the section title (§'Momentum'). So every row's
source value is either a number the source states — 10 inputs → 2 outputs of its fully
connected figure, N(0, 1), the constant 10 of its exercise, μ ∈ [0.9, 0.999], 1×1×512
filters, a 200×200×3 input, 10 LeNet classes — or a *derived* one, marked "(derived: …)" with
what it follows from (a reconstructed formula, a claim of the text, a hand computation). Where
the source is wrong the row says so and holds the correct value. Every nnbook value is
computed by the library (layers, optimisers, the autodiff engine, the convolution and
regularisation code, sympy derivations).

Facts without a computation have no row: the 8.6×10¹⁰ neurons of the human nervous system
(§'Biological neurons'), Rosenblatt's perceptron of the 1950s–60s, the citations of the
figures (Zeiler & Fergus 2013, LeCun et al. 1998, Srivastava et al. 2014, Ioffe & Szegedy
2015).
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.book.worked_examples.reproduction import Reproduction, row

SOURCE = "galeone-2"

_row = functools.partial(row, SOURCE)

#: The chapter's section titles in order (English titles of Galeone's ch. 2).
SECTIONS = (
    "Neural networks", "Biological neurons", "Artificial neurons", "Fully connected layers",
    "Activation functions", "Loss function", "Parameter initialization", "Optimization",
    "Gradient descent", "Stochastic gradient descent", "Mini-batch gradient descent",
    "Gradient descent optimization algorithms", "Vanilla", "Momentum", "ADAM",
    "Backpropagation and automatic differentiation", "Convolutional neural networks",
    "The convolution operator", "2D convolution", "2D convolutions among volumes",
    "1 x 1 x D convolutions", "Regularization", "Dropout", "How dropout works",
    "Inverted dropout", "Dropout and L2 regularization", "Data augmentation", "Early stopping",
    "Batch normalization", "Summary", "Exercises",
)


def _numbers(values, digits: int | None = None) -> str:
    values = np.ravel(np.asarray(values, dtype=float))
    if digits is not None:
        values = np.round(values, digits) + 0.0                     # no "-0"
    return " ".join(f"{v:g}" for v in values)


def _verified(derivation) -> bool:
    return bool(derivation.verify())


# ------------------------------------------------------------------ neurons, layers, losses

def neuron_rows() -> list[Reproduction]:
    """§'Artificial neurons' to §'Parameter initialization'."""
    from nnbook.analysis.linear_collapse import collapse_linear_layers
    from nnbook.book.demos import galeone_2 as demos
    from nnbook.functional.activations import sigmoid
    from nnbook.layers.initializers import constant, normal
    from nnbook.symbolic.linear_layers import column_form, linear_collapse

    neuron = demos.neuron([1.0, 2.0, 3.0], [0.1, -0.2, 0.3], 0.5)
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    forms = demos.dense_forms(x, W, b)
    model = demos.fc_figure_network()
    collapse = demos.linear_collapse(np.random.default_rng(1))
    W1, b1, W2, b2 = collapse["linear"]["layers"]
    z = np.random.default_rng(2).normal(scale=3, size=(1000, 2)) @ np.array([1.5, -2.0]) + 0.3
    values = demos.activation_values()
    scaled = demos.pixel_scaling([0, 127.5, 255])
    head = demos.classification_head([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]], [1, 2], 3)
    draws = normal((200_000,), np.random.default_rng(3))
    constant_run = demos.symmetry_after_training(constant(demos.CONSTANT_INIT),
                                                 np.random.default_rng(4))
    normal_run = demos.symmetry_after_training("normal", np.random.default_rng(4))
    zero = demos.zero_init_gradients("tanh", np.random.default_rng(5))
    zero_sigmoid = demos.zero_init_gradients("sigmoid", np.random.default_rng(5))
    eq = functools.partial(np.allclose, rtol=0, atol=1e-12)
    return [
        _row("§'Artificial neurons' (derived: σ(1·0.1 + 2·(−0.2) + 3·0.3 + 0.5) = σ(1.1))",
             "O = f(Σ xᵢwᵢ + b), f = σ, for x = (1, 2, 3), w = (0.1, −0.2, 0.3), b = 0.5 "
             "(6 decimals)", 0.750260, neuron["dense"], digits=6),
        _row("§'Artificial neurons' (derived)", "the written-out sum, the Perceptron's w·x + b "
             "and a one-unit Dense layer give the same output", True,
             neuron["sum"] == neuron["perceptron"] == neuron["dense"]),
        _row("§'Artificial neurons' (derived; the source's \"hypersurface\" is wrong for one "
             "neuron)", "σ(w·x + b) > ½ exactly where w·x + b > 0: a monotone f keeps the "
             "boundary a hyperplane (1,000 random points)", True,
             bool(np.array_equal(sigmoid(z) > 0.5, z > 0))),
        _row("§'Fully connected layers'", "inputs → outputs of the source's fully connected "
             "figure (two hidden layers)", "10 → 2",
             f"{model.input_shape[0]} → {model.output_shape[0]}"),
        _row("§'Fully connected layers' (derived: 10·6+6 + 6·4+4 + 4·2+2; the hidden widths 6 "
             "and 4 are ours)", "parameters of 10 → 6 → 4 → 2", 104, model.n_params),
        _row("§'Fully connected layers' (derived; formula reconstructed)", "O = f(xW + b) with "
             "x a row (n, D), W (D, M) equals the column form f(Wᵀx + b) and "
             "Oᵢ = f(Σⱼ xⱼwⱼᵢ + bᵢ)", True,
             bool(eq(forms["row"], forms["column"]) and eq(forms["row"], forms["per_neuron"]))),
        _row("§'Activation functions' (derived: (xW₁ + b₁)W₂ + b₂ = xW₁W₂ + b₁W₂ + b₂; "
             "reconstructed)", "two linear layers equal one with W′ = W₁W₂, b′ = b₁W₂ + b₂: "
             "sympy, row and column form", "True True",
             f"{_verified(linear_collapse())} {_verified(column_form())}"),
        _row("§'Activation functions' (derived)", "a stack of two linear Dense layers and the "
             "one Dense layer holding (W′, b′) give the same outputs", True,
             bool(np.allclose(collapse["linear"]["stacked"], collapse["linear"]["collapsed"],
                              rtol=1e-12, atol=1e-12)
                  and eq(collapse_linear_layers(W1, b1, W2, b2)[0], W1 @ W2))),
        _row("§'Activation functions' (derived)", "with a ReLU between the layers the "
             "collapsed layer no longer reproduces them", False,
             bool(np.allclose(collapse["relu"]["stacked"], collapse["relu"]["collapsed"]))),
        _row("§'Activation functions' (derived: x/127.5 − 1)", "pixels 0, 127.5, 255 scaled to "
             "the range of tanh [−1, 1]", "-1 0 1", _numbers(scaled["scaled"])),
        _row("§'Activation functions' (derived: σ(z) = 1/(1 + e⁻ᶻ))", "sigmoid at z = −2, −0.5, "
             "0, 0.5, 2 (4 decimals)", "0.1192 0.3775 0.5 0.6225 0.8808",
             _numbers(values["sigmoid"], 4)),
        _row("§'Activation functions' (derived)", "tanh at z = −2, −0.5, 0, 0.5, 2 (4 decimals)",
             "-0.964 -0.4621 0 0.4621 0.964", _numbers(values["tanh"], 4)),
        _row("§'Activation functions' (derived: max(0, z))", "ReLU at z = −2, −0.5, 0, 0.5, 2",
             "0 0 0 0.5 2", _numbers(values["relu"])),
        _row("§'Activation functions' (derived: z or 0.1z)", "leaky ReLU (slope 0.1) at z = −2, "
             "−0.5, 0, 0.5, 2", "-0.2 -0.05 0 0.5 2", _numbers(values["leaky_relu"], 12)),
        _row("§'Activation functions' (derived: z or eᶻ − 1)", "ELU (α = 1) at z = −2, −0.5, 0, "
             "0.5, 2 (4 decimals)", "-0.8647 -0.3935 0 0.5 2", _numbers(values["elu"], 4)),
        _row("§'Loss function' (derived)", "argmax of the outputs [0.1, 0.8, 0.1] and "
             "[0.6, 0.3, 0.1]; one-hot of the labels 1 and 2", "1 0 | 0 1 0; 0 0 1",
             f"{_numbers(head['predicted'])} | "
             + "; ".join(_numbers(r) for r in head["one_hot"])),
        _row("§'Loss function' (derived: 0.1² + 0.2² + 0.1², 0.6² + 0.3² + 0.9², their mean; "
             "the square is reconstructed)", "per-example L2 losses and their mean over the "
             "k = 2 examples", "0.06 1.26 0.66",
             f"{_numbers(head['per_example'], 12)} {head['mean_loss']:.12g}"),
        _row("§'Parameter initialization'", "initial weights drawn from N(0, 1): mean and "
             "standard deviation of 200,000 draws (2 decimals)", "0 1",
             _numbers([draws.mean(), draws.std()], 2)),
        _row("§'Parameter initialization', §'Exercises' (constant 10)", "every parameter 10: "
             "the 3 hidden units are still identical after 20 SGD steps", True,
             constant_run["units_identical"]),
        _row("§'Parameter initialization' (derived)", "N(0, 1) initialisation: the hidden units "
             "differ", False, normal_run["units_identical"]),
        _row("§'Parameter initialization' (derived; the source's \"the whole gradient is 0\" is "
             "imprecise)", "all-zero start, tanh hidden units: which gradients are nonzero "
             "(hidden W, hidden b, output W, output b)", "0 0 0 1",
             " ".join(str(int(zero[k] > 0)) for k in ("hidden.kernel", "hidden.bias",
                                                       "output.kernel", "output.bias"))),
        _row("§'Parameter initialization' (derived)", "the same with sigmoid hidden units "
             "(σ(0) = ½ reaches the output weights)", "0 0 1 1",
             " ".join(str(int(zero_sigmoid[k] > 0)) for k in ("hidden.kernel", "hidden.bias",
                                                               "output.kernel",
                                                               "output.bias"))),
    ]


# ------------------------------------------------------------------ optimisation

def optimization_rows() -> list[Reproduction]:
    """§'Optimization' to §'ADAM'."""
    import sympy as sp

    from nnbook.analysis.linear_regression import gradient_descent_variants
    from nnbook.book.demos import galeone_2_optimization as demos
    from nnbook.optim.schedules import ExponentialDecay
    from nnbook.symbolic import optimizers as symbolic
    from nnbook.train.batches import iterations_per_epoch

    search = demos.random_search_vs_descent(0)
    comparison = search["comparison"]
    thresholds = symbolic.learning_rate_thresholds()
    regimes = demos.learning_rate_regimes(a=2.0)
    variants = gradient_descent_variants(epochs=1, batch_size=3,
                                         X=np.arange(10.0)[:, None], y=np.arange(10.0))
    velocity = demos.momentum_terminal_velocity(gradient=1.0, learning_rate=0.1, momentum=0.9)
    v_inf = symbolic.terminal_velocity()
    symbols = {symbol.name: symbol for symbol in v_inf.free_symbols}
    mu, eta, g = symbols["mu"], symbols["eta"], symbols["g"]
    first = demos.adam_first_step((1e-3, 1.0, 1e3, -5.0), learning_rate=0.001)
    valley = demos.optimizer_trajectories("valley")
    l0 = float(valley["losses"]["vanilla, η = 0.01"][0])

    def reached(name):
        return int(np.flatnonzero(valley["losses"][name] <= 1e-2 * l0)[0]) \
            if np.any(valley["losses"][name] <= 1e-2 * l0) else None

    saddle = demos.optimizer_trajectories("saddle")
    return [
        _row("§'Optimization' (derived: a random Δθ in d = 50 is nearly orthogonal to the "
             "gradient; an addition)", "L = ½Σλᵢθᵢ² down to 1 % of L(θ₀): random perturbation "
             "needs over 30× the loss evaluations of gradient descent (a gradient counted as 4)",
             True, bool(comparison.ratio > 30 and comparison.search_reached),
             note=f"{comparison.search_evaluations} evaluations against "
                  f"{comparison.descent_evaluations:g}"),
        _row("§'Gradient descent' (derived: θ ← (1 − ηa)θ on L = aθ²/2)", "learning rates where "
             "descent starts to oscillate and to diverge (sympy)", "1/a 2/a",
             f"{thresholds['monotone_below']} {thresholds['diverges_above']}"),
        _row("§'Gradient descent' (derived; the source only says a large η jumps across the "
             "\"U\")", "a = 2, η·a = 0.1, 0.8, 1.6, 2, 2.1: what the paths do",
             "monotone, monotone, oscillating convergence, pure oscillation, divergence",
             ", ".join(run[2] for run in regimes.values())),
        _row("§'Gradient descent' (derived: η₀·r^(s/S), an addition: Keras' schedule)",
             "learning-rate decay: η₀ = 0.1 halved every 100 steps, at steps 0, 100, 250",
             "0.1 0.05 0.0176777",
             " ".join(f"{ExponentialDecay(0.1, 100, 0.5)(s):.6g}" for s in (0, 100, 250))),
        _row("§'Mini-batch gradient descent' (derived: ⌈k/b⌉)", "updates per epoch for k = 10 "
             "examples and b = k (batch), b = 1 (stochastic), b = 3 (mini-batch)", "1 10 4",
             " ".join(str(iterations_per_epoch(10, b)) for b in (10, 1, 3))),
        _row("§'Mini-batch gradient descent' (derived)", "b = k is batch descent, b = 1 one "
             "example's step, the b-average unbiased (sympy)", "True True True",
             " ".join(str(_verified(d)) for d in (symbolic.minibatch_full_batch(),
                                                  symbolic.minibatch_single_example(),
                                                  symbolic.minibatch_average_unbiased()))),
        _row("§'Mini-batch gradient descent' (derived)", "the library's three descents on 10 "
             "points, one epoch: updates made", "1 10 4",
             " ".join(str(variants[k]["iterations_per_epoch"])
                      for k in ("batch", "stochastic", "mini-batch"))),
        _row("§'Momentum' (derived: fixed point of v = μv − ηg; rule reconstructed)",
             "terminal velocity solved by sympy equals −ηg/(1 − μ)", True,
             sp.simplify(v_inf + eta * g / (1 - mu)) == 0),
        _row("§'Momentum' (derived)", "velocity after 400 steps of μ = 0.9, η = 0.1 under g = 1",
             -1.0, velocity["velocity"], rel=1e-12),
        _row("§'Momentum' (μ ∈ [0.9, 0.999]; derived: 1/(1 − μ))", "terminal step over the "
             "vanilla step at the ends of the usual range", "10 1000",
             " ".join(f"{float(v_inf.subs({mu: m, eta: 1, g: 1}) / -1):.6g}"
                      for m in (sp.Rational(9, 10), sp.Rational(999, 1000)))),
        _row("§'Momentum' (the source's figure, redrawn: momentum reaches the minimum sooner)",
             "valley (x² + 25y²)/2 at η = 0.01: which of vanilla and momentum (μ = 0.9) gets "
             "below 1 % of the initial loss first (120 steps)", "momentum",
             "momentum" if (reached("momentum, η = 0.01, μ = 0.9") or 10 ** 9)
             < (reached("vanilla, η = 0.01") or 10 ** 9) else "vanilla",
             note=f"vanilla: {reached('vanilla, η = 0.01')}, momentum: "
                  f"{reached('momentum, η = 0.01, μ = 0.9')} steps (None: not within 120)"),
        _row("§'Mini-batch gradient descent' (derived: saddle points stall descent)",
             "after 60 steps from next to the saddle of x² − y² + y⁴/4: loss near 0 (stalled) "
             "for vanilla, near the minimum −1 for momentum and Adam", "stalled left left",
             " ".join("stalled" if abs(v[-1]) < 0.2 else "left" if v[-1] < -0.9 else "?"
                      for v in saddle["losses"].values())),
        _row("§'ADAM' (derived: m̂₁ = g, v̂₁ = g², so −ηg/(|g| + ε) → −η·sign g; sympy)",
             "limit of the first step as ε → 0 for g > 0 and g < 0", "-eta eta",
             " ".join(str(v) for v in symbolic.adam_first_step_limit())),
        _row("§'ADAM' (derived)", "first step at η = 0.001 for g = 0.001, 1, 1000, −5: ≈ η·sign g "
             "whatever the gradient's size (within 0.5 %)", True,
             bool(np.allclose(first["step"], first["sign_step"], rtol=5e-3, atol=0))),
        _row("§'ADAM' (derived: E[m_t] = (1 − β₁ᵗ)ḡ)", "bias correction makes the moment "
             "estimates unbiased; the first step (sympy)", "True True",
             f"{_verified(symbolic.adam_first_moment_bias())} "
             f"{_verified(symbolic.adam_first_step())}"),
    ]


# ------------------------------------------------------------------ autodiff

def autodiff_rows() -> list[Reproduction]:
    """§'Backpropagation and automatic differentiation'."""
    from nnbook.analysis.architectures import fc_vs_conv_params
    from nnbook.autodiff import gradient_forward_mode, gradient_reverse_mode
    from nnbook.book.demos.galeone_2_autodiff import (
        NEURON_ACTIVE,
        NEURON_INACTIVE,
        compare_with_sequential,
        relu_neuron_graph,
    )
    from nnbook.optim.sgd import SGD

    def table(example):
        rows = relu_neuron_graph(*(example[k] for k in ("x1", "x2", "w1", "w2", "b", "y")))
        return {r.name: r for r in rows}

    active, inactive = table(NEURON_ACTIVE), table(NEURON_INACTIVE)
    e = NEURON_ACTIVE
    s = e["x1"] * e["w1"] + e["x2"] * e["w2"] + e["b"]
    upstream = -2 * (e["y"] - max(s, 0.0)) * (s > 0)

    def square_sum(v):
        total = v[0] * v[0]
        for t in v[1:]:
            total = total + t * t
        return total

    point = np.arange(1.0, 11.0)
    forward, reverse = gradient_forward_mode(square_sum, point), gradient_reverse_mode(
        square_sum, point)
    engine = compare_with_sequential(lambda: SGD(learning_rate=0.5), steps=5)
    counts = fc_vs_conv_params(((1000, 1000, 3),))[(1000, 1000, 3)]
    ref = "§'Backpropagation and automatic differentiation'"
    return [
        _row(f"{ref} (derived: s = 1.5·0.4 − 0.5·0.8 + 0.1; the loss (y − O)² is "
             "reconstructed)", "ReLU neuron: O = relu(s) and L = (1 − O)² for x = (1.5, −0.5), "
             "w = (0.4, 0.8), b = 0.1", f"{max(s, 0.0):.12g} {(1 - max(s, 0.0)) ** 2:.12g}",
             f"{float(active['O'].value):.12g} {float(active['L'].value):.12g}"),
        _row(f"{ref} (derived: −2(y − O)·1[s > 0]·(x₁, x₂, 1))", "ReLU neuron: ∂L/∂w₁, ∂L/∂w₂, "
             "∂L/∂b after one backward pass of the graph",
             _numbers([upstream * e["x1"], upstream * e["x2"], upstream], 12),
             _numbers([active[k].grad for k in ("w1", "w2", "b")], 12)),
        _row(f"{ref} (derived: 1[s > 0] = 0)", "with b = −0.5 the ReLU is off: the parameters' "
             "gradients", "0 0 0", _numbers([inactive[k].grad for k in ("w1", "w2", "b")])),
        _row(f"{ref} (derived; the source's \"depends on the cardinality of the input\" is "
             "wrong)", "passes for the gradient of Σxᵢ² (10 inputs): forward mode, reverse mode "
             "(forward + backward)", "10 1+1",
             f"{forward.forward_passes} {reverse.forward_passes}+{reverse.backward_passes}"),
        _row(f"{ref} (derived)", "both modes give the gradient 2x", True,
             bool(np.allclose(forward.derivative, 2 * point)
                  and np.allclose(reverse.derivative, 2 * point))),
        _row(f"{ref} (an addition)", "an MLP trained 5 SGD steps by the engine and by "
             "Sequential: weights within 1e-12", True, engine["max_weight_difference"] < 1e-12),
        _row(f"{ref} (derived: 2·1000·1000·3 + 2; the source's number is lost)",
             "parameters of two neurons fully connected to a 1000×1000 RGB image, and of two "
             "3×3×3 filters", "6000002 56", f"{counts.dense_params} {counts.conv_params}"),
    ]


def rows() -> list[Reproduction]:
    """All rows of the chapter (trains two small digit networks; a few seconds). The
    convolution rows are in :mod:`nnbook.book.worked_examples.galeone_2_cnn`, the
    regularisation rows in :mod:`nnbook.book.worked_examples.galeone_2_regularisation`."""
    from nnbook.book.worked_examples.galeone_2_cnn import convolution_rows
    from nnbook.book.worked_examples.galeone_2_regularisation import regularization_rows

    return (neuron_rows() + optimization_rows() + autodiff_rows() + convolution_rows()
            + regularization_rows())
