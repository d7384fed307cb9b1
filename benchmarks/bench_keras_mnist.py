"""Time one training epoch of Gulli & Pal's MNIST networks V1 and V2: nnbook (float64 and
float32), PyTorch CPU (float64 and float32) and Keras 3 on JAX (float32), in one run.

    python benchmarks/bench_keras_mnist.py [--data DIR | --random-data] [--examples N]
        [--batch-size B] [--repeats K] [--models V1 V2] [--threads T] [--keras-python PATH]
        [--no-keras] [--no-torch] [--seed S] [--markdown]

The task is the book's listing keras_MINST_V1 and its two-hidden-layer successor V2 (Gulli &
Pal ch. 1, "Defining a simple neural net in Keras" and "Improving the simple net in Keras
with hidden layers"): V1 is 784 → 10 softmax, V2 is 784 → 128 ReLU → 128 ReLU → 10 softmax,
trained with SGD (learning rate 0.01, no momentum) on the categorical cross-entropy, mini-batch
128, on N = 48,000 examples (the book's 60,000 less its validation split of 0.2). One epoch
means what Keras' ``fit`` does: shuffle, then for every mini-batch a forward pass, the loss,
a backward pass and an update, with the loss and accuracy kept as running averages.

* nnbook — ``Sequential(..., dtype=...)``, ``compile("categorical_crossentropy", SGD(0.01))``,
  ``fit(X, Y, epochs=1, batch_size=128, progress=False)``; X and Y are converted to the
  model's dtype once, before timing (the book casts to float32 the same way).
* pytorch — ``nn.Linear``/``nn.ReLU``, ``CrossEntropyLoss`` on the logits (softmax and
  cross-entropy fused, as nnbook and Keras do), ``optim.SGD``; per mini-batch ``loss.item()``
  and the number of correct predictions are accumulated. Default thread count, printed.
* keras-jax — ``keras.Sequential`` with the same layers, ``model.fit(..., verbose=0)``, in a
  child process (``benchmarks/keras_jax_worker.py``) started with ``--keras-python`` (default:
  this interpreter) and ``KERAS_BACKEND=jax``; the child reports the seconds of each ``fit``
  call. Keras' compile time is excluded (the child runs two mini-batches first).

All implementations start from the same weights; the K repeats are interleaved (every case
once, then again) and "s / epoch" is the best of K. Ratios are from the same run. Below the
table the script prints how far each implementation's weights are from nnbook float64's after
the first few mini-batches in the same order: evidence that the same arithmetic is timed.
Nothing is written to stderr; PyTorch and Keras are optional.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nnbook.data import fashion_mnist_dir
from nnbook.layers import Dense
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_training import blas_description, load_average, load_training_set  # noqa: E402

#: Hidden layers of the book's networks (V3 adds dropout to V2; the table times V1 and V2).
MODELS = {"V1": (), "V2": (128, 128)}
LEARNING_RATE = 0.01
N_CLASSES = 10
N_PIXELS = 784
AGREEMENT_STEPS = 20
WORKER = Path(__file__).resolve().parent / "keras_jax_worker.py"


# --- the implementations --------------------------------------------------------------------

def nnbook_model(hidden, dtype, initial=None, seed=0):
    """The book's network on nnbook; ``initial`` (as from get_weights) replaces the random start."""
    layers = [Dense(units, activation="relu") for units in hidden]
    layers.append(Dense(N_CLASSES, activation="softmax"))
    model = Sequential(layers, input_shape=(N_PIXELS,), rng=seed, dtype=dtype)
    model.compile("categorical_crossentropy", SGD(learning_rate=LEARNING_RATE))
    if initial is not None:
        model.set_weights(initial)
    return model


def make_nnbook_epoch(hidden, dtype, initial, X, Y, seed):
    """run(n, batch, shuffle) → flat weights after one ``fit`` epoch over the first n examples."""
    X, Y = X.astype(dtype), Y.astype(dtype)
    model = nnbook_model(hidden, dtype, initial)
    rng = np.random.default_rng(seed)

    def run(n, batch_size, shuffle=True, restart=False):
        if restart:
            model.set_weights(initial)
        model.fit(X[:n], Y[:n], epochs=1, batch_size=batch_size, shuffle=shuffle,
                  progress=False, rng=rng)
        return np.concatenate([v.ravel() for layer in model.get_weights()
                               for v in (layer["kernel"], layer["bias"])]).astype(np.float64)

    return run


def make_torch_epoch(torch, dtype, hidden, initial, X, Y, seed):
    """The same network and epoch in PyTorch (logits + CrossEntropyLoss, optim.SGD)."""
    X_t = torch.from_numpy(X).to(dtype)
    labels = torch.from_numpy(np.argmax(Y, axis=1))
    generator = torch.Generator().manual_seed(seed)
    layers, fan_in = [], N_PIXELS
    for units in hidden:
        layers += [torch.nn.Linear(fan_in, units, dtype=dtype), torch.nn.ReLU()]
        fan_in = units
    layers.append(torch.nn.Linear(fan_in, N_CLASSES, dtype=dtype))
    linears = [layer for layer in layers if isinstance(layer, torch.nn.Linear)]
    model = torch.nn.Sequential(*layers)
    loss_function = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    def set_initial():
        with torch.no_grad():
            for linear, layer in zip(linears, initial):
                linear.weight.copy_(torch.from_numpy(layer["kernel"].T.copy()))
                linear.bias.copy_(torch.from_numpy(layer["bias"]))

    set_initial()

    def run(n, batch_size, shuffle=True, restart=False):
        if restart:
            set_initial()
        order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
        total_loss, correct = 0.0, 0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            logits = model(X_t[batch])
            loss = loss_function(logits, labels[batch])
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(batch)
            correct += int((logits.argmax(dim=1) == labels[batch]).sum())
        with torch.no_grad():
            return np.concatenate([v.detach().to(torch.float64).numpy().ravel()
                                   for linear in linears
                                   for v in (linear.weight.T, linear.bias)])

    return run


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


class KerasWorker:
    """The child process of ``keras_jax_worker.py``: one JSON reply per command."""

    def __init__(self, python, directory: Path, batch_size: int, threads=None):
        env = dict(os.environ, KERAS_BACKEND="jax")
        if threads == 1:                # XLA's CPU operations on the calling thread only
            env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "")
                                + " --xla_cpu_multi_thread_eigen=false").strip()
        self.batch_size = batch_size
        self.log = open(directory / "worker_stderr.txt", "w+")
        self.process = subprocess.Popen([python, str(WORKER), str(directory)], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.log, text=True)
        self.info = self._read()

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.log.seek(0)
            tail = self.log.read().strip().splitlines()[-1:] or ["(no output)"]
            raise RuntimeError(f"the Keras worker stopped: {tail[0]}")
        return json.loads(line)

    def ask(self, *command):
        self.process.stdin.write(" ".join(map(str, command)) + "\n")
        self.process.stdin.flush()
        return self._read()

    def make_epoch(self, name):
        def run(n, batch_size, shuffle=True, restart=False):
            return self.ask("epoch", name, batch_size)["seconds"]
        return run

    def agreement(self, name, steps):
        path = self.ask("agree", name, self.batch_size, steps)["saved"]
        weights = np.load(path)
        return np.concatenate([weights[str(i)].astype(np.float64).ravel()
                               for i in range(len(weights.files))])

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=60)
        self.log.close()


def start_keras(python, directory, X, Y, initial, batch_size, threads=None):
    """Write the data for the child, start it; (worker, None) or (None, why it is not timed)."""
    np.save(directory / "X.npy", X.astype(np.float32))
    np.save(directory / "Y.npy", Y.astype(np.float32))
    for name, weights in initial.items():
        arrays = [layer[key].astype(np.float32) for layer in weights for key in ("kernel", "bias")]
        np.savez(directory / f"initial_{name}.npz", **{str(i): a for i, a in enumerate(arrays)})
    spec = {"models": {name: {"hidden": list(MODELS[name])} for name in initial},
            "learning_rate": LEARNING_RATE, "batch_size": batch_size}
    (directory / "models.json").write_text(json.dumps(spec))
    try:
        return KerasWorker(python, directory, batch_size, threads), None
    except (OSError, RuntimeError) as error:
        return None, str(error)


# --- reporting -------------------------------------------------------------------------------

COLUMNS = ("model", "implementation", "s / epoch", "median s", "examples / s",
           "speed-up vs PyTorch (same dtype)", "speed-up vs Keras-JAX f32")


def format_rows(rows, n_examples):
    """Table cells; speed-ups are t(PyTorch, same dtype) / t and t(Keras-JAX) / t, same model."""
    best = {(r["model"], r["name"]): r["best"] for r in rows}
    table = []
    for r in rows:
        dtype = r["name"].rsplit(" ", 1)[-1]
        torch_t = best.get((r["model"], f"pytorch {dtype}"))
        keras_t = best.get((r["model"], "keras-jax float32"))
        table.append((r["model"], r["name"], f"{r['best']:.3f}", f"{r['median']:.3f}",
                      f"{n_examples / r['best']:,.0f}",
                      f"{torch_t / r['best']:.2f}×" if torch_t else "–",
                      f"{keras_t / r['best']:.2f}×" if keras_t else "–"))
    return table


def print_table(table, markdown=False):
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join(["---"] * 2 + ["---:"] * (len(COLUMNS) - 2)) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(c), *(len(row[i]) for row in table)) for i, c in enumerate(COLUMNS)]

    def line(cells):
        return "  ".join(v.ljust(w) if i < 2 else v.rjust(w)
                         for i, (v, w) in enumerate(zip(cells, widths)))

    print(line(COLUMNS))
    print("-" * len(line(COLUMNS)))
    for row in table:
        print(line(row))


# --- main --------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="folder with the MNIST-format IDX files (default: Fashion-MNIST "
                             "as found by nnbook.data.fashion_mnist_dir, else random data)")
    parser.add_argument("--random-data", action="store_true",
                        help="uniform random data of the same shape instead of the files")
    parser.add_argument("--examples", type=int, default=48_000, help="examples per epoch")
    parser.add_argument("--batch-size", type=int, default=128, help="mini-batch size")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed epochs of each case, interleaved; the best counts")
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=sorted(MODELS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--no-keras", action="store_true", help="skip Keras even if installed")
    parser.add_argument("--keras-python", default=sys.executable,
                        help="a Python with keras and jax installed, for the Keras-JAX rows "
                             "(default: this one)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for every implementation (BLAS for nnbook, "
                             "torch.set_num_threads, XLA's CPU pool for JAX); default: each "
                             "library's own default")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown")
    args = parser.parse_args(argv)
    for name in ("examples", "batch_size", "repeats", "threads"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    rng = np.random.default_rng(args.seed)
    directory = None if args.random_data else args.data if args.data is not None \
        else fashion_mnist_dir()
    X, Y, data_description = load_training_set(directory, args.examples, rng)
    if args.random_data:
        data_description = (f"RANDOM data ({args.examples:,} × {N_PIXELS}, uniform in [0, 1)): "
                            "--random-data")
    n, batch_size = len(X), args.batch_size
    initial = {name: nnbook_model(MODELS[name], "float64", seed=args.seed).get_weights()
               for name in args.models}
    torch = None if args.no_torch else import_torch()
    if torch is not None and args.threads is not None:
        torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory(prefix="nnbook-bench-") as scratch, \
            blas_threads(args.threads):
        keras, keras_note = None, "--no-keras"
        if not args.no_keras:
            keras, keras_note = start_keras(args.keras_python, Path(scratch), X, Y, initial,
                                            batch_size, args.threads)
        try:
            return run_cases(args, X, Y, n, batch_size, initial, torch, keras, keras_note,
                             data_description)
        finally:
            if keras is not None:
                keras.close()


def blas_threads(threads):
    """A context limiting numpy's BLAS to ``threads`` (nothing when None or no threadpoolctl)."""
    if threads is not None:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            pass
        else:
            return threadpool_limits(limits=threads, user_api="blas")
    return contextlib.nullcontext()


def run_cases(args, X, Y, n, batch_size, initial, torch, keras, keras_note, data_description):
    print(f"date      : {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine   : {platform.machine()}, {len(os.sched_getaffinity(0))} usable cores, "
          f"Python {platform.python_version()}, load average {load_average()} (1/5/15 min)")
    versions = f"numpy {np.__version__}"
    if torch is not None:
        default = ", the default" if args.threads is None else ", --threads"
        versions += f", torch {torch.__version__} ({torch.get_num_threads()} threads{default})"
    if keras is not None:
        versions += (f", keras {keras.info['keras']} on jax {keras.info['jax']} "
                     f"({', '.join(keras.info['devices'])}; in {args.keras_python})")
    print(f"versions  : {versions}")
    print(f"data      : {data_description}")
    print(f"task      : one epoch of {n:,} examples, mini-batch {batch_size}, SGD "
          f"{LEARNING_RATE}, categorical cross-entropy, running loss and accuracy; best and "
          f"median of {args.repeats} interleaved runs")
    if torch is None:
        print("pytorch   : not timed (" + ("--no-torch" if args.no_torch
                                           else "import torch failed") + ")")
    if keras is None:
        print(f"keras-jax : not timed ({keras_note})")
    print(f"BLAS      : {blas_description()}")
    print("threads   : " + ("each library's default" if args.threads is None else
                            f"--threads {args.threads} (BLAS, torch"
                            + (", XLA" if args.threads == 1 else "; XLA keeps its default")
                            + ")"))

    cases = []   # (model, implementation, run(n, batch, shuffle, restart) -> weights or seconds)
    for name in args.models:
        hidden = MODELS[name]
        for dtype in ("float64", "float32"):
            cases.append((name, f"nnbook {dtype}",
                          make_nnbook_epoch(hidden, dtype, initial[name], X, Y, args.seed)))
        if torch is not None:
            for dtype, label in ((torch.float64, "float64"), (torch.float32, "float32")):
                cases.append((name, f"pytorch {label}",
                              make_torch_epoch(torch, dtype, hidden, initial[name], X, Y,
                                               args.seed)))
        if keras is not None:
            cases.append((name, "keras-jax float32", keras.make_epoch(name)))

    for _, _, run in cases:        # warm-up: first calls allocate, import and compile
        run(min(n, 2 * batch_size), batch_size)
    times = {i: [] for i in range(len(cases))}
    for _ in range(args.repeats):  # interleaved, so a burst of load hits all cases alike
        for i, (_, implementation, run) in enumerate(cases):
            start = time.perf_counter()
            result = run(n, batch_size)
            elapsed = time.perf_counter() - start
            times[i].append(result if implementation.startswith("keras") else elapsed)
    rows = [{"model": model, "name": implementation, "best": min(times[i]),
             "median": float(np.median(times[i]))}
            for i, (model, implementation, _) in enumerate(cases)]

    print(f"load avg  : {load_average()} after the timed runs")
    print()
    table = format_rows(rows, n)
    print_table(table)
    print()
    steps = min(AGREEMENT_STEPS, -(-n // batch_size))
    print(f"agreement : max |weights − nnbook float64's| after the first {steps} mini-batches "
          "from the same start in the same order")
    for name in args.models:
        model_cases = [(implementation, run) for model, implementation, run in cases
                       if model == name and not implementation.startswith("keras")]
        m = min(n, steps * batch_size)
        first_steps = {implementation: run(m, batch_size, shuffle=False, restart=True)
                       for implementation, run in model_cases}
        reference = first_steps.pop("nnbook float64")
        parts = [f"{implementation}: {np.max(np.abs(weights - reference)):.1e}"
                 for implementation, weights in first_steps.items()]
        if keras is not None:
            parts.append(f"keras-jax float32: "
                         f"{np.max(np.abs(keras.agreement(name, steps) - reference)):.1e}")
        print(f"  {name}: " + "; ".join(parts))
    if args.markdown:
        print()
        print_table(table, markdown=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
