"""The Keras 1–2 module path of the book's listings: ``from keras.layers.core import Dense,
Dropout, Activation`` (listings keras_MINST_V1–V3); Keras 3 removed it. Same classes as
:mod:`nnbook.keras.layers`."""

from nnbook.keras.layers import Activation, Dense, Dropout, Flatten

__all__ = ["Dense", "Activation", "Dropout", "Flatten"]
