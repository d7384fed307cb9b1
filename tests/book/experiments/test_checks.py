"""Orderings and bands (``nnbook.book.experiments.checks``)."""

from nnbook.book.experiments.checks import band, ordering, percent


def test_percent_shows_two_decimals():
    assert percent(0.92224) == "92.22%" and percent(1.0) == "100.00%"


def test_an_ordering_holds_only_when_strictly_better():
    assert ordering("a > b", 0.95, 0.94).held
    assert not ordering("a > b", 0.94, 0.94).held
    check = ordering("a > b", 0.90, 0.94, note="why")
    assert not check.held and check.detail == "90.00% vs 94.00%" and check.note == "why"
    assert check.asserted and not ordering("x", 0.9, 0.8, asserted=False).asserted


def test_a_band_includes_its_ends():
    assert band("in", 0.83, 0.83, 0.86).held and band("in", 0.86, 0.83, 0.86).held
    check = band("in", 0.8299, 0.83, 0.86)
    assert not check.held and check.detail == "82.99% in [83.00%, 86.00%]"
