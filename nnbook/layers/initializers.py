"""Initial weights (陈强 §15.7, its closing advice on initialisation).

陈强 draws every entry of W₀ i.i.d. from N(0, 1) or U[−0.7, 0.7] and warns against equal
starting values (all 0 or all 1): units that start equal receive equal gradients and stay equal,
so the layer behaves like a single unit (chapter 2 shows this by training, with the "constant"
initializer).

Every initializer is a function ``(shape, rng) -> ndarray`` (float64); for a Dense kernel the
shape is (fan_in, fan_out). :func:`get_initializer` turns a name into such a function.
"""

from __future__ import annotations

import numbers

import numpy as np


def normal(shape, rng: np.random.Generator, stddev: float = 1.0) -> np.ndarray:
    """Entries i.i.d. N(0, stddev²); 陈强's first choice is N(0, 1)."""
    return stddev * rng.standard_normal(shape)


def uniform(shape, rng: np.random.Generator, limit: float = 0.7) -> np.ndarray:
    """Entries i.i.d. U[−limit, limit]; 陈强's second choice is U[−0.7, 0.7]."""
    return rng.uniform(-limit, limit, size=shape)


def glorot_uniform(shape, rng: np.random.Generator) -> np.ndarray:
    """U[−r, r] with r = √(6 / (fan_in + fan_out)) — Glorot & Bengio (2010), Keras' default.

    Not in 陈强; it keeps the variance of activations roughly constant from layer to layer.
    """
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """A random matrix with orthonormal rows or columns — Saxe et al. (2014), Keras' recurrent default.

    Not in 陈强. The shape is read as (prod(shape[:-1]), shape[-1]); the QR factor of a standard
    normal matrix, with the signs of R's diagonal moved into Q so that the draw is uniform
    (Haar) over orthogonal matrices, gives orthonormal columns when there are at least as many
    rows as columns and orthonormal rows otherwise (e.g. an LSTM's (H, 4H) recurrent kernel
    satisfies U Uᵀ = I). All singular values equal ``gain``, so a recurrent map neither shrinks
    nor stretches the state at the start of training.
    """
    shape = tuple(int(n) for n in shape)
    if len(shape) < 2:
        raise ValueError(f"orthogonal: expected a shape with at least 2 axes, found {shape}")
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    gaussian = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(gaussian)
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


def random_uniform(shape, rng: np.random.Generator) -> np.ndarray:
    """U[−0.05, 0.05]: Keras' ``"random_uniform"`` (Gulli & Pal ch. 1, the first Keras example)."""
    return uniform(shape, rng, limit=0.05)


def random_normal(shape, rng: np.random.Generator) -> np.ndarray:
    """N(0, 0.05²): Keras' ``"random_normal"`` (Gulli & Pal ch. 1)."""
    return normal(shape, rng, stddev=0.05)


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


#: Initialisers by name: 陈强's "normal" (N(0, 1)) and "uniform" (U[−0.7, 0.7]), and Keras'
#: names with Keras' defaults ("random_uniform" ±0.05, "random_normal" σ 0.05, "zeros"/"zero").
INITIALIZERS = {"normal": normal, "uniform": uniform, "glorot_uniform": glorot_uniform,
                "orthogonal": orthogonal,
                "random_uniform": random_uniform, "random_normal": random_normal,
                "zeros": zeros, "zero": zeros, "constant": constant(1.0)}


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
