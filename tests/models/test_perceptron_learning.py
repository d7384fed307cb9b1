"""nnbook.models.perceptron_learning (陈强 §15.2): hand-computed updates, Novikoff's bound, XOR.

Oracles are independent of nnbook: truth tables from Python's bit operators, update steps
worked out by hand, Novikoff's bound over many random draws.
"""

import numpy as np
import pytest

from nnbook.data.separable import make_separable
from nnbook.models.logic_gates import gate_dataset
from nnbook.models.perceptron_learning import (
    PerceptronClassifier,
    misclassified,
    novikoff_bound,
    perceptron_loss,
)

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]
GATES = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b, "NAND": lambda a, b: 1 - (a & b)}


# --- the update rules (15.5)–(15.6) and the loss (15.2), checked by hand ----------------------

X_HAND = np.array([[1.0, 2.0], [-1.0, 0.0], [0.0, 1.0]])
Y_HAND = np.array([1, 1, -1])


def test_one_batch_step_by_hand():
    # w = b = 0: every margin is 0, so 𝓜 = {0, 1, 2};
    # Σ y x = (1, 2) + (−1, 0) − (0, 1) = (0, 1), Σ y = 1; times η = 0.5
    clf = PerceptronClassifier(eta=0.5, max_iter=1, mode="batch").fit(X_HAND, Y_HAND)
    assert clf.weights_.tolist() == [0.0, 0.5] and clf.bias_ == 0.5
    assert clf.n_updates_ == 1 and clf.mistakes_history_[0] == 3


def test_one_online_pass_by_hand():
    # (1, 2): z = 0 → w = (1, 2), b = 1; (−1, 0): z = −1 + 1 = 0 → w = (0, 2), b = 2;
    # (0, 1) with y = −1: z = 4 → w = (0, 1), b = 1. Three updates.
    clf = PerceptronClassifier(eta=1.0, max_iter=1, mode="online").fit(X_HAND, Y_HAND)
    assert clf.weights_.tolist() == [0.0, 1.0] and clf.bias_ == 1.0 and clf.n_updates_ == 3


def test_loss_and_misclassified_set_by_hand():
    w, b = np.array([1.0, -1.0]), 0.5
    # margins y(w'x + b): 1·(−1 + 0.5) = −0.5, 1·(−1 + 0.5) = −0.5, −1·(−1 + 0.5) = 0.5
    assert misclassified(X_HAND, Y_HAND, w, b).tolist() == [0, 1]
    assert perceptron_loss(X_HAND, Y_HAND, w, b) == 1.0


def test_loss_history_is_15_2_along_the_path():
    X, y, _, _ = make_separable(40, 3, 0.05, np.random.default_rng(3))
    clf = PerceptronClassifier(eta=0.3, max_iter=5, mode="batch").fit(X, y)
    w, b = np.zeros(3), 0.0
    for k in range(len(clf.loss_history_) - 1):  # replay the updates independently
        wrong = [i for i in range(len(y)) if y[i] * (X[i] @ w + b) <= 0]
        expected = -sum(y[i] * (X[i] @ w + b) for i in wrong)
        assert clf.loss_history_[k] == pytest.approx(expected, abs=1e-12)
        assert clf.mistakes_history_[k] == len(wrong)
        w = w + 0.3 * sum(y[i] * X[i] for i in wrong)
        b = b + 0.3 * sum(y[i] for i in wrong)
    assert np.allclose(clf.weights_, w) and clf.bias_ == pytest.approx(b)


def test_predict_uses_sign_of_15_8_with_sign_0_plus_one():
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, -1])
    clf = PerceptronClassifier(initial_weights=[1.0, 0.0]).fit(X, y)
    assert clf.converged_ and clf.n_updates_ == 0
    assert clf.predict(np.array([[0.0, 5.0], [-0.1, 0.0], [0.1, 0.0]])).tolist() == [1, -1, 1]


# --- learnable gates, and XOR -----------------------------------------------------------------

@pytest.mark.parametrize("mode", ["batch", "online"])
@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
def test_and_or_nand_are_learned(name, mode):
    X, y = gate_dataset(name)
    clf = PerceptronClassifier(mode=mode, max_iter=100, rng=np.random.default_rng(0)).fit(X, y)
    assert clf.converged_
    assert clf.predict(X).tolist() == [1 if GATES[name](a, b) else -1 for a, b in BITS]
    assert clf.loss_history_[-1] == 0 and clf.mistakes_history_[-1] == 0


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_xor_never_converges(mode):
    X, y = gate_dataset("XOR")
    rng = np.random.default_rng(5)
    clf = PerceptronClassifier(mode=mode, max_iter=300, rng=rng,
                               initial_weights=rng.normal(size=2),
                               initial_bias=float(rng.normal())).fit(X, y)
    assert not clf.converged_
    assert len(clf.loss_history_) == 301
    assert min(clf.mistakes_history_) >= 1 and min(clf.loss_history_) > 0
    assert np.mean(clf.predict(X) == y) <= 0.75


def test_xor_from_zero_is_stuck_with_zero_loss_but_all_points_wrong():
    # Σ y_i (x_i, 1) over the four XOR points is 0, so the batch step never moves (15.5)–(15.6):
    # the loss (15.2) is 0 yet every point sits on the boundary — 𝓜 = ∅ is the stopping rule.
    X, y = gate_dataset("XOR")
    assert np.array_equal(y @ np.hstack([X, np.ones((4, 1))]), np.zeros(3))
    clf = PerceptronClassifier(mode="batch", max_iter=20).fit(X, y)
    assert not clf.converged_ and np.all(clf.weights_ == 0) and clf.bias_ == 0
    assert set(clf.loss_history_) == {0.0} and set(clf.mistakes_history_) == {4}


# --- convergence on separable data and Novikoff's bound ---------------------------------------

def test_novikoff_bound_by_hand():
    # R = max ‖(x, 1)‖ = √2, (w, b) = (1, 0, 0) has norm 1, γ = 1 → (R/γ)² = 2
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, -1])
    assert novikoff_bound(X, y, [1.0, 0.0], 0.0) == pytest.approx(2.0)
    # scaling (w, b) does not change the bound
    assert novikoff_bound(X, y, [7.0, 0.0], 0.0) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="margin"):
        novikoff_bound(X, y, [-1.0, 0.0], 0.0)
    # with a bias: x = 2 and 0, plane x − 1 = 0; ‖(w, b)‖ = √2, γ = 1/√2, R = ‖(2, 1)‖ = √5
    assert novikoff_bound([[2.0], [0.0]], [1, -1], [1.0], -1.0) == pytest.approx(10.0)




def test_online_mistakes_never_exceed_novikoff_over_many_draws():
    rng = np.random.default_rng(11)
    ratios = []
    for draw in range(150):
        d = int(rng.integers(2, 6))
        margin = float(rng.choice([0.02, 0.05, 0.1]))
        X, y, w, b = make_separable(int(rng.integers(20, 120)), d, margin, rng)
        clf = PerceptronClassifier(mode="online", max_iter=100_000, rng=rng).fit(X, y)
        bound = novikoff_bound(X, y, w, b)
        assert clf.converged_, f"draw {draw}: did not converge"
        assert clf.n_updates_ <= bound, f"draw {draw}: {clf.n_updates_} mistakes > bound {bound}"
        assert np.array_equal(clf.predict(X), y)
        ratios.append(clf.n_updates_ / bound)
    assert max(ratios) > 0  # the loop really counted mistakes


def test_batch_mode_converges_on_separable_data():
    rng = np.random.default_rng(4)
    for _ in range(20):
        X, y, _, _ = make_separable(60, 3, 0.05, rng)
        clf = PerceptronClassifier(mode="batch", max_iter=20_000).fit(X, y)
        assert clf.converged_ and np.array_equal(clf.predict(X), y)


def test_learning_rate_does_not_change_the_mistakes_from_zero():
    # from w = 0, b = 0 the iterates for η are η times those for η = 1: same mistakes
    X, y, _, _ = make_separable(80, 3, 0.05, np.random.default_rng(6))
    a = PerceptronClassifier(eta=1.0, mode="online", max_iter=10_000,
                             rng=np.random.default_rng(1)).fit(X, y)
    c = PerceptronClassifier(eta=0.125, mode="online", max_iter=10_000,
                             rng=np.random.default_rng(1)).fit(X, y)
    assert a.n_updates_ == c.n_updates_ and np.allclose(a.weights_ * 0.125, c.weights_)


def test_different_starts_give_different_separating_planes():
    # §15.2: the solution is not unique (inventory I2)
    X, y = gate_dataset("AND")
    a = PerceptronClassifier().fit(X, y)
    c = PerceptronClassifier(initial_weights=[0.3, 2.0], initial_bias=-0.7).fit(X, y)
    assert a.converged_ and c.converged_
    ua = np.hstack([a.weights_, a.bias_]) / np.linalg.norm(np.hstack([a.weights_, a.bias_]))
    uc = np.hstack([c.weights_, c.bias_]) / np.linalg.norm(np.hstack([c.weights_, c.bias_]))
    assert not np.allclose(ua, uc)


# --- XOR is not linearly separable: exact certificate and brute force -------------------------







# --- the 2-2-1 network (15.9) ------------------------------------------------------------------





# --- figure 15.3 helper ------------------------------------------------------------------------



# --- clear errors ------------------------------------------------------------------------------

def test_clear_errors():
    X, y = gate_dataset("AND")
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        PerceptronClassifier().fit(X, (y + 1) // 2)
    with pytest.raises(ValueError, match="mode"):
        PerceptronClassifier(mode="minibatch")
    with pytest.raises(TypeError, match="Generator"):
        PerceptronClassifier(rng=42)
    with pytest.raises(ValueError, match="rows"):
        PerceptronClassifier().fit(X, y[:3])
    with pytest.raises(RuntimeError, match="fit"):
        PerceptronClassifier().predict(X)
    with pytest.raises(ValueError, match="shape"):
        PerceptronClassifier(initial_weights=[1.0, 2.0, 3.0]).fit(X, y)

