"""Keras 3 on its JAX backend, driven by ``bench_keras_mnist.py`` in a child process.

    KERAS_BACKEND=jax python benchmarks/keras_jax_worker.py DIR

Runs in whatever interpreter has Keras and JAX installed (it imports neither nnbook nor
PyTorch). DIR holds the data the parent wrote: ``X.npy`` (n, 784) float32, ``Y.npy`` (n, 10)
one-hot float32, and ``initial_<model>.npz`` (arrays ``0``, ``1``, … in Keras'
``get_weights`` order: kernel, bias per Dense layer). The worker builds each model of the
parent's table (the same layer sizes, SGD, categorical cross-entropy, accuracy), runs it once
on two mini-batches so that JAX compiles the training step, and prints one JSON line
``{"ready": …}``. Then it answers one JSON line per command read from stdin:

* ``epoch MODEL BATCH`` — one ``fit`` epoch over all of X (shuffled, ``verbose=0``), timed
  with ``time.perf_counter`` around the call: ``{"seconds": …}``;
* ``agree MODEL BATCH STEPS`` — from the initial weights, ``fit`` on the first STEPS
  mini-batches in order (no shuffling); the weights are saved to ``DIR/keras_MODEL.npz``:
  ``{"saved": path}``;
* ``quit``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")


def build(keras, hidden, learning_rate):
    """784 → hidden ReLU layers → 10 softmax, compiled as in Gulli & Pal's listings."""
    layers = [keras.Input((784,))]
    layers += [keras.layers.Dense(units, activation="relu") for units in hidden]
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def reply(message):
    print(json.dumps(message), flush=True)


def main(argv):
    directory = Path(argv[0])
    spec = json.loads((directory / "models.json").read_text())
    import keras
    import jax

    X = np.load(directory / "X.npy")
    Y = np.load(directory / "Y.npy")
    models = {}
    for name, settings in spec["models"].items():
        model = build(keras, settings["hidden"], spec["learning_rate"])
        batch = spec["batch_size"]
        model.fit(X[:2 * batch], Y[:2 * batch], batch_size=batch, epochs=1, verbose=0)
        models[name] = model
    reply({"ready": True, "keras": keras.__version__, "jax": jax.__version__,
           "backend": keras.backend.backend(), "devices": [str(d) for d in jax.devices()]})
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "quit":
            break
        model = models[command[1]]
        batch = int(command[2])
        if command[0] == "epoch":
            start = time.perf_counter()
            model.fit(X, Y, batch_size=batch, epochs=1, shuffle=True, verbose=0)
            reply({"seconds": time.perf_counter() - start})
        elif command[0] == "agree":
            n = int(command[3]) * batch
            initial = np.load(directory / f"initial_{command[1]}.npz")
            model.set_weights([initial[str(i)] for i in range(len(initial.files))])
            model.fit(X[:n], Y[:n], batch_size=batch, epochs=1, shuffle=False, verbose=0)
            path = directory / f"keras_{command[1]}.npz"
            np.savez(path, **{str(i): w for i, w in enumerate(model.get_weights())})
            reply({"saved": str(path)})
        else:
            reply({"error": f"unknown command {line.strip()!r}"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
