"""The pipeline, end to end: read → normalise → paragraphs → structure → model.

``parse_text`` is the library's front door for text already in memory;
``parse_file`` reads a path (any supported format); ``extract`` builds a
whole catalogue from paths, one document at a time (so memory does not grow
with the number of files).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from . import __version__
from .model import Catalogue, Document, Repair
from .normalise import normalise
from .paragraphs import LineIndex, Paragraph, split_paragraphs
from .read import SourceText, expand_paths, read_source
from .structure import build


def parse_text(
    text: str,
    source: str = "<text>",
    *,
    sha256: str | None = None,
    encoding: str = "utf-8",
) -> Document:
    """Parse one document's text into the typed model."""
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    norm, repairs = normalise(text)
    paras = split_paragraphs(norm, repairs)
    return _document(norm, paras, repairs, source, sha256, encoding)


def parse_paragraphs(
    paras: list[Paragraph],
    text: str,
    source: str,
    sha256: str,
    encoding: str,
    repairs: list[Repair] | None = None,
    meta: tuple[tuple[str, str], ...] = (),
) -> Document:
    """Entry for rich-format readers that produce paragraphs themselves."""
    return _document(text, paras, list(repairs or []), source, sha256, encoding, meta)


def _document(
    norm: str,
    paras: list[Paragraph],
    repairs: list[Repair],
    source: str,
    sha256: str,
    encoding: str,
    meta: tuple[tuple[str, str], ...] = (),
) -> Document:
    index = LineIndex(norm)
    st = build(paras, index, repairs)
    return Document(
        source=source,
        sha256=sha256,
        encoding=encoding,
        banner=st.banner,
        title=st.title,
        dateline=st.dateline,
        essays=tuple(st.essays),
        repairs=tuple(sorted(repairs, key=lambda r: (r.lines[:1] or (0,), r.kind))),
        furniture=tuple(st.furniture),
        meta=meta,
    )


def parse_source(src: SourceText) -> Document:
    return parse_text(src.text, src.source, sha256=src.sha256, encoding=src.encoding)


def parse_file(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Document:
    """Read and parse one file (``-`` is stdin)."""
    from .formats import read_document

    return read_document(path, encoding, stdin)


def iter_documents(
    paths: Iterable[str],
    encoding: str | None = None,
    on_document: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    for path in expand_paths(list(paths)):
        if on_document:
            on_document(path)
        yield parse_file(path, encoding)


def extract(paths: Iterable[str], encoding: str | None = None) -> Catalogue:
    """A catalogue of every document in ``paths`` (directories expanded)."""
    return Catalogue(generator=f"guizhou-cli {__version__}", documents=tuple(iter_documents(paths, encoding)))


__all__ = ["extract", "iter_documents", "parse_file", "parse_paragraphs", "parse_text", "read_source"]
