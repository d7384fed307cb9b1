"""Keras' data sets: :mod:`nnbook.keras.datasets.mnist` (``mnist.load_data()``), read from disk only."""

from nnbook.keras.datasets import mnist

__all__ = ["mnist"]
