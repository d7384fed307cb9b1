"""Optimisers: update rules that turn gradients into new parameters.

=======================  ==========================================================
``base``                 :class:`Optimizer`: per-Param state, in-place ``step(params)``
``sgd``                  :class:`SGD` (+ momentum, Nesterov) and its pure :func:`sgd_step`
``adagrad``              :class:`Adagrad` and :func:`adagrad_step`
``rmsprop``              :class:`RMSprop` and :func:`rmsprop_step`
``adam``                 :class:`Adam` (bias-corrected) and :func:`adam_step`
``gradient_descent``     descent on plain vectors (Nielsen §1.5): paths, linear estimate
``schedules``            learning-rate decay: exponential, inverse-time, step (callables step → η)
``random_search``        random-perturbation search and its cost against gradient descent
``trajectories``         any optimiser's path on 2-D test functions (valley, saddle); steps to a tolerance
=======================  ==========================================================

:func:`get_optimizer` turns a name such as ``"sgd"`` into an optimiser with default settings.
"""

from nnbook.optim.adagrad import Adagrad, adagrad_step
from nnbook.optim.adam import Adam, adam_step
from nnbook.optim.base import Optimizer
from nnbook.optim.rmsprop import RMSprop, rmsprop_step
from nnbook.optim.schedules import ExponentialDecay, InverseTimeDecay, StepDecay
from nnbook.optim.sgd import SGD, sgd_step

#: Optimisers by (Keras) name, with their default settings.
OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "adagrad": Adagrad}


def get_optimizer(spec) -> Optimizer:
    """An optimiser from a name in :data:`OPTIMIZERS` or an :class:`Optimizer` instance."""
    if isinstance(spec, Optimizer):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in OPTIMIZERS:
            return OPTIMIZERS[key]()
        raise ValueError(f"optimizer: expected one of {sorted(OPTIMIZERS)} or an Optimizer "
                         f"object, found {spec!r}")
    raise TypeError(f"optimizer: expected a name such as 'sgd' or an nnbook.optim.Optimizer, "
                    f"found {type(spec).__name__}")


__all__ = ["Optimizer", "SGD", "sgd_step", "RMSprop", "rmsprop_step", "Adam", "adam_step",
           "OPTIMIZERS", "get_optimizer", "Adagrad", "adagrad_step", "ExponentialDecay",
           "InverseTimeDecay", "StepDecay"]
