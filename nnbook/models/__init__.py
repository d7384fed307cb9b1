"""Models: the one network and the perceptrons.

======================= ==============================================================
``sequential``          :class:`Sequential`, the one network (compile, fit, evaluate, …)
``network``             :class:`Network`, chapter 1's face of it (flat parameter vector)
``perceptron``          :class:`Perceptron` (= the M-P neuron), :class:`PerceptronNetwork`
``perceptron_learning`` Rosenblatt's rule, :class:`PerceptronClassifier`, Novikoff's bound
``logic_gates``         truth tables, NAND, circuits of perceptrons (the half adder)
``three_layer_bp``      :class:`ThreeLayerBPNet`, the book's n-m-l sigmoid net with b and θ (dlnn-5)
``neural_net``          :class:`NeuralNet`, the book's vectorised net with L2 and dropout (dlnn-5)
``lstm_network``        the book's LSTM nodes/network/loss layer (5.5.3), its two code bugs
======================= ==============================================================
"""
