"""What ``nnbook experiments`` prints: which data ran, the table beside the source's, every
check with its numbers, each sweep's claim beside nnbook's finding, and the verdict. Lines are
wrapped to a terminal's width (the tour's wrapping)."""

from __future__ import annotations

from nnbook.book.experiments.checks import percent
from nnbook.book.experiments.table import format_rows
from nnbook.book.tour import say

_MARK = {True: "ok    ", False: "FAILED"}
_REPORTED = "info  "
_INDENT = " " * 9
_HANGING = " " * 6          # continuation lines of the header's "data: ", "mode: " …


def header(out, module, data, *, quick: bool, seed: int, width: int) -> None:
    """The experiment, the data that runs (and what to know about it), the mode."""
    print(module.TITLE, file=out)
    say(out, f"data: {data.describe(module.VALIDATION_SPLIT)}", width=width, indent=_HANGING)
    print(f"from: {data.origin}", file=out)       # not wrapped: a path stays whole
    if data.note:
        say(out, f"note: {data.note}", width=width, indent=_HANGING)
    mode = f"quick: {module.QUICK_DESCRIPTION}" if quick else "full: the book's epochs"
    say(out, f"mode: {mode}; batch {module.BATCH_SIZE}, validation split "
        f"{module.VALIDATION_SPLIT:g} (the last part), float32, seed {seed}", width=width,
        indent=_HANGING)
    out.flush()


def table(out, runs, outcomes, data, *, width: int) -> None:
    print(file=out)
    say(out, f"Each cell: the source (MNIST) / nnbook ({data.title}); accuracies in %, training "
        "as Keras reports it (a running average over the last epoch); seconds of training:",
        indent="", width=width)
    print(format_rows(runs, outcomes, width=width), file=out)
    for run in runs:
        if run.source and run.source.note:
            say(out, f"{run.id}: {run.source.note} (source: {run.section})", lead="  ",
                indent="    ", width=width)


def checks(out, found, *, seed: int, width: int) -> None:
    print(f"\nWhat must carry across data sets (seed {seed}):", file=out)
    said = None
    for check in found:
        mark = _MARK[check.held] if check.asserted else _REPORTED
        say(out, f"{mark} {check.text}: {check.detail}", lead="  ", indent=_INDENT,
            width=width)
        if check.note and check.note != said:         # a note shared by a run of checks: once
            say(out, f"({check.note})", lead=_INDENT, indent=_INDENT, width=width)
        said = check.note


def sweeps_intro(out, *, width: int) -> None:
    print(file=out)
    say(out, "The sweeps, beside the source's claims: reported, not asserted. Each point is one "
        "run with one seed; differences smaller than the seed-to-seed spread of the table's "
        "runs (nnbook's bands come from it) do not rank the settings.", indent="", width=width)


def sweep(out, swept, points, found: str, path, *, width: int) -> None:
    values = ", ".join(f"{p.value:g}: {percent(p.test)}" for p in points)
    print(file=out)
    say(out, f"{swept.id} {swept.title} (source: {swept.section})", indent="  ", width=width)
    for line in (f"the source: {swept.claim}", f"nnbook: {found}",
                 f"test accuracy by {swept.parameter}: {values}", f"figure: {path}"):
        say(out, line, lead="  ", indent="    ", width=width)


def summary(out, found, folder, *, seconds: float, training: float, width: int) -> int:
    """The verdict line; returns the exit status (0: every asserted check held)."""
    asserted = [check for check in found if check.asserted]
    held = sum(check.held for check in asserted)
    print(file=out)
    print(f"figures in {folder}", file=out)
    verdict = "every check held" if held == len(asserted) else f"{len(asserted) - held} FAILED"
    print(f"{held} of {len(asserted)} checks held ({verdict}); {seconds:.0f} s in all, "
          f"{training:.0f} s training", file=out, flush=True)
    return 0 if held == len(asserted) else 1
