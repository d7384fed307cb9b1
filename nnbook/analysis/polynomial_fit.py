"""Under- and over-fitting made measurable: least-squares polynomials of growing degree, their
training and validation errors (《深度学习与神经网络》第5章 §5.2.8, Fig. 5-12).

A degree too low cannot follow the data (under-fitting: both errors high); a degree too high
follows the noise of the training points (over-fitting: training error near zero, validation
error up again). Between them the validation error is lowest. The polynomials are fitted in
the Legendre basis on the training interval mapped to [−1, 1], which keeps the least-squares
problem well conditioned up to interpolation (degree = number of points − 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial import legendre

from nnbook.validation import as_float_array, check_matching_rows, check_positive

__all__ = ["PolynomialFit", "fit_polynomial", "fit_errors", "noisy_curve"]


@dataclass(frozen=True)
class PolynomialFit:
    """A fitted polynomial: call it on x (any shape) for its values."""

    degree: int
    coefficients: np.ndarray        # Legendre coefficients on the mapped interval
    domain: tuple[float, float]     # the training interval, mapped to [−1, 1]

    def __call__(self, x) -> np.ndarray:
        low, high = self.domain
        t = (2 * as_float_array(x, "x") - (low + high)) / (high - low)
        return legendre.legval(t, self.coefficients)


def _points(x, y, what):
    x = as_float_array(x, f"x_{what}", ndim=1)
    y = as_float_array(y, f"y_{what}", ndim=1)
    check_matching_rows(x, y, f"x_{what}", f"y_{what}")
    return x, y


def fit_polynomial(x, y, degree: int) -> PolynomialFit:
    """The least-squares polynomial of ``degree`` through points x (n,), y (n,); degree < n."""
    x, y = _points(x, y, "train")
    degree = check_positive(degree, "degree", integer=True, allow_zero=True)
    if degree >= len(x):
        raise ValueError(f"degree: a polynomial of degree {degree} needs more than {degree} "
                         f"points to be determined, found {len(x)}")
    low, high = float(x.min()), float(x.max())
    if high == low:
        raise ValueError("x_train: expected at least two different x values, found one")
    t = (2 * x - (low + high)) / (high - low)
    coefficients = np.linalg.lstsq(legendre.legvander(t, degree), y, rcond=None)[0]
    return PolynomialFit(degree, coefficients, (low, high))


def fit_errors(x_train, y_train, x_val, y_val, degrees) -> dict:
    """Mean squared error on the training and the validation points for each degree.

    Returns {"degrees": (k,), "train": (k,), "validation": (k,), "fits": [PolynomialFit]}.
    """
    x_train, y_train = _points(x_train, y_train, "train")
    x_val, y_val = _points(x_val, y_val, "val")
    fits = [fit_polynomial(x_train, y_train, d) for d in degrees]
    if not fits:
        raise ValueError("degrees: expected at least one degree, found none")
    return {"degrees": np.array([f.degree for f in fits]),
            "train": np.array([np.mean((f(x_train) - y_train) ** 2) for f in fits]),
            "validation": np.array([np.mean((f(x_val) - y_val) ** 2) for f in fits]),
            "fits": fits}


def noisy_curve(n: int, rng: np.random.Generator, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """n points x ~ U[0, 1], y = sin(2πx) + N(0, noise²): a curve a cubic follows well."""
    n = check_positive(n, "n", integer=True)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")
    x = np.sort(rng.uniform(0.0, 1.0, n))
    return x, np.sin(2 * np.pi * x) + noise * rng.standard_normal(n)
