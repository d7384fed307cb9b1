"""Data for the book: an offline default (scikit-learn's 8×8 digits), the MNIST IDX format,
a checksummed MNIST downloader, and an offline stand-in in MNIST's format.

=================  =================================================================
``dataset``        :class:`Dataset`, ``one_hot``
``digits``         scikit-learn's 8×8 digits, split by class
``idx``            the IDX file format (read, write)
``images``         scikit-learn's offline photographs, RGB to grey (luminance)
``mnist``          MNIST files: read, locate, download (sha256), the cache
``mnist_standin``  the 8×8 digits upscaled to 28×28, written as MNIST-format files
``preprocessing``  min–max scaling and standardisation fitted on training data
``separable``      random linearly separable data with a margin
``sequences``      synthetic sequence tasks: noisy sine next value, remember the first input
``augmentation``   flips, noise, brightness, saturation; arrows (Galeone ch. 2)
=================  =================================================================

Nothing here reaches the network unless ``download_mnist`` / ``load_mnist(download=True)``
is called. Intensities are ink in [0, 1] (Nielsen's 0.0 = white, 1.0 = black).
"""

from .dataset import Dataset, one_hot
from .digits import load_digits, stratified_split
from .idx import IDX_DTYPES, IdxFormatError, read_idx, write_idx
from .mnist import (
    MNIST_BASE_URL,
    MNIST_FILES,
    MNIST_STEMS,
    DownloadError,
    cache_dir,
    download_mnist,
    fashion_mnist_dir,
    load_fashion_mnist,
    load_mnist,
    has_mnist_files,
    load_mnist_files,
    read_mnist_arrays,
)
from .mnist_standin import write_mnist_standin
from .sequences import noisy_sine, remember_first

__all__ = [
    "Dataset",
    "one_hot",
    "load_digits",
    "stratified_split",
    "IDX_DTYPES",
    "IdxFormatError",
    "read_idx",
    "write_idx",
    "MNIST_BASE_URL",
    "MNIST_FILES",
    "MNIST_STEMS",
    "DownloadError",
    "cache_dir",
    "download_mnist",
    "fashion_mnist_dir",
    "load_fashion_mnist",
    "load_mnist",
    "load_mnist_files",
    "read_mnist_arrays",
    "has_mnist_files",
    "write_mnist_standin",
    "noisy_sine",
    "remember_first",
]
