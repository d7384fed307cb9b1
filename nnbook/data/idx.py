"""The IDX file format that MNIST and Fashion-MNIST are distributed in.

Layout (LeCun et al., "THE MNIST DATABASE", section "FILE FORMATS"):

- 4 magic bytes ``00 00 <dtype code> <ndim>``;
- ``ndim`` dimension sizes, each a big-endian unsigned 32-bit integer;
- the data, ``prod(dims)`` items of the dtype, big-endian, in C order (last index fastest).

Files may be gzip-compressed; the reader recognises gzip by its magic bytes ``1f 8b``,
not by the file name.
"""

from __future__ import annotations

import gzip as gzip_module
import math
import os
import struct
import zlib

import numpy as np

#: IDX dtype code → big-endian numpy dtype.
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"
_HEADER = 4


class IdxFormatError(ValueError):
    """A file is not a well-formed IDX file (bad magic, dtype, size or trailing bytes)."""


def read_idx(path) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed) into a native-byte-order array.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    ndarray with the header's shape ``(d1, ..., d_ndim)`` and the dtype of its code
    (uint8 for MNIST images and labels).

    Raises
    ------
    IdxFormatError
        Wrong magic, unknown dtype code, data shorter than the header promises
        (truncated) or longer (trailing bytes); the message names the file.
    """
    name = os.fspath(path)
    content = _read_bytes(name)
    if len(content) < _HEADER:
        raise IdxFormatError(
            f"{name}: truncated IDX file: expected a 4-byte magic number, found {len(content)} byte(s)"
        )
    zero1, zero2, code, ndim = content[:_HEADER]
    if zero1 != 0 or zero2 != 0:
        raise IdxFormatError(
            f"{name}: not an IDX file: expected magic bytes 00 00 <dtype> <ndim>, "
            f"found {content[:_HEADER].hex(' ')}"
        )
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise IdxFormatError(f"{name}: unsupported IDX dtype code 0x{code:02X}; expected one of {known}")
    dims_end = _HEADER + 4 * ndim
    if len(content) < dims_end:
        raise IdxFormatError(
            f"{name}: truncated IDX header: expected {ndim} dimension sizes ({dims_end} header bytes), "
            f"found {len(content)} bytes in all"
        )
    shape = struct.unpack(f">{ndim}I", content[_HEADER:dims_end])
    dtype = IDX_DTYPES[code]
    expected = math.prod(shape) * dtype.itemsize
    found = len(content) - dims_end
    if found < expected:
        raise IdxFormatError(
            f"{name}: truncated IDX data: header shape {shape} of {dtype.name} needs {expected} data bytes, "
            f"found {found}"
        )
    if found > expected:
        raise IdxFormatError(
            f"{name}: {found - expected} trailing byte(s) after the IDX data: header shape {shape} "
            f"of {dtype.name} needs {expected} data bytes, found {found}"
        )
    data = np.frombuffer(content, dtype=dtype, offset=dims_end, count=math.prod(shape))
    return data.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def write_idx(path, array, gzip: bool = False) -> None:
    """Write ``array`` as an IDX file, gzip-compressed when ``gzip`` is true.

    array : array_like of dtype uint8, int8, int16, int32, float32 or float64 (any shape,
    each dimension < 2**32, at most 255 dimensions). The compressed file is reproducible
    (no time stamp in the gzip header).
    """
    data = np.asarray(array)
    code = _code_for(data.dtype)
    if code is None:
        supported = ", ".join(d.name for d in IDX_DTYPES.values())
        raise TypeError(f"write_idx: IDX stores {supported}; found dtype {data.dtype} (convert it first)")
    if data.ndim > 255:
        raise ValueError(f"write_idx: IDX allows at most 255 dimensions, found {data.ndim}")
    if any(d >= 2**32 for d in data.shape):
        raise ValueError(f"write_idx: every dimension must be < 2**32, found shape {data.shape}")
    header = bytes((0, 0, code, data.ndim)) + struct.pack(f">{data.ndim}I", *data.shape)
    payload = header + np.ascontiguousarray(data, dtype=IDX_DTYPES[code]).tobytes()
    if gzip:
        payload = gzip_module.compress(payload, mtime=0)
    with open(path, "wb") as handle:
        handle.write(payload)


def _code_for(dtype: np.dtype):
    for code, idx_dtype in IDX_DTYPES.items():
        if dtype.kind == idx_dtype.kind and dtype.itemsize == idx_dtype.itemsize:
            return code
    return None


def _read_bytes(name: str) -> bytes:
    with open(name, "rb") as handle:
        content = handle.read()
    if not content.startswith(_GZIP_MAGIC):
        return content
    try:
        return gzip_module.decompress(content)
    except (EOFError, gzip_module.BadGzipFile, zlib.error) as exc:
        raise IdxFormatError(f"{name}: damaged gzip stream (expected a complete gzip file): {exc}") from None
