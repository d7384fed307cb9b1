"""The data an experiment runs on: real MNIST when it is at hand, else what the reader points
at, else the offline digits — and which data set that is, so the right bands apply.

Order (:func:`experiment_data`):

1. ``--data DIR`` when given: the four MNIST-format IDX files in DIR (e.g. Fashion-MNIST);
2. else MNIST from nnbook's cache, ``nnbook.data.cache_dir() / "mnist"`` (``nnbook data
   download-mnist`` fills it);
3. else scikit-learn's 8×8 digits (:func:`nnbook.data.load_digits`): 64 inputs, not 784.

Files are read with the Keras face's ``mnist.load_data`` and prepared as the book's listings do
(Gulli & Pal ch. 1, listing keras_MINST_V1: reshape to one row of pixels per image, float32,
÷ 255, one-hot labels). Nothing is ever downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nnbook.data import cache_dir, load_digits
from nnbook.keras.datasets import mnist
from nnbook.keras.utils import to_categorical

#: The book's number of classes (NB_CLASSES) and pixel scale.
NB_CLASSES, MAX_PIXEL = 10, 255


@dataclass(frozen=True)
class KnownSet:
    """A data set recognised by its labels: per-class counts (train, test) and first labels."""

    name: str
    title: str
    train_counts: tuple
    test_counts: tuple
    first_train: tuple
    first_test: tuple

    def matches(self, y_train, y_test) -> bool:
        return (tuple(np.bincount(y_train, minlength=NB_CLASSES)) == self.train_counts
                and tuple(np.bincount(y_test, minlength=NB_CLASSES)) == self.test_counts
                and tuple(y_train[:len(self.first_train)]) == self.first_train
                and tuple(y_test[:len(self.first_test)]) == self.first_test)


#: The MNIST-format sets nnbook states bands for (LeCun et al.'s MNIST; Xiao et al.'s
#: Fashion-MNIST). Anything else in MNIST format runs too, with the orderings only.
KNOWN_SETS = (
    KnownSet("mnist", "MNIST",
             (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
             (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
             (5, 0, 4, 1, 9, 2, 1, 3, 1, 4), (7, 2, 1, 0, 4, 1, 4, 9, 5, 9)),
    KnownSet("fashion-mnist", "Fashion-MNIST", (6000,) * 10, (1000,) * 10,
             (9, 0, 0, 3, 0, 2, 7, 2, 5, 5), (9, 2, 1, 1, 6, 1, 4, 6, 5, 7)),
)


@dataclass(frozen=True, eq=False)
class ExperimentData:
    """Arrays ready for the book's programs: X (n, width) float32 in [0, 1], Y (n, 10) one-hot
    float32. ``name`` keys the bands ("mnist", "fashion-mnist", "digits", or "mnist-format" for
    other files); ``origin`` says where the arrays came from; ``note`` what a reader must know
    when comparing with the book."""

    name: str
    title: str
    origin: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    note: str = ""

    @property
    def width(self) -> int:
        """Inputs per example (the book's RESHAPED: 784 for 28×28 images, 64 for the digits)."""
        return self.X_train.shape[1]

    def subset(self, n_train: int, n_test: int) -> "ExperimentData":
        """The first ``n_train`` training and ``n_test`` test examples (all when fewer)."""
        return replace(self, X_train=self.X_train[:n_train], Y_train=self.Y_train[:n_train],
                       X_test=self.X_test[:n_test], Y_test=self.Y_test[:n_test])

    def describe(self, validation_split: float) -> str:
        """One line: which data set, how many examples in each part, how wide."""
        n = len(self.X_train)
        n_fit = int(np.floor(n * (1.0 - validation_split)))
        return (f"{self.title}: {n:,} training examples (the last "
                f"{validation_split:.0%} validate: {n_fit:,} / {n - n_fit:,}), "
                f"{len(self.X_test):,} test, {self.width} inputs")


def experiment_data(data_dir=None) -> ExperimentData:
    """The data of an experiment run, in the order of the module docstring."""
    if data_dir is not None:
        return from_arrays(*mnist.load_data(path=data_dir), origin=f"files in {data_dir}")
    try:
        arrays = mnist.load_data()
    except FileNotFoundError:
        return digits_data()
    return from_arrays(*arrays, origin=f"nnbook's cache, {cache_dir() / 'mnist'}")


def from_arrays(train, test, origin: str) -> ExperimentData:
    """``mnist.load_data()``'s ((x, y), (x, y)) prepared as listing keras_MINST_V1 does."""
    (x_train, y_train), (x_test, y_test) = train, test
    known = next((s for s in KNOWN_SETS if s.matches(y_train, y_test)), None)
    name, title = (known.name, known.title) if known else ("mnist-format", "MNIST-format data")
    note = "" if known else ("not a data set nnbook knows: the orderings are checked, no bands")
    if known and known.name != "mnist":
        note = (f"the source's numbers are MNIST's; {title} is another data set of the same "
                "format: compare the orderings, and nnbook's bands for it")
    return ExperimentData(name, title, origin, _pixels(x_train), _one_hot(y_train),
                          _pixels(x_test), _one_hot(y_test), note)


def digits_data() -> ExperimentData:
    """scikit-learn's 8×8 digits (:func:`nnbook.data.load_digits`' split), ink in [0, 1]."""
    digits = load_digits()
    return ExperimentData(
        "digits", "the offline 8x8 digits", "scikit-learn's bundled set; no MNIST in nnbook's "
        f"cache {cache_dir() / 'mnist'} and no --data",
        digits.X_train.astype(np.float32), _one_hot(digits.y_train),
        digits.X_test.astype(np.float32), _one_hot(digits.y_test),
        f"8x8 images: the input layer is 64 wide, not the book's 784, and there are "
        f"{digits.n_train:,} training images, not 60,000")


def _pixels(images) -> np.ndarray:
    return images.reshape(len(images), -1).astype(np.float32) / MAX_PIXEL


def _one_hot(labels) -> np.ndarray:
    return to_categorical(labels, NB_CLASSES).astype(np.float32)
