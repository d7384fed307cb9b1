"""SGD training (Nielsen §1.5 eqs. (20)–(21), §1.6 beyond the cut) on the offline digits."""

import numpy as np
import pytest

from nnbook.data import load_digits
from nnbook.models.network import Network
from nnbook.models.network import sgd


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_digit_network_reaches_93_percent_with_a_fixed_seed(digits):
    rng = np.random.default_rng(0)
    net = Network((64, 30, 10), rng=rng)
    history = sgd(net, digits.X_train, digits.y_train, epochs=30, batch_size=10, eta=3.0, rng=rng,
                  test=(digits.X_test, digits.y_test), progress=False)
    assert len(history) == 30 and [r["epoch"] for r in history] == list(range(1, 31))
    assert history[-1]["test_accuracy"] >= 0.93
    assert history[-1]["cost"] < history[0]["cost"]


def test_progress_bar_goes_to_stdout_and_can_be_silenced(digits, capfd):
    X, y = digits.X_train[:100], digits.y_train[:100]
    sgd(Network((64, 5, 10), rng=0), X, y, epochs=2, batch_size=10, eta=1.0, rng=0, progress=True)
    out, err = capfd.readouterr()
    assert "epochs" in out and err == ""
    sgd(Network((64, 5, 10), rng=0), X, y, epochs=2, batch_size=10, eta=1.0, rng=0, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_same_seed_same_result(digits):
    X, y = digits.X_train[:200], digits.y_train[:200]
    runs = []
    for _ in range(2):
        net = Network((64, 8, 10), rng=3)
        sgd(net, X, y, epochs=2, batch_size=7, eta=2.0, rng=4, progress=False)
        runs.append(net.parameters)
    assert np.array_equal(*runs)


@pytest.mark.parametrize("kwargs,message", [
    (dict(kernel="cuda"), "kernel"),
    (dict(batch_size=0), "batch_size"),
    (dict(eta=-1.0), "eta"),
    (dict(epochs=1.5), "epochs"),
])
def test_bad_arguments(digits, kwargs, message):
    args = dict(epochs=1, batch_size=10, eta=1.0, rng=0, progress=False) | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        sgd(Network((64, 5, 10), rng=0), digits.X_train[:20], digits.y_train[:20], **args)


def test_bad_data(digits):
    net = Network((64, 5, 10), rng=0)
    with pytest.raises(ValueError, match="expected 64 columns"):
        sgd(net, np.zeros((5, 10)), np.zeros(5, int), epochs=1, batch_size=2, eta=1.0, rng=0)
    with pytest.raises(ValueError, match=r"classes 0 … 9"):
        sgd(net, np.zeros((5, 64)), np.full(5, 12), epochs=1, batch_size=2, eta=1.0, rng=0)
    with pytest.raises(ValueError, match="finite"):
        sgd(net, np.full((5, 64), np.nan), np.zeros(5, int), epochs=1, batch_size=2, eta=1.0, rng=0)
    with pytest.raises(ValueError, match="rows"):
        sgd(net, np.zeros((5, 64)), np.zeros(4, int), epochs=1, batch_size=2, eta=1.0, rng=0)
