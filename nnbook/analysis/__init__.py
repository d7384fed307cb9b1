"""Analysis of networks and of the math around them.

=====================  ================================================================================
``architectures``      shape, parameter and connection traces on real layers (LeNet-5, AlexNet, VGG-16)
``approximation``      universal approximation made constructive, with error bounds
``fully_conv``         dense layers as convolutions; a fully convolutional net is one big convolution
``gradcheck``          analytic gradients against central finite differences
``linear_collapse``    stacked linear layers (numpy weights or Dense layers) merged into one
``linear_regression``  least squares (5-28) as the test bed of batch, stochastic and mini-batch descent
``polynomial_fit``     under- and over-fitting: train and validation error against polynomial degree
``separability``       exact certificates that data are not linearly separable (XOR)
=====================  ================================================================================
"""
