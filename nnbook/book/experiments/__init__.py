"""``nnbook experiments SOURCE``: a source's experiment table re-run on nnbook, printed beside
the source's numbers, with what must carry across data sets asserted.

==============  ==============================================================================
``data``        which data runs (``--data DIR``, else MNIST in nnbook's cache, else the digits)
``runner``      one configuration trained as the book's programs train it; outcomes kept
``checks``      orderings and bands, each a :class:`~checks.Check` with its numbers
``table``       the source's table rows beside nnbook's
``sweeps``      one setting varied, the accuracy (and seconds) at each value
``figures``     history and sweep figures
``gulli_1``     Gulli & Pal ch. 1: R1–R6 and the sweeps R7–R11
==============  ==============================================================================

:data:`REGISTRY` maps a source id to its module, which provides ``TITLE``, ``SEED``,
``BATCH_SIZE``, ``VALIDATION_SPLIT``, ``QUICK_TRAIN``/``QUICK_TEST``/``QUICK_DESCRIPTION``,
``build_model(config, width, seed)``, ``table_runs(quick)``, ``table_checks(outcomes,
data_name, quick)`` and ``sweeps(quick)``.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

REGISTRY = {"gulli-1": "nnbook.book.experiments.gulli_1"}
WIDTH = 100


def experiment_module(source: str):
    """The module of ``source``'s experiments (ValueError for a source without any)."""
    if source not in REGISTRY:
        raise ValueError(f"no experiments for source {source!r}: expected one of "
                         f"{', '.join(REGISTRY)}")
    return importlib.import_module(REGISTRY[source])


def run_experiments(source: str, *, data_dir=None, quick: bool = False, sweeps: bool = False,
                    out="nnbook-output", seed=None, progress: bool = True) -> int:
    """Run ``source``'s table (and sweeps), print it beside the source's numbers on stdout (with
    a progress bar per run unless ``progress`` is False), save the figures in
    ``out/experiments-SOURCE``; return 0 when every asserted check held, else 1."""
    from nnbook.book.experiments import figures, report
    from nnbook.book.experiments.data import experiment_data
    from nnbook.book.experiments.runner import Runner
    from nnbook.book.experiments.sweeps import finding, run_sweep

    stream = sys.stdout
    module = experiment_module(source)
    seed = module.SEED if seed is None else seed
    started = time.perf_counter()
    data = experiment_data(data_dir)
    if quick:
        data = data.subset(module.QUICK_TRAIN, module.QUICK_TEST)
    folder = Path(out) / f"experiments-{source}"
    folder.mkdir(parents=True, exist_ok=True)
    report.header(stream, module, data, quick=quick, seed=seed, width=WIDTH)

    def build(config):
        return module.build_model(config, data.width, seed)

    runner = Runner(data, batch_size=module.BATCH_SIZE, validation_split=module.VALIDATION_SPLIT,
                    progress=progress)
    runs = module.table_runs(quick)
    outcomes = {}
    for run in runs:
        outcomes[run.id] = runner.run(run.config, lambda c=run.config: build(c),
                                      epochs=run.config.epochs, label=f"{run.id} {run.label}",
                                      batch_size=run.config.batch_size)
        source_test = run.source.test if (run.source and data.name == "mnist") else None
        figures.save(figures.history_figure(run.id, run.label, outcomes[run.id], data.title,
                                            source_test), folder / f"{run.id}_history.png")
    checks = module.table_checks(outcomes, data.name, quick)
    report.table(stream, runs, outcomes, data, width=WIDTH)
    report.checks(stream, checks, seed=seed, width=WIDTH)
    if sweeps:
        report.sweeps_intro(stream, width=WIDTH)
        for sweep in module.sweeps(quick):
            points = run_sweep(sweep, runner, build, lambda c: c.label())
            name = f"{sweep.id}_{sweep.parameter.replace(' ', '_')}.png"
            figures.save(figures.sweep_figure(sweep, points, data.title), folder / name)
            report.sweep(stream, sweep, points, finding(sweep, points), folder / name,
                         width=WIDTH)
    return report.summary(stream, checks, folder, seconds=time.perf_counter() - started,
                          training=runner.seconds, width=WIDTH)
