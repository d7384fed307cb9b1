"""The ``chen-15`` rows of the reproduction table (陈强 ch. 15, inventory 000 §4): every worked
example that is a computation has a row, every row matches, the source values are the ones typed
from the source, and a broken library turns a row into a mismatch."""

import numpy as np
import pytest

from nnbook.book.worked_examples import chen_15, table

# Inventory 000 §4 examples that are computations (W1, W2, W10–W11 as inputs only, W24, W25 and
# W27 are facts, not computations; see the module docstring of chen_15).
WORKED_EXAMPLES = ["W3", "W4", "W5", "W6", "W7", "W8", "W9", "W12", "W13", "W14", "W15", "W16",
                   "W17", "W18", "W19", "W20", "W21", "W22", "W23", "W26"]


@pytest.fixture(scope="module")
def rows():
    return table("chen-15")


def _mentions(row, example):
    """Does the row's reference cite ``example`` (W1 must not match W12; ranges like W10–W12 count)?"""
    import re

    for match in re.finditer(r"W(\d+)(?:–W(\d+))?", row.ref):
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low <= int(example[1:]) <= high:
            return True
    return False


@pytest.mark.parametrize("example", WORKED_EXAMPLES)
def test_every_worked_example_has_a_row(rows, example):
    assert any(_mentions(r, example) for r in rows), f"no chen-15 row cites {example}"


def test_no_row_differs_and_every_row_is_computed(rows):
    assert [r for r in rows if r.match is False] == []
    undecided = [r for r in rows if r.match is None]
    assert all(r.note for r in undecided), undecided
    assert {r.source for r in rows} == {"chen-15"}


def test_facts_that_are_not_computations_have_no_row(rows):
    for example in ("W1", "W2", "W24", "W25", "W27"):
        assert not any(_mentions(r, example) for r in rows), example


def _row(rows, quantity_part):
    found = [r for r in rows if quantity_part in r.quantity]
    assert len(found) == 1, f"expected one row about {quantity_part!r}, found {len(found)}"
    return found[0]


def test_source_values_are_the_source_numbers(rows):
    """The source column holds the numbers of the source (typed here again, independently)."""
    assert _row(rows, "feature map of the 5×5").source_value == "5 0 4; 1 4 1; 3 2 4"
    assert _row(rows, "2×2 max pooling").source_value == "5 6; 3 7"
    assert _row(rows, "2×2 mean pooling").source_value == "2.5 3.75; 2 4.75"
    assert _row(rows, "first step").source_value == 5
    assert _row(rows, "second step").source_value == 0
    assert _row(rows, "mini-batch GD, B = 32").source_value == 31_250
    assert _row(rows, "first-layer neuron").source_value == 30_000
    assert [r.source_value for r in rows if r.quantity.startswith("AND for")] == ["0001"]
    assert [r.source_value for r in rows if r.quantity.startswith("NAND for")] == ["1110"]
    assert _row(rows, "layers of LeNet-5").source_value == 7
    assert _row(rows, "topics").source_value == 46


def test_the_figure_data_are_the_source_tables():
    """Figures 15.15 and 15.19 as printed (L672–L676, L735–L738), and the lost 15.18 recomputed
    by the formula O(i, j) = Σ I(i+u, j+v) K(u, v) written out here."""
    image = [[1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    kernel = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert np.array_equal(chen_15.IMAGE, image) and np.array_equal(chen_15.KERNEL, kernel)
    assert np.array_equal(chen_15.FEATURE_MAP, [[5, 0, 4, 6], [1, 4, 1, 4], [3, 2, 4, 3],
                                                [1, 2, 5, 7]])
    out = [[sum(image[i + u][j + v] * kernel[u][v] for u in range(3) for v in range(3))
            for j in range(3)] for i in range(3)]
    assert out == [[5, 0, 4], [1, 4, 1], [3, 2, 4]]


# --- breaking the library turns rows into mismatches ----------------------------------------

def test_a_broken_convolution_shows_as_a_mismatch(monkeypatch):
    real = chen_15.correlate2d_reference
    monkeypatch.setattr(chen_15, "correlate2d_reference", lambda image, kernel: real(image, kernel).T)
    broken = chen_15.convolution_rows()
    assert _row(broken, "feature map of the 5×5").match is False
    assert _row(broken, "second step").match is False


def test_a_broken_pooling_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(chen_15, "max_pool2d_reference",
                        lambda f, size, stride: chen_15.avg_pool2d_reference(f, size, stride))
    assert _row(chen_15.convolution_rows(), "2×2 max pooling").match is False


def test_a_broken_iteration_count_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(chen_15, "iterations_per_epoch", lambda n, b: n // b + 1)
    broken = chen_15.training_rows()
    assert _row(broken, "mini-batch GD, B = 32").match is False


def test_a_broken_xor_network_shows_as_a_mismatch(monkeypatch):
    from nnbook.models.perceptron_learning import TwoLayerNetwork

    or_gate = TwoLayerNetwork(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([-0.5, -1.0]),
                              np.array([1.0, 0.0]), -0.5)
    monkeypatch.setattr(chen_15, "xor_network", lambda: or_gate)
    assert _row(chen_15.perceptron_rows(), "XOR computed by").match is False


def test_a_perceptron_that_does_not_learn_shows_as_a_mismatch(monkeypatch):
    class Lazy(chen_15.PerceptronClassifier):
        def fit(self, X, y):
            self.max_iter = 1
            return super().fit(X, y)

    monkeypatch.setattr(chen_15, "PerceptronClassifier", Lazy)
    broken = chen_15.perceptron_rows()
    assert any(r.match is False for r in broken if "learned by the perceptron" in r.quantity
               or "converges" in r.quantity)


def test_a_broken_activation_shows_as_a_mismatch(monkeypatch):
    from nnbook.functional import activations

    monkeypatch.setattr(chen_15, "leaky_relu", lambda z, gamma=0.1: activations.leaky_relu(z, gamma))
    assert _row(chen_15.activation_rows(), "nnbook's default γ").match is False


def test_a_broken_alexnet_count_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(chen_15, "alexnet_counts",
                        lambda: chen_15.lenet5_trace()[1:])
    assert any(r.match is False for r in chen_15.architecture_rows())


def test_a_broken_dropout_shows_as_a_mismatch(monkeypatch):
    import nnbook.layers

    class LeakyDropout(nnbook.layers.Dropout):
        def __init__(self, rate, rng=None):
            super().__init__(rate / 2, rng=rng)

    monkeypatch.setattr(nnbook.layers, "Dropout", LeakyDropout)
    assert _row(chen_15.training_rows(), "fraction of units dropped").match is False


# --- the grid helper the convolution figures use ---------------------------------------------

def test_draw_matrix_writes_every_value_and_outlines_the_windows():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from nnbook import plots

    ax = plots.draw_matrix(chen_15.FEATURE_MAP, highlight=[(0, 0, 2, 2), (2, 2, 2, 2)])
    texts = {t.get_gid(): t.get_text() for t in ax.texts}
    assert texts["value:0:3"] == "6" and texts["value:3:3"] == "7" and len(texts) == 16
    windows = [p for p in ax.patches if isinstance(p, Rectangle) and
               (p.get_gid() or "").startswith("highlight")]
    assert [(w.get_x(), w.get_y(), w.get_width(), w.get_height()) for w in windows] == \
        [(0, 0, 2, 2), (2, 2, 2, 2)]
    with pytest.raises(ValueError, match="does not fit"):
        plots.draw_matrix(np.eye(3), highlight=[(2, 2, 2, 2)])
    with pytest.raises(ValueError, match="2-D|dimension|ndim"):
        plots.draw_matrix(np.arange(3.0))
    plt.close("all")
