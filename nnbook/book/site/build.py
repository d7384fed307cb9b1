"""``nnbook book build``: the chapters, exercises, source notes, glossary and API reference as
one static HTML site.

The build stages a Sphinx source folder in ``OUT/cache/source`` — the chapters as they are, the
student notebooks, and pages generated from them (index, exercises, source notes, glossary, API)
— and runs Sphinx in a child process, so the kernels that execute the chapters never write to
this process's terminal. Files are staged only when their content changed and the chapters'
executed outputs are cached (``OUT/cache/jupyter``), so a rebuild after a prose edit re-runs no
notebook. The site is ``OUT/html``; it reads with the network cut.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nnbook.book.course import checkout_root
from nnbook.book.site.api_pages import api_pages
from nnbook.book.site.chapter_text import ChapterFile, find_chapters
from nnbook.book.site.glossary import glossary, glossary_page
from nnbook.book.site.source_notes import source_notes_page
from nnbook.book.sources import LANDED, SOURCES

DEFAULT_OUT = "nnbook-book"
_PROGRESS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*(\d+)%\]")


class SiteBuildError(RuntimeError):
    """The site could not be built (missing inputs, or Sphinx failed)."""


@dataclass
class SiteReport:
    """What a build made: the site folder, its pages, Sphinx's warnings and its log file."""

    out: Path                      # OUT/html, holding index.html
    pages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    log: Path | None = None


def build_site(out: str | Path = DEFAULT_OUT, *, chapters: Sequence[str] | None = None,
               execute: bool = True, quiet: bool = True, chapters_dir: str | Path | None = None,
               exercises_dir: str | Path | None = None) -> SiteReport:
    """Build the web book into ``out`` (the site is ``out/html``) and report on it.

    ``chapters``: source ids (default: every landed chapter, ``nnbook.book.sources.LANDED``).
    ``execute=False`` shows the chapters without running them (no outputs, no figures).
    ``chapters_dir``/``exercises_dir`` default to the checkout's ``chapters/`` and ``exercises/``.
    ``quiet=False`` shows a progress bar on stdout.
    """
    _require_toolchain()
    out = Path(out).resolve()
    chosen = _chosen_chapters(chapters, chapters_dir)
    exercises = _exercise_notebooks(chosen, exercises_dir)
    source = out / "cache" / "source"
    staged = _stage(source, chosen, exercises)
    _remove_stale(source, staged)
    log = out / "cache" / "sphinx.log"
    warnings_file = out / "cache" / "warnings.txt"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / "cache" / "doctrees"),
               "-w", str(warnings_file), "-D",
               f"nb_execution_cache_path={out / 'cache' / 'jupyter'}",
               "-D", f"nb_execution_mode={'cache' if execute else 'off'}",
               str(source), str(out / "html")]
    _run_sphinx(command, log, quiet)
    warnings = [line for line in warnings_file.read_text(encoding="utf-8").splitlines()
                if line.strip()] if warnings_file.exists() else []
    pages = sorted(str(path.relative_to(source).with_suffix(""))
                   for path in staged if path.suffix in (".md", ".ipynb"))
    return SiteReport(out / "html", pages, warnings, log)


# --- inputs -----------------------------------------------------------------------------------

#: What the build runs (module names as imported; the MathJax package's name has hyphens).
TOOLCHAIN = ("sphinx", "myst_nb", "sphinx_book_theme", "sphinx-mathjax-offline")


def _require_toolchain() -> None:
    missing = [name for name in TOOLCHAIN if importlib.util.find_spec(name) is None]
    if missing:
        raise SiteBuildError(f"the web book needs {', '.join(missing)}: pip install 'nnbook[book]' "
                             "(from a checkout: pip install -e '.[book]')")


def _checkout_folder(given, name: str) -> Path:
    if given is not None:
        folder = Path(given)
    else:
        root = checkout_root()
        if root is None:
            raise SiteBuildError(f"nnbook does not run from a checkout of its repository: pass "
                                 f"the {name}/ folder of a clone (--{name}-dir DIR)")
        folder = root / name
    if not folder.is_dir():
        raise SiteBuildError(f"{name} folder not found: {folder}")
    return folder


def _chosen_chapters(sources: Sequence[str] | None, chapters_dir) -> list[ChapterFile]:
    available = {chapter.source: chapter
                 for chapter in find_chapters(_checkout_folder(chapters_dir, "chapters"))}
    wanted = list(LANDED) if sources is None else list(sources)
    if not wanted:
        raise SiteBuildError("chapters: expected at least one source id, found none")
    unknown = [source for source in wanted if source not in SOURCES]
    if unknown:
        raise SiteBuildError(f"chapters: unknown source ids {unknown}; expected some of "
                             f"{sorted(SOURCES)}")
    missing = [source for source in wanted if source not in available]
    if missing:
        raise SiteBuildError(f"chapters: no chapter notebook for {missing}; the chapters folder "
                             f"has {sorted(available)}")
    return sorted((available[source] for source in wanted), key=lambda c: c.number)


def _exercise_notebooks(chapters: list[ChapterFile], exercises_dir) -> dict[str, Path]:
    """{chapter source id: its student notebook} from the exercise catalog."""
    folder = _checkout_folder(exercises_dir, "exercises")
    wanted = {chapter.source for chapter in chapters}
    found = {}
    with open(folder / "catalog.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source"] in wanted and row["notebook"]:
                found.setdefault(row["source"], folder / row["notebook"])
    for source, path in found.items():
        if not path.is_file():
            raise SiteBuildError(f"exercise notebook of {source} not found: {path}")
    return found


# --- staging ----------------------------------------------------------------------------------

def _stage(source: Path, chapters: list[ChapterFile], exercises: dict[str, Path]) -> list[Path]:
    """Write every page of the site into ``source``; the paths written."""
    files: dict[str, bytes | str] = {
        "conf.py": "from nnbook.book.site.sphinx_config import *  # noqa: F401,F403\n",
        "index.md": _index_page(chapters, exercises),
        "exercises/index.md": _exercises_page(chapters, exercises),
        "source-notes.md": source_notes_page(chapters),
        "glossary.md": glossary_page(glossary(chapters)),
    }
    for chapter in chapters:
        files[f"chapters/{chapter.path.name}"] = chapter.path.read_bytes()
    for path in exercises.values():
        files[f"exercises/{path.name}"] = path.read_bytes()
    for name, text in api_pages().items():
        files[f"api/{name}"] = text
    written = []
    for name, content in files.items():
        path = source / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not path.exists() or path.read_bytes() != data:   # unchanged files keep their mtime
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        written.append(path)
    return written


def _remove_stale(source: Path, staged: list[Path]) -> None:
    """Remove pages left from an earlier build with other chapters."""
    keep = set(staged)
    for path in source.rglob("*"):
        if path.is_file() and path not in keep and path.suffix in (".md", ".ipynb"):
            path.unlink()


def _index_page(chapters: list[ChapterFile], exercises: dict[str, Path]) -> str:
    rows = "\n".join(
        f"| {chapter.number} | [{chapter.title.split(' — ', 1)[-1]}](chapters/{chapter.page}.md) "
        f"| {SOURCES[chapter.source].citation} | "
        + (f"[{exercises[chapter.source].stem}](exercises/{exercises[chapter.source].stem}.ipynb)"
           if chapter.source in exercises else "—") + " |"
        for chapter in chapters)
    toctree = "\n".join(f"chapters/{chapter.page}" for chapter in chapters)
    return f"""# nnbook — neural networks as a runnable textbook

Five source chapters on neural networks, each turned into a notebook where every formula runs,
every derivation is checked and every worked example is recomputed by the `nnbook` package.
The pages below were executed when this site was built; the notebooks themselves are in the
repository's `chapters/` folder.

| chapter | title | source | exercises |
|---|---|---|---|
{rows}

Also here: the [exercises](exercises/index.md) as students get them, the
[source notes](source-notes.md) (where a source is wrong, and what nnbook does instead), a
[bilingual glossary](glossary.md) and the [API reference](api/index.md).

```{{toctree}}
:caption: Chapters
:hidden:

{toctree}
```

```{{toctree}}
:caption: For students and readers
:hidden:

exercises/index
source-notes
glossary
api/index
```
"""


def _exercises_page(chapters: list[ChapterFile], exercises: dict[str, Path]) -> str:
    items = "\n".join(
        f"- Chapter {chapter.number}: [{exercises[chapter.source].stem}]"
        f"({exercises[chapter.source].stem}.ipynb) — "
        f"{{download}}`download the notebook <{exercises[chapter.source].name}>`"
        for chapter in chapters if chapter.source in exercises)
    toctree = "\n".join(exercises[chapter.source].stem
                        for chapter in chapters if chapter.source in exercises)
    return f"""# Exercises

The student version of each chapter's exercises: download the notebook, open it in Jupyter,
replace every `YOUR CODE HERE` / `YOUR ANSWER HERE`, and run the check cell below each exercise
for instant feedback (or `nnbook check NOTEBOOK` for all of them at once). Hidden tests run only
when your instructor grades with nbgrader.

{items}

```{{toctree}}
:hidden:

{toctree}
```
"""


# --- running Sphinx ---------------------------------------------------------------------------

def _run_sphinx(command: list[str], log: Path, quiet: bool) -> None:
    """Run Sphinx, its output to ``log``; a progress bar on stdout unless ``quiet``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    bar = None
    if not quiet:
        from tqdm import tqdm

        bar = tqdm(total=200, desc="building the book", unit="%", file=sys.stdout,
                   bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}")
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, text=True, env=environment)
        for line in process.stdout:
            handle.write(line)
            match = _PROGRESS.match(line)
            if bar is not None and match:
                done = int(match.group(2)) + (100 if match.group(1) == "writing output" else 0)
                bar.update(max(0, done - bar.n))
        code = process.wait()
    if bar is not None:
        bar.close()
    if code != 0:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-25:])
        raise SiteBuildError(f"Sphinx failed (exit {code}); the end of {log}:\n{tail}")
