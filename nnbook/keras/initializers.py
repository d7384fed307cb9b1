"""Initialisers by their Keras names (Gulli & Pal ch. 1, 'A first example of Keras code').

Keras resolves a name to its own initialiser, and some names mean something else in nnbook:
Keras' ``"uniform"`` and ``"normal"`` are aliases of ``random_uniform`` (U[−0.05, 0.05]) and
``random_normal`` (N(0, 0.05²)), while nnbook's core keeps those two names for 陈强's
U[−0.7, 0.7] and N(0, 1). :func:`get` therefore reads names through Keras' table
(:data:`KERAS_NAMES`) onto the functions of :mod:`nnbook.layers.initializers`.

The classes take Keras' arguments and are callables ``(shape, rng)`` like every nnbook
initialiser. With ``seed`` they draw from their own generator, made afresh on every call, so a
seeded initialiser gives the same values each time (as in Keras 3); without, from the model's.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.layers import initializers as core


class Initializer:
    """Base class: ``init(shape, rng)`` → array; ``seed`` (int or None) overrides ``rng``."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise TypeError(f"seed: expected an int or None, found {seed!r}")
        self.seed = seed

    def __call__(self, shape, rng=None):
        rng = np.random.default_rng(self.seed if self.seed is not None else rng)
        return self.draw(tuple(shape), rng)

    def draw(self, shape, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError


class RandomUniform(Initializer):
    """U[minval, maxval], Keras' default [−0.05, 0.05]."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        if not np.isfinite([minval, maxval]).all() or not minval < maxval:
            raise ValueError(f"RandomUniform: expected finite minval < maxval, found "
                             f"{minval!r}, {maxval!r}")
        self.minval, self.maxval = float(minval), float(maxval)

    def draw(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, size=shape)


class RandomNormal(Initializer):
    """N(mean, stddev²), Keras' default N(0, 0.05²)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        if not np.isfinite([mean, stddev]).all() or stddev <= 0:
            raise ValueError(f"RandomNormal: expected a finite mean and stddev > 0, found "
                             f"{mean!r}, {stddev!r}")
        self.mean, self.stddev = float(mean), float(stddev)

    def draw(self, shape, rng):
        return self.mean + core.normal(shape, rng, stddev=self.stddev)


class GlorotUniform(Initializer):
    """U[−r, r], r = √(6 / (fan_in + fan_out)): Keras' default kernel initialiser."""

    def draw(self, shape, rng):
        return core.glorot_uniform(shape, rng)


class Constant(Initializer):
    """Every entry ``value`` (Keras' default 0)."""

    def __init__(self, value=0.0):
        super().__init__(None)
        self._fill = core.constant(value)
        self.value = float(value)

    def draw(self, shape, rng):
        return self._fill(shape)


class Zeros(Constant):
    """All zeros (Keras' default bias initialiser)."""

    def __init__(self):
        super().__init__(0.0)


class Ones(Constant):
    """All ones."""

    def __init__(self):
        super().__init__(1.0)


#: Keras' names (and its aliases "uniform", "normal", "zero", "one") → nnbook initialisers.
KERAS_NAMES = {
    "glorot_uniform": core.glorot_uniform,
    "random_uniform": core.random_uniform, "uniform": core.random_uniform,
    "random_normal": core.random_normal, "normal": core.random_normal,
    "zeros": core.zeros, "zero": core.zeros,
    "ones": core.constant(1.0), "one": core.constant(1.0),
}

_CLASSES = {cls.__name__: cls for cls in
            (RandomUniform, RandomNormal, GlorotUniform, Zeros, Ones, Constant)}


def get(identifier):
    """An initialiser ``(shape, rng)`` from a Keras name (``"random_uniform"``, ``"RandomUniform"``)
    or a callable, which is returned unchanged."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str):
        if identifier in KERAS_NAMES:
            return KERAS_NAMES[identifier]
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
    raise ValueError(f"initializer: expected one of the Keras names {sorted(KERAS_NAMES)} (or a "
                     f"class name such as 'RandomUniform', or a callable (shape, rng)), found "
                     f"{identifier!r}")
