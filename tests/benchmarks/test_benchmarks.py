"""The benchmark scripts still run on the current API (tiny sizes; no time is asserted)."""

import importlib.util
import re

import pytest


def _load(repo, name):
    spec = importlib.util.spec_from_file_location(name, repo / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_training_times_the_reference_and_the_kernel_on_the_same_steps(repo, capfd):
    bench = _load(repo, "bench_training")
    assert bench.main(["--examples", "200", "--reference-examples", "100", "--repeats", "1",
                       "--batch-sizes", "10", "--no-torch", "--no-compile-timing"]) == 0
    out, err = capfd.readouterr()
    assert err == ""
    assert re.search(r"^reference, 100 examples × 2 +10 ", out, flags=re.M)
    assert re.search(r"^numba kernel +10 ", out, flags=re.M)
    gaps = [float(g) for g in re.findall(r"numba kernel[^:]*: ([0-9.e+-]+)", out)]
    assert gaps and max(gaps) < 1e-10        # the same arithmetic, float64


def test_bench_conv_times_every_lenet_layer_both_ways(repo, capfd):
    bench = _load(repo, "bench_conv")
    bench.main(["--batch", "2", "--reference-batch", "1", "--repeats", "1", "--no-torch"])
    out, err = capfd.readouterr()
    assert err == ""
    for layer in ("C1 conv", "S2 maxpool", "S2 avgpool", "C3 conv", "S4 maxpool", "C5 conv"):
        for direction in ("forward", "backward"):
            assert re.search(rf"^{layer} +{direction} +numba ", out, flags=re.M), (layer, direction)


def test_bench_keras_mnist_times_v1_and_v2_on_the_same_steps(repo, capfd):
    """nnbook float64/float32 on tiny random data (PyTorch left out: its first optimiser
    alone imports for seconds); Keras-JAX runs in a child process only when the interpreter has
    keras (normally not here: the row says why)."""
    import importlib.util

    bench = _load(repo, "bench_keras_mnist")
    has_keras = importlib.util.find_spec("keras") is not None
    argv = ["--random-data", "--examples", "256", "--batch-size", "64", "--repeats", "1",
            "--no-torch"]
    assert bench.main(argv + (["--no-keras"] if has_keras else [])) == 0
    out, err = capfd.readouterr()
    assert err == ""
    for model in ("V1", "V2"):
        for dtype in ("float64", "float32"):
            assert re.search(rf"^{model} +nnbook {dtype} +[0-9.]+ ", out, flags=re.M)
        gap = float(re.search(rf"^  {model}: nnbook float32: ([0-9.e+-]+)", out, flags=re.M)[1])
        assert 0 < gap < 1e-5                     # float32 rounding of the same steps
    if not has_keras:
        assert re.search(r"^keras-jax : not timed \(the Keras worker stopped: .*keras", out,
                         flags=re.M)


@pytest.mark.parametrize("name, argv", [("bench_training", ["--repeats", "0"]),
                                        ("bench_conv", ["--batch", "0"]),
                                        ("bench_keras_mnist", ["--batch-size", "0"])])
def test_bad_sizes_are_refused(repo, name, argv, capsys):
    with pytest.raises(SystemExit) as stop:
        _load(repo, name).main(argv)
    assert stop.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_bench_rnn_times_the_reference_and_the_twins_on_a_tiny_size(repo, capfd):
    bench = _load(repo, "bench_rnn")
    assert bench.main(["--tiny", "--repeats", "1", "--no-torch"]) == 0
    out, err = capfd.readouterr()
    assert err == ""
    for implementation in ("reference", "numba, checked", "numba twin"):
        assert re.search(rf"^tiny +3 +2 +2 +3 +float64 +{implementation} +[0-9.,]+ ", out,
                         flags=re.M), implementation
    with pytest.raises(SystemExit) as stop:
        bench.main(["--repeats", "0"])
    assert stop.value.code == 2
    assert "must be at least 1" in capfd.readouterr().err


def test_bench_lstm_times_both_sizes_and_both_fast_paths(repo, capfd):
    bench = _load(repo, "bench_lstm")
    assert bench.main(["--tiny", "--repeats", "1", "--no-torch"]) == 0
    out, err = capfd.readouterr()
    assert err == ""
    for size in ("book", "large"):
        for direction in ("forward", "backward", "forward + backward"):
            for impl in ("reference", "nnbook", "nnbook kernels only"):
                assert re.search(rf"^{size} +{re.escape(direction)} +{impl} +[0-9.,]+ ", out,
                                 flags=re.M), (size, direction, impl)
    assert re.search(r"^book: .* nnbook path: lstm_forward$", out, flags=re.M)
    assert re.search(r"^large: .* nnbook path: lstm_forward_vectorised$", out, flags=re.M)
    with pytest.raises(SystemExit) as stop:
        bench.main(["--repeats", "0"])
    assert stop.value.code == 2
    assert "must be at least 1" in capfd.readouterr().err
