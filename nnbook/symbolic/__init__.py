"""Derivations as data, checked by sympy, one module per topic.

===============  ====================================================================
``derivation``   :class:`Derivation` (steps, each checked equal to the last), errors
``activations``  sigmoid (σ, Λ) derivative and limits, tanh, leaky ReLU, softplus
``neuron``       a sigmoid neuron's partials; merging a perceptron circuit's double edge
``descent``      gradient descent lowers the cost; the steepest direction (Lagrange)
``losses``       cross-entropy through a sigmoid; softmax with cross-entropy
``backprop``     the δ recursion on a symbolic network, checked weight by weight
===============  ====================================================================

Each chapter's list of derivations is in :mod:`nnbook.book.demos`.
"""

from nnbook.symbolic.derivation import Derivation, DerivationError, Step

__all__ = ["Derivation", "DerivationError", "Step"]
