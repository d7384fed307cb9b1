"""The figures of chapter 1 (Nielsen ch. 1), drawn by the chapter and by ``nnbook tour``.

:func:`figures` maps a file name to a function of no arguments that draws that figure and
returns its Figure (or Axes).
"""

from __future__ import annotations

import numpy as np

from nnbook.book.demos.nielsen_1 import train_digit_network


def figures() -> dict:
    """The chapter's figures by file name: networks, circuits, curves, valley, digits, training.

    Each value draws one figure and returns its Axes or Figure.
    """
    from nnbook import plots
    from nnbook.models.logic_gates import half_adder_circuit
    from nnbook.optim.gradient_descent import gradient_descent, valley_gradient

    net, history, digits = train_digit_network()
    path = gradient_descent(valley_gradient, np.array([0.9, -0.7]), 0.1, 25)
    drawings = {
        "nielsen-1_network_784-15-10.png":
            lambda: plots.draw_network((784, 15, 10), title="784-15-10 digit network (§1.4)"),
        "nielsen-1_half_adder.png": lambda: plots.draw_circuit(half_adder_circuit()),
        "nielsen-1_step_and_sigmoid.png": lambda: plots.plot_step_and_sigmoid(),
        "nielsen-1_valley_descent.png": lambda: plots.plot_valley(path),
        "nielsen-1_digits.png": lambda: plots.plot_digits(digits.X_train[:20], digits.y_train[:20],
                                                          shape=digits.image_shape),
        "nielsen-1_training_history.png": lambda: plots.plot_history(history, keys=("accuracy", "test_accuracy")),
    }
    return drawings
