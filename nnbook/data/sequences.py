"""Synthetic sequence tasks that ship offline, for the recurrent layers of chapter 5.

Both tasks are additions, not in the source chapter (《深度学习与神经网络》第5章 trains no
recurrent network). They return float64 arrays laid out as the recurrent layers read them,
X (n, T, features), with targets ready for :meth:`nnbook.models.sequential.Sequential.fit`:

* :func:`noisy_sine` — next-value prediction: a noisy sine wave in, the next clean value out
  (a regression, "mse"). Short memory suffices.
* :func:`remember_first` — a long-range dependency: the class shown at the first step must be
  reported after ``length − 1`` steps of random distractor symbols (a classification,
  "categorical_crossentropy", chance = 1 / n_classes). ∂h_T/∂h_1 must survive T − 1 steps,
  which is where a simple RNN's gradients vanish and an LSTM's cell state carries them.

Every random draw comes from the ``rng`` argument (a ``np.random.Generator``).
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import check_positive


def _check_rng(rng) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), found "
                        f"{type(rng).__name__}")


def noisy_sine(n_sequences: int, length: int, rng: np.random.Generator, noise: float = 0.1,
               period=(10.0, 30.0)):
    """Windows of sin(2π t / P + φ) plus N(0, noise²), and the next noiseless value.

    Each sequence draws its period P uniformly from ``period`` (in steps) and its phase φ from
    [0, 2π). Returns X (n, length, 1) — the noisy values at t = 0 … length − 1 — and
    y (n, 1), the clean value at t = length.
    """
    check_positive(n_sequences, "n_sequences", integer=True)
    check_positive(length, "length", integer=True)
    check_positive(noise, "noise", allow_zero=True)
    _check_rng(rng)
    try:
        low, high = (float(p) for p in period)
    except (TypeError, ValueError):
        raise TypeError(f"period: expected a pair (shortest, longest) of periods in steps, found "
                        f"{period!r}") from None
    if not (0 < low <= high < np.inf):
        raise ValueError(f"period: expected 0 < shortest <= longest, found {period!r}")
    periods = rng.uniform(low, high, size=(n_sequences, 1))
    phases = rng.uniform(0.0, 2.0 * np.pi, size=(n_sequences, 1))
    steps = np.arange(length + 1)
    clean = np.sin(2.0 * np.pi * steps / periods + phases)           # (n, length + 1)
    X = clean[:, :length] + noise * rng.standard_normal((n_sequences, length))
    return X[:, :, None], clean[:, length:]


def remember_first(n_sequences: int, length: int, rng: np.random.Generator,
                   n_classes: int = 2, marker: bool = True, noise: float = 0.0):
    """Report the class of the first step after ``length − 1`` distractors.

    Step 0 shows a random class c ∈ {0, …, n_classes − 1} one-hot; steps 1 … length − 1 show
    random classes drawn the same way (distractors: alone they look exactly like the first
    symbol). With ``marker`` an extra last feature is 1 at step 0 and 0 afterwards, so the
    network can tell where the sequence starts. ``noise`` > 0 adds N(0, noise²) to every symbol
    feature of the distractor steps (the first step and the marker stay clean). Returns
    X (n, length, n_classes + marker) and one-hot targets y (n, n_classes) for c; guessing
    scores 1 / n_classes.
    """
    check_positive(n_sequences, "n_sequences", integer=True)
    check_positive(length, "length", integer=True)
    check_positive(n_classes, "n_classes", integer=True)
    check_positive(noise, "noise", allow_zero=True)
    if n_classes < 2:
        raise ValueError(f"n_classes: expected at least 2 classes, found {n_classes}")
    if not isinstance(marker, bool):
        raise TypeError(f"marker: expected True or False, found {marker!r}")
    _check_rng(rng)
    symbols = rng.integers(0, n_classes, size=(n_sequences, length))
    X = np.zeros((n_sequences, length, n_classes + int(marker)))
    X[np.arange(n_sequences)[:, None], np.arange(length)[None, :], symbols] = 1.0
    if noise:
        X[:, 1:, :n_classes] += noise * rng.standard_normal((n_sequences, length - 1, n_classes))
    if marker:
        X[:, 0, -1] = 1.0
    y = np.eye(n_classes)[symbols[:, 0]]
    return X, y
