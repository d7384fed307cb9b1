"""Gulli & Pal ch. 1's experiment table (``nnbook.book.experiments.gulli_1``): the book's
programs, the runs R1–R6 and their --quick epochs, what is asserted where, and the sweeps."""

from types import SimpleNamespace

import pytest

from nnbook.book.experiments import gulli_1 as g


@pytest.mark.parametrize("variant, params", [("simple", 7_850), ("hidden", 118_282),
                                             ("dropout", 118_282)])
def test_the_books_programs_have_the_books_parameter_counts(variant, params):
    model = g.build_model(g.Config(variant), 784)
    assert model.count_params() == params
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Dropout") == (2 if variant == "dropout" else 0)
    assert model.dtype.name == "float32" and kinds[-1] == "Activation"


def test_the_optimiser_and_its_learning_rate_are_the_configs():
    from nnbook.keras.optimizers import Adam, RMSprop

    assert isinstance(g.build_model(g.Config("dropout", "RMSprop"), 8).optimizer, RMSprop)
    adam = g.build_model(g.Config("dropout", "Adam", learning_rate=0.01), 8).optimizer
    assert isinstance(adam, Adam) and adam.learning_rate == 0.01
    assert g.build_model(g.Config("simple"), 8).optimizer.learning_rate == 0.01  # SGD()'s


def test_the_same_seed_builds_the_same_weights_and_another_seed_others():
    import numpy as np

    a, b, c = (g.build_model(g.Config("hidden"), 16, seed) for seed in (1671, 1671, 1))
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_labels_name_what_differs_from_the_books_settings():
    assert g.Config("simple", epochs=200).label() == "V1 simple, SGD"
    assert g.Config("dropout", "Adam").label() == "V3 dropout 0.3, Adam"
    assert (g.Config("dropout", "Adam", learning_rate=0.003, n_hidden=512, batch_size=32).label()
            == "V3 dropout 0.3, 512 hidden, Adam lr 0.003, batch 32")


def test_r1_to_r6_carry_the_sources_numbers_and_quick_takes_a_quarter_of_the_epochs():
    runs = g.table_runs()
    assert [r.id for r in runs] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert [r.config.epochs for r in runs] == [200, 20, 20, 250, 20, 20]
    assert [r.source.test for r in runs] == pytest.approx([0.9222, 0.9441, 0.9425, 0.9770, 0.9784,
                                                           0.9793])
    assert runs[0].source.validation == pytest.approx(0.9227) and "92.37" in runs[0].source.note
    assert all(r.section.startswith("§'") for r in runs)
    assert "200" in runs[3].source.note               # the summary table's epochs for R4
    assert [r.config.epochs for r in g.table_runs(quick=True)] == [50, 5, 5, 62, 5, 5]
    assert {r.config.batch_size for r in runs} == {128}


def _outcomes(**tests):
    """Fake outcomes: R1–R6 with the given test accuracies (train 0.5 below, so R3's gap holds)."""
    epochs = dict(zip(("R1", "R2", "R3", "R4", "R5", "R6"), (200, 20, 20, 250, 20, 20)))
    return {k: SimpleNamespace(test=v, train=v - 0.5, epochs=epochs[k]) for k, v in tests.items()}


BOOK_LIKE = _outcomes(R1=0.92, R2=0.94, R3=0.92, R4=0.97, R5=0.975, R6=0.98)


def test_on_mnist_the_books_orderings_and_its_numbers_within_the_tolerance_are_asserted():
    checks = g.table_checks(BOOK_LIKE, "mnist", quick=False)
    assert all(check.asserted for check in checks)
    orderings, bands = checks[:len(g.ORDERINGS)], checks[len(g.ORDERINGS):]
    assert all(check.held for check in orderings)
    assert [c.held for c in bands] == [True, True, False, True, True, True]   # R3: 92% vs 94.25%
    assert "[90.72%, 93.72%]" in bands[0].detail and "± 1.5 points" in bands[0].note
    worse = dict(BOOK_LIKE, R2=SimpleNamespace(test=0.91, train=0.4, epochs=20))
    assert not g.table_checks(worse, "mnist", quick=False)[0].held


def test_where_an_ordering_is_reversed_the_opposite_is_asserted(monkeypatch):
    monkeypatch.setitem(g.EXPECTATIONS, ("somewhere", False), {"hidden": (g.REVERSED, "why")})
    monkeypatch.setattr(g, "bands", lambda name, quick: ({}, ""))
    first = g.table_checks(BOOK_LIKE, "somewhere", quick=False)[0]
    assert first.text.startswith("the book's ordering reversed here (V2 beats V1")
    assert "R1 test (200 epochs) > R2 test (20 epochs)" in first.text and first.note == "why"
    assert not first.held                              # V2 beat V1 after all: the check fails


def test_on_unknown_data_the_hidden_layer_ordering_is_only_reported():
    checks = g.table_checks(BOOK_LIKE, "mnist-format", quick=True)
    assert [c.asserted for c in checks] == [False, True, True, True, True]
    assert "not measured" in checks[0].note and len(checks) == len(g.ORDERINGS)   # no bands


def test_every_stated_band_is_an_interval_around_the_runs():
    for (name, quick), stated in g.BANDS.items():
        assert sorted(stated) == ["R1", "R2", "R3", "R4", "R5", "R6"], (name, quick)
        assert all(0 < low < high < 1 for low, high in stated.values())
        assert g.BAND_NOTES[(name, quick)]
    assert {("fashion-mnist", False), ("fashion-mnist", True), ("digits", False),
            ("digits", True)} <= set(g.BANDS)


def test_the_sweeps_vary_one_setting_of_r6_each():
    r6 = g.Config("dropout", "Adam")
    sweeps = {s.id: s for s in g.sweeps()}
    assert list(sweeps) == ["R7", "R8", "R9", "R10", "R11"]
    for sweep in sweeps.values():
        assert sweep.claim and sweep.section.startswith("§'")
        if not sweep.along_epochs:
            assert r6 in [config for _, config in sweep.points], sweep.id   # R6 is reused
    assert sweeps["R9"].source_best == 0.001 and sweeps["R11"].source_best == 128
    assert [v for v, _ in sweeps["R8"].points] == [20, 50, 100, 150, 200]
    assert {c.epochs for _, c in sweeps["R8"].points} == {200}
    assert sweeps["R10"].seconds
    quick = {s.id: s for s in g.sweeps(quick=True)}
    assert all(len(s.points) == 3 for s in quick.values())
    assert all(c.epochs == 5 for s in quick.values() if not s.along_epochs for _, c in s.points)
