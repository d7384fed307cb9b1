"""Data for the book: an offline default (scikit-learn's 8×8 digits), the MNIST IDX format,
and a checksummed MNIST downloader.

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
    load_mnist_files,
)

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
]
