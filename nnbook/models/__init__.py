"""Models: the one network and the perceptrons.

======================= ==============================================================
``sequential``          :class:`Sequential`, the one network (compile, fit, evaluate, …)
``network``             :class:`Network`, chapter 1's face of it (flat parameter vector)
``perceptron``          :class:`Perceptron` (= the M-P neuron), :class:`PerceptronNetwork`
``perceptron_learning`` Rosenblatt's rule, :class:`PerceptronClassifier`, Novikoff's bound
``logic_gates``         truth tables, NAND, circuits of perceptrons (the half adder)
``lstm_network``        the book's LSTM nodes/network/loss layer (5.5.3), its two code bugs
======================= ==============================================================
"""
