"""nnbook.keras.models.Sequential: Keras' conventions on nnbook's engine."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nnbook.keras.layers import Activation, Dense, Dropout, Input
from nnbook.keras.models import Sequential, split_last
from nnbook.keras.optimizers import SGD, Adam, RMSprop
from nnbook.models import sequential as core


def book_net(hidden=(128, 128), inputs=784, dropout=None, seed=0):
    """The book's V1 (no hidden layers), V2 (two ReLU layers) or V3 (with dropout)."""
    model = Sequential(seed=seed)
    for i, units in enumerate(hidden):
        model.add(Dense(units, input_shape=(inputs,)) if i == 0 else Dense(units))
        model.add(Activation("relu"))
        if dropout:
            model.add(Dropout(dropout))
    model.add(Dense(10, input_shape=(inputs,)) if not hidden else Dense(10))
    model.add(Activation("softmax"))
    return model


@pytest.fixture(scope="module")
def digit_data(digits):
    from nnbook.keras.utils import to_categorical

    return (digits.X_train.astype("float32"), to_categorical(digits.y_train, 10),
            digits.X_test.astype("float32"), to_categorical(digits.y_test, 10))


# ------------------------------------------------------------------------------- structure
def test_is_nnbooks_sequential_in_float32():
    model = book_net()
    assert isinstance(model, core.Sequential)
    assert model.dtype == np.float32
    assert all(w.dtype == np.float32 for w in model.get_weights())


def test_first_layers_input_shape_builds_the_model_and_summary_prints_the_counts(capsys):
    for hidden, count in (((), 7_850), ((128, 128), 118_282)):
        model = book_net(hidden)
        assert model.built and model.input_shape == (784,)
        assert model.summary() is None
        out = capsys.readouterr().out
        assert f"Total params: {count:,}" in out and f"Trainable params: {count:,}" in out
        assert "(None, 10)" in out and model.count_params() == count
    lines = []
    book_net(()).summary(print_fn=lines.append)
    assert "Total params: 7,850" in lines[0]


def test_input_and_layer_list_spellings_build_the_same_model():
    a = Sequential([Input(shape=(784,)), Dense(10), Activation("softmax")], seed=1)
    b = Sequential([Dense(10, input_shape=(784,)), Activation("softmax")], seed=1)
    assert a.built and b.built and a.count_params() == b.count_params() == 7_850
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)


def test_without_an_input_shape_the_first_data_builds_the_model():
    model = Sequential([Dense(3), Activation("softmax")], seed=0)
    assert not model.built
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.zeros((4, 5)), np.eye(3)[[0, 1, 2, 0]], verbose=0)
    assert model.input_shape == (5,)


def test_structure_errors_say_what_is_wrong():
    with pytest.raises(TypeError, match="list of layers"):
        Sequential(Dense(3))
    model = Sequential([Dense(4, input_shape=(3,))])
    with pytest.raises(ValueError, match=r"input_shape=\(5,\).*outputs \(4,\)"):
        model.add(Dense(2, input_shape=(5,)))
    with pytest.raises(ValueError, match="Input must come first"):
        model.add(Input(shape=(3,)))
    with pytest.raises(RuntimeError, match="not built"):
        Sequential([Dense(3)]).summary()


def test_seed_fixes_the_run_and_the_default_seed_follows_numpys_global_generator():
    same = [Sequential([Dense(4, input_dim=3)], seed=7).get_weights()[0] for _ in range(2)]
    np.testing.assert_array_equal(*same)
    state = np.random.get_state()
    try:
        np.random.seed(1671)
        first = Sequential([Dense(4, input_dim=3)]).get_weights()[0]
        np.random.seed(1671)
        second = Sequential([Dense(4, input_dim=3)]).get_weights()[0]
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(first, second)


# ------------------------------------------------------------------------------- compile
def test_compile_follows_keras_defaults_and_names():
    model = book_net(())
    model.compile(loss="categorical_crossentropy")          # Keras' default optimiser
    assert isinstance(model.optimizer, RMSprop)
    assert (model.optimizer.learning_rate, model.optimizer.rho, model.optimizer.epsilon) \
        == (0.001, 0.9, 1e-7)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert isinstance(model.optimizer, Adam)
    assert (model.optimizer.learning_rate, model.optimizer.beta_1, model.optimizer.beta_2,
            model.optimizer.epsilon) == (0.001, 0.9, 0.999, 1e-7)
    model.compile(optimizer=SGD(), loss="categorical_crossentropy", metrics=["accuracy"])
    assert model.optimizer.learning_rate == 0.01 and model.metrics == ("accuracy",)


def test_compile_errors():
    model = book_net(())
    with pytest.raises(ValueError, match="expected a loss"):
        model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="Keras names"):
        model.compile(optimizer="sgd", loss="hinge")
    with pytest.raises(ValueError, match="metrics"):
        model.compile(optimizer="sgd", loss="mse", metrics=["precision"])
    with pytest.raises(ValueError, match="optimizer"):
        model.compile(optimizer="adadelta", loss="mse")


# ------------------------------------------------------------------------------- fit
def test_split_last_keeps_the_last_fraction():
    X, Y = np.arange(60_000), np.arange(60_000)
    X_train, Y_train, X_val, Y_val = split_last(X, Y, 0.2)
    assert (len(X_train), len(X_val)) == (48_000, 12_000)
    np.testing.assert_array_equal(X_val, np.arange(48_000, 60_000))
    assert [len(part) for part in split_last(np.arange(10), np.arange(10), 0.25)] == [7, 7, 3, 3]
    for bad in (1.0, -0.1, True, "0.2"):
        with pytest.raises(ValueError, match="fraction"):
            split_last(X, Y, bad)
    with pytest.raises(ValueError, match="leaves 0 for training"):
        split_last(np.arange(3), np.arange(3), 0.9)


def test_fit_validates_on_the_last_20_percent_before_shuffling():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60_000, 2)).astype("float32")
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    model = Sequential([Dense(2, input_dim=2), Activation("softmax")], seed=0)
    model.compile(optimizer=SGD(), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, Y, batch_size=4_800, epochs=1, verbose=0, validation_split=0.2)
    assert model.optimizer.iterations == 10 == history.params["steps"]     # 48,000 / 4,800
    assert history.history["val_loss"][0] == model.evaluate(X[48_000:], Y[48_000:], verbose=0)[0]
    assert history.history["val_loss"][0] != model.evaluate(X[:12_000], Y[:12_000], verbose=0)[0]


def test_validation_data_takes_precedence_over_validation_split(digit_data):
    X, Y, X_test, Y_test = digit_data
    model = book_net((16,), inputs=64)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, Y, epochs=1, verbose=0, validation_split=0.5,
                        validation_data=(X_test, Y_test))
    assert history.params["steps"] == math.ceil(len(X) / 32)               # nothing held out
    assert history.history["val_accuracy"] == [model.evaluate(X_test, Y_test, verbose=0)[1]]


def test_training_metrics_are_running_averages_with_dropout_active(digit_data):
    """Why the book's 20-epoch dropout run shows training accuracy below test accuracy: the
    recorded training accuracy averages the epoch's batches, measured while the weights still
    move and with dropout on; the same training set in inference mode scores higher."""
    X, Y, X_test, Y_test = digit_data
    model = book_net((64, 64), inputs=64, dropout=0.3, seed=1671)
    model.compile(optimizer=SGD(learning_rate=0.05), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X, Y, batch_size=32, epochs=3, verbose=0)
    running = history.history["accuracy"][-1]
    _, inference = model.evaluate(X, Y, verbose=0)
    assert inference > running + 0.05                 # 0.78 against 0.50 when written
    assert model.evaluate(X_test, Y_test, verbose=0)[1] > running


def test_the_recorded_loss_is_the_mean_of_the_batch_losses(digit_data):
    X, Y, _, _ = digit_data
    X, Y = X[:200], Y[:200]
    model, twin = book_net((8,), inputs=64, seed=3), book_net((8,), inputs=64, seed=4)
    twin.set_weights(model.get_weights())
    for m in (model, twin):
        m.compile(optimizer=SGD(learning_rate=0.1), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X, Y, batch_size=64, epochs=1, shuffle=False, verbose=0)
    steps = [(twin.train_on_batch(X[i:i + 64], Y[i:i + 64]), len(X[i:i + 64]))
             for i in range(0, 200, 64)]
    loss = sum(value[0] * n for value, n in steps) / 200
    accuracy = sum(value[1] * n for value, n in steps) / 200
    assert history.history["loss"][0] == pytest.approx(loss, rel=1e-6)
    assert history.history["accuracy"][0] == pytest.approx(accuracy, rel=1e-6)


def test_history_keys_and_return_values(digit_data):
    X, Y, X_test, Y_test = digit_data
    model = book_net((16,), inputs=64)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, Y, batch_size=128, epochs=2, verbose=0, validation_split=0.2)
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert history.epoch == [1, 2] and history.model is model
    assert history.params == {"verbose": 0, "epochs": 2, "steps": math.ceil(1437 * 0.8 / 128)}
    score = model.evaluate(X_test, Y_test, verbose=0)
    assert isinstance(score, list) and len(score) == 2 and 0 <= score[1] <= 1
    assert model.evaluate(X_test, Y_test, verbose=0, return_dict=True) == \
        {"loss": score[0], "accuracy": score[1]}
    model.compile(optimizer="adam", loss="categorical_crossentropy")        # no metrics
    assert isinstance(model.evaluate(X_test, Y_test, verbose=0), float)
    assert isinstance(model.train_on_batch(X[:8], Y[:8]), float)


@pytest.mark.parametrize("verbose", [0, 1, 2, "auto"])
def test_verbose_prints_on_stdout_only(digit_data, capsys, verbose):
    X, Y, _, _ = digit_data
    model = book_net((8,), inputs=64)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X[:256], Y[:256], batch_size=64, epochs=3, verbose=verbose, validation_split=0.25)
    model.evaluate(X[:64], Y[:64], verbose=verbose)
    out, err = capsys.readouterr()
    assert err == ""
    if verbose == 0:
        assert out == ""
    elif verbose == 2:
        lines = out.splitlines()
        assert len(lines) == 4                                 # 3 epochs + the evaluation
        assert lines[0].startswith("Epoch 1/3 - 3/3 - ") and "val_accuracy: " in lines[2]
        assert lines[3].startswith("2/2 - ") and "accuracy: " in lines[3]
    else:
        assert all(f"Epoch {i}/3" in out for i in (1, 2, 3)) and "3/3" in out
        assert "val_loss: " in out


def test_fit_errors_say_what_was_expected(digit_data):
    X, Y, _, _ = digit_data
    model = book_net((8,), inputs=64)
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(X, Y)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError, match="verbose"):
        model.fit(X, Y, verbose=3)
    with pytest.raises(ValueError, match="epochs"):
        model.fit(X, Y, epochs=0, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(X, Y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="callbacks"):
        model.fit(X, Y, verbose=0, callbacks=[object()])
    with pytest.raises(ValueError, match=r"expected examples of shape \(64,\)"):
        model.fit(X[:, :10], Y, verbose=0)
    with pytest.raises(ValueError, match="one-hot"):
        model.fit(X, np.argmax(Y, axis=1), verbose=0)
    with pytest.raises(TypeError, match="pair"):
        model.fit(X, Y, verbose=0, validation_data=(X,))


# ------------------------------------------------------------------------------- use
def test_predict_and_the_removed_predict_classes_and_predict_proba(digit_data, capsys):
    X, Y, X_test, _ = digit_data
    model = book_net((16,), inputs=64)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, epochs=2, verbose=0)
    proba = model.predict(X_test, verbose=0)
    assert proba.shape == (len(X_test), 10) and proba.dtype == np.float32
    np.testing.assert_array_equal(model.predict_classes(X_test, verbose=0),
                                  np.argmax(proba, axis=-1))
    np.testing.assert_array_equal(model.predict_proba(X_test, verbose=0), proba)
    model.predict_classes(X_test[:40])                        # Keras 2.0 default: verbose=1
    out, err = capsys.readouterr()
    assert re.fullmatch(r"2/2 - \d+s\n", out) and err == ""
    sigmoid = Sequential([Dense(1, input_dim=2, activation="sigmoid")], seed=0)
    sigmoid.set_weights([np.array([[1.0], [0.0]]), np.array([0.0])])
    classes = sigmoid.predict_classes(np.array([[2.0, 0.0], [-2.0, 0.0]]), verbose=0)
    assert classes.dtype == np.int32 and classes.tolist() == [[1], [0]]


# ------------------------------------------------------------------------------- weights
def test_weights_are_keras_flat_list_and_move_between_twins():
    model, twin = book_net(seed=1), book_net(seed=2)
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(784, 128), (128,), (128, 128), (128,), (128, 10), (10,)]
    assert not any(w.any() for w in weights[1::2])                          # zero biases
    X = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    assert not np.array_equal(model.predict(X, verbose=0), twin.predict(X, verbose=0))
    twin.set_weights([w.astype(np.float64) for w in weights])    # e.g. from another framework
    np.testing.assert_array_equal(model.predict(X, verbose=0), twin.predict(X, verbose=0))
    assert all(w.dtype == np.float32 for w in twin.get_weights())
    weights[0][0, 0] = 5.0                                                  # copies, not views
    assert model.get_weights()[0][0, 0] != 5.0
    assert [w.shape for w in model.layers[0].get_weights()] == [(784, 128), (128,)]


def test_set_weights_errors_leave_the_model_unchanged():
    model = book_net(())
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"expected 2 arrays \(dense.kernel, dense.bias\)"):
        model.set_weights(before[:1])
    with pytest.raises(ValueError, match=r"dense.bias has shape \(10,\)"):
        model.set_weights([np.ones((784, 10)), np.ones(11)])
    with pytest.raises(TypeError, match="list of arrays"):
        model.set_weights(np.ones(3))
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


# ------------------------------------------------------------------------------- float32
def test_float32_end_to_end_nothing_upcasts(digit_data, monkeypatch):
    """Every batch every layer sees, every gradient and every optimiser state stays float32."""
    X, Y, _, _ = digit_data
    model = book_net((16, 16), inputs=64, dropout=0.3)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    seen = set()
    for layer in model.layers:
        # the model checks a batch once, then each layer runs forward_unchecked
        forward, backward = layer.forward_unchecked, layer.backward

        def spy_forward(x, training=False, _f=forward):
            seen.add(("forward", np.asarray(x).dtype))
            out = _f(x, training=training)
            seen.add(("output", out.dtype))
            return out

        def spy_backward(grad, _b=backward, **options):  # the lowest Dense gets input_grad=False
            seen.add(("backward", np.asarray(grad).dtype))
            return _b(grad, **options)

        monkeypatch.setattr(layer, "forward_unchecked", spy_forward)
        monkeypatch.setattr(layer, "backward", spy_backward)
    model.fit(X.astype(np.float64), Y, batch_size=64, epochs=1, verbose=0, validation_split=0.2)
    model.evaluate(X, Y, verbose=0)
    assert {dtype for _, dtype in seen} == {np.dtype(np.float32)}
    assert {kind for kind, _ in seen} == {"forward", "output", "backward"}
    params = model.trainable_params()
    assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32 for p in params)
    for param in params:
        state = model.optimizer.state[param]
        assert state["m"].dtype == np.float32 and state["v"].dtype == np.float32
