"""Numba twins of nnbook's hot loops, one module per reference module.

The naming rule: ``nnbook.kernels.<module>.<name>`` is the compiled twin of a readable
``<name>_reference`` in the nnbook module of the same name — e.g. ``kernels.convolution.
conv2d_forward`` mirrors ``functional.convolution.conv2d_forward_reference``, and
``kernels.minibatch_sgd.sgd_epoch`` mirrors ``train.minibatch_sgd.sgd_epoch_reference``. Each
module's ``__all__`` lists its twins (other functions are helpers); tests assert every twin
equals its reference. The twins trust their inputs: call them through the validating function
of the same name in the reference module (or through a layer). They compile on first use and
cache to disk (``cache=True``); importing nnbook never compiles.
"""
