"""The chapters as text: which file holds which source's chapter, and its prose by section.

A chapter is a MyST markdown notebook in ``chapters/`` whose front matter names its source
(``nnbook: {source: nielsen-1, chapter: 1}``). It is read with jupytext, as Jupyter reads it:
its prose is the markdown cells, less any fenced block in them, except that the body of an
``{admonition}`` block is prose too (the source notes live there). Sections are the ``## …``
headings; links to them use :func:`heading_slug`, the function the site's MyST configuration
gives its heading anchors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jupytext

_FENCE = "```"
_NOT_IN_SLUG = re.compile(r"[^\w\u4e00-\u9fff\- ]")


@dataclass(frozen=True)
class ChapterFile:
    """One chapter notebook: its source id, chapter number, file and title (its ``"# "`` line)."""

    source: str
    number: int
    path: Path
    title: str

    @property
    def page(self) -> str:
        """The page name on the site (the file name without ``.md``)."""
        return self.path.stem


def _notebook(text: str):
    return jupytext.reads(text, fmt="md:myst")


def read_chapter(path: str | Path) -> ChapterFile:
    """The chapter in ``path``; ValueError when its front matter does not name a source."""
    path = Path(path)
    notebook = _notebook(path.read_text(encoding="utf-8"))
    meta = notebook.metadata.get("nnbook", {})
    if not isinstance(meta, dict) or "source" not in meta or "chapter" not in meta:
        raise ValueError(f"{path}: expected front matter with 'nnbook:' giving 'source:' and "
                         "'chapter:'")
    title = next((line[2:].strip() for cell in notebook.cells if cell.cell_type == "markdown"
                  for line in cell.source.splitlines() if line.startswith("# ")), path.stem)
    return ChapterFile(str(meta["source"]), int(meta["chapter"]), path, title)


def find_chapters(directory: str | Path) -> list[ChapterFile]:
    """Every chapter notebook in ``directory`` (``*.md`` with nnbook front matter), by number."""
    chapters = []
    for path in sorted(Path(directory).glob("*.md")):
        try:
            chapters.append(read_chapter(path))
        except ValueError:
            continue
    return sorted(chapters, key=lambda chapter: chapter.number)


@dataclass(frozen=True)
class ProseLine:
    """A line of prose with the ``"## "`` section it stands in ('' before the first one)."""

    section: str
    text: str
    block: str           # '' in running text, else the opening line of its admonition


def prose_lines(text: str) -> Iterator[ProseLine]:
    """The prose of a chapter's text, line by line (code cells and other fenced blocks skipped)."""
    section = ""
    for cell in _notebook(text).cells:
        if cell.cell_type != "markdown":
            continue
        block, in_code = "", False
        for line in cell.source.splitlines():
            if line.startswith(_FENCE):
                opening = line[len(_FENCE):].strip()
                if in_code or block:                   # a bare fence closes the open block
                    if not opening:
                        in_code, block = False, ""
                elif opening.startswith("{admonition}"):
                    block = line
                else:
                    in_code = True
                continue
            if in_code:
                continue
            if line.startswith("## "):
                section = line[3:].strip()
            yield ProseLine(section, line, block)


def section_anchor(section: str) -> str:
    """The anchor of a ``## section`` heading on the site."""
    return heading_slug(_plain(section))


def heading_slug(title: str) -> str:
    """GitHub's heading slug: lower case, spaces to hyphens, only word characters, CJK and
    hyphens kept. The site's MyST configuration uses this very function for its anchors."""
    return _NOT_IN_SLUG.sub("", title.lower().replace(" ", "-"))


def _plain(markdown: str) -> str:
    """A heading's text as rendered: backticks, emphasis and link targets removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*]", "", text)
