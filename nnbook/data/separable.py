"""Random linearly separable data with a guaranteed margin (for perceptron experiments)."""

from __future__ import annotations

import numpy as np

from nnbook.validation import check_positive


def make_separable(n, d, margin, rng):
    """Random linearly separable data: n points in [−1, 1]^d at distance ≥ margin from a plane.

    A random unit normal w* and offset b* ∈ [−0.25, 0.25] define the plane w*'x + b* = 0;
    points closer than ``margin`` are rejected and redrawn; y = sign(w*'x + b*).
    Returns X (n, d), y (n,) in {−1, +1}, w* (d,), b*. Requires 0 < margin < 0.5.
    """
    check_positive(n, "n", integer=True)
    check_positive(d, "d", integer=True)
    check_positive(margin, "margin")
    if margin >= 0.5:
        raise ValueError(f"margin: expected a value in (0, 0.5), found {margin!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator, found {type(rng).__name__}")
    w = rng.normal(size=d)
    w /= np.linalg.norm(w)
    b = float(rng.uniform(-0.25, 0.25))
    kept = []
    total = 0
    for _ in range(10_000):
        candidates = rng.uniform(-1.0, 1.0, size=(max(2 * n, 64), d))
        keep = candidates[np.abs(candidates @ w + b) >= margin]
        kept.append(keep)
        total += len(keep)
        if total >= n:
            break
    else:
        raise ValueError(f"margin: could not draw {n} points at distance ≥ {margin} in "
                         f"{d} dimensions; use a smaller margin")
    X = np.concatenate(kept)[:n]
    y = np.where(X @ w + b >= 0, 1, -1)
    return X, y, w, b
