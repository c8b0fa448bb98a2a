"""Which reader handles a path: by extension, then by sniffing the bytes.

Plain text is built in. Rich formats (Markdown, HTML, Word, PDF) produce
paragraphs with style hints and go through the same structure parser.
"""

from __future__ import annotations

from typing import IO

from .model import Document
from .read import read_source


def read_document(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Document:
    from .extract import parse_source

    return parse_source(read_source(path, encoding, stdin))
