"""nnbook.book.autograde.channel: length-prefixed JSON messages over a pair of pipes, requests
answered while waiting (nested both ways), deadlines, and a peer that sends garbage or too much.

The peer is a second Channel served by a thread, or raw bytes written to the pipe by the test."""

from __future__ import annotations

import json
import os
import struct
import threading
import time

import pytest

from nnbook.book.autograde import channel as ch


def _describe(error):
    return {"type": type(error).__name__, "message": str(error)}


class Pair:
    """Two channels joined by two pipes; ``near`` is driven by the test, ``far`` by a thread
    (started with :meth:`serve`)."""

    def __init__(self, near_handlers=None, far_handlers=None):
        near_read, far_write = os.pipe()
        far_read, near_write = os.pipe()
        self.fds = [near_read, far_write, far_read, near_write]
        self.near = ch.Channel(near_read, near_write, near_handlers or {}, _describe)
        self.far = ch.Channel(far_read, far_write, far_handlers or {}, _describe)
        self.far_write = far_write
        self.thread = None

    def serve(self):
        self.thread = threading.Thread(target=self.far.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        """End of file for the far side first, so that its thread finishes what it is sending
        and returns; then the rest."""
        for fd in self.fds[3:] + self.fds[:3]:
            try:
                os.close(fd)
            except OSError:
                pass
            if fd == self.fds[3] and self.thread is not None:
                self.thread.join(timeout=5)


@pytest.fixture
def make_pair():
    pairs = []

    def make(near_handlers=None, far_handlers=None):
        pair = Pair(near_handlers, far_handlers)
        pairs.append(pair)
        return pair

    yield make
    for pair in pairs:
        pair.close()


def _raw(pair, data: bytes):
    """Bytes from the far side exactly as given (no framing)."""
    os.write(pair.far_write, data)


# -- framing -----------------------------------------------------------------------------------

def test_a_message_is_a_four_byte_big_endian_length_and_json(make_pair):
    pair = make_pair()
    pair.far.send({"greeting": "héllo", "n": [1, 2.5, None]})
    header = os.read(pair.fds[0], 4)
    (length,) = struct.unpack(">I", header)
    payload = os.read(pair.fds[0], length)
    assert len(payload) == length
    assert json.loads(payload.decode("utf-8")) == {"greeting": "héllo", "n": [1, 2.5, None]}


def test_messages_arrive_whole_and_in_order(make_pair):
    pair = make_pair()
    for i in range(5):
        pair.far.send({"i": i})
    assert [pair.near.receive()["i"] for _ in range(5)] == list(range(5))


def test_a_message_larger_than_the_pipe_buffer_arrives_whole(make_pair):
    pair = make_pair(far_handlers={"big": lambda m: "x" * m["n"]})
    pair.serve()
    n = 3 * 1024 * 1024
    assert pair.near.request("big", n=n) == "x" * n


# -- requests ----------------------------------------------------------------------------------

def test_request_returns_the_peer_handlers_result(make_pair):
    pair = make_pair(far_handlers={"add": lambda m: m["a"] + m["b"]})
    pair.serve()
    assert pair.near.request("add", a=2, b=40) == 42
    assert pair.near.request("add", a="x", b="y") == "xy"


def test_nested_requests_both_ways(make_pair):
    """near asks far for f(n); far's handler asks near for g(n), whose handler asks far for h(n):
    three requests in flight at once, each answered to the right asker."""
    calls = []

    def far_f(message):
        calls.append("f")
        return 1 + pair.far.request("g", n=message["n"])

    def near_g(message):
        calls.append("g")
        return 10 * pair.near.request("h", n=message["n"])

    def far_h(message):
        calls.append("h")
        return message["n"] + 0.5

    pair = make_pair(near_handlers={"g": near_g}, far_handlers={"f": far_f, "h": far_h})
    pair.serve()
    assert pair.near.request("f", n=3) == 1 + 10 * 3.5
    assert calls == ["f", "g", "h"]
    assert pair.near.request("h", n=1) == 1.5  # still in step afterwards


def test_a_failing_handler_comes_back_as_remote_failure_and_the_channel_goes_on(make_pair):
    def fail(message):
        raise KeyError("missing thing")

    pair = make_pair(far_handlers={"fail": fail, "ok": lambda m: "fine"})
    pair.serve()
    with pytest.raises(ch.RemoteFailure) as info:
        pair.near.request("fail")
    assert info.value.info == {"type": "KeyError", "message": "'missing thing'"}
    assert pair.near.request("ok") == "fine"


def test_even_a_base_exception_in_a_handler_is_answered(make_pair):
    def interrupt(message):
        raise KeyboardInterrupt("stop")

    pair = make_pair(far_handlers={"interrupt": interrupt, "ok": lambda m: 1})
    pair.serve()
    with pytest.raises(ch.RemoteFailure) as info:
        pair.near.request("interrupt")
    assert info.value.info["type"] == "KeyboardInterrupt"
    assert pair.near.request("ok") == 1


def test_an_unknown_request_is_a_remote_failure(make_pair):
    pair = make_pair()
    pair.serve()
    with pytest.raises(ch.RemoteFailure, match="nonexistent"):
        pair.near.request("nonexistent")


def test_an_answer_to_a_question_not_asked_closes_the_channel(make_pair):
    pair = make_pair()
    pair.far.send({"re": 999, "ok": "surprise"})
    with pytest.raises(ch.ChannelClosed):
        pair.near.request("anything")


def test_serve_forever_returns_when_the_peer_closes(make_pair):
    pair = make_pair()
    pair.serve()
    os.close(pair.fds[3])  # near's write end: far reads end of file
    pair.thread.join(timeout=5)
    assert not pair.thread.is_alive()


# -- deadlines ---------------------------------------------------------------------------------

def test_a_silent_peer_misses_the_deadline(make_pair):
    release = threading.Event()
    pair = make_pair(far_handlers={"wait": lambda m: release.wait(30)})
    pair.serve()
    pair.near.deadline = time.monotonic() + 0.3
    start = time.monotonic()
    try:
        with pytest.raises(ch.DeadlineExceeded):
            pair.near.request("wait")
    finally:
        release.set()
    assert time.monotonic() - start < 5
    assert issubclass(ch.DeadlineExceeded, ch.ChannelClosed)


def test_a_deadline_already_past_gives_up_at_once(make_pair):
    pair = make_pair()
    pair.far.send({"ready": True})  # even with data waiting
    pair.near.deadline = time.monotonic() - 1
    with pytest.raises(ch.DeadlineExceeded):
        pair.near.receive()


def test_a_peer_that_sends_half_a_message_misses_the_deadline(make_pair):
    pair = make_pair()
    _raw(pair, struct.pack(">I", 100) + b'{"a": ')
    pair.near.deadline = time.monotonic() + 0.3
    with pytest.raises(ch.DeadlineExceeded):
        pair.near.receive()


def test_without_a_deadline_an_answer_may_take_its_time(make_pair):
    pair = make_pair(far_handlers={"slow": lambda m: time.sleep(0.5) or "done"})
    pair.serve()
    assert pair.near.deadline is None
    assert pair.near.request("slow") == "done"


# -- a peer that breaks the protocol -----------------------------------------------------------

def test_an_oversized_length_closes_the_channel_without_reading_it(make_pair):
    pair = make_pair()
    _raw(pair, struct.pack(">I", ch.MAX_MESSAGE_BYTES + 1))
    pair.near.deadline = time.monotonic() + 5
    with pytest.raises(ch.ChannelClosed) as info:
        pair.near.receive()
    assert not isinstance(info.value, ch.DeadlineExceeded)


@pytest.mark.parametrize("payload", [b"not json", b"\xff\xfe\x00", b"[1, 2, 3]", b'"text"', b"null",
                                     b"[" * 100_000 + b"]" * 100_000],
                         ids=["text", "bad-utf8", "list", "string", "null", "deep"])
def test_garbage_closes_the_channel(make_pair, payload):
    pair = make_pair()
    reader = threading.Thread(target=_raw, args=(pair, struct.pack(">I", len(payload)) + payload))
    reader.start()  # a payload larger than the pipe buffer needs a concurrent reader
    try:
        with pytest.raises(ch.ChannelClosed):
            pair.near.receive()
    finally:
        reader.join(timeout=10)


def test_a_peer_that_closes_mid_message_closes_the_channel(make_pair):
    pair = make_pair()
    _raw(pair, struct.pack(">I", 50) + b'{"a"')
    os.close(pair.far_write)
    with pytest.raises(ch.ChannelClosed):
        pair.near.receive()


def test_a_peer_that_is_gone_closes_the_channel_on_request(make_pair):
    pair = make_pair()
    os.close(pair.fds[2])  # far's read end: near's writes fail
    os.close(pair.far_write)
    with pytest.raises(ch.ChannelClosed):
        pair.near.request("anything")
