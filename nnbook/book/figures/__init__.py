"""Each chapter's figures, one module per source (``nielsen_1``, ``chen_15``, …).

Each module's ``figures()`` maps a file name (``<source id>_<what>.png``) to a function that
draws it; the chapter notebook and ``nnbook tour`` draw the same figures with the same code.
"""
