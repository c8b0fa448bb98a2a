"""Stage 1: read. Bytes from a file or stdin become text, with the encoding named.

Decoding is strict everywhere: a file that does not decode is an error that says
where, never a silent ``errors="ignore"``. Order: a BOM decides (UTF-8, UTF-16,
UTF-32); then strict UTF-8; then GB18030, the superset of GBK and GB2312 (never
try gbk first: it fails on characters such as 𠮷 that GB18030 has).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import InputError

# Text files only. A NUL byte is never in UTF-8/GB18030 Chinese text, but is in
# images, zips and UTF-16 without a BOM.
_BINARY_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (a .docx or .xlsx?)"),
    (b"%PDF", "a PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Refuse silly sizes before decoding them: 512 MB of text is not a policy
# document, and decoding it would take several GB of memory.
MAX_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceText:
    source: str  # the path as given, or "-" for stdin
    text: str
    encoding: str
    sha256: str


def decode(data: bytes, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise InputError with a one-line reason."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{source}: unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source}: not valid {encoding} at byte {exc.start} "
                f"({data[exc.start:exc.start + 4].hex(' ')})"
            ) from None
        return text.removeprefix("\ufeff"), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name.replace("-le", "").replace("-be", "")
            except UnicodeDecodeError as exc:
                raise InputError(f"{source}: has a {name} BOM but is not valid {name} at byte {exc.start + len(bom)}") from None
    for magic, what in _BINARY_SIGNATURES:
        if data.startswith(magic):
            raise InputError(f"{source}: is {what}, not a text file")
    if b"\x00" in data[:65536]:
        raise InputError(f"{source}: looks binary (NUL bytes); give a text file, or --encoding for UTF-16 without a BOM")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(
                f"{source}: neither UTF-8 (bad byte at {utf8_error.start}) nor GB18030; "
                "name the encoding with --encoding"
            ) from None


def read_bytes(path: str, stdin: IO[bytes] | None = None) -> bytes:
    """Read a path (``-`` is stdin) with errors turned into InputError."""
    if path == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return stdin.read()
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    if p.is_dir():
        raise InputError(f"{path}: is a directory")
    if size > MAX_BYTES:
        raise InputError(f"{path}: {size} bytes is larger than the {MAX_BYTES // 2**20} MB limit")
    try:
        return p.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def read_source(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> SourceText:
    data = read_bytes(path, stdin)
    return source_from_bytes(data, path, encoding)


def source_from_bytes(data: bytes, source: str, encoding: str | None = None) -> SourceText:
    text, enc = decode(data, source, encoding)
    if not text.strip(" \t\r\n\u3000\ufeff\u200b"):
        raise InputError(f"{source}: is empty" if not data else f"{source}: has no text (only whitespace)")
    return SourceText(source=source, text=text, encoding=enc, sha256=hashlib.sha256(data).hexdigest())


def expand_paths(paths: list[str] | tuple[str, ...], pattern: str = "*.txt") -> list[str]:
    """A directory means its ``*.txt`` files, sorted; ``-`` stays stdin."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).glob(pattern) if p.is_file())
            if not found:
                raise InputError(f"{path}: directory has no {pattern} files")
            out.extend(found)
        else:
            out.append(path)
    return out
