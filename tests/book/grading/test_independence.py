"""Tests of nnbook.book.grading.independence: a student's function that reaches a forbidden
callable by any route fails, and everything replaced is restored."""

import importlib
import math
import sys
import textwrap

import numpy as np
import pytest

from nnbook.book import grading


@pytest.fixture
def fake_library(tmp_path, monkeypatch):
    """Two small modules whose names start with "nnbook": one defines sigmoid, one imports it."""
    (tmp_path / "nnbook_fake_act.py").write_text(textwrap.dedent("""
        import math

        def sigmoid(z):
            return 1 / (1 + math.exp(-z))

        class Neuron:
            def fire(self, z):
                return sigmoid(z)
    """))
    (tmp_path / "nnbook_fake_user.py").write_text(textwrap.dedent("""
        from nnbook_fake_act import sigmoid as logistic

        def squash(z):
            return logistic(z)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    act = importlib.import_module("nnbook_fake_act")
    user = importlib.import_module("nnbook_fake_user")
    yield act, user
    for module_name in ("nnbook_fake_act", "nnbook_fake_user"):
        sys.modules.pop(module_name, None)


def _student_namespace(source):
    namespace = {"__name__": "student_notebook"}
    exec(textwrap.dedent(source), namespace)
    return namespace


def test_check_independent_returns_result_of_own_code(fake_library):
    act, _ = fake_library
    ns = _student_namespace("""
        import math
        def sigmoid(z, scale=1.0):
            return scale / (1 + math.exp(-z))
    """)
    assert grading.check_independent(ns["sigmoid"], [act.sigmoid], 0.0, scale=2.0) == 1.0


@pytest.mark.parametrize("source", [
    "from nnbook_fake_act import sigmoid\ndef student(z):\n    return sigmoid(z)",
    "from nnbook_fake_act import sigmoid as s\ndef student(z):\n    return s(z)",
    "import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.sigmoid(z)",
    "import nnbook_fake_user\ndef student(z):\n    return nnbook_fake_user.squash(z)",
    "import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.Neuron().fire(z)",
    "import nnbook_fake_act\ndef student(z):\n    try:\n        return nnbook_fake_act.sigmoid(z)\n"
    "    except Exception:\n        return 0.5",
])
def test_check_independent_catches_calls_and_restores(fake_library, source, failure):
    act, user = fake_library
    original = act.sigmoid
    ns = _student_namespace(source)
    message = failure(grading.check_independent, ns["student"], [act.sigmoid], 0.0, name="my_sigmoid")
    assert message.startswith("my_sigmoid: must be written by you, not call nnbook_fake_act.sigmoid")
    assert act.sigmoid is original and user.logistic is original
    assert not any(str(getattr(value, "__doc__", "")).startswith("Unavailable") for value in ns.values())
    assert ns.get("sigmoid", original) is original and ns.get("s", original) is original
    assert act.Neuron().fire(0.0) == 0.5


def test_check_independent_forbidden_method(fake_library, failure):
    act, _ = fake_library
    ns = _student_namespace("import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.Neuron().fire(z)")
    original = act.Neuron.fire
    message = failure(grading.check_independent, ns["student"], act.Neuron.fire, 0.0)
    assert "not call nnbook_fake_act.Neuron.fire" in message
    assert act.Neuron.fire is original


def test_check_independent_forbidden_class(fake_library, failure):
    act, _ = fake_library
    original = act.Neuron
    ns = _student_namespace(
        "import nnbook_fake_act\n"
        "def student(z):\n    return nnbook_fake_act.Neuron().fire(z)\n"
        "def checks_type(z):\n    return isinstance(z, nnbook_fake_act.Neuron)\n")
    message = failure(grading.check_independent, ns["student"], [act.Neuron], 0.0)
    assert "not call nnbook_fake_act.Neuron" in message
    assert grading.check_independent(ns["checks_type"], [act.Neuron], 0.0) is False
    assert act.Neuron is original


def test_check_independent_rejects_the_forbidden_function_itself(fake_library, failure):
    act, _ = fake_library
    assert "is nnbook_fake_act.sigmoid itself" in failure(grading.check_independent, act.sigmoid, [act.sigmoid], 0.0)


def test_check_independent_with_math_exp(failure):
    original = math.exp
    ns = _student_namespace("import math\ndef student(z):\n    return 1 / (1 + math.exp(-z))")
    message = failure(grading.check_independent, ns["student"], [math.exp], 0.0)
    assert "not call math.exp" in message
    assert math.exp is original and math.exp(0.0) == 1.0
    ns = _student_namespace("from math import exp\ndef student(z):\n    return 1 / (1 + exp(-z))")
    assert "not call math.exp" in failure(grading.check_independent, ns["student"], math.exp, 0.0)
    assert ns["exp"] is original
    assert grading.check_independent(lambda z: 1 / (1 + np.exp(-z)), [math.exp], 0.0) == 0.5


def test_check_independent_restores_after_other_errors(fake_library):
    act, _ = fake_library
    original = act.sigmoid

    def broken(z):
        raise KeyError("student bug")

    with pytest.raises(KeyError):
        grading.check_independent(broken, [act.sigmoid], 0.0)
    assert act.sigmoid is original


def test_check_independent_with_nnbook_activations(failure):
    activations = pytest.importorskip("nnbook.functional.activations")
    original = activations.sigmoid
    ns = _student_namespace("from nnbook.functional.activations import sigmoid\ndef student(z):\n    return sigmoid(z)")
    message = failure(grading.check_independent, ns["student"], [activations.sigmoid], 0.0)
    assert "must be written by you, not call nnbook.functional.activations.sigmoid" in message
    assert activations.sigmoid is original
    own = _student_namespace("import numpy as np\ndef student(z):\n    return 1 / (1 + np.exp(-z))")
    result = grading.check_independent(own["student"], [activations.sigmoid], np.array([0.0, 100.0]))
    np.testing.assert_allclose(result, [0.5, 1.0])


@pytest.mark.parametrize("route", [
    "import nnbook.models.perceptron\ndef student(z):\n    return nnbook.models.perceptron.sigmoid(z)",
    "from nnbook.models import perceptron\ndef student(z):\n    return perceptron.sigmoid(z)",
    "import nnbook.functional\ndef student(z):\n    return nnbook.functional.activations.sigmoid(z)",
])
def test_check_independent_scans_every_nnbook_subpackage(failure, route):
    """The scan covers modules at any depth (nnbook.models.perceptron imports sigmoid by name)."""
    activations = pytest.importorskip("nnbook.functional.activations")
    pytest.importorskip("nnbook.models.perceptron")
    original = activations.sigmoid
    ns = _student_namespace(route)
    message = failure(grading.check_independent, ns["student"], [activations.sigmoid], 0.0, name="sigmoid")
    assert "not call nnbook.functional.activations.sigmoid" in message
    assert activations.sigmoid is original
    import nnbook.models.perceptron as perceptron_module

    assert perceptron_module.sigmoid is original


def test_check_independent_refuses_a_numba_twin_reached_through_its_reference(failure):
    """A forbidden Numba kernel (nnbook.kernels) is refused also when the functional API calls it."""
    kernels = pytest.importorskip("nnbook.kernels.pooling")
    pooling = pytest.importorskip("nnbook.functional.pooling")
    original = kernels.max_pool2d_forward
    ns = _student_namespace("import numpy as np\nimport nnbook.functional.pooling as P\n"
                            "def student(F):\n    return P.max_pool2d_forward(np.asarray(F, float)[None, None], 2)")
    message = failure(grading.check_independent, ns["student"], [kernels.max_pool2d_forward], np.ones((4, 4)),
                      name="max_pool")
    assert "not call nnbook.kernels.pooling.max_pool2d_forward" in message
    assert kernels.max_pool2d_forward is original
    pooled, _argmax = pooling.max_pool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), 2)  # restored: works again
    np.testing.assert_array_equal(pooled[0, 0], [[5, 7], [13, 15]])
