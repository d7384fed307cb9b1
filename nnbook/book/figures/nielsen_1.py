"""The figures of chapter 1 (Nielsen ch. 1), drawn by the chapter and by ``nnbook tour``.

One function per figure; each returns its Figure and needs no argument (the two that show a
trained network train one when none is given). :func:`figures` maps the tour's file names to
them, training the network once.
"""

from __future__ import annotations

import numpy as np

SOURCE = "Nielsen"


def _subplots(*args, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


def network_784_15_10():
    """§1.4: the 784-15-10 digit network (most of the 784 inputs left out, outputs 0–9)."""
    from nnbook import plots

    fig, ax = _subplots(figsize=(7, 6))
    plots.draw_network((784, 15, 10), ax, max_nodes=16,
                       layer_labels=["input layer\n(784 neurons)", "hidden layer\n(n = 15 neurons)",
                                     "output layer\n(10 neurons)"],
                       node_labels=[None, None, [str(d) for d in range(10)]])
    ax.set_title(f"{SOURCE} §1.4: the 784-15-10 digit network")
    return fig


def half_adder():
    """§1.1: the half adder from five NAND perceptrons, and with the double edge merged."""
    from nnbook import plots
    from nnbook.models.logic_gates import half_adder_circuit

    fig, axes = _subplots(1, 2, figsize=(12, 4.2))
    plots.draw_circuit(half_adder_circuit(merged=False), axes[0])
    axes[0].set_title("NAND perceptrons: weights −2, bias 3")
    plots.draw_circuit(half_adder_circuit(merged=True), axes[1])
    axes[1].set_title("the carry's two −2 edges merged into one −4")
    fig.suptitle(f"{SOURCE} §1.1: a half adder (sum = x1 ⊕ x2, carry = x1·x2)")
    return fig


def step_and_sigmoid():
    """§1.2: the sigmoid σ(z), eq. (3), and the perceptron's step."""
    from nnbook import plots

    fig, ax = _subplots(figsize=(6.4, 4))
    plots.plot_step_and_sigmoid(ax)
    ax.set_title(f"{SOURCE} §1.2: σ(z), eq. (3), smooths the perceptron's step")
    return fig


#: The small network, input and weight of :func:`small_change` (chosen so that the perceptron
#: version of the same network flips its output within the plotted range).
SMALL_CHANGE = {"sizes": (3, 4, 3, 1), "seed": 10, "x": (0.9, 0.2, 0.7), "weight": (1, 1, 0)}


def small_change_curves(delta_w=np.linspace(-2.0, 2.0, 401)):
    """Δoutput against Δw for one weight of a small random network (Nielsen §1.2, eq. (5)).

    Returns a dict of arrays over ``delta_w``: ``sigmoid`` (the exact change of the sigmoid
    network's output), ``linear`` (eq. (5): ∂output/∂w · Δw, the slope by backpropagation, see
    below) and ``perceptron`` (the change when every neuron is a perceptron with the same
    weights: 0 or ±1), plus ``slope``. Backpropagation of C = ½(a − y)² with y = a − 1 gives
    ∂C/∂w = (a − y) ∂a/∂w = ∂output/∂w.
    """
    from nnbook.models.network import Network
    from nnbook.models.perceptron import PerceptronNetwork
    from nnbook.train.minibatch_sgd import backprop

    spec = SMALL_CHANGE
    net = Network(spec["sizes"], rng=spec["seed"])
    x = np.array(spec["x"])
    layer, i, j = spec["weight"]
    output = net.feedforward(x)
    slope = backprop(net, x, output - 1.0)[0][layer][j, i]
    before = PerceptronNetwork(net.weights, net.biases).output(x)[0]
    sigmoid, perceptron = [], []
    for dw in delta_w:
        weights = [w.copy() for w in net.weights]
        weights[layer][j, i] += dw
        sigmoid.append(Network.from_parameters(weights, net.biases).feedforward(x)[0] - output[0])
        perceptron.append(PerceptronNetwork(weights, net.biases).output(x)[0] - before)
    return {"delta_w": np.asarray(delta_w), "sigmoid": np.array(sigmoid),
            "linear": slope * np.asarray(delta_w), "perceptron": np.array(perceptron),
            "slope": float(slope)}


def small_change():
    """§1.2: a small change Δw in one weight causes a small change Δoutput in the output —
    the idea behind eq. (5) — and what perceptrons do instead."""
    from nnbook import plots

    spec = SMALL_CHANGE
    layer, i, j = spec["weight"]
    n_layers = len(spec["sizes"])
    curves = small_change_curves()
    fig, axes = _subplots(1, 3, figsize=(15, 4.4), width_ratios=(1.5, 1, 1))
    ax = axes[0]
    plots.draw_network(spec["sizes"], ax, layer_labels=False,
                       node_labels=[None] * (n_layers - 1) + [["output + Δoutput"]])
    plots.highlight_edge(ax, layer, i, j, label="w + Δw")
    centre = {p.get_gid(): np.array(p.center) for p in ax.patches if hasattr(p, "center")}
    edge_start = 0.7 * centre[f"node:{layer}:{i}"] + 0.3 * centre[f"node:{layer + 1}:{j}"]
    output = centre[f"node:{n_layers - 1}:0"]
    top = max(c[1] for c in centre.values())
    ax.annotate("small change in any\nweight (or bias) …", xy=edge_start,
                xytext=(edge_start[0] - 1.2, top + 0.9), ha="center", fontsize=9,
                arrowprops=dict(arrowstyle="->", color="tab:red", shrinkB=6))
    ax.annotate("… causes a small change\nin the output", xy=output - (0, 0.3),
                xytext=(output[0], -top - 1.1), ha="center", va="top", fontsize=9,
                arrowprops=dict(arrowstyle="->", color="tab:red"))
    ax.set_ylim(-top - 2.0, top + 1.6)
    ax.set_title("(a) sigmoid neurons learn by small changes")

    dw = curves["delta_w"]
    axes[1].axhline(0, color="0.8", lw=0.8)
    axes[1].plot(dw, curves["sigmoid"], lw=2, label="exact Δoutput")
    slope = f"{curves['slope']:.4f}".replace("-", "−")
    axes[1].plot(dw, curves["linear"], "--", label=f"eq. (5): {slope} · Δw")
    axes[1].set_xlabel("Δw")
    axes[1].set_ylabel("Δoutput")
    axes[1].set_title("(b) sigmoid network: smooth, ≈ linear")
    axes[1].legend(fontsize=8, loc="upper right")
    axes[2].axhline(0, color="0.8", lw=0.8)
    axes[2].plot(dw, curves["perceptron"], color="tab:orange", lw=2, drawstyle="steps-mid",
                 label="perceptrons, same weights")
    axes[2].set_xlabel("Δw")
    axes[2].set_ylabel("Δoutput")
    axes[2].set_ylim(-1.2, 1.2)
    axes[2].set_title("(c) perceptron network: the output flips")
    axes[2].legend(fontsize=8, loc="upper right")
    fig.suptitle(f"{SOURCE} §1.2 (figure redrawn): a small change in a weight, a small change "
                 "in the output")
    return fig


def valley_descent():
    """§1.5: gradient descent rolling a ball down the valley C(v1, v2) = v1² + v2²."""
    import matplotlib.pyplot as plt

    from nnbook import plots
    from nnbook.optim.gradient_descent import gradient_descent, valley_gradient

    path = gradient_descent(valley_gradient, np.array([0.9, -0.7]), 0.1, 25)
    fig = plt.figure(figsize=(5.5, 4.6), layout="constrained")
    ax = plots.plot_valley(path, ax=fig.add_subplot(projection="3d"))
    # a 3-D axes' z label lies outside its own box, where some matplotlib versions' tight and
    # constrained layouts do not look: shrink the box so the label stays on the canvas
    ax.set_box_aspect(None, zoom=0.85)
    ax.set_title(f"{SOURCE} §1.5: gradient descent, η = 0.1, from (0.9, −0.7)", fontsize=10)
    return fig


def digit_samples(dataset=None):
    """§1.5: the first 20 training digits and their labels (by default the offline 8×8 ones)."""
    from nnbook import plots
    from nnbook.data import load_digits

    dataset = load_digits() if dataset is None else dataset
    fig, ax = _subplots(figsize=(7, 1.9))
    plots.plot_digits(dataset.X_train[:20], dataset.y_train[:20], shape=dataset.image_shape,
                      ax=ax)
    ax.set_title(f"the first 20 training digits (stand-ins for {SOURCE}'s MNIST, §1.5)",
                 fontsize=10)
    return fig


def training_history(history=None):
    """§1.6-style run: accuracy and the cost eq. (6) per epoch of the 64-30-10 network
    (:func:`nnbook.book.demos.nielsen_1.train_digit_network` when no ``history`` is given)."""
    from nnbook import plots

    if history is None:
        from nnbook.book.demos.nielsen_1 import train_digit_network

        history = train_digit_network()[1]
    fig, axes = _subplots(1, 2, figsize=(11, 3.8))
    plots.plot_history(history, axes[0], keys=("accuracy", "test_accuracy"),
                       labels={"accuracy": "training accuracy"})
    axes[0].set_ylabel("accuracy")
    plots.plot_history(history, axes[1], keys=("loss", "test_loss"),
                       labels={"loss": "training cost", "test_loss": "test cost"})
    axes[1].set_ylabel("quadratic cost C, eq. (6)")
    fig.suptitle("the 64-30-10 sigmoid network on the 8×8 digits: mini-batch SGD, η = 3, m = 10")
    return fig


def figures() -> dict:
    """The chapter's figures by file name; each value draws one and returns its Figure."""
    from nnbook.book.demos.nielsen_1 import train_digit_network

    _, history, digits = train_digit_network()
    return {
        "nielsen-1_network_784-15-10.png": network_784_15_10,
        "nielsen-1_half_adder.png": half_adder,
        "nielsen-1_step_and_sigmoid.png": step_and_sigmoid,
        "nielsen-1_small_change.png": small_change,
        "nielsen-1_valley_descent.png": valley_descent,
        "nielsen-1_digits.png": lambda: digit_samples(digits),
        "nielsen-1_training_history.png": lambda: training_history(history),
    }
