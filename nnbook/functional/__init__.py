"""Pure functions of the math, with their derivatives: no parameters, no state.

================  =================================================================
``activations``   sigmoid, step, sign, tanh, ReLU, leaky ReLU, softplus, softmax (+ f′)
``losses``        Nielsen's quadratic cost; MSE, binary and categorical cross-entropy
``convolution``   2-D cross-correlation by hand, batched conv forward/backward, as a matrix;
                  true convolution, Sobel edges, volumes, the 1×1×D convolution
``signals``       1-D signals and LTI systems: impulse response, convolution, correlation
``pooling``       max and mean pooling by hand, batched forward/backward
``rnn``           the simple RNN cell, its unrolling, BPTT; state-gradient norms
``dropout``       Bernoulli masks; direct and inverted dropout (Galeone ch. 2)
``batchnorm``     batch normalisation forward/backward (Ioffe & Szegedy Alg. 1)
================  =================================================================
"""
