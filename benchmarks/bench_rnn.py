"""Time the simple RNN's forward pass plus backpropagation through time: the readable reference
loops, the Numba twins, and (when installed) ``torch.nn.RNN`` on the CPU.

    python benchmarks/bench_rnn.py [--sizes book large] [--repeats K] [--seed S]
                                   [--tiny] [--no-torch] [--markdown]

One timed call is a forward pass over a batch of sequences from h_0 and the backward pass from a
fixed random ∂L/∂h_t for every step, giving ∂L/∂x, ∂L/∂h_0 and the gradients of W_x, W_h and b
(the cell h_t = tanh(x_t W_x + h_{t−1} W_h + b) of 《深度学习与神经网络》第5章, 5.4.3; BPTT is an
addition, not in the source chapter). Sizes (T steps, B sequences, I inputs, H units):

* book — T = 10, B = 1, I = 2, H = 4, float64: a short sequence on a cell of the size the book
  draws (its example has I = 1, H = 2);
* large — T = 50, B = 32, I = 64, H = 128, float32 (PyTorch's usual precision);
* tiny (``--tiny``, for the test suite) — T = 3, B = 2, I = 2, H = 3, float64.

Rows:

* reference — ``nnbook.functional.rnn.rnn_forward_reference`` + ``rnn_backward_reference``
  (NumPy, one step at a time, always float64);
* numba, checked — the public ``nnbook.functional.rnn.rnn_forward`` + ``rnn_backward``: argument
  checks (shapes, dtype, finiteness) and the twins;
* numba twin — the kernels of ``nnbook.kernels.rnn`` called directly, as
  :class:`nnbook.layers.rnn.SimpleRNN` calls them on arrays its model has checked: the forward
  pass ``forward_for(B, H)`` picks (the compiled loop ``rnn_forward`` at the book's size, the
  vectorised ``rnn_forward_vectorised`` at the large one) and the compiled ``rnn_backward``;
* pytorch — ``torch.nn.RNN(nonlinearity="tanh", batch_first=True)`` with the same weights
  (weight_ih = W_xᵀ, weight_hh = W_hᵀ, bias_ih = b, bias_hh = 0), ``out.backward(∂L/∂h)``
  with x and h_0 requiring gradients; PyTorch's default thread count (printed), and the row
  "pytorch, 1 thread" under ``torch.set_num_threads(1)`` (the twins are single-threaded).

Each of ``--repeats`` interleaved rounds calls every row for ≥ 20 ms (at least once) and times
each call; "µs" is the fastest call over all rounds (the undisturbed time on a shared machine),
"median µs" the median call. "vs PyTorch" is t(pytorch, default threads) / t from the same run,
so > 1 means faster than PyTorch. Below the table the script prints the largest
|numba − PyTorch| over the states and every gradient, relative to the largest entry, as
evidence that the same arithmetic is timed. Nothing is written to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time

import numpy as np

from nnbook.functional import rnn
from nnbook.kernels import rnn as twins

SIZES = {  # name: (T, B, I, H, dtype)
    "book": (10, 1, 2, 4, np.float64),
    "large": (50, 32, 64, 128, np.float32),
    "tiny": (3, 2, 2, 3, np.float64),
}
MIN_RUN_SECONDS = 0.02
ONE_THREAD = "pytorch, 1 thread"


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


def make_problem(size, rng):
    """Inputs, h_0, weights and ∂L/∂hs for one size, in its dtype."""
    steps, batch, n_in, units, dtype = SIZES[size]
    arrays = {"x": rng.normal(size=(batch, steps, n_in)),
              "h0": rng.normal(size=(batch, units)) * 0.5,
              "kernel": rng.normal(size=(n_in, units)) / np.sqrt(n_in),
              "recurrent_kernel": rng.normal(size=(units, units)) * (0.9 / np.sqrt(units)),
              "bias": rng.normal(size=units) * 0.1,
              "grad_hs": rng.normal(size=(batch, steps, units))}
    return {k: np.ascontiguousarray(v, dtype=dtype) for k, v in arrays.items()}


def numpy_step(functions, p):
    """forward + backward through one module's pair of functions."""
    forward, backward = functions

    def step():
        hs = forward(p["x"], p["h0"], p["kernel"], p["recurrent_kernel"], p["bias"])
        return hs, backward(p["grad_hs"], p["x"], p["h0"], hs, p["kernel"], p["recurrent_kernel"])
    return step


def torch_step(torch, p):
    """(step, results): forward + backward of torch.nn.RNN with our weights; results as numpy."""
    n_in = p["x"].shape[2]
    units = p["h0"].shape[1]
    dtype = torch.float64 if p["x"].dtype == np.float64 else torch.float32
    layer = torch.nn.RNN(n_in, units, nonlinearity="tanh", batch_first=True).to(dtype)
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.from_numpy(p["kernel"].T.copy()))
        layer.weight_hh_l0.copy_(torch.from_numpy(p["recurrent_kernel"].T.copy()))
        layer.bias_ih_l0.copy_(torch.from_numpy(p["bias"]))
        layer.bias_hh_l0.zero_()
    x = torch.from_numpy(p["x"]).requires_grad_(True)
    h0 = torch.from_numpy(p["h0"][None]).requires_grad_(True)
    grad = torch.from_numpy(p["grad_hs"])
    tensors = [x, h0, *layer.parameters()]

    def step():
        for tensor in tensors:
            tensor.grad = None
        out, _ = layer(x, h0)
        out.backward(grad)
        return out

    def results():
        out = step().detach().numpy()
        return [out, x.grad.numpy(), h0.grad.numpy()[0], layer.weight_ih_l0.grad.numpy().T,
                layer.weight_hh_l0.grad.numpy().T, layer.bias_ih_l0.grad.numpy()]
    return step, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=["book", "large"], default=["book", "large"],
                        help="sizes to time (default: %(default)s)")
    parser.add_argument("--tiny", action="store_true",
                        help="time only a tiny size (T=3, B=2, I=2, H=3), for tests")
    parser.add_argument("--repeats", type=int, default=5,
                        help="interleaved rounds; the fastest call counts (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random inputs (default: %(default)s)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--markdown", action="store_true", help="print the table as markdown")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = ["tiny"] if args.tiny else list(dict.fromkeys(args.sizes))

    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None

    rng = np.random.default_rng(args.seed)
    load_before = os.getloadavg()
    start_compile = time.perf_counter()
    for size in sizes:  # first calls: load the twins from Numba's cache or compile them
        p = make_problem(size, rng)
        for forward in (twins.rnn_forward, twins.rnn_forward_vectorised):
            numpy_step((forward, twins.rnn_backward), p)()
    first_calls = time.perf_counter() - start_compile

    timers, order, agreement = {}, [], {}
    for size in sizes:
        p = make_problem(size, rng)
        p64 = {k: v.astype(np.float64) for k, v in p.items()}
        impls = {"reference": numpy_step((rnn.rnn_forward_reference, rnn.rnn_backward_reference),
                                         p64),
                 "numba, checked": numpy_step((rnn.rnn_forward, rnn.rnn_backward), p),
                 "numba twin": numpy_step((twins.forward_for(*p["h0"].shape),
                                           twins.rnn_backward), p)}
        if torch is not None:
            step, results = torch_step(torch, p)
            impls["pytorch"] = step
            impls[ONE_THREAD] = step
            hs, grads = impls["numba twin"]()
            ours = [hs, *grads]
            agreement[size] = max(float(np.max(np.abs(a - t)) / max(np.max(np.abs(t)), 1e-30))
                                  for a, t in zip(ours, results()))
        for impl, fn in impls.items():
            timers[(size, impl)] = (_call_timer(fn), [])
            order.append((size, impl))

    for _ in range(args.repeats):  # interleaved: every row once, then again
        for key in order:
            run, samples = timers[key]
            if key[1] == ONE_THREAD:
                default_threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    samples.extend(run())
                finally:
                    torch.set_num_threads(default_threads)
            else:
                samples.extend(run())
    load_after = os.getloadavg()

    print(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
          f"cores: {os.cpu_count()}; load average {load_before[0]:.2f} → {load_after[0]:.2f}")
    import numba
    versions = (f"python {platform.python_version()}, numpy {np.__version__}, "
                f"numba {numba.__version__}")
    versions += (f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
                 if torch is not None else ", torch not available")
    print(f"versions: {versions}")
    print(f"forward + backward per call, fastest call over {args.repeats} rounds; numba first "
          f"calls (load from cache or compile) {first_calls:.2f} s, not included")
    header = ["size", "T", "B", "I", "H", "dtype", "implementation", "µs", "median µs",
              "vs PyTorch"]
    rows = []
    for size in sizes:
        steps, batch, n_in, units, dtype = SIZES[size]
        best = {impl: min(timers[(size, impl)][1]) for s, impl in order if s == size}
        torch_best = best.get("pytorch")
        for impl, t in best.items():
            shown_dtype = "float64" if impl == "reference" else np.dtype(dtype).name
            rows.append([size, str(steps), str(batch), str(n_in), str(units), shown_dtype, impl,
                         f"{t * 1e6:,.1f}",
                         f"{statistics.median(timers[(size, impl)][1]) * 1e6:,.1f}",
                         f"{torch_best / t:.2f}×" if torch_best else "–"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|---|" + "---:|" * 4 + "---|---|" + "---:|" * 3)
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        for row in [header] + rows:
            print("  ".join(c.ljust(w) if i in (0, 5, 6) else c.rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))
    if agreement:
        print("max |numba twin − PyTorch| / max |PyTorch| over states and gradients: "
              + "; ".join(f"{k} {v:.1e}" for k, v in agreement.items()))
    return 0


if __name__ == "__main__":
    main()
