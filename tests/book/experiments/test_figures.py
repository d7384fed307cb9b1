"""The experiment figures are readable (``nnbook.book.experiments.figures``): no overlapping or
cut-off label, nothing on stderr, no warning; and they are written as PNG files."""

import contextlib
import io
import warnings
from dataclasses import replace

import numpy as np
import pytest

from nnbook.book.experiments import figures
from nnbook.book.experiments.runner import Outcome
from nnbook.book.experiments.sweeps import Point, Sweep
from nnbook.plots.layout import label_problems
from nnbook.train.history import History


def _outcome(epochs=30):
    history = History()
    for epoch in range(1, epochs + 1):
        accuracy = 0.95 - 0.5 * np.exp(-epoch / 5)
        history.append(epoch, {"loss": 1 - accuracy, "accuracy": accuracy - 0.03,
                               "val_loss": 1.02 - accuracy, "val_accuracy": accuracy})
    return Outcome("R3 V3 dropout 0.3, SGD", history, 0.94, 0.2, 12.0, dropout=True)


def _points(values):
    return [Point(v, 0.85 + 0.01 * i % 3, 0.84 + 0.01 * i % 2, 0.1 * (i + 1), 1.0 * (i + 1))
            for i, v in enumerate(values)]


SWEEPS = {
    "plain": (Sweep("R7", "dropout rate (V3, Adam)", "'s'", "the text keeps 30%.",
                    "dropout rate", ()), (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
    "log10": (Sweep("R9", "learning rate (V3, Adam)", "'s'", "the best learning rate is close "
                    "to 0.001, Adam's default.", "learning rate", (), source_best=0.001,
                    log_base=10), (0.0001, 0.0003, 0.001, 0.003, 0.01)),
    "seconds": (Sweep("R10", "hidden units (V3, Adam)", "'s'", "more hidden neurons make the "
                      "run markedly slower while the accuracy gains shrink as the network "
                      "grows, a long claim that must wrap onto a second line.",
                      "hidden units per layer", (), log_base=2, seconds=True),
                (32, 64, 128, 256, 512)),
    "epochs": (Sweep("R8", "more epochs (V3, Adam)", "'s'", "no gain.", "epochs", (),
                     along_epochs=True), (20, 50, 100, 150, 200)),
}


def _drawn_cleanly(draw):
    stderr = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr):
        warnings.simplefilter("always")
        figure = draw()
        problems = label_problems(figure)
    assert problems == [] and stderr.getvalue() == "" and not caught, (problems, caught)
    return figure


@pytest.mark.parametrize("source_test", [None, 0.9425])
def test_a_history_figure_shows_accuracy_and_loss_with_the_test_line(source_test):
    figure = _drawn_cleanly(lambda: figures.history_figure(
        "R3", "V3 dropout 0.3, SGD", _outcome(), "Fashion-MNIST", source_test))
    accuracy, loss = figure.axes
    legend = [t.get_text() for t in accuracy.get_legend().get_texts()]
    assert "test after training (94.00%)" in legend
    assert any("validation" in t for t in legend) and any("dropout active" in t for t in legend)
    assert ("the source's test (94.25%)" in legend) == (source_test is not None)
    plain = figures.history_figure("R1", "V1", replace(_outcome(), dropout=False), "d")
    assert "training (running average)" in [t.get_text() for t in
                                             plain.axes[0].get_legend().get_texts()]
    assert loss.get_ylabel() == "loss" and "R3" in figure._suptitle.get_text()


@pytest.mark.parametrize("kind", SWEEPS)
def test_a_sweep_figure_writes_the_claim_above_nnbooks_points(kind):
    sweep, values = SWEEPS[kind]
    figure = _drawn_cleanly(lambda: figures.sweep_figure(sweep, _points(values), "the digits"))
    assert len(figure.axes) == (2 if kind in ("seconds", "epochs") else 1)
    assert "The source: " in figure._suptitle.get_text()
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert ("the source's best (0.001)" in legend) == (kind == "log10")
    if sweep.log_base:
        assert figure.axes[0].get_xscale() == "log"


def test_save_writes_a_png_and_closes_the_figure(tmp_path):
    import matplotlib.pyplot as plt

    figure = figures.history_figure("R1", "V1", _outcome(3), "data")
    figures.save(figure, tmp_path / "R1.png")
    assert (tmp_path / "R1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(figure.number)
