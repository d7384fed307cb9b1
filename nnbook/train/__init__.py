"""Training: the one fit loop and what it records.

====================  =============================================================
``fit``               :func:`~nnbook.train.fit.fit`, the loop every model trains in
``batches``           epochs and mini-batches, :func:`iterations_per_epoch`
``history``           :class:`History`, per-epoch metrics
``callbacks``         :class:`EarlyStopping`
``metrics``           :func:`accuracy`, confusion matrix, precision, recall
``grid_search``       every combination of hyperparameter values, scored
``minibatch_sgd``     Nielsen's per-example backprop and mini-batch step, the readable reference
====================  =============================================================
"""

from nnbook.train.batches import iterations_per_epoch
from nnbook.train.callbacks import EarlyStopping
from nnbook.train.history import History

__all__ = ["iterations_per_epoch", "EarlyStopping", "History"]
