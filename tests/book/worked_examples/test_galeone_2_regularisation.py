"""nnbook.book.worked_examples.galeone_2_regularisation: the regularisation rows of
``galeone-2`` match, and a wrong count of thinned networks or a dropout that forgets the 1/q
of the inverted scheme turns their rows into mismatches."""

import numpy as np

from nnbook.book.worked_examples import galeone_2_regularisation as regularisation


def test_the_regularisation_rows_match():
    rows = regularisation.regularization_rows()
    assert len(rows) >= 12 and all(r.match is True for r in rows), \
        [r.quantity for r in rows if r.match is not True]


def test_broken_dropout_is_caught(monkeypatch):
    import nnbook.book.demos.galeone_2_regularisation as demos
    from nnbook.functional import dropout

    monkeypatch.setattr(dropout, "thinned_network_count", lambda n: 2 * n)
    monkeypatch.setattr(demos, "dropout_inverted",
                        lambda a, mask, q, training=True: np.asarray(a) * (mask if training
                                                                           else 1.0))
    broken = [r.quantity for r in regularisation.regularization_rows() if r.match is not True]
    assert any("thinned networks" in q for q in broken)
    assert any("inverted dropout: training mean" in q for q in broken)
