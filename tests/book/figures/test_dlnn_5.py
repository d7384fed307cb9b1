"""nnbook.book.figures.dlnn_5: each chapter-5 figure cites the book's figure it redraws, and the
numbers it shows are the library's. That every figure draws silently and a reader can read every
label is checked for every chapter in tests/book/test_figures.py, on the same drawing
(tests/book/conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.book.figures import dlnn_5


def _short_memory_runs():
    """The memory figure's three runs, two epochs on 64 sequences (the figure's layout does
    not depend on how well they learn; the demo's test checks that)."""
    from nnbook.book.demos.dlnn_5 import memory_task

    short = {"n_train": 64, "n_test": 64, "epochs": 2}
    return {("rnn", 10): memory_task("rnn", length=10, **short),
            ("rnn", 50): memory_task("rnn", length=50, **short),
            ("lstm", 50): memory_task("lstm", length=50, forget_bias=5.0, **short)}


@pytest.fixture(scope="module")
def drawn(landed_figures):
    """The chapter's figures as the session drew them (tests/book/conftest.py); readability
    and silence are checked for every chapter in tests/book/test_figures.py."""
    return landed_figures["dlnn-5"]


def test_the_figures_the_chapter_needs():
    names = set(dlnn_5.figures())
    for wanted in ("activations", "descent", "fitting", "convolution", "pooling", "vgg16",
                   "rnn_structure", "rnn_example", "lstm", "vanishing_gradients", "memory"):
        assert f"dlnn-5_{wanted}.png" in names
    assert all(n.startswith("dlnn-5_") and n.endswith(".png") for n in names)


@pytest.mark.parametrize("name, figure_ref", [
    ("dlnn-5_activations.png", "Fig. 5-8 (redrawn)"), ("dlnn-5_descent.png", "Fig. 5-11"),
    ("dlnn-5_fitting.png", "Fig. 5-12"), ("dlnn-5_convolution.png", "Fig. 5-15"),
    ("dlnn-5_pooling.png", "Fig. 5-16"), ("dlnn-5_fc_backward.png", "Figs 5-18–5-20"),
    ("dlnn-5_vgg16.png", "Fig. 5-22"), ("dlnn-5_rnn_structure.png", "Fig. 5-25"),
    ("dlnn-5_rnn_example.png", "Fig. 5-28"), ("dlnn-5_lstm.png", "Fig. 5-30"),
    ("dlnn-5_vanishing_gradients.png", "not in the source chapter"),
    ("dlnn-5_memory.png", "an addition"),
])
def test_each_figure_says_what_it_redraws(drawn, name, figure_ref):
    assert figure_ref in " ".join(drawn[name].texts)


def test_the_rnn_example_shows_the_computed_numbers(drawn):
    from nnbook.book.demos.dlnn_5 import rnn_example

    gids = drawn["dlnn-5_rnn_example.png"].gids
    steps = rnn_example()
    for k, step in enumerate(steps):
        h = ", ".join(f"{v:.3f}" for v in step["state"])
        assert gids[f"state:{k}"] == f"$h_{k}$ = [{h}]"
        assert gids[f"output:{k}"] == f"$o_{k}$ = {step['output'][0]:.2f}"
    assert gids["state:0"].endswith("[0.537, 0.462]") and gids["output:1"].endswith("2.73")


def test_the_convolution_grid_shows_the_feature_map(drawn):
    """The feature-map cells of Fig. 5-15 carry the values feature_map computes."""
    from nnbook.book.demos.dlnn_5 import feature_map

    figure = drawn["dlnn-5_convolution.png"].figure
    ax = figure.axes[0]
    values = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("value:")]
    assert values[-9:] == [f"{v:g}" for v in feature_map(1).ravel()]
    assert "relu(4) = 4" in " ".join(t.get_text() for t in ax.texts)


def test_the_vgg_diagram_shows_the_traced_shapes(drawn):
    from nnbook.analysis.architectures import vgg16_trace
    from nnbook.plots.architectures import shape_text

    figure = drawn["dlnn-5_vgg16.png"].figure
    shown = {t.get_gid()[6:]: t.get_text() for t in figure.axes[0].texts
             if (t.get_gid() or "").startswith("shape:")}
    trace = vgg16_trace()
    assert shown == {row.name: shape_text(row.output_shape) for row in trace}
    assert "138,357,544 trainable parameters" in drawn["dlnn-5_vgg16.png"].texts


def test_the_descent_runs_behave_as_the_book_says():
    """BGD's cost falls at every update; SGD after one pass is already below BGD after all of
    them (Fig. 5-11's point)."""
    runs = dlnn_5.descent_runs(epochs=4)
    assert np.all(np.diff(runs["batch"]["loss"]) < 0)
    one_pass = runs["stochastic"]["iterations_per_epoch"]
    assert runs["stochastic"]["loss"][one_pass] < runs["batch"]["loss"][-1]


def test_memory_figure_ticks_whole_epochs_only():
    """Twenty epochs once drew ticks at 2.5, 7.5, …; the axis now shows whole epochs."""
    fig = dlnn_5.memory(_short_memory_runs())
    ax = fig.axes[0]
    ax.set_xlim(0.5, 20.5)               # the span of a full run, where the ticks went fractional
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 0.5 <= t <= 20.5]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
