"""Every chapter notebook (chapters/*.md, MyST via jupytext) runs top to bottom, silently on stderr,
and opens with the mapping table from source sections to notebook sections."""

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]   # tests/chapters/ → the repository root
CHAPTERS_DIR = ROOT / "chapters"
CATALOG = ROOT / "exercises" / "catalog.csv"
CHAPTERS = sorted(CHAPTERS_DIR.glob("*.md"))

#: The source sections each chapter's mapping table must name (from the source inventories).
REQUIRED_SECTIONS = {
    "01-nielsen-perceptrons-to-sgd.md": ["§1.1", "§1.2", "§1.3", "§1.4", "§1.5", "§1.6"],
    "02-chen-neural-networks.md": [f"§15.{k}" for k in range(1, 17)],
}

pytestmark = pytest.mark.slow


def _mapping_table(text: str) -> list[str]:
    """The first markdown table of the notebook (its rows), after the YAML header."""
    body = text.split("---", 2)[2] if text.startswith("---") else text
    rows, started = [], False
    for line in body.splitlines():
        if line.startswith("```"):  # a code cell before any table: no opening table
            if not started:
                return []
        if line.lstrip().startswith("|"):
            rows.append(line)
            started = True
        elif started:
            break
    return rows


def test_there_is_a_chapter():
    assert CHAPTERS, f"no chapters/*.md found in {CHAPTERS_DIR}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_lists_the_sections_its_table_must_cover(path):
    """A new chapter cannot skip the section check by being absent from REQUIRED_SECTIONS."""
    assert REQUIRED_SECTIONS.get(path.name), \
        f"{path.name}: add the source sections its mapping table must name to REQUIRED_SECTIONS"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_section_of_each_source_section_exists(path):
    """Every row of the mapping table points to a notebook section heading that exists."""
    text = path.read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("## ")]
    for row in _mapping_table(text)[2:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        number = cells[1].split()[0]
        assert any(h.split()[0] == number for h in headings), \
            f"{path.name}: the mapping table names notebook section {cells[1]!r}, no '## {number} …' heading"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_opens_with_mapping_table(path):
    rows = _mapping_table(path.read_text(encoding="utf-8"))
    assert len(rows) >= 3, f"{path.name}: expected a mapping table before the first code cell"
    header = rows[0].lower()
    for column in ("source", "notebook", "nnbook", "exercise"):
        assert column in header, f"{path.name}: mapping table header lacks a {column!r} column: {rows[0]}"
    table = "\n".join(rows)
    for section in REQUIRED_SECTIONS.get(path.name, []):
        assert re.search(re.escape(section) + r"(?!\d)", table), \
            f"{path.name}: the mapping table does not mention {section}"


def _source_id(path: Path):
    return _read(path).metadata.get("nnbook", {}).get("source")


def _read(path: Path):
    """The chapter as a notebook, parsed as MyST (so a header slip cannot turn code into text)."""
    import jupytext

    notebook = jupytext.read(path, fmt="md:myst")
    assert any(cell.cell_type == "code" for cell in notebook.cells), \
        f"{path.name}: no code cells found when read as a MyST notebook"
    return notebook


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_mapping_table_lists_every_catalogued_exercise(path):
    """The table's exercise column names every exercise the catalog has for this chapter's source."""
    if not CATALOG.is_file():
        pytest.skip("exercises/catalog.csv does not exist yet")
    source = _source_id(path)
    assert source, f"{path.name}: expected nnbook.source in the notebook metadata"
    with CATALOG.open(encoding="utf-8", newline="") as handle:
        ids = [row["exercise_id"] for row in csv.DictReader(handle) if row["source"] == source]
    table = "\n".join(_mapping_table(path.read_text(encoding="utf-8")))
    missing = [i for i in ids if not re.search(r"(?<![\w-])" + re.escape(i) + r"(?![\w-])", table)]
    assert not missing, f"{path.name}: the mapping table does not list the catalogued exercises {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_executes_without_errors_or_stderr(path, monkeypatch):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = _read(path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NNBOOK_FULL", raising=False)
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(CHAPTERS_DIR)}})
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell raised:\n{error}")
    noisy = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                noisy.append(f"cell {index}:\n{cell.source[:200]}\n--- stderr ---\n{output.get('text', '')}")
    assert not noisy, f"{path.name}: cells wrote to stderr:\n" + "\n\n".join(noisy)
