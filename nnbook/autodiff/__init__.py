"""Reverse-mode automatic differentiation on a graph of value nodes (Galeone, ch. 2).

===================  ==========================================================================
``tensor``           :class:`Tensor` (value, grad, parents, op), its operations with their local
                     derivatives, ``backward``; leaves bound to Params (``Tensor.from_param``)
``graph``            topological order, edges and depths (for drawing), the value/gradient table
``forward_mode``     dual numbers; gradients and Jacobians by forward and by reverse mode, with
                     the number of passes each needs
===================  ==========================================================================

The source (§'Backpropagation and automatic differentiation') describes the graph and the two
traversals without code; the engine here is ours. Its figure: :func:`nnbook.plots.graphs.draw_graph`;
the chapter's examples (the ReLU neuron, an MLP trained through the engine):
:mod:`nnbook.book.demos.galeone_2_autodiff`. ``nnbook.autodiff.sum`` is the graph operation; it
is left out of ``__all__`` so that ``from nnbook.autodiff import *`` keeps Python's ``sum``.
"""

from nnbook.autodiff.forward_mode import (Dual, ModeResult, gradient_forward_mode,
                                          gradient_reverse_mode, jacobian_forward_mode,
                                          jacobian_reverse_mode, pass_counts)
from nnbook.autodiff.graph import (GraphRow, gradient_table, graph_edges, local_derivatives,
                                   node_depths, node_label, topological_order)
from nnbook.autodiff.tensor import (OPS, Tensor, add, as_tensor, div, exp, log, matmul, maximum,
                                   mean, mul, neg, power, relu, reshape, sigmoid, sub, sum, tanh,
                                   transpose, unbroadcast)

__all__ = ["Tensor", "as_tensor", "unbroadcast", "OPS", "add", "sub", "mul", "neg", "div",
           "power", "matmul", "mean", "reshape", "transpose", "relu", "maximum",
           "sigmoid", "tanh", "exp", "log", "topological_order", "graph_edges", "node_depths",
           "node_label", "local_derivatives", "GraphRow", "gradient_table", "Dual", "ModeResult",
           "gradient_forward_mode", "gradient_reverse_mode", "jacobian_forward_mode",
           "jacobian_reverse_mode", "pass_counts"]
