"""The chapters as text: which file holds which source's chapter, and its prose by section.

A chapter is a MyST markdown notebook in ``chapters/`` whose front matter names its source
(``nnbook: {source: nielsen-1, chapter: 1}``). Its prose is every line outside the front matter
and outside fenced blocks, except that the body of an ``{admonition}`` block is prose too (the
source notes live there). Sections are the ``## …`` headings; links to them use
:func:`heading_slug`, the function the site's MyST configuration gives its heading anchors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_SOURCE = re.compile(r"^nnbook:\s*\n(?:[ \t]+.*\n)*?[ \t]+source:\s*(\S+)", re.M)
_CHAPTER = re.compile(r"^nnbook:\s*\n(?:[ \t]+.*\n)*?[ \t]+chapter:\s*(\d+)", re.M)
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


def read_chapter(path: str | Path) -> ChapterFile:
    """The chapter in ``path``; ValueError when its front matter does not name a source."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    front = _FRONT_MATTER.match(text)
    source = _SOURCE.search(front.group(1) + "\n") if front else None
    number = _CHAPTER.search(front.group(1) + "\n") if front else None
    if source is None or number is None:
        raise ValueError(f"{path}: expected front matter with 'nnbook:' giving 'source:' and "
                         "'chapter:'")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    return ChapterFile(source.group(1), int(number.group(1)), path, title)


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
    number: int          # 1-based line number in the file
    text: str
    block: str           # '' in running text, else the opening line of its admonition


def prose_lines(text: str) -> Iterator[ProseLine]:
    """The prose of a chapter's text, line by line (code cells and other fenced blocks skipped)."""
    front = _FRONT_MATTER.match(text)
    skip = front.group(0).count("\n") if front else 0
    section, block, in_code = "", "", False
    for number, line in enumerate(text.splitlines(), start=1):
        if number <= skip:
            continue
        if line.startswith(_FENCE):
            opening = line[len(_FENCE):].strip()
            if in_code or block:                       # a bare fence closes the open block
                if not opening:
                    in_code, block = False, ""
                continue
            if opening.startswith("{admonition}"):
                block = line
            else:
                in_code = True
            continue
        if in_code:
            continue
        if line.startswith("## "):
            section = line[3:].strip()
        yield ProseLine(section, number, line, block)


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
