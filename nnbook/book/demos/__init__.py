"""Per-chapter demo code: what a chapter runs beyond the library, shared with ``nnbook tour``.

One module per source (``nielsen_1``, ``chen_15``, …). Each has ``figures()`` (file name →
a function drawing that figure) and ``derivations()`` (the chapter's sympy derivations); the
chapter notebook and the tour call the same functions, so the tour never re-codes a chapter.
"""
