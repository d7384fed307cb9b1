"""nnbook.book.figures.galeone_2: each chapter-4 figure names the section of Galeone ch. 2 it
belongs to, and the numbers it shows are the library's. That every figure draws silently and a
reader can read every label is checked for every chapter in tests/book/test_figures.py, on the
same drawing (tests/book/conftest.py)."""

from __future__ import annotations

import pytest

from nnbook.book.figures import galeone_2


@pytest.fixture(scope="module")
def drawn(landed_figures):
    """The chapter's figures as the session drew them (tests/book/conftest.py); readability
    and silence are checked for every chapter in tests/book/test_figures.py."""
    return landed_figures["galeone-2"]


def test_the_figures_the_chapter_needs():
    names = set(galeone_2.figures())
    for wanted in ("networks", "activations", "learning_rates", "momentum", "saddle",
                   "random_search", "autodiff_graph", "lti", "sobel", "channels", "lenet5",
                   "dropout", "batchnorm", "augmentation", "early_stopping"):
        assert f"galeone-2_{wanted}.png" in names
    assert all(n.startswith("galeone-2_") and n.endswith(".png") for n in names)


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
    assert section in " ".join(drawn[f"galeone-2_{name}.png"].texts)


def test_the_figures_show_the_librarys_numbers(drawn):
    from nnbook.book.demos.galeone_2 import fc_figure_network
    from nnbook.optim.random_search import compare_with_gradient_descent

    texts = {name: " ".join(result.texts) for name, result in drawn.items() if name}
    assert f"{fc_figure_network().n_params} parameters" in texts["galeone-2_networks.png"]
    comparison = compare_with_gradient_descent(50, rng=__import__("numpy").random
                                               .default_rng(0))
    assert f"{comparison.search_evaluations:,} evaluations" in \
        texts["galeone-2_random_search.png"]
    # the ReLU neuron's ∂L/∂w1 = −2(1 − 0.3)·1.5 = −2.1, by hand
    assert "grad −2.1" in texts["galeone-2_autodiff_graph.png"]
    assert "pure oscillation" in texts["galeone-2_learning_rates.png"]
