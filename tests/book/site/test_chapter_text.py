"""Chapters as text: front matter, prose by section, anchors; glossary and source notes from them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from nnbook.book.site.chapter_text import (
    find_chapters,
    heading_slug,
    prose_lines,
    read_chapter,
    section_anchor,
)
from nnbook.book.site.glossary import glossary, glossary_page, terms_in
from nnbook.book.site.source_notes import notes_in, source_notes_page

REPO = Path(__file__).resolve().parents[3]

CHAPTER = textwrap.dedent("""\
    ---
    jupytext:
      text_representation:
        format_name: myst
    nnbook:
      source: gulli-1
      chapter: 3
    ---

    # Chapter 3 — A test chapter

    The **perceptron (感知器)** opens; a quoted (一句话) is plain text.

    ## 1 First `section`

    A **multilayer perceptron (多层感知器, MLP)** and **Sequential** (序贯模型).

    ```{code-cell} ipython3
    label = "**not a term (代码)**"
    ```

    ```{admonition} Source note — a slip (§'First')
    The source writes **recall (召回率)** for precision.
    ```

    ## 2 Second

    The **perceptron (感知器)** again, and **perceptron (感知机)** as another source says.
    **Multilayer perceptrons (多层感知器)** in the plural, without the abbreviation.

    ```{admonition} Source notes — two slips
    - one
    - two
    ```
    """)


@pytest.fixture
def chapter(tmp_path):
    path = tmp_path / "03-test.md"
    path.write_text(CHAPTER, encoding="utf-8")
    return read_chapter(path)


def test_front_matter_names_source_number_and_title(chapter, tmp_path):
    assert (chapter.source, chapter.number, chapter.page) == ("gulli-1", 3, "03-test")
    assert chapter.title == "Chapter 3 — A test chapter"
    (tmp_path / "notes.md").write_text("# no front matter\n", encoding="utf-8")
    with pytest.raises(ValueError, match="front matter"):
        read_chapter(tmp_path / "notes.md")
    assert find_chapters(tmp_path) == [chapter]          # notes.md is skipped


def test_the_repository_chapters_are_found_in_order():
    chapters = find_chapters(REPO / "chapters")
    assert [c.number for c in chapters] == sorted(c.number for c in chapters)
    assert [c.source for c in chapters][:3] == ["nielsen-1", "chen-15", "gulli-1"]


def test_prose_skips_code_cells_and_keeps_admonition_bodies(chapter):
    lines = list(prose_lines(chapter.path.read_text(encoding="utf-8")))
    texts = [line.text for line in lines]
    assert not any("not a term" in text for text in texts)           # inside a code cell
    assert not any(text.startswith("jupytext") for text in texts)    # front matter
    recall = next(line for line in lines if "recall" in line.text)
    assert recall.section == "1 First `section`"
    assert recall.block.startswith("```{admonition} Source note — a slip")


def test_anchors_follow_githubs_slug_rule():
    assert heading_slug("1 Perceptrons (§1.1)") == "1-perceptrons-11"
    assert heading_slug("Glossary 术语表") == "glossary-术语表"
    assert section_anchor("1 First `section`") == "1-first-section"
    assert section_anchor("9 The first network: V1") == "9-the-first-network-v1"


def test_glossary_takes_bold_terms_with_chinese_only(chapter):
    terms = [(t.english, t.chinese, t.section) for t in terms_in(chapter)]
    assert terms == [
        ("perceptron", "感知器", ""),
        ("multilayer perceptron (MLP)", "多层感知器", "1 First `section`"),
        ("Sequential", "序贯模型", "1 First `section`"),
        ("recall", "召回率", "1 First `section`"),
        ("perceptron", "感知器", "2 Second"),
        ("perceptron", "感知机", "2 Second"),
        ("Multilayer perceptrons", "多层感知器", "2 Second"),
    ]


def test_glossary_keeps_the_first_use_of_each_pair_sorted(chapter):
    """Case, a plural and an abbreviation do not make a new entry; another Chinese term does."""
    entries = glossary([chapter])
    assert [(t.english, t.chinese, t.section) for t in entries] == [
        ("multilayer perceptron (MLP)", "多层感知器", "1 First `section`"),
        ("perceptron", "感知器", ""),
        ("perceptron", "感知机", "2 Second"),
        ("recall", "召回率", "1 First `section`"),
        ("Sequential", "序贯模型", "1 First `section`"),
    ]
    page = glossary_page(entries)
    assert "| perceptron | 感知机 | [Ch. 3, §2 Second](chapters/03-test.md#2-second) |" in page
    assert "| perceptron | 感知器 | [Ch. 3](chapters/03-test.md) |" in page


def test_glossary_of_the_real_chapters_spans_every_chapter():
    chapters = find_chapters(REPO / "chapters")
    entries = glossary(chapters)
    assert {t.chapter.number for t in entries} == {c.number for c in chapters}
    pairs = {(t.english, t.chinese) for t in entries}
    assert ("perceptron", "感知机") in pairs and ("perceptron", "感知器") in pairs
    assert all(t.english and t.chinese for t in entries)


def test_source_notes_are_collected_with_their_bodies(chapter):
    notes = notes_in(chapter)
    assert [(n.title, n.section) for n in notes] == [
        ("Source note — a slip (§'First')", "1 First `section`"),
        ("Source notes — two slips", "2 Second")]
    assert notes[1].body == "- one\n- two"
    page = source_notes_page([chapter])
    assert "### a slip (§'First')" in page
    assert "*In [§2 Second](chapters/03-test.md#2-second).*" in page


def test_every_source_note_of_the_real_chapters_is_indexed():
    for chapter in find_chapters(REPO / "chapters"):
        written = chapter.path.read_text(encoding="utf-8").count("```{admonition} Source note")
        assert len(notes_in(chapter)) == written > 0
