"""Initial weights (陈强 §15.8, the paragraph before (15.30); inventory 000 W9, F53).

The source draws every entry of W₀ i.i.d. from N(0, 1) or U[−0.7, 0.7] and warns against equal
starting values (all 0 or all 1): units that start equal receive equal gradients and stay equal,
so the layer behaves like a single unit. :func:`symmetry_demo` shows this by training.

Every initializer is a function ``(shape, rng) -> ndarray`` (float64); for a Dense kernel the
shape is (fan_in, fan_out). :func:`get_initializer` turns a name into such a function.
"""

from __future__ import annotations

import numbers

import numpy as np


def normal(shape, rng: np.random.Generator, stddev: float = 1.0) -> np.ndarray:
    """Entries i.i.d. N(0, stddev²); the source's choice is N(0, 1) (W9)."""
    return stddev * rng.standard_normal(shape)


def uniform(shape, rng: np.random.Generator, limit: float = 0.7) -> np.ndarray:
    """Entries i.i.d. U[−limit, limit]; the source's choice is U[−0.7, 0.7] (W9)."""
    return rng.uniform(-limit, limit, size=shape)


def glorot_uniform(shape, rng: np.random.Generator) -> np.ndarray:
    """U[−r, r] with r = √(6 / (fan_in + fan_out)) — Glorot & Bengio (2010), Keras' default.

    Not in 陈强; it keeps the variance of activations roughly constant from layer to layer.
    """
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def zeros(shape, rng: np.random.Generator | None = None) -> np.ndarray:
    """All zeros: fine for biases, the symmetric start the source warns against for weights."""
    return np.zeros(shape)


def constant(value: float = 1.0):
    """An initializer that fills with ``value`` (the "all 1" start of the source's warning)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"constant: expected a finite real value, found {value!r}")

    def fill(shape, rng: np.random.Generator | None = None) -> np.ndarray:
        return np.full(shape, float(value))

    fill.__name__ = f"constant({value})"
    return fill


INITIALIZERS = {"normal": normal, "uniform": uniform, "glorot_uniform": glorot_uniform,
                "zeros": zeros, "constant": constant(1.0)}


def get_initializer(spec):
    """Initializer from a name in :data:`INITIALIZERS` or a callable ``(shape, rng)``."""
    if callable(spec):
        return spec
    if isinstance(spec, str) and spec in INITIALIZERS:
        return INITIALIZERS[spec]
    raise ValueError(f"initializer: expected one of {sorted(INITIALIZERS)} or a callable "
                     f"(shape, rng) -> array, found {spec!r}")


def _fans(shape) -> tuple[int, int]:
    shape = tuple(shape)
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) > 2:  # convolution kernels (filters, channels, kh, kw)
        receptive = int(np.prod(shape[2:]))
        return shape[1] * receptive, shape[0] * receptive
    size = int(np.prod(shape)) if shape else 1
    return size, size


def symmetry_demo(initializer="constant", steps: int = 50, rng=0) -> dict:
    """Train a 2-3-1 network on XOR from ``initializer`` and report whether hidden units differ.

    Returns a dict: ``initial`` and ``trained`` hidden kernels (2, 3), ``column_spread``
    (largest difference between two hidden units' incoming weights after training, 0 when the
    symmetry never breaks) and ``losses`` (per step). With ``"constant"`` (or ``"zeros"``)
    the three hidden units stay identical — the source's reason for random W₀; with
    ``"uniform"`` or ``"normal"`` they separate.
    """
    from nnbook.layers import Dense
    from nnbook.model import Sequential
    from nnbook.optim import SGD

    rng = np.random.default_rng(rng)
    init = constant(0.5) if initializer == "constant" else get_initializer(initializer)
    model = Sequential([Dense(3, activation="sigmoid", kernel_initializer=init),
                        Dense(1, activation="sigmoid", kernel_initializer=init)],
                       input_shape=(2,), rng=rng)
    model.compile(loss="mse", optimizer=SGD(learning_rate=1.0))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    hidden = model.layers[0]
    initial = hidden.params["W"].copy()
    losses = [model.train_on_batch(X, Y) for _ in range(steps)]
    trained = hidden.params["W"].copy()
    spread = float(np.max(trained.max(axis=1) - trained.min(axis=1)))
    return {"initial": initial, "trained": trained, "column_spread": spread,
            "losses": np.array(losses)}
