"""The figures of chapter 5 (《深度学习与神经网络》第5章), drawn by the chapter and by ``nnbook tour``.

The source keeps only the captions of its figures (图5-1 … 图5-31), so each figure here is
redrawn from nnbook's own computations and cites the figure it redraws ("Fig. 5-15
(redrawn)"). Where the source gives no numbers, the figure says where its numbers come from: the
convolution image is derived from the standard figure the passage follows, the pooled map is
the common textbook example, the descent and fitting data are synthetic. The gradient plot is
not in the source: it shows why §5.5 needs the LSTM. Labels are English (the default font has
no Chinese glyphs). :func:`figures` maps the tour's file names to the drawing functions.
"""

from __future__ import annotations

import numpy as np

SOURCE = "dlnn-5"


def _subplots(*args, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


def activations():
    """Figs 5-8, 5-9, 5-10: sigmoid (5-24), tanh (5-25) and ReLU (5-27), each with its
    derivative — σ′ is at most 1/4 (§5.2.5), tanh′ at most 1, ReLU′ is 1 only for x > 0."""
    from nnbook.functional.activations import (
        relu,
        relu_prime,
        sigmoid,
        sigmoid_prime,
        tanh,
        tanh_prime,
    )

    x = np.linspace(-6, 6, 601)
    fig, axes = _subplots(1, 3, figsize=(13, 3.9))
    axes[0].plot(x, sigmoid(x), lw=2, label="σ(x) = 1/(1 + e^(−x))")
    axes[0].plot(x, sigmoid_prime(x), "--", lw=2, label="σ′(x) = σ(x)(1 − σ(x))")
    axes[0].axhline(0.25, color="0.6", lw=0.8, ls=":")
    axes[0].text(2.0, 0.29, "max σ′ = σ′(0) = 1/4", fontsize=9, color="0.3")
    axes[0].set_ylim(-0.1, 1.25)
    axes[0].set_title("Fig. 5-8 (redrawn): sigmoid, output in (0, 1)", fontsize=10)
    axes[1].plot(x, tanh(x), lw=2, label="tanh(x)")
    axes[1].plot(x, tanh_prime(x), "--", lw=2, label="tanh′(x) = 1 − tanh²(x)")
    axes[1].set_ylim(-1.15, 1.6)
    axes[1].set_title("Fig. 5-9 (redrawn): tanh, output in (−1, 1)", fontsize=10)
    left, right = x[x < 0], x[x > 0]
    axes[2].plot(x, relu(x), lw=2, label="ReLU(x) = max(0, x)")
    axes[2].plot(left, relu_prime(left), "--", lw=2, color="tab:orange", label="ReLU′(x)")
    axes[2].plot(right, relu_prime(right), "--", lw=2, color="tab:orange")
    axes[2].set_ylim(-0.3, 6.5)
    axes[2].set_title("Fig. 5-10 (redrawn): ReLU; ReLU′ = 1 only for x > 0", fontsize=10)
    for ax in axes:
        ax.axhline(0, color="0.8", lw=0.8)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize=8.5)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, §5.2.5: activation functions and their derivatives")
    return fig


def descent_runs(epochs: int = 10, learning_rate: float = 0.05) -> dict:
    """The three runs of :func:`descent` on the 256 points of :func:`_line_data`: batch,
    stochastic and mini-batch (B = 16) descent, ``epochs`` passes each from w = b = 0, through
    :func:`nnbook.analysis.linear_regression.gradient_descent_variants`."""
    from nnbook.analysis.linear_regression import gradient_descent_variants

    x, y = _line_data()
    return gradient_descent_variants(x[:, None], y, epochs=epochs, learning_rate=learning_rate,
                                     batch_size=16, rng=1)


def _line_data():
    """256 points of y = 2x − 1 + noise, x ~ N(1, 0.6²): not centred, so J's valley is a long
    tilted ellipse in (w, b), as in the book's sketch."""
    rng = np.random.default_rng(3)
    x = 1.0 + 0.6 * rng.standard_normal(256)
    return x, 2.0 * x - 1.0 + 0.5 * rng.standard_normal(256)


def descent(runs=None, *, learning_rate: float = 0.05):
    """Fig. 5-11: batch, stochastic and mini-batch descent on the cost J(θ) (5-28) of a
    straight-line fit (:func:`descent_runs`, through
    :func:`nnbook.analysis.linear_regression.gradient_descent_variants`): BGD heads straight
    for the minimum but needs a pass over all the data per step; SGD zig-zags, yet is near the
    minimum within one pass."""
    from nnbook.analysis.linear_regression import linreg_cost

    x, y = _line_data()
    runs = descent_runs(learning_rate=learning_rate) if runs is None else runs
    fig, axes = _subplots(1, 2, figsize=(12, 4.8), width_ratios=(1.1, 1))
    points = np.vstack([run["path"] for run in runs.values()])
    low, high = points.min(axis=0) - 0.25, points.max(axis=0) + 0.25
    w_grid, b_grid = np.meshgrid(np.linspace(low[0], high[0], 161),
                                 np.linspace(low[1], high[1], 145))
    theta = np.stack([b_grid, w_grid], axis=-1)                 # intercept first
    cost = linreg_cost(theta, x[:, None], y)
    levels = np.min(cost) * np.array([1.02, 1.1, 1.3, 1.8, 2.8, 4.5, 7.0, 11.0])
    axes[0].contour(w_grid, b_grid, cost, levels=levels, colors="0.6", linewidths=0.8)
    styles = {"batch": ("tab:blue", "o-", "BGD (all 256 points)"),
              "stochastic": ("tab:red", "-", "SGD (1 point)"),
              "mini-batch": ("tab:green", ".-", "mini-batch (16 points)")}
    for name, run in runs.items():
        colour, style, label = styles[name]
        k = run["iterations_per_epoch"]
        first = run["path"] if name == "batch" else run["path"][:k + 1]
        shown = f"{len(first) - 1} updates, {'all' if name == 'batch' else 'first'} " + (
            f"{int(run['epoch'][-1])} passes" if name == "batch" else "pass")
        axes[0].plot(first[:, 0], first[:, 1], style, color=colour, lw=1.0, markersize=3,
                     label=f"{label}: {shown}", alpha=0.9)
        axes[1].plot(run["epoch"], run["loss"], color=colour, lw=1.2, label=label)
    best = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    axes[0].plot(*best, "*", color="black", markersize=13, label="least-squares minimum")
    axes[0].set_xlabel("slope w")
    axes[0].set_ylabel("intercept b")
    axes[0].set_title("paths from w = b = 0 on the contours of J(θ) (5-28)", fontsize=10)
    axes[0].legend(loc="lower left", fontsize=8)
    axes[1].set_yscale("log")
    axes[1].set_xlabel("passes over the 256 points (= gradients computed / 256)")
    axes[1].set_ylabel("mean squared error")
    axes[1].set_title(f"cost after every update (η = {learning_rate:g})", fontsize=10)
    axes[1].legend(loc="upper right", fontsize=8)
    axes[1].grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, Fig. 5-11 (redrawn): batch against stochastic gradient descent")
    return fig


def fitting():
    """Fig. 5-12: polynomials of degree 1 (under-fitting), 3 (a good fit) and 12 (over-fitting)
    through 15 noisy points of sin(2πx), and their training and validation errors against the
    degree (:mod:`nnbook.analysis.polynomial_fit`)."""
    from nnbook.analysis.polynomial_fit import fit_errors, noisy_curve

    rng = np.random.default_rng(4)
    x_train, y_train = noisy_curve(15, rng)
    x_val, y_val = noisy_curve(200, rng)
    degrees = list(range(14))
    errors = fit_errors(x_train, y_train, x_val, y_val, degrees)
    fig, axes = _subplots(1, 4, figsize=(15, 3.8), width_ratios=(1, 1, 1, 1.25))
    grid = np.linspace(0, 1, 400)
    for ax, degree, title in ((axes[0], 1, "under-fitting"), (axes[1], 3, "a good fit"),
                              (axes[2], 12, "over-fitting")):
        fit = errors["fits"][degrees.index(degree)]
        ax.plot(grid, np.sin(2 * np.pi * grid), color="0.7", lw=1, label="sin(2πx)")
        ax.plot(x_train, y_train, "o", color="tab:blue", markersize=4, label="training points")
        ax.plot(grid, fit(grid), color="tab:red", lw=1.8, label=f"degree {degree}")
        ax.set_ylim(-2.2, 2.6)
        ax.set_xlabel("x")
        ax.set_title(f"degree {degree}: {title}", fontsize=10)
        ax.legend(loc="upper right", fontsize=7.5)
    ax = axes[3]
    ax.semilogy(errors["degrees"], errors["train"], "o-", label="training error")
    ax.semilogy(errors["degrees"], errors["validation"], "s-", label="validation error")
    best = int(errors["degrees"][np.argmin(errors["validation"])])
    ax.axvline(best, color="0.6", ls=":", lw=1)
    ax.set_xlabel("degree of the polynomial")
    ax.set_ylabel("mean squared error")
    ax.set_title(f"lowest validation error at degree {best}", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}, Fig. 5-12 (redrawn), §5.2.8: under- and over-fitting "
                 "(15 training points, 200 validation points)")
    return fig


def convolution():
    """Fig. 5-15 and (5-31): the 5×5 image with the 3×3 window of a₀,₀, the filter, the
    feature map for stride 1 and, by (5-32), for stride 2 (image and filter derived from the
    standard figure; the book prints a₀,₀ = relu(4) = 4 only)."""
    from nnbook import plots
    from nnbook.book.demos.dlnn_5 import CONV_FILTER, CONV_IMAGE, feature_map

    fig, axes = _subplots(1, 2, figsize=(12, 4.0), width_ratios=(1.55, 1))
    ax = axes[0]
    plots.draw_matrix(CONV_IMAGE, ax, highlight=[(0, 0, 3, 3)], shade=False)
    ax.text(5.75, 2.5, "∗", fontsize=20, ha="center", va="center")
    plots.draw_matrix(CONV_FILTER, ax, origin=(6.5, 1.0), shade=False)
    ax.text(10.25, 2.5, "=", fontsize=18, ha="center", va="center")
    plots.draw_matrix(feature_map(1), ax, origin=(11.0, 1.0), highlight=[(0, 0, 1, 1)])
    ax.set_xlim(-0.3, 14.3)
    ax.set_ylim(5.9, -0.9)
    for x, text in ((2.5, "image x (5×5)"), (8.0, "filter w (3×3), w_b = 0"),
                    (12.5, "map a, stride 1")):
        ax.text(x, 5.55, text, ha="center", va="center", fontsize=9)
    ax.text(7.0, -0.55, "a₀,₀ = relu(1+0+1+0+1+0+0+0+1+0) = relu(4) = 4", ha="center",
            va="center", fontsize=10, color="tab:red")
    ax = axes[1]
    plots.draw_matrix(CONV_IMAGE, ax, highlight=[(0, 0, 3, 3), (0, 2, 3, 3)], shade=False)
    ax.text(5.75, 2.5, "→", fontsize=18, ha="center", va="center")
    plots.draw_matrix(feature_map(2), ax, origin=(6.5, 1.5), highlight=[(0, 0, 1, 1),
                                                                       (0, 1, 1, 1)])
    ax.set_xlim(-0.3, 8.8)
    ax.set_ylim(5.9, -0.9)
    ax.text(2.5, 5.55, "windows 2 apart (S = 2)", ha="center", va="center", fontsize=9)
    ax.text(7.5, 4.3, "(5 − 3)/2 + 1 = 2", ha="center", va="center", fontsize=9)
    ax.text(4.25, -0.55, "stride 2: a 2×2 map (5-32)", ha="center", va="center", fontsize=10)
    fig.suptitle(f"{SOURCE}, Fig. 5-15 (redrawn), (5-31)–(5-32): image and filter derived "
                 "from the standard figure (the book prints a₀,₀ only)", fontsize=11)
    return fig


def pooling():
    """Fig. 5-16: 2×2 max and average pooling with stride 2 of a 4×4 map (the common textbook
    map; the book's figure has no numbers in the text), and the depth kept: 3@4×4 → 3@2×2."""
    from nnbook import plots
    from nnbook.book.demos.dlnn_5 import POOL_MAP, pooling_keeps_depth

    pooled = pooling_keeps_depth(POOL_MAP, depth=3)
    regions = [(0, 0, 2, 2), (0, 2, 2, 2), (2, 0, 2, 2), (2, 2, 2, 2)]
    fig, axes = _subplots(1, 2, figsize=(11, 3.6))
    for ax, key, title, fmt in ((axes[0], "max", "max pooling: the largest of each 2×2 window",
                                 "{:g}"),
                                (axes[1], "average", "average pooling: each window's mean",
                                 "{:g}")):
        plots.draw_matrix(POOL_MAP, ax, highlight=regions)
        ax.text(5.0, 2.0, "→", fontsize=18, ha="center", va="center")
        plots.draw_matrix(pooled[key][0, 0], ax, origin=(6.0, 1.0), fmt=fmt)
        ax.set_xlim(-0.3, 8.4)
        ax.set_ylim(4.9, -0.9)
        ax.text(4.0, -0.55, title, ha="center", va="center", fontsize=10)
        shape_in, shape_out = pooled["input"].shape, pooled[key].shape
        ax.text(4.0, 4.5, f"depth kept: {shape_in[1]}@{shape_in[2]}×{shape_in[3]} → "
                f"{shape_out[1]}@{shape_out[2]}×{shape_out[3]}", ha="center", va="center",
                fontsize=9, color="0.3")
    fig.suptitle(f"{SOURCE}, Fig. 5-16 (redrawn): pooling shrinks height and width, not depth "
                 "(a textbook map; the book's numbers are not in its text)", fontsize=11)
    return fig


def fc_backward():
    """Figs 5-18, 5-19, 5-20: the fully connected layer's backward pass for a batch of 16 as
    matrix products — dX = dA·W, dW = dAᵀ·X, db = 1ᵀ·dA (shapes from the 800 → 500 layer)."""
    from nnbook.book.demos.dlnn_5 import fully_connected_batch
    from nnbook.plots.images import draw_matrix_products

    fc = fully_connected_batch(np.random.default_rng(0))
    n, n_in = fc["X"].shape
    n_out = fc["W"].shape[0]
    products = [
        ("Fig. 5-18: ∂loss/∂X (5-36)", ("dA", fc["dA"].shape), ("W", fc["W"].shape),
         ("dX", fc["dX"].shape)),
        ("Fig. 5-19: ∂loss/∂W", ("dAᵀ", fc["dA"].T.shape), ("X", fc["X"].shape),
         ("dW", fc["dW"].shape)),
        ("Fig. 5-20: ∂loss/∂b", ("1ᵀ", (1, n)), ("dA", fc["dA"].shape),
         ("db", (1, fc["db"].shape[0]))),
    ]
    fig, ax = _subplots(figsize=(9, 6.4))
    draw_matrix_products(products, ax, scale=2.4 / 800)
    fig.suptitle(f"{SOURCE}, Figs 5-18–5-20 (redrawn): the {n_in} → {n_out} layer's backward "
                 f"pass\nfor batch_size = {n} as matrix products (sides to scale)", fontsize=11)
    return fig


def vgg16():
    """Fig. 5-22 and §5.3.4's twelve steps: VGG-16's shapes and parameters, traced on nnbook's
    layers (:func:`nnbook.analysis.architectures.vgg16_trace`)."""
    from nnbook import plots
    from nnbook.analysis.architectures import vgg16_layers, vgg16_trace

    rows = vgg16_trace()
    ax = plots.draw_trace(rows, layers=vgg16_layers(), per_row=12,
                          title=f"{SOURCE}, Fig. 5-22 (redrawn): VGG-16 on a 224×224×3 image "
                                "(§5.3.4's twelve steps)")
    return ax.figure


def rnn_structure():
    """Figs 5-24 and 5-25: the recurrent cell A with its loop, and the same cell unrolled in
    time — one copy per step, the same weights in every copy."""
    from nnbook.plots.recurrent import draw_rnn_folded, draw_unrolled

    fig, axes = _subplots(1, 2, figsize=(13, 3.6), width_ratios=(1, 3.2))
    draw_rnn_folded(axes[0], title="Fig. 5-24 (redrawn): the cell and its loop")
    draw_unrolled(4, axes[1], inputs=["$x_0$", "$x_1$", "$x_2$", "$x_t$"],
                  outputs=["$o_0$", "$o_1$", "$o_2$", "$o_t$"],
                  states=["$h_0$", "$h_1$", "$h_2$", "$h_t$"], initial_state="$h_{init}$",
                  label_width=1.0,
                  title="Fig. 5-25 (redrawn): unrolled in time, weights shared by every copy")
    fig.suptitle(f"{SOURCE}, §5.4.2: the recurrent network")
    return fig


def rnn_example():
    """Figs 5-27 and 5-28: inside the cell, and the book's example run for two steps with its
    numbers, computed by :func:`nnbook.book.demos.dlnn_5.rnn_example`."""
    from nnbook.book.demos.dlnn_5 import RNN_EXAMPLE
    from nnbook.book.demos.dlnn_5 import rnn_example as run
    from nnbook.plots.recurrent import draw_rnn_cell, draw_unrolled

    steps = run()

    def vector(values, digits=3):
        return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"

    fig, axes = _subplots(2, 1, figsize=(10, 7.6), height_ratios=(1, 1.1))
    draw_rnn_cell(axes[0], title="Fig. 5-27 (redrawn): the simplest cell, "
                                 "(n + x)·n + n = (2 + 1)·2 + 2 = 8 parameters here")
    draw_unrolled(2, axes[1], cell="tanh",
                  inputs=[f"$x_{k}$ = {x:g}" for k, x in enumerate(RNN_EXAMPLE["X"])],
                  outputs=[f"$o_{k}$ = {s['output'][0]:.2f}" for k, s in enumerate(steps)],
                  states=[f"$h_{k}$ = {vector(s['state'])}" for k, s in enumerate(steps)],
                  initial_state="$h_{init}$ = [0, 0]", pitch=4.2, label_width=1.8,
                  title="Fig. 5-28 (redrawn): W_rnn = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "
                        "b_rnn = [0.1, −0.1], w_output = [1, 2]ᵀ, b_output = 0.1")
    fig.suptitle(f"{SOURCE}, §5.4.3: the RNN example, computed by nnbook")
    return fig


def lstm():
    """Figs 5-29 and 5-30/5-31: the chain of LSTM cells with the cell state along the top, and
    one cell with its gates (5-37); the standard h = o ⊙ tanh(c) beside the book's h = o ⊙ c."""
    import matplotlib.pyplot as plt

    from nnbook.plots.recurrent import draw_lstm_cell, draw_unrolled

    fig = plt.figure(figsize=(14, 7.4), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(0.55, 1))
    top = fig.add_subplot(grid[0, :])
    draw_unrolled(4, top, cell="LSTM", inputs=["$x_1$", "$x_2$", "$x_3$", "$x_t$"],
                  outputs=["$h_1$", "$h_2$", "$h_3$", "$h_t$"], states=None,
                  initial_state="$h_0$, $c_0$", cell_line="$c_t$",
                  title="Fig. 5-29 (redrawn): the chain; the cell state c runs along the top")
    draw_lstm_cell(fig.add_subplot(grid[1, 0]), cell_output="tanh",
                   title="Fig. 5-30 (redrawn): the standard cell (an addition)")
    draw_lstm_cell(fig.add_subplot(grid[1, 1]), cell_output="book",
                   title="the book's cell, (5-37) with the biases inside σ")
    fig.suptitle(f"{SOURCE}, §5.5: the LSTM — forget, input and output gates (σ), candidate "
                 "g (tanh)")
    return fig


def vanishing_gradients(curves=None):
    """Not in the source chapter (it motivates §5.5): ‖∂h_T/∂h_0‖ of a tanh RNN against T for
    recurrent matrices of spectral radius ρ (:func:`nnbook.book.demos.dlnn_5.state_gradient_curves`),
    and §5.2.5's bound (1/4)^L for L sigmoid layers."""
    from nnbook.book.demos.dlnn_5 import state_gradient_curves

    curves = state_gradient_curves() if curves is None else curves
    driven = state_gradient_curves((1.0, 1.5), driven=True)
    fig, axes = _subplots(1, 2, figsize=(12, 4.4))
    colours = {}
    for radius, norms in curves.items():
        T = np.arange(1, len(norms) + 1)
        line, = axes[0].semilogy(T, norms, lw=1.8, label=f"ρ = {radius:g}")
        colours[radius] = line.get_color()
    for radius, norms in driven.items():
        T = np.arange(1, len(norms) + 1)
        axes[0].semilogy(T, norms, "--", lw=1.4, color=colours.get(radius, "0.3"),
                         label=f"ρ = {radius:g}, driven by inputs")
    axes[0].set_xlabel("time steps T")
    axes[0].set_ylabel("‖∂h_T / ∂h_0‖")
    axes[0].set_title("a tanh RNN, ρ = spectral radius of W_h: below 1 the gradient vanishes,\n"
                      "above 1 it explodes; driven inputs saturate tanh (dashed)", fontsize=10)
    axes[0].legend(loc="lower left", fontsize=8, ncols=2)
    axes[0].grid(alpha=0.3)
    L = np.arange(1, 11)
    axes[1].semilogy(L, 0.25 ** L, "o-", color="tab:purple", label="(1/4)^L")
    axes[1].annotate(f"(1/4)¹⁰ = {0.25 ** 10:.2e}", xy=(10, 0.25 ** 10), xytext=(4.6, 2e-6),
                     fontsize=9, arrowprops={"arrowstyle": "->", "color": "0.4"})
    axes[1].set_xlabel("sigmoid layers L")
    axes[1].set_ylabel("largest factor left of the gradient")
    axes[1].set_title("§5.2.5: each sigmoid layer multiplies by σ′ ≤ 1/4", fontsize=10)
    axes[1].legend(loc="upper right", fontsize=9)
    axes[1].grid(alpha=0.3)
    fig.suptitle(f"{SOURCE}: vanishing and exploding gradients (an addition, not in the "
                 "source chapter)")
    return fig


def memory(results=None):
    """Not in the source chapter (it shows §5.5.1's long-term dependency): "remember the first
    input" after 49 noisy distractors — a SimpleRNN stays at chance, an LSTM of the same width
    whose forget gate starts open (bias 5) learns it (:func:`nnbook.book.demos.dlnn_5.memory_task`,
    trained when ``results`` is None); the SimpleRNN does learn the same task over 10 steps."""
    from nnbook.book.demos.dlnn_5 import memory_task
    from nnbook.plots.training import epoch_axis

    if results is None:
        results = {("rnn", 10): memory_task("rnn", length=10),
                   ("rnn", 50): memory_task("rnn", length=50),
                   ("lstm", 50): memory_task("lstm", length=50, forget_bias=5.0)}
    names = {"rnn": "SimpleRNN", "lstm": "LSTM"}
    styles = {("rnn", 10): ("tab:blue", ":"), ("rnn", 50): ("tab:blue", "-"),
              ("lstm", 50): ("tab:green", "-")}
    fig, ax = _subplots(figsize=(7.5, 4.2))
    for (cell, length), run in results.items():
        history = run["history"]
        colour, style = styles.get((cell, length), ("0.4", "--"))
        ax.plot(history.epoch, history.history["val_accuracy"], style, color=colour, lw=2,
                marker="o", markersize=3,
                label=f"{names[cell]}, {length} steps: test accuracy {run['test_accuracy']:.2f}")
    ax.axhline(0.5, color="0.6", lw=1, ls="--")
    ax.text(ax.get_xlim()[1], 0.51, "chance ", ha="right", va="bottom", fontsize=9, color="0.4")
    ax.set_ylim(0.3, 1.05)
    epoch_axis(ax)
    ax.set_ylabel("accuracy on 500 test sequences")
    ax.legend(loc="lower right", fontsize=8.5)
    ax.grid(alpha=0.3)
    ax.set_title(f"{SOURCE}, §5.5.1 (an addition): remember the first of T noisy symbols;\n"
                 "16 units each, Adam, 1,000 training sequences; the LSTM's forget bias 5",
                 fontsize=10)
    return fig


def figures() -> dict:
    """The chapter's figures by file name; each value draws one and returns its Figure."""
    return {
        "dlnn-5_activations.png": activations,
        "dlnn-5_descent.png": descent,
        "dlnn-5_fitting.png": fitting,
        "dlnn-5_convolution.png": convolution,
        "dlnn-5_pooling.png": pooling,
        "dlnn-5_fc_backward.png": fc_backward,
        "dlnn-5_vgg16.png": vgg16,
        "dlnn-5_rnn_structure.png": rnn_structure,
        "dlnn-5_rnn_example.png": rnn_example,
        "dlnn-5_lstm.png": lstm,
        "dlnn-5_vanishing_gradients.png": vanishing_gradients,
        "dlnn-5_memory.png": memory,
    }
