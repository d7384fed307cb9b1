"""Chapter 1's Nielsen network and chapter 2's layered Sequential are one concept, two forms:
the same sigmoid network, cost and mini-batch step must give the same weights.

Nielsen's cost is the mean of ‖y − a‖²/2 (eq. 6) and his step is w − (η/m) Σ ∂C_x/∂w (eq. 20);
陈强's squared loss (15.22) has no ½, so its gradient is twice as large and the same step needs
learning rate η/2. Nielsen's weights are (n_out, n_in); Dense keeps W as (n_in, n_out).
"""

import numpy as np

from nnbook.layers import Dense
from nnbook.models.sequential import Sequential
from nnbook.models.network import Network
from nnbook.optim import SGD
from nnbook.train.minibatch_sgd import update_mini_batch


def test_one_mini_batch_step_gives_the_same_weights():
    rng = np.random.default_rng(0)
    nielsen = Network((6, 5, 3), rng=rng)
    model = Sequential([Dense(5, activation="sigmoid"), Dense(3, activation="sigmoid")],
                       input_shape=(6,), rng=1)
    model.compile("mse", SGD(learning_rate=3.0 / 2))
    model.set_weights([{"W": w.T.copy(), "b": b.copy()}
                       for w, b in zip(nielsen.weights, nielsen.biases)])

    X = rng.random((10, 6))
    Y = np.eye(3)[rng.integers(0, 3, size=10)]
    for _ in range(5):
        update_mini_batch(nielsen, X, Y, eta=3.0)
        model.train_on_batch(X, Y)

    for (w, b), layer in zip(zip(nielsen.weights, nielsen.biases), model.layers):
        np.testing.assert_allclose(layer.params["W"], w.T, rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.params["b"], b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.predict(X), nielsen.feedforward(X), rtol=0, atol=1e-12)
