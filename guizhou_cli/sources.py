"""Where documents come from: paths, directories, stdin, or the bundled seed.

Commands that read (list, show, diff, …) accept either a catalogue file or
source documents; ``open_catalogue`` decides which by extension and content.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import IO

from . import __version__
from .catalogue import load_catalogue, loads_catalogue
from .errors import InputError
from .model import Catalogue, Document
from .read import expand_paths

CATALOGUE_SUFFIXES = (".yaml", ".yml", ".json")
SEED_PREFIX = "seeds/"


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
    return head.startswith((b"schema: guizhou-catalogue", b'{"schema": "guizhou-catalogue', b'{\n  "schema": "guizhou-catalogue'))


def _catalogue_head(data: bytes) -> bool:
    """Whether bytes (stdin) start like a catalogue rather than a document."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \n\r\t")
    starts = (b"schema: guizhou-catalogue", b'{"schema": "guizhou-catalogue', b'{\n  "schema": "guizhou-catalogue')
    return head.startswith((*starts, b"SQLite format 3\x00"))


def open_catalogue(
    paths: list[str] | tuple[str, ...],
    encoding: str | None = None,
    on_document: Callable[[str], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> Catalogue:
    """One catalogue from catalogue files and/or source documents.

    No paths means the bundled seed. The parser is imported only when a
    source document is read: reading a catalogue does not load it.
    """
    if not paths:
        return Catalogue(generator=f"guizhou-cli {__version__}", documents=tuple(seed_documents(encoding)))
    docs: list[Document] = []
    generator = f"guizhou-cli {__version__}"
    for path in paths:
        if path != "-" and not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
        if path == "-":
            # stdin: a catalogue (YAML, JSON, SQLite) or a document, told by its first bytes
            from .read import read_bytes

            data = read_bytes("-", stdin)
            if _catalogue_head(data):
                from .store import is_store_bytes

                if is_store_bytes(data):
                    raise InputError("-: a SQLite catalogue cannot be read from stdin; give its path")
                docs.extend(loads_catalogue(data, "<stdin>").documents)
            else:
                from .formats import document_from_bytes

                if on_document:
                    on_document(path)
                docs.append(document_from_bytes(data, "-", encoding))
        elif os.path.isdir(path):
            from .extract import parse_file

            for p in expand_paths([path]):
                if on_document:
                    on_document(p)
                docs.append(parse_file(p, encoding))
        elif path.lower().endswith((".db", ".sqlite", ".sqlite3")):
            from .store import load_store  # the SQLite catalogue (store.py)

            docs.extend(load_store(path).documents)
        elif is_catalogue(path):
            cat = load_catalogue(path)
            docs.extend(cat.documents)
        else:
            from .extract import parse_file

            if on_document:
                on_document(path)
            docs.append(parse_file(path, encoding, stdin))
    return Catalogue(generator=generator, documents=tuple(docs))


def default_seed_dir() -> Path | None:
    """The checkout's ``seeds/`` folder, when running from a source tree."""
    p = Path(__file__).resolve().parent.parent / "seeds"
    return p if p.is_dir() else None
