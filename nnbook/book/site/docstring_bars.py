"""Sphinx extension: a docstring's |x| is an absolute value or a norm, not a substitution.

nnbook's docstrings are written for people reading the code: ``|W|`` is the sum of absolute
weights, ``‖x‖`` a norm. reStructuredText reads ``|W|`` as a substitution reference, so every bar
outside ``literal`` text is escaped before autodoc renders it (the docstrings draw no grid
tables, whose borders would be bars).
"""

from __future__ import annotations


def escape_bars(app, what, name, obj, options, lines: list[str]) -> None:
    """Escape the bars of one docstring in place (autodoc-process-docstring)."""
    for index, line in enumerate(lines):
        pieces = line.split("``")           # even pieces are text, odd ones ``literal``
        lines[index] = "``".join(piece.replace("|", "\\|") if position % 2 == 0 else piece
                                 for position, piece in enumerate(pieces))


def setup(app):
    app.connect("autodoc-process-docstring", escape_bars)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
