"""The figures of chapter 4 (Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2),
drawn by the chapter and by ``nnbook tour``.

The source's figures are lost images (only their captions survive, several credited to
cs231n, Srivastava et al. or LeCun et al.), so each figure here is redrawn from nnbook's own
computations and names the section it belongs to ("§'Momentum' (redrawn)"); figures the
source does not have say "not in the source chapter". All numbers come from the demos in
:mod:`nnbook.book.demos.galeone_2`, :mod:`~nnbook.book.demos.galeone_2_optimization` and
:mod:`~nnbook.book.demos.galeone_2_cnn`. :func:`figures` maps the tour's file names to the
drawing functions.
"""

from __future__ import annotations

import numpy as np

SOURCE = "galeone-2"


def _subplots(*args, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


# ------------------------------------------------------------------ neurons and layers

def networks():
    """§'Artificial neurons' and §'Fully connected layers': one neuron O = f(Σ xᵢwᵢ + b) with
    D = 3 inputs, and the fully connected net of the source's figure — 10 inputs, two hidden
    layers, 2 outputs (hidden widths 6 and 4 chosen here); its parameter count is the
    library's."""
    from nnbook import plots
    from nnbook.book.demos.galeone_2 import FC_FIGURE_SIZES, fc_figure_network

    model = fc_figure_network()
    fig, axes = _subplots(1, 2, figsize=(13, 4.6), width_ratios=(1, 1.7))
    plots.draw_network([3, 1], axes[0], layer_labels=["inputs x₁, x₂, x₃", "O = f(Σ xᵢwᵢ + b)"],
                       node_labels=[["x₁", "x₂", "x₃"], None],
                       title="one neuron, D = 3 (weights wᵢ on the edges)")
    labels = ["input (10 features)", "hidden (6)", "hidden (4)", "output (2)"]
    plots.draw_network(FC_FIGURE_SIZES, axes[1], layer_labels=labels,
                       title=f"10 → 6 → 4 → 2: O = f(xW + b) per layer, "
                             f"{model.n_params} parameters")
    fig.suptitle(f"{SOURCE}, §'Artificial neurons', §'Fully connected layers' (redrawn; "
                 "hidden widths not in the source)")
    return fig


def activations():
    """§'Activation functions', the source's figure of common activations (redrawn, without
    Maxout): sigmoid, tanh, ReLU, leaky ReLU (slope 0.1 for visibility) and ELU, each with
    its derivative, all from :mod:`nnbook.functional.activations`."""
    from nnbook.functional import activations as act

    z = np.linspace(-4, 4, 801)
    curves = (("sigmoid", act.sigmoid(z), act.sigmoid_prime(z), "range (0, 1)"),
              ("tanh", act.tanh(z), act.tanh_prime(z), "range (−1, 1)"),
              ("ReLU", act.relu(z), act.relu_prime(z), "max(0, z)"),
              ("leaky ReLU", act.leaky_relu(z, 0.1), act.leaky_relu_prime(z, 0.1),
               "slope 0.1 for z < 0"),
              ("ELU", act.elu(z), act.elu_prime(z), "α(eᶻ − 1) for z ≤ 0"))
    fig, axes = _subplots(1, 5, figsize=(16, 3.6), sharex=True)
    for ax, (name, f, slope, note) in zip(axes, curves):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, f, lw=2, label=name)
        ax.plot(z, slope, "--", lw=1.5, label="derivative")
        ax.set_title(f"{name}: {note}", fontsize=10)
        ax.set_xlabel("z")
        ax.set_ylim(-1.6, 4.2)
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, §'Activation functions' (redrawn; the source's figure also has "
                 "Maxout)")
    return fig


# ------------------------------------------------------------------ optimisation

def learning_rates(a: float = 2.0):
    """§'Gradient descent': gradient descent on L = aθ²/2 (a = 2) with η·a = 0.1, 0.8, 1.6,
    2.0 and 2.1 — too small, good, oscillating, pure oscillation at η = 2/a, divergent (the
    thresholds 1/a and 2/a are derived, not in the source)."""
    from nnbook.book.demos.galeone_2_optimization import learning_rate_regimes

    runs = learning_rate_regimes(a=a, steps=12)
    fig, axes = _subplots(1, len(runs), figsize=(16, 3.6), sharey=True)
    theta = np.linspace(-1.6, 1.6, 321)
    for ax, (case, (eta, path, regime)) in zip(axes, runs.items()):
        outside = np.flatnonzero(np.abs(path) > 1.6)
        shown = path[:outside[0]] if outside.size else path
        ax.plot(theta, a * theta ** 2 / 2, color="0.6", lw=1)
        if outside.size:
            ax.text(0, 2.0, f"|θ| > 1.6 after\nstep {outside[0]}", ha="center", fontsize=9,
                    color="tab:red")
        ax.plot(shown, a * shown ** 2 / 2, "o-", color="tab:red", lw=1, markersize=3.5)
        ax.plot(path[0], a * path[0] ** 2 / 2, "s", color="black", markersize=5)
        ax.set_title(f"{case}: η = {eta:g} ({eta * a:g}/a)\n{regime}", fontsize=10)
        ax.set_xlabel("θ")
        ax.set_ylim(-0.1, 2.7)
    axes[0].set_ylabel("L(θ) = aθ²/2, a = 2")
    fig.suptitle(f"{SOURCE}, §'Gradient descent': the learning rate against the curvature "
                 "(thresholds 1/a and 2/a derived; 12 steps from θ = 1)")
    return fig


def _contours(ax, loss, xlim, ylim, levels):
    x, y = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 181))
    values = loss(np.stack([x, y], axis=-1))            # the test functions take (..., 2)
    ax.contour(x, y, values, levels=levels, colors="0.65", linewidths=0.8)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)


_COLOURS = ("tab:blue", "tab:purple", "tab:red", "tab:green")


def _trajectory_figure(surface: str, xlim, ylim, levels, title: str, *, log_loss: bool):
    from nnbook.book.demos.galeone_2_optimization import optimizer_trajectories

    result = optimizer_trajectories(surface)
    names = list(result["runs"])
    colours = dict(zip(names, _COLOURS if len(names) == 4 else _COLOURS[::2] + ("tab:green",)))
    fig, axes = _subplots(1, len(names) + 1, figsize=(4.0 * (len(names) + 1), 3.9))
    for ax, name in zip(axes, names):
        path = result["runs"][name]
        _contours(ax, result["loss"], xlim, ylim, levels)
        inside = np.all((path >= [xlim[0], ylim[0]]) & (path <= [xlim[1], ylim[1]]), axis=1)
        ax.plot(path[inside, 0], path[inside, 1], ".-", color=colours[name], lw=1,
                markersize=3)
        ax.plot(*result["start"], "s", color="black", markersize=5)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("θ₁")
    axes[0].set_ylabel("θ₂")
    ax = axes[-1]
    for name in names:
        ax.plot(result["losses"][name], color=colours[name], lw=1.5, label=name)
    if log_loss:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("loss after each step", fontsize=10)
    ax.legend(loc="lower left" if log_loss else "upper right", fontsize=7.5)
    ax.grid(alpha=0.3)
    fig.suptitle(title)
    return fig


def momentum():
    """§'Momentum', the source's figure of vanilla against momentum (redrawn, with Adam): the
    library's optimisers on the ill-conditioned valley of
    :func:`nnbook.optim.trajectories.ill_conditioned_valley`. Vanilla zig-zags at η = 0.07 and
    crawls at η = 0.01; momentum at the same η = 0.01 gets there far sooner."""
    return _trajectory_figure("valley", (-10, 2), (-2, 2), np.geomspace(0.05, 60, 9),
                              f"{SOURCE}, §'Momentum' (redrawn, Adam added): 120 steps on the "
                              "valley L = (θ₁² + 25θ₂²)/2", log_loss=True)


def saddle():
    """§'Mini-batch gradient descent' names saddle points as a problem: the three optimisers
    started next to the saddle of :func:`nnbook.optim.trajectories.saddle`
    (L = x² − y² + y⁴/4; a figure not in the source chapter)."""
    return _trajectory_figure("saddle", (-2, 2), (-2, 2), np.linspace(-1, 4, 11),
                              f"{SOURCE}, §'Mini-batch gradient descent': leaving the saddle of "
                              "L = θ₁² − θ₂² + θ₂⁴/4 (a figure not in the source chapter)",
                              log_loss=False)


def random_search():
    """§'Optimization': random perturbation search against gradient descent on a d = 50
    quadratic — the best loss against the cost in loss evaluations, a gradient charged as 4
    (:func:`nnbook.optim.random_search.compare_with_gradient_descent`'s counting; a comparison
    not in the source chapter)."""
    from nnbook.book.demos.galeone_2_optimization import random_search_vs_descent

    result = random_search_vs_descent()
    comparison, search = result["comparison"], result["search"]
    cost = comparison.gradient_cost
    fig, ax = _subplots(figsize=(7.5, 4.2))
    ax.plot(np.arange(1, len(search.history) + 1), search.history, color="tab:orange", lw=1.5,
            label=f"random perturbation: {comparison.search_evaluations:,} evaluations")
    descent = result["descent_losses"]
    ax.plot(1 + cost * np.arange(len(descent)), descent, "o-", color="tab:blue", markersize=4,
            label=f"gradient descent: {comparison.descent_gradients} gradients "
                  f"≈ {comparison.descent_evaluations:g} evaluations")
    ax.axhline(result["target"], color="0.5", ls="--", lw=1, label="target: 1 % of L(θ₀)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(result["target"] / 30, 2 * search.history[0])
    ax.set_xlabel(f"cost in loss evaluations (one gradient = {cost:g})")
    ax.set_ylabel("best L(θ), d = 50")
    ax.legend(loc="lower left", fontsize=8.5)
    ax.grid(alpha=0.3)
    ax.set_title(f"{SOURCE}, §'Optimization': random search against the gradient "
                 f"({comparison.ratio:.0f}× the cost)\n(a comparison not in the source chapter)",
                 fontsize=10)
    return fig


def autodiff_graph():
    """§'Backpropagation and automatic differentiation': the source's two-input ReLU neuron as
    a graph of mul, sum and relu nodes with forward values and backward gradients
    (:func:`nnbook.plots.graphs.draw_graph` of
    :func:`nnbook.book.demos.galeone_2_autodiff.relu_neuron` after ``backward()``)."""
    from nnbook.book.demos.galeone_2_autodiff import NEURON_ACTIVE, relu_neuron
    from nnbook.plots.graphs import draw_graph

    e = NEURON_ACTIVE
    loss = relu_neuron(e["x1"], e["x2"], e["w1"], e["w2"], e["b"], e["y"])
    loss.backward()
    fig, ax = _subplots(figsize=(13, 5.0))
    draw_graph(loss, ax=ax)
    ax.set_title(f"{SOURCE}, §'Backpropagation and automatic differentiation' (redrawn): "
                 f"O = relu(x₁w₁ + x₂w₂ + b), L = (y − O)² (the loss is reconstructed)\n"
                 f"x = ({e['x1']:g}, {e['x2']:g}), w = ({e['w1']:g}, {e['w2']:g}), "
                 f"b = {e['b']:g}, y = {e['y']:g}: values forward, gradients ∂L/∂node backward",
                 fontsize=10)
    return fig


# ------------------------------------------------------------------ convolution

def lti():
    """§'The convolution operator': a moving average's impulse response, its output for a
    random signal and the same output from np.convolve(x, S(δ)) (a derived check)."""
    from nnbook.book.demos.galeone_2_cnn import lti_demo
    from nnbook.functional.signals import impulse_response, moving_average

    result = lti_demo(np.random.default_rng(0))["moving average"]
    n = len(result["output"])
    fig, axes = _subplots(1, 2, figsize=(12, 3.6), width_ratios=(1, 2))
    axes[0].stem(np.arange(8), impulse_response(moving_average(3), 8))
    axes[0].set_title("impulse response h = S(δ)\nof a 3-point moving average", fontsize=10)
    axes[0].set_ylim(-0.02, 0.42)
    axes[0].set_xlabel("n")
    axes[1].plot(result["output"], "o-", lw=2, markersize=6, label="S(x)")
    axes[1].plot(result["by_convolution"], "x--", color="tab:red", markersize=7,
                 label="np.convolve(x, h), first n samples")
    axes[1].set_xlabel("n")
    axes[1].set_xlim(-0.5, n - 0.5)
    low, high = axes[1].get_ylim()
    axes[1].set_ylim(low, high + 0.45 * (high - low))
    axes[1].legend(loc="upper right", fontsize=8.5, ncols=2)
    axes[1].set_title("an LTI system's output is the convolution x * h", fontsize=10)
    fig.suptitle(f"{SOURCE}, §'The convolution operator' (derived check, not a source figure)")
    return fig


def sobel():
    """§'2D convolution', the source's Sobel figure (redrawn): a grey crop of scikit-learn's
    sample photograph, the Sobel kernel, and the edge map √(Gx² + Gy²)."""
    from nnbook import plots
    from nnbook.book.demos.galeone_2_cnn import sobel_demo
    from nnbook.functional.convolution import SOBEL_X

    result = sobel_demo()
    fig, axes = _subplots(1, 3, figsize=(14, 4.2), width_ratios=(1.3, 0.6, 1.3))
    axes[0].imshow(result["gray"], cmap="gray")
    axes[0].set_title(f"input: grey crop {result['gray'].shape[0]}×{result['gray'].shape[1]}",
                      fontsize=10)
    plots.draw_matrix(SOBEL_X, axes[1], title="Sobel kernel (x; y is its transpose)")
    axes[2].imshow(result["edges"], cmap="magma")
    axes[2].set_title(f"edge map {result['edges'].shape[0]}×{result['edges'].shape[1]} "
                      "(valid positions)", fontsize=10)
    for ax in (axes[0], axes[2]):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{SOURCE}, §'2D convolution' (redrawn on scikit-learn's sample photo)")
    return fig


def channels():
    """§'2D convolutions among volumes': an RGB photo is a W×H×3 volume (nnbook stores it
    (3, H, W)); its three channels, and the same array read as BGR — the channel order of
    input and kernel must agree (the source calls the channels an unordered set)."""
    from nnbook.data.images import sample_photo

    photo = np.asarray(sample_photo("china.jpg"))
    fig, axes = _subplots(1, 5, figsize=(16, 3.2))
    axes[0].imshow(photo)
    axes[0].set_title("RGB photo (H×W×3)", fontsize=10)
    for k, (ax, name) in enumerate(zip(axes[1:4], ("red", "green", "blue"))):
        ax.imshow(photo[..., k], cmap="gray")
        ax.set_title(f"channel {k}: {name}", fontsize=10)
    axes[4].imshow(photo[..., ::-1])
    axes[4].set_title("the same array read as BGR", fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{SOURCE}, §'2D convolutions among volumes': a volume's channels; their "
                 "order must match the kernel's")
    return fig


def lenet5():
    """§'2D convolutions among volumes', the source's LeNet-5 figure (redrawn from the library's
    shape trace, LeCun et al. 1998; the sizes are not in the source)."""
    from nnbook import plots
    from nnbook.analysis.architectures import lenet5_layers, lenet5_trace

    ax = plots.draw_trace(lenet5_trace(), layers=lenet5_layers(),
                          title=f"{SOURCE}, §'2D convolutions among volumes': LeNet-5 "
                                "(redrawn; sizes from LeCun et al. 1998, not in the source)")
    return ax.figure


def figures() -> dict:
    """The chapter's figures by file name; each value draws one and returns its Figure (the
    regularisation ones are in :mod:`nnbook.book.figures.galeone_2_regularisation`)."""
    from nnbook.book.figures import galeone_2_regularisation as regularisation

    return {
        f"{SOURCE}_networks.png": networks,
        f"{SOURCE}_activations.png": activations,
        f"{SOURCE}_learning_rates.png": learning_rates,
        f"{SOURCE}_momentum.png": momentum,
        f"{SOURCE}_saddle.png": saddle,
        f"{SOURCE}_random_search.png": random_search,
        f"{SOURCE}_autodiff_graph.png": autodiff_graph,
        f"{SOURCE}_lti.png": lti,
        f"{SOURCE}_sobel.png": sobel,
        f"{SOURCE}_channels.png": channels,
        f"{SOURCE}_lenet5.png": lenet5,
        f"{SOURCE}_dropout.png": regularisation.dropout,
        f"{SOURCE}_batchnorm.png": regularisation.batchnorm,
        f"{SOURCE}_augmentation.png": regularisation.augmentation,
        f"{SOURCE}_early_stopping.png": regularisation.early_stopping,
    }
