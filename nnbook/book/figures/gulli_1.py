"""The figures of chapter 3 (Gulli & Pal, *Deep Learning with Keras*, ch. 1), drawn by the
chapter and by ``nnbook tour``.

The source lost every image (its figures and its formulas), so each figure is redrawn from
nnbook's own computations and cites the section it belongs to ("figure redrawn"); the
chapter has no figure numbers. One function per figure; those that show a training run take
the run's result and train one (on the offline 8×8 digits) when none is given. :func:`figures`
maps the tour's file names to them.
"""

from __future__ import annotations

import numpy as np

SOURCE = "Gulli & Pal"


def _subplots(*args, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


#: The perceptron of :func:`perceptron_hyperplane`: w = (1, 2), b = −2.
PERCEPTRON = {"w": (1.0, 2.0), "b": -2.0}


def perceptron_hyperplane():
    """'Perceptron': f(x) = 1 when w·x + b > 0, and the hyperplane w·x + b = 0 (a line in 2-D)
    that separates the two answers; w is normal to it and points to the side of the 1s."""
    from nnbook import plots
    from nnbook.models.perceptron import Perceptron

    w, b = np.array(PERCEPTRON["w"]), PERCEPTRON["b"]
    perceptron = Perceptron(w, b)
    X = np.random.default_rng(3).uniform(-1.0, 3.0, size=(16, 2))
    fig, ax = _subplots(figsize=(6.4, 5.0))
    plots.plot_decision_boundary(perceptron.output, X, perceptron.output(X), ax, padding=0.3)
    x1 = np.array(ax.get_xlim())
    ax.plot(x1, -(w[0] * x1 + b) / w[1], color="black", lw=1.5)
    ax.set_xlim(*x1)
    foot = -b * w / (w @ w)                          # the point of the line closest to 0
    unit = w / np.linalg.norm(w)
    ax.annotate("", xy=foot + 0.6 * unit, xytext=foot,
                arrowprops={"arrowstyle": "-|>", "color": "tab:red", "lw": 2})
    ax.text(*(foot + 0.6 * unit + (0.08, 0.0)), "w", color="tab:red", fontsize=13)
    start = x1[0] + 0.15
    ax.text(start, -(w[0] * start + b) / w[1] - 0.12, "w·x + b = 0", ha="left", va="top",
            rotation=np.degrees(np.arctan2(-w[0], w[1])), rotation_mode="anchor", fontsize=10,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    points = {c.get_gid(): c for c in ax.collections}
    ax.legend(handles=[points["points:true"], points["points:false"]],
              labels=["f(x) = 1", "f(x) = 0"], loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=9)
    ax.set_title(f"{SOURCE}, 'Perceptron' (figure redrawn):\nw = (1, 2), b = −2", fontsize=10)
    return fig


def neuron_and_mlp():
    """'Activation functions' and 'Multilayer perceptron': one neuron σ(Σ w_j x_j + b), and an
    input, an intermediate and an output layer of one neuron, densely connected."""
    from nnbook import plots

    fig, axes = _subplots(1, 2, figsize=(11, 4), width_ratios=(1, 1.3))
    plots.draw_network([3, 1], axes[0], layer_labels=["inputs x, weights w", "one neuron"],
                       node_labels=[["$x_1$", "$x_2$", "$x_m$"],
                                    ["$\\sigma(\\sum_j w_j x_j + b)$"]])
    axes[0].set_title("a neuron: weighted sum, bias, activation σ", fontsize=10)
    plots.draw_network([4, 5, 1], axes[1],
                       layer_labels=["input layer", "intermediate layer", "output layer"])
    axes[1].set_title("a multilayer perceptron (dense: every neuron\nfeeds every neuron of the "
                      "next layer)", fontsize=10)
    fig.suptitle(f"{SOURCE}, 'Activation functions' and 'Multilayer perceptron' "
                 "(figures redrawn)")
    return fig


def small_change():
    """'Problems in training the perceptron': the step jumps, the sigmoid changes gradually —
    for the one-pixel neuron of the cat example as its weight w changes by Δw."""
    from nnbook import plots
    from nnbook.book.demos.gulli_1 import NEURON, neuron_response

    response = neuron_response(np.linspace(-0.6, 0.6, 601))
    fig, axes = _subplots(1, 2, figsize=(11, 4))
    plots.plot_step_and_sigmoid(axes[0], z_range=(-6, 6))
    axes[0].set_title("the step jumps from 0 to 1; σ moves gradually", fontsize=10)
    dw = response["delta_w"]
    axes[1].plot(dw, response["step"], color="tab:orange", lw=2, drawstyle="steps-mid",
                 label="step neuron (perceptron)")
    axes[1].plot(dw, response["sigmoid"], color="tab:blue", lw=2, label="sigmoid neuron")
    axes[1].set_xlabel("change Δw of the weight")
    axes[1].set_ylabel("output")
    axes[1].set_ylim(-0.05, 1.15)
    axes[1].legend(loc="lower right", fontsize=9)
    axes[1].grid(alpha=0.3)
    axes[1].set_title(f"one neuron, one pixel x = {NEURON['x']}: w = {NEURON['w']:g} + Δw, "
                      f"b = {NEURON['b']}".replace("-", "−"), fontsize=10)
    fig.suptitle(f"{SOURCE}, 'Problems in training the perceptron and their solutions' "
                 "(figure redrawn)")
    return fig


def activations():
    """'Activation function — sigmoid' and '— ReLU' with the derivatives of 'Testing different
    optimizers in Keras': σ′ = σ(1 − σ) ≤ 1/4, ReLU′ = 0 or 1 (either at 0)."""
    from nnbook.functional.activations import relu, relu_prime, sigmoid, sigmoid_prime

    z = np.linspace(-6, 6, 601)
    fig, axes = _subplots(1, 2, figsize=(11, 3.8))
    axes[0].plot(z, sigmoid(z), lw=2, label="σ(x) = 1/(1 + e^(−x))")
    axes[0].plot(z, sigmoid_prime(z), "--", lw=2, label="σ′(x) = σ(x)(1 − σ(x))")
    axes[0].axhline(0.25, color="0.6", lw=0.8, ls=":")
    axes[0].text(-5.8, 0.27, "σ′(0) = 1/4", fontsize=9, color="0.3")
    axes[0].set_title("sigmoid: output in (0, 1)", fontsize=10)
    left, right = z[z < 0], z[z > 0]
    axes[1].plot(z, relu(z), lw=2, label="ReLU(x) = max(0, x)")
    axes[1].plot(left, relu_prime(left), "--", lw=2, color="tab:orange", label="ReLU′(x)")
    axes[1].plot(right, relu_prime(right), "--", lw=2, color="tab:orange")
    axes[1].plot([0, 0], [0, 1], "o", color="tab:orange", markerfacecolor="white")
    axes[1].set_ylim(-0.3, 6.2)
    axes[1].set_title("ReLU: at 0 the derivative is a choice, 0 or 1", fontsize=10)
    for ax in axes:
        ax.axhline(0, color="0.8", lw=0.8)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize=9)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, 'Activation function — sigmoid', '— ReLU' (figures redrawn), "
                 "with derivatives")
    return fig


def digit_samples(dataset=None):
    """'A real example — recognizing handwritten digits': the first 20 training digits of the
    offline stand-in (MNIST's are 28×28)."""
    from nnbook import plots
    from nnbook.data import load_digits

    dataset = load_digits() if dataset is None else dataset
    fig, ax = _subplots(figsize=(7, 1.9))
    plots.plot_digits(dataset.X_train[:20], dataset.y_train[:20], shape=dataset.image_shape,
                      ax=ax)
    size = "×".join(str(s) for s in dataset.image_shape)
    ax.set_title(f"the first 20 training digits ({size}, stand-ins for {SOURCE}'s MNIST)",
                 fontsize=10)
    return fig


def hiker():
    """'Testing different optimizers in Keras': the hiker walks down C(w) from w₀ with leg
    length η — too small (slow), good, too large (misses the valley and climbs out)."""
    from nnbook import plots
    from nnbook.book.demos.gulli_1 import HIKER, hiker_cost, hiker_paths

    paths = hiker_paths()
    fig, axes = _subplots(1, 3, figsize=(13, 3.8))
    for ax, (label, path) in zip(axes, paths.items()):
        shown = path if label != "too large" else path[:5]
        plots.plot_descent_1d(hiker_cost, shown, ax, v_range=(-4.0, 8.0))
        ax.set_ylim(0, 40)
        ax.lines[0].set_label("C(w)")               # plot_descent_1d names the variable v
        ax.legend(loc="upper center", fontsize=9)
        ax.set_xlabel("w")
        ax.set_ylabel("C(w)")
        eta = HIKER["etas"][label]
        ax.set_title(f"η = {eta:g}, {label}: after {len(shown) - 1} steps "
                     f"w = {shown[-1]:.2f}".replace("-", "−"), fontsize=10)
        ax.axvline(HIKER["w_min"], color="0.6", lw=0.8, ls=":")
    fig.suptitle(f"{SOURCE}, 'Testing different optimizers in Keras' (figure redrawn): "
                 f"w ← w − η ∂C/∂w on C(w) = (w − 2)² + 1 from w₀ = −1")
    return fig


def dropout_curves(result=None):
    """'Further improving the simple net in Keras with dropout': accuracy and loss per epoch.
    Keras' training accuracy is a running average with dropout on; re-evaluated without
    dropout, the training set scores above the validation set (see
    :func:`nnbook.book.demos.gulli_1.dropout_gap`, run when ``result`` is None)."""
    from nnbook import plots

    if result is None:
        from nnbook.book.demos.gulli_1 import dropout_gap

        result = dropout_gap()
    history = result["history"]
    fig, axes = _subplots(1, 2, figsize=(11, 4))
    labels = {"accuracy": "training (running, dropout on)",
              "train_accuracy": "training (after the epoch, dropout off)",
              "val_accuracy": "validation",
              "loss": "training (running, dropout on)",
              "train_loss": "training (after the epoch, dropout off)", "val_loss": "validation"}
    plots.plot_history(history, axes[0], keys=("accuracy", "train_accuracy", "val_accuracy"),
                       labels=labels)
    axes[0].set_ylabel("accuracy")
    axes[0].legend(loc="lower right", fontsize=8)
    plots.plot_history(history, axes[1], keys=("loss", "train_loss", "val_loss"), labels=labels)
    axes[1].legend(loc="upper right", fontsize=8)
    fig.suptitle(f"{SOURCE}, dropout (figure redrawn): V3's layers on the 8×8 digits, SGD(), "
                 "dropout 0.3, batch 32")
    return fig


def optimizers(results=None):
    """'Testing different optimizers in Keras': V3 with SGD, RMSprop and Adam at Keras'
    defaults from the same start (:func:`nnbook.book.demos.gulli_1.compare_optimizers`)."""
    if results is None:
        from nnbook.book.demos.gulli_1 import compare_optimizers

        results = compare_optimizers()
    names = {"sgd": "SGD()", "rmsprop": "RMSprop()", "adam": "Adam()"}
    fig, axes = _subplots(1, 2, figsize=(11, 4))
    for name, run in results.items():
        history = run["history"]
        axes[0].plot(history.epoch, history.history["val_accuracy"], "o-", markersize=3,
                     label=names.get(name, name))
        axes[1].plot(history.epoch, history.history["loss"], "o-", markersize=3,
                     label=names.get(name, name))
    axes[0].set_ylabel("validation accuracy")
    axes[1].set_ylabel("training loss (running)")
    axes[0].legend(loc="lower right", fontsize=9)
    axes[1].legend(loc="upper right", fontsize=9)
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, 'Testing different optimizers in Keras' (figures redrawn): V3 on "
                 "the 8×8 digits, 20 epochs, batch 32")
    return fig


def overfitting(plain=None, penalised=None):
    """'Adopting regularization for avoiding overfitting': the validation loss turns up while
    the training loss keeps falling; an L2 penalty on the kernels keeps it down
    (:func:`nnbook.book.demos.gulli_1.overfitting_run`, run when not given)."""
    from nnbook.book.demos.gulli_1 import overfitting_run
    from nnbook.layers.regularizers import l2

    plain = overfitting_run() if plain is None else plain
    penalised = overfitting_run(l2(1e-3)) if penalised is None else penalised
    fig, axes = _subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, run, title in ((axes[0], plain, "no penalty"),
                           (axes[1], penalised, "kernel_regularizer = l2(0.001)")):
        history = run["history"]
        val = np.array(history.history["val_loss"])
        best = int(np.argmin(val))
        ax.plot(history.epoch, history.history["loss"], label="training loss")
        ax.plot(history.epoch, val, label="validation loss")
        ax.plot(history.epoch[best], val[best], "v", color="tab:red", markersize=8,
                label=f"lowest validation loss (epoch {history.epoch[best]})")
        ax.set_xlabel("epoch")
        ax.set_title(title, fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("loss (with the penalty, as Keras reports it)")
    fig.suptitle(f"{SOURCE}, 'Adopting regularization for avoiding overfitting' (figure "
                 "redrawn): 100 digits, a 64-256-256-10 network")
    return fig


def _box(ax, xy, text, color="#e8eef7"):
    return ax.text(*xy, text, ha="center", va="center", fontsize=9, zorder=3,
                   bbox={"boxstyle": "round,pad=0.4", "facecolor": color, "edgecolor": "0.4"})


def _arrow(ax, start, end, color="0.3"):
    """An arrow from text box ``start`` to text box ``end``, clipped at both boxes' edges."""
    ax.annotate("", xy=end.get_position(), xytext=start.get_position(), zorder=2,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.5, "shrinkA": 2, "shrinkB": 2,
                                "patchA": start.get_bbox_patch(), "patchB": end.get_bbox_patch()})


def backprop():
    """'A practical overview of backpropagation': values flow forward to a prediction, the
    error flows back, the optimiser adjusts the weights — repeated until the error is small."""
    from nnbook import plots

    fig, axes = _subplots(1, 3, figsize=(14, 4.2), width_ratios=(1, 1, 1.1))
    for ax, title in ((axes[0], "1. forward: inputs → prediction"),
                      (axes[1], "2. backward: the error, layer by layer")):
        plots.draw_network([3, 4, 2], ax, layer_labels=["input", "hidden", "output"])
        ax.set_title(title, fontsize=10)
    for patch in axes[0].patches:
        if (patch.get_gid() or "").startswith("edge:") and patch.get_gid().endswith(":0"):
            patch.set_color("tab:green")
            patch.set_linestyle("--")
    for patch in axes[1].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("edge:"):
            patch.set_arrowstyle("<|-")
            if gid.split(":")[3] == "0":
                patch.set_color("tab:red")
    ax = axes[2]
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    spots = {"features": (1.8, 8.6), "model": (1.8, 5.6), "prediction": (1.8, 2.4),
             "labels": (8.8, 2.4), "loss": (5.8, 2.4), "optimiser": (5.8, 5.6)}
    texts = {"features": "features x", "model": "model\n(weights)", "prediction": "prediction ŷ",
             "labels": "labels y", "loss": "loss(ŷ, y)",
             "optimiser": "optimiser:\nw ← w − η ∂loss/∂w"}
    boxes = {key: _box(ax, xy, texts[key],
                       "#fbe5d6" if key in ("loss", "optimiser") else "#e8eef7")
             for key, xy in spots.items()}
    for a, b in (("features", "model"), ("model", "prediction"), ("prediction", "loss"),
                 ("labels", "loss"), ("loss", "optimiser")):
        _arrow(ax, boxes[a], boxes[b])
    _arrow(ax, boxes["optimiser"], boxes["model"], color="tab:red")
    ax.text(3.3, 5.85, "update", color="tab:red", ha="center", fontsize=9)
    ax.text(5, 0.4, "repeat until the error is below a threshold", ha="center", fontsize=9)
    ax.set_title("3. the loop", fontsize=10)
    fig.suptitle(f"{SOURCE}, 'A practical overview of backpropagation' (figures redrawn)")
    return fig


def pixel_permutation(dataset=None, seed: int = 7):
    """'Towards a deep learning approach': four digits and the same digits with their pixels
    shuffled by one fixed permutation — the same numbers to a dense layer, no longer
    neighbourhoods to a convolution."""
    from nnbook import plots
    from nnbook.book.demos.gulli_1 import permute_pixels
    from nnbook.data import load_digits

    dataset = load_digits() if dataset is None else dataset
    permutation = np.random.default_rng(seed).permutation(dataset.n_features)
    images = dataset.X_train[:6]
    fig, axes = _subplots(2, 1, figsize=(6, 3.2))
    plots.plot_digits(images, dataset.y_train[:6], shape=dataset.image_shape, ax=axes[0])
    axes[0].set_title("the digits", fontsize=10)
    plots.plot_digits(permute_pixels(images, permutation), shape=dataset.image_shape,
                      ax=axes[1])
    axes[1].set_title("the same pixels, shuffled by one fixed permutation", fontsize=10)
    fig.suptitle(f"{SOURCE}, 'Towards a deep learning approach': flattening forgets "
                 "where pixels were", fontsize=10)
    return fig


def figures() -> dict:
    """The chapter's figures by file name; each value draws one and returns its Figure."""
    return {
        "gulli-1_perceptron_hyperplane.png": perceptron_hyperplane,
        "gulli-1_neuron_and_mlp.png": neuron_and_mlp,
        "gulli-1_small_change.png": small_change,
        "gulli-1_activations.png": activations,
        "gulli-1_digits.png": digit_samples,
        "gulli-1_hiker.png": hiker,
        "gulli-1_dropout_curves.png": dropout_curves,
        "gulli-1_optimizers.png": optimizers,
        "gulli-1_overfitting.png": overfitting,
        "gulli-1_backprop.png": backprop,
        "gulli-1_pixel_permutation.png": pixel_permutation,
    }
