"""Where documents come from: paths, directories, stdin, or the bundled seed.

Commands that read (list, show, diff, …) accept either a catalogue file or
source documents; ``iter_source_documents`` decides which by extension and
content and yields one document at a time (a catalogue is streamed, so memory
follows one document, not the file); ``open_catalogue`` collects them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO

from . import __version__
from .catalogue import iter_documents_from_catalogue
from .errors import InputError
from .model import Catalogue, Document
from .read import expand_paths

CATALOGUE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
# how a catalogue starts (after a BOM and white space): guizhou writes these
CATALOGUE_HEADS = (b"schema: guizhou-catalogue", b'{"schema": "guizhou-catalogue', b'{\n  "schema": "guizhou-catalogue')
SEED_PREFIX = "seeds/"
# the SQLite catalogue (store.py): by extension, and by its file header on stdin
STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SQLITE_HEAD = b"SQLite format 3\x00"


def bundled_seeds() -> list[tuple[str, bytes]]:
    """The seed page shipped with the package: ``(display name, bytes)``."""
    out: list[tuple[str, bytes]] = []
    try:
        root = resources.files("guizhou_cli.seeds")
        entries = sorted(root.iterdir(), key=lambda e: e.name)
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        # running from a source tree without an install: use ./seeds beside it
        here = default_seed_dir()
        entries = sorted(here.iterdir(), key=lambda e: e.name) if here else []
    for entry in entries:
        if entry.name.endswith(".txt"):
            out.append((SEED_PREFIX + entry.name, entry.read_bytes()))
    if not out:
        raise InputError("the bundled seeds are missing from this installation")
    return out


def seed_documents(encoding: str | None = None) -> list[Document]:
    # the same bytes → document path as `extract` takes for the seed
    from .formats import document_from_bytes

    return [document_from_bytes(data, name, encoding) for name, data in bundled_seeds()]


def is_catalogue(path: str) -> bool:
    if path == "-":
        return False
    if path.lower().endswith(CATALOGUE_SUFFIXES):
        return True
    try:
        # sniff regular files only: reading the head of a pipe (<(cmd)) would
        # take those bytes from the document itself
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \n\r\t")
    except OSError:
        return False
    return _is_catalogue_head(head)


def _is_catalogue_head(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \n\r\t").startswith(CATALOGUE_HEADS)


class _Replay:
    """A binary stream with the bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest
        self.name = getattr(rest, "name", "-")

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            out, self._head = self._head + self._rest.read(), b""
            return out
        out, self._head = self._head[:size], self._head[size:]
        return out


def _sniff_stdin(stdin: IO[bytes]) -> tuple[bool, IO[bytes]]:
    """(whether stdin holds a catalogue, a stream that still reads all of it)."""
    head = stdin.read(64)
    if head.startswith(SQLITE_HEAD):
        raise InputError("-: a SQLite catalogue cannot be read from stdin; give its path")
    return _is_catalogue_head(head), _Replay(head, stdin)  # type: ignore[return-value]


def _catalogue_head(data: bytes) -> bool:
    """Whether bytes (stdin) start like a catalogue (YAML, JSON, SQLite) rather than a document."""
    return _is_catalogue_head(data[:64]) or data.startswith(SQLITE_HEAD)


def iter_source_documents(
    paths: list[str] | tuple[str, ...],
    encoding: str | None = None,
    on_document: Callable[[str], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Document]:
    """The documents of catalogue files and/or source documents, one at a time.

    No paths means the bundled seed. A catalogue (by extension, or by how it
    starts, stdin included) is streamed document by document; a source
    document is parsed when its turn comes. The parser is imported only when
    a source document is read: reading a catalogue does not load it. Errors
    (``CatalogueError``, ``InputError``) may come after some documents.
    """
    if not paths:
        yield from seed_documents(encoding)
        return
    for path in paths:
        if path != "-" and not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
        if path != "-" and os.path.isdir(path):
            from .extract import parse_file

            for p in expand_paths([path]):
                if on_document:
                    on_document(p)
                yield parse_file(p, encoding)
        elif path == "-":
            import sys

            raw = stdin if stdin is not None else sys.stdin.buffer
            catalogue, replay = _sniff_stdin(raw)
            if catalogue:
                yield from iter_documents_from_catalogue("-", stdin=replay)
            else:
                from .extract import parse_file

                if on_document:
                    on_document(path)
                yield parse_file(path, encoding, replay)
        elif path.lower().endswith(STORE_SUFFIXES):
            from .store import load_store  # the SQLite catalogue (store.py)

            yield from load_store(path).documents
        elif is_catalogue(path):
            yield from iter_documents_from_catalogue(path)
        else:
            from .extract import parse_file

            if on_document:
                on_document(path)
            yield parse_file(path, encoding, stdin)


def open_catalogue(
    paths: list[str] | tuple[str, ...],
    encoding: str | None = None,
    on_document: Callable[[str], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> Catalogue:
    """One catalogue from catalogue files and/or source documents (all in memory;
    ``iter_source_documents`` streams them)."""
    docs = tuple(iter_source_documents(paths, encoding, on_document, stdin))
    return Catalogue(generator=f"guizhou-cli {__version__}", documents=docs)


def default_seed_dir() -> Path | None:
    """The checkout's ``seeds/`` folder, when running from a source tree."""
    p = Path(__file__).resolve().parent.parent / "seeds"
    return p if p.is_dir() else None
