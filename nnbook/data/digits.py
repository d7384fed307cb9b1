"""The offline stand-in for MNIST: scikit-learn's bundled 8×8 handwritten digits.

1,797 images of the digits 0–9 (UCI "Optical Recognition of Handwritten Digits"),
each 8×8 pixels with ink counts 0..16. Dividing by 16 gives Nielsen's ink intensities in
[0, 1] (ch. 1 §1.6), so a 64-30-10 network here plays the part of the book's 784-30-10 one.
"""

from __future__ import annotations

import gzip
import importlib.util
import numbers
from pathlib import Path

import numpy as np

from .dataset import Dataset

DIGITS_IMAGE_SHAPE = (8, 8)
DIGITS_MAX_INK = 16


def load_digits(test_size: float = 0.2, seed: int = 0) -> Dataset:
    """Load the 8×8 digits and split them, stratified by class, into train and test parts.

    Parameters
    ----------
    test_size : float in (0, 1)
        Fraction of each class that goes to the test part (rounded per class, at least one).
    seed : int
        Seed of the ``numpy.random.default_rng`` that shuffles each class; the same seed
        always gives the same split.

    Returns
    -------
    Dataset named ``"digits"``: X of shape (n, 64) float64 in [0, 1], y of shape (n,) int64,
    image_shape (8, 8), 10 classes; about ``test_size * 1797`` test images.
    """
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a float in (0, 1), found {test_size!r}")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a float in (0, 1), found {test_size}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, found {seed!r} ({type(seed).__name__})")

    counts, labels = _read_bundled_digits()
    X = counts.astype(np.float64) / DIGITS_MAX_INK
    train, test = stratified_split(labels, test_size, np.random.default_rng(seed))
    return Dataset(
        name="digits",
        X_train=X[train],
        y_train=labels[train],
        X_test=X[test],
        y_test=labels[test],
        image_shape=DIGITS_IMAGE_SHAPE,
        n_classes=10,
    )


def stratified_split(labels: np.ndarray, test_size: float, rng: np.random.Generator):
    """Indices ``(train, test)`` that put ``round(test_size * n_c)`` rows of each class c in test.

    labels : (n,) int array. Each class keeps at least one row on each side; both index
    arrays come back in a random order drawn from ``rng``.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, found {type(rng).__name__}")
    labels = np.asarray(labels)
    train_parts, test_parts = [], []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        if len(members) < 2:
            raise ValueError(f"class {c} has {len(members)} example(s); a stratified split needs at least 2")
        n_test = min(max(int(round(test_size * len(members))), 1), len(members) - 1)
        test_parts.append(members[:n_test])
        train_parts.append(members[n_test:])
    return rng.permutation(np.concatenate(train_parts)), rng.permutation(np.concatenate(test_parts))


def _read_bundled_digits():
    """(1797, 64) int ink counts 0..16 and (1797,) int64 labels, read from scikit-learn's file.

    The CSV is read directly (without importing scikit-learn, which is slow to import);
    if the file is not where expected, scikit-learn's own loader is used.
    """
    path = _bundled_digits_path()
    if path is None:
        from sklearn.datasets import load_digits as sklearn_load_digits

        bunch = sklearn_load_digits()
        return bunch.data.astype(np.int64), bunch.target.astype(np.int64)
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    return table[:, :-1], table[:, -1]


def _bundled_digits_path():
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "load_digits needs scikit-learn (it ships the 8×8 digits file); install scikit-learn"
        )
    for location in spec.submodule_search_locations:
        path = Path(location) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            return path
    return None
