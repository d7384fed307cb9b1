"""The figures of chapter 2 (陈强 ch. 15), drawn by the chapter and by ``nnbook tour``.

The source file lost every figure image (only captions remain), so each is redrawn from
nnbook's own computations. One function per figure; each takes no argument and returns the
Figure. :func:`figures` maps the tour's file names to them. Figure text is ASCII and Greek
(matplotlib's default font has no Chinese glyphs), so the source is cited as "Chen Qiang".
"""

from __future__ import annotations

import numpy as np

SOURCE = "Chen Qiang"


def _subplots(*args, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


def mp_neuron():
    """Figure 15.2: the M-P neuron, inputs x1 … xp, one indicator output."""
    from nnbook import plots

    fig, ax = _subplots(figsize=(5.5, 3.2))
    plots.draw_network([3, 1], ax, layer_labels=["inputs", "Σ, then I(·)"],
                       node_labels=[["$x_1$", "$x_2$", "$x_p$"],
                                    ["$I(\\mathbf{w}'\\mathbf{x}+b>0)$"]])
    ax.set_title(f"{SOURCE}, figure 15.2: the M-P neuron")
    return fig


def networks():
    """Figures 15.4–15.7: multi-output perceptron, multilayer perceptron (15.9), one and two
    hidden layers."""
    from nnbook import plots

    fig, axes = _subplots(2, 2, figsize=(11, 7))
    plots.draw_network([3, 2], axes[0, 0], layer_labels=["inputs", "outputs $f(z_j)$"],
                       node_labels=[["$x_1$", "$x_2$", "$x_p$"], ["$\\hat y_1$", "$\\hat y_2$"]],
                       title="15.4: multi-output perceptron")
    plots.draw_network([2, 2, 1], axes[0, 1],
                       node_labels=[["$x_1$", "$x_2$"], ["$f(z_1)$", "$f(z_2)$"], ["$\\hat y$"]],
                       title="15.5: multilayer perceptron (15.9)")
    plots.draw_network([4, 6, 3], axes[1, 0], title="15.6: one hidden layer")
    plots.draw_network([4, 5, 5, 2], axes[1, 1], title="15.7: two hidden layers")
    fig.suptitle(f"{SOURCE}, figures 15.4–15.7 (redrawn)")
    return fig


def xor():
    """Figure 15.3: AND, OR, NAND separated by a learned line; XOR by the 2-2-1 network."""
    from nnbook import plots
    from nnbook.book.demos.chen_15 import learn_gate
    from nnbook.models.logic_gates import GATE_INPUTS, LOGIC_GATES
    from nnbook.models.perceptron import xor_network

    fig, axes = _subplots(1, 4, figsize=(14, 3.9), sharey=True)
    for ax, gate in zip(axes, ("AND", "OR", "NAND", "XOR")):
        if gate == "XOR":
            predict, title = xor_network().output, "XOR: 2-2-1 network (15.9)"
        else:
            predict, title = learn_gate(gate).predict, f"{gate}: a learned line"
        plots.plot_decision_boundary(predict, GATE_INPUTS, np.array(LOGIC_GATES[gate]), ax,
                                     title=title)
        ax.label_outer()
    axes[0].legend(loc="upper left", bbox_to_anchor=(0.0, -0.18), ncols=2, fontsize=9)
    fig.suptitle(f"{SOURCE}, figure 15.3: points TRUE blue, FALSE black; shading is the "
                 "prediction")
    return fig


def activations():
    """Figures 15.8–15.10: sigmoid, tanh, ReLU, leaky ReLU, softplus and their derivatives."""
    from nnbook.functional.activations import (leaky_relu, leaky_relu_prime, relu, relu_prime,
                                               sigmoid, sigmoid_prime, softplus, softplus_prime,
                                               tanh, tanh_prime)

    z = np.linspace(-6, 6, 601)
    panels = [("15.8 left: sigmoid Λ (15.10)", sigmoid, sigmoid_prime),
              ("15.8 right: tanh (15.12)", tanh, tanh_prime),
              ("15.9 left: ReLU (15.15)", relu, relu_prime),
              ("15.9 right: leaky ReLU, γ = 0.1 (15.16)", lambda v: leaky_relu(v, 0.1),
               lambda v: leaky_relu_prime(v, 0.1)),
              ("15.10: softplus (15.18) and ReLU", softplus, softplus_prime)]
    fig, axes = _subplots(2, 3, figsize=(12, 6.4))
    for ax, (title, f, f_prime) in zip(axes.flat, panels):
        ax.axhline(0, color="0.75", lw=0.8)
        ax.plot(z, f(z), label="f(z)")
        ax.plot(z, f_prime(z), "--", label="f′(z)")
        if "softplus" in title:
            ax.plot(z, relu(z), ":", color="0.3", label="ReLU")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("z")
        ax.legend(fontsize=8, loc="upper left")
    axes.flat[-1].remove()
    fig.suptitle(f"{SOURCE}, figures 15.8–15.10: activation functions (solid) and their "
                 "derivatives (dashed)")
    return fig


def approximation():
    """§15.5: one hidden layer approximating sin 2πx, and the sup error against m (15.20)."""
    from functools import partial

    from nnbook import plots
    from nnbook.analysis.approximation import (error_vs_units, relu_hats, sigmoid_bumps,
                                               step_bumps, sup_error)

    def target(x):
        return np.sin(2 * np.pi * x)

    constructions = {"step bumps": step_bumps,
                     "sigmoid bumps (steepness 200)": partial(sigmoid_bumps, steepness=200.0),
                     "ReLU hats": relu_hats}
    x = np.linspace(0, 1, 2001)
    fig, axes = _subplots(2, 2, figsize=(11, 7))
    for ax, (name, build) in zip(axes.flat, constructions.items()):
        ax.plot(x, target(x), color="0.2", lw=2, label="g(x) = sin 2πx")
        for m in (6, 20):
            G = build(target, m)
            ax.plot(x, G(x), label=f"m = {m}: sup error {sup_error(G, target, x):.3f}")
        ax.set_title(name)
        ax.set_xlabel("x")
        ax.legend(fontsize=8, loc="lower left")
    ax = axes[1, 1]
    for name, build in constructions.items():
        ms, errors = error_vs_units(build, target, [2, 4, 8, 16, 32, 64, 128], grid=x)
        plots.plot_error_vs_units(ms, errors, ax, label=name,
                                  epsilon=0.01 if name == "ReLU hats" else None)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("sup error against the number of hidden units (15.20)")
    fig.suptitle(f"{SOURCE}, §15.5: universal approximation with one hidden layer")
    return fig


def backprop_paths():
    """Figure 15.11: a weight of layer l reaches the loss only through z_i of layer l."""
    from nnbook import plots

    fig, ax = _subplots(figsize=(7.5, 4))
    plots.draw_network([3, 3, 2], ax, layer_labels=["layer l − 1", "layer l", "layer l + 1"],
                       node_labels=[["1 (bias)", "$a_j^{(l-1)}$", "$a_{j'}^{(l-1)}$"],
                                    ["$z_1^{(l)}$", "$z_i^{(l)}$", "$z_3^{(l)}$"],
                                    ["$\\delta_k^{(l+1)}$", "$\\delta_{k'}^{(l+1)}$"]])
    ax.set_title(f"{SOURCE}, figure 15.11: $w_{{ji}}^{{(l)}}$ reaches the loss only through "
                 "$z_i^{(l)}$,\nwhich reaches it through every $z_k^{(l+1)}$", fontsize=10)
    return fig


def descent_variants():
    """Figure 15.12: batch, stochastic and mini-batch gradient descent on one least-squares fit."""
    from nnbook.analysis.linear_regression import gradient_descent_variants

    variants = gradient_descent_variants(epochs=20, learning_rate=0.05, batch_size=32, rng=0)
    fig, axes = _subplots(1, 2, figsize=(12, 4.4))
    axes[0].plot(0, 0, "ko", label="start (0, 0)")
    for name, run in variants.items():
        axes[0].plot(run["path"][:, 0], run["path"][:, 1], ".-", ms=2, lw=0.8,
                     label=f"{name}: B = {run['batch_size']}, {run['iterations_per_epoch']} "
                           f"update{'s' if run['iterations_per_epoch'] > 1 else ''}/epoch")
        axes[1].plot(run["epoch"], run["loss"], lw=1, label=name)
    axes[0].set_xlabel("weight w")
    axes[0].set_ylabel("bias b")
    axes[0].set_title("paths of (w, b) from (0, 0)")
    axes[0].legend(fontsize=8, loc="upper right")
    axes[1].set_yscale("log")
    axes[1].set_xlabel("epochs")
    axes[1].set_ylabel("MSE on all 256 points")
    axes[1].set_title("loss after every update")
    axes[1].legend(fontsize=8, loc="upper right")
    fig.suptitle(f"{SOURCE}, figure 15.12: three ways to descend (20 epochs, learning rate 0.05)")
    return fig


def early_stopping():
    """Figure 15.13: training error falls, validation error turns up; stop at its minimum."""
    from nnbook import plots
    from nnbook.layers import Dense
    from nnbook.models.sequential import Sequential
    from nnbook.optim import SGD

    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(-1, 1, 40))[:, None]
    y = np.sin(3 * x) + rng.normal(0, 0.4, size=x.shape)
    xv = rng.uniform(-1, 1, 100)[:, None]
    yv = np.sin(3 * xv) + rng.normal(0, 0.4, size=xv.shape)
    model = Sequential([Dense(100, activation="tanh"), Dense(100, activation="tanh"), Dense(1)],
                       input_shape=(1,), rng=np.random.default_rng(5))
    model.compile(loss="mse", optimizer=SGD(0.1, momentum=0.9), metrics=())
    history = model.fit(x, y, epochs=300, batch_size=40, validation_data=(xv, yv),
                        progress=False, rng=np.random.default_rng(6))
    fig, ax = _subplots(figsize=(7, 4.2))
    plots.plot_history(history, ax, labels={"loss": "training error (40 points)",
                                            "val_loss": "validation error (100 points)"})
    best = int(np.argmin(history.history["val_loss"])) + 1
    ax.axvline(best, color="tab:red", ls="--", label=f"stop here: epoch {best}")
    ax.set_yscale("log")
    ax.set_ylabel("MSE")
    ax.legend()
    ax.set_title(f"{SOURCE}, figure 15.13: early stopping")
    return fig


def dropout():
    """Figure 15.14: a network before and after dropout with p = 0.5."""
    from nnbook import plots
    from nnbook.layers import Dropout

    sizes = [4, 5, 5, 2]
    masks = Dropout(0.5, rng=np.random.default_rng(7)).forward(np.ones((2, 5)), training=True)
    dropped = [(l, i) for l in (1, 2) for i in range(5) if masks[l - 1, i] == 0]
    fig, axes = _subplots(1, 2, figsize=(12, 4))
    plots.draw_network(sizes, axes[0], title="(a) the full network")
    plots.draw_network(sizes, axes[1], title="(b) after dropout, p = 0.5")
    plots.drop_neurons(axes[1], dropped)
    fig.suptitle(f"{SOURCE}, figure 15.14: dropout thins the network")
    return fig


def convolution():
    """Figures 15.15–15.18: image ⊗ kernel, the first two steps, the feature map."""
    from nnbook import plots
    from nnbook.book.worked_examples.chen_15 import IMAGE, KERNEL
    from nnbook.functional.convolution import correlate2d_reference

    feature = correlate2d_reference(IMAGE, KERNEL)
    fig, axes = _subplots(2, 2, figsize=(10, 7))
    plots.draw_matrix(IMAGE, axes[0, 0], shade=False, title="15.15: image I ⊗ kernel K")
    plots.draw_matrix(KERNEL, axes[0, 0], origin=(6, 1), shade=False)
    axes[0, 0].text(5.5, 2.5, "⊗", fontsize=16, ha="center", va="center")
    for ax, (i, j), title in ((axes[0, 1], (0, 0), "15.16: first step gives 5"),
                              (axes[1, 0], (0, 1), "15.17: second step gives 0")):
        plots.draw_matrix(IMAGE, ax, highlight=[(i, j, 3, 3)], shade=False, title=title)
        ax.text(6.25, 2.5, "→", fontsize=18, ha="center", va="center")
        plots.draw_matrix(feature[: i + 1, : j + 1], ax, origin=(7, 2), shade=False,
                          highlight=[(i, j, 1, 1)])
    plots.draw_matrix(feature, axes[1, 1], title="15.18: the feature map (lost in the source)")
    fig.suptitle(f"{SOURCE}, figures 15.15–15.18: convolution as a sliding weighted sum")
    return fig


def pooling():
    """Figures 15.19–15.20: 2×2 max and mean pooling of a 4×4 feature map."""
    from nnbook import plots
    from nnbook.book.worked_examples.chen_15 import FEATURE_MAP
    from nnbook.functional.pooling import avg_pool2d_reference, max_pool2d_reference

    regions = [(0, 0, 2, 2), (0, 2, 2, 2), (2, 0, 2, 2), (2, 2, 2, 2)]
    fig, axes = _subplots(1, 2, figsize=(11, 3.4))
    for ax, pool, title in ((axes[0], max_pool2d_reference, "15.19: max pooling"),
                            (axes[1], avg_pool2d_reference, "15.20: mean pooling")):
        plots.draw_matrix(FEATURE_MAP, ax, highlight=regions, title=title)
        ax.text(5.0, 2.0, "→", fontsize=18, ha="center", va="center")
        plots.draw_matrix(pool(FEATURE_MAP, 2, 2), ax, origin=(6.0, 1.0))
    fig.suptitle(f"{SOURCE}, figures 15.19–15.20: pooling each 2×2 region")
    return fig


def cnn_layers():
    """The chapter's small CNN on the 8×8 digits, as the layers of figure 15.21."""
    from nnbook.layers import Conv2D, Dense, MaxPool2D

    return [Conv2D(8, 3, activation="relu", name="convolution"), MaxPool2D(2, name="pooling"),
            Dense(32, activation="relu", name="hidden"),
            Dense(10, activation="softmax", name="output")]


def cnn_pipeline():
    """Figure 15.21: input → convolution → pooling → fully connected → softmax output, traced
    on the chapter's CNN for the 8×8 digits (one digit drawn on the input)."""
    from nnbook import plots
    from nnbook.analysis.architectures import trace
    from nnbook.data import load_digits

    digits = load_digits()
    layers = cnn_layers()
    rows = trace(layers, (1, *digits.image_shape))
    ax = plots.draw_trace(rows, layers=layers, input_image=digits.X_train[0].reshape(
                              digits.image_shape),
                          title=f"{SOURCE}, figure 15.21 (redrawn): the basic structure of a CNN",
                          caption=f"the chapter's CNN on the 8×8 digits: "
                                  f"{sum(r.params for r in rows):,} trainable parameters")
    return ax.figure


def lenet5():
    """Figure 15.22: LeNet-5, every size and count from ``lenet5_trace()``."""
    from nnbook import plots
    from nnbook.analysis.architectures import lenet5_layers, lenet5_trace, total_params

    rows = lenet5_trace()
    ax = plots.draw_trace(rows, layers=lenet5_layers(),
                          title=f"{SOURCE}, figure 15.22 (redrawn): LeNet-5 (LeCun et al., 1998)",
                          caption=f"{total_params(rows):,} trainable parameters · "
                                  f"{sum(r.connections for r in rows):,} connections")
    return ax.figure


def alexnet():
    """Figure 15.23: AlexNet (two-GPU groups), every size and count from ``alexnet_counts()``."""
    from nnbook import plots
    from nnbook.analysis.architectures import (alexnet_counts, alexnet_layers, neuron_count,
                                               total_params)

    rows = alexnet_counts()
    layers, _ = alexnet_layers()
    ax = plots.draw_trace(rows, layers=layers, per_row=7,
                          title=f"{SOURCE}, figure 15.23 (redrawn): AlexNet "
                                "(Krizhevsky et al., 2012)",
                          caption=f"{total_params(rows):,} trainable parameters (source: "
                                  f"60 million) · {neuron_count(rows):,} neurons "
                                  "(source: 650,000)")
    return ax.figure


def figures() -> dict:
    """The chapter's figures by file name; each value draws one and returns its Figure."""
    return {
        "chen-15_mp_neuron.png": mp_neuron, "chen-15_xor.png": xor,
        "chen-15_networks.png": networks, "chen-15_activations.png": activations,
        "chen-15_approximation.png": approximation,
        "chen-15_backprop_paths.png": backprop_paths,
        "chen-15_gradient_descent_variants.png": descent_variants,
        "chen-15_early_stopping.png": early_stopping, "chen-15_dropout.png": dropout,
        "chen-15_convolution.png": convolution, "chen-15_pooling.png": pooling,
        "chen-15_cnn_pipeline.png": cnn_pipeline, "chen-15_lenet5.png": lenet5,
        "chen-15_alexnet.png": alexnet,
    }
