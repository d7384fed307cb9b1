"""Layers on one protocol (:class:`~nnbook.layers.base.Layer`), one file per kind.

=====================  ==========================================================
``param``              :class:`Param`: a value and its accumulated gradient
``base``               :class:`Layer`: forward, backward, shapes, parameter counts
``activation``         :class:`Activation` and the :class:`Nonlinearity` helper
``dense``              :class:`Dense` (陈强 (15.24)–(15.29))
``dropout``            :class:`Dropout` (inverted by default, or direct)
``batchnorm``          :class:`BatchNormalization` (Ioffe & Szegedy 2015)
``reshape``            :class:`Flatten`
``conv``               :class:`Conv2D` (groups, connection tables)
``pooling``            :class:`MaxPool2D`, :class:`AvgPool2D`, :class:`Subsampling2D`,
                       :class:`GlobalAveragePooling2D`
``rbf``                :class:`RBF` (LeNet-5's fixed output units)
``recurrent``          :class:`Recurrent`: shapes, parameters and plumbing every recurrent layer shares
``rnn``                :class:`SimpleRNN` (the tanh cell unrolled over time, BPTT)
``lstm``               :class:`LSTM` (the gated cell of (5-37) unrolled over time, BPTT)
``initializers``       starting values by name
``regularizers``       penalties on weights and activities (L1, L2, elastic net)
=====================  ==========================================================

Images are (batch, channels, height, width); sequences are (batch, time, features).
"""

from nnbook.layers.activation import Activation
from nnbook.layers.base import Layer
from nnbook.layers.batchnorm import BatchNormalization
from nnbook.layers.conv import Conv2D
from nnbook.layers.dense import Dense
from nnbook.layers.dropout import Dropout
from nnbook.layers.lstm import LSTM
from nnbook.layers.param import Param
from nnbook.layers.pooling import AvgPool2D, GlobalAveragePooling2D, MaxPool2D, Subsampling2D
from nnbook.layers.rbf import RBF
from nnbook.layers.reshape import Flatten
from nnbook.layers.rnn import SimpleRNN

__all__ = ["Param", "Layer", "Dense", "Activation", "Dropout", "Flatten", "Conv2D", "MaxPool2D",
           "AvgPool2D", "Subsampling2D", "GlobalAveragePooling2D", "RBF", "SimpleRNN",
           "LSTM", "BatchNormalization"]
