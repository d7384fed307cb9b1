"""Derivations about update rules (Galeone ch. 2, §'Gradient descent' to §'ADAM', and
§'Dropout and L2 regularization'), checked by sympy.

The source's formula images are lost; the rules below are reconstructed from its text (the
vanilla, mini-batch and momentum updates) or legible in it (Adam's moments and update). The
derivations themselves are *supplied*: the source states their conclusions in words (too large
a learning rate jumps across the "U"; momentum accelerates consistent directions; Adam's moments
start biased towards 0) or not at all.

======================================  ============================================================
:func:`parabola_step`                   one step on L = a θ²/2 multiplies θ by (1 − ηa)
:func:`learning_rate_thresholds`        1/a (monotone below) and 2/a (divergent above)
:func:`steps_to_tolerance_limit`        steps to shrink θ by a factor tol: ≈ ln(1/tol)/(ηa), ∝ 1/η
:func:`quadratic_step_decrease`         L(θ − ηg) = L(θ) − η‖g‖² + (η²/2) gᵀAg on a quadratic
:func:`momentum_unrolled`               v_s = −η Σ_j μ^j g_{s−j}
:func:`momentum_constant_gradient`      constant g: v_s = −ηg(1 − μ^s)/(1 − μ) → −ηg/(1 − μ)
:func:`terminal_velocity`               the fixed point −ηg/(1 − μ) (10 × the vanilla step at μ = 0.9)
:func:`nesterov_lookahead`              Keras' Nesterov form = the look-ahead rule, for φ = θ + μv
:func:`adam_first_moment_bias`          E[m_t] = (1 − β₁ᵗ) ḡ, hence m̂_t = m_t/(1 − β₁ᵗ)
:func:`adam_first_step`                 the first step is −η g/(abs(g) + ε) ≈ −η·sign(g)
:func:`adam_epsilon_placement`          nnbook/Keras' Adam = the source's form with ε/√(1 − β₂ᵗ)
:func:`weight_decay_update`             w ← (1 − 2ηλ)w − η ∂E/∂w for the penalty λw²
:func:`minibatch_full_batch`            b = k: the mini-batch step is batch gradient descent
:func:`minibatch_single_example`        b = 1: it is stochastic gradient descent
:func:`minibatch_average_unbiased`      1 < b < k: the batch mean, averaged over all batches, is ∇L
======================================  ============================================================
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

from nnbook.symbolic.derivation import Derivation

_GD = "Galeone ch. 2 §'Gradient descent'"
_MB = "Galeone ch. 2 §'Mini-batch Gradient Descent'"
_MOMENTUM = "Galeone ch. 2 §'Momentum'"
_ADAM = "Galeone ch. 2 §'ADAM'"

theta, eta, a = sp.symbols("theta eta a", real=True)
eta_pos, a_pos = sp.symbols("eta a", positive=True)
mu = sp.Symbol("mu", positive=True)


# ----------------------------------------------------------------- learning rate on a parabola
def parabola_step() -> Derivation:
    """θ − η dL/dθ for L = a θ²/2 equals (1 − ηa) θ."""
    loss = a * theta ** 2 / 2
    d = Derivation("A gradient step on the parabola L = aθ²/2",
                   f"{_GD} (the 'U' remark; derived, not in the source)",
                   theta - eta * sp.Derivative(loss, theta))
    d.then(theta - eta * a * theta, "dL/dθ = aθ")
    d.then((1 - eta * a) * theta, "factor θ: every step multiplies θ by 1 − ηa")
    return d


def gradient_descent_closed_form():
    """θ_s = (1 − ηa)^s θ₀, solved from θ_{s+1} = (1 − ηa) θ_s by sympy's ``rsolve``."""
    s, theta0 = sp.Symbol("s", integer=True, nonnegative=True), sp.Symbol("theta_0", real=True)
    f = sp.Function("theta")
    return sp.rsolve(f(s + 1) - (1 - eta * a) * f(s), f(s), {f(0): theta0})


def learning_rate_thresholds() -> dict:
    """The learning rates where gradient descent on L = aθ²/2 changes behaviour (a > 0).

    θ_s = (1 − ηa)^s θ₀: the factor is positive (monotone) for η < 1/a, zero at 1/a, in (−1, 0)
    (oscillating convergence) for 1/a < η < 2/a, −1 at 2/a (θ flips between ±θ₀), below −1
    (divergence) beyond. Returns {"monotone_below": 1/a, "diverges_above": 2/a} solved by sympy.
    """
    factor = 1 - eta_pos * a_pos
    monotone = sp.solve(sp.Eq(factor, 0), eta_pos)
    oscillation = sp.solve(sp.Eq(factor, -1), eta_pos)
    return {"monotone_below": monotone[0], "diverges_above": oscillation[0]}


def steps_to_tolerance_limit():
    """η · n(η) as η → 0, where n(η) = ln(tol)/ln(1 − ηa) steps shrink θ by the factor tol.

    The limit is ln(1/tol)/a: for small η the step count grows like 1/η (halve η, double the
    steps). Returns the sympy limit (in the symbols ``tol`` and ``a``)."""
    tol = sp.Symbol("tol", positive=True)
    steps = sp.log(tol) / sp.log(1 - eta_pos * a_pos)
    return sp.limit(eta_pos * steps, eta_pos, 0, "+")


def quadratic_step_decrease() -> Derivation:
    """L(θ − ηg) = L(θ) − η‖g‖² + (η²/2) gᵀAg for L(θ) = ½θᵀAθ + bᵀθ in 2-D, g = ∇L = Aθ + b.

    The first-order decrease −η‖g‖² (< 0 for small η > 0 and g ≠ 0) of §'Gradient descent',
    with its exact second-order remainder for a quadratic (supplied)."""
    t = sp.Matrix(sp.symbols("theta1 theta2", real=True))
    b = sp.Matrix(sp.symbols("b1 b2", real=True))
    a11, a12, a22 = sp.symbols("A11 A12 A22", real=True)
    A = sp.Matrix([[a11, a12], [a12, a22]])

    def loss(p):
        return ((p.T * A * p) / 2 + b.T * p)[0]

    g = A * t + b
    d = Derivation("One gradient step on a quadratic lowers the loss to first order",
                   f"{_GD} (derived, not in the source)", loss(t - eta * g))
    d.then(loss(t) - eta * (g.T * g)[0] + eta ** 2 / 2 * (g.T * A * g)[0],
           "expand: the linear term is −η gᵀg, the remainder (η²/2) gᵀAg")
    return d


# ------------------------------------------------------------------------------------ momentum
def _momentum_velocities(gradients):
    v, velocities = sp.Integer(0), []
    for g in gradients:
        v = mu * v - eta * g
        velocities.append(v)
    return velocities


def momentum_unrolled(s: int = 4) -> Derivation:
    """v_s = μ v_{s−1} − η g_s from v₀ = 0, unrolled: v_s = −η Σ_{j=0}^{s−1} μ^j g_{s−j}.

    An exponentially weighted sum of past gradients: components with a consistent sign pile up,
    alternating ones cancel (§'Momentum'; the recursion reconstructed, the unrolling supplied).
    """
    if isinstance(s, bool) or not isinstance(s, int) or s < 1:
        raise ValueError(f"s: expected a step number >= 1, found {s!r}")
    g = sp.symbols(f"g1:{s + 1}", real=True)
    d = Derivation(f"Momentum's velocity after {s} steps", f"{_MOMENTUM} (reconstructed rule; "
                   "unrolled here, not in the source)", _momentum_velocities(g)[-1])
    d.then(-eta * sum(mu ** j * g[s - 1 - j] for j in range(s)),
           "expand the recursion: each older gradient carries one more factor μ")
    return d


def momentum_constant_gradient(s: int = 6) -> Derivation:
    """With a constant gradient g, v_s = −ηg(1 − μ^s)/(1 − μ) (a geometric sum)."""
    if isinstance(s, bool) or not isinstance(s, int) or s < 1:
        raise ValueError(f"s: expected a step number >= 1, found {s!r}")
    g = sp.Symbol("g", real=True)
    d = Derivation(f"Momentum under a constant gradient, step {s}",
                   f"{_MOMENTUM} (supplied)", _momentum_velocities([g] * s)[-1])
    d.then(-eta * g * sum(mu ** j for j in range(s)), "the unrolled sum with g_j = g")
    d.then(-eta * g * (1 - mu ** s) / (1 - mu), "geometric sum Σ_{j<s} μ^j = (1 − μ^s)/(1 − μ)")
    return d


def terminal_velocity():
    """The fixed point of v = μv − ηg: v∞ = −ηg/(1 − μ) (sympy ``solve``); for μ ∈ [0, 1) it is
    also the limit of :func:`momentum_constant_gradient` as s → ∞, so momentum's steps grow to
    1/(1 − μ) times the vanilla step −ηg (10× for μ = 0.9)."""
    v, g = sp.symbols("v g", real=True)
    (solution,) = sp.solve(sp.Eq(v, mu * v - eta * g), v)
    return solution


def nesterov_lookahead() -> Derivation:
    """Keras' Nesterov update is the look-ahead rule written for the look-ahead point.

    Look-ahead (Sutskever et al. 2013): v′ = μv − η∇L(θ + μv), θ′ = θ + v′. Store φ = θ + μv
    instead of θ; then φ′ = θ′ + μv′ = φ + μv′ − η∇L(φ): exactly Keras' ``nesterov=True`` step
    (:func:`nnbook.optim.sgd.sgd_update`), whose gradient is taken at the stored variable.
    Not in the source chapter."""
    v = sp.Symbol("v", real=True)
    phi, v_new = sp.symbols("phi v'", real=True)
    grad = sp.Function("gradL")
    look_ahead_velocity = mu * v - eta * grad(theta + mu * v)
    theta_new = theta + look_ahead_velocity
    d = Derivation("Nesterov momentum: look-ahead form = Keras' form",
                   "Sutskever et al. 2013; Keras' SGD(nesterov=True); not in the source",
                   theta_new + mu * look_ahead_velocity,
                   definitions={phi: theta + mu * v, v_new: look_ahead_velocity})
    d.then(theta + (1 + mu) * (mu * v - eta * grad(phi)), "θ′ = θ + v′, and φ = θ + μv")
    d.then(phi + mu * v_new - eta * grad(phi),
           "θ = φ − μv, then regroup: φ′ = φ + μv′ − η∇L(φ)")
    return d


# ---------------------------------------------------------------------------------------- Adam
beta_1, beta_2, epsilon = sp.symbols("beta_1 beta_2 epsilon", positive=True)


def adam_first_moment_bias(t: int = 5) -> Derivation:
    """E[m_t] = (1 − β₁ᵗ) ḡ when every gradient has mean ḡ (m₀ = 0), so m̂_t = m_t/(1 − β₁ᵗ) is
    unbiased; the same argument with g² gives v̂_t. Expectation is linear, so E[m_t] is the
    recursion applied to ḡ."""
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:
        raise ValueError(f"t: expected a step number >= 1, found {t!r}")
    g_bar = sp.Symbol("gbar", real=True)
    m = sp.Integer(0)
    for _ in range(t):
        m = beta_1 * m + (1 - beta_1) * g_bar
    d = Derivation(f"Adam's first moment is biased towards 0 (t = {t})",
                   f"{_ADAM} (moments legible in the source; bias derived, not in it)", m)
    d.then((1 - beta_1) * g_bar * sum(beta_1 ** (t - j) for j in range(1, t + 1)),
           "unroll m_t = (1 − β₁) Σ_j β₁^{t−j} g_j with E[g_j] = ḡ")
    d.then((1 - beta_1 ** t) * g_bar, "geometric sum: (1 − β₁) Σ_{j<t} β₁^j = 1 − β₁ᵗ")
    return d


def adam_first_step() -> Derivation:
    """The first Adam step in the source's form, −η m̂₁/(√v̂₁ + ε), is −η g/(abs(g) + ε).

    m₁ = (1 − β₁)g and v₁ = (1 − β₂)g², so m̂₁ = g and v̂₁ = g²: every parameter moves by
    about η, whatever the size of its gradient (limit ε → 0: −η·sign(g); see
    :func:`adam_first_step_limit`)."""
    g = sp.Symbol("g", real=True)
    m_hat, v_hat = sp.symbols("mhat_1 vhat_1", real=True)
    d = Derivation("Adam's first step", f"{_ADAM} (update legible in the source; first step "
                   "derived, not in it)", -eta * m_hat / (sp.sqrt(v_hat) + epsilon),
                   definitions={m_hat: (1 - beta_1) * g / (1 - beta_1),
                                v_hat: (1 - beta_2) * g ** 2 / (1 - beta_2)})
    d.then(-eta * g / (sp.sqrt(g ** 2) + epsilon), "m̂₁ = (1 − β₁)g/(1 − β₁) = g, v̂₁ = g²")
    d.then(-eta * g / (sp.Abs(g) + epsilon), "√(g²) = |g|")
    return d


def adam_first_step_limit():
    """lim_{ε→0} −η g/(abs(g) + ε) for g ≠ 0: −η·sign(g), returned for g > 0 and g < 0."""
    gp, gn = sp.Symbol("g", positive=True), sp.Symbol("g", negative=True)
    step = lambda g: -eta * g / (sp.Abs(g) + epsilon)
    return sp.limit(step(gp), epsilon, 0), sp.limit(step(gn), epsilon, 0)


def adam_epsilon_placement() -> Derivation:
    """nnbook's (and Keras') Adam step −α_t m/(√v + ε), α_t = η√(1 − β₂ᵗ)/(1 − β₁ᵗ), equals
    the source's form −η m̂/(√v̂ + ε̂) with ε̂ = ε/√(1 − β₂ᵗ) instead of ε.

    c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ (both in (0, 1)) abbreviate the bias factors; m̂ = m/c₁,
    v̂ = v/c₂. The source's own form, −η m̂/(√v̂ + ε), differs only in that ε: at t = 1 with
    β₂ = 0.999, ε̂ ≈ 32 ε; as t grows c₂ → 1 and the two forms agree."""
    m = sp.Symbol("m", real=True)
    v, c1, c2 = sp.symbols("v c_1 c_2", positive=True)
    m_hat, v_hat = sp.symbols("mhat vhat", real=True)
    alpha = eta * sp.sqrt(c2) / c1
    d = Derivation("Where Adam's ε sits: Keras' form against the source's",
                   f"{_ADAM}; Kingma & Ba 2015 §2; Keras' Adam",
                   -alpha * m / (sp.sqrt(v) + epsilon),
                   definitions={m_hat: m / c1, v_hat: v / c2})
    d.then(-eta * (m / c1) / ((sp.sqrt(v) + epsilon) / sp.sqrt(c2)), "α_t = η√c₂/c₁")
    d.then(-eta * m_hat / (sp.sqrt(v_hat) + epsilon / sp.sqrt(c2)),
           "√v/√c₂ = √v̂: the source's form with ε̂ = ε/√(1 − β₂ᵗ)")
    return d


# ------------------------------------------------------------------------------ weight decay
def weight_decay_update() -> Derivation:
    """Gradient descent on E + λw² shrinks w by (1 − 2ηλ) before the usual step:
    w − η ∂(E + λw²)/∂w = (1 − 2ηλ)w − η ∂E/∂w (§'Dropout and L2 regularization'; the update
    reconstructed — the L2 term is λw² there, hence the factor 2)."""
    w, lam = sp.Symbol("w", real=True), sp.Symbol("lambda", positive=True)
    E = sp.Function("E")(w)
    d = Derivation("The L2 penalty as weight decay",
                   "Galeone ch. 2 §'Dropout and L2 regularization' (reconstructed)",
                   w - eta * sp.Derivative(E + lam * w ** 2, w))
    d.then(w - eta * sp.Derivative(E, w) - 2 * eta * lam * w, "∂(λw²)/∂w = 2λw")
    d.then((1 - 2 * eta * lam) * w - eta * sp.Derivative(E, w),
           "collect w: the weights shrink by the factor 1 − 2ηλ")
    return d


# --------------------------------------------------------------------------------- mini-batch
def _example_losses(k: int):
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ValueError(f"k: expected a number of examples >= 2, found {k!r}")
    return [sp.Function(f"L{i}")(theta) for i in range(1, k + 1)]


def _minibatch_step(losses):
    """θ − η (1/b) Σ_{i∈batch} ∂L_i/∂θ — the general step s of §'Mini-batch Gradient Descent'
    (reconstructed)."""
    return theta - eta * sp.Rational(1, len(losses)) * sum(sp.Derivative(L, theta) for L in losses)


def minibatch_full_batch(k: int = 4) -> Derivation:
    """b = k: the mini-batch step over all k examples is batch gradient descent on the mean loss
    L = (1/k) Σ L_i."""
    losses = _example_losses(k)
    d = Derivation(f"Mini-batch step with b = k = {k}", f"{_MB} (reconstructed)",
                   _minibatch_step(losses))
    d.then(theta - eta * sp.Derivative(sum(losses) / k, theta),
           "the derivative of a mean is the mean of the derivatives: batch gradient descent")
    return d


def minibatch_single_example(k: int = 4, i: int = 2) -> Derivation:
    """b = 1: the mini-batch step on example i alone is the stochastic gradient step."""
    losses = _example_losses(k)
    if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= k:
        raise ValueError(f"i: expected an example number 1..{k}, found {i!r}")
    d = Derivation(f"Mini-batch step with b = 1 (example {i})", f"{_MB} (reconstructed)",
                   _minibatch_step([losses[i - 1]]))
    d.then(theta - eta * sp.Derivative(losses[i - 1], theta),
           "a mean over one example is that example: stochastic gradient descent")
    return d


def minibatch_average_unbiased(k: int = 4, b: int = 2) -> Derivation:
    """1 < b < k: averaged over all C(k, b) batches of b examples, the batch-mean gradient is the
    full gradient (1/k) Σ g_i — each example lies in C(k−1, b−1) of the batches. Supplied."""
    if not (isinstance(b, int) and isinstance(k, int) and 1 < b < k):
        raise ValueError(f"expected integers 1 < b < k, found b={b!r}, k={k!r}")
    g = sp.symbols(f"g1:{k + 1}", real=True)
    batches = list(itertools.combinations(range(k), b))
    lhs = sp.Add(*[sp.Add(*[g[i] for i in batch]) / b for batch in batches]) / len(batches)
    d = Derivation(f"A random mini-batch of {b} out of {k} gives the full gradient on average",
                   f"{_MB} (supplied)", lhs)
    d.then(sp.Rational(math.comb(k - 1, b - 1), b * math.comb(k, b)) * sum(g),
           f"each g_i appears in C(k−1, b−1) = {math.comb(k - 1, b - 1)} of the "
           f"{math.comb(k, b)} batches")
    d.then(sum(g) / k, "C(k−1, b−1)/(b·C(k, b)) = 1/k")
    return d


DERIVATIONS = (parabola_step, quadratic_step_decrease, momentum_unrolled,
               momentum_constant_gradient, nesterov_lookahead, adam_first_moment_bias,
               adam_first_step, adam_epsilon_placement, weight_decay_update,
               minibatch_full_batch, minibatch_single_example, minibatch_average_unbiased)
"""Every derivation of this module, each a function returning a :class:`Derivation`."""

__all__ = [f.__name__ for f in DERIVATIONS] + [
    "gradient_descent_closed_form", "learning_rate_thresholds", "steps_to_tolerance_limit",
    "terminal_velocity", "adam_first_step_limit", "DERIVATIONS"]
