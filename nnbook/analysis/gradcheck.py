"""Gradient checking: analytic gradients against central finite differences (陈强 §15.7).

Backpropagation (陈强 (15.26)–(15.29)) is easy to get subtly wrong; the standard test compares it with

    ∂f/∂x_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / (2ε),

whose error is O(ε²) from truncation plus about machine-ε·|f|/ε from rounding. In float64 with
ε = 1e-6 both are near 1e-10 relative to a gradient of size 1, so a correct gradient agrees to
better than 1e-7 and a wrong one (a missing transpose, a factor 2) is off by far more.

``check_layer`` applies this to anything on the layer protocol of :mod:`nnbook.layers.base`
(``forward(x, training)``, ``backward(grad_out)``, ``params`` of Params, ``build``);
``check_model`` to a compiled :class:`~nnbook.models.sequential.Sequential`.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array, check_positive


def _scalar(value, what: str) -> float:
    array = np.asarray(value) if not callable(value) and value is not None else None
    if array is None or array.dtype.kind not in "biuf" or array.size != 1:
        raise TypeError(f"{what}: expected f to return one real number, found "
                        f"{type(value).__name__} {value!r:.80}")
    result = float(array.reshape(()))
    if not np.isfinite(result):
        raise ValueError(f"{what}: f returned {result}; choose a point where f is finite")
    return result


def numerical_gradient(f, x, eps=1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f`` at ``x`` (any shape).

    Returns an array of ``x``'s shape with entries (f(x + ε e_i) − f(x − ε e_i)) / (2ε).
    When ``x`` is a float64 ndarray it is perturbed **in place**, one entry at a time, and each
    entry is restored exactly afterwards — so ``f`` may ignore its argument and read an array it
    shares with ``x`` (a layer's parameter, say). Other inputs are copied to float64 first.
    """
    if not callable(f):
        raise TypeError(f"numerical_gradient: expected a callable f, found {type(f).__name__}")
    check_positive(eps, "eps")
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        if not np.all(np.isfinite(x)):
            raise ValueError("numerical_gradient: x contains NaN or infinity")
        point = x
    else:
        point = np.array(as_float_array(x, "x"), dtype=np.float64)
    gradient = np.empty(point.shape, dtype=np.float64)
    for index in np.ndindex(point.shape):
        original = point[index]
        try:
            point[index] = original + eps
            f_plus = _scalar(f(point), "numerical_gradient")
            point[index] = original - eps
            f_minus = _scalar(f(point), "numerical_gradient")
        finally:
            point[index] = original
        gradient[index] = (f_plus - f_minus) / (2.0 * eps)
    return gradient


def richardson_gradient(f, x, eps=1e-3) -> np.ndarray:
    """Fourth-order finite-difference gradient: (4 D(ε/2) − D(ε)) / 3, D the central difference.

    Richardson extrapolation cancels the O(ε²) term of :func:`numerical_gradient`, leaving
    O(ε⁴): with ε = 1e-3 truncation and rounding both stay near 1e-12, so a correct backward
    agrees to about 1e-11 — the check to use when a 1e-9 tolerance must hold (a plain central
    difference stalls near 1e-9 there). ``x`` is perturbed in place as in
    :func:`numerical_gradient`.
    """
    check_positive(eps, "eps")
    return (4.0 * numerical_gradient(f, x, eps / 2.0) - numerical_gradient(f, x, eps)) / 3.0


def relative_error(a, b) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖) in the Euclidean norm over all entries; 0 when both are zero.

    A norm-wise error: a few entries that are zero up to rounding do not blow it up, as
    entry-wise ratios would.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a and b must have the same shape; found {a.shape} "
                         f"and {b.shape}")
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def _check_generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")


def layer_gradient_errors(layer, x, rng, eps=1e-6, training=False) -> dict:
    """Relative error of every gradient of ``layer`` at ``x``: {"input": e, param name: e, …}.

    The scalar loss is a random linear functional of the output, ℓ(x, θ) = Σ R ⊙ layer(x) with
    R ~ N(0, 1) drawn from ``rng`` (so every output entry matters); ``backward(R)`` gives the
    analytic ∂ℓ/∂x and the trainable Params' ``grad`` (fixed parameters have none);
    :func:`numerical_gradient` gives the reference. An unbuilt layer is built for ``x.shape[1:]``
    with ``rng``. ``x``: (batch, …).
    """
    _check_generator(rng)
    x = as_float_array(x, "x")
    if x.ndim < 1 or x.shape[0] == 0:
        raise ValueError(f"check_layer: expected x with a batch axis (batch, ...), found shape "
                         f"{x.shape}")
    owner = f"check_layer({type(layer).__name__})"
    if not layer.built:
        layer.build(x.shape[1:], rng)
    layer.zero_grads()
    output = np.asarray(layer.forward(x.copy(), training=training), dtype=np.float64)
    weights = rng.standard_normal(output.shape)
    grad_input = np.asarray(layer.backward(weights.copy()), dtype=np.float64)
    if grad_input.shape != x.shape:
        raise ValueError(f"{owner}: backward returned shape {grad_input.shape}, expected the "
                         f"input's shape {x.shape}")
    trainable = {key: param for key, param in layer.params.items() if param.trainable}
    analytic = {key: param.grad.copy() for key, param in trainable.items()}

    def functional(inputs):
        return float(np.sum(weights * layer.forward(inputs, training=training)))

    errors = {"input": relative_error(grad_input, numerical_gradient(functional, x.copy(), eps))}
    for key, param in trainable.items():
        numeric = numerical_gradient(lambda _: functional(x.copy()), param.value, eps)
        errors[key] = relative_error(analytic[key], numeric)
    return errors


def check_layer(layer, x, rng, eps=1e-6, training=False) -> float:
    """Largest relative error over the input gradient and every parameter gradient of ``layer``.

    See :func:`layer_gradient_errors`; a correct layer gives < 1e-7 in float64. Layers that are
    random in training (dropout) must be checked with ``training=False`` or a fixed mask.
    """
    return max(layer_gradient_errors(layer, x, rng, eps=eps, training=training).values())


def model_gradient_errors(model, X, Y, eps=1e-6) -> dict:
    """Relative error of every parameter gradient of a compiled ``model`` on (X, Y).

    Keys are "position:layer name.parameter name" (position in ``model.layers``). The analytic
    gradients are what ``model.compute_gradients(X, Y, training=False)`` leaves in the Params
    (loss, fused output pairs and weight penalties (陈强 (15.33)) included); the reference
    differentiates ``model.compute_loss(X, Y)`` numerically.
    """
    for method in ("compute_gradients", "compute_loss"):
        if not callable(getattr(model, method, None)):
            raise TypeError(f"check_model: expected a model with {method}(X, Y) such as an nnbook "
                            f"Sequential, found {type(model).__name__}")
    X = as_float_array(X, "X")
    Y = as_float_array(Y, "Y")
    model.compute_gradients(X, Y, training=False)
    analytic = {}
    for number, layer in enumerate(model.layers):
        for key, param in layer.params.items():
            if param.trainable:
                analytic[f"{number}:{layer.name}.{key}"] = (param, param.grad.copy())
    return {label: relative_error(grad, numerical_gradient(
                lambda _: model.compute_loss(X, Y, training=False), param.value, eps))
            for label, (param, grad) in analytic.items()}


def check_model(model, X, Y, eps=1e-6) -> float:
    """Largest relative error over every parameter gradient of a whole model.

    See :func:`model_gradient_errors`; backprop through a correct model gives < 1e-7 in float64.
    """
    errors = model_gradient_errors(model, X, Y, eps=eps)
    if not errors:
        raise ValueError("check_model: the model has no parameters; nothing to check")
    return max(errors.values())
