"""The book's machinery around the math (the math never imports this package).

===================  ===================================================================
``cli``              the ``nnbook`` command
``tour``             ``nnbook tour``: figures, the reproduction table, graded reference solutions
``check``            ``nnbook check``: a notebook's visible checks, per exercise
``course``           the nbgrader course: build it, generate exercises, grade the reference
``grading``          the check functions exercise cells call
``sources``          the five sources' ids and citations
``worked_examples``  every worked example of the sources next to nnbook's value
``demos``            per-chapter demonstrations beyond the library
``figures``          per-chapter figures, drawn by the chapter and the tour alike
``experiments``      ``nnbook experiments``: a source's training runs against its printed table
``mapping_table``    a chapter's mapping table and what each name in it refers to
``site``             ``nnbook book build``: the chapters as a static website
``course_data``      package data: the nbgrader configuration template
===================  ===================================================================
"""
