"""The core stage chain for one document: normalise → paragraphs → structure → model.

Readers of rich formats (``readers/``) and ``formats.py`` hand their text or
paragraphs down to this module; it never calls back up into file handling,
format detection or keywords, so the import graph has no cycle.
"""

from __future__ import annotations

import hashlib

from .markers import _runin_candidates, _runin_markers, outline_marker
from .model import Document, Repair, Section
from .normalise import fold, normalise
from .paragraphs import LineIndex, Paragraph, split_paragraphs
from .read import SourceText
from .rules.headings import _first_sentence_size, _sentence_traits
from .structure import build


def clear_caches() -> None:
    """Empty the per-paragraph memos (fold, markers, heading sentences).

    Each stage asks the same questions of the same paragraph, so the answers
    are memoised; they are emptied before every document, so that no answer
    outlives the document it was computed for (two identical documents are
    parsed twice, in full).
    """
    fold.cache_clear()
    outline_marker.cache_clear()
    _runin_markers.cache_clear()
    _runin_candidates.cache_clear()
    _first_sentence_size.cache_clear()
    _sentence_traits.cache_clear()


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
    clear_caches()
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
    clear_caches()
    doc = _document(text, paras, list(repairs or []), source, sha256, encoding, meta)
    pages = dict(meta).get("pages")
    return with_pages(doc, pages) if pages else doc


def with_pages(doc: Document, pages: str) -> Document:
    """Give each section and measure the page of its line.

    ``pages`` is the reader's map, "1-38 39-80 …": page 2 holds lines 39–80.
    """
    import bisect
    from dataclasses import replace

    starts: list[int] = []
    for span in pages.split():
        first, _, _last = span.partition("-")
        if first.isdigit():
            starts.append(int(first))

    def page(line: int) -> int | None:
        i = bisect.bisect_right(starts, line)
        return i if i > 0 else None

    def sec(s: Section) -> Section:
        return replace(
            s,
            page=page(s.line),
            measures=tuple(replace(m, page=page(m.line)) for m in s.measures),
            sections=tuple(sec(c) for c in s.sections),
        )

    return replace(doc, essays=tuple(replace(e, sections=tuple(sec(x) for x in e.sections)) for e in doc.essays))


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
    st = build(paras, index, repairs, dict(meta))
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


# A document with this many sections and not one measure is worth a word: the
# rules have most likely missed its enumeration style.
MANY_SECTIONS = 5


def coverage_warning(doc: Document) -> str | None:
    """One line when a document lost text or yielded nothing: ``gwr.txt: 14 sections, 0 measures; 3 paragraphs unplaced``.

    ``extract`` prints it on stderr for each such document, so that no loss is
    silent; None when the document looks whole.
    """
    from .model import iter_sections

    sections = measures = 0
    for e in doc.essays:
        for s in iter_sections(e.sections):
            sections += 1
            measures += len(s.measures)
    unplaced = sum(len(e.unplaced) for e in doc.essays)
    if not unplaced and (measures or sections < MANY_SECTIONS):
        return None
    line = f"{doc.source}: {sections} sections, {measures} measures"
    if unplaced:
        line += f"; {unplaced} paragraph{'s' if unplaced != 1 else ''} unplaced"
    return line
