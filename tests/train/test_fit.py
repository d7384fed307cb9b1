"""nnbook.train.fit: the one fit loop — validation, early stopping, progress on stdout, divergence."""

import numpy as np
import pytest

from nnbook.optim import SGD
from nnbook.train.callbacks import EarlyStopping
from nnbook.train.fit import fit


def test_early_stopping_stops_and_restores_the_best_weights(mlp):
    """Validation labels are the opposite of the training labels, so val_loss rises from epoch 1:
    training must stop at epoch 1 + patience + 1 and end with the weights after epoch 1."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((64, 2))
    y = (X[:, 0] + X[:, 1] > 0) * 1.0

    def fresh():
        model = mlp((2, 1), ("sigmoid",), seed=3)
        model.compile("binary_crossentropy", SGD(0.5))
        return model

    model = fresh()
    history = model.fit(X, y, epochs=30, batch_size=16, validation_data=(X, 1 - y),
                        early_stopping=EarlyStopping(patience=2), progress=False, rng=5)
    assert history.epoch == [1, 2, 3, 4] and history.stopped_epoch == 4 and history.best_epoch == 1
    val = history.history["val_loss"]
    assert all(a < b for a, b in zip(val, val[1:]))
    one_epoch = fresh()
    one_epoch.fit(X, y, epochs=1, batch_size=16, progress=False, rng=5)
    np.testing.assert_array_equal(model.layers[0].params["kernel"].value, one_epoch.layers[0].params["kernel"].value)


def test_early_stopping_needs_validation_data(mlp):
    model = mlp((2, 1), ("sigmoid",))
    model.compile("binary_crossentropy", SGD(0.1))
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(np.zeros((4, 2)), np.zeros(4), early_stopping=EarlyStopping(1), progress=False)


def test_validation_split_holds_out_that_fraction(mlp):
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((50, 2)), rng.standard_normal(50)
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(0.01))
    seen = []
    original = model.train_on_checked_batch                     # fit's per-batch step
    model.train_on_checked_batch = lambda Xb, Yb: seen.append(len(Xb)) or original(Xb, Yb)
    model.fit(X, y, epochs=1, batch_size=100, validation_split=0.2, progress=False)
    assert seen == [40]                                          # 50 − 10 held out, one batch


def test_progress_bar_goes_to_stdout_and_can_be_silenced(capfd, mlp):
    X = np.random.default_rng(0).standard_normal((20, 2))
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(0.01))
    model.fit(X, X[:, 0], epochs=3, progress=True)
    out, err = capfd.readouterr()
    assert "epochs" in out and "3/3" in out and err == ""
    model.fit(X, X[:, 0], epochs=3, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_diverging_training_raises_instead_of_printing_nan(capfd, mlp):
    X = np.random.default_rng(0).standard_normal((20, 2)) * 100
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(10.0))
    with pytest.raises(FloatingPointError, match="learning rate"):
        model.fit(X, X[:, 0] * 100, epochs=50, progress=False)
    assert capfd.readouterr().err == ""


def test_an_epoch_runner_replaces_the_batches_and_metrics_come_after_the_epoch(mlp):
    """Chapter 1's kernel trains whole epochs: the loop then measures on the full training set."""
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((12, 2)), rng.standard_normal(12)
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(0.1))
    orders = []
    history = fit(model, X, y[:, None], epochs=3, batch_size=4, rng=np.random.default_rng(1),
                  progress=False, epoch_runner=lambda order: orders.append(order.copy()))
    assert len(orders) == 3 and all(sorted(o) == list(range(12)) for o in orders)
    assert history.history["loss"] == [model.evaluate(X, y)["loss"]] * 3   # nothing trained


def test_evaluation_sets_get_their_own_prefix(mlp):
    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((10, 2)), (rng.random(10) > 0.5) * 1.0
    model = mlp((2, 1), ("sigmoid",))
    model.compile("binary_crossentropy", SGD(0.1))
    history = fit(model, X, y[:, None], epochs=2, batch_size=5, rng=np.random.default_rng(0),
                  progress=False, evaluation={"test": (X, y[:, None])})
    assert set(history.history) == {"loss", "accuracy", "test_loss", "test_accuracy"}


def test_bad_arguments_are_refused(mlp):
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(0.1))
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(ValueError, match="rows"):
        fit(model, X, Y[:3], epochs=1, batch_size=2, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="EarlyStopping"):
        fit(model, X, Y, epochs=1, batch_size=2, rng=np.random.default_rng(0),
            early_stopping="val_loss")
    with pytest.raises(ValueError, match="at least one"):
        model.fit(np.zeros((0, 2)), np.zeros(0), progress=False)
    with pytest.raises(ValueError):
        fit(model, X, Y, epochs=0, batch_size=2, rng=np.random.default_rng(0))
