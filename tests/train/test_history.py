"""nnbook.train.history: per-epoch records."""

from nnbook.train.history import History


def test_history_collects_per_epoch_values():
    history = History()
    history.append(1, {"loss": 3.0, "val_loss": 3.5})
    history.append(2, {"loss": 2.0, "val_loss": 2.8})
    assert history.epoch == [1, 2] and len(history) == 2
    assert history.history == {"loss": [3.0, 2.0], "val_loss": [3.5, 2.8]}
    assert history.last() == {"loss": 2.0, "val_loss": 2.8}
    assert history.best_epoch is None and "loss" in repr(history)
