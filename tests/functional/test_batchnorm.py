"""nnbook.functional.batchnorm: Ioffe & Szegedy's Batch Normalizing Transform (the lost
algorithm figure of Galeone ch. 2, §'Batch normalization') and its backward pass.

Oracles: hand values, the two properties mean 0 / variance σ²/(σ² + ε) of x̂, the identity
at γ = √(σ² + ε), β = μ, and central finite differences for the backward pass.
"""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.functional.batchnorm import (
    BatchNormCache,
    batchnorm_backward_reference,
    batchnorm_forward_reference,
    batchnorm_inference_reference,
)


def test_hand_values():
    x = np.array([[1.0], [3.0]])                 # μ = 2, σ² = 1
    y, cache = batchnorm_forward_reference(x, np.ones(1), np.zeros(1), eps=0.25)
    np.testing.assert_allclose(cache.mean, [2.0])
    np.testing.assert_allclose(cache.variance, [1.0])   # divided by m = 2, not m − 1
    np.testing.assert_allclose(y, [[-1 / np.sqrt(1.25)], [1 / np.sqrt(1.25)]])
    y2, _ = batchnorm_forward_reference(x, np.array([2.0]), np.array([5.0]), eps=0.25)
    np.testing.assert_allclose(y2, 2 * y + 5)


def test_batch_output_has_mean_zero_and_variance_sigma2_over_sigma2_plus_eps():
    rng = np.random.default_rng(0)
    x = rng.normal([3.0, -1.0, 0.0], [0.1, 2.0, 5.0], size=(50, 3))
    eps = 1e-2
    y, _ = batchnorm_forward_reference(x, np.ones(3), np.zeros(3), eps)
    sigma2 = x.var(axis=0)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), sigma2 / (sigma2 + eps), rtol=1e-12)


def test_gamma_sqrt_var_plus_eps_and_beta_mean_recover_the_input():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(7, 4)) * 3 + 2
    eps = 1e-3
    gamma = np.sqrt(x.var(axis=0) + eps)
    beta = x.mean(axis=0)
    y, _ = batchnorm_forward_reference(x, gamma, beta, eps)
    np.testing.assert_allclose(y, x, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("training", [True, False])
def test_backward_matches_finite_differences(training):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(5, 3)) * 2 + 1
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    mean, variance = rng.normal(size=3), rng.random(3) + 0.5
    weights = rng.normal(size=(5, 3))

    def forward(x_, g_, b_):
        if training:
            return batchnorm_forward_reference(x_, g_, b_, 1e-3)
        return batchnorm_inference_reference(x_, mean, variance, g_, b_, 1e-3)

    _, cache = forward(x, gamma, beta)
    grad_x, grad_gamma, grad_beta = batchnorm_backward_reference(weights, cache)
    loss_x = lambda v: np.sum(weights * forward(v, gamma, beta)[0])
    loss_g = lambda v: np.sum(weights * forward(x, v, beta)[0])
    loss_b = lambda v: np.sum(weights * forward(x, gamma, v)[0])
    assert relative_error(grad_x, numerical_gradient(loss_x, x.copy())) < 1e-7
    assert relative_error(grad_gamma, numerical_gradient(loss_g, gamma.copy())) < 1e-7
    assert relative_error(grad_beta, numerical_gradient(loss_b, beta.copy())) < 1e-7


def test_training_gradient_sums_to_zero_per_feature():
    # shifting every example of a feature by c leaves the output unchanged, so Σᵢ ∂L/∂xᵢ = 0
    rng = np.random.default_rng(3)
    _, cache = batchnorm_forward_reference(rng.normal(size=(6, 2)), np.ones(2), np.zeros(2))
    grad_x, _, _ = batchnorm_backward_reference(rng.normal(size=(6, 2)), cache)
    np.testing.assert_allclose(grad_x.sum(axis=0), 0.0, atol=1e-12)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least 2 values"):
        batchnorm_forward_reference(np.ones((1, 3)), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="one entry per feature"):
        batchnorm_forward_reference(np.ones((4, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="2-D"):
        batchnorm_forward_reference(np.ones(4), np.ones(1), np.zeros(1))
    with pytest.raises(ValueError, match="eps"):
        batchnorm_forward_reference(np.ones((4, 1)), np.ones(1), np.zeros(1), eps=0.0)
    with pytest.raises(ValueError, match="finite"):
        batchnorm_forward_reference(np.array([[1.0], [np.nan]]), np.ones(1), np.zeros(1))
    with pytest.raises(ValueError, match="empty"):
        batchnorm_forward_reference(np.ones((0, 1)), np.ones(1), np.zeros(1))
    with pytest.raises(ValueError, match=">= 0"):
        batchnorm_inference_reference(np.ones((2, 1)), [0.0], [-1.0], [1.0], [0.0])
    _, cache = batchnorm_forward_reference(np.eye(2), np.ones(2), np.zeros(2))
    assert isinstance(cache, BatchNormCache)
    with pytest.raises(ValueError, match="shape"):
        batchnorm_backward_reference(np.ones((3, 2)), cache)
    with pytest.raises(TypeError, match="BatchNormCache"):
        batchnorm_backward_reference(np.ones((2, 2)), {"x_hat": 1})


def test_constant_feature_is_finite_thanks_to_eps():
    y, cache = batchnorm_forward_reference(np.full((4, 1), 7.0), np.ones(1), np.array([0.5]))
    np.testing.assert_array_equal(y, 0.5)
    grad_x, _, _ = batchnorm_backward_reference(np.ones((4, 1)), cache)
    assert np.all(np.isfinite(grad_x))
