"""Training curves: the per-epoch metrics of a :class:`~nnbook.train.history.History`."""

from __future__ import annotations

from matplotlib.ticker import MaxNLocator

from nnbook.plots.axes import new_axes
from nnbook.train.history import History


def plot_history(history, ax=None, keys=("loss", "val_loss"), *, labels=None):
    """Draw the ``keys`` present in ``history`` (a History) against the epoch; return the Axes.

    Keys absent from the history are skipped (at least one must be there). Each line is
    labelled ``labels[key]`` when given, else the key with spaces ("val loss"). A dotted
    vertical line marks ``best_epoch`` when early stopping chose one (陈强 figure 15.13).
    """
    if not isinstance(history, History):
        raise TypeError(f"history: expected an nnbook History (from fit or Network.sgd), found "
                        f"{type(history).__name__}")
    if isinstance(keys, str):
        keys = (keys,)
    present = [k for k in keys if k in history.history]
    if not present:
        raise ValueError(f"nothing to plot: asked for {list(keys)}, the history has "
                         f"{sorted(history.history)}")
    ax = new_axes(ax)
    labels = {} if labels is None else dict(labels)
    for key in present:
        ax.plot(history.epoch, history.history[key], "o-", markersize=3,
                label=labels.get(key, key.replace("_", " ")))
    if history.best_epoch is not None:
        ax.axvline(history.best_epoch, color="0.5", linestyle=":", label="best epoch")
    epoch_axis(ax)
    ax.set_ylabel("loss" if all("loss" in k for k in present) else "value")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def epoch_axis(ax):
    """Label the x axis "epoch" and tick whole epochs only (no epoch 2.5)."""
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax
