"""The Keras 1–2 path ``keras.utils.np_utils`` of the book's listings (gone in Keras 3)."""

from nnbook.keras.utils import to_categorical

__all__ = ["to_categorical"]
