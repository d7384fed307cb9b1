"""nnbook.book.figures.galeone_2: every chapter-4 figure draws silently, a reader can read every
label (``nnbook.plots.layout``'s checker: no overlaps, nothing in another panel or cut off),
each names the section of Galeone ch. 2 it belongs to, and the numbers it shows are the
library's. The two figures that train networks get short runs (their demos' own tests check
how well those learn)."""

from __future__ import annotations

import contextlib
import io
import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from nnbook.book.figures import galeone_2
from nnbook.book.figures import galeone_2_regularisation as regularisation
from nnbook.plots.layout import label_problems


@pytest.fixture(scope="module")
def drawn():
    """{name: (figure texts, problems)} for every figure, plus what drawing wrote to stderr and
    warned under None."""
    from nnbook.book.demos.galeone_2_regularisation import (
        batchnorm_depth_demo,
        early_stopping_demo,
    )

    figures = galeone_2.figures()
    short_depth = batchnorm_depth_demo(epochs=2)
    short_stop = early_stopping_demo(epochs=8, patiences=(0, 2))
    figures["galeone-2_batchnorm.png"] = lambda: regularisation.batchnorm(short_depth)
    figures["galeone-2_early_stopping.png"] = lambda: regularisation.early_stopping(short_stop)
    results, stderr = {}, io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr):
        warnings.simplefilter("always")
        for name, draw in figures.items():
            made = draw()
            figure = made if hasattr(made, "savefig") else made.figure
            results[name] = ([t.get_text() for t in figure.findobj(Text)],
                             label_problems(figure))
            plt.close(figure)
    results[None] = (stderr.getvalue(), [str(w.message) for w in caught])
    return results


def test_the_figures_the_chapter_needs():
    names = set(galeone_2.figures())
    for wanted in ("networks", "activations", "learning_rates", "momentum", "saddle",
                   "random_search", "autodiff_graph", "lti", "sobel", "channels", "lenet5",
                   "dropout", "batchnorm", "augmentation", "early_stopping"):
        assert f"galeone-2_{wanted}.png" in names
    assert all(n.startswith("galeone-2_") and n.endswith(".png") for n in names)


def test_no_label_overlaps_or_leaves_the_canvas(drawn):
    problems = [f"{name}: {p}" for name, result in drawn.items() if name is not None
                for p in result[1]]
    assert not problems, "labels a reader cannot read:\n" + "\n".join(problems)


def test_drawing_is_silent(drawn):
    stderr, warned = drawn[None]
    assert warned == [] and stderr == ""


@pytest.mark.parametrize("name, section", [
    ("networks", "§'Fully connected layers'"), ("activations", "§'Activation functions'"),
    ("learning_rates", "§'Gradient descent'"), ("momentum", "§'Momentum'"),
    ("saddle", "§'Mini-batch gradient descent'"), ("random_search", "§'Optimization'"),
    ("autodiff_graph", "§'Backpropagation and automatic differentiation'"),
    ("lti", "§'The convolution operator'"), ("sobel", "§'2D convolution'"),
    ("channels", "§'2D convolutions among volumes'"),
    ("lenet5", "§'2D convolutions among volumes'"), ("dropout", "§'Dropout'"),
    ("batchnorm", "§'Batch normalization'"), ("augmentation", "§'Data augmentation'"),
    ("early_stopping", "§'Early stopping'"),
])
def test_each_figure_names_its_section(drawn, name, section):
    assert section in " ".join(drawn[f"galeone-2_{name}.png"][0])


def test_the_figures_show_the_librarys_numbers(drawn):
    from nnbook.book.demos.galeone_2 import fc_figure_network
    from nnbook.optim.random_search import compare_with_gradient_descent

    texts = {name: " ".join(result[0]) for name, result in drawn.items() if name}
    assert f"{fc_figure_network().n_params} parameters" in texts["galeone-2_networks.png"]
    comparison = compare_with_gradient_descent(50, rng=__import__("numpy").random
                                               .default_rng(0))
    assert f"{comparison.search_evaluations:,} evaluations" in \
        texts["galeone-2_random_search.png"]
    # the ReLU neuron's ∂L/∂w1 = −2(1 − 0.3)·1.5 = −2.1, by hand
    assert "grad −2.1" in texts["galeone-2_autodiff_graph.png"]
    assert "pure oscillation" in texts["galeone-2_learning_rates.png"]
