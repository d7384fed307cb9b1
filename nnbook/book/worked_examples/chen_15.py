"""Worked examples of 陈强 ch. 15 人工神经网络 (source ``chen-15``), recomputed by nnbook.

Source values are typed in from the source ("derived" marks values that follow from the text
without being printed, e.g. Λ'(0) = 1/4 or figure 15.18's lost map). Every nnbook value is
computed by the library: the perceptron learns the truth tables, the convolution and pooling
functions compute figures 15.15–15.20, the layers draw their initial weights and dropout masks,
the architecture tracer counts LeNet-5 and AlexNet.

Numbers that are facts about the world, not computations, have no row: the 10¹¹ neurons of the
brain (chapter opening), dates and names (§15.1), the sample size 1,000,000 and the batch sizes
32–256 of §15.8 (they are the inputs of the iterations-per-epoch rows), GoogLeNet's 22 layers and
ResNet's 152 layers with 3.57 % against 5.1 % error (§15.10) and the conda commands (§15.13).
Reuters' 46 topics (§15.15) cannot be run offline: that row computes what 46 topics mean for a
classifier — the categorical cross-entropy of the uninformed prediction (1/46 each) is ln 46 —
and says what stands in (the 8×8 digits, 10 classes).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from nnbook.analysis.architectures import (
    alexnet_counts,
    dense_vs_conv_counts,
    lenet5_trace,
    neuron_count,
    total_params,
)
from nnbook.analysis.separability import (
    brute_force_separators,
    xor_separability_certificate,
)
from nnbook.book.demos.chen_15 import learn_gate
from nnbook.book.worked_examples.reproduction import Reproduction, bits, row
from nnbook.functional.activations import (
    leaky_relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from nnbook.functional.convolution import correlate2d_reference
from nnbook.functional.losses import CategoricalCrossEntropy
from nnbook.functional.pooling import avg_pool2d_reference, max_pool2d_reference
from nnbook.models.logic_gates import GATE_INPUTS, gate_dataset
from nnbook.models.perceptron import xor_network
from nnbook.train.batches import iterations_per_epoch

SOURCE = "chen-15"

#: 陈强 figure 15.15: the 5×5 image and the X-shaped 3×3 kernel, typed from the source.
IMAGE = np.array([[1, 0, 1, 0, 0],
                  [0, 1, 0, 1, 0],
                  [1, 0, 1, 0, 1],
                  [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]], dtype=float)
KERNEL = np.array([[1, 0, 1],
                   [0, 1, 0],
                   [1, 0, 1]], dtype=float)
#: 陈强 figures 15.19–15.20: the 4×4 feature map that is pooled.
FEATURE_MAP = np.array([[5, 0, 4, 6],
                        [1, 4, 1, 4],
                        [3, 2, 4, 3],
                        [1, 2, 5, 7]], dtype=float)


#: 陈强 figure 15.3 as printed: TRUE = 1, FALSE = 0 for the inputs 00, 01, 10, 11.
FIGURE_15_3 = {"AND": "0001", "OR": "0111", "NAND": "1110", "XOR": "0110"}

_row = functools.partial(row, SOURCE)


def _matrix(values) -> str:
    """A matrix as a compact string, rows separated by ';' (e.g. '5 0 4; 1 4 1; 3 2 4')."""
    rows = np.atleast_2d(np.asarray(values, dtype=float))
    return "; ".join(" ".join(f"{v:g}" for v in row) for row in rows)


def perceptron_rows() -> list[Reproduction]:
    """§15.2: AND, OR, NAND are learned; XOR is not (and no (w, b) separates it)."""
    rows = []
    for gate in ("AND", "OR", "NAND"):
        model = learn_gate(gate)
        learned = bits(np.asarray(model.predict(GATE_INPUTS)) > 0)
        rows.append(_row("§15.2, figure 15.3",
                         f"{gate} for inputs 00, 01, 10, 11, learned by the perceptron", 
                         FIGURE_15_3[gate], learned))
        rows.append(_row("§15.2, figure 15.3", f"{gate}: the perceptron converges",
                         True, bool(model.converged_)))
    model = learn_gate("XOR")
    rows.append(_row("§15.2, figure 15.3", "XOR: the perceptron converges (100 epochs)", False,
                     bool(model.converged_)))
    certificate = xor_separability_certificate()
    rows.append(_row("§15.2, figure 15.3", "XOR: some (w, b) separates the four points "
                     "(exact certificate: multipliers ≥ 0 whose sum of the four forms is 0)",
                     False, not certificate.holds))
    rows.append(_row("§15.2, figure 15.3", "XOR: separating (w1, w2, b) on a 17³ grid "
                     "(brute force)", 0, brute_force_separators(*gate_dataset("XOR"))))
    rows.append(_row("§15.3 (2-2-1 network (15.9), weights ours)",
                     "XOR computed by the two-layer network", FIGURE_15_3["XOR"],
                     bits(xor_network().output(GATE_INPUTS))))
    return rows


def activation_rows() -> list[Reproduction]:
    """§15.4: values and derivatives at the points the text singles out."""
    return [
        _row("§15.4 (15.10) (derived)", "Λ(0)", 0.5, float(sigmoid(0.0)), abs_=1e-15),
        _row("§15.4 (15.11) (derived)", "Λ'(0), the largest slope", 0.25,
             float(sigmoid_prime(0.0)), abs_=1e-15),
        _row("§15.4 (1), after (15.11)", "Λ'(z) at z = ±40 (saturation: → 0)", 0.0,
             float(max(sigmoid_prime(40.0), sigmoid_prime(-40.0))), abs_=1e-15),
        _row("§15.4 (15.12) (derived)", "tanh(0)", 0.0, float(tanh(0.0)), abs_=1e-15),
        _row("§15.4 (2) (derived)", "tanh'(0)", 1.0, float(tanh_prime(0.0)), abs_=1e-15),
        _row("§15.4 (1)–(2)", "range of Λ on z ∈ [−30, 30]: inside (0, 1)", True,
             bool(np.all((sigmoid(np.linspace(-30, 30, 601)) > 0)
                         & (sigmoid(np.linspace(-30, 30, 601)) < 1)))),
        _row("§15.4 (2)", "range of tanh on z ∈ [−15, 15]: inside (−1, 1)", True,
             bool(np.all(np.abs(tanh(np.linspace(-15, 15, 301))) < 1))),
        _row("§15.4 (3)", "ReLU'(z) for z = 2", 1.0, float(relu_prime(2.0))),
        _row("§15.4 (3)", "ReLU'(z) for z = −2", 0.0, float(relu_prime(-2.0))),
        _row("§15.4 (15.16)", "LReLU(−1) with γ = 0.01", -0.01,
             float(leaky_relu(-1.0, gamma=0.01)), abs_=1e-15),
        _row("§15.4 (15.16)", "LReLU(−1) with nnbook's default γ", -0.01,
             float(leaky_relu(-1.0)), abs_=1e-15),
    ]


def _initial_kernel(initializer: str, rng) -> np.ndarray:
    """The kernel a Dense(400) layer on 500 inputs starts from (200,000 draws)."""
    from nnbook.layers import Dense

    layer = Dense(400, kernel_initializer=initializer)
    layer.build((500,), rng)
    return layer.params["kernel"].value


def training_rows(*, seed: int = 0) -> list[Reproduction]:
    """§15.7–§15.9: scaling, initial weights, iterations per epoch, dropout."""
    from nnbook.data.preprocessing import min_max_scale
    from nnbook.layers import Dropout

    rng = np.random.default_rng(seed)
    rows = []
    X = rng.normal(3.0, 10.0, size=(500, 4))
    scaled = min_max_scale(X)
    rows.append(_row("§15.7, advice on scaling the features", "min and max of min–max scaled features", "0 1",
                     f"{scaled.min():g} {scaled.max():g}"))
    init = "§15.7, advice on initial weights"
    uniform, normal = (_initial_kernel(name, rng) for name in ("uniform", "normal"))
    rows.append(_row(init, "U[−0.7, 0.7] initial weights: smallest, largest (200,000 draws, "
                     "2 decimals)", "-0.7 0.7",
                     f"{round(float(uniform.min()), 2):g} {round(float(uniform.max()), 2):g}"))
    rows.append(_row(init, "U[−0.7, 0.7] initial weights: all inside the interval", True,
                     bool(np.all(np.abs(uniform) <= 0.7))))
    rows.append(_row(init, "N(0, 1) initial weights: mean, standard deviation (200,000 draws, "
                     "2 decimals)", "0 1",
                     f"{abs(round(float(normal.mean()), 2)):g} {round(float(normal.std()), 2):g}"))
    n = 1_000_000
    for B, book, what in ((32, 31_250, "mini-batch GD, B = 32"), (1, n, "SGD, B = 1"),
                          (n, 1, "batch GD, B = n")):
        rows.append(_row("§15.8, (15.30)–(15.32)", f"iterations per epoch, n = 1,000,000, "
                         f"{what}", book, iterations_per_epoch(n, B)))
    dropout = Dropout(0.5, rng=np.random.default_rng(seed))
    ones = np.ones((1000, 1000))
    out = dropout.forward(ones, training=True)
    rows.append(_row("§15.9 (2), figure 15.14", "fraction of units dropped by Dropout(0.5) "
                     "(10⁶ units, 2 decimals)", 0.5, round(float(np.mean(out == 0)), 2)))
    rows.append(_row("§15.9 (2) (inverted dropout)", "Dropout(0.5) at inference: "
                     "output equals input", True,
                     bool(np.array_equal(dropout.forward(ones, training=False), ones))))
    return rows


def convolution_rows() -> list[Reproduction]:
    """§15.10: the 30,000 connections, figures 15.15–15.20."""
    rows = []
    counts = dense_vs_conv_counts((100, 100, 3), hidden_units=1)
    rows.append(_row("§15.10 (1), why not a dense layer", "connections from a 100×100×3 image to one "
                     "first-layer neuron", 30_000, counts.connections_per_neuron))
    feature = correlate2d_reference(IMAGE, KERNEL)
    rows.append(_row("§15.10, figure 15.16", "first step: top-left patch ⊗ K", 5,
                     float(feature[0, 0])))
    rows.append(_row("§15.10, figure 15.17", "second step: top-middle patch ⊗ K", 0,
                     float(feature[0, 1])))
    rows.append(_row("§15.10, figure 15.18 (derived; the figure is lost)",
                     "feature map of the 5×5 image ⊗ X kernel", "5 0 4; 1 4 1; 3 2 4",
                     _matrix(feature)))
    rows.append(_row("§15.10, figure 15.18", "largest and smallest entry of the map", "5 0",
                     f"{feature.max():g} {feature.min():g}"))
    rows.append(_row("§15.10, figure 15.19", "2×2 max pooling of F",
                     "5 6; 3 7", _matrix(max_pool2d_reference(FEATURE_MAP, 2, 2))))
    rows.append(_row("§15.10, figure 15.20", "2×2 mean pooling of F",
                     "2.5 3.75; 2 4.75", _matrix(avg_pool2d_reference(FEATURE_MAP, 2, 2))))
    rows.append(_row("§15.10, figures 15.18–15.19", "top-left 3×3 block of F equals the "
                     "feature map of fig. 15.18", True,
                     bool(np.array_equal(FEATURE_MAP[:3, :3], feature))))
    return rows


def architecture_rows() -> list[Reproduction]:
    """§15.10: LeNet-5's layers and AlexNet's counts, from nnbook.analysis.architectures."""
    lenet = lenet5_trace()
    alexnet = alexnet_counts()
    kinds = [row.kind for row in alexnet]
    return [
        _row("§15.10, figure 15.22", "layers of LeNet-5 (input not counted)", 7,
             sum(row.kind != "input" for row in lenet)),
        _row("§15.10, figure 15.23", "AlexNet convolutional layers", 5, kinds.count("Conv2D")),
        _row("§15.10, figure 15.23 (the 3rd is the softmax output, see chapter 2's source note)",
             "AlexNet fully connected layers", 3, kinds.count("Dense")),
        _row("§15.10, figure 15.23", "AlexNet trainable parameters, two-GPU variant "
             "(6千万 ≈ 60 million, within 5 %)", 60_000_000, total_params(alexnet), rel=0.05),
        _row("§15.10, figure 15.23", "AlexNet neurons (65万 ≈ 650,000, within 5 %)", 650_000,
             neuron_count(alexnet), rel=0.05),
        _row("§15.10, figure 15.23", "AlexNet classes (width of the softmax output)", 1000,
             int(alexnet[-1].output_shape[0])),
    ]


def reuters_rows() -> list[Reproduction]:
    """§15.15: 46 topics. The Reuters data need a download, so the row computes what 46 classes
    mean for the loss (15.15's categorical cross-entropy of the uniform guess is ln 46)."""
    uniform = np.full((1, 46), 1 / 46)
    target = np.eye(46)[[0]]
    loss = CategoricalCrossEntropy()(uniform, target)
    return [_row("§15.15", "topics: the cross-entropy of guessing 1/46 each is "
                 "ln 46 = 3.8286…; e^loss recovers the number of topics", 46,
                 round(math.exp(float(loss)), 9),
                 note="Reuters needs a download; the chapter's offline stand-in is the 8×8 "
                      "digits (10 classes, uniform-guess loss ln 10)")]


def rows() -> list[Reproduction]:
    """All chapter-2 reproduction rows (no data files needed; about a second)."""
    return (perceptron_rows() + activation_rows() + training_rows() + convolution_rows()
            + architecture_rows() + reuters_rows())
