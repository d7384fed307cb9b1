"""nnbook.layers.rnn.SimpleRNN: shapes and the book's parameter count, the book's example through
the layer, gradient checks (last state and every state), inside Sequential before Dense."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_model, layer_gradient_errors
from nnbook.functional.rnn import rnn_forward_reference, rnn_param_count
from nnbook.layers import Dense, SimpleRNN
from nnbook.models.sequential import Sequential
from nnbook.optim import Adam


def test_shapes_and_parameter_count():
    layer = SimpleRNN(4)
    assert layer.output_shape((10, 2)) == (4,)
    assert SimpleRNN(4, return_sequences=True).output_shape((10, 2)) == (10, 4)
    assert layer.param_shapes((10, 2)) == {"kernel": (2, 4), "recurrent_kernel": (4, 4),
                                           "bias": (4,)}
    for units, features in [(2, 1), (4, 2), (128, 64)]:
        assert SimpleRNN(units).count_params((7, features)) == (rnn_param_count(units, features), 0)
    assert layer.count_connections((10, 2)) == 10 * rnn_param_count(4, 2)


def test_default_initializers_give_an_orthogonal_recurrent_kernel(rng):
    layer = SimpleRNN(6)
    layer.build((5, 3), rng)
    recurrent = layer.params["recurrent_kernel"].value
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(6), atol=1e-12)
    np.testing.assert_array_equal(layer.params["bias"].value, np.zeros(6))
    assert layer.n_params == rnn_param_count(6, 3)


def test_the_books_example_through_the_layer(rng):
    layer = SimpleRNN(2, return_sequences=True)
    layer.build((2, 1), rng)
    layer.params["kernel"].value[...] = [[0.5, 0.6]]                 # w_cell_input
    layer.params["recurrent_kernel"].value[...] = [[0.1, 0.2], [0.3, 0.4]]   # w_cell_state
    layer.params["bias"].value[...] = [0.1, -0.1]                    # b_cell
    states = layer.forward(np.array([[[1.0], [2.0]]]))
    assert [str(s) for s in states[0]] == ["[0.53704957 0.46211716]", "[0.85973818 0.88366641]"]


@pytest.mark.parametrize("return_sequences", [False, True])
def test_gradient_check(rng, return_sequences):
    layer = SimpleRNN(3, return_sequences=return_sequences, recurrent_initializer="glorot_uniform")
    x = rng.normal(size=(2, 5, 4))
    errors = layer_gradient_errors(layer, x, rng)
    assert set(errors) == {"input", "kernel", "recurrent_kernel", "bias"}
    assert max(errors.values()) < 1e-8, errors


def test_backward_adds_to_the_gradients_and_matches_the_functions(rng):
    layer = SimpleRNN(3)
    x = rng.normal(size=(2, 4, 2))
    layer.build(x.shape[1:], rng)
    out = layer.forward(x)
    k, r, b = (layer.params[n].value for n in ("kernel", "recurrent_kernel", "bias"))
    np.testing.assert_allclose(out, rnn_forward_reference(x, np.zeros((2, 3)), k, r, b)[:, -1],
                               atol=1e-14)
    layer.backward(np.ones_like(out))
    first = layer.params["kernel"].grad.copy()
    layer.backward(np.ones_like(out))
    np.testing.assert_allclose(layer.params["kernel"].grad, 2 * first)


def test_inside_sequential_before_dense_gradients_and_training(rng):
    X = rng.normal(size=(16, 6, 2))
    y = X[:, :, 0].sum(axis=1, keepdims=True) * 0.3                  # a sum over time
    model = Sequential([SimpleRNN(5), Dense(1)], rng=0)
    model.compile(loss="mse", optimizer=Adam(learning_rate=0.02))
    assert check_model(model, X, y) < 1e-7
    assert model.output_shape == (1,)
    before = model.evaluate(X, y)["loss"]
    history = model.fit(X, y, epochs=40, batch_size=8, progress=False)
    assert history.history["loss"][-1] < 0.1 * before
    assert "simple_rnn" in model.summary()


def test_float32_model_stays_float32(rng):
    X = rng.normal(size=(8, 5, 3)).astype(np.float32)
    model = Sequential([SimpleRNN(4, return_sequences=True), SimpleRNN(3), Dense(2)],
                       rng=0, dtype="float32")
    model.compile(loss="mse", optimizer="sgd")
    model.fit(X, np.zeros((8, 2)), epochs=1, batch_size=4, progress=False)
    assert model.predict(X).dtype == np.float32
    for layer in model.layers:
        assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32
                   for p in layer.params.values())


def test_bad_input_is_refused_with_a_message(rng):
    with pytest.raises(ValueError, match="units"):
        SimpleRNN(0)
    with pytest.raises(TypeError, match="return_sequences"):
        SimpleRNN(3, return_sequences="yes")
    with pytest.raises(ValueError, match="time steps, features"):
        SimpleRNN(3).output_shape((10,))
    layer = SimpleRNN(3)
    with pytest.raises(RuntimeError, match="build"):
        layer.forward(np.zeros((1, 2, 2)))
    layer.build((4, 2), rng)
    with pytest.raises(ValueError, match="3-D"):
        layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="empty batch"):
        layer.forward(np.zeros((0, 4, 2)))
    with pytest.raises(ValueError, match=r"\(4, 2\)"):
        layer.forward(np.zeros((1, 5, 2)))
    with pytest.raises(ValueError, match="finite"):
        layer.forward(np.full((1, 4, 2), np.nan))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 3)))
    layer.forward(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match="grad_output"):
        layer.backward(np.zeros((1, 4, 3)))


@pytest.mark.slow
def test_memory_demo_simple_rnn_stays_at_chance_where_an_lstm_remembers():
    """The recipe of the chapter's memory demo: report the first of 30 symbols after 29 noisy
    distractors (remember_first, noise 2.0). Same data, optimiser, units and epochs for both;
    about 2 s (SimpleRNN) and 5 s (LSTM) of training on a 2-core machine. BLAS is held to one
    thread: the LSTM's larger products are otherwise split over both cores, which stalls (ten
    times slower) while other processes hold them."""
    lstm = pytest.importorskip("nnbook.layers.lstm")
    from threadpoolctl import threadpool_limits

    from nnbook.data.sequences import remember_first
    from nnbook.optim import RMSprop

    X, y = remember_first(2000, 30, np.random.default_rng(0), noise=2.0)
    X_test, y_test = remember_first(1000, 30, np.random.default_rng(1000), noise=2.0)
    accuracy = {}
    for name, recurrent in (("rnn", SimpleRNN(32)), ("lstm", lstm.LSTM(32))):
        model = Sequential([recurrent, Dense(2, activation="softmax")], rng=0)
        model.compile(loss="categorical_crossentropy", optimizer=RMSprop(learning_rate=0.003))
        with threadpool_limits(1, "blas"):
            model.fit(X, y, epochs=25, batch_size=32, progress=False)
        accuracy[name] = model.evaluate(X_test, y_test)["accuracy"]
    assert accuracy["rnn"] < 0.6, accuracy          # chance is 0.5
    assert accuracy["lstm"] > 0.9, accuracy


def test_next_value_of_a_noisy_sine_beats_repeating_the_last_value():
    """noisy_sine through SimpleRNN + Dense: 20 short epochs take the test error well below the
    naive forecast "the next value is the last one seen" (its error is the noise plus a step)."""
    from nnbook.data.sequences import noisy_sine

    X, y = noisy_sine(500, 20, np.random.default_rng(0), noise=0.1)
    X_test, y_test = noisy_sine(500, 20, np.random.default_rng(1), noise=0.1)
    model = Sequential([SimpleRNN(16), Dense(1)], rng=0)
    model.compile(loss="mse", optimizer=Adam(learning_rate=0.01))
    model.fit(X, y, epochs=20, batch_size=32, progress=False)
    naive = np.mean((X_test[:, -1] - y_test) ** 2)
    assert model.evaluate(X_test, y_test)["loss"] < 0.3 * naive
