"""Discrete signals and systems: why a CNN's operation is called a convolution.

Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2, §'The convolution operator'.
A system S maps an input signal x to an output y = S{x}. It is *linear* when
S{αx₁ + βx₂} = αS{x₁} + βS{x₂} and *time invariant* when delaying the input by τ delays the
output by τ (the source's two definitions). Its *impulse response* is h = S{δ}, the answer to the
unit impulse δ (the Kronecker delta: 1 at n = 0, 0 elsewhere). Every signal is a sum of shifted,
scaled impulses, x[n] = Σ_m x[m] δ[n − m] (the sifting property), so linearity and time
invariance give the output of an LTI system for *any* input from h alone:

    y[n] = Σ_m x[m] h[n − m] = (x * h)[n]        (discrete convolution; commutative: x*h = h*x)

Here signals are finite numpy arrays that start at n = 0 and are zero before; systems are
causal and start at rest, so the identities hold exactly on the window (``S(x)`` equals the
first ``len(x)`` samples of ``convolve1d(x, S(δ))`` — the check of :func:`output_by_convolution`).
:func:`convolve1d` is the readable double loop (tested against ``np.convolve``);
:func:`correlate1d` slides without flipping, which is what a CNN layer computes.
The 2-D versions are in :mod:`nnbook.functional.convolution`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nnbook.validation import as_float_array, check_positive

__all__ = [
    "unit_impulse", "convolve1d", "correlate1d", "MODES",
    "System", "moving_average", "exponential_smoother", "squarer", "ramp_gain",
    "impulse_response", "output_by_convolution",
    "PropertyCheck", "is_linear", "is_time_invariant",
]

#: The three output windows of :func:`convolve1d`, as in ``np.convolve``.
MODES = ("full", "valid", "same")


# --- signals ---------------------------------------------------------------------------------

def unit_impulse(n, at=0) -> np.ndarray:
    """The Kronecker delta: an array of shape ``n`` that is 1 at index ``at`` and 0 elsewhere.

    ``n`` is a length (1-D signal) or a shape tuple (an image: the 2-D delta, "independent of
    the dimension" as the source puts it); ``at`` is an index or a tuple of indices.
    """
    if isinstance(n, numbers.Integral):
        shape = (n,)
    elif isinstance(n, (tuple, list)):
        shape = tuple(n)
    else:
        raise TypeError(f"n: expected a length (int) or a shape (tuple of ints), found {n!r}")
    for d in shape:
        check_positive(d, "n", integer=True)
    where = (at,) if isinstance(at, numbers.Integral) else tuple(at)
    if len(where) != len(shape) or not all(isinstance(i, numbers.Integral) for i in where):
        raise TypeError(f"at: expected {len(shape)} integer index(es) for shape {shape}, found {at!r}")
    if not all(0 <= i < d for i, d in zip(where, shape)):
        raise ValueError(f"at: expected an index inside the shape {shape}, found {at!r}")
    delta = np.zeros(shape)
    delta[where] = 1.0
    return delta


def _check_system(system) -> Callable:
    if not callable(system):
        raise TypeError(f"system: expected a callable signal -> signal (e.g. moving_average(3)), "
                        f"found {type(system).__name__}")
    return system


def _signal(x, name) -> np.ndarray:
    x = as_float_array(x, name, ndim=1)
    if x.size == 0:
        raise ValueError(f"{name}: expected a signal with at least one sample, found an empty array")
    return x


def _output_indices(n_x: int, n_h: int, mode: str, stride: int) -> range:
    """The indices n of the full convolution kept by ``mode``, every ``stride``-th one."""
    shorter, longer = min(n_x, n_h), max(n_x, n_h)
    if mode == "full":              # every n where the two overlap at all
        first, count = 0, n_x + n_h - 1
    elif mode == "valid":           # only where the shorter one lies wholly inside the longer
        first, count = shorter - 1, longer - shorter + 1
    elif mode == "same":            # as long as the longer one, centred like np.convolve
        first, count = (shorter - 1) // 2, longer
    else:
        raise ValueError(f"mode: expected one of {MODES}, found {mode!r}")
    return range(first, first + count, stride)


def convolve1d(x, h, mode: str = "full", stride: int = 1) -> np.ndarray:
    """The discrete convolution (x * h)[n] = Σ_m x[m] h[n − m] of two finite signals.

    ``mode``: "full" (length len(x) + len(h) − 1), "valid" (only where the shorter signal fits
    wholly inside the longer one: length max − min of the lengths + 1) or "same" (the length of the
    longer one, centred) — the windows of ``np.convolve``. ``stride`` S keeps every S-th output
    (an addition for the CNN's stride: in "valid" mode the length is ⌊(I − k)/S⌋ + 1, see
    :func:`nnbook.functional.convolution.conv_output_size`).
    """
    x, h = _signal(x, "x"), _signal(h, "h")
    check_positive(stride, "stride", integer=True)
    indices = _output_indices(len(x), len(h), mode, int(stride))
    y = np.zeros(len(indices))
    for out, n in enumerate(indices):
        total = 0.0
        # the m where both x[m] and h[n − m] are samples (both signals are zero elsewhere)
        for m in range(max(0, n - len(h) + 1), min(len(x), n + 1)):
            total += x[m] * h[n - m]
        y[out] = total
    return y


def correlate1d(x, h, mode: str = "valid", stride: int = 1) -> np.ndarray:
    """Cross-correlation c[n] = Σ_m x[n + m] h[m]: slide h over x *without* flipping it.

    This is what a CNN's "convolution" computes; it is the convolution with the reversed
    kernel, which is how it is computed here. Equals ``np.correlate(x, h, mode)`` (default
    "valid", as numpy's) whenever len(x) >= len(h), the CNN's case (for a longer h numpy
    centres "same" one sample differently).
    """
    h = _signal(h, "h")
    return convolve1d(x, h[::-1], mode, stride)


# --- systems ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class System:
    """A discrete system: a named rule mapping a finite signal x (n,) to its response y (n,)."""

    name: str
    rule: Callable[[np.ndarray], np.ndarray]

    def __call__(self, x) -> np.ndarray:
        x = _signal(x, "x")
        y = np.asarray(self.rule(x), dtype=np.float64)
        if y.shape != x.shape:
            raise ValueError(f"{self.name}: the response has shape {y.shape}, expected {x.shape}")
        return y


def moving_average(k: int) -> System:
    """The causal moving average y[n] = (1/k) Σ_{m=0}^{k−1} x[n − m] (x = 0 before n = 0): LTI,
    with impulse response 1/k for n = 0 … k − 1."""
    check_positive(k, "k", integer=True)

    def rule(x):
        y = np.zeros(len(x))
        for n in range(len(x)):
            window = x[max(0, n - k + 1): n + 1]
            y[n] = window.sum() / k
        return y

    return System(f"moving average of {k}", rule)


def exponential_smoother(a: float) -> System:
    """The recursive smoother y[n] = a·x[n] + (1 − a)·y[n − 1], y[−1] = 0, for 0 < a ≤ 1: LTI,
    with an infinitely long impulse response h[n] = a (1 − a)ⁿ."""
    check_positive(a, "a")
    if a > 1:
        raise ValueError(f"a: expected 0 < a <= 1, found {a!r}")

    def rule(x):
        y = np.zeros(len(x))
        previous = 0.0
        for n in range(len(x)):
            previous = a * x[n] + (1 - a) * previous
            y[n] = previous
        return y

    return System(f"exponential smoother a={a}", rule)


def squarer() -> System:
    """y[n] = x[n]²: time invariant but not linear (a counter-example)."""
    return System("squarer", lambda x: x * x)


def ramp_gain() -> System:
    """y[n] = (n + 1)·x[n]: linear but not time invariant — the gain depends on the time."""
    return System("ramp gain", lambda x: np.arange(1, len(x) + 1) * x)


def impulse_response(system: Callable, n: int) -> np.ndarray:
    """h = S{δ}: the first ``n`` samples of the system's response to the unit impulse."""
    check_positive(n, "n", integer=True)
    return np.asarray(_check_system(system)(unit_impulse(n)), dtype=np.float64)


def output_by_convolution(system: Callable, x) -> np.ndarray:
    """What an LTI system must output for x: the first len(x) samples of x * S{δ}.

    For an LTI system this equals ``system(x)``; for a counter-example it does not.
    """
    x = _signal(x, "x")
    return convolve1d(x, impulse_response(_check_system(system), len(x)))[:len(x)]


# --- property checks -------------------------------------------------------------------------

class PropertyCheck(NamedTuple):
    """Whether a property held on every random trial, and the worst relative deviation seen."""

    holds: bool
    worst_deviation: float

    def __bool__(self):
        return bool(self.holds)


def _deviation(got, expected) -> float:
    return float(np.max(np.abs(got - expected)) / max(1.0, float(np.max(np.abs(expected)))))


def _check_trials(system, rng, length, trials):
    _check_system(system)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), "
                        f"found {type(rng).__name__}")
    check_positive(length, "length", integer=True)
    check_positive(trials, "trials", integer=True)
    if length < 2:
        raise ValueError(f"length: expected at least 2 samples, found {length}")


def is_linear(system: Callable, rng: np.random.Generator, *, length: int = 32,
              trials: int = 10, tol: float = 1e-9) -> PropertyCheck:
    """Check S{αx₁ + βx₂} = αS{x₁} + βS{x₂} on ``trials`` random signals and coefficients.

    Returns (holds, worst deviation relative to the size of the expected output).
    Random trials can refute linearity but only support it.
    """
    _check_trials(system, rng, length, trials)
    worst = 0.0
    for _ in range(trials):
        x1, x2 = rng.standard_normal((2, length))
        alpha, beta = rng.standard_normal(2)
        got = system(alpha * x1 + beta * x2)
        expected = alpha * system(x1) + beta * system(x2)
        worst = max(worst, _deviation(got, expected))
    return PropertyCheck(worst <= tol, worst)


def _delay(x, tau):
    """x delayed by tau samples on the same window (zeros enter, the tail drops out)."""
    return np.concatenate([np.zeros(tau), x[:len(x) - tau]])


def is_time_invariant(system: Callable, rng: np.random.Generator, *, length: int = 32,
                      trials: int = 10, tol: float = 1e-9) -> PropertyCheck:
    """Check S{x delayed by τ} = S{x} delayed by τ for random signals and delays 1 ≤ τ < length.

    Meant for causal systems at rest (the output before the delayed input starts is 0).
    Returns (holds, worst relative deviation).
    """
    _check_trials(system, rng, length, trials)
    worst = 0.0
    for _ in range(trials):
        x = rng.standard_normal(length)
        tau = int(rng.integers(1, length))
        worst = max(worst, _deviation(system(_delay(x, tau)), _delay(system(x), tau)))
    return PropertyCheck(worst <= tol, worst)
