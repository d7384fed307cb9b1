"""Values as plain data, for crossing the sandbox boundary.

:func:`encode` turns a value into JSON-ready data; :func:`decode` rebuilds it on the other side
from types the receiver knows (``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``,
``bytes``, lists, tuples, dicts, sets, ``slice``, numpy arrays and scalars of numeric, boolean
or string dtype, numpy random Generators as their state, sympy expressions through
:mod:`~nnbook.book.autograde.sympy_tree`, matplotlib figures redrawn from their data by :mod:`~nnbook.book.autograde.figures`, and nnbook's
own functions and classes by name and its objects by state, rebuilt from this side's nnbook). Nothing is pickled or
``eval``-ed, so an object's own ``__eq__``, ``__class__`` or ``__array__`` never reaches the
receiver: a student's ``int`` subclass arrives as a plain ``int``.

Anything else (a function, a class, an instance) is exported as a *handle*: the sender keeps the
object in an :class:`ObjectTable` and the receiver gets a proxy made by its ``make_proxy``
callback. A proxy sent back is decoded by its owner as the original object.
"""

import base64
import math
import sys
import weakref

import numpy as np

from . import figures

#: dtype kinds an array may have on the wire: bool, int, uint, float, complex, str.
ARRAY_KINDS = frozenset("biufcU")
MAX_ITEMS = 5_000_000  # array entries or container items in one value
MAX_DEPTH = 100
#: numpy bit generators whose state may cross (a Generator crosses as its state).
_BIT_GENERATORS = frozenset({"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"})


class WireError(ValueError):
    """A value that cannot cross the boundary, or data that does not describe one."""


class ObjectTable:
    """Objects this side exported as handles, by number."""

    def __init__(self):
        self._objects = {}
        self._numbers = {}

    def export(self, obj):
        number = self._numbers.get(id(obj))
        if number is None or self._objects[number] is not obj:
            number = len(self._objects) + 1
            self._objects[number] = obj
            self._numbers[id(obj)] = number
        return number

    def get(self, number):
        try:
            return self._objects[number]
        except (KeyError, TypeError):
            raise WireError(f"no exported object number {number!r}") from None


def _kind(obj):
    if isinstance(obj, type):
        return "class"
    if callable(obj):
        return "function"
    return "object"


def _short_repr(obj, limit=120):
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001 - a broken repr must not break encoding
        text = f"<{type(obj).__name__} object>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def encode(value, table=None, *, owner_of=None, depth=0, memo=None):
    """``value`` as JSON-ready plain data.

    ``table``: where objects that are not plain data are exported as handles (``None``: refuse
    them with :class:`WireError`). ``owner_of(obj)``: the peer's number of a proxy ``obj`` that
    came from the peer (or ``None``), so that it goes back as the peer's own object.
    """
    if depth > MAX_DEPTH:
        raise WireError(f"value nested more than {MAX_DEPTH} levels deep")
    kind = type(value)  # never isinstance: an object may lie about its __class__
    if value is None or kind is bool:
        return value
    if issubclass(kind, str):  # a subclass of a plain type crosses as its plain value
        return str.__str__(value)
    if issubclass(kind, int) and not issubclass(kind, bool):
        value = int.__index__(value)
        return value if abs(value) < 2**53 else {"$int": str(value)}
    if issubclass(kind, float):
        value = float.__float__(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if issubclass(kind, complex):
        value = complex(float(complex.__getattribute__(value, "real")), float(complex.__getattribute__(value, "imag")))
        return {"$complex": [encode(value.real), encode(value.imag)]}
    if owner_of is not None:
        number = owner_of(value)
        if number is not None:
            return {"$yours": number}
    memo = {} if memo is None else memo

    def again(item):
        return encode(item, table, owner_of=owner_of, depth=depth + 1, memo=memo)

    if issubclass(kind, list):
        _check_items(list.__len__(value))
        return [again(v) for v in list.__iter__(value)]
    if issubclass(kind, tuple):  # named tuples included
        _check_items(tuple.__len__(value))
        return {"$tuple": [again(v) for v in tuple.__iter__(value)]}
    if issubclass(kind, dict):
        _check_items(dict.__len__(value))
        return {"$dict": [[again(k), again(v)] for k, v in dict.items(value)]}
    if isinstance(value, weakref.WeakKeyDictionary):  # an optimiser's state, keyed by Param
        return {"$weakkeydict": [[again(k), again(v)] for k, v in list(value.items())]}
    if type(value) in (set, frozenset):
        _check_items(len(value))
        return {"$set" if type(value) is set else "$frozenset": [again(v) for v in value]}
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if type(value) is slice:
        return {"$slice": [again(v) for v in (value.start, value.stop, value.step)]}
    if type(value) is range:
        return {"$range": [value.start, value.stop, value.step]}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS and not value.dtype.fields:
        _check_items(value.size)
        data = np.ascontiguousarray(value)  # 1-d for a 0-d array: the shape comes from value
        return {"$ndarray": [data.dtype.str, list(value.shape), base64.b64encode(data.tobytes()).decode("ascii")]}
    if isinstance(value, np.random.Generator):
        state = value.bit_generator.state
        if state.get("bit_generator") in _BIT_GENERATORS:
            return {"$generator": encode(state, depth=depth + 1)}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"$npscalar": [value.dtype.str, base64.b64encode(np.asarray(value).tobytes()).decode("ascii")]}
    if isinstance(value, np.dtype) and value.kind in ARRAY_KINDS and not value.fields:
        return {"$dtype": value.str}
    sympy_value = _sympy_tree_or_none(value)
    if sympy_value is not None:
        return {"$sympy": sympy_value}
    if figures.is_figure_or_axes(value):
        kind, body = figures.describe(value)
        return {"$plot": [kind, again(body)]}
    reference = library_name(value)
    if reference is not None:
        return {"$ref": reference}
    if is_library_object(value):
        number = memo.get(id(value))
        if number is not None:
            return {"$same": number}
        number = memo[id(value)] = len(memo) + 1
        memo.setdefault("_keep", []).append(value)  # ids stay unique while encoding
        return {"$object": [library_name(type(value)), number,
                            [[name, again(item)] for name, item in object_state(value).items()]]}
    if table is None:
        raise WireError(f"a {type(value).__name__} cannot cross the boundary (plain data only)")
    return {"$handle": [table.export(value), _kind(value), getattr(value, "__name__", None)
                        if isinstance(getattr(value, "__name__", None), str) else None, _short_repr(value)]}


#: Packages whose functions and classes cross by name, and whose objects cross by state.
LIBRARY_PACKAGES = ("nnbook.",)
#: ...except these: the grader's own machinery never crosses.
PRIVATE_PACKAGES = ("nnbook.book.",)


def _library_module(name):
    return (isinstance(name, str) and name.startswith(LIBRARY_PACKAGES)
            and not (name + ".").startswith(PRIVATE_PACKAGES))


def library_name(value):
    """``"module:qualname"`` of a function or class of nnbook's library (or a numpy ufunc)
    that the receiver can look up in its own copy; ``None`` for anything else."""
    if not (isinstance(value, type) or callable(value)) or isinstance(value, np.ndarray):
        return None
    if isinstance(value, np.ufunc):
        return f"numpy:{value.__name__}" if getattr(np, value.__name__, None) is value else None
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if not isinstance(qualname, str) or "<" in qualname or not _library_module(module):
        return None
    try:
        found = resolve_library_name(f"{module}:{qualname}")
    except WireError:
        return None
    if found is value:
        return f"{module}:{qualname}"
    if getattr(found, "unchecked", None) is value:  # the raw function behind a checking wrapper
        return f"{module}:{qualname}.unchecked"
    return None


def resolve_library_name(name):
    """The function or class ``"module:qualname"`` names: one defined in nnbook's library (never
    in the grader's own ``nnbook.book``), or a numpy ufunc. The walk along ``qualname`` never
    passes through a module, so a name cannot reach numpy's or the standard library's files."""
    import importlib
    import types

    module_name, _, qualname = str(name).partition(":")
    if module_name == "numpy":
        found = getattr(np, qualname, None) if qualname.isidentifier() else None
        if not isinstance(found, np.ufunc):
            raise WireError(f"{name!r} is not a numpy ufunc")
        return found
    if not _library_module(module_name) or not qualname:
        raise WireError(f"{name!r} is not a name of nnbook's library")
    if any(not part.isidentifier() or part.startswith("_") for part in qualname.split(".")):
        raise WireError(f"{name!r} is not a public name")
    try:
        found = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
            if isinstance(found, types.ModuleType):
                raise WireError(f"{name!r} names a module")
    except (ImportError, AttributeError):
        raise WireError(f"{name!r} does not exist here") from None
    if not (isinstance(found, type) or callable(found)):
        raise WireError(f"{name!r} is not a function or class")
    owner = getattr(found, "__module__", None)
    if not (_library_module(owner) or qualname.endswith(".unchecked")):
        raise WireError(f"{name!r} is not defined in nnbook's library")
    return found


def is_library_object(value):
    cls = type(value)
    return _library_module(getattr(cls, "__module__", None)) and not isinstance(value, type)


def object_state(value):
    """The attributes of an nnbook object (its ``__dict__`` and slots)."""
    state = {}
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()) if not isinstance(getattr(cls, "__slots__", ()), str) else (cls.__slots__,):
            if name not in ("__dict__", "__weakref__") and hasattr(value, name):
                state[name] = getattr(value, name)
    state.update(getattr(value, "__dict__", {}))
    return state


def _sympy_tree_or_none(value):
    if "sympy" not in sys.modules:
        return None
    import sympy as sp

    if isinstance(value, (sp.Basic, sp.MatrixBase, sp.core.function.UndefinedFunction)):
        from . import sympy_tree  # sympy costs half a second to import: only when it is used

        try:
            return sympy_tree.to_tree(value)
        except sympy_tree.TreeError:
            return None
    return None


def _check_items(n):
    if n > MAX_ITEMS:
        raise WireError(f"value too large to cross the boundary ({n} items; at most {MAX_ITEMS})")


def decode(data, table=None, *, make_proxy=None, depth=0, memo=None):
    """The value ``data`` (from :func:`encode` on the other side) describes, built from plain
    types only. ``table``: this side's exported objects (for ``$yours``); ``make_proxy(number,
    kind, name, text)``: the proxy for a handle exported by the other side."""
    if depth > MAX_DEPTH:
        raise WireError(f"data nested more than {MAX_DEPTH} levels deep")
    if data is None or type(data) in (bool, int, float, str):
        return data
    memo = {} if memo is None else memo
    if type(data) is list:
        _check_items(len(data))
        return [decode(v, table, make_proxy=make_proxy, depth=depth + 1, memo=memo) for v in data]
    if type(data) is not dict or len(data) != 1:
        raise WireError("malformed value on the wire")
    (tag, body), = data.items()
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise WireError(f"unknown value tag {str(tag)[:40]!r} on the wire")
    try:
        return decoder(body, _Context(table, make_proxy, depth + 1, memo))
    except WireError:
        raise
    except (TypeError, ValueError, OverflowError, IndexError, AttributeError) as error:
        raise WireError(f"malformed {tag} on the wire: {type(error).__name__}: {error}") from None


class _Context:
    """What a decoder needs besides its body: the tables, the proxy maker, the depth, and the
    objects rebuilt so far (for ``$same``)."""

    def __init__(self, table, make_proxy, depth, memo):
        self.table, self.make_proxy, self.depth, self.memo = table, make_proxy, depth, memo

    def decode(self, data):
        return decode(data, self.table, make_proxy=self.make_proxy, depth=self.depth, memo=self.memo)


def _decode_int(body, context):
    if not isinstance(body, str) or len(body) > 5000:
        raise WireError("malformed integer")
    return int(body)


def _decode_float(body, context):
    if body not in ("nan", "inf", "-inf"):
        raise WireError("malformed float")
    return float(body)


def _decode_complex(body, context):
    real, imag = (_as_float(decode(v)) for v in body)
    return complex(real, imag)


def _as_float(value):
    if type(value) not in (int, float):
        raise WireError("malformed complex number")
    return float(value)


def _items(body, context):
    if type(body) is not list:
        raise WireError("malformed container")
    _check_items(len(body))
    return [context.decode(v) for v in body]


def _decode_dict(body, context):
    if type(body) is not list:
        raise WireError("malformed dict")
    out = {}
    for pair in body:
        if type(pair) is not list or len(pair) != 2:
            raise WireError("malformed dict item")
        out[context.decode(pair[0])] = context.decode(pair[1])
    return out


def _decode_weakkeydict(body, context):
    out = weakref.WeakKeyDictionary()
    out.update(_decode_dict(body, context))
    return out


def _dtype(text):
    dtype = np.dtype(text)
    if dtype.kind not in ARRAY_KINDS or dtype.fields or dtype.subdtype:
        raise WireError(f"arrays of dtype {dtype} cannot cross the boundary")
    return dtype


def _decode_ndarray(body, context):
    dtype_text, shape, payload = body
    dtype = _dtype(dtype_text)
    if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise WireError("malformed array shape")
    size = math.prod(shape)
    _check_items(size)
    raw = base64.b64decode(payload, validate=True)
    if len(raw) != size * dtype.itemsize:
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _decode_npscalar(body, context):
    dtype_text, payload = body
    dtype = _dtype(dtype_text)
    raw = base64.b64decode(payload, validate=True)
    if len(raw) != dtype.itemsize:
        raise WireError("numpy scalar data does not match its dtype")
    return np.frombuffer(raw, dtype=dtype)[0]


def _decode_generator(body, context):
    state = decode(body)
    if not isinstance(state, dict) or state.get("bit_generator") not in _BIT_GENERATORS:
        raise WireError("malformed random generator state")
    generator = np.random.Generator(getattr(np.random, state["bit_generator"])())
    generator.bit_generator.state = state
    return generator


def _decode_sympy(body, context):
    from . import sympy_tree

    try:
        return sympy_tree.from_tree(body)
    except sympy_tree.TreeError as error:
        raise WireError(str(error)) from None


def _decode_handle(body, context):
    number, kind, name, text = body
    if context.make_proxy is None or type(number) is not int or kind not in ("class", "function", "object"):
        raise WireError("an object handle cannot be received here")
    return context.make_proxy(number, kind, name if isinstance(name, str) else None, str(text)[:200])


def _decode_yours(body, context):
    if context.table is None:
        raise WireError("no exported objects here")
    return context.table.get(body)


def _decode_slice(body, context):
    return slice(*[context.decode(v) for v in body])


def _decode_range(body, context):
    if not all(type(v) is int for v in body):
        raise WireError("malformed range")
    return range(*body)


def _decode_object(body, context):
    """An nnbook object rebuilt from its class (looked up in this side's nnbook) and its
    attributes: no code of the sender runs, none of its classes is built."""
    class_name, number, state = body
    cls = resolve_library_name(class_name)
    if not isinstance(cls, type) or type(number) is not int or type(state) is not list:
        raise WireError("malformed nnbook object")
    obj = cls.__new__(cls)
    context.memo[number] = obj
    for item in state:
        if type(item) is not list or len(item) != 2 or not isinstance(item[0], str) or item[0].startswith("__"):
            raise WireError("malformed nnbook object attribute")
        object.__setattr__(obj, item[0], context.decode(item[1]))
    return obj


def _decode_plot(body, context):
    kind, description = body
    try:
        return figures.rebuild(kind, context.decode(description))
    except (TypeError, ValueError) as error:
        raise WireError(f"malformed plot: {error}") from None


def _decode_same(body, context):
    try:
        return context.memo[body]
    except (KeyError, TypeError):
        raise WireError("reference to an object that was not sent") from None


_DECODERS = {
    "$int": _decode_int,
    "$float": _decode_float,
    "$complex": _decode_complex,
    "$tuple": lambda b, c: tuple(_items(b, c)),
    "$set": lambda b, c: set(_items(b, c)),
    "$frozenset": lambda b, c: frozenset(_items(b, c)),
    "$dict": _decode_dict,
    "$weakkeydict": _decode_weakkeydict,
    "$bytes": lambda b, c: base64.b64decode(b, validate=True),
    "$slice": _decode_slice,
    "$range": _decode_range,
    "$ndarray": _decode_ndarray,
    "$npscalar": _decode_npscalar,
    "$dtype": lambda b, c: _dtype(b),
    "$sympy": _decode_sympy,
    "$generator": _decode_generator,
    "$ref": lambda b, c: resolve_library_name(b),
    "$object": _decode_object,
    "$same": _decode_same,
    "$plot": _decode_plot,
    "$handle": _decode_handle,
    "$yours": _decode_yours,
}
