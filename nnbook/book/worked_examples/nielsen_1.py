"""Worked examples of Nielsen ch. 1 (source ``nielsen-1``), recomputed.

Source values are typed in from the book (values that follow from the text without being printed
are marked "derived"). The neuron counts of the visual cortex (§1 p.1) and the book's Python
version (preface) are facts about the world, not computations, so they have no row.
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.book.demos.nielsen_1 import (
    bits_needed,
)
from nnbook.book.worked_examples.reproduction import Reproduction, bits, row
from nnbook.functional.activations import sigmoid, sigmoid_prime
from nnbook.models.logic_gates import half_adder, nand_perceptron, truth_table
from nnbook.models.network import Network, binary_decision, count_parameters
from nnbook.models.perceptron import Perceptron, festival_perceptron
from nnbook.optim.gradient_descent import (
    gradient_descent,
    linear_change_estimate,
    second_partial_counts,
    valley,
    valley_gradient,
)

SOURCE = "nielsen-1"


_row = functools.partial(row, SOURCE)


def perceptron_rows() -> list[Reproduction]:
    rows = []
    # the cheese festival. The source states the rule; the 8-row table is spelled out from it.
    inputs = truth_table(lambda *x: 0, 3)[0]
    for threshold, rule, description in (
            (5, inputs[:, 0], "output = x1 (weather alone)"),
            (3, inputs[:, 0] | (inputs[:, 1] & inputs[:, 2]), "output = x1 ∨ (x2 ∧ x3)")):
        table = truth_table(lambda *x: festival_perceptron(threshold).output(x), 3)[1]
        rows.append(_row(f"§1.1 p.3, w = (6, 2, 2), threshold {threshold}",
                         f"decisions for inputs 000…111 [{description}]",
                         bits(rule), bits(table)))
    # NAND with weights (−2, −2) and bias 3.
    nand = nand_perceptron()
    for x, z_book, out_book in (((0, 0), 3, 1), ((1, 1), -1, 0)):
        rows.append(_row(f"§1.1 p.4, input {x[0]}{x[1]}", "NAND perceptron w·x + b",
                         z_book, float(nand.weighted_input(x))))
        rows.append(_row(f"§1.1 p.4, input {x[0]}{x[1]}", "NAND perceptron output",
                         out_book, nand.output(x)))
    rows.append(_row("§1.1 p.4 (derived)", "NAND truth table for 00, 01, 10, 11",
                     "1110", bits(truth_table(lambda a, b: nand.output((a, b)), 2)[1])))
    # the half adder, with the double edge and with the merged −4 edge.
    for merged in (False, True):
        table = truth_table(lambda a, b: half_adder(a, b, merged=merged), 2)[1]
        rows.append(_row(f"§1.1 p.4–5{', merged −4 edge' if merged else ''}",
                         "half adder (sum, carry) for 00, 01, 10, 11",
                         "00 10 10 01", " ".join(bits(r) for r in table)))
    # a perceptron with no inputs is a constant.
    for bias, book in ((0.5, 1), (0.0, 0), (-1.0, 0)):
        rows.append(_row("§1.1 p.5", f"no-input perceptron output, b = {bias:g}", book,
                         Perceptron(np.zeros(0), bias).output(np.zeros(0))))
    return rows


def sigmoid_rows() -> list[Reproduction]:
    rows = [
        # the book's sample sigmoid outputs 0.173… and 0.689… are reachable (logits derived).
        _row("§1.2 p.7", "σ(−1.565), a sigmoid output the book quotes", 0.173,
             float(sigmoid(-1.565)), digits=3),
        _row("§1.2 p.9", "σ(0.795), a sigmoid output the book quotes", 0.689,
             float(sigmoid(0.795)), digits=3),
    ]
    # values of the plotted curves on z ∈ [−4, 4] (derived from eq. (3)).
    for z, book in ((-4.0, 0.017986), (0.0, 0.5), (4.0, 0.982014)):
        rows.append(_row("§1.2 p.8 (derived)", f"σ({z:g})", book, float(sigmoid(z)), digits=6))
    rows.append(_row("§1.2 p.8 (derived)", "σ'(0)", 0.25, float(sigmoid_prime(0.0)), digits=6))
    # the 0.5 decision rule.
    rows.append(_row("§1.2 p.9", "output 0.5 read as 'is a 9' (≥ 0.5 rule)", True,
                     bool(binary_decision(0.5))))
    rows.append(_row("§1.2 p.9", "output 0.49 read as 'is a 9'", False,
                     bool(binary_decision(0.49))))
    return rows


def architecture_rows() -> list[Reproduction]:
    output_six = np.eye(10)[6]
    return [
        _row("§1.3 p.10", "input neurons for a 64×64 image", 4096, 64 * 64),
        _row("§1.4 p.12", "input neurons for a 28×28 MNIST image", 784, 28 * 28),
        _row("§1.4 p.12 (derived)", "weights + biases of the 784-15-10 network", 11935,
             count_parameters((784, 15, 10))),
        _row("§1.4 p.12", "digit read when output neuron 6 fires", 6,
             int(np.argmax(output_six))),
        _row("§1.4 p.12", "binary output neurons needed for 10 digits (2⁴ = 16 > 10)", 4,
             bits_needed(10)),
    ]


def gradient_descent_rows() -> list[Reproduction]:
    rows = [_row("§1.5 p.16", "largest C on the valley plot over [−1, 1]²", 2.0,
                 float(valley(np.array([1.0, -1.0]))))]
    v = np.array([0.8, -0.6])
    for eta, exact_book, linear_book in ((0.01, -0.0396, -0.04), (1.1, 0.44, -4.4)):
        path = gradient_descent(valley_gradient, v, eta, 1)
        change = float(valley(path[1]) - valley(path[0]))
        linear = linear_change_estimate(valley_gradient(v), path[1] - path[0])
        rows.append(_row(f"§1.5 p.17–18 (eqs. 9–11, derived), η = {eta:g}",
                         "exact ΔC of one step from v = (0.8, −0.6)", exact_book, change,
                         abs_=1e-12))
        rows.append(_row(f"§1.5 p.17–18 (eq. 9, derived), η = {eta:g}",
                         "first-order estimate −η‖∇C‖²", linear_book, linear, abs_=1e-12))
    all_partials, distinct = second_partial_counts(10 ** 6)
    rows.append(_row("§1.5 p.18", "second partials for 10⁶ variables", 10 ** 12,
                     all_partials))
    rows.append(_row("§1.5 p.19 fn. 4", "distinct second partials (symmetry)",
                     500_000_500_000, distinct))
    return rows


def digit_network_rows(dataset=None, *, epochs: int = 30, seed: int = 0) -> list[Reproduction]:
    """The digit network of §1.6 (past the file's cut) on the offline digits stand-in."""
    from nnbook.data import load_digits

    data = dataset if dataset is not None else load_digits()
    rng = np.random.default_rng(seed)
    net = Network((data.X_train.shape[1], 30, 10), rng=rng)
    history = net.sgd(data.X_train, data.y_train, epochs=epochs, batch_size=10, eta=3.0,
                      rng=rng, test=(data.X_test, data.y_test), progress=False)
    accuracy = history.history["test_accuracy"][-1]
    return [_row("§1 p.2 (network of §1.6, beyond the file's cut)",
                 f"test accuracy of the {net.sizes[0]}-30-10 net, η = 3.0, mini-batch 10, "
                 f"{epochs} epochs, on {data.name}", "> 0.96 (on MNIST)", round(accuracy, 4),
                 match=None,
                 note="not comparable: the book's figure is for 60,000 28×28 MNIST images; "
                      "this run uses the offline 8×8 digits stand-in (nnbook's own target "
                      "there: ≥ 0.93)")]


def mnist_rows() -> list[Reproduction]:
    """The MNIST rows (§1 p.1, §1.5 p.14) need MNIST-format files; without them the rows say so
    (match None)."""
    from nnbook.data import cache_dir, fashion_mnist_dir, load_mnist_files

    rows = []
    mnist_dir = cache_dir() / "mnist"
    if (mnist_dir / "train-labels-idx1-ubyte.gz").is_file() or \
            (mnist_dir / "train-labels-idx1-ubyte").is_file():
        labels = load_mnist_files(mnist_dir).y_train[:6]
        rows.append(_row("§1 p.1", "labels of MNIST's first six training images",
                         "504192", bits(labels)))
    else:
        rows.append(_row("§1 p.1", "labels of MNIST's first six training images", "504192",
                         None, None, note="MNIST not in the cache (nnbook data download-mnist)"))
    directory = fashion_mnist_dir() or (mnist_dir if rows[0].match is not None else None)
    if directory is None:
        rows.append(_row("§1.5 p.14", "training / test images, pixels per image",
                         "60000 / 10000, 784", None, None,
                         note="no MNIST-format files found"))
    else:
        data = load_mnist_files(directory)
        rows.append(_row("§1.5 p.14", f"training / test images, pixels per image "
                         f"({data.name} files, same format and size as MNIST)",
                         "60000 / 10000, 784",
                         f"{len(data.X_train)} / {len(data.X_test)}, {data.X_train.shape[1]}"))
    return rows


def rows(*, dataset=None, with_files: bool = True) -> list[Reproduction]:
    """All chapter-1 reproduction rows; ``with_files=False`` skips the rows that read MNIST files."""
    table = (perceptron_rows() + sigmoid_rows() + architecture_rows() + gradient_descent_rows()
             + digit_network_rows(dataset))
    if with_files:
        table += mnist_rows()
    return table
