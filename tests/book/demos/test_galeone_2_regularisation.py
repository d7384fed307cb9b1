"""nnbook.book.demos.galeone_2_regularisation: dropout expectations, weight decay, the
augmentation gallery, early stopping on a real validation curve, and batch normalisation
letting a deep sigmoid net train (Galeone ch. 2, §'Regularization' to §'Batch normalization').
"""

import numpy as np
import pytest

from nnbook.book.demos import galeone_2_regularisation as demos


def test_dropout_means_match_the_inference_output_in_both_schemes():
    a = np.array([0.5, 1.0, 2.0])
    n = 100_000
    r = demos.dropout_expectations(a, keep_prob=0.5, n_masks=n, seed=1)
    np.testing.assert_array_equal(r["direct"]["test_output"], 0.5 * a)       # q·a
    np.testing.assert_array_equal(r["inverted"]["test_output"], a)           # a
    for scheme, variance in (("direct", a ** 2 * 0.25), ("inverted", a ** 2 * 1.0)):
        np.testing.assert_allclose(r[scheme]["variance"], variance)
        tolerance = 5 * np.sqrt(variance / n)
        assert np.all(np.abs(r[scheme]["train_mean"] - r[scheme]["test_output"]) < tolerance)


def test_l2_step_is_weight_decay_by_one_minus_two_eta_lambda():
    """nnbook's L2(λ) is λ Σ w², so one SGD step is (1 − 2ηλ) w − η ∂E/∂w (not 1 − ηλ)."""
    eta, lam = 0.1, 0.05
    r = demos.weight_decay_step(learning_rate=eta, lam=lam, seed=3)
    assert r["shrink_factor"] == pytest.approx(1 - 2 * eta * lam)
    X, y, w = r["X"], r["y"], r["before"]
    # E = (1/n) Σ (y − Xw − b)² with b = 0 at the start, so ∂E/∂w = (2/n) Xᵀ(Xw − y)
    grad_E = 2.0 / len(X) * X.T @ (X @ w - y)
    np.testing.assert_allclose(r["data_gradient"], grad_E, rtol=1e-12)
    np.testing.assert_allclose(r["after"], (1 - 2 * eta * lam) * w - eta * grad_E, rtol=1e-12)
    assert not np.allclose(r["after"], (1 - eta * lam) * w - eta * grad_E)


def test_augmentation_gallery_and_the_arrow_check():
    g = demos.augmentation_gallery(step=8)
    photo = g["original"]
    assert photo.shape == (54, 80, 3) and 0.0 <= photo.min() and photo.max() <= 1.0
    np.testing.assert_array_equal(g["flip_left_right"], photo[:, ::-1])
    np.testing.assert_array_equal(g["flip_up_down"], photo[::-1])
    arrows = g["arrows"]
    np.testing.assert_array_equal(arrows["right flipped left-right"], arrows["left"])
    np.testing.assert_array_equal(arrows["right flipped up-down"], arrows["right"])


@pytest.fixture(scope="module")
def stopping():
    return demos.early_stopping_demo()


def test_the_small_net_overfits(stopping):
    curves = stopping["curves"]
    assert len(curves["val_accuracy"]) == 60
    assert curves["accuracy"][-1] == 1.0                           # memorises its 100 digits
    assert curves["val_accuracy"].max() < 0.95                     # but not the held-out ones


def test_patience_zero_stops_at_the_first_epoch_after_a_peak(stopping):
    val = stopping["curves"]["val_accuracy"]
    # from the complete curve: the first epoch that does not beat every earlier one
    first_no_gain = next(e for e in range(2, len(val) + 1) if val[e - 1] <= val[:e - 1].max())
    run = stopping["runs"][0]
    assert run["stopped_epoch"] == first_no_gain
    assert run["best_epoch"] == first_no_gain - 1
    assert run["restored_val_accuracy"] == pytest.approx(val[first_no_gain - 2])
    # on this noisy curve that is an early wobble; a patience window finds a far better epoch
    patient = stopping["runs"][10]
    assert patient["best_val_accuracy"] > run["best_val_accuracy"] + 0.1
    assert patient["stopped_epoch"] - patient["best_epoch"] == 11
    assert patient["best_val_accuracy"] == pytest.approx(val[:patient["stopped_epoch"]].max())


def test_batch_normalisation_lets_the_deep_sigmoid_net_train():
    """Measured over seeds 0–4: plain ≤ 0.103 test accuracy (chance), with BN 0.85–0.93."""
    r = demos.batchnorm_depth_demo(seeds=(0,))[0]
    assert r["plain"]["test_accuracy"] < 0.2
    assert r["plain"]["final_train_accuracy"] < 0.2
    assert r["batchnorm"]["test_accuracy"] > 0.7
    assert r["batchnorm"]["final_train_accuracy"] > 0.85


def test_deep_net_layout():
    net = demos.deep_net(3, 8, "tanh", True, seed=0)
    names = [type(layer).__name__ for layer in net.layers]
    assert names == ["Dense", "BatchNormalization", "Activation"] * 3 + ["Dense"]
    assert len(demos.deep_net(3, 8, "tanh", False, seed=0).layers) == 4
