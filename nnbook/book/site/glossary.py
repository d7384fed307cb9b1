"""A bilingual glossary generated from the chapters: English term → Chinese term → first use.

The chapters introduce a term once, in bold with the source's Chinese term in parentheses:
``**perceptron (感知机)**`` (or ``**Sequential** (序贯模型)``). This module collects those,
and only those, so the glossary is never written twice. The same English term may carry
different Chinese terms in different sources (感知机 in Nielsen's translation, 感知器 in Gulli &
Pal's): each pair is listed with the chapter and section where it first appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nnbook.book.site.chapter_text import ChapterFile, prose_lines, section_anchor

_CJK = "\u4e00-\u9fff"
#: ``**English (中文)**`` or ``**English** (中文)``; the parentheses must hold a Chinese character.
_TERM = re.compile(
    rf"\*\*(?P<inside>[^*\n(]+?)\s*\((?P<zh_in>[^()\n]*[{_CJK}][^()\n]*)\)\*\*"
    rf"|\*\*(?P<outside>[^*\n]+?)\*\*\s*\((?P<zh_out>[^()\n]*[{_CJK}][^()\n]*)\)")


@dataclass(frozen=True)
class Term:
    """One English–Chinese pair at its first use."""

    english: str          # as the chapter writes it, with any abbreviation: "multilayer perceptrons (MLP)"
    chinese: str
    chapter: ChapterFile
    section: str          # the ``## `` section of first use

    @property
    def key(self) -> tuple[str, str]:
        """Pairs that differ only in case, plural or an abbreviation are one entry:
        "Activation functions" is "activation function", "ANN" or not."""
        words = re.sub(r"\s*\([^)]*\)", "", self.english).casefold().split()
        if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
            words[-1] = words[-1][:-1]
        return " ".join(words), self.chinese


def terms_in(chapter: ChapterFile) -> list[Term]:
    """Every bold English (中文) pair in ``chapter``'s prose, in order of appearance."""
    found = []
    for line in prose_lines(chapter.path.read_text(encoding="utf-8")):
        for match in _TERM.finditer(line.text):
            english = (match.group("inside") or match.group("outside")).strip()
            chinese = match.group("zh_in") or match.group("zh_out")
            found.append(_term(english, chinese, chapter, line.section))
    return found


def _term(english: str, parenthesis: str, chapter: ChapterFile, section: str) -> Term:
    """Split ``人工神经网络, ANN`` into the Chinese term and an abbreviation kept with the English."""
    parts = [part.strip() for part in re.split(r"[,，;；]", parenthesis) if part.strip()]
    chinese = "；".join(part for part in parts if re.search(f"[{_CJK}]", part))
    others = [part for part in parts if not re.search(f"[{_CJK}]", part)]
    if others:
        english = f"{english} ({', '.join(others)})"
    return Term(english, chinese, chapter, section)


def glossary(chapters: Iterable[ChapterFile]) -> list[Term]:
    """The first use of every English–Chinese pair over ``chapters`` (in chapter order), sorted
    by English term."""
    first: dict[tuple[str, str], Term] = {}
    for chapter in sorted(chapters, key=lambda c: c.number):
        for term in terms_in(chapter):
            first.setdefault(term.key, term)
    return sorted(first.values(), key=lambda t: (t.english.casefold(), t.chapter.number))


def glossary_page(terms: list[Term], chapters_folder: str = "chapters") -> str:
    """The glossary as a MyST page: one table row per pair, linking to the section of first use."""
    lines = ["# Glossary 术语表", "",
             "Every term the chapters introduce, with the Chinese term their source uses and where "
             "it first appears. Generated from the chapters (a bold *term (中文)* at first use).",
             "", "| English | 中文 | first use |", "|---|---|---|"]
    for term in terms:
        target = f"{chapters_folder}/{term.chapter.page}.md"
        anchor = section_anchor(term.section) if term.section else ""
        where = f"Ch. {term.chapter.number}" + (f", §{term.section}" if term.section else "")
        link = f"[{_cell(where)}]({target}{'#' + anchor if anchor else ''})"
        lines.append(f"| {_cell(term.english)} | {_cell(term.chinese)} | {link} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell and a link label."""
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
