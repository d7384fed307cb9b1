"""The experiment table: each run of a source beside nnbook's re-run of it.

A :class:`TableRun` is one row of the source's table — a configuration, its epochs, and the
training / validation / test accuracies the source reports; :func:`format_rows` prints the
source's numbers and nnbook's side by side ("source / nnbook" in each cell), with nnbook's
seconds, through the tour's table formatter (:func:`nnbook.book.tour.format_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable

from nnbook.book.experiments.checks import percent
from nnbook.book.experiments.runner import Outcome
from nnbook.book.tour import format_table

#: The printed columns (key, header).
COLUMNS = (("id", "run"), ("label", "configuration"), ("epochs", "epochs"),
           ("train", "train"), ("validation", "validation"), ("test", "test"),
           ("seconds", "seconds"))


@dataclass(frozen=True)
class SourceRow:
    """The source's numbers for a run (accuracies as fractions), its epochs, and ``note``: what
    else the source says of them (e.g. where its text and its table disagree)."""

    train: float
    validation: float
    test: float
    epochs: int
    note: str = ""


@dataclass(frozen=True)
class TableRun:
    """A row: ``id`` (e.g. "R1"), ``label`` (what runs), ``config`` (hashable, with ``epochs``
    and ``batch_size``; the source's ``build_model`` builds it), ``source`` (None: not in the
    source's table), ``section`` (where the source reports it)."""

    id: str
    label: str
    config: Hashable
    source: SourceRow | None
    section: str


def _pair(source_value: str, nnbook_value: str) -> str:
    return f"{source_value} / {nnbook_value}"


def table_rows(runs, outcomes: dict) -> list[dict]:
    """One dict per run for :func:`format_rows` (``outcomes``: {id: Outcome})."""
    rows = []
    for run in runs:
        outcome: Outcome = outcomes[run.id]
        source = run.source
        rows.append({
            "id": run.id, "label": run.label,
            "epochs": _pair(str(source.epochs) if source else "—", str(outcome.epochs)),
            "train": _pair(percent(source.train) if source else "—", percent(outcome.train)),
            "validation": _pair(percent(source.validation) if source else "—",
                                percent(outcome.validation)),
            "test": _pair(percent(source.test) if source else "—", percent(outcome.test)),
            "seconds": f"{outcome.seconds:.1f}",
        })
    return rows


def format_rows(runs, outcomes: dict, *, width: int = 100) -> str:
    """The table as text of at most ``width`` columns."""
    return format_table(table_rows(runs, outcomes), COLUMNS, width=width)
