"""Epochs and mini-batches (陈强 §15.8, (15.30)–(15.32); Nielsen §1.5, eqs. (18)–(21)).

An epoch (迭代期) visits every training example once: the n examples are shuffled and cut into
⌈n/B⌉ mini-batches of B examples (the last one smaller when B does not divide n). B = n is batch
gradient descent (one update per epoch), B = 1 stochastic gradient descent (n updates).
"""

from __future__ import annotations

import math

import numpy as np

from nnbook.validation import check_positive


def iterations_per_epoch(n: int, batch_size: int) -> int:
    """Parameter updates in one epoch: ⌈n / B⌉ (陈强 §15.8).

    Batch gradient descent (B = n) makes 1, stochastic gradient descent (B = 1) makes n,
    mini-batch n/B when B divides n; e.g. n = 1,000,000 and B = 32 give 31,250.
    """
    check_positive(n, "n", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    return math.ceil(n / min(batch_size, n))


def minibatches(order, batch_size: int):
    """Consecutive slices of ``order`` (a permutation of example indices) of length ``batch_size``."""
    check_positive(batch_size, "batch_size", integer=True)
    order = np.asarray(order)
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


def epoch_order(n: int, rng: np.random.Generator, shuffle: bool = True) -> np.ndarray:
    """The order in which one epoch visits n examples: ``rng.permutation(n)``, or 0 … n−1."""
    return rng.permutation(n) if shuffle else np.arange(n)
