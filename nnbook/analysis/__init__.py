"""Analysis of networks and of the math around them.

==================  =================================================================
``architectures``   shape, parameter and connection traces on real layers (LeNet-5, AlexNet)
``approximation``   universal approximation made constructive, with error bounds
``gradcheck``       analytic gradients against central finite differences
``separability``    exact certificates that data are not linearly separable (XOR)
==================  =================================================================
"""
