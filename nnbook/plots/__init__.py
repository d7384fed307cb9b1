"""Figures, drawn with matplotlib only, one module per kind of picture.

=================  =================================================================================
``axes``           ``new_axes`` (a new figure when no Axes is given), ``show`` (PNG in a notebook)
``diagrams``       fully connected networks (a highlighted weight, dropped neurons)
``circuits``       perceptron circuits (NAND gates, the half adder)
``architectures``  a shape trace (LeNet-5, AlexNet, a CNN pipeline) as a row of blocks
``recurrent``      RNN and LSTM cells: folded, inside, unrolled in time, the LSTM's gates
``curves``         step and sigmoid, 1-D descent, approximation and its error against m
``surfaces``       the valley with a descent path
``images``         digit mosaics, annotated matrices (convolution and pooling grids)
``decision``       decision regions of a 2-D classifier
``training``       per-epoch metrics of a History
``graphs``         computational graphs of nnbook.autodiff: boxes with values and gradients
``layout``         readability checks: labels that overlap, sit in another panel or are cut off
=================  =================================================================================

Every drawing function takes an optional ``ax`` and returns the Axes it drew on.
"""

from nnbook.plots.architectures import draw_trace
from nnbook.plots.axes import new_axes, show
from nnbook.plots.circuits import draw_circuit
from nnbook.plots.curves import (plot_approximation, plot_descent_1d, plot_error_vs_units,
                                 plot_step_and_sigmoid)
from nnbook.plots.decision import plot_decision_boundary
from nnbook.plots.diagrams import draw_network, drop_neurons, highlight_edge
from nnbook.plots.graphs import draw_graph
from nnbook.plots.images import draw_matrix, plot_digits
from nnbook.plots.layout import label_problems
from nnbook.plots.recurrent import draw_lstm_cell, draw_rnn_cell, draw_rnn_folded, draw_unrolled
from nnbook.plots.surfaces import plot_valley
from nnbook.plots.training import plot_history

__all__ = ["new_axes", "show", "plot_approximation", "plot_descent_1d", "plot_error_vs_units",
           "plot_step_and_sigmoid", "plot_decision_boundary", "draw_circuit", "draw_network",
           "drop_neurons", "highlight_edge", "draw_trace", "draw_matrix", "plot_digits",
           "plot_valley", "plot_history", "label_problems", "draw_rnn_folded", "draw_rnn_cell",
           "draw_unrolled", "draw_lstm_cell", "draw_graph"]
