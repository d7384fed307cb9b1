"""A Keras-compatible face of nnbook: the book's Keras programs (Gulli & Pal ch. 1, listings
keras_MINST_V1–V4) run on nnbook's own engine with only their import lines changed —
``from keras.models import Sequential`` becomes ``from nnbook.keras.models import Sequential``.

=======================  =====================================================================
``models``               :class:`Sequential` over :class:`nnbook.models.sequential.Sequential`
``layers``               Dense, Activation, Dropout, Flatten, Input (``layers.core``: Keras 1–2)
``initializers``         Keras' initialiser names and classes over :mod:`nnbook.layers.initializers`
``regularizers``         ``l1``, ``l2``, ``l1_l2`` (nnbook's penalties)
``optimizers``           SGD, RMSprop, Adam (nnbook's, with Keras' defaults and formulas)
``losses``               Keras' loss names with Keras' averaging over outputs
``utils``                ``to_categorical``, ``set_random_seed`` (``utils.np_utils``: Keras 1–2)
``datasets.mnist``       ``load_data()`` from nnbook's MNIST cache or a folder; never downloads
``progress``             what ``verbose`` 0 / 1 / 2 prints (stdout only)
=======================  =====================================================================

Thin by design: every layer, loss, penalty and optimiser is nnbook's; the face adds Keras'
signatures, defaults and conventions (float32, last-fraction validation split, list-valued
``evaluate``, flat weight lists). Offline, write the MNIST-format stand-in with
:func:`nnbook.data.mnist_standin.write_mnist_standin` and point ``$NNBOOK_DATA_DIR`` at it.
"""

from nnbook.keras import (datasets, initializers, layers, losses, models, optimizers, regularizers,
                          utils)
from nnbook.keras.layers import Input
from nnbook.keras.models import Sequential

__all__ = ["Sequential", "Input", "models", "layers", "initializers", "regularizers",
           "optimizers", "losses", "utils", "datasets"]
