"""The figures of chapter 2 (陈强 ch. 15), drawn by the chapter and by ``nnbook tour``.

:func:`figures` maps a file name to a function of no arguments that draws that figure and
returns its Figure (or Axes).
"""

from __future__ import annotations

import numpy as np

from nnbook.book.demos.chen_15 import gradient_descent_variants, learn_gate


def figures() -> dict:
    """The chapter's figures by file name: each value draws one and returns its Figure.

    Networks, XOR, activations, approximation, training, dropout, convolution and pooling
    (陈强 figures 15.2–15.20); about ten seconds for all of them."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nnbook import plots
    from nnbook.analysis.approximation import error_vs_units, relu_hats, step_bumps
    from nnbook.book.worked_examples.chen_15 import FEATURE_MAP, IMAGE, KERNEL
    from nnbook.functional.activations import (leaky_relu, leaky_relu_prime, relu, relu_prime, sigmoid, sigmoid_prime, softplus, softplus_prime, tanh, tanh_prime)
    from nnbook.functional.convolution import correlate2d_reference
    from nnbook.functional.pooling import avg_pool2d_reference, max_pool2d_reference
    from nnbook.layers import Dense, Dropout
    from nnbook.models.logic_gates import GATE_INPUTS, LOGIC_GATES
    from nnbook.models.perceptron import xor_network
    from nnbook.models.sequential import Sequential
    from nnbook.optim import SGD

    def networks():
        fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
        plots.draw_network([3, 1], axes[0], title="15.2 M-P neuron",
                           node_labels=[["$x_1$", "$x_2$", "$x_p$"], ["$I(w'x+b>0)$"]])
        plots.draw_network([3, 2], axes[1], title="15.4 multi-output perceptron")
        plots.draw_network([2, 2, 1], axes[2], title="15.5 multilayer perceptron (15.9)")
        plots.draw_network([4, 5, 5, 2], axes[3], title="15.7 two hidden layers")
        return fig

    def xor():
        fig, axes = plt.subplots(1, 4, figsize=(14, 3.6))
        for ax, gate in zip(axes, ("AND", "OR", "NAND", "XOR")):
            predict = xor_network().output if gate == "XOR" else learn_gate(gate).predict
            truth = np.array(LOGIC_GATES[gate])
            plots.plot_decision_boundary(predict, GATE_INPUTS, truth, ax, title=gate + (
                " (2-2-1 network)" if gate == "XOR" else " (perceptron)"))
        fig.suptitle("Figure 15.3: TRUE blue, FALSE black")
        return fig

    def activations():
        z = np.linspace(-6, 6, 601)
        fig, axes = plt.subplots(1, 5, figsize=(17, 3.2))
        for ax, (title, f, fp) in zip(axes, [
                ("sigmoid (15.10)", sigmoid, sigmoid_prime), ("tanh (15.12)", tanh, tanh_prime),
                ("ReLU (15.15)", relu, relu_prime),
                ("leaky ReLU, γ = 0.1 (15.16)", lambda v: leaky_relu(v, 0.1),
                 lambda v: leaky_relu_prime(v, 0.1)),
                ("softplus (15.18)", softplus, softplus_prime)]):
            ax.plot(z, f(z), label="f")
            ax.plot(z, fp(z), "--", label="f′")
            ax.set_title(title, fontsize=10)
            ax.legend(fontsize=8)
        return fig

    def approximation():
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))

        def target(x):
            return np.sin(2 * np.pi * x)

        x = np.linspace(0, 1, 1001)
        axes[0].plot(x, target(x), color="0.2", lw=2, label="sin 2πx")
        for m in (6, 20):
            axes[0].plot(x, relu_hats(target, m)(x), label=f"ReLU hats, m = {m}")
        axes[0].legend(fontsize=8)
        for name, build in (("step bumps", step_bumps), ("ReLU hats", relu_hats)):
            ms, errors = error_vs_units(build, target, [2, 4, 8, 16, 32, 64, 128], grid=x)
            axes[1].loglog(ms, errors, "o-", label=name)
        axes[1].set_xlabel("hidden units m")
        axes[1].set_ylabel("sup error")
        axes[1].legend(fontsize=8)
        return fig

    def descent():
        variants = gradient_descent_variants(epochs=20, learning_rate=0.05, batch_size=32, rng=0)
        fig, axes = plt.subplots(1, 2, figsize=(12, 4))
        for name, run in variants.items():
            axes[0].plot(run["path"][:, 0], run["path"][:, 1], ".-", ms=2, lw=0.8, label=name)
            axes[1].plot(run["epoch"], run["loss"], label=name)
        axes[0].set_xlabel("w")
        axes[0].set_ylabel("b")
        axes[0].set_title("Figure 15.12")
        axes[0].legend(fontsize=8)
        axes[1].set_yscale("log")
        axes[1].set_xlabel("epochs")
        axes[1].set_ylabel("full-sample MSE")
        return fig

    def early_stopping():
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
        ax = plots.plot_history(history)
        best = int(np.argmin(history.history["val_loss"])) + 1
        ax.axvline(best, color="tab:red", ls="--", label=f"stop at epoch {best}")
        ax.set_yscale("log")
        ax.legend()
        ax.set_title("Figure 15.13: early stopping")
        return ax.figure

    def dropout():
        sizes = [4, 5, 5, 2]
        masks = Dropout(0.5, rng=np.random.default_rng(7)).forward(np.ones((2, 5)), training=True)
        dropped = {(l, i) for l in (1, 2) for i in range(5) if masks[l - 1, i] == 0}
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
        plots.draw_network(sizes, axes[0], title="(a) full network")
        plots.draw_network(sizes, axes[1], title="(b) after dropout, p = 0.5")
        for patch in axes[1].patches:
            kind, *where = (patch.get_gid() or "x").split(":")
            where = tuple(int(v) for v in where)
            if kind == "node" and where in dropped:
                patch.set_facecolor("0.85")
            if kind == "edge" and ((where[0], where[1]) in dropped
                                   or (where[0] + 1, where[2]) in dropped):
                patch.set_visible(False)
        fig.suptitle("Figure 15.14: dropout")
        return fig

    def convolution():
        feature = correlate2d_reference(IMAGE, KERNEL)
        fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
        plots.draw_matrix(IMAGE, axes[0], title="15.15 image ⊗ kernel", shade=False)
        plots.draw_matrix(KERNEL, axes[0], origin=(6, 1), shade=False)
        plots.draw_matrix(IMAGE, axes[1], highlight=[(0, 0, 3, 3)], shade=False,
                          title="15.16 first step: 5")
        plots.draw_matrix(feature, axes[2], title="15.18 feature map (lost in the source)")
        return fig

    def pooling():
        regions = [(0, 0, 2, 2), (0, 2, 2, 2), (2, 0, 2, 2), (2, 2, 2, 2)]
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
        for ax, pool, title in ((axes[0], max_pool2d_reference, "15.19 max pooling"),
                                (axes[1], avg_pool2d_reference, "15.20 mean pooling")):
            plots.draw_matrix(FEATURE_MAP, ax, highlight=regions, title=title)
            plots.draw_matrix(pool(FEATURE_MAP, 2, 2), ax, origin=(5.5, 1.0))
        return fig

    drawings = {
        "chen-15_networks.png": networks, "chen-15_xor.png": xor,
        "chen-15_activations.png": activations, "chen-15_approximation.png": approximation,
        "chen-15_gradient_descent_variants.png": descent,
        "chen-15_early_stopping.png": early_stopping, "chen-15_dropout.png": dropout,
        "chen-15_convolution.png": convolution, "chen-15_pooling.png": pooling,
    }
    return drawings
