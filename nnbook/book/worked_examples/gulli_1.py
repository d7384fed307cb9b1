"""Worked examples of Gulli & Pal, *Deep Learning with Keras*, ch. 1 (source ``gulli-1``),
recomputed by nnbook.

The chapter has no numbered sections: refs cite the section title ("§'Perceptron'") and, for
code, the book's listing (keras_MINST_V1 … V4, the publisher's file names). Source values are
typed in from the source; "(derived)" marks a value that follows from the text without being
printed (the book shows the parameter counts only in a lost screenshot, and the logits behind
its sigmoid outputs not at all). Every nnbook value is computed by the library: layers count
their parameters, initialisers draw, penalties evaluate, the hold-out splits, grid search
enumerates.

The MNIST accuracies of the book's six runs (five of them in the summary table) need the
book's data and hours of training: their rows say so and are left to ``nnbook experiments
gulli-1``. Numbers that are facts, not computations, have no row: the history and biology of
the opening (Rosenblatt 1958, 140 million neurons in V1, 3–5 layers then and 100–200 now),
MNIST's 60,000 / 10,000 images and the sweep figures, which survive only as claims.
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.book.demos.gulli_1 import (
    HIKER,
    hidden_parameter_count,
    hiker_paths,
    mlp_layers,
    neuron_response,
)
from nnbook.book.worked_examples.reproduction import Reproduction, bits, row
from nnbook.data import one_hot
from nnbook.functional.activations import (
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
)
from nnbook.keras.models import split_last
from nnbook.layers import Dense, Dropout
from nnbook.layers.initializers import get_initializer
from nnbook.layers.regularizers import l1, l1_l2, l2
from nnbook.models.sequential import Sequential
from nnbook.train.batches import iterations_per_epoch
from nnbook.train.grid_search import grid_search

SOURCE = "gulli-1"

_row = functools.partial(row, SOURCE)

#: The chapter's section titles (its headings, in the English of the original): the book has no
#: section numbers, so refs and the chapter's map cite these titles.
SECTIONS = (
    "Neural Networks Foundations", "Perceptron", "A first example of Keras code",
    "Multilayer perceptron — the first example of a network",
    "Problems in training the perceptron and their solutions", "Activation function — sigmoid",
    "Activation function — ReLU", "Activation functions",
    "A real example — recognizing handwritten digits", "One-hot encoding — OHE",
    "Defining a simple neural net in Keras",
    "Running a simple Keras net and establishing a baseline",
    "Improving the simple net in Keras with hidden layers",
    "Further improving the simple net in Keras with dropout",
    "Testing different optimizers in Keras", "Increasing the number of epochs",
    "Controlling the optimizer learning rate", "Increasing the number of internal hidden neurons",
    "Increasing the size of batch computation",
    "Summarizing the experiments run for recognizing handwritten digits",
    "Adopting regularization for avoiding overfitting", "Hyperparameter tuning",
    "Predicting output", "A practical overview of backpropagation",
    "Towards a deep learning approach", "Summary",
)

_BASELINE = "§'Running a simple Keras net and establishing a baseline'"
_HIDDEN = "§'Improving the simple net in Keras with hidden layers'"
_DROPOUT = "§'Further improving the simple net in Keras with dropout'"
_OPTIMIZERS = "§'Testing different optimizers in Keras'"
_SUMMARY = "§'Summarizing the experiments run for recognizing handwritten digits'"

#: The book's MNIST runs (train / validation / test accuracy in %, epochs), typed in, with the
#: section that reports each; all but the 20-epoch dropout run are also rows of the summary
#: table. V1's validation accuracy is 92.27 in the text and 92.37 in the table; the long
#: dropout run has 250 epochs in the text and "200" in the table.
RESULTS = {
    "simple (V1), SGD": {"train": 92.36, "validation": 92.27, "test": 92.22, "epochs": 200,
                         "ref": _BASELINE, "table": "validation 92.37 in the summary table"},
    "two hidden (128) (V2), SGD": {"train": 94.50, "validation": 94.63, "test": 94.41,
                                   "epochs": 20, "ref": _HIDDEN},
    "dropout 0.3 (V3), SGD, short run": {"train": 91.54, "validation": 94.48, "test": 94.25,
                                         "epochs": 20, "ref": _DROPOUT},
    "dropout 0.3 (V3), SGD, long run": {"train": 98.10, "validation": 97.73, "test": 97.70,
                                        "epochs": 250, "ref": _DROPOUT,
                                        "table": "200 epochs in the summary table"},
    "dropout 0.3, RMSprop (V4)": {"train": 97.97, "validation": 97.59, "test": 97.84,
                                  "epochs": 20, "ref": _OPTIMIZERS},
    "dropout 0.3, Adam (V4)": {"train": 98.28, "validation": 98.03, "test": 97.93,
                               "epochs": 20, "ref": _OPTIMIZERS},
}


def keras_code_rows(*, seed: int = 0) -> list[Reproduction]:
    """§'A first example of Keras code': Dense(12, input_dim=8) and the three initialisers."""
    rng = np.random.default_rng(seed)
    first = Sequential([Dense(12, kernel_initializer="random_uniform")], input_shape=(8,),
                       rng=rng)
    ref = "§'A first example of Keras code'"
    uniform = get_initializer("random_uniform")((500, 400), rng)
    normal = get_initializer("random_normal")((500, 400), rng)
    zero = get_initializer("zero")((8, 12), rng)
    kernel = first.layers[0].params["kernel"].value
    return [
        _row(ref + " (derived: 8·12 + 12)", "parameters of Dense(12, input_dim=8)", 108,
             first.n_params),
        _row(ref, "Dense(12, input_dim=8, kernel_initializer='random_uniform'): every initial "
             "weight inside (−0.05, 0.05)", True, bool(np.all(np.abs(kernel) < 0.05))),
        _row(ref, "random_uniform: smallest and largest of 200,000 draws (2 decimals)",
             "-0.05 0.05", f"{round(float(uniform.min()), 2):g} "
                           f"{round(float(uniform.max()), 2):g}"),
        _row(ref, "random_normal: mean and standard deviation of 200,000 draws (3 decimals)",
             "0 0.05", f"{abs(round(float(normal.mean()), 3)):g} "
                       f"{round(float(normal.std()), 3):g}"),
        _row(ref, "zero: every initial weight is 0", True, bool(np.all(zero == 0))),
    ]


def activation_rows() -> list[Reproduction]:
    """§'Perceptron' to §'Activation functions', and the derivatives of §'Testing different
    optimizers in Keras'."""
    from nnbook.symbolic.activations import sigmoid_limits

    sigmoid_ref = "§'Activation function — sigmoid'"
    upper, lower, _ = sigmoid_limits()
    small = neuron_response(np.array([-1e-6, 0.0, 1e-6]))
    return [
        _row(sigmoid_ref + " (logit derived: ln(p/(1 − p)) = 0.21644)",
             "sigmoid output σ(0.21644), 4 decimals", 0.5539, float(sigmoid(0.21644)), digits=4),
        _row(sigmoid_ref + " (logit derived: −1.96255)", "sigmoid output σ(−1.96255), "
             "6 decimals", 0.123191, float(sigmoid(-1.96255)), digits=6),
        _row(sigmoid_ref + " (formulas reconstructed)", "lim σ(z) for z → +∞ and z → −∞ "
             "(sympy)", "1 0", f"{upper} {lower}"),
        _row("§'Activation function — ReLU'", "ReLU(−2), ReLU(3)", "0 3",
             f"{float(relu(-2.0)):g} {float(relu(3.0)):g}"),
        _row("§'Problems in training the perceptron and their solutions'",
             "slope ∂output/∂w of the one-pixel step neuron, and of the sigmoid neuron (> 0)",
             "0 True", f"{small['step_slope'][1]:g} {bool(small['sigmoid_slope'][1] > 0)}"),
        _row(_OPTIMIZERS + " (derived from σ′ = σ(1 − σ))", "largest slope of the sigmoid, "
             "σ′(0)", 0.25, float(sigmoid_prime(0.0)), abs_=1e-15),
        _row(_OPTIMIZERS + " (formula reconstructed)", "ReLU′(x) for x = 2 and x = −2", "1 0",
             f"{float(relu_prime(2.0)):g} {float(relu_prime(-2.0)):g}"),
    ]


def data_rows() -> list[Reproduction]:
    """§'One-hot encoding — OHE' and §'Defining a simple neural net in Keras'."""
    pixels = np.arange(256, dtype=np.uint8).astype("float32") / 255
    z = np.random.default_rng(1).normal(0, 5, size=(100, 10))
    probabilities = softmax(z, axis=1)
    define = "§'Defining a simple neural net in Keras'"
    return [
        _row("§'One-hot encoding — OHE'", "one-hot code of the digit 3 (10 positions)",
             "0001000000", bits(one_hot(3, 10))),
        _row(define, "input neurons for a 28 × 28 image (one per pixel)", 784,
             Sequential(mlp_layers("simple"), input_shape=(28 * 28,)).input_shape[0]),
        _row(define, "pixels 0 … 255 divided by 255 (float32): smallest and largest", "0 1",
             f"{pixels.min():g} {pixels.max():g}"),
        _row(define + " (derived: the source omits it)", "softmax outputs lie in (0, 1) and "
             "each row sums to 1 (100 random 10-vectors)", True,
             bool(np.all((probabilities > 0) & (probabilities < 1))
                  and np.allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12))),
    ]


def network_rows() -> list[Reproduction]:
    """Parameter counts of V1 and V2/V3, the 48,000/12,000 split, updates per epoch."""
    counts = {variant: Sequential(mlp_layers(variant), input_shape=(784,)).n_params
              for variant in ("simple", "hidden", "dropout")}
    v2 = Sequential(mlp_layers("hidden"), input_shape=(784,))
    per_layer = " ".join(f"{layer.n_params:,}" for layer in v2.layers if layer.n_params)
    _, _, X_val, _ = split_last(np.arange(60_000), np.arange(60_000), 0.2)
    n_train = 60_000 - len(X_val)
    updates = iterations_per_epoch(n_train, 128)
    return [
        _row(_BASELINE + " (derived: 784·10 + 10; the summary screenshot is lost)",
             "parameters of V1 (listing keras_MINST_V1)", 7_850, counts["simple"]),
        _row(_HIDDEN + " (derived; screenshot lost)", "parameters of V2 (listing keras_MINST_V2)",
             118_282, counts["hidden"]),
        _row(_DROPOUT + " (derived; dropout adds none)", "parameters of V3 (listing "
             "keras_MINST_V3)", 118_282, counts["dropout"]),
        _row(_HIDDEN + " (derived)", "parameters per Dense layer of V2", "100,480 16,512 1,290",
             per_layer),
        _row("§'Increasing the number of internal hidden neurons' (derived)",
             "n² + 796n + 10 parameters with n = 128 hidden units per layer", 118_282,
             hidden_parameter_count(128)),
        _row(_BASELINE, "training / validation examples of validation_split=0.2 on 60,000 "
             "(the last 20 % held out, as Keras does)", "48,000 12,000",
             f"{n_train:,} {len(X_val):,}"),
        _row(_BASELINE + " (derived)", "mini-batch updates per epoch, 48,000 examples, "
             "BATCH_SIZE = 128", 375, updates),
        _row("§'Increasing the number of epochs'", "compute of 200 epochs over 20 (updates, ×)",
             10, iterations_per_epoch(n_train, 128) * 200 // (updates * 20)),
    ]


def training_rows(*, seed: int = 0) -> list[Reproduction]:
    """Dropout, the hiker's learning rates, penalties, grid search, prediction."""
    rng = np.random.default_rng(seed)
    dropout = Dropout(0.3, rng=rng)
    ones = np.ones((1000, 1000))
    dropped = float(np.mean(dropout.forward(ones, training=True) == 0))
    paths = hiker_paths()
    distance = {label: abs(path[-1] - HIKER["w_min"]) for label, path in paths.items()}
    start = abs(HIKER["w0"] - HIKER["w_min"])
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    grid = {"n_hidden": [32, 64, 128], "batch_size": [32, 64, 128, 256], "epochs": [10, 20]}
    points = grid_search(lambda **params: 0.0, grid, progress=False)
    model = Sequential(mlp_layers("simple"), input_shape=(784,), rng=rng)
    predictions = model.predict(rng.random((50, 784)))
    regularize = "§'Adopting regularization for avoiding overfitting'"
    return [
        _row(_DROPOUT, "share of units Dropout(0.3) drops in training (10⁶ units, 2 decimals)",
             0.3, round(dropped, 2)),
        _row(_DROPOUT, "Dropout(0.3) at test time: nothing is dropped (output = input)", True,
             bool(np.array_equal(dropout.forward(ones, training=False), ones))),
        _row(_OPTIMIZERS + " (derived, C = (w − 2)² + 1)", "η too small moves slowly: "
             f"distance to the valley after {HIKER['steps']} steps with η = "
             f"{HIKER['etas']['too small']} is over 40 % of the start's, with η = "
             f"{HIKER['etas']['good']} under 1 %", True,
             bool(distance["too small"] > 0.4 * start and distance["good"] < 0.01 * start)),
        _row(_OPTIMIZERS + " (derived)", f"η too large misses the valley: with η = "
             f"{HIKER['etas']['too large']} the hiker ends farther from it than it started",
             True, bool(distance["too large"] > start)),
        _row(regularize + " (the Keras example)", "l2(0.01) on the kernel [[1, 2], [3, 4]] "
             "(0.01 · 30)", 0.3, l2(0.01)(W), rel=1e-12),
        _row(regularize + " (derived)", "l1(0.01) on the same kernel (0.01 · 10)", 0.1,
             l1(0.01)(W), rel=1e-12),
        _row(regularize + " (derived)", "elastic net l1_l2(0.01, 0.01) on it (0.1 + 0.3)", 0.4,
             l1_l2(0.01, 0.01)(W), rel=1e-12),
        _row("§'Hyperparameter tuning' (derived)", "grid points for 3 hidden sizes × 4 batch "
             "sizes × 2 epoch counts (∏ of the bucket sizes)", 24, len(points)),
        _row("§'Predicting output'", "every row of V1's predict() is a probability vector over "
             "the 10 digits (entries in (0, 1), sum 1)", True,
             bool(predictions.shape == (50, 10) and np.all(predictions > 0)
                  and np.allclose(predictions.sum(axis=1), 1.0))),
    ]


def result_rows() -> list[Reproduction]:
    """The summary table: the arithmetic the text does on it, and R1–R6 themselves (left to
    ``nnbook experiments gulli-1``)."""
    v1, v2 = RESULTS["simple (V1), SGD"], RESULTS["two hidden (128) (V2), SGD"]
    adam = RESULTS["dropout 0.3, Adam (V4)"]
    rows = [
        _row(_HIDDEN, "V2's test accuracy over V1's, in points (94.41 − 92.22)", 2.2,
             round(v2["test"] - v1["test"], 1)),
        _row(_BASELINE, "'fewer than one in ten' digits wrong: test errors per ten digits at "
             "92.22 %", True, bool((100 - v1["test"]) / 10 < 1)),
        _row(_SUMMARY + " (derived: the text's 'from 92.36 % to 97.93 %' starts from V1's "
             "training accuracy)", "test-to-test improvement V1 → Adam, in points", 5.71,
             round(adam["test"] - v1["test"], 2)),
    ]
    for name, result in RESULTS.items():
        table = f" ({result['table']})" if "table" in result else ""
        rows.append(_row(result["ref"] + table, f"MNIST, {name}, {result['epochs']} epochs: "
                         "train / validation / test accuracy (%)",
                         f"{result['train']:.2f} / {result['validation']:.2f} / "
                         f"{result['test']:.2f}", None, match=None,
                         note="needs MNIST and the full runs: nnbook experiments gulli-1"))
    return rows


def rows() -> list[Reproduction]:
    """All chapter-3 reproduction rows (no data files, no training; about a second)."""
    return (keras_code_rows() + activation_rows() + data_rows() + network_rows()
            + training_rows() + result_rows())
