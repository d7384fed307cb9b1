"""Feature scaling before training (陈强 §15.7, its practical advice).

Normalisation (归一化) maps each column to [0, 1]: x* = (x − min x)/(max x − min x).
Standardisation (标准化) gives each column mean 0 and standard deviation 1: x* = (x − x̄)/s_x.
The statistics are *fitted on the training set only* and then applied unchanged to validation
and test data, so no information from the test set leaks into training; test values can fall
outside [0, 1]. Arrays are (n, p) — one row per observation — or (n,) for a single column
(e.g. the response y of a regression, which 陈强 also scales).

Pixels need no fitting: their range is known. :func:`scale_pixels` maps [0, 255] linearly onto
[low, high] — by default [−1, 1], x/127.5 − 1, the range of a tanh output (Galeone, ch. 2,
§'Activation functions', scales a generative model's inputs this way) — and
:func:`unscale_pixels` maps back.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array


def _columns(X, name):
    X = as_float_array(X, name, ndim=(1, 2))
    if X.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one row, found shape {X.shape}")
    return X


class _ColumnScaler:
    """x* = (x − shift) / scale per column, with shift and scale fitted on training data.

    Subclasses set ``shift_`` and ``scale_`` in ``fit``; a column whose scale is 0 (constant)
    is shifted but not divided.
    """

    def _check(self, X):
        if not hasattr(self, "shift_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call "
                               "fit(X_train) first")
        X = _columns(X, "X")
        if np.shape(X)[1:] != np.shape(self.shift_):
            raise ValueError(f"X: expected rows of shape {np.shape(self.shift_)} as in the fitted "
                             f"data, found shape {X.shape}")
        return X

    def _divisor(self):
        return np.where(self.scale_ > 0, self.scale_, 1.0)

    def transform(self, X) -> np.ndarray:
        return (self._check(X) - self.shift_) / self._divisor()

    def inverse_transform(self, X) -> np.ndarray:
        return self._check(X) * self._divisor() + self.shift_


class MinMaxScaler(_ColumnScaler):
    """Normalisation fitted on training data: ``fit(X)``, ``transform``, ``inverse_transform``.

    shift = column minimum, scale = column range (``min_`` and ``range_``); a constant column is
    mapped to 0 instead of dividing by zero.
    """

    def fit(self, X) -> "MinMaxScaler":
        X = _columns(X, "X")
        self.min_ = self.shift_ = X.min(axis=0)
        self.range_ = self.scale_ = X.max(axis=0) - self.min_
        return self


class Standardizer(_ColumnScaler):
    """Standardisation fitted on training data (``ddof=0``: divide by n, like scikit-learn).

    shift = column mean, scale = column standard deviation (``mean_`` and ``scale_``); a
    constant column is centred but not divided.
    """

    def __init__(self, ddof: int = 0):
        if ddof not in (0, 1):
            raise ValueError(f"ddof: expected 0 (divide by n) or 1 (divide by n − 1), found {ddof!r}")
        self.ddof = ddof

    def fit(self, X) -> "Standardizer":
        X = _columns(X, "X")
        if X.shape[0] <= self.ddof:
            raise ValueError(f"X: need more than {self.ddof} rows to estimate a standard deviation")
        self.mean_ = self.shift_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0, ddof=self.ddof)
        return self


def min_max_scale(X_train, *others):
    """Normalise ``X_train`` to [0, 1] per column and apply the same map to each of ``others``.

    Returns the scaled training array alone, or a tuple ``(train, *others)`` when others are given.
    """
    scaler = MinMaxScaler().fit(X_train)
    scaled = tuple(scaler.transform(X) for X in (X_train, *others))
    return scaled[0] if not others else scaled


def standardize(X_train, *others, ddof: int = 0):
    """Standardise ``X_train`` per column; apply the training mean and s.d. to each of ``others``."""
    scaler = Standardizer(ddof=ddof).fit(X_train)
    scaled = tuple(scaler.transform(X) for X in (X_train, *others))
    return scaled[0] if not others else scaled


#: The largest value of an 8-bit pixel.
PIXEL_MAX = 255.0


def _pixel_range(low, high):
    for value, name in ((low, "low"), (high, "high")):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                or not np.isfinite(value):
            raise TypeError(f"{name}: expected a finite number, found {value!r}")
    if not high > low:
        raise ValueError(f"expected low < high, found low={low!r}, high={high!r}")
    return float(low), float(high)


def scale_pixels(x, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Map pixel values linearly from [0, 255] to [low, high]: low + (high − low)·x/255.

    With the defaults this is x/127.5 − 1: 0 → −1, 127.5 → 0, 255 → 1. Any shape; values
    outside [0, 255] are mapped by the same line, not clipped. uint8 input becomes float64.
    """
    low, high = _pixel_range(low, high)
    x = as_float_array(x, "x")
    return low + (high - low) * (x / PIXEL_MAX)


def unscale_pixels(y, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """The inverse of :func:`scale_pixels`: 255·(y − low)/(high − low), as floats
    (``np.clip(np.rint(x), 0, 255).astype(np.uint8)`` gives displayable pixels)."""
    low, high = _pixel_range(low, high)
    y = as_float_array(y, "y")
    return PIXEL_MAX * (y - low) / (high - low)
