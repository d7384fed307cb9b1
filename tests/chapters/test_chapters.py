"""Every chapter notebook (chapters/*.md, MyST via jupytext) runs top to bottom, silently on stderr,
opens with the mapping table from source sections to notebook sections (whose nnbook names
exist), and cites what a reader can look up (no source-file line numbers, no inventory codes)."""

import csv
import re
from pathlib import Path

import pytest

from nnbook.book.mapping_table import mapping_table, table_cells, unresolved_names
from nnbook.book.worked_examples import galeone_2, gulli_1

ROOT = Path(__file__).resolve().parents[2]   # tests/chapters/ → the repository root
CHAPTERS_DIR = ROOT / "chapters"
CATALOG = ROOT / "exercises" / "catalog.csv"
CHAPTERS = sorted(CHAPTERS_DIR.glob("*.md"))

#: The source sections each chapter's mapping table must name (from the source inventories).
REQUIRED_SECTIONS = {
    "01-nielsen-perceptrons-to-sgd.md": ["§1.1", "§1.2", "§1.3", "§1.4", "§1.5", "§1.6"],
    "02-chen-neural-networks.md": [f"§15.{k}" for k in range(1, 17)],
    # Gulli & Pal's chapter has no numbered sections: its section titles, as the map cites them
    "03-gulli-keras-mnist.md": [f"§'{title}'" for title in gulli_1.SECTIONS],
    # 《深度学习与神经网络》第5章: every numbered section and subsection, §5.1 … §5.5.3
    "05-dlnn-cnn-rnn-lstm.md": ["§5.1", "§5.1.1", "§5.1.2", "§5.1.3", "§5.2"]
    + [f"§5.2.{k}" for k in range(1, 9)] + ["§5.3"] + [f"§5.3.{k}" for k in range(1, 5)]
    + ["§5.4", "§5.4.1", "§5.4.2", "§5.4.3", "§5.5", "§5.5.1", "§5.5.2", "§5.5.3"],
    # Galeone's chapter has no numbered sections either: its section titles, as the map cites them
    "04-galeone-neural-networks-deep-learning.md": [f"§'{title}'" for title in galeone_2.SECTIONS],
}

pytestmark = pytest.mark.slow


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
    for row in mapping_table(text)[2:]:
        cells = table_cells(row)
        number = cells[1].split()[0]
        assert any(h.split()[0] == number for h in headings), \
            f"{path.name}: the mapping table names notebook section {cells[1]!r}, no '## {number} …' heading"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_opens_withmapping_table(path):
    rows = mapping_table(path.read_text(encoding="utf-8"))
    assert len(rows) >= 3, f"{path.name}: expected a mapping table before the first code cell"
    header = rows[0].lower()
    for column in ("source", "notebook", "nnbook", "exercise"):
        assert column in header, f"{path.name}: mapping table header lacks a {column!r} column: {rows[0]}"
    table = "\n".join(rows)
    for section in REQUIRED_SECTIONS.get(path.name, []):
        assert re.search(re.escape(section) + r"(?!\d)", table), \
            f"{path.name}: the mapping table does not mention {section}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_mapping_table_names_exist_in_nnbook(path):
    """Every name in the table's nnbook column is a real module, class, function or method."""
    rows = mapping_table(path.read_text(encoding="utf-8"))[2:]
    assert rows, f"{path.name}: no mapping table rows"
    missing = {}
    for row in rows:
        cells = table_cells(row)
        bad = unresolved_names(cells[2])
        if bad:
            missing[cells[0]] = bad
    assert not missing, f"{path.name}: mapping table names that nnbook does not have: {missing}"


def test_name_resolution_can_fail():
    """The resolver is not a rubber stamp."""
    assert unresolved_names("`layers.Dense`, `functional.activations.sigmoid`, `sigmoid_prime`, "
                          "`models.sequential.Sequential.compile`, `fit`, `.summary`") == []
    assert unresolved_names("`layers.Dense`, `layers.NoSuchLayer`, `no_such_function`") == \
        ["layers.NoSuchLayer", "no_such_function"]
    assert unresolved_names("`network.sgd`, `model.Sequential`") == ["network.sgd", "model.Sequential"]


#: Citations a reader cannot look up: line numbers of the source files ("L774", "L139–L154")
#: and the inventories' item codes (W14, I25, E29, D7, X3, F48). L1/L2 (norms) and LeNet's
#: layer names (C1, S2, F6) are not codes.
UNRESOLVABLE_CITATION = re.compile(r"(?<![\w-])(?:L\d{2,4}|[WIEXD]\d{1,2}|F\d{2})(?![\w-])")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_cites_what_a_reader_can_look_up(path):
    text = path.read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in UNRESOLVABLE_CITATION.finditer(text)})
    assert not found, (f"{path.name}: cite the source's section, equation, figure or page instead "
                       f"of line numbers or inventory codes: {found}")
    assert not UNRESOLVABLE_CITATION.search("LeNet's C1, S2 and F6; an L2 penalty; 2-D")
    assert UNRESOLVABLE_CITATION.search("(L774)") and UNRESOLVABLE_CITATION.search("# W14")


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
    table = "\n".join(mapping_table(path.read_text(encoding="utf-8")))
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
