"""nnbook.book.autograde.sandbox: the process the student's code runs in.

With bubblewrap: it cannot read files outside the Python installation and nnbook, cannot reach
the network (not even the grader's loopback), runs as nobody, has a memory limit, and is killed
with everything it started at the deadline. Without it (``sandbox="none"``) the same server
runs, and the grader says loudly that nothing is protected.

Code is run in the sandbox the way the grader does it: an ``exec`` request over its channel; the
names a cell binds come back as plain data."""

from __future__ import annotations

import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from nnbook.book.autograde import remote_errors, sandbox, wire
from nnbook.book.autograde.channel import ChannelClosed, DeadlineExceeded
from nnbook.book.autograde.proxy import Link, SandboxLost
from nnbook.book.autograde.settings import Settings

REPO = Path(__file__).resolve().parents[3]
needs_bwrap = pytest.mark.skipif(not sandbox.bwrap_works(),
                                 reason="bubblewrap (bwrap) is not installed or cannot create "
                                        "namespaces here: the confinement cannot be tested")
SECRET_ENV = "NNBOOK_TEST_SECRET_" + uuid.uuid4().hex[:8]


def run(box, source, deadline=60):
    """Run ``source`` in ``box``; return (names it bound, as plain values; outputs; failed)."""
    box.channel.deadline = time.monotonic() + deadline
    try:
        answer = box.channel.request("exec", source=source)
    finally:
        if box.channel is not None:
            box.channel.deadline = None
    names = {name: wire.decode(data, make_proxy=lambda *a: "<handle>")
             for name, data in answer["changed"].items()}
    return names, answer["outputs"], answer["failed"]


def _started(settings):
    box = sandbox.Sandbox(settings, {}, remote_errors.describe)
    box.start()
    return box


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    """A file only the grader's side can read."""
    path = tmp_path_factory.mktemp("outside") / "canary.txt"
    path.write_text("the grader's secret", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def confined():
    """One bubblewrap sandbox for the read-only checks (memory limit 1 GB); the grader's
    environment holds a secret when it starts."""
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap (bwrap) is not installed or cannot create namespaces here")
    os.environ[SECRET_ENV] = "environment secret"
    try:
        box = _started(Settings(timeout=3, memory_mb=1024, sandbox="bwrap"))
    finally:
        del os.environ[SECRET_ENV]
    yield box
    box.kill()


@pytest.fixture(scope="module")
def unconfined():
    box = _started(Settings(timeout=3, memory_mb=1024, sandbox="none"))
    yield box
    box.kill()


# -- settings and availability ----------------------------------------------------------------

@pytest.mark.parametrize("bad", [{"sandbox": "docker"}, {"timeout": 0}, {"timeout": -1},
                                 {"memory_mb": 100}, {"memory_mb": 1024.5}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        Settings(**bad)


def test_isolation_follows_the_setting_and_availability(monkeypatch):
    assert sandbox.isolation(Settings(sandbox="none")) == "none"
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    assert sandbox.isolation(Settings(sandbox="auto")) == "none"
    with pytest.raises(sandbox.SandboxUnavailable):
        sandbox.isolation(Settings(sandbox="bwrap"))
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: True)
    assert sandbox.isolation(Settings(sandbox="auto")) == "bwrap"
    assert sandbox.isolation(Settings(sandbox="none")) == "none"


def test_the_limits_are_on_the_command_line():
    argv = sandbox.command(Settings(memory_mb=1024, cpu_seconds=77), 3, 4, "none")
    assert argv[0] == "prlimit"
    assert f"--as={1024 * 1024 * 1024}" in argv and "--cpu=77" in argv and "--core=0" in argv


# -- confinement ------------------------------------------------------------------------------

@needs_bwrap
def test_the_sandbox_runs_as_nobody(confined):
    names, _, failed = run(confined, "import os\nids = (os.getuid(), os.geteuid(), os.getgid())")
    assert not failed
    assert names["ids"] == (65534, 65534, 65534)


@needs_bwrap
def test_a_file_outside_cannot_be_read(confined, canary):
    assert canary.read_text(encoding="utf-8") == "the grader's secret"  # readable from here
    names, _, failed = run(confined, f"""
import os
path = {str(canary)!r}
seen = os.path.exists(path) or os.path.exists(os.path.dirname(path))
try:
    text = open(path).read()
except OSError as error:
    text = type(error).__name__
""")
    assert not failed
    assert names["seen"] is False
    assert names["text"] in ("FileNotFoundError", "PermissionError")


@needs_bwrap
def test_the_course_files_of_the_checkout_are_not_visible(confined):
    for folder in ("solutions", "autograding", "tests"):
        assert (REPO / folder).is_dir()
    names, _, _ = run(confined, f"""
import os
visible = {{name: os.path.exists(os.path.join({str(REPO)!r}, name))
           for name in ("solutions", "autograding", "tests", "nnbook")}}
""")
    assert names["visible"] == {"solutions": False, "autograding": False, "tests": False,
                                "nnbook": (REPO / "nnbook").is_dir()}


@needs_bwrap
def test_nnbook_and_the_python_installation_are_read_only(confined):
    import nnbook

    package = str(Path(nnbook.__file__).resolve().parent)
    names, _, _ = run(confined, f"""
import os
def try_write(path):
    try:
        with open(path, "w") as handle:
            handle.write("patched")
        return "written"
    except OSError as error:
        return type(error).__name__
results = (try_write(os.path.join({package!r}, "evil.py")), try_write("/tmp/work/mine.txt"))
""")
    assert names["results"][0] in ("OSError", "PermissionError")
    assert names["results"][1] == "written"
    assert not (Path(package) / "evil.py").exists()


@needs_bwrap
def test_the_network_is_unreachable_even_the_graders_loopback(confined):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # reachable from the grader's side
        names, _, failed = run(confined, f"""
import socket
def attempt(address):
    try:
        socket.create_connection(address, timeout=2).close()
        return "connected"
    except OSError as error:
        return type(error).__name__
local = attempt(("127.0.0.1", {port}))
outside = attempt(("1.1.1.1", 53))
try:
    socket.getaddrinfo("example.com", 80)
    dns = "resolved"
except OSError as error:
    dns = type(error).__name__
""")
    assert not failed
    assert names["local"] != "connected"
    assert names["outside"] != "connected"
    assert names["dns"] != "resolved"


@needs_bwrap
def test_the_graders_environment_and_processes_are_not_visible(confined):
    names, _, _ = run(confined, f"""
import os
secret = os.environ.get({SECRET_ENV!r})
others = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        others.append(open(f"/proc/{{pid}}/cmdline", "rb").read().replace(b"\\0", b" ").decode())
    except OSError:
        pass
""")
    assert names["secret"] is None
    assert not any("pytest" in line for line in names["others"])
    assert len(names["others"]) < 10


@needs_bwrap
def test_memory_is_limited(confined):
    names, _, failed = run(confined, """
def allocate(n):
    try:
        block = bytearray(n)
        return len(block)
    except MemoryError:
        return "MemoryError"
small, huge = allocate(100 * 1024 * 1024), allocate(8 * 1024 ** 3)
""")
    assert not failed
    assert names["small"] == 100 * 1024 * 1024
    assert names["huge"] == "MemoryError"


def _processes_with(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


STUBBORN = """
import signal
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
while True:
    try:
        pass
    except BaseException:
        pass
"""


@pytest.mark.parametrize("kind", [pytest.param("bwrap", marks=needs_bwrap), "none"])
def test_a_sandbox_past_its_deadline_is_killed_with_what_it_started(kind):
    """A child process started earlier, a loop that ignores the polite signals: at the deadline
    the grader's request gives up and the sandbox and its child are gone."""
    marker = str(7_000_000 + uuid.uuid4().int % 1_000_000)
    box = _started(Settings(timeout=3, memory_mb=1024, sandbox=kind))
    link = Link(box)
    box.lost = None
    try:
        pid = box.process.pid
        run(box, f"import subprocess\nchild = subprocess.Popen(['sleep', '{marker}'])")
        assert _processes_with(marker), "the child process runs before the deadline"
        box.channel.deadline = time.monotonic() + 1
        start = time.monotonic()
        with pytest.raises(SandboxLost, match="time limit"):
            link.request("exec", source=STUBBORN)
        assert time.monotonic() - start < 15
        assert box.process is None and box.channel is None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        for _ in range(50):  # the kernel reaps the namespace's last processes shortly after
            if not _processes_with(marker):
                break
            time.sleep(0.1)
        assert _processes_with(marker) == []
    finally:
        box.kill()


def test_a_silent_start_is_a_deadline_not_a_hang():
    assert issubclass(DeadlineExceeded, ChannelClosed)
    assert sandbox.STARTUP_SECONDS <= 120


@needs_bwrap
def test_code_that_ends_its_own_process_is_reported_not_hung(confined):
    """(Uses the shared sandbox: it is started again at the end, as the grader would.)"""
    link = Link(confined)
    confined.lost = None
    generation = confined.generation
    confined.channel.deadline = time.monotonic() + 30
    with pytest.raises(SandboxLost, match="ended its own process"):
        link.request("exec", source="import os\nos._exit(0)")
    assert confined.process is None
    confined.start()  # a fresh one works
    names, _, _ = run(confined, "alive = 1")
    assert names == {"alive": 1}
    assert confined.generation == generation + 1


# -- without bubblewrap -----------------------------------------------------------------------

def test_sandbox_none_runs_the_same_server(unconfined):
    assert unconfined.mode == "none"
    names, outputs, failed = run(unconfined, "import numpy as np\nvalue = np.arange(3) * 2\nprint('hi')")
    assert not failed
    assert names["value"].tolist() == [0, 2, 4]
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]


def test_sandbox_none_is_not_confined_and_says_so(unconfined, canary):
    """What "none" does not protect, stated by the test: the file outside is readable. (That the
    grader reports it is checked in test_cells.py, in the fresh process that has a shell.)"""
    names, _, _ = run(unconfined, f"import os\nuid = os.getuid()\ntext = open({str(canary)!r}).read()")
    assert names["uid"] == os.getuid()
    assert names["text"] == "the grader's secret"
    assert "NOT SANDBOXED" in sandbox.UNPROTECTED and "CAN READ" in sandbox.UNPROTECTED
