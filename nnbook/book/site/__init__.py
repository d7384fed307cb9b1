"""The web book: ``nnbook book build`` (needs the ``book`` extra: Sphinx, MyST-NB, the theme).

==================  ===============================================================
``build``           stage the site's sources and run Sphinx; :func:`build_site`
``sphinx_config``   the Sphinx configuration (why Sphinx + MyST-NB, offline MathJax)
``chapter_text``    which file holds which chapter; its prose by section; anchors
``glossary``        English → Chinese terms at first use, from the chapters
``source_notes``    the chapters' source notes gathered into one index
``api_pages``       the API reference pages (autodoc over every module)
``api_links``       Sphinx extension: mapping-table names link to the API reference
``docstring_bars``  Sphinx extension: |x| in a docstring is not a substitution
``math_tags``       Sphinx extension: \\tag{n} survives an equation with line breaks
==================  ===============================================================
"""
