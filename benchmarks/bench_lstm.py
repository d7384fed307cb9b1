"""Time an LSTM's forward and backward pass (《深度学习与神经网络》第5章, (5-37)–(5-45)): the
readable reference, nnbook's fast path and PyTorch's ``torch.nn.LSTM`` on the CPU, in one run.

    python benchmarks/bench_lstm.py [--repeats K] [--tiny] [--seed S] [--no-torch] [--markdown]

Two sizes (T steps, B sequences, I inputs, H units):

* book — T = 10, B = 1, I = 2, H = 4, float64: the sizes of the book's examples;
* large — T = 50, B = 32, I = 64, H = 128, float32: a usual small model in PyTorch's precision.

``--tiny`` swaps them for T = 10, B = 1, I = 2, H = 4 and T = 4, B = 8, I = 3, H = 40 (still one
of each fast path) so that the test suite can run the script in about a second.

What is timed, per size, on the same random x, h0, c0, weights and ∂L/∂h_t (every step):

* reference — ``lstm_forward_reference`` / ``lstm_backward_reference`` (a numpy loop over steps);
* nnbook — the validating ``lstm_forward`` / ``lstm_backward`` (checks every argument, then the
  fast twin the size selects; see :mod:`nnbook.kernels.lstm`);
* nnbook kernels only — the same twins called directly, as the LSTM layer does;
* nnbook kernels, 1 BLAS thread — the same inside ``threadpoolctl.threadpool_limits(1, "blas")``
  (OpenBLAS otherwise splits each product above 4·65,536 multiply-adds over all cores, and on a
  loaded machine a split product can wait milliseconds for a busy core);
* pytorch — ``torch.nn.LSTM(I, H, batch_first=True)`` with the same weights (PyTorch's gate order
  is nnbook's (i, f, g, o); ``weight_ih`` = kernelᵀ, ``weight_hh`` = recurrent_kernelᵀ, one
  bias), forward with autograd recording and ``backward(∂L/∂h)`` computing the gradients of the
  weights and of x, h0, c0 — the same outputs nnbook's backward returns. PyTorch keeps its
  default thread count (printed); "pytorch, 1 thread" repeats it under
  ``torch.set_num_threads(1)``.

Each implementation runs forward then backward in pairs; each of ``--repeats`` interleaved
rounds runs every implementation for ≥ 50 ms (at least 3 pairs). "µs" is the fastest call over
all rounds (the usual estimate of the undisturbed time on a shared machine), "median µs" the
median; "forward + backward" is the fastest pair. "vs PyTorch" is t(pytorch) / t from the same
run: above 1 means faster than PyTorch. Below the table the script prints the largest
|nnbook − PyTorch| over outputs and gradients, as evidence that the same arithmetic is timed.
Nothing is written to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time

import numpy as np

from nnbook.functional import lstm as fn

SIZES = {"book": (10, 1, 2, 4, np.float64), "large": (50, 32, 64, 128, np.float32)}
TINY_SIZES = {"book": (10, 1, 2, 4, np.float64), "large": (4, 8, 3, 40, np.float32)}
MIN_RUN_SECONDS = 0.05
ONE_THREAD = "pytorch, 1 thread"
ONE_BLAS_THREAD = "nnbook kernels, 1 BLAS thread"


def make_problem(rng, steps, batch, n_input, units, dtype):
    """x, h0, c0, kernel, recurrent_kernel, bias and ∂L/∂hs of the given sizes and dtype."""
    scale = 1.0 / np.sqrt(units)
    arrays = (rng.normal(size=(batch, steps, n_input)), rng.normal(size=(batch, units)),
              rng.normal(size=(batch, units)), scale * rng.normal(size=(n_input, 4 * units)),
              scale * rng.normal(size=(units, 4 * units)), scale * rng.normal(size=4 * units),
              rng.normal(size=(batch, steps, units)))
    return [np.ascontiguousarray(a, dtype=dtype) for a in arrays]


def nnbook_pair(problem, variant):
    """(forward, backward) callables; backward takes the forward's result."""
    x, h0, c0, kernel, recurrent, bias, grad_hs = problem
    if variant == "reference":
        return (lambda: fn.lstm_forward_reference(x, h0, c0, kernel, recurrent, bias),
                lambda out: fn.lstm_backward_reference(grad_hs, x, h0, c0, kernel, recurrent,
                                                       *out))
    if variant == "validating":
        return (lambda: fn.lstm_forward(x, h0, c0, kernel, recurrent, bias),
                lambda out: fn.lstm_backward(grad_hs, x, h0, c0, kernel, recurrent, *out))
    forward, backward = fn.fast_lstm_pair(*h0.shape)
    zeros = np.zeros_like(c0)
    return (lambda: forward(x, h0, c0, kernel, recurrent, bias, False),
            lambda out: backward(grad_hs, x, h0, c0, kernel, recurrent, *out, False, zeros))


def torch_pair(torch, problem):
    """(forward, backward, results) for torch.nn.LSTM with nnbook's weights."""
    x, h0, c0, kernel, recurrent, bias, grad_hs = problem
    steps_batch_units = grad_hs.shape
    module = torch.nn.LSTM(kernel.shape[0], h0.shape[1], batch_first=True)
    module = module.to(torch.float64 if x.dtype == np.float64 else torch.float32)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(kernel.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(recurrent.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(bias))
        module.bias_hh_l0.zero_()
    inputs = [torch.from_numpy(a.copy()).requires_grad_() for a in (x, h0[None], c0[None])]
    upstream = torch.from_numpy(grad_hs)
    params = list(module.parameters())

    def forward():
        for tensor in inputs + params:
            tensor.grad = None
        return module(inputs[0], (inputs[1], inputs[2]))[0]

    def backward(hs):
        hs.backward(upstream)

    def results():
        hs = forward()
        backward(hs)
        assert hs.shape == steps_batch_units
        grads = [inputs[0].grad, inputs[1].grad[0], inputs[2].grad[0],
                 module.weight_ih_l0.grad.T, module.weight_hh_l0.grad.T, module.bias_ih_l0.grad]
        return [hs.detach().numpy()] + [g.numpy() for g in grads]
    return forward, backward, results


def run_pairs(forward, backward, samples):
    """Forward/backward pairs for ≥ MIN_RUN_SECONDS (at least 3); append (t_fwd, t_bwd)."""
    deadline = time.perf_counter() + MIN_RUN_SECONDS
    count = 0
    while count < 3 or time.perf_counter() < deadline:
        start = time.perf_counter()
        out = forward()
        middle = time.perf_counter()
        backward(out)
        samples.append((middle - start, time.perf_counter() - middle))
        count += 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="interleaved rounds; the fastest call counts (default: %(default)s)")
    parser.add_argument("--tiny", action="store_true",
                        help="small sizes, for a quick check that the script works")
    parser.add_argument("--seed", type=int, default=0, help="random inputs (default: %(default)s)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
    from threadpoolctl import threadpool_info, threadpool_limits

    rng = np.random.default_rng(args.seed)
    sizes = TINY_SIZES if args.tiny else SIZES
    load_before = os.getloadavg()
    problems = {name: make_problem(rng, *size) for name, size in sizes.items()}
    start_compile = time.perf_counter()
    for problem in problems.values():        # first calls: load the kernels or compile them
        for variant in ("validating", "kernels"):
            forward, backward = nnbook_pair(problem, variant)
            backward(forward())
    first_calls = time.perf_counter() - start_compile

    timers, agreement, order = {}, {}, []
    for name, problem in problems.items():
        impls = {variant_label: nnbook_pair(problem, variant) for variant_label, variant in
                 (("reference", "reference"), ("nnbook", "validating"),
                  ("nnbook kernels only", "kernels"), (ONE_BLAS_THREAD, "kernels"))}
        if torch is not None:
            forward, backward, results = torch_pair(torch, problem)
            impls["pytorch"] = impls[ONE_THREAD] = (forward, backward)
            ours = nnbook_pair(problem, "validating")
            out = ours[0]()
            mine = [out[0]] + list(ours[1](out))
            agreement[name] = max(float(np.max(np.abs(a - b))) for a, b in zip(mine, results()))
        for impl, pair in impls.items():
            timers[(name, impl)] = (pair, [])
            order.append((name, impl))

    for _ in range(args.repeats):            # interleaved: every implementation once, then again
        for key in order:
            (forward, backward), samples = timers[key]
            if key[1] == ONE_BLAS_THREAD:
                with threadpool_limits(1, "blas"):
                    run_pairs(forward, backward, samples)
            elif key[1] == ONE_THREAD:
                default_threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    run_pairs(forward, backward, samples)
                finally:
                    torch.set_num_threads(default_threads)
            else:
                run_pairs(forward, backward, samples)
    load_after = os.getloadavg()

    import numba
    print(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
          f"cores: {os.cpu_count()}; load average {load_before[0]:.2f} → {load_after[0]:.2f}")
    versions = (f"python {platform.python_version()}, numpy {np.__version__}, "
                f"numba {numba.__version__}")
    versions += (f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
                 if torch is not None else ", torch not available")
    print(f"versions: {versions}")
    blas = "; ".join(f"{pool['internal_api']} {pool.get('version') or ''} "
                     f"{pool['num_threads']} threads" for pool in threadpool_info())
    print(f"numpy/numba thread pools: {blas}")
    print(f"fastest call over {args.repeats} rounds; numba first calls (load from cache or "
          f"compile) {first_calls:.2f} s, not included")
    for name, size in sizes.items():
        steps, batch, n_input, units, dtype = size
        forward, _ = fn.fast_lstm_pair(batch, units)
        print(f"{name}: T = {steps}, B = {batch}, I = {n_input}, H = {units}, "
              f"{np.dtype(dtype).name}; nnbook path: {forward.__name__}")

    header = ["size", "pass", "implementation", "µs", "median µs", "vs PyTorch"]
    rows = []
    for name in problems:
        keys = [k for k in order if k[0] == name]
        for direction in ("forward", "backward", "forward + backward"):
            def times(key):
                samples = timers[key][1]
                if direction == "forward":
                    return [f for f, _ in samples]
                if direction == "backward":
                    return [b for _, b in samples]
                return [f + b for f, b in samples]
            best = {k[1]: min(times(k)) for k in keys}
            reference_torch = best.get("pytorch")
            for k in keys:
                t = best[k[1]]
                rows.append([name, direction, k[1], f"{t * 1e6:,.1f}",
                             f"{statistics.median(times(k)) * 1e6:,.1f}",
                             f"{reference_torch / t:.2f}×" if reference_torch else "–"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * 3 + "---:|" * 3)
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
        for row in [header] + rows:
            print("  ".join(str(c).ljust(w) if i < 3 else str(c).rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))
    if agreement:
        print("max |nnbook − PyTorch| over hs and all six gradients: "
              + "; ".join(f"{k} {v:.1e}" for k, v in agreement.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
