"""Shared by the book's tests: every landed chapter's figures, drawn and checked once a session.

The tour draws the same figures; here each is also read back — its texts, the gids of labelled
texts, the readability problems :func:`nnbook.plots.layout.label_problems` finds — so that the
generic checks (tests/book/test_figures.py) and each chapter's content checks
(tests/book/figures/test_<source>.py) share one drawing instead of drawing twice.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import warnings
from typing import NamedTuple

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from nnbook.book.sources import LANDED
from nnbook.plots.layout import label_problems


class Drawn(NamedTuple):
    kind: str            # what the drawing function returned: "Figure" or "Axes"
    problems: list       # what a reader could not read, one line each, prefixed by the name
    texts: list          # every text on the figure
    gids: dict           # gid → text of the texts that have a gid
    figure: object       # the (closed) matplotlib Figure, for reading artists back


class Silence(NamedTuple):
    stderr: str
    warnings: list


def figure_module(source):
    return importlib.import_module(f"nnbook.book.figures.{source.replace('-', '_')}")


def draw_all(figures: dict) -> dict:
    """Draw and check each figure of ``figures`` ({file name: draw function}):
    {name: :class:`Drawn`}, plus under the key None a :class:`Silence` with what drawing wrote
    to stderr and warned."""
    results, stderr = {}, io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr):
        warnings.simplefilter("always")
        for name, draw in figures.items():
            made = draw()
            figure = made if hasattr(made, "savefig") else made.figure
            texts = figure.findobj(Text)
            results[name] = Drawn(type(made).__name__,
                                  [f"{name}: {problem}" for problem in label_problems(figure)],
                                  [t.get_text() for t in texts],
                                  {t.get_gid(): t.get_text() for t in texts if t.get_gid()},
                                  figure)
            plt.close(figure)
    results[None] = Silence(stderr.getvalue(), [str(w.message) for w in caught])
    return results


@pytest.fixture(scope="session")
def draw_figures():
    """:func:`draw_all`, for tests that draw figures of their own."""
    return draw_all


@pytest.fixture(scope="session")
def landed_figures() -> dict:
    """{source: draw_all(its figures)} for every landed chapter, drawn once per session."""
    return {source: draw_all(figure_module(source).figures()) for source in LANDED}
