"""Layers on one protocol (:class:`Layer`): forward, backward, parameters and their gradients.

Fully connected: :class:`Dense`, :class:`Activation`, :class:`Dropout`, :class:`Flatten`
(:mod:`nnbook.layers.core`); convolution and pooling on (batch, channels, height, width):
:class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D` (:mod:`nnbook.layers.conv`).
"""

from nnbook.layers.base import Layer
from nnbook.layers.conv import AvgPool2D, Conv2D, MaxPool2D
from nnbook.layers.core import Activation, Dense, Dropout, Flatten

__all__ = ["Layer", "Dense", "Activation", "Dropout", "Flatten", "Conv2D", "MaxPool2D",
           "AvgPool2D"]
