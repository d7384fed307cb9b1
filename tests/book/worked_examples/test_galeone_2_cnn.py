"""nnbook.book.worked_examples.galeone_2_cnn: the convolution rows of ``galeone-2`` match, and a
size formula without its "+ 1" turns the three output-size rows and the fully convolutional
net's into mismatches."""

from nnbook.book.worked_examples import galeone_2_cnn


def test_the_convolution_rows_match():
    rows = galeone_2_cnn.convolution_rows()
    assert len(rows) >= 15 and all(r.match is True for r in rows), \
        [r.quantity for r in rows if r.match is not True]


def test_a_broken_output_size_is_caught(monkeypatch):
    from nnbook.functional import convolution

    monkeypatch.setattr(convolution, "conv_output_size",
                        lambda n, k, padding=0, stride=1: (n + 2 * padding - k) // stride)
    broken = [r.quantity for r in galeone_2_cnn.convolution_rows() if r.match is not True]
    assert sum(q.startswith("output side for I =") for q in broken) == 3
    assert any("264×264×3" in q for q in broken)          # the fully convolutional net too
