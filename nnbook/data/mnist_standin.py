"""An offline stand-in for MNIST in MNIST's own format: scikit-learn's 8×8 digits drawn at 28×28.

The book's Keras programs (Gulli & Pal ch. 1, listings keras_MINST_V1–V4) read MNIST with
``mnist.load_data()`` and reshape it to ``(60000, 784)`` and ``(10000, 784)``. So that they run
unchanged with no network, :func:`write_mnist_standin` writes the four MNIST IDX files
(``train-images-idx3-ubyte`` …) holding, by default, 60,000 training and 10,000 test images:

1. the 1,797 digits of :func:`nnbook.data.load_digits` are split, stratified by class, into
   training and test originals (a test image is never drawn from a training original);
2. each 8×8 original (ink 0…16) is upscaled to 20×20 by **bilinear interpolation** between pixel
   centres (:func:`bilinear_matrix`) and centred on a 28×28 canvas with a 4-pixel margin — the
   layout of MNIST, whose digits sit in a 20×20 box centred in 28×28;
3. the originals are repeated, each copy shifted by a random whole number of pixels in
   [−2, 2] along each axis (25 variants), up to the requested counts, and stored as uint8,
   0 = background and 255 = full ink, as in MNIST.

It is a stand-in for running programs, not for comparing numbers: 1,797 originals by a few
dozen writers are far easier than MNIST, so accuracies come out higher.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np

from .digits import DIGITS_IMAGE_SHAPE, load_digits
from .idx import write_idx
from .mnist import MNIST_STEMS

#: Side of MNIST's images, and of the box its digits are fitted into.
CANVAS, DIGIT_BOX = 28, 20
#: Largest random shift of a copy, in pixels along each axis.
MAX_SHIFT = 2


def bilinear_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights of linear interpolation from n_in to n_out samples along one axis.

    Output pixel j (centre at (j + ½)·n_in/n_out − ½ in input pixels) mixes its two nearest
    input pixels; outside the outermost centres the edge pixel is repeated. Rows sum to 1, so an
    image is upscaled by ``M @ image @ M.T``.
    """
    position = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    position = np.clip(position, 0, n_in - 1)
    left = np.minimum(np.floor(position).astype(int), n_in - 2)
    weight = position - left
    matrix = np.zeros((n_out, n_in))
    matrix[np.arange(n_out), left] = 1.0 - weight
    matrix[np.arange(n_out), left + 1] += weight
    return matrix


def upscale(images, box: int = DIGIT_BOX, canvas: int = CANVAS) -> np.ndarray:
    """(n, h, w) ink in [0, 1] → (n, canvas, canvas) uint8, bilinear to box×box, centred."""
    images = np.asarray(images, dtype=np.float64)
    rows, cols = bilinear_matrix(images.shape[1], box), bilinear_matrix(images.shape[2], box)
    scaled = np.einsum("ij,njk,lk->nil", rows, images, cols)
    margin = (canvas - box) // 2
    out = np.zeros((len(images), canvas, canvas), dtype=np.uint8)
    out[:, margin:margin + box, margin:margin + box] = np.rint(255 * np.clip(scaled, 0, 1))
    return out


def _copies(base: np.ndarray, labels: np.ndarray, n: int, rng: np.random.Generator):
    """n shifted copies of the base images (each original about equally often), shuffled."""
    which = rng.permutation(np.resize(np.arange(len(base)), n))
    shifts = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=(n, 2))
    images = base[which]
    for dy in range(-MAX_SHIFT, MAX_SHIFT + 1):
        for dx in range(-MAX_SHIFT, MAX_SHIFT + 1):
            chosen = (shifts[:, 0] == dy) & (shifts[:, 1] == dx)
            images[chosen] = np.roll(images[chosen], (dy, dx), axis=(1, 2))
    return images, labels[which].astype(np.uint8)


def mnist_standin(n_train: int = 60_000, n_test: int = 10_000, seed: int = 0):
    """``((x_train, y_train), (x_test, y_test))``: uint8 images (n, 28, 28) and labels (n,)."""
    for value, name in ((n_train, "n_train"), (n_test, "n_test"), (seed, "seed")):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0 \
                or (name != "seed" and value < 1):
            raise ValueError(f"{name}: expected an int ≥ {0 if name == 'seed' else 1}, "
                             f"found {value!r}")
    digits = load_digits(test_size=0.2, seed=int(seed))
    rng = np.random.default_rng(int(seed))
    parts = []
    for X, y, n in ((digits.X_train, digits.y_train, n_train),
                    (digits.X_test, digits.y_test, n_test)):
        base = upscale(X.reshape(-1, *DIGITS_IMAGE_SHAPE))
        parts.append(_copies(base, y, int(n), rng))
    return tuple(parts)


def write_mnist_standin(directory, n_train: int = 60_000, n_test: int = 10_000, seed: int = 0,
                        gzip: bool = False) -> Path:
    """Write the stand-in as the four MNIST IDX files into ``directory`` (created); return it.

    Point ``$NNBOOK_DATA_DIR`` at the *parent* of a folder ``mnist/`` written this way and
    ``nnbook.keras.datasets.mnist.load_data()`` reads it; or pass ``load_data(path=directory)``.
    ``gzip`` writes ``….gz`` files instead (same names with the suffix).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (x_train, y_train), (x_test, y_test) = mnist_standin(n_train, n_test, seed)
    for stem, array in zip(MNIST_STEMS, (x_train, y_train, x_test, y_test)):
        write_idx(directory / (stem + (".gz" if gzip else "")), array, gzip=gzip)
    return directory
