"""What every rich-format reader shares: lines with a source map, and paragraphs.

A reader turns its format into ``SrcLine`` objects (text, one source offset
per character, bold flags, the provenance line) grouped into ``Block`` objects
(a Markdown paragraph, an HTML ``<p>``, a Word paragraph). ``assemble`` then
runs the plain-text repair rules of ``paragraphs.split_paragraphs`` over them,
so a paragraph broken across two ``<p>`` in mid-word is joined exactly as it
would be in a ``.txt``, and maps the result back to source offsets, lines and
style hints. Headings are never joined to their neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Repair
from ..paragraphs import Paragraph, Piece, split_paragraphs

# Zero-width and format characters, dropped as normalise.py drops them from
# plain text (they reach us here through entities and XML).
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# ASCII whitespace collapses (HTML rules); U+3000 and U+00A0 are meaningful
# indents and name spacing (李　强) and are kept.
ASCII_SPACE = frozenset(" \t\n\r\f\v")
_STRIP = " \t\u3000\u00a0\u2002\u2003\u2009"


def is_cjk(ch: str) -> bool:
    """A Han character or CJK/full-width punctuation: no space is needed beside it."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’—…·"
    )


@dataclass(slots=True)
class SrcLine:
    """One line of text; ``src[i]`` is the source offset of ``text[i]``."""

    line: int  # provenance line of the first character
    end_line: int = 0  # provenance line of the last character (0: same as line)
    chars: list[str] = field(default_factory=list)
    src: list[int] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)

    def add(self, text: str, src: int, bold: bool = False, step: int = 1) -> None:
        """Append ``text`` whose first character sits at ``src`` (``step`` apart)."""
        for i, ch in enumerate(text):
            self.chars.append(ch)
            self.src.append(src + i * step)
            self.bold.append(bold)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def stripped(self) -> SrcLine:
        """Without the leading and trailing spaces (keeps the source map)."""
        a, b = 0, len(self.chars)
        while a < b and self.chars[a] in _STRIP:
            a += 1
        while b > a and self.chars[b - 1] in _STRIP:
            b -= 1
        return SrcLine(self.line, self.end_line, self.chars[a:b], self.src[a:b], self.bold[a:b])


def collapse_spaces(line: SrcLine) -> SrcLine:
    """HTML whitespace: an ASCII run becomes one space, a line break beside CJK nothing."""
    out = SrcLine(line.line, line.end_line)
    n = len(line.chars)
    i = 0
    while i < n:
        ch = line.chars[i]
        if ch in ASCII_SPACE:
            j = i
            while j < n and line.chars[j] in ASCII_SPACE:
                j += 1
            prev = out.chars[-1] if out.chars else ""
            nxt = line.chars[j] if j < n else ""
            # a line break between Han characters is no space (CSS Text: Word's
            # HTML breaks source lines mid-sentence); typed spaces stay one space
            broken_cjk = "\n" in line.chars[i:j] and prev and nxt and (is_cjk(prev) or is_cjk(nxt))
            if prev and nxt and not broken_cjk and prev not in _STRIP and nxt not in _STRIP:
                out.chars.append(" ")
                out.src.append(line.src[i])
                out.bold.append(line.bold[i])
            i = j
            continue
        out.chars.append(ch)
        out.src.append(line.src[i])
        out.bold.append(line.bold[i])
        i += 1
    return out


@dataclass(slots=True)
class Block:
    """Lines the plain-text wrap rules may join; blocks are separated by a blank line."""

    lines: list[SrcLine] = field(default_factory=list)
    heading_level: int | None = None  # a heading: never joined to its neighbours


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader hands to the structure parser."""

    paragraphs: list[Paragraph]
    text: str  # the text that offsets (and so lines) refer to
    encoding: str
    repairs: list[Repair]
    meta: tuple[tuple[str, str], ...]


def to_document(r: Reading, source: str, sha256: str) -> Document:
    from ..pipeline import parse_paragraphs

    return parse_paragraphs(r.paragraphs, r.text, source, sha256, r.encoding, r.repairs, r.meta)


def make_paragraph(lines: list[SrcLine], heading_level: int | None = None, truncated: bool = False) -> Paragraph | None:
    """One paragraph from lines joined as they stand (no rules applied)."""
    chars: list[str] = []
    src: list[int] = []
    bold: list[bool] = []
    for ln in lines:
        s = ln.stripped()
        chars += s.chars
        src += s.src
        bold += s.bold
    if not chars:
        return None
    first, last = lines[0], lines[-1]
    return Paragraph(
        "".join(chars),
        first.line,
        last.end_line or last.line,
        pieces_of(src),
        truncated,
        bold_prefix(bold),
        heading_level,
    )


def pieces_of(src: list[int]) -> tuple[Piece, ...]:
    """The smallest piece map for per-character source offsets."""
    pieces: list[Piece] = []
    prev = -2
    for pos, s in enumerate(src):
        if s != prev + 1:
            pieces.append(Piece(pos, s))
        prev = s
    return tuple(pieces) or (Piece(0, 0),)


def bold_prefix(bold: list[bool]) -> int:
    n = 0
    for b in bold:
        if not b:
            break
        n += 1
    return n


def assemble(blocks: list[Block], repairs: list[Repair]) -> list[Paragraph]:
    """Blocks → paragraphs: the plain-text repair rules between headings."""
    out: list[Paragraph] = []
    run: list[Block] = []
    for b in blocks:
        if not any(ln.chars for ln in b.lines):
            continue
        if b.heading_level is not None:
            if run:
                out += _soft(run, repairs, next_line=b.lines[0].line)
                run = []
            p = make_paragraph(b.lines, b.heading_level)
            if p is not None:
                out.append(p)
        else:
            run.append(b)
    if run:
        out += _soft(run, repairs, next_line=None)
    return out


def _soft(blocks: list[Block], repairs: list[Repair], next_line: int | None) -> list[Paragraph]:
    # Lay the blocks out as plain text (a blank line between blocks), run the
    # plain-text rules on it, then map every position back through the lines.
    parts: list[str] = []
    tsrc: list[int] = []
    tbold: list[bool] = []
    tline: list[SrcLine | None] = [None]  # 1-based: T line → its SrcLine
    for k, b in enumerate(blocks):
        if k:
            parts.append("\n")
            tsrc.append(-1)
            tbold.append(False)
            tline.append(None)
        for j, ln in enumerate(b.lines):
            if j:
                parts.append("\n")
                tsrc.append(-1)
                tbold.append(False)
            text = ln.text.replace("\n", " ")
            parts.append(text)
            tsrc += ln.src
            tbold += ln.bold
            tline.append(ln)
        parts.append("\n")
        tsrc.append(-1)
        tbold.append(False)
    t = "".join(parts)
    local: list[Repair] = []
    paras = split_paragraphs(t, local)

    def line_of(n: int, end: bool = False) -> int:
        ln = tline[n] if 0 < n < len(tline) else None
        if ln is None:
            return 0
        return (ln.end_line or ln.line) if end else ln.line

    out: list[Paragraph] = []
    for p in paras:
        src: list[int] = []
        bold: list[bool] = []
        prev = -1
        for pos in range(len(p.text)):
            o = p.src_offset(pos)
            s = tsrc[o] if 0 <= o < len(tsrc) else -1
            # a space split_paragraphs kept at a line end maps to that line's end
            s = s if s >= 0 else prev + 1
            src.append(s)
            bold.append(tbold[o] if 0 <= o < len(tbold) else False)
            prev = s
        out.append(
            Paragraph(p.text, line_of(p.line), line_of(p.end_line, True), pieces_of(src), p.truncated, bold_prefix(bold), None)
        )
    for r in local:
        lines = tuple(dict.fromkeys(x for x in (line_of(n) for n in r.lines) if x))
        detail = r.detail
        if next_line is not None and r.kind == "truncated":
            detail = detail.replace("before the end of the document", f"before the heading on line {next_line}")
        repairs.append(Repair(r.kind, lines, detail))
    return out
