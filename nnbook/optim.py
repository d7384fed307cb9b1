"""Optimisers: the update rule that turns gradients into new parameters.

:class:`SGD` is the step of (15.31)–(15.32) — W ← W − η ∂L/∂W with the gradient averaged over
the mini-batch (the model's loss gradient is already divided by the batch size B; B = 1 gives
(15.31), B = n batch gradient descent). With ``momentum`` μ > 0 it keeps a velocity per
parameter, v ← μv − η∂L/∂W, W ← W + v (not in 陈强; chapters 3–4 use it).
"""

from __future__ import annotations

import numbers

import numpy as np


class SGD:
    """Stochastic / mini-batch gradient descent, optionally with momentum.

    ``step(layers)`` updates, in place, every array in ``layer.params`` of every layer using
    ``layer.grads`` (same keys and shapes), as filled by the last backward pass.
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0):
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) \
                or not np.isfinite(learning_rate) or learning_rate <= 0:
            raise ValueError(f"learning_rate: expected a finite number > 0, found {learning_rate!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) \
                or not 0 <= momentum < 1:
            raise ValueError(f"momentum: expected a number in [0, 1), found {momentum!r}")
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self._velocity: dict[tuple[int, str], np.ndarray] = {}
        self.iterations = 0

    def step(self, layers) -> None:
        """One update of every parameter of ``layers`` (an iterable of Layer objects)."""
        eta, mu = self.learning_rate, self.momentum
        for layer in layers:
            for key, param in layer.params.items():
                grad = layer.grads.get(key)
                if grad is None or grad.shape != param.shape:
                    found = None if grad is None else grad.shape
                    raise ValueError(f"{layer.name}.grads[{key!r}]: expected an array of shape "
                                     f"{param.shape} from backward, found {found}; run the "
                                     "forward and backward passes before step")
                if mu:
                    slot = (id(layer), key)
                    velocity = self._velocity.get(slot)
                    if velocity is None:
                        velocity = np.zeros_like(param)
                    velocity = mu * velocity - eta * grad
                    self._velocity[slot] = velocity
                    param += velocity
                else:
                    param -= eta * grad
        self.iterations += 1

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum})"


OPTIMIZERS = {"sgd": SGD}


def get_optimizer(spec):
    """An optimiser from a name in :data:`OPTIMIZERS` (default settings) or an instance."""
    if isinstance(spec, str):
        if spec.lower() in OPTIMIZERS:
            return OPTIMIZERS[spec.lower()]()
        raise ValueError(f"optimizer: expected one of {sorted(OPTIMIZERS)} or an optimiser "
                         f"object with step(layers), found {spec!r}")
    if hasattr(spec, "step") and callable(spec.step):
        return spec
    raise TypeError(f"optimizer: expected a name or an object with step(layers), found "
                    f"{type(spec).__name__}")
