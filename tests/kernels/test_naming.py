"""The naming rule of nnbook.kernels: every twin mirrors a readable ``<name>_reference``.

``nnbook.kernels.<module>.<name>`` (listed in the kernel module's ``__all__``) is the Numba twin
of ``<name>_reference``, found in exactly one other nnbook module called ``<module>`` (a layer
module of the same name, e.g. ``layers.pooling``, holds none). The equality of each
pair is asserted where the reference is tested (tests/functional, tests/train).
"""

import importlib
import pkgutil

import pytest

import nnbook
import nnbook.kernels

KERNEL_MODULES = sorted(m.name for m in pkgutil.iter_modules(nnbook.kernels.__path__))


def _modules_named(basename):
    found = []
    for info in pkgutil.walk_packages(nnbook.__path__, "nnbook."):
        if info.name.rsplit(".", 1)[-1] == basename and not info.name.startswith("nnbook.kernels"):
            found.append(importlib.import_module(info.name))
    return found


def test_there_are_kernel_modules():
    assert {"convolution", "pooling", "minibatch_sgd"} <= set(KERNEL_MODULES)


@pytest.mark.parametrize("basename", KERNEL_MODULES)
def test_each_twin_has_one_reference_in_the_module_of_the_same_name(basename):
    kernels = importlib.import_module(f"nnbook.kernels.{basename}")
    twins = getattr(kernels, "__all__", None)
    assert twins, f"nnbook.kernels.{basename} must list its twins in __all__"
    modules = _modules_named(basename)
    for name in twins:
        assert callable(getattr(kernels, name)), f"nnbook.kernels.{basename}.{name} is not a function"
        homes = [m.__name__ for m in modules if hasattr(m, f"{name}_reference")]
        assert len(homes) == 1, (f"the twin nnbook.kernels.{basename}.{name} needs {name}_reference "
                                 f"in exactly one module named {basename!r}; found it in {homes} "
                                 f"(candidates: {[m.__name__ for m in modules]})")
