"""The book's Keras programs run on nnbook with only their import lines changed.

Gulli & Pal ch. 1, listings keras_MINST_V1 ('Defining a simple neural net in Keras'), V2
('Improving the simple net in Keras with hidden layers'), V3 ('… with dropout') and V4 (V3 with
the optimiser swapped, 'Testing different optimizers in Keras'; the publisher's file
keras_MINST_V4.py adds plots that read the Keras 2.0 history keys 'acc'/'val_acc', which today's
Keras and nnbook.keras call 'accuracy'/'val_accuracy'), the first example (``Dense(12, input_dim=8, …)``), the ``kernel_regularizer``
example and ``predict``. Each ``from keras…`` line became ``from nnbook.keras…``; comments are
dropped. The programs read MNIST from ``$NNBOOK_DATA_DIR/mnist``, here the 60,000 / 10,000-image
stand-in (their ``reshape(60000, 784)`` needs those counts). To keep the suite fast the run
replaces the listing's own ``NB_EPOCH = …`` line by ``NB_EPOCH = 1`` (nothing else changes).
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest

KERAS_MINST_V1 = """\
from __future__ import print_function
import numpy as np
from nnbook.keras.datasets import mnist
from nnbook.keras.models import Sequential
from nnbook.keras.layers.core import Dense, Activation
from nnbook.keras.optimizers import SGD
from nnbook.keras.utils import np_utils
np.random.seed(1671)
NB_EPOCH = 200
BATCH_SIZE = 128
VERBOSE = 1
NB_CLASSES = 10
OPTIMIZER = SGD()
N_HIDDEN = 128
VALIDATION_SPLIT=0.2
(X_train, y_train), (X_test, y_test) = mnist.load_data()
RESHAPED = 784
X_train = X_train.reshape(60000, RESHAPED)
X_test = X_test.reshape(10000, RESHAPED)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')
X_train /= 255
X_test /= 255
print(X_train.shape[0], 'train samples')
print(X_test.shape[0], 'test samples')
Y_train = np_utils.to_categorical(y_train, NB_CLASSES)
Y_test = np_utils.to_categorical(y_test, NB_CLASSES)
model = Sequential()
model.add(Dense(NB_CLASSES, input_shape=(RESHAPED,)))
model.add(Activation('softmax'))
model.summary()
model.compile(loss='categorical_crossentropy', optimizer=OPTIMIZER, metrics=['accuracy'])
history = model.fit(X_train, Y_train,
batch_size=BATCH_SIZE, epochs=NB_EPOCH,
verbose=VERBOSE, validation_split=VALIDATION_SPLIT)
score = model.evaluate(X_test, Y_test, verbose=VERBOSE)
print("Test score:", score[0])
print('Test accuracy:', score[1])
"""

KERAS_MINST_V2 = """\
from __future__ import print_function
import numpy as np
from nnbook.keras.datasets import mnist
from nnbook.keras.models import Sequential
from nnbook.keras.layers.core import Dense, Activation
from nnbook.keras.optimizers import SGD
from nnbook.keras.utils import np_utils
np.random.seed(1671)
NB_EPOCH = 20
BATCH_SIZE = 128
VERBOSE = 1
NB_CLASSES = 10
OPTIMIZER = SGD()
N_HIDDEN = 128
VALIDATION_SPLIT=0.2
(X_train, y_train), (X_test, y_test) = mnist.load_data()
RESHAPED = 784
X_train = X_train.reshape(60000, RESHAPED)
X_test = X_test.reshape(10000, RESHAPED)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')
X_train /= 255
X_test /= 255
print(X_train.shape[0], 'train samples')
print(X_test.shape[0], 'test samples')
Y_train = np_utils.to_categorical(y_train, NB_CLASSES)
Y_test = np_utils.to_categorical(y_test, NB_CLASSES)
model = Sequential()
model.add(Dense(N_HIDDEN, input_shape=(RESHAPED,)))
model.add(Activation('relu'))
model.add(Dense(N_HIDDEN))
model.add(Activation('relu'))
model.add(Dense(NB_CLASSES))
model.add(Activation('softmax'))
model.summary()
model.compile(loss='categorical_crossentropy',
optimizer=OPTIMIZER,
metrics=['accuracy'])
history = model.fit(X_train, Y_train,
batch_size=BATCH_SIZE, epochs=NB_EPOCH,
verbose=VERBOSE, validation_split=VALIDATION_SPLIT)
score = model.evaluate(X_test, Y_test, verbose=VERBOSE)
print("Test score:", score[0])
print('Test accuracy:', score[1])
"""

KERAS_MINST_V3 = """\
from __future__ import print_function
import numpy as np
from nnbook.keras.datasets import mnist
from nnbook.keras.models import Sequential
from nnbook.keras.layers.core import Dense, Dropout, Activation
from nnbook.keras.optimizers import SGD
from nnbook.keras.utils import np_utils
np.random.seed(1671)
NB_EPOCH = 250
BATCH_SIZE = 128
VERBOSE = 1
NB_CLASSES = 10
OPTIMIZER = SGD()
N_HIDDEN = 128
VALIDATION_SPLIT=0.2
DROPOUT = 0.3
(X_train, y_train), (X_test, y_test) = mnist.load_data()
RESHAPED = 784
X_train = X_train.reshape(60000, RESHAPED)
X_test = X_test.reshape(10000, RESHAPED)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')
X_train /= 255
X_test /= 255
Y_train = np_utils.to_categorical(y_train, NB_CLASSES)
Y_test = np_utils.to_categorical(y_test, NB_CLASSES)
model = Sequential()
model.add(Dense(N_HIDDEN, input_shape=(RESHAPED,)))
model.add(Activation('relu'))
model.add(Dropout(DROPOUT))
model.add(Dense(N_HIDDEN))
model.add(Activation('relu'))
model.add(Dropout(DROPOUT))
model.add(Dense(NB_CLASSES))
model.add(Activation('softmax'))
model.summary()
model.compile(loss='categorical_crossentropy',
optimizer=OPTIMIZER,
metrics=['accuracy'])
history = model.fit(X_train, Y_train,
batch_size=BATCH_SIZE, epochs=NB_EPOCH,
verbose=VERBOSE, validation_split=VALIDATION_SPLIT)
score = model.evaluate(X_test, Y_test, verbose=VERBOSE)
print("Test score:", score[0])
print('Test accuracy:', score[1])
"""

#: Listing keras_MINST_V4 as the book gives it ('Testing different optimizers in Keras'): V3
#: with the optimiser's import and OPTIMIZER lines changed, run for 20 epochs.
KERAS_MINST_V4 = (KERAS_MINST_V3
                  .replace("from nnbook.keras.optimizers import SGD",
                           "from nnbook.keras.optimizers import RMSprop, Adam")
                  .replace("OPTIMIZER = SGD()", "OPTIMIZER = RMSprop()")
                  .replace("NB_EPOCH = 250", "NB_EPOCH = 20"))

#: 'A first example of Keras code': the book never imports Dense; the added line is an import.
FIRST_EXAMPLE = """\
from nnbook.keras.models import Sequential
from nnbook.keras.layers import Dense
model = Sequential()
model.add(Dense(12, input_dim=8, kernel_initializer='random_uniform'))
"""

#: 'Adopting regularization…': the book prints the import and the add on one line (a
#: SyntaxError); here they are two lines, with the model the snippet assumes.
REGULARIZER_EXAMPLE = """\
from nnbook.keras.models import Sequential
from nnbook.keras.layers import Dense
from nnbook.keras import regularizers
model = Sequential()
model.add(Dense(64, input_dim=64, kernel_regularizer=regularizers.l2(0.01)))
"""

#: 'Predicting output'.
PREDICT_EXAMPLE = """\
predictions = model.predict(X)
"""


def run_listing(text: str, epochs_line: str | None = None) -> dict:
    """Run a listing; ``epochs_line`` ("NB_EPOCH = 200") is replaced by ``NB_EPOCH = 1``."""
    if epochs_line is not None:
        assert text.count(epochs_line) == 1, f"{epochs_line!r} is not a line of the listing"
        text = text.replace(epochs_line, "NB_EPOCH = 1")
    namespace: dict = {"__name__": "listing"}
    exec(compile(text, "listing", "exec"), namespace)
    return namespace


def _check_run(namespace, out, n_params):
    """What every MNIST listing shows: its summary count, the 48,000 / 12,000 split, the score."""
    assert f"Total params: {n_params:,}" in out
    assert namespace["model"].count_params() == n_params
    history = namespace["history"]
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.params["steps"] == 375                   # ⌈48,000 / 128⌉ training batches
    score = namespace["score"]
    assert isinstance(score, list) and len(score) == 2
    assert f"Test accuracy: {score[1]}" in out
    return score


@pytest.fixture(scope="module")
def v1_run(standin_root):
    """One run of listing keras_MINST_V1 (its namespace and what it printed), shared."""
    state = np.random.get_state()
    out = io.StringIO()
    try:
        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
            patch.setenv("NNBOOK_DATA_DIR", str(standin_root))
            namespace = run_listing(KERAS_MINST_V1, "NB_EPOCH = 200")
    finally:
        np.random.set_state(state)
    return namespace, out.getvalue()


@pytest.mark.usefixtures("data_dir", "global_numpy_seed")
class TestMnistListings:
    def test_v1_simple_net(self, v1_run):
        namespace, out = v1_run
        assert "60000 train samples" in out and "10000 test samples" in out
        score = _check_run(namespace, out, 7_850)
        assert score[1] > 0.5             # one epoch of plain SGD (η = 0.01); chance is 0.1
        assert namespace["X_train"].dtype == np.float32

    def test_v2_hidden_layers(self, capsys):
        namespace = run_listing(KERAS_MINST_V2, "NB_EPOCH = 20")
        out, err = capsys.readouterr()
        assert err == ""                                    # nothing on stderr, no warnings
        score = _check_run(namespace, out, 118_282)
        assert score[1] > 0.5

    def test_v3_dropout(self, capsys):
        namespace = run_listing(KERAS_MINST_V3, "NB_EPOCH = 250")
        out = capsys.readouterr().out
        assert "train samples" not in out                   # V3 does not print the counts
        score = _check_run(namespace, out, 118_282)
        assert score[1] > 0.5

    @pytest.mark.parametrize("optimizer", ["RMSprop()", "Adam()"])
    def test_v4_rmsprop_and_adam(self, capsys, optimizer):
        text = KERAS_MINST_V4.replace("OPTIMIZER = RMSprop()", f"OPTIMIZER = {optimizer}")
        namespace = run_listing(text, "NB_EPOCH = 20")
        out = capsys.readouterr().out
        score = _check_run(namespace, out, 118_282)
        assert type(namespace["model"].optimizer).__name__ == optimizer[:-2]
        assert score[1] > 0.90            # adaptive steps learn the stand-in in one epoch

    def test_the_seed_line_makes_a_run_repeat(self, v1_run, capsys):
        again = run_listing(KERAS_MINST_V1, "NB_EPOCH = 200")
        assert again["history"].history == v1_run[0]["history"].history
        capsys.readouterr()

    def test_predict(self, v1_run, capsys):
        namespace = dict(v1_run[0], X=v1_run[0]["X_test"][:100])
        exec(compile(PREDICT_EXAMPLE, "predict", "exec"), namespace)
        predictions = namespace["predictions"]
        assert predictions.shape == (100, 10) and predictions.dtype == np.float32
        np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)
        assert re.fullmatch(r"4/4 - \d+s\n", capsys.readouterr().out)   # verbose="auto"


def test_first_example_builds_108_parameters(capsys):
    model = run_listing(FIRST_EXAMPLE)["model"]
    assert model.built and model.input_shape == (8,)
    assert model.count_params() == 108                       # 8 × 12 weights + 12 biases
    kernel, bias = model.get_weights()
    assert kernel.shape == (8, 12) and np.abs(kernel).max() <= 0.05 and not bias.any()
    model.summary()
    assert "Total params: 108" in capsys.readouterr().out


def test_regularizer_example_adds_the_l2_penalty():
    model = run_listing(REGULARIZER_EXAMPLE)["model"]
    kernel, _ = model.get_weights()
    assert model.count_params() == 64 * 64 + 64
    assert model.regularization_loss() == pytest.approx(0.01 * np.sum(kernel.astype(float) ** 2),
                                                        rel=1e-6)
