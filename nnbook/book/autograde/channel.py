"""Requests and answers between the grader and the sandbox, over a pair of pipes.

A message is a 4-byte length and a JSON document. Either side may send a request while it waits
for an answer (the grader calls the student's function, which calls back a function the test
passed in), so :meth:`Channel.request` serves the peer's requests until its own answer arrives.
Every wait of the grader's side has a deadline; a peer that sends nothing, too much or garbage
ends the conversation with :class:`ChannelClosed`.
"""

import json
import os
import select
import struct
import time

MAX_MESSAGE_BYTES = 128 * 1024 * 1024
_HEADER = struct.Struct(">I")


class ChannelClosed(Exception):
    """The peer is gone, sent something that is not a message, or missed the deadline."""


class DeadlineExceeded(ChannelClosed):
    """The peer did not answer before the deadline."""


class RemoteFailure(Exception):
    """The peer's handler raised: ``info`` is its plain description (type, bases, message)."""

    def __init__(self, info):
        super().__init__(info.get("message", ""))
        self.info = info


class Channel:
    """One end of the conversation. ``handlers``: op name → function(message) → plain result."""

    def __init__(self, read_fd, write_fd, handlers, describe_error):
        self._read_fd = read_fd
        self._write_fd = write_fd
        self._handlers = handlers
        self._describe_error = describe_error
        self._next_id = 0
        self.deadline = None  # time.monotonic() value after which waits give up, or None

    # -- framing -------------------------------------------------------------------------
    def send(self, message):
        payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
        data = _HEADER.pack(len(payload)) + payload
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._write_fd, view)
                view = view[written:]
        except OSError as error:
            raise ChannelClosed(f"cannot send: {error}") from None

    def _read_exactly(self, n):
        chunks = []
        while n:
            if self.deadline is not None:
                left = self.deadline - time.monotonic()
                if left <= 0 or not select.select([self._read_fd], [], [], left)[0]:
                    raise DeadlineExceeded("no answer before the deadline")
            try:
                chunk = os.read(self._read_fd, min(n, 1 << 20))
            except OSError as error:
                raise ChannelClosed(f"cannot receive: {error}") from None
            if not chunk:
                raise ChannelClosed("the other side closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def receive(self):
        (length,) = _HEADER.unpack(self._read_exactly(_HEADER.size))
        if length > MAX_MESSAGE_BYTES:
            raise ChannelClosed(f"message of {length} bytes is larger than the limit")
        try:
            message = json.loads(self._read_exactly(length))
        except (ValueError, RecursionError):
            raise ChannelClosed("received something that is not a message") from None
        if not isinstance(message, dict):
            raise ChannelClosed("received something that is not a message")
        return message

    # -- requests ------------------------------------------------------------------------
    def request(self, op, **fields):
        """Send request ``op`` and return the peer's result (plain data); serve the peer's own
        requests meanwhile. The peer's failure is raised as :class:`RemoteFailure`."""
        self._next_id += 1
        number = self._next_id
        self.send({"id": number, "op": op, **fields})
        while True:
            message = self.receive()
            if "op" in message:
                self._serve(message)
            elif message.get("re") == number:
                if "error" in message:
                    info = message["error"]
                    raise RemoteFailure(info if isinstance(info, dict) else {"message": str(info)})
                return message.get("ok")
            else:
                raise ChannelClosed("received an answer to a question that was not asked")

    def _serve(self, message):
        handler = self._handlers.get(message.get("op"))
        try:
            if handler is None:
                raise ValueError(f"unknown request {message.get('op')!r}")
            answer = {"re": message.get("id"), "ok": handler(message)}
        except ChannelClosed:
            raise
        except BaseException as error:  # noqa: BLE001 - every failure goes back as an answer
            answer = {"re": message.get("id"), "error": self._describe_error(error)}
        self.send(answer)

    def serve_forever(self):
        """Answer requests until the peer closes (the sandbox side's main loop)."""
        while True:
            try:
                message = self.receive()
            except ChannelClosed:
                return
            if "op" in message:
                self._serve(message)
