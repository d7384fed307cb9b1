"""download_mnist against a local HTTP server on 127.0.0.1 (never the network)."""

import hashlib
import http.server
import os
import threading
import urllib.parse
import urllib.request

import numpy as np
import pytest

import nnbook.data.mnist as mnist_module
from nnbook.data import (
    MNIST_STEMS,
    DownloadError,
    cache_dir,
    download_mnist,
    load_mnist,
)


class FileServer:
    """Serves ``files`` {name: bytes}; names in ``truncated`` announce 100 bytes more than sent."""

    def __init__(self):
        self.files = {}
        self.truncated = set()
        self.requests = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
                owner.requests.append(name)
                body = owner.files.get(name)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                extra = 100 if name in owner.truncated else 0
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body) + extra))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True

            def log_message(self, format, *args):  # keep stderr clean
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mnist/"

    def add(self, name, body):
        self.files[name] = body
        return hashlib.sha256(body).hexdigest()


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(tmp_path / "cache"))
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    real_urlopen = urllib.request.urlopen

    def local_only(url, *args, **kwargs):
        host = urllib.parse.urlsplit(url if isinstance(url, str) else url.full_url).hostname
        assert host == "127.0.0.1", f"test tried to reach {host}"
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", local_only)
    fake = FileServer()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def mnist_gz_files(write_small_mnist, directory):
    """The four MNIST files (small, random, gzip) as ({name: bytes}, {stem: array})."""
    arrays = write_small_mnist(directory, seed=1)
    return {stem + ".gz": (directory / (stem + ".gz")).read_bytes() for stem in arrays}, arrays


def cache_listing():
    folder = cache_dir() / "mnist"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_good_files_download_and_verify(server, tmp_path, write_small_mnist):
    bodies, arrays = mnist_gz_files(write_small_mnist, tmp_path / "src")
    table = {name: server.add(name, body) for name, body in bodies.items()}
    folder = download_mnist(base_url=server.url, files=table)
    assert folder == tmp_path / "cache" / "mnist"
    assert cache_listing() == sorted(bodies)  # no temporary files left behind
    for name, body in bodies.items():
        assert (folder / name).read_bytes() == body
    assert sorted(server.requests) == sorted(bodies)
    data = load_mnist()
    assert data.name == "mnist" and data.X_train.shape == (12, 784)
    np.testing.assert_array_equal(data.y_test, arrays[MNIST_STEMS[3]])


def test_second_call_makes_no_request(server, tmp_path, write_small_mnist):
    bodies, _ = mnist_gz_files(write_small_mnist, tmp_path / "src")
    table = {name: server.add(name, body) for name, body in bodies.items()}
    download_mnist(base_url=server.url, files=table)
    assert len(server.requests) == 4
    download_mnist(base_url=server.url, files=table)
    load_mnist(download=True, base_url=server.url, files=table)
    assert len(server.requests) == 4


def test_corrupt_file_raises_and_leaves_nothing(server):
    good = b"the bytes the table promises"
    expected = hashlib.sha256(good).hexdigest()
    server.add("train-labels-idx1-ubyte.gz", b"different bytes on the server")
    found = hashlib.sha256(b"different bytes on the server").hexdigest()
    with pytest.raises(DownloadError) as info:
        download_mnist(base_url=server.url, files={"train-labels-idx1-ubyte.gz": expected})
    message = str(info.value)
    assert "train-labels-idx1-ubyte.gz" in message and expected in message and found in message
    assert cache_listing() == []


def test_truncated_response_raises_and_leaves_nothing(server):
    body = bytes(range(256)) * 40
    digest = server.add("t10k-images-idx3-ubyte.gz", body)
    server.truncated.add("t10k-images-idx3-ubyte.gz")
    with pytest.raises(DownloadError, match=r"t10k-images-idx3-ubyte\.gz.*short read"):
        download_mnist(base_url=server.url, files={"t10k-images-idx3-ubyte.gz": digest})
    assert cache_listing() == []


def test_missing_file_404_raises(server):
    with pytest.raises(DownloadError, match=r"t10k-labels-idx1-ubyte\.gz.*HTTP 404"):
        download_mnist(base_url=server.url, files={"t10k-labels-idx1-ubyte.gz": "0" * 64})
    assert cache_listing() == []


def test_cached_file_that_does_not_verify_is_fetched_again(server, tmp_path):
    body = b"correct contents"
    digest = server.add("train-images-idx3-ubyte.gz", body)
    folder = tmp_path / "cache" / "mnist"
    folder.mkdir(parents=True)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"stale, half-written contents")
    download_mnist(base_url=server.url, files={"train-images-idx3-ubyte.gz": digest})
    assert server.requests == ["train-images-idx3-ubyte.gz"]
    assert (folder / "train-images-idx3-ubyte.gz").read_bytes() == body


def test_cached_bad_file_is_removed_when_refetch_fails(server, tmp_path):
    folder = tmp_path / "cache" / "mnist"
    folder.mkdir(parents=True)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"stale")
    with pytest.raises(DownloadError, match="404"):
        download_mnist(base_url=server.url, files={"train-images-idx3-ubyte.gz": "a" * 64})
    assert cache_listing() == []


def test_explicit_directory_and_progress(server, tmp_path, capsys):
    digest = server.add("t10k-labels-idx1-ubyte.gz", b"labels")
    target = tmp_path / "elsewhere"
    download_mnist(base_url=server.url, directory=target, files={"t10k-labels-idx1-ubyte.gz": digest}, progress=True)
    assert (target / "t10k-labels-idx1-ubyte.gz").read_bytes() == b"labels"
    captured = capsys.readouterr()
    assert "t10k-labels-idx1-ubyte.gz" in captured.out and captured.err == ""


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"base_url": "file:///etc/"}, ValueError, "http"),
        ({"files": {"../escape.gz": "a" * 64}}, ValueError, "plain file name"),
        ({"files": {"x.gz": "not-a-digest"}}, ValueError, "64-digit"),
        ({"files": {}}, TypeError, "non-empty dict"),
    ],
)
def test_bad_arguments_are_rejected_before_any_request(server, kwargs, error, words):
    kwargs.setdefault("base_url", server.url)
    with pytest.raises(error, match=words):
        download_mnist(**kwargs)
    assert server.requests == []


def test_load_mnist_without_files_explains(server):
    with pytest.raises(FileNotFoundError, match="load_digits"):
        load_mnist()


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NNBOOK_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir() == tmp_path / "home" / ".cache" / "nnbook"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "nnbook"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_dir() == tmp_path / "home" / ".cache" / "nnbook"
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(tmp_path / "data"))
    assert cache_dir() == tmp_path / "data"


def test_default_table_is_the_canonical_mnist():
    assert set(mnist_module.MNIST_FILES) == {stem + ".gz" for stem in MNIST_STEMS}
    assert mnist_module.MNIST_BASE_URL.startswith("https://")
