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
import re
import stat
from collections.abc import Callable
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

_SURROGATE = re.compile("[\ud800-\udfff]")

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
            info = codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{source}: unknown encoding {encoding!r}") from None
        if not getattr(info, "_is_text_encoding", True):
            # rot13, zlib, base64 …: codecs, but not bytes → text
            raise InputError(f"{source}: {encoding!r} is not a text encoding")
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"{source}: {encoding!r} is not a text encoding") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source}: not valid {encoding} at byte {exc.start} ({data[exc.start : exc.start + 4].hex(' ')})"
            ) from None
        if _SURROGATE.search(text):
            # unicode_escape and friends can produce lone surrogates, which no
            # catalogue (UTF-8) can hold
            raise InputError(f"{source}: decoding as {encoding} gives invalid characters (lone surrogates)")
        return text.removeprefix("\ufeff"), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name.replace("-le", "").replace("-be", "")
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
                f"{source}: neither UTF-8 (bad byte at {utf8_error.start}) nor GB18030; name the encoding with --encoding"
            ) from None


def read_bytes(path: str, stdin: IO[bytes] | None = None, limit: int = MAX_BYTES) -> bytes:
    """Read a path (``-`` is stdin) with errors turned into InputError.

    Regular files, pipes and process substitutions (``<(iconv …)``) are read;
    directories and devices are refused before reading, since a device such as
    /dev/zero never ends. Nothing larger than ``limit`` is read into memory.
    """
    if path == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return _read_limited(stdin.read, "-", limit)
    try:
        # open() owns the descriptor from the start: nothing here can close
        # it twice when Ctrl-C lands between two steps
        fh = open(path, "rb", buffering=0)  # FileIO: one read() is one system call
    except OSError as exc:
        raise InputError(_os_reason(path, exc)) from None
    with fh:
        try:
            st = os.fstat(fh.fileno())
        except OSError as exc:
            raise InputError(_os_reason(path, exc)) from None
        shown = display_name(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{shown}: is a directory")
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            raise InputError(f"{shown}: is a device, not a text file")
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise InputError(f"{shown}: {st.st_size} bytes is larger than the {limit // 2**20} MB limit")
        if stat.S_ISREG(st.st_mode):
            return _read_limited(fh.read, path, limit, st.st_size + 1)
        return _read_limited(_interruptible(fh), path, limit)


def _read_limited(read: Callable[[int], bytes], path: str, limit: int, first: int = 1 << 20) -> bytes:
    # A regular file is read in one call of its size (plus one byte, to see a
    # file that grew); a pipe in 1 MB chunks, never past the limit.
    chunks: list[bytes] = []
    total = 0
    size = first
    while True:
        try:
            chunk = read(min(size, limit + 1 - total))
        except OSError as exc:
            raise InputError(_os_reason(path, exc)) from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        size = 1 << 20
        if total > limit:
            raise InputError(f"{display_name(path)}: larger than the {limit // 2**20} MB limit")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _interruptible(fh: IO[bytes]) -> Callable[[int], bytes]:
    """``fh.read`` for a pipe, waiting in short slices so Ctrl-C is never missed.

    CPython runs a signal handler between bytecodes: a signal that lands just
    before a blocking read() is acted on only when the read returns, which on
    a stalled pipe is never. Waiting with a timeout returns to Python often.
    """
    if os.name != "posix":
        return fh.read
    import select

    fd = fh.fileno()

    def read(n: int) -> bytes:
        while not select.select([fd], [], [], 0.2)[0]:
            pass
        return fh.read(n) or b""

    return read


def _os_reason(path: str, exc: OSError) -> str:
    path = display_name(path)
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file or directory"
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory"
    return f"{path}: cannot read: {exc.strerror or exc}"


def read_source(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> SourceText:
    data = read_bytes(path, stdin)
    return source_from_bytes(data, display_name(path), encoding)


def source_from_bytes(data: bytes, source: str, encoding: str | None = None) -> SourceText:
    text, enc = decode(data, source, encoding)
    if not text.strip(" \t\r\n\u3000\ufeff\u200b"):
        raise InputError(f"{source}: is empty" if not data else f"{source}: has no text (only whitespace)")
    return SourceText(source=source, text=text, encoding=enc, sha256=hashlib.sha256(data).hexdigest())


def display_name(name: str) -> str:
    """A file name as it is shown and recorded (a catalogue's ``source``).

    A name with bytes that are not UTF-8 (a GBK name from a Windows zip)
    reaches Python with each such byte as a lone surrogate (PEP 383,
    ``surrogateescape``), which no UTF-8 output can hold: each is written
    ``\\xNN``, the byte it stands for, so that the name still identifies the
    file and never raises UnicodeEncodeError. Other names are unchanged.
    """
    if not _SURROGATE.search(name):
        return name
    return _SURROGATE.sub(_escape_surrogate, name)


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m.group())
    # U+DC80..U+DCFF: an undecodable byte (surrogateescape); other lone
    # surrogates (from a \\ud800 in a JSON name, say) as their code point
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def expand_paths(paths: list[str] | tuple[str, ...], pattern: str = "*.txt") -> list[str]:
    """A directory means its ``*.txt`` files, sorted; ``-`` stays stdin."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            # a dangling symlink is kept, so that it is reported, not skipped
            found = sorted(str(p) for p in Path(path).glob(pattern) if p.is_file() or (p.is_symlink() and not p.exists()))
            if not found:
                raise InputError(f"{display_name(path)}: directory has no {pattern} files")
            out.extend(found)
        else:
            out.append(path)
    return out
