"""The source notes — where a source is wrong or unclear — gathered into an index of their own.

Each chapter flags a source's errors where they occur, in admonitions titled
``Source note — …`` or ``Source notes — …``. The index repeats each note's text under its
chapter, with a link back to the section it stands in; nothing is written twice by hand.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nnbook.book.site.chapter_text import ChapterFile, prose_lines, section_anchor

_TITLE = re.compile(r"^```\{admonition\}\s*(Source notes? — .+)$")


@dataclass(frozen=True)
class SourceNote:
    """One source-note admonition: its title, its markdown body and where it stands."""

    title: str
    body: str
    chapter: ChapterFile
    section: str


def notes_in(chapter: ChapterFile) -> list[SourceNote]:
    """The source notes of ``chapter`` in order."""
    notes = []
    lines = prose_lines(chapter.path.read_text(encoding="utf-8"))
    for block, group in itertools.groupby(lines, key=lambda line: line.block):
        opening = _TITLE.match(block)
        if opening:
            group = list(group)
            notes.append(SourceNote(opening.group(1), _body([line.text for line in group]),
                                    chapter, group[0].section))
    return notes


def _body(lines: list[str]) -> str:
    """The admonition's body without its ``:class:``-style options."""
    return "\n".join(line for line in lines if not re.match(r"^:\w+:", line)).strip()


def source_notes_page(chapters: Iterable[ChapterFile], chapters_folder: str = "chapters") -> str:
    """All source notes as a MyST page, chapter by chapter."""
    lines = ["# Source notes", "",
             "Where a source is wrong, ambiguous or garbled, the chapter says so where it happens "
             "and implements the correct version. This page collects those notes, chapter by "
             "chapter, each with a link to the section it belongs to.", ""]
    for chapter in sorted(chapters, key=lambda c: c.number):
        notes = notes_in(chapter)
        lines += [f"## {chapter.title}", "", f"{len(notes)} notes.", ""]
        for note in notes:
            target = f"{chapters_folder}/{chapter.page}.md"
            where = f"§{note.section}" if note.section else "the opening"
            anchor = f"#{section_anchor(note.section)}" if note.section else ""
            lines += [f"### {note.title.split(' — ', 1)[1]}", "",
                      f"*In [{where}]({target}{anchor}).*", "", note.body, ""]
    return "\n".join(lines) + "\n"
