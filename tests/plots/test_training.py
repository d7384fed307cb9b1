"""nnbook.plots.training: plot_history draws a History's per-epoch values."""

import numpy as np
import pytest

from nnbook import plots
from nnbook.train.history import History


def line(ax, label):
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return found


def history_of(records, best_epoch=None):
    history = History()
    for epoch, record in enumerate(records, start=1):
        history.append(epoch, record)
    history.best_epoch = best_epoch
    return history


def test_plot_history_draws_each_key_against_the_epoch():
    history = history_of([{"loss": 1 / e, "accuracy": 0.5 + e / 10, "test_accuracy": 0.4 + e / 10}
                          for e in (1, 2, 3)])
    ax = plots.plot_history(history, keys=("accuracy", "test_accuracy"))
    train = line(ax, "accuracy")
    np.testing.assert_allclose(train.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(train.get_ydata(), [0.6, 0.7, 0.8])
    np.testing.assert_allclose(line(ax, "test accuracy").get_ydata(), [0.5, 0.6, 0.7])
    assert ax.get_ylabel() == "value" and ax.get_xlabel() == "epoch"
    ax = plots.plot_history(history, keys="loss")
    np.testing.assert_allclose(line(ax, "loss").get_ydata(), [1, 1 / 2, 1 / 3])
    assert ax.get_ylabel() == "loss"


def test_plot_history_skips_absent_keys_renames_and_marks_the_best_epoch():
    history = history_of([{"loss": 3.0, "val_loss": 3.5}, {"loss": 2.0, "val_loss": 2.5},
                          {"loss": 1.0, "val_loss": 2.9}], best_epoch=2)
    ax = plots.plot_history(history, keys=("loss", "val_loss", "val_accuracy"),
                            labels={"val_loss": "validation error"})
    assert {ln.get_label() for ln in ax.get_lines()} == {"loss", "validation error", "best epoch"}
    assert list(line(ax, "best epoch").get_xdata()) == [2, 2]


def test_plot_history_rejects_the_old_list_of_dicts_and_empty_requests():
    with pytest.raises(TypeError, match="History"):
        plots.plot_history([{"epoch": 1, "cost": 0.1}])
    with pytest.raises(ValueError, match="nothing to plot"):
        plots.plot_history(history_of([{"loss": 1.0}]), keys=("accuracy",))


def test_plot_history_ticks_whole_epochs_only():
    """20 epochs would get ticks at 2.5, 7.5, … by default; an epoch is a whole number."""
    history = history_of([{"loss": 1 / e} for e in range(1, 21)])
    ax = plots.plot_history(history)
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert len(ticks) >= 3 and all(float(t).is_integer() for t in ticks), ticks
