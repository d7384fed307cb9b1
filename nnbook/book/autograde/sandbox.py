"""The process the student's code runs in, and how it is confined.

With bubblewrap (``bwrap``) the sandbox sees only the Python installation and nnbook, read-only;
a private ``/tmp``; no network, no other process, no course folder, no gradebook, no solutions,
no other submission. ``prlimit`` caps its memory, CPU time, file size and open files, and the
grader kills it at the deadline. Without bubblewrap the same process runs unconfined except for
the limits: every check still crosses the boundary as plain data, but the student's code can read
the files the grader can — :func:`isolation` says so, and the grader reports it.
"""

import functools
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nnbook

from .channel import Channel, ChannelClosed

STARTUP_SECONDS = 60
_SANDBOX_NUMBA_CACHE = "/tmp/numba-cache"
_READ_ONLY_SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/alternatives",
                     "/etc/ld.so.cache", "/etc/fonts")


class SandboxUnavailable(RuntimeError):
    """The sandbox asked for (``sandbox="bwrap"``) cannot run on this machine."""


@functools.lru_cache(maxsize=None)
def bwrap_works():
    """Whether ``bwrap`` is installed and can make its namespaces here (probed once)."""
    if shutil.which("bwrap") is None:
        return False
    try:
        probe = subprocess.run(_bwrap_prefix([]) + [sys.executable, "-c", "pass"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def isolation(settings):
    """``"bwrap"`` or ``"none"``: what :class:`Sandbox` will use for ``settings``."""
    if settings.sandbox == "none":
        return "none"
    if bwrap_works():
        return "bwrap"
    if settings.sandbox == "bwrap":
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed or cannot create namespaces here")
    return "none"


UNPROTECTED = ("NOT SANDBOXED (sandbox \"none\", or bubblewrap unavailable): students' code runs as a plain "
               "process with limits only and CAN READ the course folder (solutions, hidden tests, "
               "gradebook) and other submissions, and use the network. Scores are still decided "
               "outside the student's process. Install bubblewrap (apt-get install bubblewrap).")


def _python_roots():
    """Folders the sandbox needs to run this Python with nnbook: the installation, the
    environment, and nnbook itself (outside them when installed in editable mode)."""
    roots = {Path(sys.base_prefix), Path(sys.prefix), Path(nnbook.__file__).resolve().parent}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(Path(sysconfig.get_paths()[key]))
    executable = Path(sys.executable)
    roots.add(executable.parent)
    roots.add(executable.resolve().parent.parent)
    return sorted({r.resolve() for r in roots if r.exists()} | {r for r in roots if r.exists()})


def _bwrap_prefix(extra):
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/work",
            "--chdir", "/tmp/work", "--clearenv"]
    for path in _READ_ONLY_SYSTEM:
        if os.path.lexists(path):
            args += ["--ro-bind", path, path]
    for root in _python_roots():
        args += ["--ro-bind", str(root), str(root)]
    return args + extra


def _environment(numba_cache):
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib", "NUMBA_CACHE_DIR": numba_cache,
            "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "PYTHONNOUSERSITE": "1"}


def command(settings, read_fd, write_fd, mode, support=None):
    """The command line that starts the sandbox's server on the given pipe ends."""
    limits = ["prlimit", f"--as={settings.memory_mb * 1024 * 1024}", f"--cpu={settings.cpu_seconds}",
              f"--fsize={512 * 1024 * 1024}", "--core=0", "--nofile=512", "--"]
    server = [sys.executable, "-I", "-m", "nnbook.book.autograde.server", str(read_fd), str(write_fd)]
    if mode == "bwrap":
        env = _environment(_SANDBOX_NUMBA_CACHE)
        extra = []
        for name, value in env.items():
            extra += ["--setenv", name, value]
        if settings.numba_cache and Path(settings.numba_cache).is_dir():
            extra += ["--ro-bind", settings.numba_cache, "/tmp/numba-cache-seed"]
        if support and Path(support).is_dir():
            extra += ["--ro-bind", str(support), "/tmp/support-files"]
        # -I drops the current folder from sys.path; the server finds nnbook through site-packages
        return limits + _bwrap_prefix(extra) + server
    return limits + server


class Sandbox:
    """One running sandbox and the channel to it; :meth:`restart` gives a fresh one."""

    def __init__(self, settings, handlers, describe_error, support=None):
        self.settings = settings
        self.mode = isolation(settings)
        self._handlers = handlers
        self._describe_error = describe_error
        self.generation = 0
        self.process = None
        self.channel = None
        self._scratch = None
        self._support = support

    def start(self):
        import tempfile

        self.generation += 1
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        self._scratch = tempfile.mkdtemp(prefix="nnbook-sandbox-")
        env = None
        if self.mode == "none":
            env = {**os.environ, **_environment(self.settings.numba_cache or os.path.join(self._scratch, "numba")),
                   "HOME": self._scratch, "MPLCONFIGDIR": os.path.join(self._scratch, "mpl")}
            env.pop("PYTHONPATH", None)
        if self.mode == "none" and self._support:
            shutil.copytree(self._support, self._scratch, dirs_exist_ok=True)
        argv = command(self.settings, to_child_read, from_child_write, self.mode, self._support)
        self.process = subprocess.Popen(argv, pass_fds=(to_child_read, from_child_write),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True,
                                        cwd=self._scratch, env=env)
        os.close(to_child_read)
        os.close(from_child_write)
        self.channel = Channel(from_child_read, to_child_write, self._handlers, self._describe_error)
        self._fds = (from_child_read, to_child_write)
        self.channel.deadline = time.monotonic() + STARTUP_SECONDS
        try:
            hello = self.channel.receive()
        except ChannelClosed as error:
            self.kill()
            raise ChannelClosed(f"the sandbox did not start: {error}") from None
        finally:
            if self.channel is not None:
                self.channel.deadline = None
        if hello != {"ready": True}:
            self.kill()
            raise ChannelClosed("the sandbox did not start properly")

    def kill(self):
        """Stop the sandbox and everything it started, now."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self.process = None
        for fd in getattr(self, "_fds", ()):
            try:
                os.close(fd)
            except OSError:
                pass
        self._fds = ()
        self.channel = None
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def restart(self):
        self.kill()
        self.start()
