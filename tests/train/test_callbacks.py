"""nnbook.train.callbacks: early stopping (陈强 §15.9, figure 15.13)."""

from nnbook.train.callbacks import EarlyStopping


def test_early_stopping_rule_on_a_u_shaped_curve():
    stopper = EarlyStopping(patience=2)
    curve = [5.0, 4.0, 3.0, 2.5, 2.6, 2.7, 2.8, 3.0]
    stops = [stopper.update(epoch, value) for epoch, value in enumerate(curve, start=1)]
    assert stopper.best_epoch == 4 and stopper.best == 2.5
    assert stops.index(True) == 6                                # epoch 7: third epoch without gain
