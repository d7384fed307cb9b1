"""Worked examples of 《深度学习与神经网络》第5章 (source ``dlnn-5``), recomputed by nnbook.

Refs cite the section, the equation ((5-31)) and the figure (Fig. 5-28) the number belongs to.
Source values are typed in from the book; "(derived)" marks a value that follows from the text
without being printed there (the parameter count 8 of the RNN example, VGG-16's 138,357,544,
AlexNet's neurons counted on the published architecture). The book's convolution figure
survives only as the ten terms of a₀,₀: the image and filter behind them are derived from the
standard figure the passage follows, and the full feature maps are labelled so. Every nnbook
value is computed by the library: the RNN cell runs the book's example, the convolution and
pooling functions compute Fig. 5-15/5-16, a Dense layer runs (5-33)–(5-36) on a batch of 16,
the architecture tracer walks VGG-16, AlexNet and LeNet.

The RNN example's six printed arrays are compared as strings: numpy's ``str`` of nnbook's arrays
must equal the book's printout character for character.

Claims that are facts, not computations, have no row: AlphaGo and Hinton's 2006 training
(§5.1), VGG's place in ILSVRC 2014 and its 7.3 % top-5 error, the depths of GoogLeNet and ResNet
(§5.3.4), the activity rates of brain neurons (§5.2.5) and the "about 80 %" share of fully
connected parameters, which is only approximate (AlexNet's is 96 %, VGG-16's 89 %).
"""

from __future__ import annotations

import functools

import numpy as np

from nnbook.book.demos.dlnn_5 import (
    a00_terms,
    alexnet_facts,
    class_probabilities,
    descent_work,
    feature_map,
    fully_connected_batch,
    global_average_pooling,
    lenet_fc_trace,
    multichannel_feature_map,
    pooling_keeps_depth,
    rnn_example,
    rnn_example_cells,
    rnn_example_unrolled,
    rnn_printout,
)
from nnbook.book.worked_examples.reproduction import Reproduction, row
from nnbook.functional.activations import relu_prime, sigmoid_prime, tanh_prime
from nnbook.functional.convolution import conv_output_size

SOURCE = "dlnn-5"

_row = functools.partial(row, SOURCE)

#: The book's printout of the RNN listing (§5.4.3, after Fig. 5-28), in order: before
#: activation, state, output at t₀, then at t₁ — numpy's default ``str`` of each array.
RNN_PRINTOUT = ("[0.6 0.5]", "[0.53704957 0.46211716]", "[1.56128388]",
                "[1.2923401  1.39225678]", "[0.85973818 0.88366641]", "[2.72707101]")

#: VGG-16's twelve steps as §5.3.4 prints them: what the step does, the size after it
#: (height×width×depth).
VGG16_STEPS = (
    ("two 3×3 convolutions, 64 filters", "224×224×64"), ("2×2 max pooling", "112×112×64"),
    ("two 3×3 convolutions, 128 filters", "112×112×128"), ("2×2 max pooling", "56×56×128"),
    ("three 3×3 convolutions, 256 filters", "56×56×256"), ("2×2 max pooling", "28×28×256"),
    ("three 3×3 convolutions, 512 filters", "28×28×512"), ("2×2 max pooling", "14×14×512"),
    ("three 3×3 convolutions, 512 filters", "14×14×512"), ("2×2 max pooling", "7×7×512"),
    ("three fully connected layers", "1×1×4096, 1×1×4096, 1×1×1000"),
    ("softmax", "1000"),
)


def _matrix(values) -> str:
    """A matrix as a compact string, rows separated by ';' ('4 3 4; 2 4 3; 2 3 4')."""
    rows = np.atleast_2d(np.asarray(values, dtype=float))
    return "; ".join(" ".join(f"{v:g}" for v in r) for r in rows)


def _decimals(values, digits: int) -> str:
    """Numbers with a fixed number of decimals, as the book rounds them ('0.860 0.884')."""
    return " ".join(f"{float(v):.{digits}f}" for v in np.ravel(values))


def _numbers(values) -> str:
    return " ".join(f"{float(v):g}" for v in np.ravel(values))


def convolution_rows() -> list[Reproduction]:
    """§5.3.3 (5-31), (5-32), Fig. 5-14–5-16: a₀,₀, the full maps, output sizes, pooling."""
    derived = "(derived from the standard figure the passage follows; not in the source)"
    ref = "§5.3.3 (5-31), Fig. 5-15"
    stride1, stride2 = feature_map(1), feature_map(2)
    pooled = pooling_keeps_depth()
    depth = pooled["input"].shape[1]
    multi = multichannel_feature_map(np.random.default_rng(5))
    return [
        _row(ref + " " + derived.replace("derived", "image and filter derived"),
             "the ten terms of a₀,₀ = relu(w₀,₀x₀,₀ + … + w₂,₂x₂,₂ + w_b)",
             "1 0 1 0 1 0 0 0 1 0", _numbers(a00_terms())),
        _row(ref, "a₀,₀ = relu(4)", 4.0, float(stride1[0, 0])),
        _row(ref + " " + derived, "the whole 3×3 feature map, stride 1",
             "4 3 4; 2 4 3; 2 3 4", _matrix(stride1)),
        _row("§5.3.3 (5-32) " + derived, "the whole 2×2 feature map, stride 2", "4 4; 2 4",
             _matrix(stride2)),
        _row("§5.3.3 (5-32)", "output width (5 − 3 + 0)/1 + 1, F = 3, P = 0, S = 1", 3,
             conv_output_size(5, 3, 0, 1)),
        _row("§5.3.3 (5-32)", "output width with stride S = 2", 2, conv_output_size(5, 3, 0, 2)),
        _row("§5.3.3 (5-32)", "shape of the computed maps, stride 1 and stride 2",
             "3×3 2×2", f"{'×'.join(map(str, stride1.shape))} "
                        f"{'×'.join(map(str, stride2.shape))}"),
        _row("§5.3.3, Fig. 5-14 (derived)", "a filter as deep as its input gives one map: the "
             "3-channel convolution equals the sum of the channels' 2-D correlations", True,
             bool(np.allclose(multi["map"], multi["sum_of_channels"], rtol=0, atol=1e-12))),
        _row("§5.3.3, Fig. 5-16", "max and average pooling (2×2, stride 2) halve height and "
             "width and keep the depth: output shapes for 3 maps of 4×4",
             f"{depth}@2×2 {depth}@2×2",
             " ".join(f"{s[1]}@{s[2]}×{s[3]}" for s in (pooled["max"].shape,
                                                        pooled["average"].shape))),
        _row("§5.3.3, Fig. 5-16 (derived: the common textbook map, not the book's figure)",
             "2×2 max pooling of [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]]", "6 8; 3 4",
             _matrix(pooled["max"][0, 0])),
    ]


def fully_connected_rows() -> list[Reproduction]:
    """§5.3.3 (5-33)–(5-36), Figs 5-18–5-20: the 800 → 500 layer on a batch of 16; GAP; softmax."""
    rng = np.random.default_rng(16)
    fc = fully_connected_batch(rng)
    X, W, dA = fc["X"], fc["W"], fc["dA"]
    lenet = lenet_fc_trace()
    flat = lenet[-2].output_shape
    k, j = 123, 45                                  # one entry of each sum, written out
    dx_k = sum(dA[0, i] * W[i, k] for i in range(W.shape[0]))
    dw_jk = sum(dA[n, j] * X[n, k] for n in range(X.shape[0]))
    maps = np.random.default_rng(7).normal(size=(2, 512, 7, 7))
    gap = global_average_pooling(maps)
    logits = np.array([[1.0, 2.0, 3.0]])
    p = class_probabilities(logits)
    printed = np.exp(-logits) / np.exp(-logits).sum()         # (5-30) as printed, e^{−O}
    ref = "§5.3.3, fully connected layer"
    return [
        _row(ref, "inputs of the first fully connected layer, 50×4×4 (the map before it in "
             "Caffe's LeNet: 50@4×4)", 800, int(np.prod(flat))),
        _row(ref + " (derived: 800·500 + 500)", "parameters of the 800 → 500 layer", 400_500,
             lenet[-1].params),
        _row(ref + " (5-34)", "A = XWᵀ + b for a batch of 16: Dense's output (16×500) equals "
             "the matrix product", True,
             bool(np.allclose(fc["A"], X @ W.T + fc["b"], rtol=0, atol=1e-12))),
        _row(ref + " (5-36), Fig. 5-18", "∂loss/∂x_k = Σ_j ∂loss/∂a_j · w_jk: Dense's dX equals "
             "dA·W (16×800), and one entry equals the written-out sum over the 500 outputs",
             True, bool(np.allclose(fc["dX"], dA @ W, rtol=0, atol=1e-12)
                        and np.isclose(fc["dX"][0, k], dx_k, rtol=0, atol=1e-12))),
        _row(ref + ", Fig. 5-19", "∂loss/∂w_jk = ∂loss/∂a_j · x_k summed over the batch: "
             "Dense's dW equals dAᵀ·X (500×800)", True,
             bool(np.allclose(fc["dW"], dA.T @ X, rtol=0, atol=1e-12)
                  and np.isclose(fc["dW"][j, k], dw_jk, rtol=0, atol=1e-12))),
        _row(ref + ", Fig. 5-20", "∂loss/∂b = the sum of dA over the 16 examples (1ᵀ·dA, an "
             "all-ones matrix)", True,
             bool(np.allclose(fc["db"], np.ones(16) @ dA, rtol=0, atol=1e-12))),
        _row("§5.3.3, global average pooling (derived)", "512 maps of 7×7 pooled to 512 "
             "numbers, each a map's mean; parameters of the pooling", "512 0",
             f"{gap.shape[1]} 0" if np.allclose(gap, maps.mean(axis=(2, 3))) else "wrong"),
        _row("§5.3.3, softmax after the fully connected layer (derived)",
             "p = e^{a_j}/Σ_k e^{a_k} for a = [1, 2, 3] (3 decimals)", "0.090 0.245 0.665",
             _decimals(p[0], 3)),
        _row("§5.3.2 (5-30) as printed, with e^{−O} (derived: a sign error)",
             "the printed form on O = [1, 2, 3] ranks the largest score last (3 decimals)",
             "0.665 0.245 0.090", _decimals(printed[0], 3)),
    ]


def architecture_rows() -> list[Reproduction]:
    """§5.3.4: VGG-16's twelve steps and parameters, AlexNet's facts."""
    from nnbook.analysis.architectures import total_params, vgg16_trace
    from nnbook.book.demos.dlnn_5 import vgg16_steps

    ref = "§5.3.4 VGGNet, Fig. 5-22"
    steps = vgg16_steps()
    rows = [_row(f"{ref}, step ({k})", f"VGG-16 size after step ({k}), {what}", printed,
                 steps[k - 1] if k <= len(steps) else None)
            for k, (what, printed) in enumerate(VGG16_STEPS, start=1)]
    trace = vgg16_trace()
    weight_layers = sum(r.kind in ("Conv2D", "Dense") for r in trace)
    alex = alexnet_facts()
    rows += [
        _row(ref + " (derived)", "VGG-16 parameters", 138_357_544, total_params(trace)),
        _row(ref, "weight layers of VGGNet-16 (13 convolutions + 3 fully connected)", 16,
             weight_layers),
        _row("§5.3.4 AlexNet, Fig. 5-21", "convolution layers, of them followed by pooling, "
             "fully connected layers", "5 3 3",
             f"{alex['conv']} {len(alex['pooled'])} {alex['dense']}"),
        _row("§5.3.4 AlexNet (derived: output units of the published network, 227×227 input)",
             "neurons, \"65万\" (≈ 650,000; within 2 %)", 650_000, alex["neurons"], rel=0.02),
    ]
    return rows


def rnn_rows() -> list[Reproduction]:
    """§5.4.3, Figs 5-27/5-28: the parameter count and the example, prose and printout."""
    from nnbook.functional.rnn import rnn_param_count

    split = rnn_example("split")
    printout = rnn_printout("split")
    names = ("before activation", "state", "output")
    ref = "§5.4.3, Fig. 5-28"
    rows = [
        _row("§5.4.3, Fig. 5-27 (derived: the 6 weights of W_rnn + 2 biases)",
             "parameters of the cell, (n + x)·n + n, for n = 2, x = 1", 8, rnn_param_count(2, 1)),
        _row(ref, "t₀: the concatenation [h_init, x₀]", "0 0 1",
             _numbers(np.concatenate([[0.0, 0.0], [1.0]]))),
        _row(ref, "t₀: [0, 0, 1]·W_rnn + b_rnn, before tanh", "0.6 0.5",
             _numbers(np.round(split[0]["before_activation"], 12))),
        _row(ref, "t₀: state tanh([0.6, 0.5]) (3 decimals)", "0.537 0.462",
             _decimals(split[0]["state"], 3)),
        _row(ref, "t₁: state (3 decimals)", "0.860 0.884", _decimals(split[1]["state"], 3)),
        _row(ref, "t₁: output (2 decimals)", 2.73, float(split[1]["output"][0]), digits=2),
    ]
    for t in (0, 1):
        for k, name in enumerate(names):
            rows.append(_row(f"§5.4.3, the listing's printout (t{'₀₁'[t]})",
                             f"RNN example, t{'₀₁'[t]}: print of {name} (exact)",
                             RNN_PRINTOUT[3 * t + k], printout[3 * t + k]))
    rows += [
        _row("§5.4.3, Fig. 5-28 (prose: h = tanh([h, x]·W_rnn + b))", "the concatenated form "
             "prints the same six arrays", " | ".join(RNN_PRINTOUT),
             " | ".join(rnn_printout("concatenated"))),
        _row("§5.4.3 (derived)", "the cell called step by step and the unrolled forward pass "
             "(both steps at once) give the listing's states", True,
             bool(np.allclose(rnn_example_unrolled(), [s["state"] for s in split], rtol=0,
                              atol=1e-15)
                  and np.allclose(rnn_example_cells(), [s["state"] for s in split], rtol=0,
                                  atol=1e-15))),
    ]
    return rows


def activation_and_descent_rows() -> list[Reproduction]:
    """§5.2.5 (σ′ ≤ 1/4, ReLU′) and §5.2.6 (batch against stochastic descent)."""
    from nnbook.symbolic.activations import logistic_derivative_limits

    at_plus, at_minus, at_zero = logistic_derivative_limits()
    z = np.array([-5.0, -0.5, 0.0, 0.5, 5.0])
    work = descent_work(300_000, 10)
    ref = "§5.2.5, after Fig. 5-9"
    return [
        _row(ref, "largest slope of the sigmoid, σ′(0) (sympy)", "1/4", str(at_zero)),
        _row(ref + " (derived)", "σ′ → 0 at both ends (sympy limits)", "0 0",
             f"{at_plus} {at_minus}"),
        _row(ref + " (derived)", "at most (1/4)¹⁰ of the gradient left after 10 sigmoid layers "
             "(3 significant digits)", 9.54e-7, float(sigmoid_prime(0.0)) ** 10, rel=5e-3),
        _row(ref + " (derived)", "σ′ at z = −5, −0.5, 0, 0.5, 5 (8 decimals)",
             "0.00664806 0.23500371 0.25 0.23500371 0.00664806",
             " ".join(f"{v:.10g}" for v in np.round(sigmoid_prime(z), 8))),
        _row(ref + " (derived)", "tanh′ at z = −5, −0.5, 0, 0.5, 5 (4 significant digits)",
             "0.0001816 0.7864 1 0.7864 0.0001816",
             " ".join(f"{v:.4g}" for v in tanh_prime(z))),
        _row("§5.2.5 (5-27), Fig. 5-10", "ReLU′ is 1 — for x > 0 only: ReLU′(2), ReLU′(−2)",
             "1 0", f"{float(relu_prime(2.0)):g} {float(relu_prime(-2.0)):g}"),
        _row("§5.2.6, Fig. 5-11", "per-example gradients until convergence: batch descent, "
             "10 iterations over 300,000 samples", 3_000_000, work["bgd_gradients"]),
        _row("§5.2.6, Fig. 5-11", "per-example gradients of stochastic descent, one pass "
             "(300,000 updates)", 300_000, work["sgd_gradients"]),
    ]


def rows() -> list[Reproduction]:
    """All chapter-5 reproduction rows (no training; about a second)."""
    return (activation_and_descent_rows() + convolution_rows() + fully_connected_rows()
            + architecture_rows() + rnn_rows())


def printouts() -> dict[str, list[str]]:
    """Program output the tour prints verbatim under the table: the RNN listing's six lines
    (§5.4.3) as nnbook's run of the book's program prints them, label and array per line —
    the table has to wrap them; the book prints each on one line."""
    labels = ("before activation:", "state:", "output:") * 2
    return {"§5.4.3, the RNN listing's printout, recomputed by nnbook":
            [f"{label} {array}" for label, array in zip(labels, rnn_printout("split"))]}
