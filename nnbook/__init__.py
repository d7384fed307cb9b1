"""nnbook: neural networks as a runnable textbook.

Importing nnbook is cheap: submodules are imported where they are used, and nothing runs
at import time. Start with :mod:`nnbook.models.perceptron` (chapter 1) or run ``nnbook tour``.
"""

__version__ = "0.1.0"
