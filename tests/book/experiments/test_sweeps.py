"""Sweeps (``nnbook.book.experiments.sweeps``): points, the one-run epochs sweep, findings."""

from dataclasses import dataclass

import numpy as np
import pytest

from nnbook.book.experiments.data import from_arrays
from nnbook.book.experiments.runner import Runner
from nnbook.book.experiments.sweeps import Point, Sweep, finding, run_sweep


@dataclass(frozen=True)
class Cfg:
    units: int
    epochs: int = 2
    batch_size: int = 32


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(4)
    images = rng.integers(0, 256, (150, 2, 2), dtype=np.uint8)
    labels = images.reshape(150, 4).argmax(axis=1)
    return from_arrays((images[:120], labels[:120]), (images[120:], labels[120:]), "tiny")


def _builder(built):
    def build(config):
        from nnbook.keras.layers import Dense
        from nnbook.keras.models import Sequential

        built.append(config)
        model = Sequential([Dense(config.units, input_shape=(4,), activation="relu"),
                            Dense(10, activation="softmax")], seed=1)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        return model
    return build


def test_each_value_is_a_run_and_repeated_configurations_run_once(tiny):
    built = []
    runner = Runner(tiny, batch_size=32, validation_split=0.2, progress=False)
    sweep = Sweep("S1", "units", "'a section'", "more is better.", "units",
                  ((2, Cfg(2)), (8, Cfg(8)), (8.0, Cfg(8))))
    points = run_sweep(sweep, runner, _builder(built), str)
    assert [p.value for p in points] == [2, 8, 8.0] and built == [Cfg(2), Cfg(8)]
    assert points[1] == points[2]
    assert all(0 <= p.test <= 1 and p.seconds == pytest.approx(2 * p.seconds_per_epoch)
               for p in points)


def test_an_epochs_sweep_reads_one_run_on_the_way(tiny):
    built = []
    runner = Runner(tiny, batch_size=32, validation_split=0.2, progress=False)
    sweep = Sweep("S2", "epochs", "'a section'", "longer is no better.", "epochs",
                  tuple((e, Cfg(4, epochs=5)) for e in (1, 3, 5)), along_epochs=True)
    points = run_sweep(sweep, runner, _builder(built), str)
    assert len(built) == 1 and [p.value for p in points] == [1, 3, 5]
    outcome = runner.run(Cfg(4, epochs=5), None, epochs=5, label="", checkpoints=(1, 3, 5))
    assert points[-1].test == outcome.test
    assert points[1].validation == outcome.history.history["val_accuracy"][2]
    assert points[0].seconds <= points[1].seconds <= points[2].seconds


def test_the_finding_names_the_best_value_and_how_the_time_grew():
    sweep = Sweep("S3", "units", "'s'", "c", "hidden units", (), seconds=True)
    points = [Point(32, 0.80, 0.79, 0.5, 10.0), Point(128, 0.85, 0.84, 1.0, 20.0),
              Point(512, 0.84, 0.83, 2.0, 40.0)]
    text = finding(sweep, points)
    assert "best test accuracy at hidden units = 128 (85.00%)" in text
    assert "range 80.00% – 85.00%" in text and "seconds per epoch 0.50 → 2.00 (×4.0)" in text
    assert "seconds" not in finding(Sweep("S4", "rate", "'s'", "c", "rate", ()), points)
