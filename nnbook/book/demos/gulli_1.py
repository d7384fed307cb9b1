"""Chapter 3's demos (Gulli & Pal, *Deep Learning with Keras*, ch. 1): the code the chapter runs
and the tour reruns.

Chapter-specific glue on top of the library: the one-input neuron of the cat example (step
against sigmoid), the 1-D "hiker" of 'Testing different optimizers in Keras', the book's three
MNIST networks as nnbook layers, the dropout run whose training accuracy sits below its test
accuracy, the optimiser comparison, an overfitting run with and without a penalty, and the
pixel-permutation demo of 'Towards a deep learning approach'. The book trains on MNIST (48,000
images, 7,500 updates in 20 epochs); these demos use the offline 8×8 digits (1,438 training
images) and say what they change.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sigmoid, step
from nnbook.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from nnbook.models.sequential import Sequential
from nnbook.optim import get_optimizer
from nnbook.optim.gradient_descent import gradient_descent
from nnbook.train.history import History
from nnbook.validation import as_float_array, check_positive

# ------------------------------------------------------------------ the cat example: small changes

#: One neuron looking at one pixel (§'Problems in training the perceptron and their solutions'):
#: input x, weight w and bias b chosen so that z = wx + b = 0.1 sits just above the step.
NEURON = {"x": 0.8, "w": 1.0, "b": -0.7}


def neuron_response(delta_w, *, x: float = NEURON["x"], w: float = NEURON["w"],
                    b: float = NEURON["b"]) -> dict:
    """Output of the one-input neuron at weight w + Δw, as a step (perceptron) and as a sigmoid.

    delta_w (k,). Returns arrays over Δw: ``step`` (0/1, jumps where (w + Δw)x + b crosses 0),
    ``sigmoid`` (moves a little for a little Δw), their changes from Δw = 0 (``step_change``,
    ``sigmoid_change``), and the slopes ∂output/∂w: the step's is 0 wherever it is defined, the
    sigmoid's is σ′(z)·x = σ(z)(1 − σ(z))·x.
    """
    delta_w = as_float_array(delta_w, "delta_w", ndim=1)
    z = (w + delta_w) * x + b
    z0 = w * x + b
    s = sigmoid(z)
    return {"delta_w": delta_w, "z": z, "step": step(z), "sigmoid": s,
            "step_change": step(z) - step(z0), "sigmoid_change": s - sigmoid(z0),
            "step_slope": np.zeros_like(z), "sigmoid_slope": s * (1.0 - s) * x}


# ------------------------------------------------------------------ the hiker: 1-D gradient descent

#: The hiker's valley C(w) = (w − 2)² + 1 (C_min = 1 at w = 2), the start w₀ and three leg
#: lengths η: too small, good, too large (C″ = 2, so every η > 1 overshoots more each step).
HIKER = {"w0": -1.0, "w_min": 2.0, "c_min": 1.0, "steps": 12,
         "etas": {"too small": 0.03, "good": 0.3, "too large": 1.05}}


def hiker_cost(w):
    """C(w) = (w − 2)² + 1, the valley of the hiker."""
    return (np.asarray(w, dtype=float) - HIKER["w_min"]) ** 2 + HIKER["c_min"]


def hiker_slope(w):
    """∂C/∂w = 2(w − 2): the uphill direction at w; the hiker steps against it."""
    return 2.0 * (np.asarray(w, dtype=float) - HIKER["w_min"])


def hiker_paths(etas=None, *, w0: float | None = None, steps: int | None = None) -> dict:
    """{label: path (steps + 1,)} of w_{r+1} = w_r − η ∂C/∂w(w_r) for each η of ``etas``
    ({label: η}, default :data:`HIKER`'s three), through ``optim.gradient_descent``."""
    etas = HIKER["etas"] if etas is None else dict(etas)
    w0 = HIKER["w0"] if w0 is None else w0
    steps = HIKER["steps"] if steps is None else steps
    return {label: gradient_descent(hiker_slope, np.float64(w0), eta, steps)
            for label, eta in etas.items()}


# ------------------------------------------------------------------ the book's networks

def mlp_layers(variant: str, *, n_hidden: int = 128, n_layers: int = 2, dropout: float = 0.3,
               n_classes: int = 10) -> list:
    """The book's MNIST networks as nnbook layers (listings keras_MINST_V1 … V3).

    ``"simple"`` (V1): Dense(10) + softmax. ``"hidden"`` (V2): ``n_layers`` × [Dense(n_hidden),
    ReLU] then Dense(10) + softmax. ``"dropout"`` (V3, also the RMSprop and Adam runs): V2 with
    Dropout(``dropout``) after each ReLU. On 784 inputs V1 has 7,850 parameters, V2/V3 118,282.
    """
    if variant not in ("simple", "hidden", "dropout"):
        raise ValueError(f"variant: expected 'simple', 'hidden' or 'dropout', found {variant!r}")
    layers = []
    if variant != "simple":
        check_positive(n_hidden, "n_hidden", integer=True)
        check_positive(n_layers, "n_layers", integer=True)
        for _ in range(n_layers):
            layers += [Dense(n_hidden), Activation("relu")]
            if variant == "dropout":
                layers.append(Dropout(dropout))
    return layers + [Dense(n_classes), Activation("softmax")]


def hidden_parameter_count(n_hidden: int, n_inputs: int = 784, n_classes: int = 10) -> int:
    """Parameters of V2/V3 with ``n_hidden`` units per hidden layer, written out:
    (784n + n) + (n² + n) + (10n + 10) = n² + 796n + 10 on MNIST."""
    n = check_positive(n_hidden, "n_hidden", integer=True)
    return (n_inputs * n + n) + (n * n + n) + (n * n_classes + n_classes)


def digits_parts(digits=None):
    """The 8×8 digits split as Keras' ``validation_split=0.2`` does (the last 20 % validate):
    ((X_tr, Y_tr), (X_val, Y_val), (X_test, Y_test))."""
    from nnbook.data import load_digits, one_hot
    from nnbook.keras.models import split_last

    digits = load_digits() if digits is None else digits
    X_tr, Y_tr, X_val, Y_val = split_last(digits.X_train, one_hot(digits.y_train, 10), 0.2)
    return (X_tr, Y_tr), (X_val, Y_val), (digits.X_test, one_hot(digits.y_test, 10))


def train_tracked(model, train, validation, *, epochs: int, batch_size: int, rng) -> History:
    """Fit ``model`` one epoch at a time and record, besides Keras' running ``loss`` and
    ``accuracy`` (training mode, dropout active, averaged while the weights move) and the
    ``val_`` values, the training set re-evaluated in inference mode after each epoch
    (``train_loss``, ``train_accuracy``): the number the running average is mistaken for."""
    rng = np.random.default_rng(rng)
    history = History()
    for epoch in range(1, epochs + 1):
        run = model.fit(*train, epochs=1, batch_size=batch_size, validation_data=validation,
                        progress=False, rng=rng)
        record = run.last()
        record.update({f"train_{k}": v for k, v in model.evaluate(*train).items()})
        history.append(epoch, record)
    return history


def dropout_gap(*, optimizer="sgd", epochs: int = 20, batch_size: int = 32, rate: float = 0.3,
                digits=None, seed: int = 0) -> dict:
    """V3 (dropout ``rate`` after each ReLU) on the 8×8 digits with the book's SGD();
    returns ``history`` (see :func:`train_tracked`), ``model`` and ``test_accuracy``.

    With dropout, the running training accuracy of the last epoch sits *below* the validation
    and test accuracy (the book's 20-epoch dropout run: 91.54 % train, 94.25 % test), while the
    same training set evaluated without dropout is above them.
    """
    train, validation, test = digits_parts(digits)
    model = Sequential(mlp_layers("dropout", dropout=rate), input_shape=(train[0].shape[1],),
                       rng=seed)
    model.compile("categorical_crossentropy", get_optimizer(optimizer))
    history = train_tracked(model, train, validation, epochs=epochs, batch_size=batch_size,
                            rng=seed + 1)
    return {"history": history, "model": model,
            "test_accuracy": model.evaluate(*test)["accuracy"]}


def compare_optimizers(names=("sgd", "rmsprop", "adam"), *, epochs: int = 20,
                       batch_size: int = 32, digits=None, seed: int = 0) -> dict:
    """V3 trained with each optimiser at its Keras defaults (the book's SGD → RMSprop → Adam
    runs) from the same initial weights; {name: {"history", "test_accuracy"}}."""
    train, validation, test = digits_parts(digits)
    results = {}
    for name in names:
        model = Sequential(mlp_layers("dropout"), input_shape=(train[0].shape[1],), rng=seed)
        model.compile("categorical_crossentropy", get_optimizer(name))
        history = model.fit(*train, epochs=epochs, batch_size=batch_size,
                            validation_data=validation, progress=False, rng=seed + 1)
        results[name] = {"history": history, "test_accuracy": model.evaluate(*test)["accuracy"]}
    return results


def overfitting_run(kernel_regularizer=None, *, n_train: int = 100, n_val: int = 400,
                    epochs: int = 50, digits=None, seed: int = 0) -> dict:
    """A 64-256-256-10 ReLU network (85,002 parameters) on only ``n_train`` digits, SGD(0.1,
    momentum 0.9), batches of 10: the training loss falls to ~0 while the validation loss (the
    next ``n_val`` digits) turns up after some 20 epochs — overfitting (§'Adopting
    regularization for avoiding overfitting'). ``kernel_regularizer`` (e.g. ``l2(1e-3)``) goes
    on every Dense kernel. Returns ``history`` (losses include the penalty, as Keras reports
    them) and ``model``."""
    from nnbook.data import load_digits, one_hot
    from nnbook.optim import SGD

    digits = load_digits() if digits is None else digits
    check_positive(n_train, "n_train", integer=True)
    check_positive(n_val, "n_val", integer=True)
    X, Y = digits.X_train, one_hot(digits.y_train, 10)
    if n_train + n_val > len(X):
        raise ValueError(f"n_train + n_val: expected at most {len(X)} digits, found "
                         f"{n_train} + {n_val}")
    layers = [Dense(256, activation="relu", kernel_regularizer=kernel_regularizer),
              Dense(256, activation="relu", kernel_regularizer=kernel_regularizer),
              Dense(10, activation="softmax", kernel_regularizer=kernel_regularizer)]
    model = Sequential(layers, input_shape=(X.shape[1],), rng=seed)
    model.compile("categorical_crossentropy", SGD(0.1, momentum=0.9))
    validation = (X[n_train:n_train + n_val], Y[n_train:n_train + n_val])
    history = model.fit(X[:n_train], Y[:n_train], epochs=epochs, batch_size=10,
                        validation_data=validation, progress=False, rng=seed + 1)
    return {"history": history, "model": model}


# ------------------------------------------------------------------ spatial locality

def permute_pixels(X, permutation):
    """The images X (n, d) with their pixels reordered by one fixed ``permutation`` of 0 … d−1."""
    X = as_float_array(X, "X", ndim=2)
    permutation = np.asarray(permutation)
    if sorted(permutation.tolist()) != list(range(X.shape[1])):
        raise ValueError(f"permutation: expected a reordering of 0 … {X.shape[1] - 1}, found "
                         f"{permutation!r}")
    return X[:, permutation]


def dense_on_permuted_pixels(*, epochs: int = 15, digits=None, seed: int = 0) -> dict:
    """A 64-128-10 dense network trained on the digits, and its twin trained on the same digits
    with the pixels shuffled by one fixed permutation P (the twin's first kernel starts with its
    rows permuted the same way; everything else — batches, steps — is identical).

    Returns ``permutation``, ``accuracy`` and ``permuted_accuracy`` (test), and
    ``largest_difference`` between the two networks' test outputs: a dense layer sums w_j x_j
    over j in any order, so the twin computes the same function, up to rounding.
    """
    from nnbook.data import load_digits, one_hot
    from nnbook.optim import Adam

    digits = load_digits() if digits is None else digits
    permutation = np.random.default_rng(seed + 7).permutation(digits.n_features)
    Y = one_hot(digits.y_train, 10)
    Y_test = one_hot(digits.y_test, 10)
    models = []
    for P in (None, permutation):
        model = Sequential([Dense(128, activation="relu"), Dense(10, activation="softmax")],
                           input_shape=(digits.n_features,), rng=seed)
        model.compile("categorical_crossentropy", Adam())
        X = digits.X_train
        if P is not None:
            weights = model.get_weights()
            weights[0]["kernel"] = weights[0]["kernel"][P]
            model.set_weights(weights)
            X = permute_pixels(X, P)
        model.fit(X, Y, epochs=epochs, batch_size=32, progress=False, rng=seed + 1)
        models.append(model)
    X_test_p = permute_pixels(digits.X_test, permutation)
    out, out_p = models[0].predict(digits.X_test), models[1].predict(X_test_p)
    return {"permutation": permutation,
            "accuracy": models[0].evaluate(digits.X_test, Y_test)["accuracy"],
            "permuted_accuracy": models[1].evaluate(X_test_p, Y_test)["accuracy"],
            "largest_difference": float(np.max(np.abs(out - out_p)))}


def conv_on_permuted_pixels(*, epochs: int = 15, seeds=(0, 1, 2), digits=None) -> dict:
    """A small CNN (3×3 convolution, 8 filters → 2×2 max pool → 32 → 10) on the 8×8 digits as
    images and on the same digits with their pixels permuted; mean test accuracy over ``seeds``.

    Convolution looks at 3×3 neighbourhoods, so shuffling the pixels destroys what it uses:
    {"accuracy": …, "permuted_accuracy": …, "per_seed": [(plain, permuted), …]}.
    """
    from nnbook.data import load_digits, one_hot
    from nnbook.optim import Adam

    digits = load_digits() if digits is None else digits
    shape = (1, *digits.image_shape)
    Y, Y_test = one_hot(digits.y_train, 10), one_hot(digits.y_test, 10)
    per_seed = []
    for seed in seeds:
        permutation = np.random.default_rng(seed + 7).permutation(digits.n_features)
        scores = []
        for P in (np.arange(digits.n_features), permutation):
            model = Sequential([Conv2D(8, 3, activation="relu"), MaxPool2D(2), Flatten(),
                                Dense(32, activation="relu"), Dense(10, activation="softmax")],
                               input_shape=shape, rng=seed)
            model.compile("categorical_crossentropy", Adam(0.003))
            model.fit(permute_pixels(digits.X_train, P).reshape(-1, *shape), Y, epochs=epochs,
                      batch_size=32, progress=False, rng=seed + 1)
            X_test = permute_pixels(digits.X_test, P).reshape(-1, *shape)
            scores.append(model.evaluate(X_test, Y_test)["accuracy"])
        per_seed.append(tuple(scores))
    plain, permuted = np.mean(per_seed, axis=0)
    return {"accuracy": float(plain), "permuted_accuracy": float(permuted), "per_seed": per_seed}


# ------------------------------------------------------------------ derivations

def derivations():
    """Every step-by-step derivation the chapter prints (and the tests verify): σ′ = σ(1 − σ),
    the formula of 'Testing different optimizers in Keras' (its image is lost)."""
    from nnbook.symbolic import activations

    return [activations.sigmoid_derivative(
        title="Derivative of the sigmoid",
        source_ref="Gulli & Pal ch. 1, 'Testing different optimizers in Keras' "
                   "(formula reconstructed)")]
