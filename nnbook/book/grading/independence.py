"""Independence check: run a student's function while nnbook's own versions refuse to run.

When an exercise asks students to write something nnbook already implements, the test calls the
student's function through :func:`check_independent`. For the length of the call every forbidden
object refuses, by whatever route the student's code reaches it:

- a plain Python function gets a refusing ``__code__`` (its own object is changed, so every
  reference refuses: a name, an alias, a default argument, a registry dict, a closure, a
  ``functools.partial``, a wrapper object holding it). Functions it carries as attributes
  (``__wrapped__``, nnbook's ``.unchecked``) refuse too.
- a Python class gets a refusing ``__init__`` and every function defined in the class body
  (methods, static and class methods, properties) refuses: making an instance, calling a method
  of one made earlier, a subclass, ``super()`` — all refuse; ``isinstance`` keeps working.
- an object whose code cannot be swapped (a Numba dispatcher, a builtin such as ``math.exp``, a
  C-level wrapper) is replaced by a refusing stand-in in every loaded ``nnbook*`` or ``__main__``
  module and in the function's own globals. This covers imports and aliases only, not a
  reference kept elsewhere; its Python ``py_func``/``__wrapped__`` refuses as above.

Everything is restored exactly afterwards, whatever happens. A reference to the forbidden
*code* copied before the check (``types.FunctionType(f.__code__, …)``) is not seen.

The grading sandbox names forbidden objects by import path: :func:`forbidden_labels` turns
objects into labels ``"package.module:Qual.name"``, :func:`resolve_label` turns a label back
into the object, and :func:`call_without` is :func:`check_independent` with labels.
"""

import functools
import importlib
import sys
import types

from .feedback import CheckFailure, fail

_SCANNED_PREFIXES = ("nnbook", "__main__")

#: Modules whose objects never refuse: the checks themselves (a refusal raises their CheckFailure).
_NEVER_POISONED = ("nnbook.book.grading",)

#: Attributes of a function that hold another function computing the same thing.
_CARRIED = ("__wrapped__", "py_func")


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


def _as_list(forbidden):
    """``forbidden`` (one callable or an iterable of them) as a list, checked."""
    forbidden = [forbidden] if callable(forbidden) else list(forbidden)
    for obj in forbidden:
        if not callable(obj):
            raise TypeError(f"check_independent: forbidden items must be callables, got {obj!r}")
    return forbidden


# -- labels: forbidden objects named by import path ---------------------------------------------
def resolve_label(label):
    """The object named ``"package.module:Qual.name"``: the module imported, the qualname walked."""
    module_name, colon, qualname = str(label).partition(":")
    if not colon or not module_name or not qualname:
        raise ValueError(f"not a label of the form 'package.module:Qual.name': {label!r}")
    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ValueError(f"{label!r}: {module_name} has no {qualname}") from None
    return obj


def forbidden_labels(forbidden):
    """The label ``"package.module:Qual.name"`` of each forbidden object (one callable or a list;
    a bound method or ``functools.partial`` is named by its function). Raises ``ValueError`` for
    an object that cannot be imported back by its label (e.g. a lambda or a local function)."""
    labels = []
    for obj in _as_list(forbidden):
        target = _unwrap(obj)
        module = getattr(target, "__module__", None)
        qualname = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
        label = f"{module}:{qualname}"
        try:
            same = module and qualname and resolve_label(label) is target
        except (ImportError, ValueError):
            same = False
        if not same:
            raise ValueError(f"check_independent: {target!r} cannot be named by an import path "
                             f"(tried {label!r}); forbid a module-level function or class")
        labels.append(label)
    return labels


def call_without(func, labels, args, kwargs, name="your function"):
    """``check_independent(func, <the objects named by labels>, *args, name=name, **kwargs)``,
    the form the grading sandbox receives (labels from :func:`forbidden_labels`)."""
    __tracebackhide__ = True
    return _call_independent(func, [resolve_label(label) for label in labels], args, kwargs, name)


# -- refusing -----------------------------------------------------------------------------------
def _refusal(label, name, calls):
    """The callable every refusing route ends in: records the call, raises :class:`CheckFailure`."""

    def refuse(*args, **kwargs):
        __tracebackhide__ = True
        calls.append(label)
        raise CheckFailure(f"{name}: must be written by you, not call {label}\n"
                           f"  ({label} is not allowed in this exercise; write the computation "
                           f"yourself, e.g. with numpy)")

    return refuse


_KEY = "__nnbook_refuse__"


@functools.lru_cache(maxsize=None)
def _refusing_code(n_free):
    """A code object with ``n_free`` free variables (so it fits a function with a closure of that
    size) that calls the keyword-only default ``__nnbook_refuse__``; it never reads its cells."""
    cells = [f"cell{i}" for i in range(n_free)]
    source = (f"def outer():\n"
              + "".join(f"    {cell} = None\n" for cell in cells)
              + f"    def refusing(*args, {_KEY}, **kwargs):\n"
              + "        __tracebackhide__ = True\n"
              + (f"        if False:\n            {', '.join(cells)}\n" if cells else "")
              + f"        return {_KEY}(*args, **kwargs)\n"
              + "    return refusing\n")
    namespace = {}
    exec(compile(source, "<nnbook independence check>", "exec"), namespace)
    code = namespace["outer"]().__code__
    assert len(code.co_freevars) == n_free
    return code


class _Poisoner:
    """Makes forbidden objects refuse, remembering how to undo every change (:meth:`restore`)."""

    def __init__(self, name, calls):
        self.name, self.calls = name, calls
        self.undo = []  # callables run in reverse order by restore()
        self.swapped = set()  # ids of functions whose code is swapped
        self.replaced = set()  # (id(namespace), key) already replaced

    def restore(self):
        while self.undo:
            self.undo.pop()()

    # functions
    def function(self, function, refuse):
        """Give the plain function ``function`` refusing code (and what it carries as attributes)."""
        if not isinstance(function, types.FunctionType) or id(function) in self.swapped:
            return
        self.swapped.add(id(function))
        saved = (function.__code__, function.__defaults__, function.__kwdefaults__)

        def undo():
            function.__code__, function.__defaults__, function.__kwdefaults__ = saved

        function.__code__ = _refusing_code(len(saved[0].co_freevars))
        self.undo.append(undo)
        function.__defaults__ = None
        function.__kwdefaults__ = {_KEY: refuse}
        carried = [getattr(function, key, None) for key in _CARRIED]
        carried += [value for key, value in vars(function).items() if not key.startswith("__")]
        for value in carried:  # e.g. nnbook's sigmoid.unchecked
            self.function(_unwrap(value), refuse)

    # classes
    def klass(self, cls, refuse):
        """Make instantiation and every function defined in ``cls`` refuse; ``False`` when ``cls``
        cannot be changed (a builtin or extension type)."""
        if "__init__" not in vars(cls):
            try:
                setattr(cls, "__init__", lambda self, *args, **kwargs: refuse())
            except (TypeError, AttributeError):
                return False
            self.undo.append(lambda: delattr(cls, "__init__"))
        for value in list(vars(cls).values()):
            if isinstance(value, property):
                parts = (value.fget, value.fset, value.fdel)
            elif isinstance(value, functools.cached_property):
                parts = (value.func,)
            else:
                parts = (_unwrap(value),)
            for part in parts:
                self.function(part, refuse)
        return True

    # names
    def names(self, obj, stand_in, spaces):
        """Replace ``obj`` by ``stand_in`` wherever a namespace in ``spaces`` holds it."""
        for namespace in spaces:
            for key, value in list(namespace.items()):
                if value is obj and (id(namespace), key) not in self.replaced:
                    self.replaced.add((id(namespace), key))
                    namespace[key] = stand_in
                    self.undo.append(functools.partial(namespace.__setitem__, key, value))
        owner = _owner_class(obj)
        if owner is not None:
            key = getattr(obj, "__name__", None)
            raw = vars(owner).get(key)
            if raw is obj or (isinstance(raw, staticmethod) and raw.__func__ is obj):
                setattr(owner, key, staticmethod(stand_in) if isinstance(raw, staticmethod) else stand_in)
                self.undo.append(functools.partial(setattr, owner, key, raw))


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
    """The dictionaries in which a forbidden object is replaced by name: the loaded
    ``nnbook*``/``__main__`` modules and ``func``'s globals (the object's defining module is
    added per object)."""
    spaces = []
    for module_name, module in list(sys.modules.items()):
        if module is not None and module_name.startswith(_SCANNED_PREFIXES):
            spaces.append(getattr(module, "__dict__", None))
    spaces.append(getattr(_unwrap(func), "__globals__", None))
    return [space for space in spaces if isinstance(space, dict)]


def _stand_in(obj, label, refuse):
    """A refusing stand-in for an object whose code cannot be swapped."""

    def stand_in(*args, **kwargs):
        __tracebackhide__ = True
        refuse()

    stand_in.__name__ = getattr(obj, "__name__", "stand_in")
    stand_in.__qualname__ = getattr(obj, "__qualname__", stand_in.__name__)
    stand_in.__doc__ = f"Unavailable during this check: {label}."
    return stand_in


def _poison(poisoner, obj, scanned_namespaces):
    """Make ``obj`` refuse by the strongest means its kind allows (``scanned_namespaces()``: the
    namespaces for a replacement by name)."""
    if (getattr(obj, "__module__", None) or "").startswith(_NEVER_POISONED):
        return
    label = _label(obj)
    refuse = _refusal(label, poisoner.name, poisoner.calls)
    if isinstance(obj, types.FunctionType):
        poisoner.function(obj, refuse)
        return
    if isinstance(obj, type) and poisoner.klass(obj, refuse):
        return
    for key in _CARRIED:  # e.g. a Numba dispatcher's py_func, an lru_cache's __wrapped__
        poisoner.function(_unwrap(getattr(obj, key, None)), refuse)
    home = getattr(sys.modules.get(getattr(obj, "__module__", None) or ""), "__dict__", None)
    spaces = scanned_namespaces() + ([home] if isinstance(home, dict) else [])
    poisoner.names(obj, _stand_in(obj, label, refuse), spaces)


def _call_independent(func, forbidden, args, kwargs, name):
    __tracebackhide__ = True
    targets = {id(_unwrap(obj)): _unwrap(obj) for obj in _as_list(forbidden)}
    if id(_unwrap(func)) in targets:
        fail(name, f"is {_label(_unwrap(func))} itself; it must be written by you")
    calls = []
    poisoner = _Poisoner(name, calls)
    try:
        scanned = functools.lru_cache(maxsize=1)(lambda: _namespaces(func))  # scanned once, if needed
        for obj in targets.values():
            _poison(poisoner, obj, scanned)
        result = func(*args, **kwargs)
    finally:
        poisoner.restore()
    if calls:  # the student's code caught the refusal and carried on
        fail(name, f"must be written by you, not call {calls[0]}")
    return result


def check_independent(func, forbidden, *args, name="your function", **kwargs):
    """Call ``func(*args, **kwargs)`` while every object in ``forbidden`` (one callable or a
    list) refuses to run with a :class:`CheckFailure` ("… must be written by you, not call
    nnbook.X"), by every route (see the module); return ``func``'s result. A refusal that the
    student's code catches and hides still fails the check. Everything changed is restored
    exactly in a ``finally`` block. A ``func`` that lives in the grading sandbox is called there,
    with the forbidden objects named by :func:`forbidden_labels`.
    """
    __tracebackhide__ = True
    if hasattr(type(func), "_nnbook_call_without"):
        return func._nnbook_call_without(forbidden_labels(forbidden), args, kwargs, name)
    return _call_independent(func, forbidden, args, kwargs, name)
