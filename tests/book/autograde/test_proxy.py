"""nnbook.book.autograde.proxy: the grader's proxies for the student's objects, and the Link that
turns their uses into requests.

No sandbox here: the Link talks over a real pipe pair to a peer thread whose answers each test
writes itself (what a server would send, or what a hostile one could), so each promise of the
grader's side is checked on its own. The whole path with a real sandbox is in test_runner.py."""

from __future__ import annotations

import os
import threading
import time
import warnings

import numpy as np
import pytest

from nnbook.book.autograde import proxy, remote_errors, wire
from nnbook.book.autograde.channel import Channel, ChannelClosed
from nnbook.book.autograde.settings import Settings
from nnbook.book.grading import CheckFailure


class _Relay(Exception):
    """Makes the fake peer answer with a prepared description (as the server would)."""

    def __init__(self, info):
        super().__init__(info["message"])
        self.info = info


def _peer_describe(error):
    """The fake peer describes a _Relay by the description it carries, anything else as the
    server does."""
    return error.info if isinstance(error, _Relay) else remote_errors.describe(error)


class FakeSandbox:
    """What Link needs of a sandbox: a channel, a generation, settings and kill()."""

    def __init__(self, handlers):
        near_read, far_write = os.pipe()
        far_read, near_write = os.pipe()
        self._fds = [near_read, far_write, far_read, near_write]
        self.channel = Channel(near_read, near_write, {}, remote_errors.describe)
        self.peer = Channel(far_read, far_write, handlers, _peer_describe)
        self.generation = 1
        self.settings = Settings(timeout=3)
        self.killed = False
        self.lost = None
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        try:
            self.peer.serve_forever()
        except ChannelClosed:  # the peer "died" mid-answer (a test closed its end)
            pass

    def kill(self):
        self.killed = True
        self.channel = None

    def close(self):
        for fd in self._fds[3:] + self._fds[:3]:
            try:
                os.close(fd)
            except OSError:
                pass
            if fd == self._fds[3]:
                self._thread.join(timeout=5)


@pytest.fixture
def link_to():
    """``link_to(handlers)``: a Link whose sandbox answers with ``handlers`` (op → function
    of the request message → plain answer)."""
    made = []

    def make(handlers):
        sandbox = FakeSandbox(handlers)
        made.append(sandbox)
        link = proxy.Link(sandbox)
        link.sandbox.channel._handlers["call"] = link.handle_call  # as runner.Grader does
        return link

    yield make
    for sandbox in made:
        sandbox.close()


def _answer(result=None, **extra):
    return {"result": wire.encode(result), **extra}


def _proxy(link, number=1, kind="function", name="student_fn"):
    return proxy.StudentObject(link, number, kind, name, f"<{name}>")


# -- the proxy's own behaviour: nothing asked of the sandbox ----------------------------------

class _NoSandbox:
    generation = 1
    channel = None
    settings = Settings(timeout=3)
    lost = None

    def kill(self):
        pass


@pytest.fixture
def offline():
    """A proxy whose sandbox is gone: any request raises SandboxLost."""
    return _proxy(proxy.Link(_NoSandbox()))


def test_equality_and_hashing_are_identity_without_a_request(offline):
    other = _proxy(offline._nnbook_link)
    same = offline
    assert offline == same and offline != other and offline != 3
    assert len({offline, offline, other}) == 2


def test_truth_is_the_proxys_own_without_a_request(offline):
    assert bool(offline) is True


def test_name_and_repr_are_local(offline):
    assert offline.__name__ == "student_fn" and offline.__qualname__ == "student_fn"
    assert repr(offline) == "<student_fn>"


def test_globals_cannot_be_reached(offline):
    with pytest.raises(AttributeError):
        offline.__globals__  # noqa: B018


def test_globals_says_why_and_what_to_use_instead(offline):
    with pytest.raises(AttributeError, match="student_global"):
        offline.__globals__  # noqa: B018


@pytest.mark.parametrize("name", ["__array__", "__array_interface__", "__float__", "__wrapped__", "__code__"])
def test_dunder_attributes_are_absent_without_a_request(offline, name):
    with pytest.raises(AttributeError):
        getattr(offline, name)


def test_numpy_does_not_ask_the_student_to_become_an_array(offline):
    array = np.asarray(offline)  # an object array holding the proxy, no __array__ request
    assert array.dtype == object and array.item() is offline


def test_sandbox_lost_cannot_be_swallowed_by_except_exception(offline):
    assert issubclass(proxy.SandboxLost, BaseException) and not issubclass(proxy.SandboxLost, Exception)
    with pytest.raises(proxy.SandboxLost):
        try:
            offline(1)
        except Exception:  # noqa: BLE001, S110 - a test cell's broad except must not swallow a hang
            pass


def test_a_proxy_from_a_stopped_sandbox_says_so(link_to):
    link = link_to({"call": lambda m: _answer(1)})
    old = _proxy(link)
    link.sandbox.generation = 2  # the sandbox was rebuilt since this proxy was made
    with pytest.raises(proxy.SandboxLost, match="stopped"):
        old()
    assert _proxy(link)() == 1


# -- calls -------------------------------------------------------------------------------------

def test_arguments_go_as_plain_data_and_the_result_comes_back_decoded(link_to):
    seen = []

    def call(message):
        seen.append(message)
        return _answer({"sum": np.float32(2.5), "items": (1, [2])})

    link = link_to({"call": call})
    result = _proxy(link, number=7)(np.arange(3), scale=2)
    assert result == {"sum": np.float32(2.5), "items": (1, [2])} and type(result["sum"]) is np.float32
    [message] = seen
    assert message["ref"] == 7
    assert message["args"] == wire.encode([np.arange(3)]) and message["kwargs"] == wire.encode({"scale": 2})


def test_mutated_arguments_are_copied_back_in_place(link_to):
    def call(message):
        return _answer(None, mutated=[["arg", 0, wire.encode(np.array([5.0, 6.0]))],
                                      ["arg", 1, wire.encode([1, 2, 3])],
                                      ["kwarg", "table", wire.encode({"new": 1})]])

    link = link_to({"call": call})
    array, items, table = np.zeros(2), [1], {"old": 0}
    array_before, items_before, table_before = array, items, table
    _proxy(link)(array, items, table=table)
    assert array is array_before and array.tolist() == [5.0, 6.0]
    assert items is items_before and items == [1, 2, 3]
    assert table is table_before and table == {"new": 1}


def test_mutation_reports_for_arguments_that_do_not_exist_are_ignored(link_to):
    def call(message):
        return _answer(0, mutated=[["arg", 5, wire.encode([9])], ["arg", -1, wire.encode([9])],
                                   ["kwarg", "absent", wire.encode([9])], ["arg", "0", wire.encode([9])]])

    items = [1]
    assert _proxy(link_to({"call": call}))(items) == 0
    assert items == [1]


@pytest.mark.parametrize("same_as, expected_index", [(["arg", 1], 1), (["kwarg", "k"], "k")])
def test_a_returned_argument_is_the_callers_own_object(link_to, same_as, expected_index):
    link = link_to({"call": lambda m: {"result": None, "same_as": same_as}})
    args, kwargs = ([0], [1]), {"k": [2]}
    result = _proxy(link)(*args, **kwargs)
    assert result is (args[1] if expected_index == 1 else kwargs["k"])


def test_prints_and_warnings_of_the_call_are_replayed(link_to, capsys):
    link = link_to({"call": lambda m: _answer(3, stdout="from the student\n",
                                              warnings=[["RuntimeWarning", "overflow"],
                                                        ["EvilWarning", "unknown class"]])})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _proxy(link)() == 3
    assert capsys.readouterr().out == "from the student\n"
    assert [(w.category, str(w.message)) for w in caught] == [(RuntimeWarning, "overflow"),
                                                             (RuntimeWarning, "unknown class")]


def test_the_students_exception_arrives_as_the_nearest_builtin(link_to):
    info = remote_errors.describe(_raised(type("MyError", (KeyError,), {}), "k"))
    link = link_to({"call": lambda m: (_ for _ in ()).throw(_Relay(info))})
    with pytest.raises(KeyError) as caught:
        _proxy(link)()
    assert type(caught.value) is KeyError
    assert "MyError" in caught.value.remote_traceback


def _raised(cls, *args):
    try:
        raise cls(*args)
    except cls as error:
        return error


@pytest.mark.parametrize("bases, expected", [
    (["MyError", "ValueError", "Exception"], ValueError),
    (["CheckFailure", "AssertionError", "Exception"], CheckFailure),
    (["Odd", "Exception", "BaseException"], RuntimeError),
    (["KeyboardInterrupt", "BaseException"], RuntimeError),
    (["SystemExit", "BaseException"], RuntimeError),
    (["ZeroDivisionError", "ArithmeticError"], ZeroDivisionError),
    (["LinAlgError", "ValueError"], np.linalg.LinAlgError),
])
def test_rebuild_picks_the_nearest_known_class(bases, expected):
    error = remote_errors.rebuild({"type": bases[0], "bases": bases, "message": "m", "traceback": "tb"})
    assert type(error) is expected
    assert str(error).endswith("m") and error.remote_traceback == "tb"
    if expected is RuntimeError:
        assert str(error).startswith(bases[0])


@pytest.mark.parametrize("info", [{}, {"bases": "ValueError"}, {"bases": [None, 3]},
                                  {"type": "X", "message": "y" * 100_000}])
def test_rebuild_survives_malformed_descriptions(info):
    error = remote_errors.rebuild(info)
    assert isinstance(error, Exception) and len(str(error)) <= remote_errors.MAX_MESSAGE + 100


def test_a_broken_str_does_not_break_describe():
    class Broken(ValueError):
        def __str__(self):
            raise RuntimeError("no")

    info = remote_errors.describe(_raised(Broken))
    assert info["type"] == "Broken" and "ValueError" in info["bases"]


def test_callbacks_run_here_with_plain_arguments(link_to):
    received = []

    link = link_to({})

    def student_call(message):
        # the student's side calls back the test's function it was given
        callback_number = message["args"][0]["$handle"][0]
        answer = link.sandbox.peer.request("call", ref=callback_number, args=wire.encode([[1, 2]]),
                                           kwargs=wire.encode({}))
        return _answer(answer)

    link.sandbox.peer._handlers["call"] = student_call
    result = _proxy(link)(lambda values: received.append(values) or sum(values) * 10)
    assert received == [[1, 2]] and type(received[0]) is list
    assert result == 30


def test_only_functions_may_be_lent_to_the_student(link_to):
    link = link_to({"call": lambda m: _answer(None)})

    class Helper:
        pass

    for refused in (Helper(), Helper, np.random.default_rng(0).bit_generator, object()):
        with pytest.raises(wire.WireError):
            _proxy(link)(refused)
    assert _proxy(link)(len) is None  # a function is lent as a handle


def test_a_deadline_kills_the_sandbox_and_raises_sandbox_lost(link_to):
    release = threading.Event()
    link = link_to({"call": lambda m: release.wait(30) and _answer(None)})
    link.sandbox.channel.deadline = time.monotonic() + 0.3
    try:
        with pytest.raises(proxy.SandboxLost, match="time limit of 3 s"):
            _proxy(link)()
    finally:
        release.set()
    assert link.sandbox.killed and "deadline" in link.sandbox.lost
    with pytest.raises(proxy.SandboxLost, match="stopped earlier"):
        _proxy(link)()


def test_a_vanished_sandbox_raises_sandbox_lost(link_to):
    link = link_to({"call": lambda m: os.close(link.sandbox._fds[1])})  # the peer closes its end
    with pytest.raises(proxy.SandboxLost, match="ended its own process"):
        _proxy(link)()
    assert link.sandbox.killed


@pytest.mark.parametrize("answer", ["not a dict", 3, None, ["result"]])
def test_an_answer_that_is_not_an_answer_is_a_type_error(link_to, answer):
    link = link_to({"call": lambda m: answer})
    with pytest.raises(TypeError):
        _proxy(link)()


def test_malformed_result_data_is_a_wire_error_not_an_object(link_to):
    link = link_to({"call": lambda m: {"result": {"$ndarray": ["|O", [1], "AAAAAAAAAAA="]}}})
    with pytest.raises(wire.WireError):
        _proxy(link)()


def test_attribute_item_and_length_requests(link_to):
    store = {"weights": [1.5, 2.5]}
    link = link_to({
        "getattr": lambda m: wire.encode(store[m["name"]]),
        "setattr": lambda m: store.__setitem__(m["name"], wire.decode(m["value"])),
        "getitem": lambda m: wire.encode(store["weights"][wire.decode(m["key"])]),
        "len": lambda m: len(store["weights"]),
        "list": lambda m: wire.encode(list(store["weights"])),
    })
    obj = _proxy(link, kind="object", name=None)
    assert obj.weights == [1.5, 2.5]
    obj.weights = (9,)
    assert store["weights"] == (9,) and len(obj) == 1 and obj[0] == 9 and list(obj) == [9]


@pytest.mark.parametrize("length", [-1, "3", 2.0, True])
def test_a_length_that_is_not_a_length_is_refused(link_to, length):
    link = link_to({"len": lambda m: length})
    with pytest.raises(TypeError):
        len(_proxy(link, kind="object"))


# -- copy_into ---------------------------------------------------------------------------------

def test_copy_into_arrays_in_place_only_when_the_shape_matches():
    array = np.zeros(3)
    proxy.copy_into(array, np.array([1.0, 2.0, 3.0]))
    assert array.tolist() == [1.0, 2.0, 3.0]
    proxy.copy_into(array, np.zeros(4))
    assert array.tolist() == [1.0, 2.0, 3.0]
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    proxy.copy_into(frozen, np.ones(2))
    assert frozen.tolist() == [0.0, 0.0]


def test_copy_into_nested_lists_keeps_inner_objects():
    inner_array, inner_list = np.zeros(2), [0]
    outer = [inner_array, inner_list, "text"]
    proxy.copy_into(outer, [np.ones(2), [5, 6], "changed"])
    assert outer[0] is inner_array and inner_array.tolist() == [1.0, 1.0]
    assert outer[1] is inner_list and inner_list == [5, 6]
    assert outer[2] == "changed"
    proxy.copy_into(outer, [1])
    assert outer == [1]


def test_copy_into_dicts_sets_and_generators():
    table, bag = {"a": 1}, {1}
    proxy.copy_into(table, {"b": 2})
    proxy.copy_into(bag, {2, 3})
    assert table == {"b": 2} and bag == {2, 3}
    rng, advanced = np.random.default_rng(1), np.random.default_rng(1)
    advanced.random(4)
    proxy.copy_into(rng, advanced)
    assert rng.random() == advanced.random()
