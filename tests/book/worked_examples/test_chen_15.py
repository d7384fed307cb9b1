"""nnbook.book.worked_examples.chen_15: the ``chen-15`` rows of the reproduction table — every
worked computation of 陈强 ch. 15 has a row, every row matches, the source values are the ones
typed from the source, and a broken library turns a row into a mismatch."""

import numpy as np
import pytest

from nnbook.book.worked_examples import chen_15, table

#: Every worked computation of 陈强 ch. 15, by where it stands, and a phrase of the row that
#: recomputes it. Facts that are not computations have no row (see chen_15's docstring).
WORKED_EXAMPLES = {
    "§15.2, figure 15.3: AND, OR, NAND learned; XOR not": "learned by the perceptron",
    "§15.2: XOR is not separable": "XOR: some (w, b) separates",
    "§15.3 (15.9): a 2-2-1 network computes XOR": "XOR computed by the two-layer network",
    "§15.4 (1): Λ(0), Λ'(0), saturation": "Λ'(0), the largest slope",
    "§15.4 (2): tanh(0), tanh'(0), range": "range of tanh",
    "§15.4 (3): ReLU' on both sides": "ReLU'(z) for z = −2",
    "§15.4 (4): leaky ReLU with γ = 0.01": "LReLU(−1) with γ = 0.01",
    "§15.7: min–max scaling": "min and max of min–max scaled",
    "§15.7: initial weights N(0, 1), U[−0.7, 0.7]": "N(0, 1) initial weights",
    "§15.8: iterations per epoch": "iterations per epoch, n = 1,000,000",
    "§15.9 (2): dropout 50 %": "fraction of units dropped",
    "§15.10 (1): 30,000 connections": "connections from a 100×100×3 image",
    "§15.10, figures 15.16–15.18: the convolution": "feature map of the 5×5 image",
    "§15.10, figure 15.19: max pooling": "2×2 max pooling",
    "§15.10, figure 15.20: mean pooling": "2×2 mean pooling",
    "§15.10, figure 15.22: LeNet-5's 7 layers": "layers of LeNet-5",
    "§15.10, figure 15.23: AlexNet's counts": "AlexNet trainable parameters",
    "§15.15: 46 topics": "topics",
}


@pytest.fixture(scope="module")
def rows():
    return table("chen-15")


@pytest.mark.parametrize("where", WORKED_EXAMPLES)
def test_every_worked_example_has_a_row(rows, where):
    phrase = WORKED_EXAMPLES[where]
    assert any(phrase in r.quantity for r in rows), f"no chen-15 row recomputes {where}"


def test_no_row_differs_and_every_row_is_computed(rows):
    assert [r for r in rows if r.match is False] == []
    undecided = [r for r in rows if r.match is None]
    assert all(r.note for r in undecided), undecided
    assert {r.source for r in rows} == {"chen-15"}


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
    """Figures 15.15 and 15.19 as printed, and the lost 15.18 recomputed
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
    from nnbook.models.perceptron import PerceptronNetwork

    or_gate = PerceptronNetwork.from_kernels([[[1.0, 0.0], [1.0, 0.0]], [[1.0], [0.0]]],
                                             [[-0.5, -1.0], [-0.5]])
    monkeypatch.setattr(chen_15, "xor_network", lambda: or_gate)
    assert _row(chen_15.perceptron_rows(), "XOR computed by").match is False


def test_a_perceptron_that_does_not_learn_shows_as_a_mismatch(monkeypatch):
    real = chen_15.learn_gate
    monkeypatch.setattr(chen_15, "learn_gate", lambda gate: real(gate, max_iter=1))
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
