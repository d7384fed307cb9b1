"""nnbook.book.demos.chen_15: the chapter-2 demos (symmetry of equal starts, descent variants)."""

import numpy as np
import pytest

from nnbook.book.demos.chen_15 import (
    derivations,
    gradient_descent_variants,
    symmetry_demo,
)
from nnbook.layers import Dense
from nnbook.layers.initializers import (
    constant,
)
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD


def test_equal_initial_weights_stay_equal_under_training():
    """陈强 §15.7: units that start equal get equal gradients, so training never separates them."""
    rng = np.random.default_rng(10)
    X, y = rng.standard_normal((40, 3)), (rng.random(40) > 0.5).astype(float)
    model = Sequential([Dense(4, activation="tanh", kernel_initializer=constant(0.3)),
                        Dense(1, activation="sigmoid", kernel_initializer=constant(0.3))],
                       input_shape=(3,), rng=0)
    model.compile("binary_crossentropy", SGD(learning_rate=0.5))
    model.fit(X, y, epochs=5, batch_size=8, progress=False)
    W = model.layers[0].params["kernel"].value
    assert not np.allclose(W, 0.3)                               # it did train …
    assert np.all(W == W[:, :1])                                 # … but every hidden unit is the same
    demo = symmetry_demo("constant")
    assert demo["column_spread"] == 0.0 and demo["losses"][-1] < demo["losses"][0]
    assert symmetry_demo("uniform")["column_spread"] > 0.1


def test_gradient_descent_variants_figure_15_12():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(128)
    y = 1.5 * x + 0.5 + 0.3 * rng.standard_normal(128)
    runs = gradient_descent_variants(x[:, None], y, epochs=4, learning_rate=0.05, batch_size=32, rng=1)
    assert [runs[k]["iterations_per_epoch"] for k in ("batch", "stochastic", "mini-batch")] == [1, 128, 4]
    for run in runs.values():
        assert len(run["loss"]) == 4 * run["iterations_per_epoch"] + 1
        assert run["path"].shape == (len(run["loss"]), 2)
    A = np.column_stack([x, np.ones_like(x)])
    optimum = np.mean((A @ np.linalg.lstsq(A, y, rcond=None)[0] - y) ** 2)
    batch = runs["batch"]["loss"]
    assert np.all(np.diff(batch) < 0)                            # batch GD: smooth descent
    assert np.any(np.diff(runs["stochastic"]["loss"]) > 0)       # SGD: noisy path
    assert runs["stochastic"]["loss"][-1] < optimum * 1.2        # …but far ahead per epoch
    assert runs["mini-batch"]["loss"][-1] < batch[-1]
    assert batch[-1] > 2 * optimum                               # 4 steps are not enough


@pytest.mark.parametrize("derivation", derivations(), ids=lambda d: d.title)
def test_every_chapter_2_derivation_verifies(derivation):
    assert derivation.verify()
    assert derivation.latex().startswith("\\begin{aligned}")
    assert "陈强" in derivation.source_ref
