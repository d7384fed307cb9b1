"""Derivations as data, checked by sympy, one module per topic.

==================  ====================================================================
``derivation``      :class:`Derivation` (steps, each checked equal to the last), errors
``activations``     sigmoid (σ, Λ) derivative and limits, tanh, leaky ReLU, softplus
``neuron``          a sigmoid neuron's partials; merging a perceptron circuit's double edge
``descent``         gradient descent lowers the cost; the steepest direction (Lagrange)
``losses``          cross-entropy through a sigmoid; softmax with cross-entropy
``backprop``        the δ recursion on a symbolic network, checked weight by weight
``bp_three_layer``  the BP derivation (5-2)–(5-21) on a 2-2-2 net with b and θ (dlnn-5)
``lstm``            one LSTM cell's backward (5-43)–(5-45), corrected, checked at random points
``optimizers``      update rules: η thresholds, momentum, Nesterov, Adam's bias, weight decay, batches
``matrices``        :class:`MatrixDerivation`: steps that are matrices, checked entry by entry
``linear_layers``   two stacked linear layers are one: W′ = W₁W₂, b′ = b₁W₂ + b₂ (row and column form)
``convolution``     a 1×1×D filter is a dot product; N of them a per-pixel dense layer; f*g = g*f
==================  ====================================================================

Each chapter's list of derivations is in :mod:`nnbook.book.demos`.
"""

from nnbook.symbolic.derivation import Derivation, DerivationError, Step

__all__ = ["Derivation", "DerivationError", "Step"]
