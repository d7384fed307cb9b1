"""A chapter's mapping table — source section → notebook section → nnbook names → exercises —
and what each backticked name in it refers to.

Every chapter opens with this table. Its nnbook column is written for people, so names are
short: a name resolves as a dotted path under ``nnbook.`` (``layers.Dense``), under the package
of the last module named (``logic_gates.truth_table`` after ``models.perceptron…``), as an
installed package (``sklearn.neural_network.MLPRegressor``), or as an attribute of the last
module or class named (``sigmoid_prime`` after ``functional.activations.sigmoid``;
``.sigmoid_output`` or ``fit`` after ``Sequential.compile``). The chapter tests check that
every name resolves; the web book links each to its API reference.
"""

from __future__ import annotations

import importlib
import inspect
import re


def mapping_table(text: str) -> list[str]:
    """The rows of the first markdown table of a chapter, after its YAML header; [] when a code
    cell comes before any table."""
    body = text.split("---", 2)[2] if text.startswith("---") else text
    rows, started = [], False
    for line in body.splitlines():
        if line.startswith("```") and not started:
            return []
        if line.lstrip().startswith("|"):
            rows.append(line)
            started = True
        elif started:
            break
    return rows


def table_cells(row: str) -> list[str]:
    """The cells of one markdown table row, stripped."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def resolve_cell(cell: str) -> list[tuple[str, object | None]]:
    """Each backticked name of one table cell with the object it names (None if nothing)."""
    resolved, module, owner = [], None, None
    for name in re.findall(r"`([^`]+)`", cell):
        dotted = name.strip().removesuffix("()")
        prefixes = ["nnbook."]
        if module is not None:
            prefixes.append(module.__name__.rsplit(".", 1)[0] + ".")
        prefixes.append("")
        found = None if dotted.startswith(".") else _import_longest(dotted, prefixes)
        obj, home = found or (None, None)
        scope = None
        if obj is None:
            head, *rest = dotted.lstrip(".").split(".")
            scope = next((s for s in (owner, module) if s is not None and hasattr(s, head)), None)
            if scope is not None:
                obj = getattr(scope, head)
                for attribute in rest:
                    obj = getattr(obj, attribute, None)
        resolved.append((name, obj))
        if obj is None:
            continue
        if inspect.ismodule(obj):
            module = obj
        elif inspect.isclass(obj):
            module, owner = inspect.getmodule(obj) or module, obj
        elif scope is None or scope is module:   # a function, a constant, or Class.method in full
            module = inspect.getmodule(obj) or home or module
            owner = _owner_class(dotted, module)
    return resolved


def unresolved_names(cell: str) -> list[str]:
    """The backticked names of one table cell that do not resolve; [] when all do."""
    return [name for name, obj in resolve_cell(cell) if obj is None]


def _import_longest(dotted: str, prefixes: list[str]):
    """(object, module) named by ``dotted`` under the first prefix that resolves it, else None.

    ``"models.sequential.Sequential.fit"`` with prefix ``"nnbook."`` imports the longest module
    prefix (``nnbook.models.sequential``) and reads the rest as attributes."""
    parts = dotted.split(".")
    for prefix in prefixes:
        for cut in range(len(parts), 0, -1):
            try:
                module = obj = importlib.import_module(prefix + ".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attribute in parts[cut:]:
                    obj = getattr(obj, attribute)
            except AttributeError:
                break
            return obj, module
    return None


def _owner_class(dotted: str, module):
    """The class in ``Class.attribute`` (so that ``.other`` can follow), else None."""
    head = dotted.split(".")[-2] if "." in dotted else None
    candidate = getattr(module, head, None) if head else None
    return candidate if inspect.isclass(candidate) else None
