"""Time one epoch of mini-batch SGD three ways: the per-example reference, the Numba kernel,
and (when installed) PyTorch on the CPU.

    python benchmarks/bench_training.py [--data DIR] [--examples N] [--repeats K] [--markdown]

The task is the one of Nielsen §1.6 on MNIST-format data: a 784-30-10 sigmoid network, the
quadratic cost, η = 3.0, one epoch over N = 60,000 examples at mini-batch sizes 10 and 100.
All three implementations start from the same parameters and walk the same shuffled order, so
they run the same algorithm (Nielsen eqs. (20)–(21)); the script prints how far their final parameters
end up apart as evidence of that.

* reference — ``nnbook.train.minibatch_sgd.update_mini_batch`` called once per mini-batch. It is slow, so
  it is timed on the first ``--reference-examples`` examples of the order (default 6,000) and
  the time is scaled linearly to N (the output says so).
* numba — ``nnbook.kernels.minibatch_sgd.sgd_epoch``, one call per epoch. Compile time is measured
  separately on a fresh, uncached copy of the function; the timed runs are warm.
* pytorch — nn.Linear / nn.Sigmoid, ``MSELoss(reduction="sum") / 2`` and ``optim.SGD`` with
  lr = η/m, which is the same update. Timed in float64 (the precision of the other two) and,
  for information, in float32. The thread count is left at PyTorch's default and reported.

Each timing is the best of ``--repeats`` runs, each from the same starting parameters.
Ratios are speed-ups measured in the same run: t(reference) / t and t(PyTorch float64) / t.
Nothing is written to stderr; PyTorch is optional (``pip install nnbook[bench]``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from nnbook.data import fashion_mnist_dir, load_mnist_files
from nnbook.kernels.minibatch_sgd import sgd_epoch
from nnbook.models.network import Network
from nnbook.train.minibatch_sgd import update_mini_batch

SIZES = (784, 30, 10)
ETA = 3.0


# --- data ------------------------------------------------------------------------------------

def load_training_set(directory: Path | None, n_examples: int, rng):
    """Return X (n, 784) float64 in [0, 1], one-hot Y (n, 10) and a line describing the data."""
    if directory is not None:
        dataset = load_mnist_files(directory)
        X, y = dataset.X_train, dataset.y_train
        if X.shape[1] != SIZES[0]:
            raise SystemExit(f"{directory}: expected {SIZES[0]} pixels per image, found {X.shape[1]}")
        if n_examples > len(X):
            raise SystemExit(f"--examples {n_examples}: the data has only {len(X)} training examples")
        description = (f"{directory} (training part, first {n_examples:,} examples; "
                       "nnbook.data.load_mnist_files)")
        X, y = X[:n_examples], y[:n_examples]
    else:
        X = rng.random((n_examples, SIZES[0]))
        y = rng.integers(0, SIZES[-1], n_examples)
        description = (f"RANDOM data of the same shape ({n_examples:,} × {SIZES[0]}): no MNIST-format "
                       "files found (nnbook.data.fashion_mnist_dir found none; --data DIR)")
    return np.ascontiguousarray(X, dtype=np.float64), np.eye(SIZES[-1])[y], description


# --- the three implementations -----------------------------------------------------------------

def timed(run):
    """Wall-clock seconds of one call of ``run()``."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def reference_epoch(initial, X, Y, order, batch_size):
    network = Network.from_parameters(initial.weights, initial.biases)
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        update_mini_batch(network, X[batch], Y[batch], ETA)
    return network.parameters


def kernel_epoch(initial, X, Y, order, batch_size):
    parameters = initial.parameters.copy()
    sgd_epoch(parameters, np.asarray(SIZES, dtype=np.int64), X, Y, order, ETA, batch_size)
    return parameters


def kernel_compile_seconds(X, Y):
    """Seconds to compile ``sgd_epoch`` from scratch (a fresh dispatcher, no on-disk cache)."""
    from numba import njit

    fresh = njit(cache=False)(sgd_epoch.py_func)
    parameters = Network(SIZES, 0).parameters
    start = time.perf_counter()
    fresh(parameters, np.asarray(SIZES, dtype=np.int64), X[:2], Y[:2],
          np.arange(2, dtype=np.int64), ETA, 1)
    return time.perf_counter() - start


def kernel_first_call_seconds(X, Y):
    """Seconds of the first call of the installed kernel (compile, or load from Numba's cache)."""
    parameters = Network(SIZES, 0).parameters
    start = time.perf_counter()
    sgd_epoch(parameters, np.asarray(SIZES, dtype=np.int64), X[:2], Y[:2],
              np.arange(2, dtype=np.int64), ETA, 1)
    seconds = time.perf_counter() - start
    stats = getattr(sgd_epoch, "stats", None)
    source = "loaded from Numba's on-disk cache" if stats and stats.cache_hits else "compiled"
    return seconds, source


def make_torch_epoch(torch, dtype, initial, X, Y):
    """A plain PyTorch loop: Linear → Sigmoid per layer, MSE(sum)/2, SGD with lr = η/m."""
    X_t = torch.from_numpy(X).to(dtype)
    Y_t = torch.from_numpy(Y).to(dtype)
    loss_function = torch.nn.MSELoss(reduction="sum")

    def epoch(order, batch_size):
        layers = []
        for w, b in zip(initial.weights, initial.biases):
            linear = torch.nn.Linear(w.shape[1], w.shape[0]).to(dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(w))
                linear.bias.copy_(torch.from_numpy(b))
            layers += [linear, torch.nn.Sigmoid()]
        model = torch.nn.Sequential(*layers)
        optimizer = torch.optim.SGD(model.parameters(), lr=ETA / batch_size)
        order_t = torch.from_numpy(order)
        for start in range(0, len(order), batch_size):
            batch = order_t[start:start + batch_size]
            optimizer.param_groups[0]["lr"] = ETA / len(batch)  # uneven last mini-batch
            optimizer.zero_grad()
            loss = loss_function(model(X_t[batch]), Y_t[batch]) / 2
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            return np.concatenate([p.detach().to(torch.float64).numpy().ravel()
                                   for p in model.parameters()])

    return epoch


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


# --- reporting -------------------------------------------------------------------------------

COLUMNS = ("implementation", "batch", "s / epoch", "median s", "examples / s",
           "speed-up vs reference", "speed-up vs PyTorch f64")


def format_rows(rows, n_examples):
    """Table cells; speed-ups are t(reference) / t and t(PyTorch float64) / t at the same batch."""
    reference = {r["batch"]: r["best"] for r in rows if r["name"].startswith("reference")}
    torch64 = {r["batch"]: r["best"] for r in rows if r["name"] == "pytorch float64"}
    table = []
    for r in rows:
        ref, tor = reference.get(r["batch"]), torch64.get(r["batch"])
        table.append((r["name"], str(r["batch"]), f"{r['best']:.3f}", f"{r['median']:.3f}",
                      f"{n_examples / r['best']:,.0f}",
                      f"{ref / r['best']:.1f}×" if ref else "–",
                      f"{tor / r['best']:.2f}×" if tor else "–"))
    return table


def print_plain(table):
    widths = [max(len(c), *(len(row[i]) for row in table)) for i, c in enumerate(COLUMNS)]

    def line(cells):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w)
                         for i, (v, w) in enumerate(zip(cells, widths)))

    print(line(COLUMNS))
    print("-" * len(line(COLUMNS)))
    for row in table:
        print(line(row))


def print_markdown(table):
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|")
    for row in table:
        print("| " + " | ".join(row) + " |")


def blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
             f"{p.get('num_threads')} threads) in {Path(p.get('filepath', '?')).name}"
             for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(pools) or "none loaded"


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def single_blas_thread():
    """Context manager limiting BLAS to one thread, or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return lambda: threadpool_limits(limits=1, user_api="blas")


# --- main --------------------------------------------------------------------------------------

AGREEMENT_STEPS = 50


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="folder with the MNIST-format IDX files (default: Fashion-MNIST "
                             "as found by nnbook.data.fashion_mnist_dir, else random data)")
    parser.add_argument("--examples", type=int, default=60_000, help="examples per epoch")
    parser.add_argument("--reference-examples", type=int, default=6_000,
                        help="examples the slow reference is timed on (then scaled)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of each implementation, interleaved; the best counts")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--no-compile-timing", action="store_true",
                        help="do not time a from-scratch compile of the kernel (about 13 s)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown")
    args = parser.parse_args(argv)
    for name in ("examples", "reference_examples", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if min(args.batch_sizes) < 1:
        parser.error("--batch-sizes must be at least 1")

    rng = np.random.default_rng(args.seed)
    directory = args.data if args.data is not None else fashion_mnist_dir()
    X, Y, data_description = load_training_set(directory, args.examples, rng)
    initial = Network(SIZES, rng)
    order = rng.permutation(len(X))
    n = len(X)
    torch = None if args.no_torch else import_torch()
    one_blas_thread = single_blas_thread()

    import numba
    print(f"date      : {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine   : {platform.machine()}, {len(os.sched_getaffinity(0))} usable cores, "
          f"Python {platform.python_version()}, load average {load_average()} (1/5/15 min)")
    versions = f"numpy {np.__version__}, numba {numba.__version__}"
    if torch is not None:
        versions += f", torch {torch.__version__} ({torch.get_num_threads()} threads, the default)"
    print(f"versions  : {versions}")
    print(f"data      : {data_description}")
    print(f"task      : one epoch of {n:,} examples, {'-'.join(map(str, SIZES))} sigmoid net, "
          f"quadratic cost, eta = {ETA}; best and median of {args.repeats} interleaved runs")
    if torch is None:
        print("pytorch   : not timed (" + ("--no-torch" if args.no_torch else "import torch failed")
              + ")")

    compile_seconds = None if args.no_compile_timing else kernel_compile_seconds(X, Y)
    first_call, first_call_source = kernel_first_call_seconds(X, Y)
    compiled = ("not timed (--no-compile-timing)" if compile_seconds is None
                else f"took {compile_seconds:.2f} s")
    print(f"numba     : compiling sgd_epoch from scratch {compiled}; the "
          f"installed kernel's first call took {first_call:.2f} s ({first_call_source}); "
          f"neither is in the table")
    print(f"BLAS      : {blas_description()}; OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")

    # Every case is (name, batch size, run(order) -> final parameters).
    cases = []
    for batch_size in args.batch_sizes:
        n_ref = min(n, max(batch_size, args.reference_examples // batch_size * batch_size))
        scaled = "" if n_ref == n else f", {n_ref:,} examples × {n / n_ref:g}"
        cases.append(("reference" + scaled, batch_size, n_ref,
                      lambda o, b=batch_size: reference_epoch(initial, X, Y, o, b)))
        cases.append(("numba kernel", batch_size, n,
                      lambda o, b=batch_size: kernel_epoch(initial, X, Y, o, b)))
        if one_blas_thread is not None:
            def kernel_one_thread(o, b=batch_size):
                with one_blas_thread():
                    return kernel_epoch(initial, X, Y, o, b)
            cases.append(("numba kernel, 1 BLAS thread", batch_size, n, kernel_one_thread))
        if torch is not None:
            for dtype, label in ((torch.float64, "pytorch float64"),
                                 (torch.float32, "pytorch float32")):
                epoch = make_torch_epoch(torch, dtype, initial, X, Y)
                epoch(order[:AGREEMENT_STEPS * batch_size], batch_size)  # warm-up
                cases.append((label, batch_size, n, lambda o, b=batch_size, e=epoch: e(o, b)))

    times = {i: [] for i in range(len(cases))}
    for _ in range(args.repeats):  # interleaved, so a burst of load hits all cases alike
        for i, (_, _, n_timed, run) in enumerate(cases):
            times[i].append(timed(lambda: run(order[:n_timed])) * n / n_timed)
    rows = [{"name": name, "batch": batch_size, "best": min(times[i]),
             "median": float(np.median(times[i]))}
            for i, (name, batch_size, _, _) in enumerate(cases)]

    print(f"load avg  : {load_average()} after the timed runs")
    print()
    table = format_rows(rows, n)
    print_plain(table)
    print()
    print(f"agreement : max |parameters − reference| after the first {AGREEMENT_STEPS} mini-batches "
          "(same start, same order; over a whole epoch at eta = 3 rounding differences grow "
          "chaotically, so a long-run comparison says nothing about correctness)")
    for batch_size in args.batch_sizes:
        prefix = order[:AGREEMENT_STEPS * batch_size]
        batch_cases = [(name, run) for name, b, _, run in cases if b == batch_size]
        reference_params = batch_cases[0][1](prefix)
        parts = [f"{name}: {np.max(np.abs(run(prefix) - reference_params)):.1e}"
                 for name, run in batch_cases[1:]]
        print(f"  batch {batch_size}: " + "; ".join(parts))
    if args.markdown:
        print()
        print_markdown(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
