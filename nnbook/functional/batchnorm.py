"""Batch normalisation as pure functions: the forward transform and its backward pass.

Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2, §'Batch normalization'. The
source shows the algorithm only as a figure, which is lost; what follows is the Batch
Normalizing Transform of Ioffe & Szegedy 2015 (Algorithm 1), which that figure reproduces.
For a mini-batch of m values x₁ … x_m of one feature:

1. μ = (1/m) Σ xᵢ                       (batch mean)
2. σ² = (1/m) Σ (xᵢ − μ)²                (batch variance, divided by m)
3. x̂ᵢ = (xᵢ − μ) / √(σ² + ε)             (normalised; ε > 0 keeps the division finite)
4. yᵢ = γ x̂ᵢ + β                         (learned scale γ and shift β)

So the batch output has mean β and variance γ² σ²/(σ² + ε) ≈ γ², and γ = √(σ² + ε), β = μ gives
back the input. Galeone calls γ a "standard deviation parameter" and β a "mean parameter":
they are a learned scale and shift, which *can* restore the batch's standard deviation and
mean but need not. At inference the batch statistics are replaced by fixed ones (running
averages collected in training, in :class:`nnbook.layers.BatchNormalization`), and the
transform becomes a fixed affine map of each feature.

Backward (an addition, not in the source chapter; Ioffe & Szegedy derive it with the chain
rule through μ and σ²): with g = ∂L/∂y and ĝ = γ g,

    ∂L/∂β = Σᵢ gᵢ,   ∂L/∂γ = Σᵢ gᵢ x̂ᵢ,
    ∂L/∂xᵢ = (1 / (m √(σ² + ε))) · (m ĝᵢ − Σⱼ ĝⱼ − x̂ᵢ Σⱼ ĝⱼ x̂ⱼ).

The two sums are what make every example's gradient depend on the whole batch. Arrays are
(N, F): N values per statistic (the batch, or batch × height × width for images), F features
or channels; γ, β, μ, σ² are (F,).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from nnbook.validation import as_float_array


@dataclass(frozen=True)
class BatchNormCache:
    """What the backward pass needs: x̂ (N, F), 1/√(σ² + ε) (F,), γ (F,), the statistics used
    (mean, variance, both (F,)) and whether they came from the batch (training) or were fixed."""

    x_hat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    batch_statistics: bool


def check_epsilon(eps) -> float:
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not np.isfinite(eps) \
            or eps <= 0:
        raise ValueError(f"eps: expected a small positive number such as 1e-3, found {eps!r}")
    return float(eps)


def _check_rows_and_vector(x, vectors: dict, what: str) -> tuple[np.ndarray, list[np.ndarray]]:
    x = as_float_array(x, "x", ndim=2)
    if x.shape[0] == 0:
        raise ValueError(f"{what}: expected at least one row, found an empty array {x.shape}")
    checked = []
    for name, value in vectors.items():
        value = as_float_array(value, name, ndim=1)
        if value.shape != (x.shape[1],):
            raise ValueError(f"{name}: expected one entry per feature, shape ({x.shape[1]},), "
                             f"found {value.shape}")
        checked.append(value)
    return x, checked


def _normalise(x, mean, variance, gamma, beta, eps, batch_statistics):
    inv_std = 1.0 / np.sqrt(variance + eps)
    x_hat = (x - mean) * inv_std
    cache = BatchNormCache(x_hat, inv_std, gamma, mean, variance, batch_statistics)
    return gamma * x_hat + beta, cache


def batchnorm_forward_unchecked(x, gamma, beta, eps):
    """:func:`batchnorm_forward_reference` without input checks (for callers that made them)."""
    mean = x.mean(axis=0)
    variance = np.mean(np.square(x - mean), axis=0)
    return _normalise(x, mean, variance, gamma, beta, eps, True)


def batchnorm_forward_reference(x, gamma, beta, eps=1e-3):
    """Training-mode batch normalisation of ``x`` (N, F) with the batch's own statistics.

    Returns ``(y, cache)``: y (N, F) and a :class:`BatchNormCache` for
    :func:`batchnorm_backward_reference`; ``cache.mean`` and ``cache.variance`` (÷N) are the
    batch statistics a layer folds into its running averages. Needs N ≥ 2: with one value per
    feature the variance is 0, every output is β whatever x is and ∂L/∂x is 0, so nothing
    would be learned through the layer — a ValueError says so (Keras returns β silently).
    """
    x, (gamma, beta) = _check_rows_and_vector(x, {"gamma": gamma, "beta": beta},
                                              "batchnorm_forward_reference")
    eps = check_epsilon(eps)
    if x.shape[0] < 2:
        raise ValueError("x: batch normalisation in training needs at least 2 values per "
                         "feature; with a batch of 1 the batch variance is 0 and the output is "
                         "β whatever the input (use inference mode, or batches of 2 or more)")
    return batchnorm_forward_unchecked(x, gamma, beta, eps)


def batchnorm_inference_unchecked(x, mean, variance, gamma, beta, eps):
    """:func:`batchnorm_inference_reference` without input checks."""
    return _normalise(x, mean, variance, gamma, beta, eps, False)


def batchnorm_inference_reference(x, mean, variance, gamma, beta, eps=1e-3):
    """Inference-mode batch normalisation: γ (x − mean)/√(variance + ε) + β with fixed
    statistics (F,) — each example is transformed on its own. Returns ``(y, cache)``."""
    x, (mean, variance, gamma, beta) = _check_rows_and_vector(
        x, {"mean": mean, "variance": variance, "gamma": gamma, "beta": beta},
        "batchnorm_inference_reference")
    if np.any(variance < 0):
        raise ValueError("variance: expected entries >= 0")
    return batchnorm_inference_unchecked(x, mean, variance, gamma, beta, check_epsilon(eps))


def batchnorm_backward_unchecked(grad_y, cache: BatchNormCache):
    """:func:`batchnorm_backward_reference` without input checks."""
    grad_beta = grad_y.sum(axis=0)
    grad_gamma = np.sum(grad_y * cache.x_hat, axis=0)
    grad_x_hat = grad_y * cache.gamma
    if not cache.batch_statistics:          # fixed statistics: a per-feature affine map
        return grad_x_hat * cache.inv_std, grad_gamma, grad_beta
    m = grad_y.shape[0]
    grad_x = (cache.inv_std / m) * (m * grad_x_hat - grad_x_hat.sum(axis=0)
                                    - cache.x_hat * np.sum(grad_x_hat * cache.x_hat, axis=0))
    return grad_x, grad_gamma, grad_beta


def batchnorm_backward_reference(grad_y, cache: BatchNormCache):
    """∂L/∂x (N, F), ∂L/∂γ (F,), ∂L/∂β (F,) from ∂L/∂y (N, F) and the forward pass's cache.

    In training mode the batch statistics depend on x, which adds the two batch sums of the
    module docstring; with fixed (inference) statistics ∂L/∂x = γ g / √(σ² + ε).
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError(f"cache: expected the BatchNormCache a forward pass returned, found "
                        f"{type(cache).__name__}")
    grad_y = as_float_array(grad_y, "grad_y", ndim=2, allow_nan=True)
    if grad_y.shape != cache.x_hat.shape:
        raise ValueError(f"grad_y: expected the forward output's shape {cache.x_hat.shape}, "
                         f"found {grad_y.shape}")
    return batchnorm_backward_unchecked(grad_y, cache)


__all__ = [
    "BatchNormCache",
    "batchnorm_backward_reference",
    "batchnorm_backward_unchecked",
    "batchnorm_forward_reference",
    "batchnorm_forward_unchecked",
    "batchnorm_inference_reference",
    "batchnorm_inference_unchecked",
    "check_epsilon",
]
