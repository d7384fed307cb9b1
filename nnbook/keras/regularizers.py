"""Keras' weight penalties (Gulli & Pal ch. 1, 'Adopting regularization for avoiding
overfitting'): nnbook's own, which already follow Keras (``l2(0.01)`` is 0.01 Σ W²; defaults
0.01). ``Dense(64, kernel_regularizer=regularizers.l2(0.01))``."""

from nnbook.layers.regularizers import L1, L2, L1L2, l1, l1_l2, l2

__all__ = ["l1", "l2", "l1_l2", "L1", "L2", "L1L2"]
