"""The IDX reader/writer and the MNIST-file loader, on files the tests write."""

import gzip
import struct
import time

import numpy as np
import pytest

from nnbook.data import (
    MNIST_STEMS,
    IdxFormatError,
    fashion_mnist_dir,
    load_mnist_files,
    read_idx,
    write_idx,
)

# dtype code -> (numpy dtype, struct format character), from the MNIST page's table.
CODES = {
    0x08: (np.uint8, "B"),
    0x09: (np.int8, "b"),
    0x0B: (np.int16, "h"),
    0x0C: (np.int32, "i"),
    0x0D: (np.float32, "f"),
    0x0E: (np.float64, "d"),
}


def idx_bytes(code, shape, fmt, values, magic_prefix=b"\x00\x00"):
    """IDX bytes built by hand with struct: the oracle for the reader."""
    header = magic_prefix + bytes((code, len(shape))) + struct.pack(f">{len(shape)}I", *shape)
    return header + struct.pack(f">{len(values)}{fmt}", *values)


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("compress", [False, True])
def test_round_trip_every_dtype(tmp_path, code, compress):
    dtype, _ = CODES[code]
    rng = np.random.default_rng(code)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        array = rng.integers(info.min, info.max, size=(3, 4, 5), endpoint=True).astype(dtype)
    else:
        array = rng.standard_normal((3, 4, 5)).astype(dtype)
    path = tmp_path / "array.idx"
    write_idx(path, array, gzip=compress)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == compress
    back = read_idx(path)
    assert back.dtype == dtype and back.shape == (3, 4, 5)
    np.testing.assert_array_equal(back, array)


@pytest.mark.parametrize("code", sorted(CODES))
def test_reader_on_hand_built_bytes(tmp_path, code):
    dtype, fmt = CODES[code]
    values = [1, 2, 3, 4, 5, 6] if code != 0x09 else [-1, 2, -3, 4, -5, 6]
    if code == 0x0D:
        values = [0.5, -1.25, 3.0, 1e-3, 7.0, -2.0]
    path = tmp_path / "hand.idx"
    path.write_bytes(idx_bytes(code, (2, 3), fmt, values))
    array = read_idx(path)
    assert array.dtype == dtype and array.shape == (2, 3)
    # row-major: the last index runs fastest
    expected = np.array(values, dtype=dtype).reshape(2, 3)
    np.testing.assert_array_equal(array, expected)
    assert array[1, 0] == np.array(values[3], dtype=dtype)


def test_writer_produces_hand_built_bytes(tmp_path):
    path = tmp_path / "labels"
    write_idx(path, np.array([7, 2, 1, 0], dtype=np.uint8))
    # MNIST label file header: magic 0x00000801 = 2049, then the count
    assert path.read_bytes() == struct.pack(">II4B", 2049, 4, 7, 2, 1, 0)
    path16 = tmp_path / "shorts"
    write_idx(path16, np.array([[1, -2]], dtype=np.int16))
    assert path16.read_bytes() == b"\x00\x00\x0b\x02" + struct.pack(">IIhh", 1, 2, 1, -2)


def test_gzip_detected_by_magic_not_name(tmp_path):
    data = idx_bytes(0x08, (3,), "B", [9, 8, 7])
    misleading_gz = tmp_path / "raw.gz"
    misleading_gz.write_bytes(data)
    hidden_gzip = tmp_path / "compressed.idx"
    hidden_gzip.write_bytes(gzip.compress(data))
    np.testing.assert_array_equal(read_idx(misleading_gz), [9, 8, 7])
    np.testing.assert_array_equal(read_idx(hidden_gzip), [9, 8, 7])


def test_mnist_header_shapes(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.int64).reshape(2, 28, 28) % 256
    path = tmp_path / "imgs"
    write_idx(path, images.astype(np.uint8))
    # MNIST image file header: magic 0x00000803 = 2051, count, rows, cols
    assert path.read_bytes()[:16] == struct.pack(">IIII", 2051, 2, 28, 28)


@pytest.mark.parametrize(
    "content, words",
    [
        (idx_bytes(0x08, (4,), "B", [1, 2, 3]), ["truncated", "4 data bytes", "found 3"]),
        (idx_bytes(0x08, (2,), "B", [1, 2, 3]), ["trailing", "needs 2", "found 3"]),
        (idx_bytes(0x08, (2,), "B", [1, 2], magic_prefix=b"\x08\x03"), ["magic", "08 03 08 01"]),
        (idx_bytes(0x0A, (2,), "B", [1, 2]), ["dtype code 0x0A"]),
        (b"\x00\x00", ["truncated", "found 2 byte"]),
        (b"\x00\x00\x08\x03" + struct.pack(">I", 5), ["truncated IDX header", "3 dimension"]),
        (gzip.compress(idx_bytes(0x08, (2,), "B", [1, 2]))[:-6], ["gzip"]),
    ],
    ids=["truncated", "trailing", "bad-magic", "bad-dtype", "short-magic", "short-header", "cut-gzip"],
)
def test_malformed_files_raise_idx_format_error(tmp_path, content, words):
    path = tmp_path / "broken-file-name.idx"
    path.write_bytes(content)
    with pytest.raises(IdxFormatError) as info:
        read_idx(path)
    message = str(info.value)
    assert "broken-file-name.idx" in message
    for word in words:
        assert word in message
    assert isinstance(info.value, ValueError)


def test_truncated_gzip_payload_is_reported(tmp_path):
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(idx_bytes(0x08, (10,), "B", [1] * 9)))
    with pytest.raises(IdxFormatError, match=r"short\.gz.*truncated"):
        read_idx(path)


def test_write_rejects_unsupported_dtype(tmp_path):
    with pytest.raises(TypeError, match="int64"):
        write_idx(tmp_path / "x", np.zeros(3, dtype=np.int64))


@pytest.mark.parametrize("compress", [True, False])
def test_load_mnist_files_small(tmp_path, compress, write_small_mnist):
    arrays = write_small_mnist(tmp_path / "tiny-mnist", compress=compress)
    data = load_mnist_files(tmp_path / "tiny-mnist")
    assert data.name == "tiny-mnist"
    assert data.X_train.shape == (12, 784) and data.X_test.shape == (5, 784)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype == np.int64
    assert data.image_shape == (28, 28) and data.n_classes == 10
    train_images = arrays[MNIST_STEMS[0]]
    # pixel 255 -> 1.0 (ink), checked one entry at a time against the raw bytes
    assert data.X_train[3, 28 * 5 + 7] == train_images[3, 5, 7] / 255
    np.testing.assert_array_equal(data.X_test.reshape(5, 28, 28) * 255, arrays[MNIST_STEMS[2]])
    np.testing.assert_array_equal(data.y_train, arrays[MNIST_STEMS[1]])
    np.testing.assert_array_equal(data.y_test, arrays[MNIST_STEMS[3]])


def test_load_mnist_files_count_mismatch(tmp_path, write_small_mnist):
    write_small_mnist(tmp_path, n_train=12, compress=False)
    write_idx(tmp_path / MNIST_STEMS[1], np.zeros(11, dtype=np.uint8))
    with pytest.raises(ValueError, match="12 images but 11 labels"):
        load_mnist_files(tmp_path)


def test_load_mnist_files_missing_file(tmp_path, write_small_mnist):
    write_small_mnist(tmp_path)
    (tmp_path / (MNIST_STEMS[3] + ".gz")).unlink()
    with pytest.raises(FileNotFoundError, match=MNIST_STEMS[3]):
        load_mnist_files(tmp_path)


def test_fashion_mnist_dir_prefers_the_environment(tmp_path, monkeypatch, write_small_mnist):
    write_small_mnist(tmp_path / "fm")
    monkeypatch.setenv("NNBOOK_FASHION_MNIST", str(tmp_path / "fm"))
    assert fashion_mnist_dir() == (tmp_path / "fm").resolve()
    monkeypatch.setenv("NNBOOK_FASHION_MNIST", str(tmp_path / "empty"))
    found = fashion_mnist_dir()
    assert found is None or found != (tmp_path / "empty").resolve()


def test_real_fashion_mnist_if_present(monkeypatch):
    """Full-size check on the shared read-only copy (skipped when absent); < 10 s."""
    monkeypatch.delenv("NNBOOK_FASHION_MNIST", raising=False)
    directory = fashion_mnist_dir()
    if directory is None:
        pytest.skip("Fashion-MNIST not available")
    start = time.perf_counter()
    data = load_mnist_files(directory)
    assert time.perf_counter() - start < 10
    # Published facts of Fashion-MNIST: 60,000 + 10,000 28×28 images, 6,000 / 1,000 per class.
    assert data.X_train.shape == (60000, 784) and data.X_test.shape == (10000, 784)
    np.testing.assert_array_equal(np.bincount(data.y_train, minlength=10), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(data.y_test, minlength=10), [1000] * 10)
    assert data.X_train.max() == 1.0 and data.X_train.min() == 0.0
