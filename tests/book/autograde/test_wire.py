"""nnbook.book.autograde.wire: values cross the sandbox boundary as plain data and come back as
the receiver's own plain types; anything else is refused or becomes a handle; malformed data is a
WireError. Every round trip goes through real JSON, as on the pipe."""

from __future__ import annotations

import collections
import json
import math

import numpy as np
import pytest
import sympy as sp

from nnbook.book.autograde import wire


def through_json(data):
    """What the other side reads: the encoded data after JSON (NaN and inf must not be needed)."""
    return json.loads(json.dumps(data, allow_nan=False))


def round_trip(value, table=None, **decode_options):
    return wire.decode(through_json(wire.encode(value, table)), **decode_options)


# -- plain Python values -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**53 - 1, 2**53, -(2**53) - 1, 10**400, 1.5, -0.0, 1e-300,
    3 + 4j, "", "héllo\n", b"", b"\x00\xff\x80", [], [1, "a", None],
    (), (1,), (1, (2, (3,))), {}, {"a": [1, {2: (3, 4)}], 5: None, (1, 2): "tuple key"},
    {1, 2, 3}, frozenset({"x"}), slice(1, None, -2), range(3, 30, 4),
], ids=repr)
def test_plain_values_round_trip_with_their_exact_type(value):
    back = round_trip(value)
    assert back == value
    assert type(back) is type(value)


def test_bool_stays_bool_and_int_stays_int():
    back = round_trip([True, 1, False, 0])
    assert [type(v) for v in back] == [bool, int, bool, int]


def test_big_integers_are_exact():
    big = 3**300 + 1
    assert round_trip(big) == big
    assert round_trip(-big) == -big


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_cross_without_json_extensions(value):
    back = round_trip(value)
    assert type(back) is float
    assert (math.isnan(back) and math.isnan(value)) or back == value


def test_signed_zero_survives():
    assert math.copysign(1.0, round_trip(-0.0)) == -1.0


def test_nested_containers_keep_their_kinds():
    value = {"layers": [(1, 2.5), {"w": [[1, 2], [3, 4]]}], "flags": frozenset({True})}
    back = round_trip(value)
    assert back == value
    assert type(back["layers"][0]) is tuple and type(back["layers"][1]["w"]) is list
    assert type(back["flags"]) is frozenset


def test_named_tuple_arrives_as_a_plain_tuple():
    Point = collections.namedtuple("Point", "x y")
    back = round_trip(Point(1, 2))
    assert type(back) is tuple and back == (1, 2)


class _LoudInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class _LoudStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class _LoudFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


@pytest.mark.parametrize("value, plain", [(_LoudInt(3), int), (_LoudStr("abc"), str),
                                           (_LoudFloat(2.5), float)])
def test_subclasses_of_plain_types_arrive_as_the_plain_value(value, plain):
    back = round_trip(value)
    assert type(back) is plain
    assert back != object()  # the plain type's own __eq__, not the subclass's
    assert back == plain(value)


def test_int_subclasses_inside_containers_arrive_as_plain_ints():
    back = round_trip([_LoudInt(1), (_LoudInt(2),)])
    assert type(back[0]) is int and type(back[1][0]) is int


# -- numpy -------------------------------------------------------------------------------------

@pytest.mark.parametrize("array", [
    np.array(3.25),                                  # 0-d
    np.zeros((0, 3)),                                # empty
    np.arange(24, dtype=np.int16).reshape(2, 3, 4),
    np.array([[True, False]]),
    np.array([1 + 2j, -3j], dtype=np.complex64),
    np.array(["ab", "c"]),
    np.array([np.nan, np.inf, -np.inf, -0.0]),
    np.arange(5, dtype=np.uint64) * np.uint64(2**62),
    np.arange(3, dtype=">f8"),                       # big-endian
], ids=lambda a: f"{a.dtype}{a.shape}")
def test_arrays_round_trip_with_dtype_and_shape(array):
    back = round_trip(array)
    assert type(back) is np.ndarray
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    assert back.flags.writeable and back.flags.owndata


def test_non_contiguous_views_arrive_with_their_own_element_order():
    base = np.arange(20.0).reshape(4, 5)
    for view in (base[:, ::2], base.T, base[::-1, 1:3]):
        back = round_trip(view)
        assert back.shape == view.shape
        np.testing.assert_array_equal(back, view)


def test_array_subclass_arrives_as_a_plain_ndarray():
    class Matching(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)

    back = round_trip(np.arange(3).view(Matching))
    assert type(back) is np.ndarray
    assert not np.all(back == np.array([9, 9, 9]))


@pytest.mark.parametrize("scalar", [np.float32(1.5), np.float16(-2), np.int8(-3), np.uint32(7),
                                    np.int64(-(2**62)), np.bool_(True), np.complex64(1 - 1j),
                                    np.float32(np.nan), np.longdouble(0.5)], ids=repr)
def test_numpy_scalars_keep_their_dtype(scalar):
    back = round_trip(scalar)
    assert type(back) is type(scalar)
    assert back.dtype == scalar.dtype
    assert (back == scalar) or (np.isnan(back) and np.isnan(scalar))


@pytest.mark.parametrize("scalar, plain", [(np.float64(0.1), float), (np.complex128(1j), complex),
                                           (np.str_("s"), str)], ids=repr)
def test_numpy_scalars_that_subclass_a_python_type_arrive_as_that_type(scalar, plain):
    back = round_trip(scalar)
    assert type(back) is plain and back == scalar


def test_generator_arrives_with_the_same_future_draws():
    rng = np.random.default_rng(20240601)
    rng.normal(size=5)  # some draws already made
    back = round_trip(rng)
    assert isinstance(back, np.random.Generator) and back is not rng
    np.testing.assert_array_equal(back.normal(size=10), rng.normal(size=10))
    np.testing.assert_array_equal(back.integers(0, 100, size=10), rng.integers(0, 100, size=10))


def test_generator_with_another_bit_generator_keeps_its_kind():
    rng = np.random.Generator(np.random.Philox(7))
    back = round_trip(rng)
    assert type(back.bit_generator) is np.random.Philox
    assert back.random() == rng.random()


# -- sympy -------------------------------------------------------------------------------------

x, y = sp.symbols("x y")
k = sp.Symbol("k", integer=True, positive=True)


@pytest.mark.parametrize("expr", [
    x**2 + 3 * x * y - sp.Rational(1, 3), sp.exp(-x) * sp.log(y), sp.sin(x) / sp.cos(y),
    sp.Piecewise((x, x > 1), (0, True)), sp.Eq(x, y), x < y, sp.Ge(x, 2), sp.Ne(x, 0),
    sp.Matrix([[x, 1], [2, y]]), sp.Matrix(0, 0, []), sp.Float("1.25"), sp.pi * sp.E * sp.I,
    sp.oo, -sp.oo, sp.nan, sp.Max(x, 1), sp.Abs(x - y), sp.sqrt(x), sp.tanh(x),
    sp.Heaviside(x), sp.Derivative(sp.Function("f")(x), x), sp.Lambda(x, x**2), sp.Interval(0, 1),
], ids=str)
def test_sympy_expressions_round_trip(expr):
    back = round_trip(expr)
    if isinstance(expr, sp.MatrixBase):
        assert isinstance(back, sp.MatrixBase) and back.shape == expr.shape
        assert all(a == b for a, b in zip(back, expr))
    else:
        assert back == expr


def test_sympy_assumptions_are_kept():
    back = round_trip(k)
    assert back == k and back.is_integer and back.is_positive
    assert round_trip(x).is_positive is None


def test_sympy_unevaluated_integral_has_the_same_value():
    back = round_trip(sp.Integral(x**2, (x, 0, 1)))
    assert isinstance(back, sp.Integral)
    assert back.doit() == sp.Rational(1, 3)


def test_a_bare_undefined_function_application_crosses():
    f = sp.Function("f")
    assert round_trip(f(x)) == f(x)


# -- nnbook's library and numpy's ufuncs by name, nnbook objects by state --------------------

def test_library_functions_classes_and_ufuncs_cross_by_name_as_the_receivers_own():
    from nnbook.functional.activations import sigmoid
    from nnbook.layers import Dense

    for value in (sigmoid, Dense, np.sin, np.add):
        data = through_json(wire.encode(value))
        assert "$ref" in data
        assert wire.decode(data) is value


def test_library_objects_cross_by_state_and_shared_objects_stay_shared():
    from nnbook.layers import Dense

    layer = Dense(3, activation="tanh", name="hidden")
    back = round_trip({"first": layer, "again": layer, "other": Dense(2)})
    assert type(back["first"]) is Dense and back["first"] is not layer
    assert back["first"] is back["again"] and back["other"] is not back["first"]
    assert back["first"].units == 3 and back["other"].units == 2
    assert wire.object_state(back["first"]).keys() == wire.object_state(layer).keys()


@pytest.mark.parametrize("name", [
    "os:system", "builtins:eval", "subprocess:run", "nnbook:__name__",
    "nnbook.layers:__builtins__", "nnbook.layers:Dense.__init__.__globals__",
    "nnbook.layers:Dense.__subclasses__", "nnbook.book.grading:check_equal",
    "nnbook.book.autograde.runner:execute", "numpy:__builtins__", "nnbook.layers:no_such_name",
    "nnbook.layers", "nnbook.layers:dense", "numpy:pi",
])
def test_references_outside_the_library_or_to_non_callables_are_refused(name):
    import nnbook.book.autograde.runner  # loaded in the grader, so reachable by attribute
    import nnbook.book.grading  # noqa: F401 - loaded in the grader

    with pytest.raises(wire.WireError):
        wire.decode({"$ref": name})


@pytest.mark.parametrize("data", [
    {"$ref": "nnbook.book:grading.check_equal"},
    {"$ref": "nnbook.book:autograde.runner.execute"},
    {"$object": ["nnbook.book:autograde.settings.Settings", 1, [["sandbox", "none"]]]},
], ids=["check", "runner", "settings-object"])
def test_the_graders_own_package_cannot_be_named(data):
    import nnbook.book.autograde.runner  # loaded in the grader
    import nnbook.book.grading  # noqa: F401 - loaded in the grader

    with pytest.raises(wire.WireError):
        wire.decode(data)


@pytest.mark.parametrize("name", ["numpy:load", "numpy:save", "numpy:fromfile", "numpy:lib.format.open_memmap"])
def test_only_numpy_ufuncs_can_be_named(name):
    with pytest.raises(wire.WireError):
        wire.decode({"$ref": name})


@pytest.mark.parametrize("data", [
    {"$object": ["os:PathLike", 1, []]},
    {"$object": ["nnbook.functional.activations:sigmoid", 1, []]},           # not a class
    {"$object": ["nnbook.layers:Dense", 1, [["__class__", {"$ref": "nnbook.layers:Layer"}]]]},
    {"$object": ["nnbook.layers:Dense", 1, [["__dict__", {"$dict": []}]]]},
    {"$object": ["nnbook.layers:Dense", 1, [["units"]]]},
    {"$object": ["nnbook.layers:Dense", 1, [[3, 4]]]},
    {"$object": ["nnbook.layers:Dense", "1", []]},
    {"$same": 5},
], ids=["not-nnbook", "function", "dunder-class", "dunder-dict", "short-item", "number-name",
        "string-number", "unsent-same"])
def test_malformed_or_hostile_library_objects_are_wire_errors(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_a_rebuilt_library_object_runs_none_of_the_senders_code():
    """Attributes arrive as plain data: a 'units' that claims to equal everything is a plain int."""
    from nnbook.layers import Dense

    data = {"$object": ["nnbook.layers:Dense", 1, [["units", wire.encode(_LoudInt(4))]]]}
    layer = wire.decode(through_json(data))
    assert type(layer) is Dense and type(layer.units) is int and layer.units != 5


# -- everything else ---------------------------------------------------------------------------

def _function():
    return 1


class _Thing:
    pass


@pytest.mark.parametrize("value", [_function, _Thing, _Thing(), print, np.linalg.norm, object(),
                                   np.array([object()]), np.zeros(2, dtype=[("a", "f8")]),
                                   np.datetime64("2020-01-01"), sp.Poly(x**2), iter([1])],
                         ids=lambda v: type(v).__name__)
def test_anything_else_is_refused_without_a_table(value):
    with pytest.raises(wire.WireError):
        wire.encode(value)


def test_a_function_inside_a_container_is_refused_without_a_table():
    with pytest.raises(wire.WireError):
        wire.encode({"f": [1, _function]})


class _Proxy:
    def __init__(self, number, kind, name, text):
        self.number, self.kind, self.name, self.text = number, kind, name, text


def test_with_a_table_other_objects_become_handles_and_come_back_as_themselves():
    table = wire.ObjectTable()
    thing = _Thing()
    data = through_json(wire.encode([_function, _Thing, thing, thing], table))
    received = wire.decode(data, make_proxy=_Proxy)
    assert all(type(p) is _Proxy for p in received)
    assert [p.kind for p in received] == ["function", "class", "object", "object"]
    assert [p.name for p in received[:3]] == ["_function", "_Thing", None]
    assert received[2].number == received[3].number, "the same object is exported once"
    assert len({p.number for p in received}) == 3
    # the receiver sends its proxies back: the owner decodes them as its original objects
    owner_of = lambda value: value.number if isinstance(value, _Proxy) else None
    back = wire.decode(through_json(wire.encode(received, owner_of=owner_of)), table)
    assert back[0] is _function and back[1] is _Thing and back[2] is thing and back[3] is thing


def test_handle_text_is_short_even_for_a_long_repr():
    class Long:
        def __repr__(self):
            return "x" * 10_000

    texts = []
    wire.decode(through_json(wire.encode(Long(), wire.ObjectTable())),
                make_proxy=lambda n, kind, name, text: texts.append(text))
    assert len(texts[0]) <= 200


def test_a_broken_repr_does_not_break_encoding():
    class Broken:
        def __repr__(self):
            raise RuntimeError("no")

    data = wire.encode(Broken(), wire.ObjectTable())
    assert "$handle" in data


def test_unknown_handle_number_is_a_wire_error():
    with pytest.raises(wire.WireError):
        wire.decode({"$yours": 99}, wire.ObjectTable())


# -- hostile objects ---------------------------------------------------------------------------

class _Pretender:
    """Claims to be an int through __class__, equals everything, converts to an array."""

    __class__ = property(lambda self: int)

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__

    def __array__(self, *args, **kwargs):
        return np.array([1.0])


class _ArrayLike:
    def __array__(self, *args, **kwargs):
        return np.arange(3.0)

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def test_an_array_like_object_is_not_turned_into_an_array():
    with pytest.raises(wire.WireError):
        wire.encode(_ArrayLike())
    got = []
    wire.decode(through_json(wire.encode(_ArrayLike(), wire.ObjectTable())),
                make_proxy=lambda *a: got.append(a) or "proxy")
    assert got and got[0][1] == "object"


def test_a_pretender_never_decodes_to_itself_or_to_an_int():
    """Whatever encode does with it, the receiver never holds the pretender or an int made from
    it (its __class__ says int but it is not one)."""
    try:
        data = wire.encode(_Pretender(), wire.ObjectTable())
    except (wire.WireError, TypeError):
        return
    back = wire.decode(through_json(data), make_proxy=lambda *a: "proxy")
    assert back == "proxy"


def test_a_pretender_with_a_table_becomes_a_handle():
    data = wire.encode(_Pretender(), wire.ObjectTable())
    assert "$handle" in data


def test_a_pretender_without_a_table_is_a_wire_error():
    with pytest.raises(wire.WireError):
        wire.encode(_Pretender())


# -- malformed data ----------------------------------------------------------------------------

def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


@pytest.mark.parametrize("data", [
    {"$unknown": 1},
    {"$int": 5}, {"$int": "12a"}, {"$int": "1" * 6000},
    {"$float": "1.5"}, {"$float": None},
    {"$complex": ["a", 1]},
    {"a": 1, "b": 2},
    {"$tuple": 3}, {"$set": "abc"}, {"$dict": [[1]]}, {"$dict": [[[1], 2]]},
    {"$bytes": "not base64!"},
    {"$range": [1.5, 2, 1]},
    {"$ndarray": ["|O", [1], _b64(b"\0" * 8)]},                    # object dtype
    {"$ndarray": ["V8", [1], _b64(b"\0" * 8)]},                    # raw bytes dtype
    {"$ndarray": ["<f8", [3], _b64(b"\0" * 16)]},                  # shape/data mismatch
    {"$ndarray": ["<f8", [-1], _b64(b"")]},
    {"$ndarray": ["<f8", [10**6, 10**6], _b64(b"")]},              # too large
    {"$ndarray": ["<f8", [1]]},
    {"$ndarray": ["<f8", [1], "!!!!"]},
    {"$npscalar": ["|O", _b64(b"\0" * 8)]},
    {"$npscalar": ["<f8", _b64(b"\0" * 4)]},
    {"$generator": {"$dict": [["bit_generator", "Evil"]]}},
    {"$generator": 5},
    {"$handle": [1, "function", "f", "f"]},                        # no make_proxy here
    {"$yours": 1},                                                 # no table here
    {"$sympy": ["Function", [["Integer", "1"]]]},
    {"$sympy": ["__import__", [["Const", "pi"]]]},
    {"$sympy": "x"},
    ("tuple",), {"$slice": 3},
], ids=lambda d: json.dumps(d, default=str)[:60])
def test_malformed_data_is_a_wire_error(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


@pytest.mark.parametrize("tree", [["Const"], ["Integer"]])
def test_truncated_sympy_tree_is_a_wire_error(tree):
    with pytest.raises(wire.WireError):
        wire.decode({"$sympy": tree})


def test_too_deep_data_is_refused_both_ways():
    nested = 1
    for _ in range(wire.MAX_DEPTH + 5):
        nested = [nested]
    with pytest.raises(wire.WireError):
        wire.encode(nested)
    data = 1
    for _ in range(wire.MAX_DEPTH + 5):
        data = [data]
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_too_many_items_are_refused(monkeypatch):
    monkeypatch.setattr(wire, "MAX_ITEMS", 10)
    with pytest.raises(wire.WireError):
        wire.encode(list(range(11)))
    with pytest.raises(wire.WireError):
        wire.encode(np.zeros(11))
    with pytest.raises(wire.WireError):
        wire.decode({"$tuple": list(range(11))})
    assert wire.decode({"$tuple": list(range(10))}) == tuple(range(10))
