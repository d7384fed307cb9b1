"""Perceptron learning (陈强 §15.1–§15.3): hand-computed updates, Novikoff's bound, XOR.

Oracles are independent of nnbook: truth tables from Python's bit operators, update steps
worked out by hand, an exact rational check of the XOR certificate, brute-force grids.
"""

import itertools
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy  # noqa: E402

from nnbook import plots  # noqa: E402
from nnbook.functional.activations import sigmoid  # noqa: E402
from nnbook.models.perceptron import Perceptron as MPNeuron, xor_network
from nnbook.models.perceptron_learning import (PerceptronClassifier, misclassified, novikoff_bound, perceptron_loss)
from nnbook.models.logic_gates import gate_dataset
from nnbook.data.separable import make_separable
from nnbook.analysis.separability import separability_certificate, xor_separability_certificate

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]
GATES = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b,
         "NAND": lambda a, b: 1 - (a & b), "XOR": lambda a, b: a ^ b}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- M-P neuron (15.1) and the data of figure 15.3 --------------------------------------------

def test_mp_neuron_is_the_indicator_of_15_1():
    rng = np.random.default_rng(0)
    for _ in range(30):
        w = rng.integers(-3, 4, size=3).astype(float)
        b = float(rng.integers(-3, 4))
        neuron = MPNeuron(w, b)
        for x in itertools.product((0, 1), repeat=3):
            total = sum(wi * xi for wi, xi in zip(w, x))
            assert neuron.output(x) == (1 if total > -b else 0)  # threshold −b, tie → 0


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_datasets_match_the_truth_tables(name):
    X, y = gate_dataset(name)
    assert X.tolist() == [list(map(float, bits)) for bits in BITS]
    assert y.tolist() == [1 if GATES[name](a, b) else -1 for a, b in BITS]


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


def test_make_separable_respects_its_margin():
    rng = np.random.default_rng(2)
    X, y, w, b = make_separable(200, 4, 0.1, rng)
    assert X.shape == (200, 4) and y.shape == (200,) and np.isclose(np.linalg.norm(w), 1.0)
    distances = X @ w + b
    assert np.all(np.abs(distances) >= 0.1) and np.array_equal(y, np.where(distances >= 0, 1, -1))
    assert np.all(np.abs(X) <= 1.0) and set(y.tolist()) == {-1, 1}


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

def test_xor_certificate_verifies_in_exact_arithmetic():
    cert = xor_separability_certificate()
    assert cert.holds
    lam = [Fraction(int(v)) for v in cert.multipliers]
    assert all(v >= 0 for v in lam) and sum(lam) > 0
    # independent check: Σ λ_i y_i (x_i1, x_i2, 1) = 0 with the XOR labels from the bit operator
    total = [Fraction(0)] * 3
    for lam_i, (a, b) in zip(lam, BITS):
        yi = 1 if a ^ b else -1
        for k, v in enumerate((a, b, 1)):
            total[k] += lam_i * yi * v
    assert total == [0, 0, 0]
    # and the same with fresh sympy symbols
    w1, w2, bias = sympy.symbols("w1 w2 b")
    forms = [(1 if a ^ b else -1) * (w1 * a + w2 * b + bias) for a, b in BITS]
    assert sympy.expand(sum(int(v) * f for v, f in zip(cert.multipliers, forms))) == 0
    assert "impossible" in cert.explain()


@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
def test_no_certificate_for_separable_gates(name):
    assert separability_certificate(*gate_dataset(name)) is None


def test_brute_force_sweep_agrees():
    assert brute_force_separators(*gate_dataset("XOR")) == 0
    for name in ("AND", "OR", "NAND"):
        assert brute_force_separators(*gate_dataset(name)) > 0
    # a separator found by hand for AND: x1 + x2 − 1.5 (it is on the default grid)
    X, y = gate_dataset("AND")
    assert np.all(y * (X @ np.array([1.0, 1.0]) - 1.5) > 0)
    # XOR stays unseparated on a much finer grid too
    assert brute_force_separators(*gate_dataset("XOR"), values=np.linspace(-3, 3, 61)) == 0


# --- the 2-2-1 network (15.9) ------------------------------------------------------------------

def test_xor_network_computes_xor():
    net = xor_network()
    X = np.array(BITS, dtype=float)
    expected = [a ^ b for a, b in BITS]
    assert net.output(X).tolist() == expected
    assert net.as_perceptron_network().output(X).ravel().tolist() == expected
    # hidden units are OR and NAND
    hidden = (X @ net.weights1 + net.bias1 > 0).astype(int)
    assert hidden[:, 0].tolist() == [a | b for a, b in BITS]
    assert hidden[:, 1].tolist() == [1 - (a & b) for a, b in BITS]
    # a steep sigmoid network with the same weights rounds to the same answers
    smooth = net.output(X, activation=sigmoid, scale=20.0)
    assert np.all(np.abs(smooth - np.array(expected)) < 0.01)


def test_xor_network_boundary_is_not_a_half_plane():
    # on the corners the network's labels are XOR's, which no single line produces: the
    # certificate search applied to the network's own outputs finds a proof
    net = xor_network()
    grid = np.array(list(itertools.product(np.linspace(0, 1, 11), repeat=2)))
    inside = net.output(grid) == 1
    assert inside.any() and (~inside).any()
    assert separability_certificate(grid[[0, 10, 110, 120]],
                                    np.where(net.output(grid[[0, 10, 110, 120]]) == 1, 1, -1))


# --- figure 15.3 helper ------------------------------------------------------------------------

def test_plot_decision_boundary_draws_the_points_by_class():
    X, y = gate_dataset("AND")
    clf = PerceptronClassifier().fit(X, y)
    ax = plots.plot_decision_boundary(clf.predict, X, y, title="AND")
    by_gid = {c.get_gid(): c.get_offsets() for c in ax.collections if c.get_gid()}
    assert np.array_equal(by_gid["points:true"], X[y > 0])
    assert np.array_equal(by_gid["points:false"], X[y < 0])
    assert ax.get_title() == "AND"
    with pytest.raises(ValueError, match="2 features"):
        plots.plot_decision_boundary(clf.predict, np.zeros((3, 3)), np.ones(3))


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
    with pytest.raises(ValueError, match="one of"):
        gate_dataset("XNOR")
    with pytest.raises(ValueError, match="margin"):
        make_separable(10, 2, 0.7, np.random.default_rng(0))
