"""Grading behind a trust boundary: the student's code runs in a sandbox, the checks here.

- :mod:`.settings`: the limits (time per cell, memory, sandbox kind)
- :mod:`.sandbox`: the confined process (bubblewrap, prlimit) and its lifetime
- :mod:`.server`: what runs inside it: the student's cells and the grader's requests
- :mod:`.channel`: messages between the two; :mod:`.wire` and :mod:`.sympy_tree`: values as
  plain data; :mod:`.remote_errors`: exceptions as plain descriptions
- :mod:`.proxy`: the grader's proxies for the student's functions and objects
- :mod:`.cells`: one notebook cell run in an IPython shell, outputs as nbformat
- :mod:`.submission`: a submission rebuilt on the instructor's source notebook
- :mod:`.runner`: one notebook executed across the boundary
- :mod:`.cache`, :mod:`.pre_execute`: executions done ahead by parallel workers
- :mod:`.preprocessors`: the nbgrader preprocessors the course configuration installs

``autograding/README.md`` states the threat model: what is protected and what is not.
"""
