"""The one protocol every layer follows (chapters 2–5): forward, backward, parameters, shapes.

A layer maps a batch ``x`` (batch, …) to ``y`` (batch, …); shapes without the batch axis are
"example shapes" and images are (channels, height, width). ``forward(x, training)`` caches what
``backward`` needs; ``backward(grad_y)`` receives ∂L/∂y (the shape of y), *adds* ∂L/∂θ to the
``grad`` of every :class:`~nnbook.layers.param.Param` θ in ``params`` and returns ∂L/∂x.

Shapes are known before any array is allocated: ``output_shape(input_shape)`` and
``param_shapes(input_shape)`` let a shape tracer count VGG-16's 138 million parameters without
building it; ``build(input_shape, rng)`` then creates the parameters. A layer whose last step
is a named activation (Dense, Conv2D, Activation) sets ``activation`` and offers
``preactivation`` / ``backward_preactivation`` so that a loss can be fused with it (softmax with
cross-entropy, sigmoid with binary cross-entropy) and differentiated from the logits.

``forward`` checks its input (shape, dtype, finite numbers) so that a layer used on its own
says what is wrong. A model checks its data once and then hands each layer arrays it made
itself: it calls ``forward_unchecked``, the same computation without the layer's own check
(as Keras' ``Layer.__call__`` checks and converts before running ``call``). The lowest layer
with parameters is also told that nobody needs ∂L/∂x of the data (``input_grad=False``) when
it can skip that product (``skips_input_grad``). ``backward`` checks the gradient's shape but
lets NaN and ∞ through: a diverging run produces them, and the fit loop reports that.
"""

from __future__ import annotations

import math

import numpy as np

from nnbook.layers.param import Param
from nnbook.validation import as_float_array


class Layer:
    """Base class: subclasses override ``forward``/``backward`` and, with parameters,
    ``param_shapes`` and ``initial_values``."""

    #: False for layers that behave differently in training (Dropout, batch normalisation).
    deterministic = True
    #: Name of the activation applied last (for a fused output loss), None when there is none.
    activation: str | None = None
    #: Names of parameters that optimisers leave alone (fixed weights, running statistics).
    non_trainable: tuple[str, ...] = ()
    #: A penalty on the layer's output (Keras' ``activity_regularizer``), or None.
    activity_regularizer = None
    #: True when ``backward`` and ``backward_preactivation`` take ``input_grad=False`` (skip ∂L/∂x).
    skips_input_grad = False

    def __init__(self, name: str | None = None):
        self.name = name or type(self).__name__.lower()
        self.params: dict[str, Param] = {}
        self.input_shape: tuple[int, ...] | None = None
        self.built = False

    # ------------------------------------------------------------------ shapes and parameters
    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output example for one input example of ``input_shape``."""
        return tuple(input_shape)

    def param_shapes(self, input_shape: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
        """The shape of every parameter the layer creates for inputs of ``input_shape``."""
        return {}

    def initial_values(self, input_shape, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Starting values for the parameters named by :meth:`param_shapes`."""
        return {}

    def build(self, input_shape, rng, dtype=np.float64) -> None:
        """Create the parameters, of ``dtype``, for inputs of shape ``input_shape`` (no batch axis)."""
        input_shape = tuple(int(d) for d in input_shape)
        self.output_shape(input_shape)  # raises when the input does not fit the layer
        shapes = self.param_shapes(input_shape)
        values = self.initial_values(input_shape, np.random.default_rng(rng))
        params = {}
        for key, shape in shapes.items():
            value = np.asarray(values[key], dtype=dtype)
            if value.shape != tuple(shape):
                raise ValueError(f"{self.name}: the initializer of {key!r} returned shape "
                                 f"{value.shape}, expected {tuple(shape)}")
            params[key] = Param(value, f"{self.name}.{key}", trainable=key not in self.non_trainable)
        self.params = params
        self.input_shape = input_shape
        self.built = True

    def count_params(self, input_shape) -> tuple[int, int]:
        """(trainable, non-trainable) parameter counts for ``input_shape``, without building."""
        shapes = self.param_shapes(tuple(input_shape))
        trainable = sum(math.prod(s) for k, s in shapes.items() if k not in self.non_trainable)
        fixed = sum(math.prod(s) for k, s in shapes.items() if k in self.non_trainable)
        return int(trainable), int(fixed)

    def count_connections(self, input_shape) -> int:
        """Multiply-adds per example (a bias counts as one), LeCun et al.'s "connections".

        For a layer whose every weight is used once per example this is the parameter count.
        """
        return sum(self.count_params(input_shape))

    @property
    def n_params(self) -> int:
        """Number of parameter entries of the built layer (trainable or not)."""
        return int(sum(p.size for p in self.params.values()))

    def zero_grads(self) -> None:
        for param in self.params.values():
            param.zero_grad()

    def penalties(self) -> list:
        """(Param, penalty) pairs whose penalty(value) joins the objective (e.g. L2 on a kernel).

        A model also adds ``activity_regularizer(output) / batch size`` for the layer's last
        output when the layer has one.
        """
        return []

    # ------------------------------------------------------------------ passes
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def forward_unchecked(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """``forward`` on an input the model has checked (the layer's dtype and example shape,
        finite). Layers that split their check from their computation skip the check here; by
        default this is ``forward`` itself."""
        return self.forward(x, training=training)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @property
    def preactivation(self) -> np.ndarray:
        """The input of the final activation in the last forward pass (layers with ``activation``)."""
        raise NotImplementedError(f"{type(self).__name__} has no activation to fuse with a loss")

    def backward_preactivation(self, grad_z: np.ndarray) -> np.ndarray:
        """Backward from ∂L/∂(preactivation) instead of ∂L/∂(output) (layers with ``activation``)."""
        raise NotImplementedError(f"{type(self).__name__} has no activation to fuse with a loss")

    # ------------------------------------------------------------------ checks shared by layers
    def _check_input(self, x, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
        """``x`` as a float array of examples: a batch axis, at least one example, the built shape."""
        x = as_float_array(x, f"{self.name} input", ndim=ndim)
        if x.ndim < 1:
            raise ValueError(f"{self.name} input: expected a batch (first axis = examples), "
                             "found a scalar")
        if x.shape[0] == 0:
            raise ValueError(f"{self.name} input: expected at least one example, found an empty "
                             f"batch of shape {x.shape}")
        if self.input_shape is not None and x.shape[1:] != self.input_shape:
            raise ValueError(f"{self.name} input: expected examples of shape {self.input_shape} "
                             f"(built for that), found a batch of shape {x.shape}")
        return x

    def _check_grad(self, grad_output, shape, cache) -> np.ndarray:
        """∂L/∂y of the shape of the last forward output; ``cache`` is None before any forward.

        NaN and ∞ pass (see the module docstring); so the check costs no pass over the array.
        """
        if cache is None:
            raise RuntimeError(f"{self.name}: backward called before forward")
        grad_output = as_float_array(grad_output, f"{self.name} grad_output", allow_nan=True)
        if grad_output.shape != tuple(shape):
            raise ValueError(f"{self.name} grad_output: expected shape {tuple(shape)} (the last "
                             f"forward output), found {grad_output.shape}")
        return grad_output

    def _flat_features(self, input_shape) -> int:
        """The number of features of a flat example shape (features,), or a ValueError."""
        input_shape = tuple(input_shape)
        if len(input_shape) != 1:
            raise ValueError(f"{self.name}: {type(self).__name__} expects flat examples (features,), "
                             f"found input shape {input_shape}; put a Flatten() layer first")
        return int(input_shape[0])

    def _require_built(self) -> None:
        if not self.built:
            raise RuntimeError(f"{self.name}: call build(input_shape, rng) first (a Sequential "
                               "model does this for you)")

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, n_params={self.n_params})"
