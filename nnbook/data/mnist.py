"""MNIST (and Fashion-MNIST): load the four IDX files, and download them with checksums.

Nothing here touches the network unless :func:`download_mnist` (or
``load_mnist(download=True)``) is called; tests and the default demos use
:func:`nnbook.data.load_digits` instead.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

from .dataset import Dataset
from .idx import read_idx

#: The four files, in the order train images, train labels, test images, test labels.
MNIST_STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

#: SHA-256 of the canonical MNIST ``.gz`` files (LeCun, Cortes & Burges; sizes 9,912,422,
#: 28,881, 1,648,877 and 4,542 bytes), as published in several independent checksum lists.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: A public mirror of the original files (the one torchvision downloads from).
MNIST_BASE_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"

MAX_PIXEL = 255
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """A download failed (HTTP error, short read, checksum mismatch); nothing was cached."""


def read_mnist_arrays(directory):
    """The four MNIST-format IDX files of ``directory``, checked, as stored.

    Returns (train_images, train_labels, test_images, test_labels): uint8 images
    (n, rows, cols) with 0 = background and 255 = ink, labels (n,). Each file may be raw
    (``train-images-idx3-ubyte``) or gzip-compressed (``….gz``); MNIST and Fashion-MNIST alike.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no such directory (expected one holding the four MNIST files)")
    arrays = tuple(read_idx(_find_file(directory, stem)) for stem in MNIST_STEMS)
    image_shape = None
    for part, images, labels, stem in (("train", arrays[0], arrays[1], MNIST_STEMS[0]),
                                       ("test", arrays[2], arrays[3], MNIST_STEMS[2])):
        if images.ndim != 3 or images.dtype != np.uint8:
            raise ValueError(
                f"{directory / stem}: expected uint8 images of shape (n, rows, cols), "
                f"found {images.dtype} of shape {images.shape}"
            )
        if labels.ndim != 1:
            raise ValueError(f"{part} labels: expected shape (n,), found {labels.shape}")
        if len(images) != len(labels):
            raise ValueError(
                f"{directory}: {part} has {len(images)} images but {len(labels)} labels; "
                "expected the same count"
            )
        if image_shape is None:
            image_shape = images.shape[1:]
        elif images.shape[1:] != image_shape:
            raise ValueError(
                f"{directory}: train images are {image_shape} but test images are {images.shape[1:]}"
            )
    return arrays


def load_mnist_files(directory, n_classes: int = 10) -> Dataset:
    """Load a data set stored as the four MNIST IDX files in ``directory``
    (:func:`read_mnist_arrays`).

    Returns
    -------
    Dataset named after the directory: X of shape (n, rows*cols) float64 = pixel / 255
    (ink in [0, 1]; MNIST stores 0 = background, 255 = ink), y of shape (n,) int64,
    image_shape (rows, cols), typically (28, 28).
    """
    directory = Path(directory)
    train_images, train_labels, test_images, test_labels = read_mnist_arrays(directory)
    image_shape = train_images.shape[1:]
    parts = {}
    for part, images, labels in (("train", train_images, train_labels),
                                 ("test", test_images, test_labels)):
        X = images.reshape(len(images), -1).astype(np.float64)
        X /= MAX_PIXEL
        parts[part] = (X, labels)
    return Dataset(
        name=directory.resolve().name,
        X_train=parts["train"][0],
        y_train=parts["train"][1],
        X_test=parts["test"][0],
        y_test=parts["test"][1],
        image_shape=image_shape,
        n_classes=n_classes,
    )


def cache_dir() -> Path:
    """Where downloaded data is kept: ``$NNBOOK_DATA_DIR`` if set, else ``$XDG_CACHE_HOME/nnbook``,
    else ``~/.cache/nnbook``. The folder is not created here."""
    explicit = os.environ.get("NNBOOK_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore relative paths
        return Path(xdg) / "nnbook"
    return Path.home() / ".cache" / "nnbook"


def download_mnist(
    base_url: str = MNIST_BASE_URL,
    directory=None,
    files: dict = MNIST_FILES,
    progress: bool = False,
    timeout: float = 60.0,
) -> Path:
    """Download the MNIST files into ``directory`` (default ``cache_dir()/"mnist"``), checking sha256.

    Parameters
    ----------
    base_url : str
        http(s) URL of the folder holding the files; ``base_url/filename`` is fetched.

    directory : path or None

    files : dict {filename: sha256 hex digest}
        What to fetch and what each file must hash to.
    progress : bool
        Print one line per file to stdout.
    timeout : float
        Seconds to wait for the server before giving up.

    Files already present whose sha256 matches are not fetched again; a present file that
    does not match is deleted and fetched again. Each download goes to a temporary file in
    the same folder and is moved into place (``os.replace``) only once its checksum matches,
    so an interrupted or corrupt download never leaves a file under the real name.

    Returns the directory. Raises :class:`DownloadError` (file, URL and reason or expected
    and found sha256) when a file cannot be fetched or does not verify.
    """
    scheme = urllib.parse.urlsplit(base_url).scheme
    if scheme not in ("http", "https"):
        raise ValueError(f"base_url must be an http:// or https:// URL, found {base_url!r}")
    checked = _checked_file_table(files)
    target_dir = Path(directory) if directory is not None else cache_dir() / "mnist"
    target_dir.mkdir(parents=True, exist_ok=True)
    for filename, expected in checked.items():
        target = target_dir / filename
        if target.is_file():
            if _sha256_of_file(target) == expected:
                if progress:
                    print(f"{filename}: already downloaded, checksum OK")
                continue
            target.unlink()
        url = base_url.rstrip("/") + "/" + urllib.parse.quote(filename)
        if progress:
            print(f"{filename}: downloading {url}")
        size = _fetch_verified(url, target, expected, timeout)
        if progress:
            print(f"{filename}: {size:,} bytes, checksum OK")
    return target_dir


def load_mnist(
    directory=None,
    download: bool = False,
    *,
    base_url: str = MNIST_BASE_URL,
    files: dict = MNIST_FILES,
) -> Dataset:
    """Load MNIST from ``directory`` (default ``cache_dir()/"mnist"``) as a :class:`Dataset`.

    With ``download=True`` the files are first fetched (or verified, when present) by
    ``download_mnist(base_url, directory, files)``. Without it, missing files raise
    FileNotFoundError; offline, use :func:`nnbook.data.load_digits`.
    """
    target_dir = Path(directory) if directory is not None else cache_dir() / "mnist"
    if download:
        download_mnist(base_url=base_url, directory=target_dir, files=files)
    elif not has_mnist_files(target_dir):
        raise FileNotFoundError(
            f"MNIST is not in {target_dir}: expected the files {', '.join(MNIST_STEMS)} (raw or .gz). "
            "Call load_mnist(download=True) when online, or use nnbook.data.load_digits() offline."
        )
    return load_mnist_files(target_dir)


def fashion_mnist_dir():
    """The folder holding Fashion-MNIST's four IDX files, or None when none is found.

    Searched in order: ``$NNBOOK_FASHION_MNIST``; ``../shared/data/fashion-mnist`` relative
    to the current working directory and to the repository root; and
    ``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist`` package).
    A candidate counts only when it holds all four files (raw or .gz).
    """
    candidates = []
    explicit = os.environ.get("NNBOOK_FASHION_MNIST")
    if explicit:
        candidates.append(Path(explicit).expanduser())
    relative = Path("..") / "shared" / "data" / "fashion-mnist"
    candidates.append(Path.cwd() / relative)
    repo_root = Path(__file__).resolve().parents[2]
    if (repo_root / "pyproject.toml").is_file():
        candidates.append(repo_root / relative)
    candidates.append(Path("/usr/share/datasets/fashion-mnist"))
    for candidate in candidates:
        if has_mnist_files(candidate):
            return candidate.resolve()
    return None


def load_fashion_mnist() -> Dataset:
    """Load Fashion-MNIST from :func:`fashion_mnist_dir` (FileNotFoundError when absent)."""
    directory = fashion_mnist_dir()
    if directory is None:
        raise FileNotFoundError(
            "Fashion-MNIST not found: set NNBOOK_FASHION_MNIST to its folder, or install Debian's "
            "dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)"
        )
    return load_mnist_files(directory)


def _find_file(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(f"{directory}: expected {stem} or {stem}.gz, found neither")


def has_mnist_files(directory: Path) -> bool:
    """True when ``directory`` holds the four MNIST-format files (raw or .gz)."""
    return directory.is_dir() and all(
        (directory / stem).is_file() or (directory / (stem + ".gz")).is_file() for stem in MNIST_STEMS
    )


def _checked_file_table(files: dict) -> dict:
    if not isinstance(files, dict) or not files:
        raise TypeError(f"files must be a non-empty dict {{filename: sha256}}, found {files!r}")
    checked = {}
    for filename, digest in files.items():
        if not isinstance(filename, str) or not filename or filename in (".", "..") or "/" in filename or "\\" in filename:
            raise ValueError(f"files: {filename!r} is not a plain file name")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest.lower()):
            raise ValueError(f"files[{filename!r}]: expected a 64-digit hex sha256, found {digest!r}")
        checked[filename] = digest.lower()
    return checked


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch_verified(url: str, target: Path, expected: str, timeout: float) -> int:
    """Stream ``url`` into a temporary file beside ``target``; move it there if its sha256 is ``expected``."""
    filename = target.name
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{filename}.", suffix=".part", delete=False)
    temporary = Path(handle.name)
    try:
        digest = hashlib.sha256()
        received = 0
        with handle:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    announced = response.headers.get("Content-Length")
                    while True:
                        chunk = response.read(_CHUNK)
                        if not chunk:
                            break
                        handle.write(chunk)
                        digest.update(chunk)
                        received += len(chunk)
            except urllib.error.HTTPError as exc:
                raise DownloadError(f"{filename}: HTTP {exc.code} {exc.reason} from {url}") from exc
            except urllib.error.URLError as exc:
                raise DownloadError(f"{filename}: cannot reach {url}: {exc.reason}") from exc
            except http.client.IncompleteRead as exc:
                raise DownloadError(
                    f"{filename}: short read from {url}: the connection closed after "
                    f"{received + len(exc.partial)} bytes, {exc.expected} more were announced"
                ) from exc
            except (OSError, http.client.HTTPException) as exc:
                raise DownloadError(f"{filename}: download from {url} failed after {received} bytes: {exc!r}") from exc
        if announced is not None and announced.isdigit() and received != int(announced):
            raise DownloadError(
                f"{filename}: short read from {url}: expected {int(announced)} bytes (Content-Length), "
                f"received {received}"
            )
        found = digest.hexdigest()
        if found != expected:
            raise DownloadError(
                f"{filename}: checksum mismatch for {url}: expected sha256 {expected}, found {found} "
                f"({received} bytes); the file was not kept"
            )
        os.chmod(temporary, 0o644)  # temporary files are private (0600); a cache entry need not be
        os.replace(temporary, target)
        return received
    finally:
        temporary.unlink(missing_ok=True)
