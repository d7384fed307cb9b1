"""The API reference pages: one page per subpackage of nnbook, one ``automodule`` per module
(inside ``eval-rst``: docstrings are reStructuredText).

The text is the modules' own docstrings (shapes, equation labels and all), rendered by
Sphinx's autodoc; nothing is written twice. Each object is documented once, in the module that
defines it, so a re-exported name (``nnbook.layers.Dense``) links to its home
(``nnbook.layers.dense.Dense``).
"""

from __future__ import annotations

import pkgutil

import nnbook

#: Modules that are not API: the command's entry point and package data.
SKIPPED = ("nnbook.__main__", "nnbook.book.course_data")


def modules_by_page() -> dict[str, list[str]]:
    """{page: [module, …]}: ``nnbook`` itself and each top-level subpackage with its modules."""
    pages: dict[str, list[str]] = {"nnbook": ["nnbook"]}
    for info in pkgutil.walk_packages(nnbook.__path__, prefix="nnbook."):
        name = info.name
        if name.startswith(SKIPPED) or any(part.startswith("_") for part in name.split(".")):
            continue
        page = ".".join(name.split(".")[:2]) if info.ispkg or name.count(".") > 1 else "nnbook"
        pages.setdefault(page, []).append(name)
    return {page: sorted(names) for page, names in sorted(pages.items())}


def api_pages() -> dict[str, str]:
    """{file name under api/: MyST text}: the index and one page per subpackage."""
    pages = modules_by_page()
    index = ["# API reference", "",
             "Every public module of `nnbook`, generated from its docstrings. The chapters' "
             "mapping tables link here; `nnbook/README.md` maps each concept to its module.", "",
             "```{toctree}", ":maxdepth: 1", ""] + [page for page in pages] + ["```", ""]
    files = {"index.md": "\n".join(index)}
    for page, modules in pages.items():
        lines = [f"# `{page}`", ""]
        for module in modules:
            if module != page:
                lines += [f"## `{module}`", ""]
            lines += ["```{eval-rst}", f".. automodule:: {module}", "```", ""]
        files[f"{page}.md"] = "\n".join(lines)
    return files
