"""nnbook.layers.lstm.LSTM: shapes and the parameter count 4·((I + H)·H + H), initial values,
gradient checks on both fast paths and both cell outputs, training inside Sequential."""

import numpy as np
import pytest

from nnbook.analysis.architectures import total_params, trace
from nnbook.analysis.gradcheck import check_model, layer_gradient_errors
from nnbook.functional.lstm import lstm_forward_reference, lstm_param_count
from nnbook.kernels.lstm import VECTORISED_FROM
from nnbook.layers import LSTM, Dense
from nnbook.models.sequential import Sequential
from nnbook.optim import Adam


def test_shapes_and_parameter_count():
    layer = LSTM(4)
    assert layer.output_shape((10, 2)) == (4,)
    assert LSTM(4, return_sequences=True).output_shape((10, 2)) == (10, 4)
    assert layer.param_shapes((10, 2)) == {"kernel": (2, 16), "recurrent_kernel": (4, 16),
                                           "bias": (16,)}
    assert layer.count_params((10, 2)) == (4 * ((2 + 4) * 4 + 4), 0) == (112, 0)
    assert LSTM(128).count_params((50, 64)) == (lstm_param_count(64, 128), 0) == (98_816, 0)
    assert layer.count_connections((10, 2)) == 10 * 112
    rows = trace([LSTM(8, return_sequences=True), LSTM(4), Dense(1)], (10, 3))
    assert [row.output_shape for row in rows] == [(10, 3), (10, 8), (4,), (1,)]
    assert total_params(rows) == lstm_param_count(3, 8) + lstm_param_count(8, 4) + 5


def test_initial_values_orthogonal_recurrent_kernel_and_forget_bias_one(rng):
    layer = LSTM(3)
    layer.build((5, 2), rng)
    recurrent = layer.params["recurrent_kernel"].value
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-12)   # (3, 12)
    np.testing.assert_array_equal(layer.params["bias"].value,
                                  [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])        # (i, f, g, o)
    plain = LSTM(3, unit_forget_bias=False)
    plain.build((5, 2), rng)
    assert not plain.params["bias"].value.any()


@pytest.mark.parametrize("cell_output", ["tanh", "book"])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("batch, units", [(2, 3), (VECTORISED_FROM // 4, 4)])
def test_gradient_check_on_both_paths(rng, cell_output, return_sequences, batch, units):
    layer = LSTM(units, return_sequences=return_sequences, cell_output=cell_output,
                 recurrent_initializer="glorot_uniform")
    x = rng.normal(size=(batch, 4, 3))
    errors = layer_gradient_errors(layer, x, rng, eps=1e-5)
    assert set(errors) == {"input", "kernel", "recurrent_kernel", "bias"}
    assert max(errors.values()) <= 1e-9, errors


def test_forward_matches_the_reference_and_backward_adds(rng):
    layer = LSTM(3, cell_output="book")
    x = rng.normal(size=(2, 4, 2))
    layer.build(x.shape[1:], rng)
    out = layer.forward(x)
    k, r, b = (layer.params[n].value for n in ("kernel", "recurrent_kernel", "bias"))
    zeros = np.zeros((2, 3))
    hs = lstm_forward_reference(x, zeros, zeros, k, r, b, "book")[0]
    np.testing.assert_allclose(out, hs[:, -1], rtol=0, atol=1e-14)
    layer.backward(np.ones_like(out))
    first = layer.params["recurrent_kernel"].grad.copy()
    assert layer.backward(np.ones_like(out), input_grad=False) is None
    np.testing.assert_allclose(layer.params["recurrent_kernel"].grad, 2 * first)


def test_it_learns_to_remember_the_first_input_inside_sequential(rng):
    """y = x_1 of a sequence of 8 numbers: the answer must be carried through 7 steps."""
    X = rng.uniform(-1, 1, size=(64, 8, 1))
    y = X[:, :1, 0]
    model = Sequential([LSTM(8), Dense(1)], rng=0)
    model.compile(loss="mse", optimizer=Adam(learning_rate=0.03))
    assert check_model(model, X[:4], y[:4]) < 1e-7
    before = model.evaluate(X, y)["loss"]
    history = model.fit(X, y, epochs=60, batch_size=16, progress=False)
    assert history.history["loss"][-1] < 0.1 * before
    assert "lstm" in model.summary()


def test_float32_model_stays_float32(rng):
    X = rng.normal(size=(70, 5, 3)).astype(np.float32)       # 70·4 ≥ VECTORISED_FROM
    model = Sequential([LSTM(4, return_sequences=True), LSTM(2), Dense(1)], rng=0,
                       dtype="float32")
    model.compile(loss="mse", optimizer="sgd")
    model.fit(X, np.zeros((70, 1)), epochs=1, batch_size=70, progress=False)
    assert model.predict(X).dtype == np.float32
    for layer in model.layers:
        assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32
                   for p in layer.params.values())


def test_bad_input_is_refused_with_a_message(rng):
    with pytest.raises(ValueError, match="units"):
        LSTM(0)
    with pytest.raises(TypeError, match="return_sequences"):
        LSTM(3, return_sequences=1)
    with pytest.raises(ValueError, match="cell_output"):
        LSTM(3, cell_output="relu")
    with pytest.raises(ValueError, match="time steps, features"):
        LSTM(3).output_shape((10,))
    layer = LSTM(3)
    with pytest.raises(RuntimeError, match="build"):
        layer.forward(np.zeros((1, 2, 2)))
    layer.build((4, 2), rng)
    with pytest.raises(ValueError, match="3-D"):
        layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="empty batch"):
        layer.forward(np.zeros((0, 4, 2)))
    with pytest.raises(ValueError, match="finite"):
        layer.forward(np.full((1, 4, 2), np.nan))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 3)))
    layer.forward(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match="grad_output"):
        layer.backward(np.zeros((1, 4, 3)))
