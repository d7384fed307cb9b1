"""The one protocol every layer follows (chapters 2–5): forward, backward, parameters, gradients.

A layer maps a batch ``x`` (batch, …) to ``y`` (batch, …). ``forward`` caches what ``backward``
needs; ``backward(grad_y)`` receives ∂L/∂y (same shape as y), stores ∂L/∂θ for every parameter
θ in ``grads`` (same keys and shapes as ``params``) and returns ∂L/∂x. Layers whose input size
is only known later create their parameters in ``build(input_shape, rng)``; shapes exclude the
batch axis. Images are (batch, channels, height, width).
"""

from __future__ import annotations

import numpy as np


class Layer:
    """Base class: subclasses override ``forward``/``backward`` and, with parameters, ``build``."""

    #: False for layers that behave differently in training (Dropout, BatchNorm).
    deterministic = True

    def __init__(self, name: str | None = None):
        self.name = name or type(self).__name__.lower()
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.input_shape: tuple[int, ...] | None = None
        self.built = False

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator) -> None:
        """Create parameters for inputs of shape ``input_shape`` (no batch axis)."""
        self.input_shape = tuple(input_shape)
        self.built = True

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output example for one input example of ``input_shape``."""
        return tuple(input_shape)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @property
    def n_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def zero_grads(self) -> None:
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, n_params={self.n_params})"
