"""nnbook.analysis.polynomial_fit: under- and over-fitting (《深度学习与神经网络》第5章 §5.2.8, Fig. 5-12)."""

import numpy as np
import pytest

from nnbook.analysis.polynomial_fit import fit_errors, fit_polynomial, noisy_curve


def test_fit_recovers_an_exact_polynomial_off_the_unit_interval():
    x = np.linspace(-3.0, 5.0, 9)
    y = 2.0 - x + 0.5 * x ** 3
    fit = fit_polynomial(x, y, 3)
    np.testing.assert_allclose(fit(np.array([-2.5, 0.0, 7.0])),
                               [2 + 2.5 + 0.5 * -15.625, 2.0, 2 - 7 + 0.5 * 343], rtol=1e-10)
    interpolant = fit_polynomial(x, np.cos(x), len(x) - 1)     # degree n − 1 passes every point
    np.testing.assert_allclose(interpolant(x), np.cos(x), atol=1e-9)


def test_errors_show_under_good_and_over_fitting():
    rng = np.random.default_rng(5)
    x_train, y_train = noisy_curve(12, rng)
    x_val, y_val = noisy_curve(200, rng)
    errors = fit_errors(x_train, y_train, x_val, y_val, range(12))
    train, val = errors["train"], errors["validation"]
    assert np.all(np.diff(train) <= 1e-12)          # more freedom never fits the training set worse
    assert train[-1] < 1e-20                        # degree 11 through 12 points: interpolation
    best = int(np.argmin(val))
    assert 3 <= best <= 6                           # a cubic-ish curve is fitted best by a middle degree
    assert val[0] > 5 * val[best] and val[-1] > 5 * val[best]   # under- and over-fitting both cost


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="needs more than 3 points"):
        fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 3.0], 3)
    with pytest.raises(ValueError, match="two different x"):
        fit_polynomial([1.0, 1.0], [1.0, 2.0], 1)
    with pytest.raises(ValueError, match="NaN|finite"):
        fit_polynomial([0.0, np.nan, 2.0], [1.0, 2.0, 3.0], 1)
    with pytest.raises(TypeError, match="Generator"):
        noisy_curve(5, 0)
    with pytest.raises(ValueError, match="at least one degree"):
        fit_errors([0.0, 1.0], [0.0, 1.0], [0.5], [0.5], [])
