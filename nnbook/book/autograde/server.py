"""The sandbox's side: runs the student's cells and answers the grader's requests.

Started by :class:`~nnbook.book.autograde.sandbox.Sandbox` as ``python -m nnbook.book.autograde.server READ_FD
WRITE_FD`` inside the sandbox. Everything here is under the student's control (their code runs
in this process), so the grader trusts nothing it says beyond the plain data it decodes.
"""

import contextlib
import io
import sys
import warnings

from . import remote_errors, wire
from .channel import Channel, RemoteFailure

#: Functions the grader may ask to apply to one of the student's objects ("apply" request).
APPLICABLE = {
    "axes_lines": "nnbook.book.grading.plots:axes_lines",
}
_IPYTHON_NAMES = {"__warningregistry__", "In", "Out", "get_ipython", "exit", "quit", "_", "__", "___", "_ih", "_oh", "_dh",
                  "_sh", "__builtin__", "__builtins__", "__name__", "__doc__", "__package__",
                  "__loader__", "__spec__"}


_MISSING = object()


class TrustedCallable:
    """A function of the grader's (e.g. a test's lambda) passed to the student's code."""

    def __init__(self, server, number, name, text):
        self._server, self._number = server, number
        self.__name__ = name or "callback"
        self._text = text

    def __call__(self, *args, **kwargs):
        return self._server.call_grader(self._number, args, kwargs)

    def __repr__(self):
        return f"<grader's function {self.__name__}>"


class Server:
    def __init__(self, read_fd, write_fd):
        from .cells import make_shell

        self.shell = make_shell()
        self.table = wire.ObjectTable()
        self._stashed = {}
        handlers = {name[len("op_"):]: getattr(self, name) for name in dir(self) if name.startswith("op_")}
        self.channel = Channel(read_fd, write_fd, handlers, remote_errors.describe)

    # -- plain data ----------------------------------------------------------------------
    def _owner_of(self, value):
        return value._number if isinstance(value, TrustedCallable) else None

    def encode(self, value):
        return wire.encode(value, self.table, owner_of=self._owner_of)

    def decode(self, data):
        return wire.decode(data, self.table,
                           make_proxy=lambda number, kind, name, text: TrustedCallable(self, number, name, text))

    def call_grader(self, number, args, kwargs):
        try:
            result = self.channel.request("call", ref=number, args=self.encode(list(args)),
                                          kwargs=self.encode(dict(kwargs)))
        except RemoteFailure as failure:
            raise remote_errors.rebuild(failure.info) from None
        return self.decode(result)

    # -- cells ---------------------------------------------------------------------------
    def _global_ids(self):
        return {name: id(value) for name, value in self.shell.user_ns.items()}

    def op_exec(self, message):
        from .cells import run_cell

        before = self._global_ids()
        outputs, failed = run_cell(self.shell, str(message["source"]))
        changed = {}
        for name, value in list(self.shell.user_ns.items()):
            if name in _IPYTHON_NAMES or name.startswith("_i") or before.get(name) == id(value):
                continue
            if type(value).__name__ == "module":
                continue
            try:
                changed[name] = self.encode(value)
            except Exception as error:  # noqa: BLE001 - one odd value must not hide the others
                changed[name] = self.encode(f"<{name} cannot be sent: {type(error).__name__}: {error}>")
        return {"outputs": outputs, "failed": failed, "changed": changed}

    def op_swap_global(self, message):
        """The student's global ``name`` becomes the grader's value until ``restore_global``."""
        name = str(message["name"])
        self._stashed.setdefault(name, []).append(self.shell.user_ns.get(name, _MISSING))
        self.shell.user_ns[name] = self.decode(message["value"])

    def op_restore_global(self, message):
        name = str(message["name"])
        old = self._stashed.get(name, [_MISSING]).pop()
        if old is _MISSING:
            self.shell.user_ns.pop(name, None)
        else:
            self.shell.user_ns[name] = old

    # -- objects -------------------------------------------------------------------------
    def op_call(self, message):
        function = self.table.get(message["ref"])
        return self._call(function, message, lambda args, kwargs: function(*args, **kwargs))

    def op_call_without(self, message):
        from ..grading.independence import call_without

        function = self.table.get(message["ref"])
        labels = [str(label) for label in message["labels"]]
        name = str(message.get("name", "your function"))
        return self._call(function, message,
                          lambda args, kwargs: call_without(function, labels, args, kwargs, name))

    def op_apply(self, message):
        import importlib

        module_name, _, attribute = APPLICABLE[str(message["function"])].partition(":")
        function = getattr(importlib.import_module(module_name), attribute)
        return self.encode(function(self.table.get(message["ref"])))

    def _call(self, function, message, invoke):
        args = self.decode(message["args"])
        kwargs = self.decode(message["kwargs"])
        mutable = {("arg", i): a for i, a in enumerate(args) if _is_mutable(a)}
        mutable.update({("kwarg", k): v for k, v in kwargs.items() if _is_mutable(v)})
        before = {key: self._snapshot(value) for key, value in mutable.items()}
        out, err = io.StringIO(), io.StringIO()
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result = invoke(args, kwargs)
            finally:
                sys.stdout.flush()
        mutated = []
        for (role, key), value in mutable.items():
            after = self._snapshot(value)
            if after != before[(role, key)]:
                mutated.append([role, key, self.encode(value)])
        same_as = next(([role, key] for (role, key), value in
                        list(mutable.items()) + [(("arg", i), a) for i, a in enumerate(args)]
                        if value is result and result is not None), None)
        return {"result": None if same_as else self.encode(result), "same_as": same_as,
                "mutated": mutated, "stdout": out.getvalue()[:100_000], "stderr": err.getvalue()[:100_000],
                "warnings": [[w.category.__name__, str(w.message)[:2000]] for w in caught[:50]]}

    def _snapshot(self, value):
        """Something equal before and after a call exactly when ``value`` was not changed."""
        import numpy as np

        if type(value) is np.ndarray:  # raw bytes: far cheaper than encoding
            return (value.dtype.str, value.shape, value.tobytes())
        try:
            return wire.encode(value)
        except Exception:  # noqa: BLE001 - an odd value is simply not copied back
            return None

    def op_getattr(self, message):
        return self.encode(getattr(self.table.get(message["ref"]), str(message["name"])))

    def op_setattr(self, message):
        setattr(self.table.get(message["ref"]), str(message["name"]), self.decode(message["value"]))

    def op_getitem(self, message):
        return self.encode(self.table.get(message["ref"])[self.decode(message["key"])])

    def op_setitem(self, message):
        self.table.get(message["ref"])[self.decode(message["key"])] = self.decode(message["value"])

    def op_len(self, message):
        return int(len(self.table.get(message["ref"])))

    def op_list(self, message):
        items = []
        for item in self.table.get(message["ref"]):
            items.append(item)
            if len(items) > wire.MAX_ITEMS:
                raise ValueError("too many items to send")
        return self.encode(items)

    def op_ping(self, message):
        return "pong"


def _is_mutable(value):
    import numpy as np

    return isinstance(value, (list, dict, set, np.ndarray, np.random.Generator)) or wire.is_library_object(value)


def _prepare_folders():
    """Start from the grader's compiled kernels (a private, writable copy of its cache) and the
    assignment's support files in the working folder."""
    import os
    import shutil

    seed, target = "/tmp/numba-cache-seed", os.environ.get("NUMBA_CACHE_DIR", "")
    if os.path.isdir(seed) and target and not os.path.exists(target):
        shutil.copytree(seed, target, dirs_exist_ok=True)
    if os.path.isdir("/tmp/support-files"):  # the assignment's modules and data, writable copy
        shutil.copytree("/tmp/support-files", os.getcwd(), dirs_exist_ok=True)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    _prepare_folders()
    server = Server(int(argv[0]), int(argv[1]))
    server.channel.send({"ready": True})
    server.channel.serve_forever()


if __name__ == "__main__":
    main()
