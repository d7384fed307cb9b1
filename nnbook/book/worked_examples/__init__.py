"""Every worked example of the sources, recomputed by nnbook: the rows of ``nnbook tour``.

``table(source_id)`` returns :class:`Reproduction` rows: where the number stands in the source,
what the source says, what nnbook computes, and whether they match. The source values are
typed in from the source (see the inventories); the nnbook values are computed by the library.
"""

from __future__ import annotations

from nnbook.book.worked_examples.reproduction import Reproduction, compare


def _registry():
    from nnbook.book.worked_examples import chen_15, dlnn_5, galeone_2, gulli_1, nielsen_1

    return {"nielsen-1": nielsen_1.rows, "chen-15": chen_15.rows, "gulli-1": gulli_1.rows,
            "galeone-2": galeone_2.rows, "dlnn-5": dlnn_5.rows}


def table(source_id: str, **options) -> list[Reproduction]:
    """All reproduction rows of one source (``nielsen-1``, ``chen-15`` …); options go to its row builder."""
    registry = _registry()
    if source_id not in registry:
        raise ValueError(f"source_id: expected one of {sorted(registry)}, found {source_id!r}")
    return registry[source_id](**options)


def sources() -> list[str]:
    """Source ids that have reproduction rows."""
    return sorted(_registry())


__all__ = ["Reproduction", "compare", "table", "sources"]
