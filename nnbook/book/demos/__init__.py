"""Per-chapter demo code: what a chapter runs beyond the library, shared with ``nnbook tour``.

One module per source (``nielsen_1``, ``chen_15``, …), each with ``derivations()`` (the
chapter's sympy derivations) and the chapter's own demonstrations; the figures are in
:mod:`nnbook.book.figures`. The chapter notebook and the tour call the same functions.
"""
