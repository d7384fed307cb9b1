"""Gradient check: an analytic gradient against central finite differences."""

import numpy as np

from nnbook.analysis.gradcheck import numerical_gradient

from .feedback import fail, index_text, labelled, show, type_hint, type_name

#: Rounding noise of f is taken as this many machine epsilons times |f|.
NOISE_ULPS = 100


def _scalar_value(value, name):
    __tracebackhide__ = True
    array = np.asarray(value) if value is not None and not callable(value) else None
    if array is None or array.dtype.kind not in "biuf" or array.size != 1:
        fail(name, f"f must return a single real number, found {type_name(value)}: {show(value)}",
             type_hint(value))
    return float(array.reshape(()))


def check_gradient(f, grad, x, *, name="gradient", eps=1e-6, tol=1e-6):
    """Check ``grad(x)`` against central finite differences of the scalar function ``f`` at ``x``.

    ``x``: any shape, used as float64; ``grad(x)`` must have the same shape. For each coordinate
    i, ``g_num[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` and the relative error is
    ``|g_num - g| / max(|g_num| + |g|, tiny)``, which must be ``<= tol``. ``tiny`` is the
    rounding noise of the difference quotient divided by ``tol`` (noise =
    NOISE_ULPS · machine epsilon · max(|f|, 1) / eps), so disagreements smaller than that noise,
    e.g. at coordinates where the gradient is zero, are not counted. The message names the worst
    coordinate.
    """
    __tracebackhide__ = True
    x = np.array(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        analytic = grad(x.copy())
    if analytic is None or callable(analytic) or isinstance(analytic, (str, bytes)):
        fail(name, f"expected an array of shape {x.shape}, found {type_name(analytic)}", type_hint(analytic))
    try:
        analytic = np.asarray(analytic, dtype=np.float64)
    except Exception:
        fail(name, f"expected an array of real numbers of shape {x.shape}, found {show(analytic)}")
    if analytic.shape != x.shape:
        fail(name, f"expected a gradient of shape {x.shape} (the shape of x), found {analytic.shape}",
             labelled("found:", analytic))
    if not np.isfinite(analytic).all():
        first = tuple(np.argwhere(~np.isfinite(analytic))[0])
        fail(name, f"found {show(analytic[first])} at coordinate {index_text(first)}",
             labelled("found:", analytic))

    largest_f = [abs(_scalar_value(f(x.copy()), name))]

    def scalar_f(point):
        value = _scalar_value(f(point.copy()), name)
        largest_f[0] = max(largest_f[0], abs(value))
        return value

    with np.errstate(all="ignore"):
        numeric = numerical_gradient(scalar_f, x.copy(), eps)
    f_scale = largest_f[0]
    if not np.isfinite(numeric).all():
        raise ValueError(f"check_gradient ({name}): f is not finite near x; choose another x or eps")

    noise = NOISE_ULPS * np.finfo(np.float64).eps * max(f_scale, 1.0) / eps
    tiny = noise / tol
    error = np.abs(numeric - analytic) / np.maximum(np.abs(numeric) + np.abs(analytic), tiny)
    bad = error > tol
    if bad.any():
        worst = np.unravel_index(int(np.argmax(error)), x.shape)
        at = f" at coordinate {index_text(worst)}" if worst else ""
        fail(name, f"does not match central finite differences{at}",
             f"finite difference {numeric[worst]:.10g}, yours {analytic[worst]:.10g}, "
             f"relative error {error[worst]:.3g} > tol {tol:g}",
             f"{int(bad.sum())} of {x.size} coordinates exceed the tolerance "
             f"(relative error = |g_num - g| / (|g_num| + |g|), eps = {eps:g})",
             labelled("finite differences:", numeric),
             labelled("yours:             ", analytic))
