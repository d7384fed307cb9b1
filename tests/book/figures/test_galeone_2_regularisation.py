"""nnbook.book.figures.galeone_2_regularisation: the early-stopping figure when a patience does
not stop within the run says so in its legend (the figures themselves are drawn and checked
for readability in test_galeone_2.py, through galeone_2.figures())."""

import matplotlib.pyplot as plt

from nnbook.book.figures import galeone_2_regularisation as regularisation


def test_a_run_without_a_stop_is_named_not_drawn():
    curves = {"loss": [2.0, 1.0, 0.5], "val_loss": [2.1, 1.2, 0.9],
              "accuracy": [0.3, 0.6, 0.9], "val_accuracy": [0.3, 0.5, 0.7]}
    runs = {0: {"stopped_epoch": None, "best_epoch": 3, "best_val_accuracy": 0.7,
                "restored_val_accuracy": 0.7}}
    fig = regularisation.early_stopping({"curves": curves, "runs": runs, "n_train": 100})
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "patience 0: no stop in 3 epochs, keeps epoch 3 (0.70)" in legend
    assert sorted(len(line.get_xdata()) for line in fig.axes[0].lines) == [0, 3, 3]  # no axvline
    plt.close(fig)
