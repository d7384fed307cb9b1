"""``nnbook experiments gulli-1 --quick`` end to end (``nnbook.book.experiments``): the printed
table and checks, the exit status, the saved plots, and which data ran."""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest

from nnbook.book.cli import main
from nnbook.book.experiments import REGISTRY, experiment_module, run_experiments

RUNS = ("R1", "R2", "R3", "R4", "R5", "R6")
SWEEP_FILES = ("R7_dropout_rate.png", "R8_epochs.png", "R9_learning_rate.png",
               "R10_hidden_units_per_layer.png", "R11_batch_size.png")


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One --quick --sweeps run on the offline digits (nnbook's cache pointed at an empty
    folder): (exit status, stdout, stderr, figure folder)."""
    root = tmp_path_factory.mktemp("experiments")
    (root / "cache").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNBOOK_DATA_DIR", str(root / "cache"))
        code, out, err = _run(["experiments", "gulli-1", "--quick", "--sweeps",
                               "--out", str(root / "out")])
    return code, out, err, root / "out" / "experiments-gulli-1"


def test_quick_passes_its_checks_and_writes_nothing_on_stderr(quick):
    code, out, err, _ = quick
    assert err == ""
    assert code == 0, out
    assert "FAILED" not in out
    held = re.search(r"(\d+) of (\d+) checks held \(every check held\)", out)
    assert held and held.group(1) == held.group(2) and int(held.group(2)) >= 10   # bands too


def test_quick_says_which_data_ran_and_that_its_inputs_are_64_wide(quick):
    out = " ".join(quick[1].split())
    assert "data: the offline 8x8 digits" in out and "64 inputs" in out
    assert "the input layer is 64 wide" in out
    assert "mode: quick" in out and "seed 1671" in out


def test_the_table_puts_the_sources_numbers_beside_nnbooks(quick):
    out = quick[1]
    rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"R[1-6]\s", line)}
    assert sorted(rows) == list(RUNS)
    sources = {"R1": "92.22%", "R2": "94.41%", "R3": "94.25%", "R4": "97.70%", "R5": "97.84%",
               "R6": "97.93%"}
    quick_epochs = {"R1": "200 / 50", "R2": "20 / 5", "R4": "250 / 62", "R6": "20 / 5"}
    for run_id, line in rows.items():
        cells = re.findall(r"(\d+\.\d\d)% / (\d+\.\d\d)%", line)
        assert len(cells) == 3, line                           # train, validation, test
        assert f"{sources[run_id]} / " in line
        assert all(0 <= float(nnbook) <= 100 for _, nnbook in cells)
        if run_id in quick_epochs:
            assert quick_epochs[run_id] in line
    assert "92.37 in the summary table" in out


def test_quick_prints_a_progress_bar_per_run_and_the_sweeps_beside_their_claims(quick):
    out = quick[1]
    assert "R1 V1 simple, SGD" in out and "50/50" in out
    for sweep in ("R7", "R8", "R9", "R10", "R11"):
        assert re.search(rf"^{sweep} .*\(source: §'", out, re.MULTILINE), sweep
    assert "the source: BATCH_SIZE = 128 reaches the best accuracy." in out
    assert out.count("nnbook: best test accuracy at ") == 5
    assert "The sweeps, beside the source's claims: reported, not asserted." in out


def test_quick_saves_a_history_plot_per_run_and_a_plot_per_sweep(quick):
    folder = quick[3]
    for name in [f"{run}_history.png" for run in RUNS] + list(SWEEP_FILES):
        assert (folder / name).read_bytes()[:4] == b"\x89PNG", name
    assert f"figures in {folder}" in quick[1]


def test_data_given_as_mnist_format_files_runs_and_the_status_follows_the_checks(
        tmp_path, empty_cache, mnist_format):
    rng = np.random.default_rng(0)
    given = mnist_format(tmp_path / "given", rng.integers(0, 10, 300), rng.integers(0, 10, 60),
                         side=4)
    mnist_format(empty_cache / "mnist", np.arange(10), np.arange(10), side=3)
    code, out, err = _run(["experiments", "gulli-1", "--quick", "--quiet", "--data", str(given),
                           "--out", str(tmp_path / "out")])
    assert err == "" and "data: MNIST-format data: 300 training" in out and "16 inputs" in out
    assert f"from: files in {given}\n" in out
    assert "info   V2 beats V1" in out                       # unknown data: reported only
    assert code == (1 if "FAILED" in out else 0)
    assert "%|" not in out                                  # --quiet: no bars


def test_an_unknown_source_is_refused():
    assert list(REGISTRY) == ["gulli-1"]
    with pytest.raises(ValueError, match="expected one of gulli-1"):
        experiment_module("nielsen-1")
    with pytest.raises(ValueError, match="no experiments for source 'x'"):
        run_experiments("x")


def test_quick_on_fashion_mnist_holds_nnbooks_statements_for_it(tmp_path, empty_cache):
    from nnbook.data import fashion_mnist_dir

    folder = fashion_mnist_dir()
    if folder is None:
        pytest.skip("Fashion-MNIST's files are not on this machine")
    code, out, err = _run(["experiments", "gulli-1", "--quick", "--quiet", "--data", str(folder),
                           "--out", str(tmp_path)])
    assert err == "" and code == 0, out
    flat = " ".join(out.split())                        # wrapped lines joined
    assert "data: Fashion-MNIST: 6,000 training" in flat and "2,000 test, 784 inputs" in flat
    assert "the book's ordering reversed here (V2 beats V1" in flat
    assert "11 of 11 checks held" in out
