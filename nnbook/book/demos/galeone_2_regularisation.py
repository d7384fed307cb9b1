"""Chapter 4's regularisation demos (Galeone, *Hands-On Neural Networks with TensorFlow 2.0*,
ch. 2, §'Regularization' to §'Batch normalization'): the runs the chapter shows and the tour
reruns, on the library's dropout, penalty, augmentation, early-stopping and batch-norm code.

The source has no code and no numbers; everything measured here is ours, on scikit-learn's
offline 8×8 digits and sample photograph. Its formulas are lost images: the dropout and weight
decay forms below are reconstructions from the surrounding text.
"""

from __future__ import annotations

import numpy as np

from nnbook.data import load_digits, one_hot
from nnbook.data.augmentation import (
    add_gaussian_noise,
    adjust_brightness,
    adjust_saturation,
    arrow_image,
    flip_left_right,
    flip_up_down,
)
from nnbook.data.images import sample_photo
from nnbook.data.preprocessing import standardize
from nnbook.functional.dropout import (
    bernoulli_mask,
    dropout_direct,
    dropout_inverted,
    dropout_variance,
)
from nnbook.layers import Activation, BatchNormalization, Dense
from nnbook.layers.regularizers import L2
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD
from nnbook.train.callbacks import EarlyStopping
from nnbook.validation import as_float_array, check_positive

# ------------------------------------------------------------------ dropout: the two schemes


def dropout_expectations(activations=(0.5, 1.0, 2.0), keep_prob: float = 0.5,
                         n_masks: int = 100_000, seed: int = 0) -> dict:
    """Mean and variance of the training output over ``n_masks`` masks, per scheme, against the
    inference output and the variance formula (§'How dropout works', §'Inverted dropout').

    Returns {"direct": {...}, "inverted": {...}}, each with ``train_mean``, ``test_output``,
    ``sample_variance`` and ``variance`` (the formula), arrays over ``activations``. The mean of
    direct training outputs matches q·a, that of inverted ones matches a.
    """
    a = as_float_array(activations, "activations", ndim=1, dtype=np.float64)
    check_positive(n_masks, "n_masks", integer=True)
    masks = bernoulli_mask((n_masks, a.size), keep_prob, np.random.default_rng(seed))
    batch = np.broadcast_to(a, masks.shape)
    result = {}
    for scheme, apply in (("direct", dropout_direct), ("inverted", dropout_inverted)):
        train = apply(batch, masks, keep_prob, training=True)
        result[scheme] = {"train_mean": train.mean(axis=0),
                          "test_output": apply(a, None, keep_prob, training=False),
                          "sample_variance": train.var(axis=0),
                          "variance": dropout_variance(a, keep_prob, scheme)}
    return result


# ------------------------------------------------------------------ L2 penalty = weight decay


def weight_decay_step(learning_rate: float = 0.1, lam: float = 0.05, seed: int = 0) -> dict:
    """One SGD step on a linear unit whose kernel carries nnbook's ``L2(λ)`` = λ Σ w².

    §'Dropout and L2 regularization' (reconstructed): the penalty's gradient is 2λw, so
    w ← w − η(∂E/∂w + 2λw) = (1 − 2ηλ) w − η ∂E/∂w: before the data step every weight shrinks
    by (1 − 2ηλ) — weight decay. (Texts whose penalty is ½λ Σ w² get (1 − ηλ).) The model is
    a Dense(1) on 20 random examples with the squared loss E. Returns the weights before and
    after the library's step, the data gradient ∂E/∂w (from the same model without the
    penalty) and the prediction (1 − 2ηλ) w − η ∂E/∂w.
    """
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    models = {}
    for name, penalty in (("penalised", L2(lam)), ("plain", None)):
        model = Sequential([Dense(1, kernel_regularizer=penalty)], input_shape=(3,), rng=seed)
        model.compile(loss="mse", optimizer=SGD(learning_rate=learning_rate), metrics=())
        models[name] = model
    before = models["penalised"].layers[0].params["kernel"].value.copy()
    models["plain"].compute_gradients(X, y)
    data_gradient = models["plain"].layers[0].params["kernel"].grad.copy()
    models["penalised"].train_on_batch(X, y)
    after = models["penalised"].layers[0].params["kernel"].value.copy()
    factor = L2(lam).shrink_factor(learning_rate)
    return {"X": X, "y": y, "before": before, "after": after, "data_gradient": data_gradient,
            "shrink_factor": factor, "predicted": factor * before - learning_rate * data_gradient}


# ------------------------------------------------------------------ data augmentation


def augmentation_gallery(seed: int = 0, step: int = 4) -> dict:
    """The five transformations of §'Data augmentation' on scikit-learn's temple photograph
    (every ``step``-th pixel, values in [0, 1]), plus the arrow check.

    Returns {"original", "flip_left_right", "flip_up_down", "noise", "brighter", "saturated",
    "desaturated"} images (H, W, 3) and "arrows": {"right", "left", "right flipped left-right",
    "right flipped up-down"} (9, 9) images — the left-right flip of "→" is "←".
    """
    check_positive(step, "step", integer=True)
    photo = sample_photo("china.jpg")[::step, ::step] / 255.0
    rng = np.random.default_rng(seed)
    right = arrow_image("right")
    return {"original": photo, "flip_left_right": flip_left_right(photo),
            "flip_up_down": flip_up_down(photo), "noise": add_gaussian_noise(photo, rng, 0.08),
            "brighter": adjust_brightness(photo, 0.25), "saturated": adjust_saturation(photo, 2.0),
            "desaturated": adjust_saturation(photo, 0.3),
            "arrows": {"right": right, "left": arrow_image("left"),
                       "right flipped left-right": flip_left_right(right),
                       "right flipped up-down": flip_up_down(right)}}


# ------------------------------------------------------------------ early stopping


def early_stopping_demo(n_train: int = 100, epochs: int = 60, learning_rate: float = 0.5,
                        patiences=(0, 10), seed: int = 0) -> dict:
    """Early stopping on a real validation curve (§'Early stopping').

    A 64-64-10 ReLU/softmax net trained by SGD (batch 16) on only ``n_train`` digits overfits:
    training accuracy reaches 1 while the accuracy on the 359 held-out digits levels off and
    wobbles. First the whole run (``curves``: loss, accuracy, val_loss, val_accuracy per
    epoch), then the same run (same seeds, hence the same curve) under
    ``EarlyStopping(monitor="val_accuracy", patience=k, restore_best_weights=True)`` for each
    k in ``patiences``. The source says to stop as soon as validation accuracy stops rising —
    patience 0, which stops at the first epoch that does not beat the best so far; on a noisy
    curve that is often an early wobble, hence a patience window (not in the source chapter).
    Returns {"curves", "n_train", "runs": {k: {"stopped_epoch", "best_epoch",
    "best_val_accuracy", "restored_val_accuracy"}}}; epochs count from 1.
    """
    check_positive(n_train, "n_train", integer=True)
    data = load_digits(seed=0)
    X, Y = data.X_train[:n_train], one_hot(data.y_train[:n_train], 10)
    validation = (data.X_test, one_hot(data.y_test, 10))

    def train(early_stopping):
        model = Sequential([Dense(64, activation="relu"), Dense(10, activation="softmax")],
                           input_shape=(64,), rng=seed)
        model.compile(loss="categorical_crossentropy",
                      optimizer=SGD(learning_rate=learning_rate))
        history = model.fit(X, Y, epochs=epochs, batch_size=16, validation_data=validation,
                            early_stopping=early_stopping, progress=False, rng=seed)
        return model, history

    _, full = train(None)
    runs = {}
    for patience in patiences:
        model, history = train(EarlyStopping(patience=patience, monitor="val_accuracy",
                                             restore_best_weights=True))
        best = history.best_epoch
        runs[patience] = {"stopped_epoch": history.stopped_epoch, "best_epoch": best,
                          "best_val_accuracy": history.history["val_accuracy"][best - 1],
                          "restored_val_accuracy": model.evaluate(*validation)["accuracy"]}
    return {"curves": {k: np.array(v) for k, v in full.history.items()}, "n_train": n_train,
            "runs": runs}


# ------------------------------------------------------------------ batch normalisation


def deep_net(depth: int, width: int, activation: str, batch_norm: bool, seed: int,
             momentum: float = 0.99) -> Sequential:
    """``depth`` hidden layers of ``width`` units on the 64 digit pixels, a softmax over 10.

    With ``batch_norm`` each hidden layer is Dense → BatchNormalization → activation (the
    normalisation before the nonlinearity, as Ioffe & Szegedy place it); without, Dense with
    the activation. Glorot-uniform kernels, zero biases (Keras' defaults) in both.
    """
    layers = []
    for _ in range(depth):
        if batch_norm:
            layers += [Dense(width), BatchNormalization(momentum=momentum),
                       Activation(activation)]
        else:
            layers.append(Dense(width, activation=activation))
    layers.append(Dense(10, activation="softmax"))
    return Sequential(layers, input_shape=(64,), rng=seed)


def batchnorm_depth_demo(depth: int = 8, width: int = 32, activation: str = "sigmoid",
                         learning_rate: float = 0.5, epochs: int = 8, batch_size: int = 32,
                         seeds=(0,)) -> dict:
    """A deep sigmoid net stalls where the same net with batch normalisation trains
    (§'Batch normalization'; measured here, not in the source).

    Standardised 8×8 digits (1,438 training, 359 test images), ``depth`` = 8 sigmoid layers of
    32 units, SGD at η = 0.5, ``epochs`` epochs of batches of 32: the plain net stays at chance
    (about 10 % — the gradient reaching the lower layers is multiplied by σ′ ≤ ¼ per layer and
    vanishes), while the batch-normalised one reaches 93–95 % training and 85–93 % test accuracy
    (seeds 0–4). With tanh at η = 2 the plain net is unstable instead and ends at 13–22 %
    (seeds 0–2). Returns, per seed,
    {"plain": {...}, "batchnorm": {...}} with ``train_accuracy`` (per epoch, running over the
    epoch's batches), ``final_train_accuracy`` and ``test_accuracy`` (inference mode, running
    statistics).
    """
    data = load_digits(seed=0)
    X_train, X_test = standardize(data.X_train, data.X_test)
    Y_train = one_hot(data.y_train, 10)
    results = {}
    for seed in seeds:
        results[seed] = {}
        for name, batch_norm in (("plain", False), ("batchnorm", True)):
            model = deep_net(depth, width, activation, batch_norm, seed)
            model.compile(loss="categorical_crossentropy",
                          optimizer=SGD(learning_rate=learning_rate))
            history = model.fit(X_train, Y_train, epochs=epochs, batch_size=batch_size,
                                progress=False, rng=seed)
            accuracy = np.array(history.history["accuracy"])
            test = float(np.mean(model.predict(X_test).argmax(axis=1) == data.y_test))
            results[seed][name] = {"train_accuracy": accuracy,
                                   "final_train_accuracy": float(accuracy[-1]),
                                   "test_accuracy": test}
    return results
