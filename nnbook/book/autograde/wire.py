"""Values as plain data, for crossing the sandbox boundary.

:func:`encode` turns a value into JSON-ready data; :func:`decode` rebuilds it on the other side
from types the receiver knows (``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``,
``bytes``, lists, tuples, dicts, sets, ``slice``, numpy arrays and scalars of numeric, boolean
or string dtype, numpy random Generators as their state, sympy expressions through
:mod:`.sympy_tree`). Nothing is pickled or
``eval``-ed, so an object's own ``__eq__``, ``__class__`` or ``__array__`` never reaches the
receiver: a student's ``int`` subclass arrives as a plain ``int``.

Anything else (a function, a class, an instance) is exported as a *handle*: the sender keeps the
object in an :class:`ObjectTable` and the receiver gets a proxy made by its ``make_proxy``
callback. A proxy sent back is decoded by its owner as the original object.
"""

import base64
import math

import numpy as np

from . import sympy_tree

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


def encode(value, table=None, *, owner_of=None, depth=0):
    """``value`` as JSON-ready plain data.

    ``table``: where objects that are not plain data are exported as handles (``None``: refuse
    them with :class:`WireError`). ``owner_of(obj)``: the peer's number of a proxy ``obj`` that
    came from the peer (or ``None``), so that it goes back as the peer's own object.
    """
    if depth > MAX_DEPTH:
        raise WireError(f"value nested more than {MAX_DEPTH} levels deep")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, str):  # a subclass of a plain type crosses as its plain value
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = int.__index__(value)
        return value if abs(value) < 2**53 else {"$int": str(value)}
    if isinstance(value, float):
        value = float.__float__(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, complex):
        value = complex(float(value.real), float(value.imag))
        return {"$complex": [encode(value.real), encode(value.imag)]}
    if owner_of is not None:
        number = owner_of(value)
        if number is not None:
            return {"$yours": number}
    deeper = depth + 1
    if isinstance(value, list):
        _check_items(len(value))
        return [encode(v, table, owner_of=owner_of, depth=deeper) for v in value]
    if isinstance(value, tuple):  # named tuples included
        _check_items(len(value))
        return {"$tuple": [encode(v, table, owner_of=owner_of, depth=deeper) for v in value]}
    if isinstance(value, dict):
        _check_items(len(value))
        return {"$dict": [[encode(k, table, owner_of=owner_of, depth=deeper),
                           encode(v, table, owner_of=owner_of, depth=deeper)] for k, v in value.items()]}
    if type(value) in (set, frozenset):
        _check_items(len(value))
        return {"$set" if type(value) is set else "$frozenset":
                [encode(v, table, owner_of=owner_of, depth=deeper) for v in value]}
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if type(value) is slice:
        return {"$slice": [encode(v, table, owner_of=owner_of, depth=deeper)
                           for v in (value.start, value.stop, value.step)]}
    if type(value) is range:
        return {"$range": [value.start, value.stop, value.step]}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS and not value.dtype.fields:
        _check_items(value.size)
        data = np.ascontiguousarray(value)  # 1-d for a 0-d array: the shape comes from value
        return {"$ndarray": [data.dtype.str, list(value.shape), base64.b64encode(data.tobytes()).decode("ascii")]}
    if isinstance(value, np.random.Generator):
        state = value.bit_generator.state
        if state.get("bit_generator") in _BIT_GENERATORS:
            return {"$generator": encode(state, depth=deeper)}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"$npscalar": [value.dtype.str, base64.b64encode(np.asarray(value).tobytes()).decode("ascii")]}
    sympy_value = _sympy_tree_or_none(value)
    if sympy_value is not None:
        return {"$sympy": sympy_value}
    if table is None:
        raise WireError(f"a {type(value).__name__} cannot cross the boundary (plain data only)")
    return {"$handle": [table.export(value), _kind(value), getattr(value, "__name__", None)
                        if isinstance(getattr(value, "__name__", None), str) else None, _short_repr(value)]}


def _sympy_tree_or_none(value):
    module = type(value).__module__ or ""
    if not module.startswith("sympy"):
        return None
    import sympy as sp

    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        try:
            return sympy_tree.to_tree(value)
        except sympy_tree.TreeError:
            return None
    return None


def _check_items(n):
    if n > MAX_ITEMS:
        raise WireError(f"value too large to cross the boundary ({n} items; at most {MAX_ITEMS})")


def decode(data, table=None, *, make_proxy=None, depth=0):
    """The value ``data`` (from :func:`encode` on the other side) describes, built from plain
    types only. ``table``: this side's exported objects (for ``$yours``); ``make_proxy(number,
    kind, name, text)``: the proxy for a handle exported by the other side."""
    if depth > MAX_DEPTH:
        raise WireError(f"data nested more than {MAX_DEPTH} levels deep")
    if data is None or type(data) in (bool, int, float, str):
        return data
    deeper = depth + 1
    if type(data) is list:
        return [decode(v, table, make_proxy=make_proxy, depth=deeper) for v in data]
    if type(data) is not dict or len(data) != 1:
        raise WireError("malformed value on the wire")
    (tag, body), = data.items()
    try:
        return _DECODERS[tag](body, table, make_proxy, deeper)
    except KeyError:
        raise WireError(f"unknown value tag {tag!r} on the wire") from None
    except WireError:
        raise
    except (TypeError, ValueError, OverflowError) as error:
        raise WireError(f"malformed {tag} on the wire: {error}") from None


def _decode_int(body, *_):
    if not isinstance(body, str) or len(body) > 5000:
        raise WireError("malformed integer")
    return int(body)


def _decode_float(body, *_):
    if body not in ("nan", "inf", "-inf"):
        raise WireError("malformed float")
    return float(body)


def _decode_complex(body, *_):
    real, imag = (_as_float(decode(v)) for v in body)
    return complex(real, imag)


def _as_float(value):
    if type(value) not in (int, float):
        raise WireError("malformed complex number")
    return float(value)


def _items(body, table, make_proxy, depth):
    if type(body) is not list:
        raise WireError("malformed container")
    _check_items(len(body))
    return [decode(v, table, make_proxy=make_proxy, depth=depth) for v in body]


def _decode_dict(body, table, make_proxy, depth):
    if type(body) is not list:
        raise WireError("malformed dict")
    out = {}
    for pair in body:
        if type(pair) is not list or len(pair) != 2:
            raise WireError("malformed dict item")
        out[decode(pair[0], table, make_proxy=make_proxy, depth=depth)] = decode(
            pair[1], table, make_proxy=make_proxy, depth=depth)
    return out


def _dtype(text):
    dtype = np.dtype(text)
    if dtype.kind not in ARRAY_KINDS or dtype.fields or dtype.subdtype:
        raise WireError(f"arrays of dtype {dtype} cannot cross the boundary")
    return dtype


def _decode_ndarray(body, *_):
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


def _decode_npscalar(body, *_):
    dtype_text, payload = body
    dtype = _dtype(dtype_text)
    raw = base64.b64decode(payload, validate=True)
    if len(raw) != dtype.itemsize:
        raise WireError("numpy scalar data does not match its dtype")
    return np.frombuffer(raw, dtype=dtype)[0]


def _decode_generator(body, *_):
    state = decode(body)
    if not isinstance(state, dict) or state.get("bit_generator") not in _BIT_GENERATORS:
        raise WireError("malformed random generator state")
    generator = np.random.Generator(getattr(np.random, state["bit_generator"])())
    generator.bit_generator.state = state
    return generator


def _decode_sympy(body, *_):
    try:
        return sympy_tree.from_tree(body)
    except sympy_tree.TreeError as error:
        raise WireError(str(error)) from None


def _decode_handle(body, table, make_proxy, depth):
    number, kind, name, text = body
    if make_proxy is None or type(number) is not int or kind not in ("class", "function", "object"):
        raise WireError("an object handle cannot be received here")
    return make_proxy(number, kind, name if isinstance(name, str) else None, str(text)[:200])


def _decode_yours(body, table, *_):
    if table is None:
        raise WireError("no exported objects here")
    return table.get(body)


def _decode_slice(body, table, make_proxy, depth):
    return slice(*[decode(v, table, make_proxy=make_proxy, depth=depth) for v in body])


def _decode_range(body, *_):
    if not all(type(v) is int for v in body):
        raise WireError("malformed range")
    return range(*body)


_DECODERS = {
    "$int": _decode_int,
    "$float": _decode_float,
    "$complex": _decode_complex,
    "$tuple": lambda b, t, m, d: tuple(_items(b, t, m, d)),
    "$set": lambda b, t, m, d: set(_items(b, t, m, d)),
    "$frozenset": lambda b, t, m, d: frozenset(_items(b, t, m, d)),
    "$dict": _decode_dict,
    "$bytes": lambda b, *_: base64.b64decode(b, validate=True),
    "$slice": _decode_slice,
    "$range": _decode_range,
    "$ndarray": _decode_ndarray,
    "$npscalar": _decode_npscalar,
    "$sympy": _decode_sympy,
    "$generator": _decode_generator,
    "$handle": _decode_handle,
    "$yours": _decode_yours,
}
