"""Worked examples of Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2 (source
``galeone-2``), §'Dropout' to §'Batch normalization': dropout, weight decay,
augmentation, early stopping and batch normalisation.
Part of :func:`nnbook.book.worked_examples.galeone_2.rows`, whose docstring says how the rows
are built (every source value stated by the source or derived, every nnbook value computed).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from nnbook.book.worked_examples.galeone_2 import _numbers, _row, _verified
from nnbook.book.worked_examples.reproduction import Reproduction


def regularization_rows() -> list[Reproduction]:
    """§'Dropout' to §'Batch normalization'."""
    from nnbook.book.demos import galeone_2_regularisation as reg
    from nnbook.book.demos.galeone_2_cnn import batchnorm_statistics
    from nnbook.functional.batchnorm import batchnorm_forward_reference
    from nnbook.functional.dropout import thinned_network_count
    from nnbook.symbolic.optimizers import weight_decay_update

    drop = reg.dropout_expectations(keep_prob=0.5, n_masks=100_000)
    a = np.array([0.5, 1.0, 2.0])
    spread = {"direct": np.sqrt(a ** 2 * 0.25 / 100_000), "inverted": np.sqrt(a ** 2 / 100_000)}
    decay = reg.weight_decay_step(learning_rate=0.1, lam=0.05)
    arrows = reg.augmentation_gallery()["arrows"]
    stopping = early_stopping_result()
    run0 = stopping["runs"][0]
    curve = stopping["curves"]["val_accuracy"]
    bn = batchnorm_statistics(np.random.default_rng(7))
    x = np.random.default_rng(8).normal(3.0, 2.0, size=(32, 5))
    identity, _ = batchnorm_forward_reference(x, np.sqrt(x.var(axis=0) + 1e-3), x.mean(axis=0),
                                              1e-3)
    depth = batchnorm_depth_result()
    return [
        _row("§'Dropout' (derived: each of n units kept or dropped)", "thinned networks of a "
             "layer of 6 droppable units", 64, thinned_network_count(6)),
        _row("§'How dropout works' (derived: E[d·a] = q·a; reconstructed)", "direct dropout, "
             "q = 0.5: mean over 100,000 masks within 4 standard errors of the test output q·a",
             True, bool(np.all(np.abs(drop["direct"]["train_mean"] - 0.5 * a)
                               < 4 * spread["direct"])
                        and np.allclose(drop["direct"]["test_output"], 0.5 * a))),
        _row("§'Inverted dropout' (derived: E[d·a/q] = a)", "inverted dropout: training mean "
             "within 4 standard errors of a; the test output is a itself", True,
             bool(np.all(np.abs(drop["inverted"]["train_mean"] - a) < 4 * spread["inverted"])
                  and np.allclose(drop["inverted"]["test_output"], a))),
        _row("§'Inverted dropout' (derived: a²(1 − q)/q, an addition)", "variance of the "
             "inverted output for a = 0.5, 1, 2, q = 0.5", "0.25 1 4",
             _numbers(drop["inverted"]["variance"], 12)),
        _row("§'Dropout and L2 regularization' (derived: ∂(λw²)/∂w = 2λw; sympy)",
             "w ← (1 − 2ηλ)w − η∂E/∂w", True, _verified(weight_decay_update())),
        _row("§'Dropout and L2 regularization' (derived: 1 − 2·0.1·0.05)", "weight-decay factor "
             "for η = 0.1, λ = 0.05, and one SGD step with the L2 penalty equals it", "0.99 True",
             f"{decay['shrink_factor']:.12g} "
             f"{bool(np.allclose(decay['after'], decay['predicted'], rtol=0, atol=1e-14))}"),
        _row("§'Data augmentation' (the source's arrow example)", "a left-right flip of the "
             "\"right\" arrow is the \"left\" arrow; an up-down flip keeps it", "True True",
             f"{bool(np.array_equal(arrows['right flipped left-right'], arrows['left']))} "
             f"{bool(np.array_equal(arrows['right flipped up-down'], arrows['right']))}"),
        _row("§'Early stopping' (derived: stop as soon as validation accuracy stops rising)",
             "patience 0 stops at the first epoch that does not beat the best so far",
             f"{int(np.flatnonzero(np.diff(np.maximum.accumulate(curve)) <= 0)[0]) + 2}",
             f"{run0['stopped_epoch']}"),
        _row("§'Early stopping' (derived)", "the weights kept are those of the best epoch "
             "(patience 0 and 10): validation accuracy after restoring", "True True",
             " ".join(str(bool(math.isclose(r["restored_val_accuracy"],
                                            r["best_val_accuracy"])))
                      for r in stopping["runs"].values())),
        _row("§'Batch normalization' (derived: mean 0, variance σ²/(σ² + ε))", "a training "
             "batch of 64 after BatchNormalization: per-feature mean and variance match",
             "True True",
             f"{bool(np.allclose(bn['mean'], 0, atol=1e-12))} "
             f"{bool(np.allclose(bn['variance'], bn['expected_variance'], rtol=1e-12))}"),
        _row("§'Batch normalization' (derived: inference uses the accumulated statistics)",
             "in inference an example's output does not depend on the rest of the batch", True,
             bool(np.allclose(bn["first_alone"], bn["first_in_batch"], rtol=0, atol=1e-12))),
        _row("§'Batch normalization' (derived: γ = √(σ² + ε), β = μ undo the normalisation)",
             "γ and β can restore the identity", True,
             bool(np.allclose(identity, x, rtol=0, atol=1e-12))),
        _row("§'Batch normalization' (measured, not in the source)", "8 sigmoid layers on the "
             "digits at η = 0.5: test accuracy without and with batch norm (chance is 0.1)",
             "≈0.1 >0.8",
             f"{'≈0.1' if depth['plain']['test_accuracy'] < 0.2 else 'trains'} "
             f"{'>0.8' if depth['batchnorm']['test_accuracy'] > 0.8 else 'stalls'}",
             note=f"{depth['plain']['test_accuracy']:.2f} and "
                  f"{depth['batchnorm']['test_accuracy']:.2f}"),
    ]


@functools.lru_cache(maxsize=1)
def early_stopping_result() -> dict:
    """:func:`nnbook.book.demos.galeone_2_regularisation.early_stopping_demo` with its defaults,
    computed once per process (the tour's figure and rows share it)."""
    from nnbook.book.demos.galeone_2_regularisation import early_stopping_demo

    return early_stopping_demo()


@functools.lru_cache(maxsize=1)
def batchnorm_depth_result() -> dict:
    """:func:`nnbook.book.demos.galeone_2_regularisation.batchnorm_depth_demo` with its
    defaults (seed 0), computed once per process: {"plain": …, "batchnorm": …}."""
    from nnbook.book.demos.galeone_2_regularisation import batchnorm_depth_demo

    return batchnorm_depth_demo()[0]
