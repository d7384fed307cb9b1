"""Sphinx extension: a display equation with line breaks keeps the number the chapter gives it.

The chapters number equations as their sources do, with ``\\tag{n}`` inside ``$$ … $$``. For
MathJax, Sphinx wraps every display equation that contains ``\\\\`` (a ``cases`` block, say) in
``\\begin{split} … \\end{split}``, where amsmath forbids ``\\tag``: MathJax shows an error box
instead of the equation. This moves the tag out of the ``split``, so the equation renders as
the chapter wrote it.
"""

from __future__ import annotations

import re

from docutils import nodes

_TAG = re.compile(r"\\tag\*?\{[^{}]*\}")


def tag_outside_split(latex: str) -> str | None:
    """``\\[\\begin{split}…\\end{split}\\tag{n}\\]`` for one tagged equation that Sphinx would
    wrap in ``split`` (it contains ``\\\\``); None when Sphinx's own wrapping is fine."""
    tags = _TAG.findall(latex)
    single = len([part for part in latex.split("\n\n") if part.strip()]) == 1
    if len(tags) != 1 or "\\\\" not in latex or not single:
        return None
    body = _TAG.sub("", latex).strip()
    return f"\\[\\begin{{split}}{body}\\end{{split}}{tags[0]}\\]"


def move_tags(app, doctree) -> None:
    """Rewrite every tagged multi-line display equation of a page (doctree-read)."""
    for block in doctree.findall(nodes.math_block):
        if block.get("nowrap"):
            continue
        fixed = tag_outside_split(block.astext())
        if fixed is not None:
            block["nowrap"] = True                 # Sphinx writes it as it stands
            block.children = [nodes.Text(fixed)]


def setup(app):
    app.connect("doctree-read", move_tags)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
