"""Keras' optimisers (Gulli & Pal ch. 1, 'Testing different optimizers in Keras'): nnbook's own.

:class:`~nnbook.optim.SGD`, :class:`~nnbook.optim.RMSprop` and :class:`~nnbook.optim.Adam`
already have Keras' names, arguments, defaults (SGD η = 0.01, momentum 0, nesterov False;
RMSprop η = 0.001, ρ = 0.9, ε = 1e-7; Adam η = 0.001, β = 0.9 / 0.999, ε = 1e-7; Adagrad
η = 0.001, initial accumulator 0.1, ε = 1e-7) and update formulas, so the face re-exports
them. ``compile(optimizer="adam")`` takes them by name (:func:`get`); ``schedules`` holds the
learning-rate decays (``optimizers.schedules.ExponentialDecay`` as in Keras).
"""

from nnbook.optim import SGD, Adagrad, Adam, Optimizer, RMSprop, schedules
from nnbook.optim import get_optimizer as get

__all__ = ["SGD", "RMSprop", "Adam", "Adagrad", "Optimizer", "get", "schedules"]
