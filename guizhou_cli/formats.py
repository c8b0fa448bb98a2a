"""Which reader handles a source document: by its content first, then its extension.

Formats: plain text (built in), Markdown, HTML, Word .docx and PDF (the last
with the ``pdf`` extra). The bytes decide where they can: a PDF or a .docx
is known by its signature whatever it is called, and a web page's source
saved as .txt is read as HTML. Text-like files are sniffed only on strong
signals (a page's ``<html>``/``<body>``, Markdown front matter or several
``#`` headings), so a plain Chinese text is never mistaken for markup.

Rich formats produce paragraphs with style hints (bold at the start, heading
level) and go through the same structure parser as text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import PurePath
from typing import IO

from .errors import InputError
from .model import Document
from .read import read_bytes, source_from_bytes

FORMATS = ("text", "markdown", "html", "docx", "pdf")

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}

_HEAD = 16384


def _head_text(data: bytes) -> str:
    """The start of a text file, for sniffing only (content is decoded strictly later)."""
    head = data[:_HEAD]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    # markup is ASCII in UTF-8 and GB18030 alike; the rest need not be right here
    return head.decode("utf-8", errors="replace")


def _is_zip_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return True  # a damaged zip: let the .docx reader say so
    return "word/document.xml" in names or ("[Content_Types].xml" in names and any(n.endswith("document.xml") for n in names))


def looks_like_markdown(head: str) -> bool:
    """Strong Markdown signals only: front matter, or several #-headings or bold starts."""
    h = head.lstrip("\ufeff")
    if re.match(r"(---|\+\+\+)[ \t]*\n(?:[^\n]*\n){0,60}?[ \t]*[\w\u4e00-\u9fff-]+[ \t]*[:=]", h) and re.search(
        r"\n(---|\.\.\.|\+\+\+)[ \t]*(\n|$)", h[3:]
    ):
        return True
    headings = len(re.findall(r"(?m)^ {0,3}#{1,6}[ \t]+\S", h))
    bold_starts = len(re.findall(r"(?m)^[ \t\u3000]*\*\*[^*\n]+\*\*", h))
    return headings >= 2 or bold_starts >= 2 or (headings >= 1 and bold_starts >= 1)


def _after_front_matter(head: str) -> str:
    """What follows a ``---`` front matter block at the start (empty when none)."""
    m = re.match(r"\ufeff?(---|\+\+\+)[ \t]*\n(?:[^\n]*\n){0,200}?(?:---|\.\.\.|\+\+\+)[ \t]*\n", head)
    return head[m.end() :] if m else ""


def detect_format(path: str, data: bytes) -> str:
    """One of ``FORMATS`` for these bytes (``path`` may be ``-``)."""
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _is_zip_docx(data):
            return "docx"
        raise InputError(f"{path}: is a zip archive but not a Word .docx (an .xlsx, .odt or .epub?)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path}: is an old Word .doc or an encrypted Office file; save it as an unencrypted .docx (or text)")
    from .readers.html import looks_like_html

    suffix = PurePath(path).suffix.lower() if path != "-" else ""
    by_name = SUFFIXES.get(suffix)
    head = _head_text(data)
    if by_name == "html":
        return "html" if re.search(r"<[A-Za-z!/]", head) else "text"
    if by_name == "markdown":
        # Markdown may hold inline HTML; only a whole page overrides the name
        return "html" if re.match(r"\s*<(!doctype\s+html|html)[\s>]", head, re.I) else "markdown"
    if looks_like_html(head) or looks_like_html(_after_front_matter(head)):
        return "html"  # a page's source, with a scraper's front matter or not
    if looks_like_markdown(head):
        return "markdown"
    return "text"


def _reader(fmt: str) -> Callable[[bytes, str, str | None], object]:
    if fmt == "markdown":
        from .readers.markdown import read_markdown

        return read_markdown
    if fmt == "html":
        from .readers.html import read_html

        return read_html
    if fmt == "docx":
        from .readers.docx import read_docx

        return read_docx
    from .readers.pdf import read_pdf

    return read_pdf


def document_from_bytes(data: bytes, source: str, encoding: str | None = None, fmt: str | None = None) -> Document:
    """Parse one document's bytes in whatever supported format they are."""
    from .pipeline import parse_source
    from .readers.common import Reading, to_document

    if not data:
        raise InputError(f"{source}: is empty")
    fmt = fmt or detect_format(source, data)
    if fmt not in FORMATS:
        raise InputError(f"{source}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "text":
        return parse_source(source_from_bytes(data, source, encoding))
    reading = _reader(fmt)(data, source, encoding)
    assert isinstance(reading, Reading)
    if not reading.paragraphs:
        raise InputError(f"{source}: has no text (read as {fmt})")
    return to_document(reading, source, hashlib.sha256(data).hexdigest())


def read_document(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Document:
    """Read and parse one source document (``-`` is stdin), any supported format."""
    return document_from_bytes(read_bytes(path, stdin), path, encoding)
