"""Runs trained as the book's programs train (``nnbook.book.experiments.runner``)."""

import numpy as np
import pytest

from nnbook.book.experiments.data import from_arrays
from nnbook.book.experiments.runner import Runner, train_and_test


@pytest.fixture(scope="module")
def tiny():
    """200 training and 50 test examples of 4 pixels, labels from the pixels (learnable)."""
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (250, 2, 2), dtype=np.uint8)
    labels = (images.reshape(250, 4).argmax(axis=1) * 2 + (images[:, 0, 0] > 127)) % 10
    return from_arrays((images[:200], labels[:200]), (images[200:], labels[200:]), "tiny")


def _model(seed=5):
    from nnbook.keras.layers import Activation, Dense, Dropout
    from nnbook.keras.models import Sequential

    model = Sequential([Dense(8, input_shape=(4,)), Activation("relu"), Dropout(0.2), Dense(10),
                        Activation("softmax")], seed=seed)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_one_epoch_at_a_time_trains_exactly_as_one_fit_of_all_epochs(tiny):
    """The runner's premise: fit(epochs=1) n times continues one run of fit(epochs=n)."""
    at_once, stepwise = _model(), _model()
    history = at_once.fit(tiny.X_train, tiny.Y_train, batch_size=32, epochs=3, verbose=0,
                          validation_split=0.2)
    outcome = train_and_test(lambda: stepwise, tiny, epochs=3, batch_size=32,
                             validation_split=0.2, label="t", progress=False)
    for a, b in zip(at_once.get_weights(), stepwise.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert outcome.history.history == history.history
    assert outcome.test == at_once.evaluate(tiny.X_test, tiny.Y_test, verbose=0)[1]


def test_an_outcome_has_the_last_epoch_and_the_test_at_checkpoints(tiny):
    outcome = train_and_test(_model, tiny, epochs=4, batch_size=32, validation_split=0.2,
                             label="t", progress=False, checkpoints=(2, 4))
    assert outcome.epochs == 4 and outcome.history.epoch == [1, 2, 3, 4]
    assert outcome.train == outcome.history.history["accuracy"][-1]
    assert outcome.validation == outcome.history.history["val_accuracy"][-1]
    assert sorted(outcome.checkpoints) == [2, 4]
    assert outcome.checkpoints[4][0] == outcome.test          # the last checkpoint is the end
    assert 0 < outcome.checkpoints[2][1] <= outcome.checkpoints[4][1] == outcome.seconds
    assert outcome.seconds_per_epoch == pytest.approx(outcome.seconds / 4)
    assert outcome.dropout                                 # _model has Dropout(0.2)


def test_the_progress_bar_goes_to_stdout_only(tiny, capsys):
    train_and_test(_model, tiny, epochs=2, batch_size=64, validation_split=0.2, label="R0 bar",
                   progress=True)
    captured = capsys.readouterr()
    assert "R0 bar" in captured.out and "2/2" in captured.out and captured.err == ""


def test_the_runner_trains_each_configuration_once(tiny):
    built = []

    def build():
        built.append(1)
        return _model()

    runner = Runner(tiny, batch_size=64, validation_split=0.2, progress=False)
    first = runner.run("a", build, epochs=2, label="a")
    assert runner.run("a", build, epochs=2, label="a") is first and len(built) == 1
    runner.run("a", build, epochs=2, label="a", checkpoints=(1,))    # asks for more: runs again
    runner.run("b", build, epochs=1, label="b", batch_size=32)
    assert len(built) == 3
    assert runner.seconds == pytest.approx(sum(o.seconds for o in runner._done.values()))
