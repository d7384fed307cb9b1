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
    """Two small modules whose names start with "nnbook": one defines sigmoid (decorated as nnbook's
    activations are: a closure over the formula, which stays reachable as ``.unchecked``) and a
    class Neuron, the other imports sigmoid under another name."""
    (tmp_path / "nnbook_fake_act.py").write_text(textwrap.dedent("""
        import functools
        import math

        def checks_z(formula):
            @functools.wraps(formula)
            def checked(z, *args, **kwargs):
                return formula(float(z), *args, **kwargs)

            checked.unchecked = formula
            return checked

        @checks_z
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


# -- every route to a forbidden function or class is refused ---------------------------------
_DODGES = {
    "default argument": "import nnbook_fake_act\n"
                        "def student(z, f=nnbook_fake_act.sigmoid):\n    return f(z)",
    "registry dict": "import nnbook_fake_act\nREGISTRY = {'sigmoid': nnbook_fake_act.sigmoid}\n"
                     "def student(z):\n    return REGISTRY['sigmoid'](z)",
    "wrapper class": "import nnbook_fake_act\n"
                     "class Holder:\n    def __init__(self):\n        self.f = nnbook_fake_act.sigmoid\n"
                     "HOLDER = Holder()\n"
                     "def student(z):\n    return HOLDER.f(z)",
    "wrapper class attribute": "import nnbook_fake_act\n"
                               "class Holder:\n    f = staticmethod(nnbook_fake_act.sigmoid)\n"
                               "def student(z):\n    return Holder.f(z)",
    "functools.partial": "import functools, nnbook_fake_act\n"
                         "SIG = functools.partial(nnbook_fake_act.sigmoid)\n"
                         "def student(z):\n    return SIG(z)",
    "alias": "import nnbook_fake_act\nmine = nnbook_fake_act.sigmoid\n"
             "def student(z):\n    return mine(z)",
    "from-import-as": "from nnbook_fake_act import sigmoid as logistic\n"
                      "def student(z):\n    return logistic(z)",
    "lambda closure": "import nnbook_fake_act\n"
                      "student = (lambda f: lambda z: f(z))(nnbook_fake_act.sigmoid)",
    "decorator's wrapped function": "import nnbook_fake_act\n"
                                    "def student(z):\n    return nnbook_fake_act.sigmoid.__wrapped__(z)",
    "decorator's attribute": "import nnbook_fake_act\n"
                             "def student(z):\n    return nnbook_fake_act.sigmoid.unchecked(z)",
    "a tuple kept from import time": "import nnbook_fake_act\nKEPT = (nnbook_fake_act.sigmoid,)\n"
                                     "def student(z):\n    return KEPT[0](z)",
}


@pytest.mark.parametrize("dodge", sorted(_DODGES))
def test_check_independent_refuses_every_route_to_a_function(fake_library, dodge, failure):
    act, _ = fake_library
    original, code = act.sigmoid, act.sigmoid.__code__
    ns = _student_namespace(_DODGES[dodge])
    message = failure(grading.check_independent, ns["student"], [act.sigmoid], 0.0, name="my_sigmoid")
    assert message.startswith("my_sigmoid: must be written by you, not call nnbook_fake_act.sigmoid")
    assert act.sigmoid is original and act.sigmoid.__code__ is code and act.sigmoid(0.0) == 0.5
    assert ns["student"](0.0) == 0.5  # outside the check the route works again


_CLASS_DODGES = {
    "instance": "import nnbook_fake_act\ndef student(z):\n    return nnbook_fake_act.Neuron().fire(z)",
    "instance made before the check": "import nnbook_fake_act\nN = nnbook_fake_act.Neuron()\n"
                                      "def student(z):\n    return N.fire(z)",
    "subclass": "import nnbook_fake_act\nclass Mine(nnbook_fake_act.Neuron):\n    pass\n"
                "def student(z):\n    return Mine().fire(z)",
    "subclass calling super": "import nnbook_fake_act\nclass Mine(nnbook_fake_act.Neuron):\n"
                              "    def fire(self, z):\n        return super().fire(z)\n"
                              "def student(z):\n    return Mine.fire(object.__new__(Mine), z)",
    "class kept in a default": "import nnbook_fake_act\n"
                               "def student(z, cls=nnbook_fake_act.Neuron):\n    return cls().fire(z)",
    "unbound method": "import nnbook_fake_act\nFIRE = nnbook_fake_act.Neuron.fire\n"
                      "def student(z):\n    return FIRE(None, z)",
}


@pytest.mark.parametrize("dodge", sorted(_CLASS_DODGES))
def test_check_independent_refuses_every_route_to_a_class(fake_library, dodge, failure):
    act, _ = fake_library
    original, fire = act.Neuron, act.Neuron.fire
    before = dict(vars(act.Neuron))
    ns = _student_namespace(_CLASS_DODGES[dodge])
    message = failure(grading.check_independent, ns["student"], [act.Neuron], 0.0, name="my_neuron")
    assert message.startswith("my_neuron: must be written by you, not call nnbook_fake_act.Neuron")
    assert act.Neuron is original and dict(vars(act.Neuron)) == before and act.Neuron.fire is fire
    assert act.Neuron().fire(0.0) == 0.5 and ns["student"](0.0) == 0.5


def test_check_independent_refuses_an_nnbook_registry_lookup(failure):
    """get_activation('sigmoid') returns the function from a dict that no name scan replaces."""
    activations = pytest.importorskip("nnbook.functional.activations")
    code = activations.sigmoid.__code__
    ns = _student_namespace("from nnbook.functional.activations import get_activation\n"
                            "def student(z):\n    return get_activation('sigmoid')[0](z)\n"
                            "def unchecked(z):\n    return get_activation('sigmoid')[0].unchecked(z)\n")
    for student in (ns["student"], ns["unchecked"]):
        message = failure(grading.check_independent, student, [activations.sigmoid], np.array([0.0]))
        assert "not call nnbook.functional.activations.sigmoid" in message
    assert activations.sigmoid.__code__ is code
    np.testing.assert_allclose(activations.get_activation("sigmoid")[0](np.array([0.0])), [0.5])
    np.testing.assert_allclose(activations.sigmoid_prime(np.array([0.0])), [0.25])


def test_check_independent_restores_closures_defaults_and_keyword_only_arguments(failure):
    """Functions of every shape get their own code, defaults and kw-only defaults back exactly."""
    def make(offset):
        def shifted(z, scale=2.0, *, power=1):
            return scale * (z + offset) ** power
        return shifted

    shifted = make(1.0)  # a closure over offset, with defaults and a keyword-only default
    twice = make(5.0)  # same code object, another closure: untouched
    saved = (shifted.__code__, shifted.__defaults__, shifted.__kwdefaults__, shifted.__closure__)
    message = failure(grading.check_independent, lambda z: shifted(z, power=2), [shifted], 1.0, name="s")
    assert "must be written by you, not call" in message and "shifted" in message
    assert (shifted.__code__, shifted.__defaults__, shifted.__kwdefaults__, shifted.__closure__) == saved
    assert shifted(1.0) == 4.0 and shifted(1.0, 1.0, power=2) == 4.0 and twice(0.0) == 10.0
    assert grading.check_independent(lambda z: twice(z), [shifted], 0.0) == 10.0


def test_check_independent_restores_a_class_when_the_call_raises(fake_library):
    act, _ = fake_library
    before = dict(vars(act.Neuron))
    code = act.sigmoid.__code__

    def broken(z):
        raise KeyError("student bug")

    with pytest.raises(KeyError):
        grading.check_independent(broken, [act.Neuron, act.sigmoid], 0.0)
    assert dict(vars(act.Neuron)) == before and "__init__" not in vars(act.Neuron)
    assert act.sigmoid.__code__ is code and act.Neuron().fire(0.0) == 0.5


def test_forbidden_labels_name_objects_by_import_path(fake_library):
    from nnbook.book.grading.independence import forbidden_labels, resolve_label

    act, _ = fake_library
    labels = forbidden_labels([act.sigmoid, act.Neuron, act.Neuron.fire, act.Neuron().fire, math.exp])
    assert labels == ["nnbook_fake_act:sigmoid", "nnbook_fake_act:Neuron", "nnbook_fake_act:Neuron.fire",
                      "nnbook_fake_act:Neuron.fire", "math:exp"]
    assert [resolve_label(label) for label in labels[:3]] == [act.sigmoid, act.Neuron, act.Neuron.fire]
    assert forbidden_labels(act.sigmoid) == ["nnbook_fake_act:sigmoid"]
    with pytest.raises(ValueError, match="cannot be named by an import path"):
        forbidden_labels([lambda z: z])
    with pytest.raises(ValueError, match="has no"):
        resolve_label("nnbook_fake_act:Neuron.missing")
    with pytest.raises(ValueError, match="not a label"):
        resolve_label("nnbook_fake_act.sigmoid")


def test_call_without_is_check_independent_with_labels(fake_library, failure):
    from nnbook.book.grading.independence import call_without

    act, _ = fake_library
    ns = _student_namespace(_DODGES["registry dict"])
    message = failure(call_without, ns["student"], ["nnbook_fake_act:sigmoid"], (0.0,), {}, "my_sigmoid")
    assert message.startswith("my_sigmoid: must be written by you, not call nnbook_fake_act.sigmoid")
    own = _student_namespace("import math\ndef student(z, name):\n    return name, 1 / (1 + math.exp(-z))")
    assert call_without(own["student"], ["nnbook_fake_act:sigmoid"], (0.0,), {"name": "n"}) == ("n", 0.5)


def test_check_independent_sends_a_sandboxed_function_its_labels(fake_library):
    """A proxy of a function in the grading sandbox gets labels, not objects, and runs there."""
    act, _ = fake_library

    class SandboxProxy:
        def _nnbook_call_without(self, labels, args, kwargs, name):
            return labels, args, kwargs, name

    result = grading.check_independent(SandboxProxy(), [act.sigmoid, act.Neuron], 1.0, name="f", k=2)
    assert result == (["nnbook_fake_act:sigmoid", "nnbook_fake_act:Neuron"], (1.0,), {"k": 2}, "f")


def test_check_independent_refuses_every_kind_of_class_member(failure):
    """Static and class methods, properties, __call__ and __new__ of a forbidden class refuse."""
    class Scaler:
        factor = 2.0

        def __new__(cls, *args):
            return super().__new__(cls)

        def __call__(self, z):
            return self.factor * z

        @classmethod
        def make(cls):
            return object.__new__(cls)

        @staticmethod
        def twice(z):
            return 2.0 * z

        @property
        def double(self):
            return self.factor * 2

    made = object.__new__(Scaler)  # an instance made before the check, bypassing __new__
    before = dict(vars(Scaler))
    routes = {"new": lambda z: Scaler(), "call": lambda z: made(z), "classmethod": lambda z: Scaler.make(),
              "staticmethod": lambda z: Scaler.twice(z), "property": lambda z: made.double}
    for route, student in routes.items():
        message = failure(grading.check_independent, student, [Scaler], 1.0, name=route)
        assert message.startswith(f"{route}: must be written by you, not call") and "Scaler" in message
    assert dict(vars(Scaler)) == before
    assert made(1.0) == 2.0 and Scaler.twice(1.0) == 2.0 and made.double == 4.0 and isinstance(Scaler(), Scaler)
    assert grading.check_independent(lambda z: made.factor * z, [Scaler], 1.0) == 2.0  # data stays readable
