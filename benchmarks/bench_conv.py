"""Time the convolution and pooling kernels of LeNet-5 three ways: the readable reference loops,
the Numba twins, and (when installed) PyTorch on the CPU.

    python benchmarks/bench_conv.py [--batch 64] [--repeats K] [--reference-batch M]
                                    [--seed S] [--no-torch] [--markdown]

The layers are LeNet-5's (LeCun et al. 1998; 陈强 figure 15.22) on a batch of 64 NCHW float64
inputs: C1 (1→6, 5×5 on 32×32), S2 (2×2 pooling of 6@28×28, max and mean), C3 (6→16, 5×5 on
14×14, full connectivity), S4 (2×2 pooling of 16@10×10), C5 (16→120, 5×5 on 5×5). Each is timed
forward and backward (∂L/∂x and, for convolutions, ∂L/∂w and ∂L/∂b from a random ∂L/∂y):

* reference — ``nnbook.functional.convolution.*_reference`` and
  ``nnbook.functional.pooling.*_reference`` (pure Python loops). Too slow for a batch of 64, so
  it runs on the first ``--reference-batch`` examples (default 2) and the time is scaled
  linearly to the batch; the row's name says so.
* numba — the public functions ``nnbook.functional.convolution.conv2d_forward``,
  ``nnbook.functional.pooling.max_pool2d_forward`` etc., which check their input and call the
  Numba twins in ``nnbook.kernels.convolution`` / ``nnbook.kernels.pooling``; warm.
* pytorch float64 / float32 — ``torch.nn.functional.conv2d`` / ``aten.convolution_backward``,
  ``aten.max_pool2d_with_indices`` (+ backward), ``aten.avg_pool2d`` (+ backward): the same
  operations without autograd overhead. float64 is the like-for-like comparison; float32 is for
  information. PyTorch keeps its default thread count (printed), as the convolution twins
  use every core this process may run on (a large batch is split into one slice per core, run
  on Python threads by loops that release the GIL; no ``parallel=True``); the pooling twins
  run on one thread. The row "pytorch float64, 1 thread" repeats float64 under
  ``torch.set_num_threads(1)`` for comparison.

Each of ``--repeats`` interleaved rounds calls every implementation for ≥ 20 ms (at least once)
and times each call; "ms" is the fastest call over all rounds (the usual estimate of the
undisturbed time on a shared machine), "median ms" the median call. Ratios are
t(reference) / t and t(PyTorch float64) / t from the same run.
Below the table the script prints the largest |numba − PyTorch float64| per layer as evidence
that the same arithmetic is timed, and the target: every layer, both directions, within
``TARGET``× PyTorch float64's time (the layers that miss it are named). Nothing is written to
stderr.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time

import numpy as np

from nnbook.functional import convolution as conv
from nnbook.functional import pooling as pool

LAYERS = [  # name, kind, (C, H, W), filters, kernel / pool size
    ("C1", "conv", (1, 32, 32), 6, 5),
    ("S2", "maxpool", (6, 28, 28), None, 2),
    ("S2", "avgpool", (6, 28, 28), None, 2),
    ("C3", "conv", (6, 14, 14), 16, 5),
    ("S4", "maxpool", (16, 10, 10), None, 2),
    ("C5", "conv", (16, 5, 5), 120, 5),
]
MIN_RUN_SECONDS = 0.02
#: The aim: the twins take at most this many times PyTorch float64's time on every layer.
TARGET = 1.5
ONE_THREAD = "pytorch float64, 1 thread"


def _call_timer(fn):
    """A callable that calls ``fn`` repeatedly for ≥ MIN_RUN_SECONDS (at least once) and
    returns the list of single-call times in seconds."""
    def run():
        times = []
        deadline = time.perf_counter() + MIN_RUN_SECONDS
        while not times or time.perf_counter() < deadline:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return times
    return run


def numpy_calls(kind, x, w, b, size, grad_y, reference):
    """(forward, backward) callables for one layer on numpy arrays."""
    if kind == "conv":
        fwd = conv.conv2d_forward_reference if reference else conv.conv2d_forward
        bwd = conv.conv2d_backward_reference if reference else conv.conv2d_backward
        return (lambda: fwd(x, w, b), lambda: bwd(x, w, grad_y))
    if kind == "maxpool":
        fwd = pool.max_pool2d_forward_reference if reference else pool.max_pool2d_forward
        bwd = pool.max_pool2d_backward_reference if reference else pool.max_pool2d_backward
        _, argmax = pool.max_pool2d_forward(x, size)
        return (lambda: fwd(x, size), lambda: bwd(grad_y, argmax, x.shape))
    fwd = pool.avg_pool2d_forward_reference if reference else pool.avg_pool2d_forward
    bwd = pool.avg_pool2d_backward_reference if reference else pool.avg_pool2d_backward
    return (lambda: fwd(x, size), lambda: bwd(grad_y, x.shape, size))


def torch_calls(torch, kind, x, w, b, size, grad_y, dtype):
    """(forward, backward, results) for one layer in PyTorch; results are numpy (y, grads…)."""
    aten = torch.ops.aten
    tx = torch.from_numpy(x).to(dtype)
    tg = torch.from_numpy(grad_y).to(dtype)
    if kind == "conv":
        tw, tb = torch.from_numpy(w).to(dtype), torch.from_numpy(b).to(dtype)

        def forward():
            return torch.nn.functional.conv2d(tx, tw, tb)

        def backward():
            return aten.convolution_backward(tg, tx, tw, [tw.shape[0]], [1, 1], [0, 0], [1, 1],
                                             False, [0, 0], 1, [True, True, True])
        return forward, backward, lambda: [forward().numpy(), *[t.numpy() for t in backward()]]
    if kind == "maxpool":
        _, indices = aten.max_pool2d_with_indices(tx, [size, size], [size, size])

        def forward():
            return aten.max_pool2d_with_indices(tx, [size, size], [size, size])

        def backward():
            return aten.max_pool2d_with_indices_backward(tg, tx, [size, size], [size, size],
                                                         [0, 0], [1, 1], False, indices)
        return forward, backward, lambda: [forward()[0].numpy(), backward().numpy()]

    def forward():
        return aten.avg_pool2d(tx, [size, size], [size, size])

    def backward():
        return aten.avg_pool2d_backward(tg, tx, [size, size], [size, size], [0, 0], False, True,
                                        None)
    return forward, backward, lambda: [forward().numpy(), backward().numpy()]


def forward_output(kind, x, w, b, size):
    """The layer's output through the Numba twin (to size ∂L/∂y)."""
    if kind == "conv":
        return conv.conv2d_forward(x, w, b)
    if kind == "maxpool":
        return pool.max_pool2d_forward(x, size)[0]
    return pool.avg_pool2d_forward(x, size)


def numba_results(kind, x, w, b, size, grad_y):
    if kind == "conv":
        return [conv.conv2d_forward(x, w, b), *conv.conv2d_backward(x, w, grad_y)]
    if kind == "maxpool":
        y, argmax = pool.max_pool2d_forward(x, size)
        return [y, pool.max_pool2d_backward(grad_y, argmax, x.shape)]
    return [pool.avg_pool2d_forward(x, size), pool.avg_pool2d_backward(grad_y, x.shape, size)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=64,
                        help="examples per batch (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="interleaved rounds; the fastest call counts (default: %(default)s)")
    parser.add_argument("--reference-batch", type=int, default=2,
                        help="examples the slow reference runs on, then scaled "
                             "(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random inputs (default: %(default)s)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown")
    args = parser.parse_args(argv)
    for name in ("batch", "repeats", "reference_batch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None

    rng = np.random.default_rng(args.seed)
    load_before = os.getloadavg()
    start_compile = time.perf_counter()
    for _, kind, shape, filters, size in LAYERS:  # first calls: load or compile the kernels
        x = rng.normal(size=(1, *shape))
        w = rng.normal(size=(filters, shape[0], size, size)) if kind == "conv" else None
        b = rng.normal(size=filters) if kind == "conv" else None
        y = forward_output(kind, x, w, b, size)
        numba_results(kind, x, w, b, size, rng.normal(size=y.shape))
    first_calls = time.perf_counter() - start_compile

    timers, agreement, order = {}, {}, []
    for name, kind, shape, filters, size in LAYERS:
        label = f"{name} {kind}"
        x = rng.normal(size=(args.batch, *shape))
        w = rng.normal(size=(filters, shape[0], size, size)) / size if kind == "conv" else None
        b = rng.normal(size=filters) if kind == "conv" else None
        y = forward_output(kind, x, w, b, size)
        grad_y = rng.normal(size=y.shape)
        m = min(args.reference_batch, args.batch)
        impls = {
            f"reference, {m} examples × {args.batch / m:g}":
                (numpy_calls(kind, x[:m], w, b, size, grad_y[:m], True), args.batch / m),
            "numba": (numpy_calls(kind, x, w, b, size, grad_y, False), 1.0),
        }
        if torch is not None:
            for dtype, tag in ((torch.float64, "pytorch float64"), (torch.float32,
                                                                    "pytorch float32")):
                fwd, bwd, results = torch_calls(torch, kind, x, w, b, size, grad_y, dtype)
                impls[tag] = ((fwd, bwd), 1.0)
                if dtype is torch.float64:
                    impls[ONE_THREAD] = ((fwd, bwd), 1.0)
                    ours = numba_results(kind, x, w, b, size, grad_y)
                    agreement[label] = max(float(np.max(np.abs(a - t)))
                                           for a, t in zip(ours, results()))
        for impl, ((fwd, bwd), scale) in impls.items():
            for direction, fn in (("forward", fwd), ("backward", bwd)):
                key = (label, direction, impl)
                timers[key] = (_call_timer(fn), scale, [])
                order.append(key)

    for _ in range(args.repeats):  # interleaved: every implementation once, then again
        for key in order:
            run, scale, samples = timers[key]
            if key[2] == ONE_THREAD:
                default_threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    samples.extend(t * scale for t in run())
                finally:
                    torch.set_num_threads(default_threads)
            else:
                samples.extend(t * scale for t in run())
    load_after = os.getloadavg()

    print(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
          f"cores: {os.cpu_count()}; load average {load_before[0]:.2f} → {load_after[0]:.2f}")
    import numba
    versions = (f"python {platform.python_version()}, numpy {np.__version__}, "
                f"numba {numba.__version__}")
    if torch is not None:
        versions += f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
    else:
        versions += ", torch not available"
    print(f"versions: {versions}")
    print(f"batch {args.batch}, fastest call over {args.repeats} rounds; "
          f"numba first calls (load from cache or "
          f"compile) {first_calls:.2f} s, not included")
    header = ["layer", "pass", "implementation", "ms", "median ms", "vs reference",
              "vs PyTorch f64"]
    rows = []
    for label in dict.fromkeys(k[0] for k in order):
        for direction in ("forward", "backward"):
            keys = [k for k in order if k[0] == label and k[1] == direction]
            best = {k[2]: min(timers[k][2]) for k in keys}
            ref = next(v for impl, v in best.items() if impl.startswith("reference"))
            torch64 = best.get("pytorch float64")
            for k in keys:
                t = best[k[2]]
                rows.append([label, direction, k[2], f"{t * 1e3:.3f}",
                             f"{statistics.median(timers[k][2]) * 1e3:.3f}", f"{ref / t:.0f}×",
                             f"{torch64 / t:.2f}×" if torch64 else "–"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * 3 + "---:|" * 4)
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
        for row in [header] + rows:
            print("  ".join(str(c).ljust(wd) if i < 3 else str(c).rjust(wd)
                            for i, (c, wd) in enumerate(zip(row, widths))))
    if agreement:
        print("max |numba − PyTorch float64| over outputs and gradients: "
              + "; ".join(f"{k} {v:.1e}" for k, v in agreement.items()))
        slowdowns = {f"{label} {direction}": min(timers[(label, direction, "numba")][2])
                     / min(timers[(label, direction, "pytorch float64")][2])
                     for label in dict.fromkeys(k[0] for k in order)
                     for direction in ("forward", "backward")}
        missed = {k: v for k, v in slowdowns.items() if v > TARGET}
        worst = max(slowdowns, key=slowdowns.get)
        print(f"target: numba within {TARGET}× PyTorch float64's time on every layer and pass — "
              + ("met" if not missed else "missed by " + ", ".join(
                  f"{k} ({v:.2f}×)" for k, v in missed.items()))
              + f"; slowest relative to PyTorch: {worst} ({slowdowns[worst]:.2f}×)")


if __name__ == "__main__":
    main()
