"""The Sphinx configuration of the web book (the staged ``conf.py`` imports every name here).

Sphinx with MyST-NB rather than Jupyter Book: Jupyter Book 1 is itself this stack with a
config layer on top, and Jupyter Book 2 moved to a Node.js toolchain; Sphinx + MyST-NB is
pip-installable, executes the chapters with a cache (``jupyter-cache``: a prose edit does not
re-run a notebook), reads the MyST chapters as they are, builds the API reference from the same
docstrings with autodoc, and has a search index that works offline. MathJax comes from the
``sphinx-mathjax-offline`` package, so every script, style and font is served by the site
itself; nothing is fetched from the network when a page is read.
"""

from pathlib import Path

project = "nnbook"
author = "the nnbook authors"
copyright = "the nnbook authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx-mathjax-offline",            # bundles MathJax 3 into _static/mathjax
    "nnbook.book.site.api_links",        # mapping-table names → API reference
    "nnbook.book.site.docstring_bars",   # |x| in docstrings is not a substitution
    "nnbook.book.site.math_tags",        # \tag{n} survives an equation with line breaks
]

# --- MyST: the chapters' markdown ------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 2                 # ids for '#' and '##' headings (glossary links)
myst_heading_slug_func = "nnbook.book.site.chapter_text.heading_slug"   # glossary links use it too

# --- MyST-NB: executing the chapters ---------------------------------------------------------
nb_execution_mode = "cache"              # jupyter-cache: re-run only when the code changes
nb_execution_timeout = 900               # seconds per cell
nb_execution_raise_on_error = True       # a failing chapter fails the build
nb_execution_excludepatterns = ["exercises/*"]   # student notebooks are shown, not run
nb_merge_streams = True
nb_render_markdown_format = "myst"       # Markdown outputs with $…$ math, as the chapters write

# --- API reference ---------------------------------------------------------------------------
autodoc_default_options = {
    "members": True,
    "member-order": "bysource",
    "ignore-module-all": True,           # each object once, in the module that defines it
}
autodoc_typehints = "signature"
add_module_names = False

# --- HTML --------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "nnbook"
html_theme_options = {
    "use_download_button": True,         # each chapter and exercise page offers its source
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
html_show_sphinx = False
html_context = {"default_mode": "light"}  # the theme logs an error without one
html_favicon = str(Path(__file__).with_name("static") / "favicon.svg")   # no 404 for favicon.ico
html_copy_source = True                  # the download button serves _sources/
exclude_patterns = ["_build", ".build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]
