"""Grading behind a trust boundary: the student's code runs in a sandbox, the checks here.

- :mod:`~nnbook.book.autograde.settings`: the limits (time per cell, memory, sandbox kind)
- :mod:`~nnbook.book.autograde.sandbox`: the confined process (bubblewrap, prlimit) and its lifetime
- :mod:`~nnbook.book.autograde.server`: what runs inside it: the student's cells and the grader's requests
- :mod:`~nnbook.book.autograde.channel`: messages between the two; :mod:`~nnbook.book.autograde.wire` and :mod:`~nnbook.book.autograde.sympy_tree`: values as
  plain data; :mod:`~nnbook.book.autograde.remote_errors`: exceptions as plain descriptions
- :mod:`~nnbook.book.autograde.proxy`: the grader's proxies for the student's functions and objects
- :mod:`~nnbook.book.autograde.cells`: one notebook cell run in an IPython shell, outputs as nbformat
- :mod:`~nnbook.book.autograde.submission`: a submission rebuilt on the instructor's source notebook
- :mod:`~nnbook.book.autograde.runner`: one notebook executed across the boundary
- :mod:`~nnbook.book.autograde.cache`, :mod:`~nnbook.book.autograde.pre_execute`: executions done ahead by parallel workers
- :mod:`~nnbook.book.autograde.preprocessors`: the nbgrader preprocessors the course configuration installs

``autograding/README.md`` states the threat model: what is protected and what is not.
"""
