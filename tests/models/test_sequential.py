"""Sequential, fit/evaluate/predict, early stopping, weight decay, GD variants (陈强 §15.7–15.9)."""

import warnings

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_model, numerical_gradient, relative_error
from nnbook.data import load_digits, one_hot
from nnbook.layers import Dense, Dropout, Flatten
from nnbook.layers.regularizers import l2
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD


def test_summary_counts_parameters_like_keras():
    """784-512-512-10: 784·512 + 512 = 401,920; 512·512 + 512 = 262,656; 512·10 + 10 = 5,130."""
    model = Sequential([Flatten(), Dense(512, activation="relu"), Dropout(0.2),
                        Dense(512, activation="relu"), Dense(10, activation="softmax")],
                       input_shape=(28, 28), rng=0)
    text = model.summary()
    for expected in ("(None, 784)", "401,920", "262,656", "5,130", "dense_1 (Dense)",
                     "dropout (Dropout)", "Total params: 669,706"):
        assert expected in text
    assert model.n_params == 401_920 + 262_656 + 5_130
    with pytest.raises(RuntimeError, match="input_shape"):
        Sequential([Dense(2)]).summary()


def test_backward_is_the_delta_recursion_15_26_to_15_29(mlp):
    """Two sigmoid layers and MSE, the δ's written out by hand with the output-layer base case."""
    rng = np.random.default_rng(0)
    model = mlp((3, 4, 2), ("sigmoid", "sigmoid"))
    model.compile("mse", SGD(0.1))
    X, Y = rng.standard_normal((5, 3)), rng.random((5, 2))
    model.compute_gradients(X, Y)
    (W1, b1), (W2, b2) = [(layer.params["kernel"].value, layer.params["bias"].value) for layer in model.layers]
    s = lambda z: 1 / (1 + np.exp(-z))
    z1 = X @ W1 + b1; a1 = s(z1); z2 = a1 @ W2 + b2; a2 = s(z2)
    delta2 = 2 * (a2 - Y) / 5 * a2 * (1 - a2)                   # output δ: ∂L/∂a ⊙ f′(z)
    delta1 = a1 * (1 - a1) * (delta2 @ W2.T)                     # (15.29) f′(z) Σ_k δ_k w_ik
    np.testing.assert_allclose(model.layers[1].params["kernel"].grad, a1.T @ delta2, rtol=1e-12)   # (15.26)
    np.testing.assert_allclose(model.layers[0].params["kernel"].grad, X.T @ delta1, rtol=1e-12)
    np.testing.assert_allclose(model.layers[0].params["bias"].grad, delta1.sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize("loss, last, targets", [
    ("mse", None, "real"), ("mse", "sigmoid", "real"),
    ("binary_crossentropy", "sigmoid", "binary"),
    ("categorical_crossentropy", "softmax", "onehot")])
def test_whole_model_gradient_check_for_each_loss(loss, last, targets, mlp):
    rng = np.random.default_rng(1)
    k = 3 if targets != "binary" else 1
    model = mlp((4, 5, 6, k), ("tanh", "softplus", last), seed=2)
    model.compile(loss, SGD(0.1))
    X = rng.standard_normal((7, 4))
    Y = {"real": rng.random((7, k)), "binary": (rng.random((7, 1)) > 0.5) * 1.0,
         "onehot": one_hot(rng.integers(0, k, 7), k)}[targets]
    assert check_model(model, X, Y) < 1e-7                       # plain chain through f′
    # the path fit uses (softmax/sigmoid fused with the cross-entropy), against finite differences
    model.compute_gradients(X, Y, training=False)
    for layer in model.layers:
        for key, param in layer.params.items():
            analytic = param.grad.copy()
            numeric = numerical_gradient(lambda _: model.compute_loss(X, Y), param.value)
            assert relative_error(analytic, numeric) < 1e-7


def test_gradient_check_with_l2_penalty_and_dropout_with_fixed_mask():
    rng = np.random.default_rng(3)
    model = Sequential([Dense(6, activation="relu", kernel_regularizer=l2(0.05)), Dropout(0.5),
                        Dense(2, activation="softmax", kernel_regularizer=l2(0.01))],
                       input_shape=(3,), rng=4)
    model.compile("categorical_crossentropy", SGD(0.1))
    X, Y = rng.standard_normal((5, 3)), one_hot(rng.integers(0, 2, 5), 2)
    model.layers[1].fix_mask((rng.random((5, 6)) > 0.5) * 1.0)
    model.compute_gradients(X, Y, training=True)
    for layer in model.layers:
        for key, param in layer.params.items():
            analytic = param.grad.copy()
            numeric = numerical_gradient(lambda _: model.compute_loss(X, Y, training=True), param.value)
            assert relative_error(analytic, numeric) < 1e-7
    assert check_model(model, X, Y) < 1e-7                       # includes regularization_loss()


def test_fused_output_is_stable_at_extreme_logits(mlp):
    model = mlp((2, 3), ("softmax",))
    model.compile("categorical_crossentropy", SGD(0.1))
    model.layers[0].params["kernel"].value[...] = [[1e4, 0, -1e4], [0, 0, 0]]
    X, Y = np.array([[1.0, 0.0]]), np.array([[0.0, 0.0, 1.0]])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        loss = model.compute_gradients(X, Y)
    assert loss == pytest.approx(2e4)                            # −ln softmax = 1e4 − (−1e4)
    np.testing.assert_allclose(model.layers[0].params["bias"].grad, [1.0, 0.0, -1.0], atol=1e-12)


def test_l2_weight_decay_is_shrinkage(mlp):
    """(15.33): one step with λ equals (1 − 2ηλ)·W followed by the unpenalised step."""
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((16, 3)), rng.standard_normal(16)
    eta, lam = 0.1, 0.2
    plain, decayed = (mlp((3, 4, 1), ("tanh", None), seed=6, kernel_regularizer=reg)
                      for reg in (None, l2(lam)))
    for model in (plain, decayed):
        model.compile("mse", SGD(eta))
    W0 = [layer.params["kernel"].value.copy() for layer in plain.layers]
    plain.train_on_batch(X, y)
    decayed.train_on_batch(X, y)
    for w0, p, d in zip(W0, plain.layers, decayed.layers):
        step = p.params["kernel"].value - w0                                # −η ∂L/∂W
        np.testing.assert_allclose(d.params["kernel"].value, (1 - 2 * eta * lam) * w0 + step, rtol=1e-12)
        np.testing.assert_array_equal(d.params["bias"].value, p.params["bias"].value)   # biases are not penalised


def test_larger_lambda_gives_smaller_weights(mlp):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((60, 5))
    y = np.sin(X @ rng.standard_normal(5))
    norms = []
    for lam in (0.0, 0.003, 0.03, 0.3):
        model = mlp((5, 16, 1), ("tanh", None), seed=8, kernel_regularizer=l2(lam))
        model.compile("mse", SGD(0.05))
        model.fit(X, y, epochs=40, batch_size=10, progress=False, rng=9)
        norms.append(sum(np.sum(layer.params["kernel"].value ** 2) for layer in model.layers))
    assert all(a > b for a, b in zip(norms, norms[1:])), norms


def test_fit_learns_xor_and_reports_accuracy(mlp):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 8)
    y = np.array([0.0, 1.0, 1.0, 0.0] * 8)                       # a 1-D {0, 1} vector is accepted
    model = mlp((2, 8, 1), ("tanh", "sigmoid"), seed=1)
    model.compile("binary_crossentropy", SGD(learning_rate=0.5, momentum=0.9))
    history = model.fit(X, y, epochs=150, batch_size=8, progress=False, rng=0)
    assert history.history["accuracy"][-1] == 1.0
    np.testing.assert_array_equal(model.predict(X[:4]).ravel() > 0.5, [False, True, True, False])
    result = model.evaluate(X, y)
    assert result["accuracy"] == 1.0 and result["loss"] < 0.1
    assert history.epoch == list(range(1, 151)) and history.history["loss"][-1] < 0.1


def test_digits_classifier_with_dropout():
    digits = load_digits()
    model = Sequential([Dense(64, activation="relu"), Dropout(0.5, rng=1),
                        Dense(10, activation="softmax")], input_shape=(64,), rng=0)
    model.compile("categorical_crossentropy", SGD(learning_rate=0.1, momentum=0.9))
    history = model.fit(digits.X_train, one_hot(digits.y_train, 10), epochs=15, batch_size=32,
                        validation_split=0.1, progress=False)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    test = model.evaluate(digits.X_test, one_hot(digits.y_test, 10))
    assert test["accuracy"] >= 0.93
    assert np.array_equal(model.predict(digits.X_test[:5]), model.predict(digits.X_test[:5]))


def test_regression_has_no_accuracy(mlp):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((30, 2))
    model = mlp((2, 1), (None,))
    model.compile("mse", SGD(0.1))
    history = model.fit(X, X @ [1.0, -2.0] + 0.5, epochs=50, batch_size=30, progress=False)
    assert "accuracy" not in history.history
    np.testing.assert_allclose(model.layers[0].params["kernel"].value.ravel(), [1.0, -2.0], atol=1e-3)
    assert "accuracy" not in model.evaluate(X, X @ [1.0, -2.0] + 0.5)














def test_clear_errors(mlp):
    model = mlp((3, 4, 2), ("relu", "softmax"))
    X, Y = np.zeros((5, 3)), one_hot(np.array([0, 1, 0, 1, 1]), 2)
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(X, Y, progress=False)
    model.compile("categorical_crossentropy", SGD(0.1))
    with pytest.raises(ValueError, match=r"\(5, 3\)"):
        model.fit(X, one_hot(np.arange(5) % 3, 3), progress=False)      # 3 columns for 2 outputs
    with pytest.raises(ValueError, match="one_hot"):
        model.fit(X, np.array([0, 1, 0, 1, 1]), progress=False)
    with pytest.raises(ValueError, match="finite"):
        model.fit(np.where(np.eye(5, 3) > 0, np.nan, 0.0), Y, progress=False)
    with pytest.raises(ValueError, match=r"examples of shape \(3,\)"):
        model.predict(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="rows"):
        model.fit(X, Y[:4], progress=False)
    with pytest.raises(ValueError, match="sum to 1"):
        model.fit(X, Y * 0.5, progress=False)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(X, Y, validation_split=1.5, progress=False)
    with pytest.raises(TypeError):
        model.add("dense")
    with pytest.raises(TypeError, match="list of layers"):
        Sequential(Dense(2))
    with pytest.raises(ValueError, match="metrics"):
        model.compile("mse", "sgd", metrics=("auc",))






def test_each_step_starts_from_zero_gradients(mlp):
    """compute_gradients zeroes the Params first: two calls give the same gradient, not twice it."""
    rng = np.random.default_rng(9)
    model = mlp((3, 4, 2), ("tanh", "softmax"))
    model.compile("categorical_crossentropy", SGD(0.1))
    X, Y = rng.standard_normal((6, 3)), one_hot(rng.integers(0, 2, 6), 2)
    model.compute_gradients(X, Y)
    first = [p.grad.copy() for p in model.trainable_params()]
    model.compute_gradients(X, Y)
    for a, p in zip(first, model.trainable_params()):
        np.testing.assert_array_equal(p.grad, a)


def test_trainable_params_and_weights_round_trip(mlp):
    model = mlp((3, 4, 2), ("relu", None))
    params = model.trainable_params()
    assert [p.name for p in params] == ["dense.kernel", "dense.bias", "dense_1.kernel",
                                        "dense_1.bias"]
    weights = model.get_weights()
    assert list(weights[0]) == ["kernel", "bias"]
    weights[0]["kernel"] += 1.0
    model.set_weights(weights)
    np.testing.assert_array_equal(model.layers[0].params["kernel"].value, weights[0]["kernel"])
    with pytest.raises(ValueError, match="parameters"):
        model.set_weights([{"W": weights[0]["kernel"]}, weights[1]])


def test_an_activation_layer_after_dense_fuses_with_its_loss(mlp):
    """Dense(…) + Activation("softmax") trains like Dense(…, activation="softmax")."""
    from nnbook.layers import Activation

    rng = np.random.default_rng(10)
    X, Y = rng.standard_normal((8, 3)), one_hot(rng.integers(0, 3, 8), 3)
    split = Sequential([Dense(3), Activation("softmax")], input_shape=(3,), rng=1)
    joined = Sequential([Dense(3, activation="softmax")], input_shape=(3,), rng=1)
    for model in (split, joined):
        model.compile("categorical_crossentropy", SGD(0.5))
        model.train_on_batch(X, Y)
    np.testing.assert_allclose(split.layers[0].params["kernel"].value,
                               joined.layers[0].params["kernel"].value, rtol=1e-13)
    assert split._fused_loss() is not None


def test_summary_counts_fixed_parameters_apart():
    from nnbook.layers import RBF

    model = Sequential([Dense(4), RBF(3)], input_shape=(2,), rng=0)
    text = model.summary()
    assert "Total params: 24" in text and "Trainable params: 12" in text
    assert "Non-trainable params: 12" in text


def test_a_float32_model_never_upcasts(mlp):
    """Gulli & Pal's programs cast to float32: parameters, batches, outputs and gradients stay so."""
    from nnbook.optim import Adam

    rng = np.random.default_rng(12)
    model = Sequential([Dense(8, activation="relu"), Dropout(0.3), Dense(3, activation="softmax")],
                       input_shape=(5,), rng=0, dtype="float32")
    model.compile("categorical_crossentropy", Adam())
    X, Y = rng.normal(size=(20, 5)), one_hot(rng.integers(0, 3, 20), 3)    # float64 inputs
    assert all(p.value.dtype == np.float32 for p in model.trainable_params())
    model.fit(X, Y, epochs=2, batch_size=5, progress=False)
    assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32
               for p in model.trainable_params())
    assert model.predict(X).dtype == np.float32 and model.last_output.dtype == np.float32
    assert all(output.dtype == np.float32 for output in model._outputs)
    with pytest.raises(ValueError, match="float32"):
        Sequential([Dense(1)], dtype="int32")


def test_fit_checks_its_data_once_and_the_batches_run_unchecked(mlp, monkeypatch):
    """Validation happens where data enter: fit checks X and y once; the 3 × 5 mini-batches are
    slices of checked arrays, so neither the model nor a layer checks them again."""
    rng = np.random.default_rng(14)
    X, Y = rng.normal(size=(20, 3)), one_hot(rng.integers(0, 2, 20), 2)
    model = mlp((3, 4, 2), ("relu", "softmax"))
    model.compile("categorical_crossentropy", SGD(0.1))
    calls = {"inputs": 0, "targets": 0, "layer": 0}
    for name, owner in (("_check_inputs", model), ("_check_targets", model)):
        original = getattr(owner, name)
        key = "inputs" if name == "_check_inputs" else "targets"
        monkeypatch.setattr(owner, name, lambda *a, _o=original, _k=key: calls.__setitem__(
            _k, calls[_k] + 1) or _o(*a))
    for layer in model.layers:
        original = layer._check_input
        monkeypatch.setattr(layer, "_check_input", lambda *a, _o=original: calls.__setitem__(
            "layer", calls["layer"] + 1) or _o(*a))
    model.fit(X, Y, epochs=3, batch_size=4, progress=False)
    assert calls == {"inputs": 1, "targets": 1, "layer": 0}
    model.train_on_batch(X[:4], Y[:4])                         # the public step still checks
    assert calls["inputs"] == 2 and calls["targets"] == 2


def test_the_checked_and_unchecked_steps_are_the_same_step(mlp):
    rng = np.random.default_rng(15)
    X, Y = rng.normal(size=(6, 3)), one_hot(rng.integers(0, 3, 6), 3)
    a, b = (mlp((3, 5, 3), ("tanh", "softmax"), seed=4) for _ in range(2))
    for model in (a, b):
        model.compile("categorical_crossentropy", SGD(0.5, momentum=0.5))
    for _ in range(3):
        assert a.train_on_batch(X, Y) == b.train_on_checked_batch(X, Y)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        for key in wa:
            np.testing.assert_array_equal(wa[key], wb[key])
    with pytest.raises(RuntimeError, match="compile"):
        mlp((3, 2), ("softmax",)).train_on_checked_batch(X, Y[:, :2])


def test_backpropagation_stops_at_the_lowest_layer_with_parameters(mlp, monkeypatch):
    """Below it there is only the data: a Dropout in front is not asked for a gradient, and the
    lowest Dense layer is asked to skip ∂L/∂X — the gradients still pass a gradient check."""
    rng = np.random.default_rng(16)
    model = Sequential([Dropout(0.5), Dense(4, activation="tanh"), Dense(2, activation="softmax")],
                       input_shape=(3,), rng=1)
    model.compile("categorical_crossentropy", SGD(0.1))
    model.layers[0].fix_mask((rng.random((5, 3)) > 0.5) * 1.0)
    X, Y = rng.normal(size=(5, 3)), one_hot(rng.integers(0, 2, 5), 2)
    seen = []
    for layer in model.layers:
        original = layer.backward
        monkeypatch.setattr(layer, "backward", lambda g, _o=original, _l=layer, **kw: seen.append(
            (_l.name, kw.get("input_grad", True))) or _o(g, **kw))
    model.compute_gradients(X, Y, training=True)
    assert seen == [("dense", False)]            # dense_1 starts from the logits (fused loss)
    assert check_model(model, X, Y) < 1e-7
