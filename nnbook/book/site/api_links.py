"""Sphinx extension: the nnbook names in a chapter's mapping table link to the API reference.

A chapter's first table maps source sections to nnbook names (third column). After every
page is read, each backticked name there is resolved as the chapter tests resolve it
(:func:`nnbook.book.mapping_table.resolve_cell`) and, when the API reference documents the
object — or else its class or module — wrapped in a link to it.
"""

from __future__ import annotations

import inspect

from docutils import nodes

from nnbook.book.mapping_table import resolve_cell

#: The mapping table's column of nnbook names.
NAMES_COLUMN = 2


def documented_name(obj) -> str | None:
    """The dotted name under which autodoc documents ``obj`` (module, class, function, method)."""
    if inspect.ismodule(obj):
        return obj.__name__
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and module.startswith("nnbook"):
        return f"{module}.{qualname}"
    return None


def _target(objects: dict, dotted: str | None):
    """The entry documenting ``dotted``, or its nearest documented parent (class, then module)."""
    while dotted:
        if dotted in objects:
            return objects[dotted]
        dotted = dotted.rpartition(".")[0]
    return None


def link_mapping_table(app, doctree, docname: str) -> None:
    """Wrap the mapping table's nnbook names of chapter ``docname`` in links to the API pages."""
    if not docname.startswith("chapters/"):
        return
    table = next(iter(doctree.findall(nodes.table)), None)
    if table is None:
        return
    objects = app.env.get_domain("py").objects
    for row in table.findall(nodes.row):
        entries = [entry for entry in row.children if isinstance(entry, nodes.entry)]
        if len(entries) <= NAMES_COLUMN:
            continue
        literals = list(entries[NAMES_COLUMN].findall(nodes.literal))
        cell = ", ".join(f"`{literal.astext()}`" for literal in literals)
        for literal, (_, obj) in zip(literals, resolve_cell(cell)):
            target = _target(objects, documented_name(obj)) if obj is not None else None
            if target is None:
                continue
            uri = app.builder.get_relative_uri(docname, target.docname) + "#" + target.node_id
            reference = nodes.reference("", "", internal=True, refuri=uri,
                                        reftitle=f"API: {documented_name(obj)}")
            literal.replace_self(reference)
            reference.append(literal)


def setup(app):
    app.connect("doctree-resolved", link_mapping_table)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
