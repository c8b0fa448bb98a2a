"""PDF (.pdf, the ``pdf`` extra): text in reading order, furniture out, wraps joined.

Library: pdfminer.six. It maps CJK text through the fonts' ToUnicode maps and,
for fonts without one, through its bundled Adobe CMaps (Adobe-GB1, CNS1,
Japan1, Korea1: the predefined encodings such as UniGB-UCS2-H that Chinese
PDFs use), and it gives every character's box and font name, which reading
order, paragraph breaks and bold need. It is pure Python (MIT) and is what
pdfplumber builds on; we need none of pdfplumber's extras.

What we do with the characters, page by page:

* characters → rows (vertical overlap) → line segments (split at gaps wider
  than a character, so columns never merge);
* reading order by recursive XY-cut: split at the widest vertical gutter
  (columns, left to right), else at a horizontal gap (top to bottom),
  preferring a gap that frees a gutter below a title spanning the columns;
* page furniture dropped: page numbers (— 3 —, 第3页, 3/10) and running
  headers/footers repeated in the page margins;
* lines → paragraphs by layout (first-line indent, a short last line, extra
  space, a change of font size), and across column and page breaks by the
  plain-text rules (paragraphs.py: ``ends_complete``, ``is_body_like``, a
  title or marker opens a new unit); every join is recorded as a repair;
* bold: characters in a bold or 黑体 face other than the body's face.

Provenance: a line is a line of the PDF. Offsets refer to a text with every
line of every page (furniture included) in reading order; document meta
``pages`` gives each page's line range ("1-38 39-80": page 2 is lines 39-80).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from ..errors import InputError
from ..markers import outline_marker, runin_markers
from ..model import Repair
from ..normalise import fold

# the plain-text repair rules, shared so that a PDF is joined as its text would be
from ..paragraphs import Paragraph, Piece, ends_complete, is_body_like, is_heading_line, is_title_like
from ..paragraphs import opens_new_unit as _text_opens_new_unit
from ..rules.layout import WORD_END as _WORD_END  # the hard-wrap rule: a space after a whole Latin word
from .common import INVISIBLE, MAX_TEXT_CHARS, Reading, SrcLine, make_paragraph, too_much_text

_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"
EXTRA_HINT = "reading PDF needs the pdf extra: pip install 'guizhou-cli[pdf]'"

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|hei|黑|fzht|fzcht|fzdh|xbs|,b$", re.I)
_PAGE_NO = re.compile(
    r"^[\s\-—–－_~·•|]*(?:page\s*|第\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*页)?"
    r"(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[\s\-—–－_~·•|]*$",
    re.I,
)
_WORD_START = re.compile(r"[A-Za-z0-9]")
_FILENAME_TITLE = re.compile(r"^(microsoft\s+word\s*-|untitled$|无标题)|\.(docx?|wps|pdf|txt|rtf)$", re.I)


@dataclass(slots=True)
class _Ch:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    stroked: bool = False  # drawn fill+stroke: how Word and WPS fake bold in a face without one


@dataclass(slots=True)
class _Seg:
    chars: list[_Ch]
    x0: float
    x1: float
    top: float
    bottom: float
    em: float

    @classmethod
    def of(cls, chars: list[_Ch]) -> _Seg:
        return cls(
            chars,
            min(c.x0 for c in chars),
            max(c.x1 for c in chars),
            min(c.top for c in chars),
            max(c.bottom for c in chars),
            median(c.size for c in chars) or 1.0,
        )


@dataclass(slots=True)
class _Line:
    page: int
    no: int  # global line number in the provenance text
    text: str
    chars: list[_Ch]  # one per character of ``text`` (inserted spaces borrow a neighbour)
    x0: float
    x1: float
    top: float
    bottom: float
    em: float
    col: tuple[float, float]
    offset: int = 0  # offset of the line in the provenance text
    dropped: bool = False


@dataclass
class _Page:
    number: int
    width: float
    height: float
    chars: list[_Ch] = field(default_factory=list)
    images: int = 0


# ---------------------------------------------------------------- pdfminer


def _extract(data: bytes, source: str) -> tuple[list[_Page], str | None]:
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LTChar, LTContainer, LTImage
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1
        from pdfminer.utils import decode_text
    except ImportError:
        raise InputError(f"{source}: {EXTRA_HINT}") from None

    # pdfminer reports oddities of the file through logging; they are not ours
    # to show (a damaged file still becomes one clear error below)
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        try:
            doc = _safe_document(PDFDocument, PDFParser(io.BytesIO(data)), source)
        except InputError:
            raise
        except PDFPasswordIncorrect:
            raise InputError(f"{source}: is an encrypted PDF that needs a password; decrypt it first (qpdf --decrypt)") from None
        except PDFEncryptionError as exc:
            raise InputError(f"{source}: is an encrypted PDF that cannot be read ({exc})") from None
        except Exception as exc:  # pdfminer raises what its parsing meets: all of it is a damaged file
            raise InputError(f"{source}: is a damaged or incomplete PDF ({type(exc).__name__}: {_one_line(exc)})") from None
        title = None
        try:
            for info in doc.info:
                raw = resolve1(info.get("Title"))
                if isinstance(raw, bytes):
                    raw = decode_text(raw)
                if isinstance(raw, str) and raw.strip() and not _FILENAME_TITLE.search(raw.strip()):
                    title = raw.strip()
        except Exception:  # noqa: S110 - a broken info dictionary only costs the title
            pass

        class Aggregator(PDFPageAggregator):
            """Keeps each character's text render mode (2: fill+stroke, a fake bold)."""

            render_mode = 0
            chars = 0  # drawn on the current page

            def render_string(self, textstate, seq, ncs, graphicstate):  # type: ignore[no-untyped-def]
                self.render_mode = textstate.render
                super().render_string(textstate, seq, ncs, graphicstate)

            def render_char(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                self.chars += 1
                if self.chars > MAX_PAGE_CHARS:
                    raise InputError(f"{source}: a page of the PDF draws more than {MAX_PAGE_CHARS} characters; refused")
                adv = super().render_char(*args, **kwargs)
                objs = getattr(self.cur_item, "_objs", None)
                if objs:
                    objs[-1].guizhou_stroked = self.render_mode in (1, 2)
                return adv

        class Interpreter(PDFPageInterpreter):
            """Counts form XObjects drawn: forms that draw each other twice grow as 2ⁿ."""

            forms = 0

            def do_Do(self, xobjid):  # type: ignore[no-untyped-def]
                Interpreter.forms += 1
                if Interpreter.forms > MAX_FORMS:
                    what = f"draws more than {MAX_FORMS} form objects (forms that draw each other)"
                    raise InputError(f"{source}: the PDF {what}; refused")
                super().do_Do(xobjid)

        rsrc = PDFResourceManager(caching=True)
        device = Aggregator(rsrc, laparams=None)
        interp = Interpreter(rsrc, device)
        pages: list[_Page] = []
        total = 0
        try:
            for n, page in enumerate(PDFPage.create_pages(doc), 1):
                device.chars = 0
                interp.process_page(page)
                total += device.chars
                if total > MAX_CHARS:
                    raise InputError(too_much_text(source))
                layout = device.get_result()
                x0, y0, x1, y1 = layout.bbox
                pg = _Page(n, x1 - x0, y1 - y0)
                stack = list(layout)
                while stack:
                    item = stack.pop()
                    if isinstance(item, LTChar):
                        if not item.upright:
                            continue  # rotated text: watermarks and stamps
                        text = item.get_text()
                        if text.startswith("(cid:"):
                            text = "\ufffd"
                        stroked = bool(getattr(item, "guizhou_stroked", False))
                        top, bottom = y1 - item.y1, y1 - item.y0
                        pg.chars.append(_Ch(text, item.x0, item.x1, top, bottom, item.size, item.fontname, stroked))
                    elif isinstance(item, LTImage):
                        pg.images += 1
                    elif isinstance(item, LTContainer):
                        stack.extend(item)
                pages.append(pg)
        except InputError:
            raise
        except MemoryError:
            raise InputError(f"{source}: needs more memory than a document may take (a PDF built to expand)") from None
        except Exception as exc:
            raise InputError(f"{source}: is a damaged PDF ({type(exc).__name__}: {_one_line(exc)})") from None
        return pages, title
    finally:
        log.setLevel(level)


# A decoded stream larger than this is not a page of text: a page's content
# stream is kilobytes, a scanned A4 page at 300 dpi in colour about 26 MB.
MAX_STREAM = 64 * 1024 * 1024
# the decoded size of all the streams of one file, as pdfminer keeps them cached
MAX_STREAMS_TOTAL = 256 * 1024 * 1024
# Characters drawn: a dense page holds about 3,000 (an A3 page in small print
# 10,000), a 600-page book about a million; each costs pdfminer about a
# kilobyte and 60 µs while its page is laid out.
MAX_PAGE_CHARS = 20_000
MAX_CHARS = MAX_TEXT_CHARS
# form XObjects drawn in the whole file (a letterhead or stamp is drawn once a page)
MAX_FORMS = 20_000
# a chain of objects that only refer to other objects (1 0 obj 2 0 R …)
_MAX_REF_CHAIN = 64


def _safe_document(base: type, parser: object, source: str) -> Any:
    """pdfminer's PDFDocument with three guards that pdfminer lacks.

    * an xref section whose ``/Prev`` (or ``/XRefStm``) points back at a
      section already read is read once (pdfminer recurses for ever);
    * an object that is only a reference to itself, or a cycle of such
      references, is an error (pdfminer's ``resolve1`` loops for ever);
    * a Flate stream is inflated by steps with ``max_length`` before pdfminer
      inflates it all at once: a stream that expands beyond ``MAX_STREAM``, or
      streams beyond ``MAX_STREAMS_TOTAL`` together, are refused without ever
      holding the expansion, whatever the stream's ``/Length`` or ``/DL`` say.
    """
    from pdfminer.pdftypes import PDFObjRef, PDFStream

    class SafeDocument(base):  # type: ignore[misc]
        _guizhou_xref_seen: set[int]
        _guizhou_inflated = 0
        _guizhou_checked: set[int]

        def read_xref_from(self, parser, start, xrefs):  # type: ignore[no-untyped-def]
            seen = self.__dict__.setdefault("_guizhou_xref_seen", set())
            if start in seen or len(seen) > 10000:
                return  # a loop of sections: each is read once
            seen.add(start)
            super().read_xref_from(parser, start, xrefs)

        def getobj(self, objid):  # type: ignore[no-untyped-def]
            obj = super().getobj(objid)
            chain = [objid]
            while isinstance(obj, PDFObjRef):
                if obj.objid in chain or len(chain) > _MAX_REF_CHAIN:
                    what = f"object {objid} refers to itself through {len(chain)} reference(s)"
                    raise InputError(f"{source}: is a damaged PDF ({what})")
                chain.append(obj.objid)
                obj = super().getobj(obj.objid)
            if isinstance(obj, PDFStream):
                self._guizhou_check(obj)
            return obj

        def _guizhou_check(self, stream: PDFStream) -> None:
            checked = self.__dict__.setdefault("_guizhou_checked", set())
            if id(stream) in checked or stream.data is not None:
                return
            checked.add(id(stream))
            size = _inflated_size(stream, MAX_STREAM)
            if size is None:
                return
            if size > MAX_STREAM:
                raise InputError(f"{source}: a compressed stream of the PDF expands beyond {MAX_STREAM >> 20} MB; refused")
            self._guizhou_inflated += size
            if self._guizhou_inflated > MAX_STREAMS_TOTAL:
                raise InputError(f"{source}: the PDF's compressed streams expand beyond {MAX_STREAMS_TOTAL >> 20} MB; refused")

    return SafeDocument(parser, password="")


def _inflated_size(stream: object, cap: int) -> int | None:
    """The size a Flate stream inflates to, counted up to ``cap`` + 1 in 1 MB steps."""
    filters = stream.get_filters()  # type: ignore[attr-defined]
    if not filters:
        return None
    first = filters[0][0]
    name = getattr(first, "name", first)
    if name not in ("FlateDecode", "Fl"):
        return None
    raw = stream.rawdata  # type: ignore[attr-defined]
    if not isinstance(raw, bytes | bytearray):
        return None
    d = zlib.decompressobj()
    total = 0
    chunk = raw
    try:
        while True:
            out = d.decompress(chunk, 1 << 20)
            total += len(out)
            if total > cap:
                return total
            chunk = d.unconsumed_tail
            if not chunk or d.eof:
                return total
    except zlib.error:
        return total  # pdfminer repairs what it can of a damaged stream


def _one_line(exc: BaseException) -> str:
    s = str(exc).strip().splitlines()
    return (s[0] if s else "")[:160]


# ---------------------------------------------------------------- layout


def _segments(chars: list[_Ch]) -> list[_Seg]:
    """Characters → rows → segments split at gaps wider than a character."""
    chars = sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0))
    rows: list[list[_Ch]] = []
    bands: list[list[float]] = []
    for c in chars:
        h = c.bottom - c.top
        for k in range(len(rows) - 1, max(len(rows) - 8, 0) - 1, -1):
            top, bottom = bands[k]
            ov = min(bottom, c.bottom) - max(top, c.top)
            if ov >= 0.5 * min(bottom - top, h):
                rows[k].append(c)
                bands[k] = [min(top, c.top), max(bottom, c.bottom)]
                break
        else:
            rows.append([c])
            bands.append([c.top, c.bottom])
    segs: list[_Seg] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        em = median(c.size for c in row) or 1.0
        cur = [row[0]]
        for a, b in itertools.pairwise(row):
            if b.x0 - a.x1 > em:
                segs.append(_Seg.of(cur))
                cur = []
            cur.append(b)
        segs.append(_Seg.of(cur))
    return segs


def _gaps(intervals: list[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """Empty stretches between merged intervals, at least ``minimum`` wide."""
    out: list[tuple[float, float]] = []
    intervals = sorted(intervals)
    end = intervals[0][1]
    for a, b in intervals[1:]:
        if a - end >= minimum:
            out.append((end, a))
        end = max(end, b)
    return out


def _vcut(items: list[_Seg], em: float) -> tuple[list[_Seg], list[_Seg]] | None:
    for a, b in sorted(_gaps([(s.x0, s.x1) for s in items], 0.9 * em), key=lambda g: g[0] - g[1]):
        left = [s for s in items if s.x1 <= a]
        right = [s for s in items if s.x0 >= b]
        # side by side: some line on the left shares a row with one on the
        # right; an indented line over a short last line (｜略) leaves a
        # "gutter" that is no column
        if _share_a_row(left, right):
            return left, right
    return None


def _share_a_row(left: list[_Seg], right: list[_Seg]) -> bool:
    events = sorted([(s.top, s.bottom, 0) for s in left] + [(s.top, s.bottom, 1) for s in right])
    reach = [float("-inf"), float("-inf")]  # lowest bottom seen so far on each side
    for top, bottom, side in events:
        if reach[1 - side] > top:
            return True
        reach[side] = max(reach[side], bottom)
    return False


def _tall(side: list[_Seg], em: float) -> bool:
    return max(s.bottom for s in side) - min(s.top for s in side) > 1.8 * em


def _columns(items: list[_Seg], em: float) -> bool:
    """Do these lines stand in columns (a gutter with several lines on each side)?"""
    v = _vcut(items, em) if len(items) > 1 else None
    return v is not None and _tall(v[0], em) and _tall(v[1], em)


def _bounds(side: list[_Seg], em: float, outer: tuple[float, float]) -> tuple[float, float]:
    if _tall(side, em):
        return min(s.x0 for s in side), max(s.x1 for s in side)
    return outer


def _order(segs: list[_Seg], em: float, col: tuple[float, float]) -> list[tuple[_Seg, tuple[float, float]]]:
    """Recursive XY-cut: columns left to right, blocks top to bottom."""
    out: list[tuple[_Seg, tuple[float, float]]] = []
    work: list[tuple[list[_Seg], tuple[float, float]]] = [(segs, col)]
    while work:
        items, c = work.pop()
        if len(items) <= 1:
            out.extend((s, c) for s in items)
            continue
        v = _vcut(items, em)
        if v is not None:
            left, right = v
            # a side with several lines is a column, and indents are measured
            # against it; a split inside one row (高杨 | 刘亚楠) or off a page
            # number changes nothing
            lc, rc = (_bounds(side, em, c) for side in (left, right))
            work.append((right, rc))
            work.append((left, lc))
            continue
        hgaps = _gaps([(s.top, s.bottom) for s in items], 0.01)
        if not hgaps:
            out.extend((s, c) for s in sorted(items, key=lambda s: (s.top, s.x0)))
            continue
        ranked = sorted(hgaps, key=lambda g: g[0] - g[1])  # widest first
        pick = ranked[0]
        for g in ranked[:5]:
            top = [s for s in items if s.bottom <= g[0]]
            bottom = [s for s in items if s.top >= g[1]]
            if _columns(top, em) or _columns(bottom, em):
                pick = g  # frees columns under (or over) a spanning title
                break
        work.append(([s for s in items if s.top >= pick[1]], c))
        work.append(([s for s in items if s.bottom <= pick[0]], c))
    return out


def _line_text(chars: list[_Ch], em: float) -> tuple[str, list[_Ch]]:
    """Characters → text; a wide gap with no space glyph becomes a space."""
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(chars)]
    # letter-spaced titles (政 府 工 作 报 告) have wide gaps everywhere: no spaces there
    mid = median(gaps) if gaps else 0.0
    spaced = mid > 0.3 * em
    text: list[str] = []
    owners: list[_Ch] = []
    for i, c in enumerate(chars):
        if i:
            gap = gaps[i - 1]
            wide = gap > (2.5 * mid if spaced else 0.5 * em)
            if wide and not c.text.isspace() and not chars[i - 1].text.isspace():
                text.append(" ")
                owners.append(c)
        for ch in c.text:
            if ch in INVISIBLE:
                continue
            text.append(ch)
            owners.append(c)
    return "".join(text), owners


def _page_lines(pg: _Page) -> list[_Line]:
    if not pg.chars:
        return []
    segs = _segments(pg.chars)
    em = median(s.em for s in segs) or 10.0
    # the text block's width, without short lines in the margins (page
    # numbers, running heads) that may stand outside it
    widest = max(s.x1 - s.x0 for s in segs)
    inner = [s for s in segs if (0.12 * pg.height <= s.top and s.bottom <= 0.88 * pg.height) or s.x1 - s.x0 >= 0.6 * widest]
    ordered = _order(segs, em, (min(s.x0 for s in inner), max(s.x1 for s in inner)))
    # segments of one row that came out one after another are one line
    merged: list[tuple[list[_Ch], tuple[float, float]]] = []
    last: _Seg | None = None
    for s, c in ordered:
        if merged and last is not None and merged[-1][1] == c and s.x0 >= last.x1:
            ov = min(last.bottom, s.bottom) - max(last.top, s.top)
            if ov >= 0.5 * min(last.bottom - last.top, s.bottom - s.top):
                merged[-1][0].extend(s.chars)
                last = _Seg.of(merged[-1][0])
                continue
        merged.append((list(s.chars), c))
        last = s
    lines: list[_Line] = []
    for chars, c in merged:
        seg = _Seg.of(chars)
        text, owners = _line_text(chars, seg.em)
        if not text.strip():
            continue
        lines.append(_Line(pg.number, 0, text, owners, seg.x0, seg.x1, seg.top, seg.bottom, seg.em, c))
    return lines


def _drop_furniture(pages: list[list[_Line]], heights: list[float]) -> list[_Line]:
    """Mark page numbers and running headers/footers in the page margins."""

    def band(ln: _Line, h: float) -> bool:
        return ln.top < 0.12 * h or ln.bottom > 0.88 * h

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", fold(text)))

    seen: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=False):
        seen.update({key(ln.text) for ln in lines if band(ln, h)})
    repeat = max(2, round(0.3 * len(pages)))
    dropped: list[_Line] = []
    for lines, h in zip(pages, heights, strict=False):
        for ln in lines:
            if not band(ln, h):
                continue
            if _PAGE_NO.match(fold(ln.text)) or (len(pages) > 1 and seen[key(ln.text)] >= repeat):
                ln.dropped = True
                dropped.append(ln)
    return dropped


# ---------------------------------------------------------------- paragraphs


def _opens_new_unit(text: str) -> bool:
    """The plain-text rule: a title, marker or note starts afresh."""
    return _text_opens_new_unit(Paragraph(text, 0, 0, (Piece(0, 0),)))


def _starts_marked(text: str) -> bool:
    """Opens with a marker or a note: 一、 （一） 一是 —— （作者…"""
    f = fold(text)
    return bool(outline_marker(f) or text.startswith(("（作者", "(作者", "——")) or any(m.start == 0 for m in runin_markers(f)))


def _stopped(text: str) -> bool:
    """A body paragraph that stops mid-sentence (not a numbered heading line)."""
    return not ends_complete(text) and is_body_like(text) and not is_heading_line(text)


def _goes_on(text: str, nxt: str) -> bool:
    """The plain-text column rule: a stopped paragraph goes on in the next one
    unless that opens a new unit (a list after a comma goes on all the same)."""
    if not _stopped(text):
        return False
    continues_list = text.rstrip()[-1:] in "，," and any(m.start == 0 for m in runin_markers(fold(nxt)))
    return continues_list or not _opens_new_unit(nxt)


def _is_bold(c: _Ch, body: str, stroke_bold: bool) -> bool:
    return (c.stroked and stroke_bold) or (c.font != body and bool(_BOLD_FONT.search(c.font.split("+", 1)[-1])))


def _paragraphs(lines: list[_Line], repairs: list[Repair]) -> list[tuple[list[_Line], bool]]:
    """Group lines into paragraphs; return (lines, truncated) per paragraph."""
    if not lines:
        return []

    def indented(ln: _Line) -> bool:
        return ln.x0 - ln.col[0] >= 1.2 * ln.em

    def full(ln: _Line) -> bool:
        return ln.x1 >= ln.col[1] - 1.5 * ln.em

    def centred(ln: _Line) -> bool:
        return abs((ln.x0 - ln.col[0]) - (ln.col[1] - ln.x1)) < ln.em

    same_col_gaps = [
        b.top - a.bottom for a, b in itertools.pairwise(lines) if a.page == b.page and a.col == b.col and b.top > a.top
    ]
    typical = median(g for g in same_col_gaps if g >= 0) if any(g >= 0 for g in same_col_gaps) else 0.0
    # how paragraphs are set apart: first-line indents (indented full lines
    # after a short one), or space between them
    uses_indent = sum(1 for a, b in itertools.pairwise(lines) if not full(a) and indented(b) and full(b)) >= 2
    em_doc = median(ln.em for ln in lines)
    spaced = sum(1 for g in same_col_gaps if g > typical + 0.8 * em_doc) >= 2

    groups: list[tuple[list[_Line], bool]] = []
    cur: list[_Line] = [lines[0]]
    wrap: list[int] = [lines[0].no]
    for a, b in itertools.pairwise(lines):
        em = max(a.em, b.em)
        if a.page == b.page and a.col == b.col and b.top > a.top:
            new = (
                b.top - a.bottom > typical + 0.8 * em
                or abs(a.em - b.em) > 0.2 * em
                or indented(b)
                or not full(a)
                # neither indents nor space to tell by: a full line that ends a
                # sentence ends the paragraph, as in a text whose lines mostly end so
                or (not uses_indent and not spaced and ends_complete(a.text))
            )
            if new and full(a) and centred(b) and abs(a.em - b.em) <= 0.2 * em and b.top - a.bottom <= typical + 0.8 * em:
                # a centred title wrapped onto a second, shorter centred line
                new = ends_complete(a.text) or not is_title_like(a.text + b.text)
            if not new:
                cur.append(b)
                wrap.append(b.no)
                continue
            text = "".join(ln.text for ln in cur)
            if _goes_on(text, b.text):
                # the plain-text rule: a paragraph that stops mid-sentence goes on
                what = f"joined “…{text[-6:]}” + “{b.text[:6]}…” across a paragraph break"
                repairs.append(Repair("join-column", (a.no, b.no), what))
                if len(wrap) > 1:
                    repairs.append(Repair("join-wrap", tuple(wrap), f"joined {len(wrap)} lines broken inside one paragraph"))
                cur.append(b)
                wrap = [b.no]
                continue
        else:
            text = "".join(ln.text for ln in cur)
            # the layout says "goes on" (a full last line, no indent after the
            # break) or the plain-text rule does (it stopped mid-sentence)
            # (a full last line and an unindented next one say so whatever the
            # words, 战 | 略 too: a paragraph rarely ends exactly at the margin,
            # while a line often ends after 。)
            laid_out = full(a) and not indented(b) and not _starts_marked(b.text)
            if laid_out or _goes_on(text, b.text):
                kind = "join-page" if a.page != b.page else "join-column"
                where = "page" if a.page != b.page else "column"
                repairs.append(Repair(kind, (a.no, b.no), f"joined “…{text[-6:]}” + “{b.text[:6]}…” across a {where} break"))
                if len(wrap) > 1:
                    repairs.append(Repair("join-wrap", tuple(wrap), f"joined {len(wrap)} lines broken inside one paragraph"))
                cur.append(b)
                wrap = [b.no]
                continue
        text = "".join(ln.text for ln in cur)
        truncated = False
        if _stopped(text):
            truncated = True
            repairs.append(Repair("truncated", (a.no,), f"paragraph stops mid-sentence before line {b.no}: …{text[-8:]}"))
        if len(wrap) > 1:
            repairs.append(Repair("join-wrap", tuple(wrap), f"joined {len(wrap)} lines broken inside one paragraph"))
        groups.append((cur, truncated))
        cur = [b]
        wrap = [b.no]
    if len(wrap) > 1:
        repairs.append(Repair("join-wrap", tuple(wrap), f"joined {len(wrap)} lines broken inside one paragraph"))
    groups.append((cur, False))
    return groups


def read_pdf(data: bytes, source: str, encoding: str | None = None) -> Reading:
    pages, title = _extract(data, source)
    if not any(c.text.strip() for pg in pages for c in pg.chars):
        if any(pg.images for pg in pages):
            raise InputError(f"{source}: is an image-only (scanned) PDF with no text layer; it needs OCR first")
        raise InputError(f"{source}: is a PDF with no text")
    unmapped = sum(1 for pg in pages for c in pg.chars if c.text == "\ufffd")
    total = sum(1 for pg in pages for c in pg.chars if c.text.strip())
    if unmapped > 0.2 * total:
        raise InputError(f"{source}: its fonts map {unmapped} of {total} characters to no Unicode text; it needs OCR")

    per_page = [_page_lines(pg) for pg in pages]
    dropped = _drop_furniture(per_page, [pg.height for pg in pages])
    texts: list[str] = []
    ranges: list[str] = []
    pos = 0
    for _pg, lines in zip(pages, per_page, strict=False):
        first = len(texts) + 1
        for ln in lines:
            ln.no = len(texts) + 1
            ln.offset = pos
            texts.append(ln.text)
            pos += len(ln.text) + 1
        ranges.append(f"{first}-{len(texts)}" if lines else f"{first}-{first - 1}")
    kept = [ln for lines in per_page for ln in lines if not ln.dropped]
    if sum(len(ln.text.strip()) for ln in kept) < 20 and any(pg.images for pg in pages):
        # page numbers over scanned pages: the text is in the images
        raise InputError(f"{source}: is an image-only (scanned) PDF with no text layer; it needs OCR first")
    repairs: list[Repair] = []
    if dropped:
        shown = "、".join(dict.fromkeys(ln.text.strip() for ln in dropped[:6]))
        what = f"dropped {len(dropped)} page number/header/footer line(s): {shown}"
        repairs.append(Repair("page-furniture", tuple(ln.no for ln in dropped[:20]), what))
    if unmapped:
        what = f"{unmapped} character(s) have no Unicode mapping in the PDF's fonts: shown as \ufffd"
        repairs.append(Repair("unmapped-glyphs", (), what))

    fonts: Counter[str] = Counter(c.font for ln in kept for c in ln.chars)
    body = fonts.most_common(1)[0][0] if fonts else ""
    # stroked text is a bold signal only while it is the exception
    stroked = sum(1 for ln in kept for c in ln.chars if c.stroked)
    stroke_bold = stroked < 0.5 * max(1, sum(len(ln.chars) for ln in kept))
    paras = []
    for group, truncated in _paragraphs(kept, repairs):
        sl = SrcLine(group[0].no, group[-1].no)
        for ln in group:
            a, b = 0, len(ln.text)
            while a < b and ln.text[a] in _SPACES:
                a += 1
            while b > a and ln.text[b - 1] in _SPACES:
                b -= 1
            if a == b:
                continue
            if sl.chars and _WORD_END.search(sl.text) and _WORD_START.match(ln.text, a):
                sl.add(" ", ln.offset - 1)  # English words wrapped at a space (not 23ZGX|RWJD in Chinese)
            for i in range(a, b):
                sl.add(ln.text[i], ln.offset + i, _is_bold(ln.chars[i], body, stroke_bold))
        p = make_paragraph([sl], None, truncated)
        if p is not None:
            paras.append(p)
    meta: list[tuple[str, str]] = [("format", "pdf"), ("line_unit", "pdf line"), ("pages", " ".join(ranges))]
    if title:
        meta.append(("title", title))
    return Reading(paras, "\n".join(texts), "pdf", repairs, tuple(meta))
