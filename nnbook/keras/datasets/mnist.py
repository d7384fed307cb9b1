"""Keras' ``mnist.load_data()`` (Gulli & Pal ch. 1, 'A real example — recognizing handwritten
digits'), read from disk: nnbook never downloads behind the reader's back.

Where the arrays come from:

* ``load_data()``: nnbook's MNIST cache ``nnbook.data.cache_dir() / "mnist"`` (that is
  ``$NNBOOK_DATA_DIR/mnist`` when the variable is set), filled once by
  ``nnbook data download-mnist``;
* ``load_data(path=DIR)``: any folder holding the four MNIST-format IDX files (raw or ``.gz``) —
  MNIST, Fashion-MNIST, or the offline stand-in of :mod:`nnbook.data.mnist_standin`;
* ``load_data(path="…/mnist.npz")``: the file Keras itself caches (``~/.keras/datasets``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnbook.data.mnist import MNIST_STEMS, cache_dir, has_mnist_files, read_mnist_arrays

_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(path=None):
    """``((x_train, y_train), (x_test, y_test))`` as Keras returns them: uint8 images
    (n, 28, 28) with 0 = background and 255 = ink, uint8 labels (n,) — for MNIST 60,000 and
    10,000. ``path``: a folder of MNIST-format files or a Keras ``mnist.npz``; default the cache.
    """
    source = cache_dir() / "mnist" if path is None else Path(path).expanduser()
    if source.is_file() and source.suffix == ".npz":
        with np.load(source) as archive:
            missing = [k for k in _NPZ_KEYS if k not in archive]
            if missing:
                raise ValueError(f"{source}: expected Keras' arrays {list(_NPZ_KEYS)}, missing "
                                 f"{missing}")
            arrays = [archive[k] for k in _NPZ_KEYS]
    elif has_mnist_files(source):
        arrays = read_mnist_arrays(source)
    else:
        raise FileNotFoundError(_missing_message(source, path is None))
    x_train, y_train, x_test, y_test = arrays
    for part, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        if images.dtype != np.uint8 or images.ndim != 3 or labels.ndim != 1:
            raise ValueError(f"{source}: expected {part} images uint8 (n, rows, cols) and labels "
                             f"(n,), found {images.dtype} {images.shape} and {labels.shape}")
        if len(images) != len(labels):
            raise ValueError(f"{source}: {len(images)} {part} images but {len(labels)} labels; "
                             "expected one label per image")
    return (x_train, y_train.astype(np.uint8)), (x_test, y_test.astype(np.uint8))


def _missing_message(source: Path, default: bool) -> str:
    files = ", ".join(MNIST_STEMS)
    where = (f"MNIST is not in nnbook's cache {source}" if default
             else f"{source}: not a folder holding MNIST-format files, nor a Keras mnist.npz")
    return (f"{where} (expected the files {files}, raw or .gz). nnbook never downloads in "
            "load_data: run `nnbook data download-mnist` once (online) to fill the cache, or "
            "pass load_data(path=DIR) with a folder of MNIST-format files — Fashion-MNIST, or "
            "the offline stand-in written by "
            "nnbook.data.mnist_standin.write_mnist_standin(DIR).")
