"""``nnbook tour``: every chapter's demos, headless, in one run.

1. draws each landed chapter's figures into an output folder;
2. prints the reproduction table — every worked example of the sources next to nnbook's value
   (``--json FILE`` writes the same rows as a JSON list);
3. grades the reference solutions through real nbgrader and prints the score table.

Exit status 0 when no row mismatches and every reference solution gets full marks.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from nnbook.book.sources import LANDED

COLUMNS = ("source", "ref", "quantity", "source_value", "nnbook_value", "match")


def chapter_1_figures(out_dir: Path) -> list[Path]:
    """The chapter-1 figures (Nielsen ch. 1): networks, circuits, curves, valley, digits, training."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nnbook import plots
    from nnbook.data import load_digits
    from nnbook.optim.gradient_descent import gradient_descent, valley_gradient
    from nnbook.models.network import Network
    from nnbook.models.logic_gates import half_adder_circuit
    from nnbook.models.network import sgd

    digits = load_digits()
    rng = np.random.default_rng(0)
    net = Network((digits.X_train.shape[1], 30, 10), rng=rng)
    history = sgd(net, digits.X_train, digits.y_train, epochs=30, batch_size=10, eta=3.0,
                  rng=rng, test=(digits.X_test, digits.y_test), progress=False)
    path = gradient_descent(valley_gradient, np.array([0.9, -0.7]), 0.1, 25)
    drawings = {
        "nielsen-1_network_784-15-10.png":
            lambda: plots.draw_network((784, 15, 10), title="784-15-10 digit network (§1.4)"),
        "nielsen-1_half_adder.png": lambda: plots.draw_circuit(half_adder_circuit()),
        "nielsen-1_step_and_sigmoid.png": lambda: plots.plot_step_and_sigmoid(),
        "nielsen-1_valley_descent.png": lambda: plots.plot_valley(path),
        "nielsen-1_digits.png": lambda: plots.plot_digits(digits.X_train[:20], digits.y_train[:20],
                                                          shape=digits.image_shape),
        "nielsen-1_training_history.png": lambda: plots.plot_history(history),
    }
    saved = []
    for name, draw in drawings.items():
        drawn = draw()
        figure = drawn if hasattr(drawn, "savefig") else drawn.figure
        target = out_dir / name
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        saved.append(target)
    return saved


def chapter_2_figures(out_dir: Path) -> list[Path]:
    """The chapter-2 figures (陈强 ch. 15): networks, XOR, activations, approximation, training,
    dropout, convolution and pooling (figures 15.2–15.20); about ten seconds."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nnbook import plots
    from nnbook.functional.activations import (leaky_relu, leaky_relu_prime, relu, relu_prime, sigmoid, sigmoid_prime, softplus, softplus_prime, tanh, tanh_prime)
    from nnbook.analysis.approximation import error_vs_units, relu_hats, step_bumps
    from nnbook.functional.pooling import avg_pool2d_reference, max_pool2d_reference
    from nnbook.functional.convolution import correlate2d_reference
    from nnbook.layers import Dense
    from nnbook.models.sequential import Sequential
    from nnbook.book.demos.chen_15 import gradient_descent_variants
    from nnbook.optim import SGD
    from nnbook.models.perceptron import xor_network
    from nnbook.book.worked_examples.chen_15 import (FEATURE_MAP, IMAGE, INPUTS, KERNEL, TRUTH_TABLES, learn_gate)

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
            truth = np.array([int(c) for c in TRUTH_TABLES[gate]])
            plots.plot_decision_boundary(predict, INPUTS, truth, ax, title=gate + (
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
        ax = history.plot()
        best = int(np.argmin(history.history["val_loss"])) + 1
        ax.axvline(best, color="tab:red", ls="--", label=f"stop at epoch {best}")
        ax.set_yscale("log")
        ax.legend()
        ax.set_title("Figure 15.13: early stopping")
        return ax.figure

    def dropout():
        from nnbook.layers import Dropout

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
    saved = []
    for name, draw in drawings.items():
        figure = draw()
        target = out_dir / name
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        saved.append(target)
    return saved


FIGURES = {"nielsen-1": chapter_1_figures, "chen-15": chapter_2_figures}


def _cell(column: str, value) -> str:
    if column == "match":
        return {True: "yes", False: "NO", None: "n/a"}.get(value, str(value))
    return "—" if value is None else str(value)


def format_table(rows: list[dict], columns) -> str:
    """A plain-text table with one line per row, columns padded to their widest cell."""
    text = [[_cell(c, row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in text)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) for r in text]
    return "\n".join(line.rstrip() for line in lines)


def run_tour(out_dir="nnbook-output", *, json_path=None, grade: bool = True,
             out=None) -> int:
    """Run the tour; write figures to ``out_dir``; return the exit status."""
    import matplotlib

    matplotlib.use("Agg")
    from nnbook.book.worked_examples import table

    out = out or sys.stdout
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ok = True

    print(f"nnbook tour — chapters landed: {', '.join(LANDED)}", file=out)
    for source in LANDED:
        saved = FIGURES[source](out_dir)
        print(f"\n[{source}] {len(saved)} figures saved to {out_dir}/", file=out)
        for path in saved:
            print(f"  {path.name}", file=out)

    rows = [row.as_dict() for source in LANDED for row in table(source)]
    print("\nReproduced numbers of the sources", file=out)
    print(format_table(rows, COLUMNS), file=out)
    matched = sum(r["match"] is True for r in rows)
    failed = [r for r in rows if r["match"] is False]
    skipped = [r for r in rows if r["match"] is None]
    print(f"\n{matched} of {len(rows)} rows match; {len(failed)} differ; "
          f"{len(skipped)} not comparable here:", file=out)
    for r in skipped:
        print(f"  - {r['ref']}: {r.get('note', '')}", file=out)
    ok &= not failed
    if json_path is not None:
        Path(json_path).write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
        print(f"table written to {json_path}", file=out)

    if grade:
        from nnbook.book.course import grade_reference

        print("\nGrading the reference solutions through nbgrader …", file=out, flush=True)
        grades = [g._asdict() for g in grade_reference()]
        print(format_table(grades, ("assignment", "notebook", "exercise", "score", "max_score")),
              file=out)
        total = sum(g["score"] for g in grades)
        possible = sum(g["max_score"] for g in grades)
        print(f"reference solutions: {total:g} / {possible:g} automatic points", file=out)
        ok &= total == possible

    print(f"\ntour finished in {time.perf_counter() - started:.0f} s: "
          f"{'all good' if ok else 'PROBLEMS above'}", file=out)
    return 0 if ok else 1
