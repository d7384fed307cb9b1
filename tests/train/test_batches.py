"""nnbook.train.batches: epochs and mini-batches (陈强 §15.8)."""

import numpy as np
import pytest

from nnbook.train.batches import epoch_order, iterations_per_epoch, minibatches


def test_iterations_per_epoch_matches_the_source():
    """F45/W12: batch 1, SGD n, mini-batch n/B; n = 1,000,000 and B = 32 give 31,250."""
    assert iterations_per_epoch(1_000_000, 32) == 31_250
    assert iterations_per_epoch(1_000_000, 1_000_000) == 1
    assert iterations_per_epoch(1_000_000, 1) == 1_000_000
    assert iterations_per_epoch(100, 32) == 4                    # 32 + 32 + 32 + 4
    assert iterations_per_epoch(10, 64) == 1
    with pytest.raises(ValueError):
        iterations_per_epoch(10, 0)


def test_minibatches_cut_the_order_into_consecutive_slices():
    order = np.array([4, 2, 0, 1, 3])
    assert [b.tolist() for b in minibatches(order, 2)] == [[4, 2], [0, 1], [3]]
    assert [b.tolist() for b in minibatches(order, 10)] == [[4, 2, 0, 1, 3]]
    assert epoch_order(4, np.random.default_rng(0), shuffle=False).tolist() == [0, 1, 2, 3]
    assert sorted(epoch_order(6, np.random.default_rng(0)).tolist()) == list(range(6))
    with pytest.raises(ValueError):
        list(minibatches(order, 0))
