"""nnbook.keras.losses: Keras' averaging over outputs (the numbers are Keras' documented examples)."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.functional.losses import CategoricalCrossEntropy, get_loss
from nnbook.keras import losses
from nnbook.keras.layers import Dense
from nnbook.keras.models import Sequential


def test_keras_documented_values():
    y, p = np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
    assert losses.get("mse")(p, y) == pytest.approx(0.5)                   # nnbook's core: 1.0
    assert get_loss("mse")(p, y) == pytest.approx(1.0)
    y, p = np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.6, 0.4], [0.4, 0.6]])
    assert losses.get("binary_crossentropy")(p, y) == pytest.approx(0.815, abs=5e-4)
    y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    p = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    assert losses.get("categorical_crossentropy")(p, y) == pytest.approx(1.177, abs=5e-4)
    assert isinstance(losses.get("categorical_crossentropy"), CategoricalCrossEntropy)


def test_gradient_is_the_derivative_of_the_mean(rng):
    loss = losses.get("mean_squared_error")
    p, y = rng.random((4, 3)), rng.random((4, 3))
    np.testing.assert_allclose(loss.gradient(p, y), 2 * (p - y) / 12)
    step = np.zeros_like(p)
    step[1, 2] = 1e-6
    numeric = (loss(p + step, y) - loss(p - step, y)) / 2e-6
    assert loss.gradient(p, y)[1, 2] == pytest.approx(numeric, rel=1e-5)


def test_a_sigmoid_model_uses_the_mean_through_its_fused_loss(rng):
    model = Sequential([Dense(3, input_dim=4, activation="sigmoid")], seed=0, dtype="float64")
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    X, Y = rng.random((5, 4)), (rng.random((5, 3)) > 0.5).astype(float)
    p = model.predict(X, verbose=0)
    expected = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert model.evaluate(X, Y, verbose=0) == pytest.approx(expected, rel=1e-9)
    assert model._fused_loss() is not None                  # the from-logits twin, also ÷ k


def test_unknown_names():
    with pytest.raises(ValueError, match="Keras names"):
        losses.get("kld")
    loss = get_loss("quadratic")
    assert losses.get(loss) is loss
