"""nnbook.book.demos.chen_15: the chapter-2 demos (symmetry of equal starts, derivations)."""

import numpy as np
import pytest

from nnbook.book.demos.chen_15 import (
    derivations,
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


@pytest.mark.parametrize("derivation", derivations(), ids=lambda d: d.title)
def test_every_chapter_2_derivation_verifies(derivation):
    assert derivation.verify()
    assert derivation.latex().startswith("\\begin{aligned}")
    assert "陈强" in derivation.source_ref
