"""The grader's view of the student's objects: proxies whose every use is a request.

A :class:`StudentObject` stands for a function, class or object that lives in the sandbox.
Calling it sends the arguments as plain data and returns the result as plain data the grader
rebuilt itself; changes the student's code made to a list, dict or array argument are copied
back into the grader's object; warnings and printed text are replayed in the grader. Comparison,
hashing and ``bool`` are the proxy's own (identity), so nothing the student wrote decides whether
two values are equal.
"""

import sys
import warnings

import numpy as np

from . import remote_errors, wire
from .channel import ChannelClosed, RemoteFailure

_WARNING_CLASSES = {cls.__name__: cls for cls in (
    RuntimeWarning, UserWarning, DeprecationWarning, FutureWarning, PendingDeprecationWarning,
    SyntaxWarning, ImportWarning, UnicodeWarning, BytesWarning, ResourceWarning)}


class SandboxLost(BaseException):
    """The student's code ran past the time limit or killed its sandbox. A ``BaseException`` so
    that a test's ``except Exception`` cannot swallow it and carry on."""


class StudentObject:
    """A function, class or object of the student's, living in the sandbox."""

    __slots__ = ("_nnbook_link", "_nnbook_number", "_nnbook_kind", "_nnbook_name", "_nnbook_text",
                 "_nnbook_generation")

    def __init__(self, link, number, kind, name, text):
        for slot, value in zip(self.__slots__, (link, number, kind, name, text, link.generation)):
            object.__setattr__(self, slot, value)

    # -- what a check may read without asking the sandbox --------------------------------
    @property
    def __name__(self):
        return self._nnbook_name or "student_object"

    def __repr__(self):
        return self._nnbook_text

    # -- requests ------------------------------------------------------------------------
    def _ask(self, op, **fields):
        return self._nnbook_link.ask(self, op, **fields)

    def __call__(self, *args, **kwargs):
        return self._nnbook_link.call(self, "call", args, kwargs)

    def _nnbook_call_without(self, labels, args, kwargs, name):
        return self._nnbook_link.call(self, "call_without", args, kwargs, labels=list(labels), name=name)

    def _nnbook_swap_global(self, name, value):
        self._ask("swap_global", name=name, value=self._nnbook_link.encode(value))

    def _nnbook_restore_global(self, name):
        self._ask("restore_global", name=name)

    def _nnbook_apply(self, function):
        return self._ask("apply", function=function)

    def __bool__(self):
        return True  # the proxy's own truth, not the student's __len__ or __bool__

    def __getattr__(self, name):
        if name == "__qualname__":
            return self.__name__
        if name == "__globals__":
            raise AttributeError(f"{self.__name__} runs in the sandbox: its globals cannot be reached "
                                 "from a check (use grading.student_global)")
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        self._ask("setattr", name=name, value=self._nnbook_link.encode(value))

    def __getitem__(self, key):
        return self._ask("getitem", key=self._nnbook_link.encode(key))

    def __setitem__(self, key, value):
        self._ask("setitem", key=self._nnbook_link.encode(key), value=self._nnbook_link.encode(value))

    def __len__(self):
        length = self._ask("len")
        if type(length) is not int or length < 0:
            raise TypeError("len() of the student's object is not a non-negative integer")
        return length

    def __iter__(self):
        items = self._ask("list")
        if not isinstance(items, list):
            raise TypeError("the student's object did not iterate into a list")
        return iter(items)


def copy_into(original, new):
    """Make ``original`` (the grader's list, dict, set or array) hold ``new`` (the student's
    code's changed copy), in place where the types allow."""
    if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
        if original.shape == new.shape and original.flags.writeable:
            original[...] = new
            return
    if isinstance(original, list) and isinstance(new, list):
        if len(original) == len(new):
            for i, (old_item, new_item) in enumerate(zip(original, new)):
                if isinstance(old_item, (np.ndarray, list, dict)) and type(old_item) is type(new_item):
                    copy_into(old_item, new_item)
                else:
                    original[i] = new_item
        else:
            original[:] = new
        return
    if isinstance(original, dict) and isinstance(new, dict):
        original.clear()
        original.update(new)
        return
    if isinstance(original, np.random.Generator) and isinstance(new, np.random.Generator):
        original.bit_generator.state = new.bit_generator.state  # the draws the student's code made
        return
    if wire.is_library_object(original) and type(new) is type(original):
        for name, value in wire.object_state(new).items():  # e.g. a model the student trained
            object.__setattr__(original, name, value)
        return
    if isinstance(original, set) and isinstance(new, set):
        original.clear()
        original.update(new)


class Link:
    """The grader's end: encodes, decodes, times out, and turns failures into exceptions."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.table = wire.ObjectTable()

    @property
    def generation(self):
        return self.sandbox.generation

    # plain data: the grader exports only functions (callbacks); other objects stay here
    def _owner_of(self, value):
        return value._nnbook_number if isinstance(value, StudentObject) else None

    def encode(self, value):
        return wire.encode(value, _CallablesOnly(self.table), owner_of=self._owner_of)

    def decode(self, data):
        return wire.decode(data, self.table,
                           make_proxy=lambda number, kind, name, text: StudentObject(self, number, kind, name, text))

    def handle_call(self, message):
        """The sandbox calls one of the grader's functions it was given (a callback)."""
        function = self.table.get(message["ref"])
        return self.encode(function(*self.decode(message["args"]), **self.decode(message["kwargs"])))

    def _channel(self, proxy):
        if proxy is not None and proxy._nnbook_generation != self.sandbox.generation:
            raise SandboxLost(f"{proxy.__name__} belonged to a sandbox that was stopped (time limit "
                              "or crash); it no longer exists")
        if self.sandbox.channel is None:
            raise SandboxLost("the sandbox was stopped earlier in this cell")
        return self.sandbox.channel

    def request(self, op, proxy=None, **fields):
        channel = self._channel(proxy)
        try:
            return channel.request(op, **fields)
        except RemoteFailure as failure:
            raise remote_errors.rebuild(failure.info) from None
        except ChannelClosed as error:
            self.sandbox.lost = str(error)
            self.sandbox.kill()
            if "deadline" in str(error):
                raise SandboxLost(f"the student's code did not finish within the time limit of "
                                  f"{self.sandbox.settings.timeout:g} s; it was stopped") from None
            raise SandboxLost(f"the student's code ended its own process ({error})") from None

    def ask(self, proxy, op, **fields):
        return self.decode(self.request(op, proxy, ref=proxy._nnbook_number, **fields))

    def call(self, proxy, op, args, kwargs, **fields):
        answer = self.request(op, proxy, ref=proxy._nnbook_number, args=self.encode(list(args)),
                              kwargs=self.encode(dict(kwargs)), **fields)
        if not isinstance(answer, dict):
            raise TypeError("the sandbox answered a call with something that is not an answer")
        for role, key, data in answer.get("mutated") or []:
            target = args[key] if role == "arg" and type(key) is int and 0 <= key < len(args) else kwargs.get(key)
            if target is not None:
                copy_into(target, self.decode(data))
        for stream, text in (("stdout", answer.get("stdout")), ("stderr", answer.get("stderr"))):
            if isinstance(text, str) and text:
                getattr(sys, stream).write(text)
        for category, message in answer.get("warnings") or []:
            warnings.warn(str(message), _WARNING_CLASSES.get(category, RuntimeWarning), stacklevel=3)
        same_as = answer.get("same_as")
        if isinstance(same_as, list) and len(same_as) == 2:
            role, key = same_as
            if role == "arg" and type(key) is int and 0 <= key < len(args):
                return args[key]
            if role == "kwarg" and key in kwargs:
                return kwargs[key]
        return self.decode(answer.get("result"))


class _CallablesOnly:
    """An export table that takes functions only: the grader never lends the student an object
    whose attributes could lead back into the grader."""

    def __init__(self, table):
        self._table = table

    def export(self, obj):
        if not callable(obj) or isinstance(obj, type):
            raise wire.WireError(f"a {type(obj).__name__} cannot be passed to the student's code "
                                 "(plain data and functions only)")
        return self._table.export(obj)
