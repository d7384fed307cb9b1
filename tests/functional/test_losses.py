"""Losses (Nielsen eq. (6); 陈强 (15.21)–(15.23), categorical cross-entropy) against hand-computed
values, central differences, and extreme logits."""

import math
import warnings

import numpy as np
import pytest

from nnbook.functional.activations import sigmoid
from nnbook.functional.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    QuadraticCost,
    get_loss,
    quadratic_cost,
    quadratic_cost_gradient,
    quadratic_cost_per_example,
)


def central_differences(f, x, h=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = h
        grad[index] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))


def quiet():
    """A context in which any floating-point warning is an error."""
    class Quiet:
        def __enter__(self):
            self.w = warnings.catch_warnings()
            self.w.__enter__()
            warnings.simplefilter("error")
            self.e = np.errstate(all="raise")
            self.e.__enter__()

        def __exit__(self, *exc):
            self.e.__exit__(*exc)
            self.w.__exit__(*exc)
    return Quiet()


def test_mse_by_hand_without_one_half():
    out = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[0.0, 2.0], [3.0, 2.0]])
    loss = MeanSquaredError()
    assert loss(out, y) == pytest.approx((1 + 0 + 0 + 4) / 2)
    assert loss.gradient(out, y).tolist() == [[1.0, 0.0], [0.0, 2.0]]  # 2(ŷ − y)/n
    assert loss(out, y) == pytest.approx(2 * quadratic_cost(out, y))  # Nielsen keeps the ½
    assert loss(np.array([1.0, 3.0]), np.array([0.0, 0.0])) == pytest.approx(5.0)


def test_binary_cross_entropy_by_hand_probabilities_and_logits():
    p = np.array([[0.5], [0.8]])
    y = np.array([[1.0], [0.0]])
    expected = -(math.log(0.5) + math.log(0.2)) / 2
    assert BinaryCrossEntropy()(p, y) == pytest.approx(expected, rel=1e-12)
    logits = np.array([[0.0], [math.log(4.0)]])  # Λ(ln 4) = 0.8
    assert BinaryCrossEntropy(from_logits=True)(logits, y) == pytest.approx(expected, rel=1e-12)
    assert np.allclose(BinaryCrossEntropy(from_logits=True).gradient(logits, y),
                       [[(0.5 - 1) / 2], [(0.8 - 0) / 2]])
    # ∂/∂p of −[y ln p + (1−y) ln(1−p)] / n = (−1/0.5)/2 and (1/0.2)/2
    assert np.allclose(BinaryCrossEntropy().gradient(p, y), [[-1.0], [2.5]])


def test_categorical_cross_entropy_by_hand_probabilities_and_logits():
    p = np.array([[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]])
    y = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    expected = -(math.log(0.5) + math.log(0.8)) / 2
    assert CategoricalCrossEntropy()(p, y) == pytest.approx(expected, rel=1e-12)
    logits = np.log(p) + 7.0  # softmax(ln p + c) = p
    cce = CategoricalCrossEntropy(from_logits=True)
    assert cce(logits, y) == pytest.approx(expected, rel=1e-12)
    assert np.allclose(cce.gradient(logits, y), (p - y) / 2)
    assert np.allclose(CategoricalCrossEntropy().gradient(p, y),
                       [[0, 0, -1 / 0.5 / 2], [0, -1 / 0.8 / 2, 0]])


def test_extreme_logits_are_exact_and_silent():
    cce = CategoricalCrossEntropy(from_logits=True)
    z = np.array([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0]])
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    bce = BinaryCrossEntropy(from_logits=True)
    zb = np.array([[1e4], [-1e4], [1e4], [-1e4]])
    yb = np.array([[1.0], [0.0], [0.0], [1.0]])
    with quiet():
        value, grad = cce(z, y), cce.gradient(z, y)
        value_b, grad_b = bce(zb, yb), bce.gradient(zb, yb)
        clipped = BinaryCrossEntropy()(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]]))
        clipped_c = CategoricalCrossEntropy()(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    # row 1: ln p_1 = 0; row 2: −ln p_2 = 1e4 − (−1e4) = 2e4
    assert value == pytest.approx((0 + 2e4) / 2)
    assert grad.tolist() == [[0.0, 0.0, 0.0], [0.5, -0.5, 0.0]]
    assert value_b == pytest.approx((0 + 0 + 1e4 + 1e4) / 4)
    assert grad_b.tolist() == [[0.0], [0.0], [0.25], [-0.25]]
    assert np.isfinite(clipped) and clipped > 20 and np.isfinite(clipped_c) and clipped_c > 20


@pytest.mark.parametrize("loss, kind", [
    (MeanSquaredError(), "real"),
    (BinaryCrossEntropy(), "probability"),
    (BinaryCrossEntropy(from_logits=True), "real"),
    (CategoricalCrossEntropy(), "distribution"),
    (CategoricalCrossEntropy(from_logits=True), "real"),
], ids=["mse", "bce", "bce-logits", "cce", "cce-logits"])
def test_every_gradient_passes_a_central_difference_check(loss, kind):
    rng = np.random.default_rng(11)
    n, k = 5, 3
    if kind == "real":
        out = rng.normal(scale=2.0, size=(n, k))
    elif kind == "probability":
        out = rng.uniform(0.1, 0.9, size=(n, k))
    else:
        out = rng.uniform(0.2, 1.0, size=(n, k))
        out /= out.sum(axis=1, keepdims=True)
    if isinstance(loss, CategoricalCrossEntropy):
        target = np.eye(k)[rng.integers(0, k, size=n)]
    elif isinstance(loss, BinaryCrossEntropy):
        target = rng.integers(0, 2, size=(n, k)).astype(float)
    else:
        target = rng.normal(size=(n, k))
    numeric = central_differences(lambda o: loss(o, target), out)
    assert relative_error(loss.gradient(out, target), numeric) < 1e-7


def test_get_loss_names_and_errors():
    assert isinstance(get_loss("mse"), MeanSquaredError)
    assert isinstance(get_loss("binary_crossentropy"), BinaryCrossEntropy)
    cce = get_loss("categorical_crossentropy", from_logits=True)
    assert isinstance(cce, CategoricalCrossEntropy) and cce.from_logits
    assert get_loss(cce) is cce
    with pytest.raises(ValueError, match="valid names are: mse"):
        get_loss("hinge")
    with pytest.raises(TypeError, match="name"):
        get_loss(42)


def test_bad_inputs_are_reported():
    with pytest.raises(ValueError, match=r"same shape.*\(2, 1\).*\(2,\)"):
        MeanSquaredError()(np.zeros((2, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="row 1 sums to"):
        CategoricalCrossEntropy()(np.full((2, 2), 0.5), np.array([[1.0, 0.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="from_logits=True"):
        BinaryCrossEntropy()(np.array([[1.5]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        CategoricalCrossEntropy()(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    with pytest.raises(TypeError, match="from_logits"):
        BinaryCrossEntropy(from_logits="yes")


# --- Nielsen's quadratic cost ------------------------------------------------------------------

def test_quadratic_cost_by_hand():
    a = np.array([[0.5, 0.5], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    # (1/2n) Σ‖y − a‖² with n = 2: (0.25 + 0.25 + 0) / 4
    assert quadratic_cost(a, y) == pytest.approx(0.125)
    assert quadratic_cost_per_example(a, y).tolist() == [0.25, 0.0]
    assert quadratic_cost_gradient(a, y).tolist() == [[-0.5, 0.5], [0.0, 0.0]]


def test_quadratic_cost_is_nonnegative_and_zero_only_at_target():
    rng = np.random.default_rng(0)
    a, y = rng.random((20, 10)), rng.random((20, 10))
    assert quadratic_cost(a, y) > 0 and quadratic_cost(y, y) == 0


def test_cost_shape_errors():
    with pytest.raises(ValueError, match=r"same shape.*\(2, 3\).*\(2, 2\)"):
        quadratic_cost(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(TypeError, match="numbers"):
        sigmoid("a string")


def test_quadratic_cost_object_is_half_the_mse_and_nielsens_eq_6():
    rng = np.random.default_rng(4)
    a, y = rng.random((7, 3)), rng.random((7, 3))
    assert QuadraticCost()(a, y) == pytest.approx(quadratic_cost(a, y), rel=1e-15)
    assert QuadraticCost()(a, y) == pytest.approx(MeanSquaredError()(a, y) / 2, rel=1e-15)
    np.testing.assert_allclose(QuadraticCost().gradient(a, y), (a - y) / 7, rtol=1e-15)
    assert get_loss("quadratic").name == "quadratic"


def test_empty_batches_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="at least one example"):
        quadratic_cost(np.zeros((0, 3)), np.zeros((0, 3)))
    with pytest.raises(ValueError, match="empty batch"):
        MeanSquaredError()(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match="empty"):
        CategoricalCrossEntropy().check_targets(np.zeros((0, 3)), (3,))


@pytest.mark.parametrize("logit", [-740.0, -745.0, -1e4, 740.0])
def test_cross_entropy_gradients_at_extreme_logits_raise_nothing(logit):
    """Under np.errstate(all="raise") an underflow to 0 must not become an error."""
    z = np.array([[logit, 0.0, 1.0]] * 3)          # n = 3: the division by n underflows too
    y = np.array([[0.0, 0.0, 1.0]] * 3)
    with np.errstate(all="raise"):
        g = CategoricalCrossEntropy(from_logits=True).gradient(z, y)
        b = BinaryCrossEntropy(from_logits=True).gradient(z[:, :1], np.zeros((3, 1)))
        value = CategoricalCrossEntropy(from_logits=True)(z, y)
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(b)) and np.isfinite(value)
    np.testing.assert_allclose(b, sigmoid(z[:, :1]) / 3, rtol=1e-12, atol=1e-320)


def test_targets_are_checked_and_shaped_by_the_loss():
    assert MeanSquaredError().check_targets([1.0, 2.0], (1,)).shape == (2, 1)
    with pytest.raises(ValueError, match=r"outputs shape \(n, 3\).*\(2, 2\)"):
        MeanSquaredError().check_targets(np.zeros((2, 2)), (3,))
    with pytest.raises(ValueError, match="one_hot"):
        CategoricalCrossEntropy().check_targets([0, 1, 2], (3,))
    with pytest.raises(ValueError, match="sum to 1"):
        CategoricalCrossEntropy().check_targets([[1.0, 1.0, 0.0]], (3,))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        BinaryCrossEntropy().check_targets([0.0, 2.0], (1,))


def test_losses_pair_with_their_output_activation():
    assert isinstance(CategoricalCrossEntropy().fused_with("softmax"), CategoricalCrossEntropy)
    assert CategoricalCrossEntropy().fused_with("softmax").from_logits
    assert BinaryCrossEntropy().fused_with("sigmoid").from_logits
    assert CategoricalCrossEntropy().fused_with("sigmoid") is None
    assert CategoricalCrossEntropy(from_logits=True).fused_with("softmax") is None
    assert MeanSquaredError().fused_with("linear") is None


@pytest.mark.parametrize("loss", [MeanSquaredError(), QuadraticCost(), BinaryCrossEntropy(),
                                  BinaryCrossEntropy(from_logits=True), CategoricalCrossEntropy(),
                                  CategoricalCrossEntropy(from_logits=True)],
                         ids=["mse", "quadratic", "bce", "bce-logits", "cce", "cce-logits"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_training_step_gets_the_checked_numbers_in_one_call(loss, dtype):
    """value_and_gradient (unchecked, for a model's own arrays) = (loss(...), gradient(...)) to
    the last bit, and keeps float32 float32 — also where one softmax serves both."""
    rng = np.random.default_rng(4)
    out = rng.uniform(0.05, 0.95, size=(6, 3)).astype(dtype)
    if isinstance(loss, CategoricalCrossEntropy):
        target = np.eye(3, dtype=dtype)[rng.integers(0, 3, 6)]
        if not loss.from_logits:
            out /= out.sum(axis=1, keepdims=True)
    else:
        target = (rng.random((6, 3)) > 0.5).astype(dtype)
    if loss.from_logits:
        out = (out - 0.5) * 40
    value, gradient = loss.value_and_gradient(out, target)
    assert value == loss(out, target)
    np.testing.assert_array_equal(gradient, loss.gradient(out, target))
    assert gradient.dtype == dtype


def test_a_loss_that_redefines_its_call_is_honoured_by_the_training_step():
    class Doubled(MeanSquaredError):
        def __call__(self, output, target):
            return 2 * super().__call__(output, target)

        def gradient(self, output, target):
            return 2 * super().gradient(output, target)

    out, target = np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])
    value, gradient = Doubled().value_and_gradient(out, target)
    assert value == 10.0 and gradient.tolist() == [[4.0, 8.0]]
