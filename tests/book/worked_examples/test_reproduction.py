"""nnbook.book.worked_examples.reproduction: the rows of the reproduction table, for every source."""

import re

import pytest

from nnbook.book.sources import SOURCES
from nnbook.book.worked_examples import sources, table


@pytest.mark.parametrize("source", sources())
def test_references_are_what_a_reader_can_look_up(source):
    """A section (and page, figure or equation) of the book — no source-file lines, no codes of
    documents outside the repository."""
    for row in table(source, with_files=False) if source == "nielsen-1" else table(source):
        assert row.ref.startswith("§"), row.ref
        # source-file lines are L + 2–4 digits (as in the catalog check): "L2 regularization"
        # is a section title of Galeone's chapter, not a line
        assert not re.search(r"\bL\d{2,4}\b|\b[WFEIDA]\d+\b", row.ref), row.ref
        assert row.source == source and source in SOURCES
