"""Figures, drawn with matplotlib only, one module per kind of picture.

==============  =====================================================================
``axes``        ``new_axes`` (a new figure when no Axes is given), ``show`` (PNG in a notebook)
``diagrams``    fully connected networks, perceptron circuits
``curves``      step and sigmoid, 1-D descent, approximation and its error against m
``surfaces``    the valley with a descent path
``images``      digit mosaics, annotated matrices (convolution and pooling grids)
``decision``    decision regions of a 2-D classifier
``training``    per-epoch metrics of a History
==============  =====================================================================

Every function takes an optional ``ax`` and returns the Axes it drew on.
"""

from nnbook.plots.axes import new_axes, show
from nnbook.plots.curves import (plot_approximation, plot_descent_1d, plot_error_vs_units, plot_step_and_sigmoid)
from nnbook.plots.decision import plot_decision_boundary
from nnbook.plots.diagrams import draw_circuit, draw_network
from nnbook.plots.images import draw_matrix, plot_digits
from nnbook.plots.surfaces import plot_valley
from nnbook.plots.training import plot_history

__all__ = ["new_axes", "show", "plot_approximation", "plot_descent_1d", "plot_error_vs_units",
           "plot_step_and_sigmoid", "plot_decision_boundary", "draw_circuit", "draw_network",
           "draw_matrix", "plot_digits", "plot_valley", "plot_history"]
