"""Independence check: run a student's function while nnbook's own versions are unavailable.

When an exercise asks students to write something nnbook already implements, the test calls the
student's function through :func:`check_independent`: every forbidden callable is temporarily
replaced by a stand-in that raises :class:`CheckFailure`, wherever the student's code could
reach it by name — in its defining module (or class), in every loaded ``nnbook*`` or
``__main__`` module that holds it, and in the function's own globals. Everything is restored
afterwards, whatever happens.
"""

import functools
import sys

from .feedback import CheckFailure, fail

_SCANNED_PREFIXES = ("nnbook", "__main__")


def _unwrap(obj):
    """The plain function behind a bound method or a ``functools.partial``; else ``obj``."""
    while True:
        if isinstance(obj, functools.partial):
            obj = obj.func
        elif hasattr(obj, "__func__"):
            obj = obj.__func__
        else:
            return obj


def _label(obj):
    """``module.qualname`` of ``obj``, e.g. ``nnbook.functional.activations.sigmoid``."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}.{qualname}" if module else qualname


def _owner_class(obj):
    """The class a function is defined in (from its ``__qualname__``), or ``None``."""
    module = sys.modules.get(getattr(obj, "__module__", None) or "")
    path = (getattr(obj, "__qualname__", "") or "").split(".")[:-1]
    if module is None or not path or "<locals>" in path:
        return None
    owner = module
    for part in path:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    return owner if isinstance(owner, type) else None


def _namespaces(func):
    """The dictionaries to scan: defining modules are added per object; here the loaded
    ``nnbook*``/``__main__`` modules and ``func``'s globals."""
    spaces = []
    for module_name, module in list(sys.modules.items()):
        if module is not None and module_name.startswith(_SCANNED_PREFIXES):
            namespace = getattr(module, "__dict__", None)
            if isinstance(namespace, dict):
                spaces.append(namespace)
    namespace = getattr(_unwrap(func), "__globals__", None)
    if isinstance(namespace, dict):
        spaces.append(namespace)
    return spaces


def _make_stand_in(obj, label, name, calls):
    """A callable that records the call and raises :class:`CheckFailure`. For a class, the
    stand-in is a class too (``isinstance`` checks keep working; calling it or reading one of its
    attributes, e.g. an alternative constructor, raises)."""

    def refuse(*args, **kwargs):
        __tracebackhide__ = True
        calls.append(label)
        raise CheckFailure(f"{name}: must be written by you, not call {label}\n"
                           f"  ({label} is not allowed in this exercise; write the computation "
                           f"yourself, e.g. with numpy)")

    if isinstance(obj, type):
        class _Refusing(type):
            def __call__(cls, *args, **kwargs):
                refuse()

            def __getattr__(cls, attribute):
                refuse()

        return _Refusing(obj.__name__, (), {"__doc__": f"Unavailable during this check: {label}.",
                                            "__qualname__": obj.__qualname__,
                                            "__module__": obj.__module__})

    def stand_in(*args, **kwargs):
        __tracebackhide__ = True
        refuse()

    stand_in.__name__ = getattr(obj, "__name__", "stand_in")
    stand_in.__qualname__ = getattr(obj, "__qualname__", stand_in.__name__)
    stand_in.__doc__ = f"Unavailable during this check: {label}."
    return stand_in


def check_independent(func, forbidden, *args, name="your function", **kwargs):
    """Call ``func(*args, **kwargs)`` with every callable in ``forbidden`` (one callable or a
    list) replaced by a stand-in that raises :class:`CheckFailure` ("… must be written by you, not
    call nnbook.X"); return ``func``'s result. A call that the student's code catches and hides
    still fails the check. Everything replaced is restored in a ``finally`` block.
    """
    __tracebackhide__ = True
    forbidden = [forbidden] if callable(forbidden) else list(forbidden)
    for obj in forbidden:
        if not callable(obj):
            raise TypeError(f"check_independent: forbidden items must be callables, got {obj!r}")
    targets = {id(_unwrap(obj)): _unwrap(obj) for obj in forbidden}
    if id(_unwrap(func)) in targets:
        fail(name, f"is {_label(_unwrap(func))} itself; it must be written by you")

    calls = []
    replaced = []  # (container, key, original, is_dict)
    seen = set()

    def replace(container, key, original, stand_in, is_dict):
        if (id(container), key) in seen:
            return
        seen.add((id(container), key))
        replaced.append((container, key, original, is_dict))
        if is_dict:
            container[key] = stand_in
        else:
            setattr(container, key, stand_in)

    try:
        spaces = _namespaces(func)
        for obj in targets.values():
            label = _label(obj)
            stand_in = _make_stand_in(obj, label, name, calls)
            home = sys.modules.get(getattr(obj, "__module__", None) or "")
            home_space = getattr(home, "__dict__", None)
            for namespace in spaces + ([home_space] if isinstance(home_space, dict) else []):
                for key, value in list(namespace.items()):
                    if value is obj:
                        replace(namespace, key, value, stand_in, True)
            owner = _owner_class(obj)
            if owner is not None:
                key = obj.__name__
                raw = vars(owner).get(key)
                if raw is obj:
                    replace(owner, key, raw, stand_in, False)
                elif isinstance(raw, staticmethod) and raw.__func__ is obj:
                    replace(owner, key, raw, staticmethod(stand_in), False)

        result = func(*args, **kwargs)
    finally:
        for container, key, original, is_dict in reversed(replaced):
            if is_dict:
                container[key] = original
            else:
                setattr(container, key, original)

    if calls:  # the student's code caught the stand-in's CheckFailure and carried on
        fail(name, f"must be written by you, not call {calls[0]}")
    return result
