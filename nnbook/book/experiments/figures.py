"""The experiment figures: each run's history (accuracy and loss per epoch, training and
validation — labelled as such, where the book's plotting code called validation "test") and
each sweep's accuracy against its setting, with the source's claim written above it.

Figure text is ASCII, Greek and arrows (matplotlib's default font has no Chinese glyphs).
"""

from __future__ import annotations

import textwrap

from nnbook.book.experiments.checks import percent
from nnbook.plots.training import plot_history

#: Characters per line of a claim written above a figure.
CLAIM_WIDTH = 95
_HISTORY_LABELS = {"accuracy": "training (running average)",
                   "val_accuracy": "validation (last 20%)",
                   "loss": "training (running average)", "val_loss": "validation"}
_DROPPING = ", dropout active)"


def _subplots(ncols: int, width: float):
    import matplotlib.pyplot as plt

    return plt.subplots(1, ncols, figsize=(width, 4.2), layout="constrained", squeeze=False)


def history_figure(run_id: str, label: str, outcome, data_title: str, source_test=None):
    """Two panels, accuracy and loss per epoch; the test accuracy after training as a dashed
    line (and the source's, ``source_test``, when the data are the source's)."""
    fig, axes = _subplots(2, 11)
    ax_acc, ax_loss = axes[0]
    history = outcome.history
    labels = dict(_HISTORY_LABELS)
    if outcome.dropout:
        labels["accuracy"] = labels["accuracy"][:-1] + _DROPPING
    plot_history(history, ax_acc, keys=("accuracy", "val_accuracy"), labels=labels)
    ax_acc.axhline(outcome.test, color="tab:green", linestyle="--",
                   label=f"test after training ({percent(outcome.test)})")
    if source_test is not None:
        ax_acc.axhline(source_test, color="0.4", linestyle=":",
                       label=f"the source's test ({percent(source_test)})")
    ax_acc.set_ylabel("accuracy")
    ax_acc.set_title("accuracy")
    ax_acc.legend(loc="lower right", fontsize="small")
    plot_history(history, ax_loss, keys=("loss", "val_loss"), labels=_HISTORY_LABELS)
    ax_loss.set_title("loss (categorical cross-entropy)")
    ax_loss.legend(loc="upper right", fontsize="small")
    fig.suptitle(f"{run_id}: {label} — nnbook on {data_title}")
    return fig


def sweep_figure(sweep, points, data_title: str):
    """Test and validation accuracy against the sweep's setting (seconds beside it when the
    sweep measures them); the source's best value as a dotted line when it names one."""
    panels = 2 if (sweep.seconds or sweep.along_epochs) else 1
    fig, axes = _subplots(panels, 5.6 * panels + 0.6)
    ax = axes[0][0]
    values = [p.value for p in points]
    ax.plot(values, [p.test for p in points], "o-", label="test")
    if all(p.validation is not None for p in points):
        ax.plot(values, [p.validation for p in points], "s--", label="validation")
    best = max(points, key=lambda p: p.test)
    ax.plot([best.value], [best.test], "*", markersize=14, color="tab:red",
            label=f"nnbook's best ({best.value:g})")
    if sweep.source_best is not None:
        ax.axvline(sweep.source_best, color="0.4", linestyle=":",
                   label=f"the source's best ({sweep.source_best:g})")
    ax.set_xlabel(sweep.parameter)
    ax.set_ylabel("accuracy after training")
    ax.set_title("accuracy")
    ax.legend(fontsize="small")
    if panels == 2:
        ax_s = axes[0][1]
        per_epoch = not sweep.along_epochs
        ax_s.plot(values, [p.seconds_per_epoch if per_epoch else p.seconds for p in points],
                  "o-", color="tab:purple")
        ax_s.set_xlabel(sweep.parameter)
        ax_s.set_ylabel("seconds per epoch" if per_epoch else "seconds of training, in all")
        ax_s.set_title("time")
    for axis in fig.axes:
        axis.grid(alpha=0.3)
        if sweep.log_base:
            axis.set_xscale("log", base=sweep.log_base)
            axis.minorticks_off()
        axis.set_xticks(values, [f"{v:g}" for v in values])
    claim = textwrap.fill(f"The source: {sweep.claim}", CLAIM_WIDTH)
    fig.suptitle(f"{sweep.id}: {sweep.title} — nnbook on {data_title}\n{claim}",
                 fontsize="medium")
    return fig


def save(figure, path) -> None:
    """Write ``figure`` as a PNG (as the tour saves its figures) and close it."""
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
