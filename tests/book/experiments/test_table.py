"""The source's table beside nnbook's (``nnbook.book.experiments.table``)."""

from types import SimpleNamespace

from nnbook.book.experiments.table import SourceRow, TableRun, format_rows, table_rows


def _outcome(train, validation, test, epochs, seconds):
    return SimpleNamespace(train=train, validation=validation, test=test, epochs=epochs,
                           seconds=seconds)


def test_each_cell_shows_the_source_then_nnbook():
    runs = [TableRun("R1", "V1 simple, SGD", "config", SourceRow(0.9236, 0.9227, 0.9222, 200),
                     "'a section'"),
            TableRun("R9", "not in the source", "other", None, "")]
    outcomes = {"R1": _outcome(0.85, 0.84, 0.8312, 50, 12.34),
                "R9": _outcome(0.5, 0.5, 0.5, 1, 0.01)}
    first, second = table_rows(runs, outcomes)
    assert first == {"id": "R1", "label": "V1 simple, SGD", "epochs": "200 / 50",
                     "train": "92.36% / 85.00%", "validation": "92.27% / 84.00%",
                     "test": "92.22% / 83.12%", "seconds": "12.3"}
    assert second["test"] == "— / 50.00%" and second["epochs"] == "— / 1"
    text = format_rows(runs, outcomes, width=100)
    assert text.splitlines()[0].split() == ["run", "configuration", "epochs", "train",
                                            "validation", "test", "seconds"]
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "92.22% / 83.12%" in text
