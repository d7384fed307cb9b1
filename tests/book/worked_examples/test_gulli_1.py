"""nnbook.book.worked_examples.gulli_1: the ``gulli-1`` rows of the reproduction table — every
worked computation of Gulli & Pal ch. 1 has a row, every computed row matches, the MNIST runs
say what they need, the source values are the book's numbers, and a broken library turns a row
into a mismatch."""

import numpy as np
import pytest

from nnbook.book.worked_examples import gulli_1, sources, table

#: Every worked computation of Gulli & Pal ch. 1, by where it stands, and a phrase of the row
#: that recomputes it. Facts that are not computations have no row (see gulli_1's docstring).
WORKED_EXAMPLES = {
    "first Keras example: Dense(12, input_dim=8)": "parameters of Dense(12, input_dim=8)",
    "initialisers random_uniform, random_normal, zero": "random_normal: mean and standard",
    "sigmoid outputs 0.5539 and 0.123191": "σ(−1.96255)",
    "sigmoid limits": "lim σ(z)",
    "ReLU": "ReLU(−2), ReLU(3)",
    "step neuron: no gradient": "slope ∂output/∂w of the one-pixel step neuron",
    "σ′ = σ(1 − σ), largest at 0": "largest slope of the sigmoid",
    "ReLU′": "ReLU′(x)",
    "one-hot": "one-hot code of the digit 3",
    "784 inputs": "input neurons for a 28 × 28 image",
    "normalise by 255": "divided by 255",
    "softmax sums to 1": "each row sums to 1",
    "V1's 7,850 parameters": "parameters of V1",
    "V2's 118,282 parameters": "parameters of V2",
    "V3's 118,282 parameters": "parameters of V3",
    "hidden-units parameter formula": "n² + 796n + 10",
    "48,000 / 12,000 split": "validation_split=0.2 on 60,000",
    "375 updates per epoch": "updates per epoch",
    "200 epochs cost 10× 20": "compute of 200 epochs over 20",
    "dropout drops 30 %, none at test time": "at test time",
    "the hiker's learning rates": "η too large misses the valley",
    "l2(0.01) on [[1, 2], [3, 4]] = 0.3": "l2(0.01) on the kernel",
    "grid search size": "grid points",
    "predict gives probabilities": "predict() is a probability vector",
    "V2's 2.2-point gain": "V2's test accuracy over V1's",
    "'92.36 % → 97.93 %'": "test-to-test improvement",
}


@pytest.fixture(scope="module")
def rows():
    return table("gulli-1")


def test_the_source_is_registered():
    assert "gulli-1" in sources()


@pytest.mark.parametrize("where", WORKED_EXAMPLES)
def test_every_worked_example_has_a_row(rows, where):
    phrase = WORKED_EXAMPLES[where]
    assert any(phrase in r.quantity for r in rows), f"no gulli-1 row recomputes {where}"


def test_no_row_differs_and_only_the_mnist_runs_are_open(rows):
    assert [r for r in rows if r.match is False] == []
    undecided = [r for r in rows if r.match is None]
    assert len(undecided) == 6
    assert all("nnbook experiments gulli-1" in r.note and r.quantity.startswith("MNIST")
               for r in undecided)
    assert {r.source for r in rows} == {"gulli-1"}


def test_refs_name_the_books_sections(rows):
    for r in rows:
        assert r.ref.startswith("§'"), r.ref
        title = r.ref[2:r.ref.index("'", 2)]
        assert title in gulli_1.SECTIONS, r.ref


def _row(rows, quantity_part):
    found = [r for r in rows if quantity_part in r.quantity]
    assert len(found) == 1, f"expected one row about {quantity_part!r}, found {len(found)}"
    return found[0]


def test_source_values_are_the_source_numbers(rows):
    """The source column holds the book's numbers (typed here again, independently)."""
    assert _row(rows, "σ(0.21644)").source_value == 0.5539
    assert _row(rows, "σ(−1.96255)").source_value == 0.123191
    assert _row(rows, "parameters of V1").source_value == 7_850
    assert _row(rows, "parameters of V2").source_value == 118_282
    assert _row(rows, "validation_split=0.2").source_value == "48,000 12,000"
    assert _row(rows, "l2(0.01) on the kernel").source_value == 0.3
    assert _row(rows, "V2's test accuracy over V1's").source_value == 2.2
    book = {"simple (V1)": "92.36 / 92.27 / 92.22", "(V2)": "94.50 / 94.63 / 94.41",
            "short run": "91.54 / 94.48 / 94.25", "long run": "98.10 / 97.73 / 97.70",
            "RMSprop": "97.97 / 97.59 / 97.84", "Adam": "98.28 / 98.03 / 97.93"}
    for name, values in book.items():
        assert [r.source_value for r in rows if r.quantity.startswith("MNIST")
                and name in r.quantity] == [values]


def test_the_logits_are_the_ones_that_give_the_books_outputs():
    """ln(p/(1 − p)) of the printed outputs, to the 5 decimals the rows use."""
    assert round(np.log(0.5539 / 0.4461), 5) == 0.21644
    assert round(np.log(0.123191 / 0.876809), 5) == -1.96255


# --- breaking the library turns rows into mismatches ----------------------------------------

def test_a_wrong_parameter_count_shows_as_a_mismatch(monkeypatch):
    from nnbook.book.demos import gulli_1 as demos

    monkeypatch.setattr(gulli_1, "mlp_layers",
                        lambda variant, **kw: demos.mlp_layers(variant, n_hidden=127, **kw))
    broken = gulli_1.network_rows()
    assert _row(broken, "parameters of V2").match is False
    assert _row(broken, "parameters of V1").match is True


def test_a_random_hold_out_of_the_wrong_size_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(gulli_1, "split_last",
                        lambda X, Y, fraction: (X[:47_000], Y[:47_000], X[47_000:], Y[47_000:]))
    assert _row(gulli_1.network_rows(), "validation_split=0.2").match is False


def test_a_penalty_without_keras_sums_shows_as_a_mismatch(monkeypatch):
    from nnbook.layers.regularizers import L2

    monkeypatch.setattr(gulli_1, "l2", lambda lam: L2(lam / 2))        # the ½λ‖W‖² convention
    assert _row(gulli_1.training_rows(), "l2(0.01) on the kernel").match is False


def test_a_wrong_sigmoid_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(gulli_1, "sigmoid", lambda z: np.tanh(z))
    broken = gulli_1.activation_rows()
    assert _row(broken, "σ(0.21644)").match is False


def test_a_softmax_that_does_not_normalise_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(gulli_1, "softmax", lambda z, axis=None: np.exp(z))
    assert _row(gulli_1.data_rows(), "each row sums to 1").match is False


def test_a_dropout_that_drops_at_test_time_shows_as_a_mismatch(monkeypatch):
    import nnbook.layers

    class AlwaysDropout(nnbook.layers.Dropout):
        def forward(self, x, training=False):
            return super().forward(x, training=True)

    monkeypatch.setattr(gulli_1, "Dropout", AlwaysDropout)
    assert _row(gulli_1.training_rows(), "at test time").match is False


def test_a_hiker_that_never_overshoots_shows_as_a_mismatch(monkeypatch):
    monkeypatch.setattr(gulli_1, "hiker_paths",
                        lambda: {k: np.linspace(-1.0, 2.0, 13) for k in gulli_1.HIKER["etas"]})
    broken = gulli_1.training_rows()
    assert _row(broken, "η too large").match is False
    assert _row(broken, "η too small").match is False
