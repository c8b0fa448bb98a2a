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

import re
from dataclasses import dataclass, field

from ..model import Document, Repair
from ..paragraphs import Paragraph, Piece, split_paragraphs

# The text a rich-format document may hold. The readers keep a source offset
# and a bold flag for every character while they lay paragraphs out, some
# 300 bytes a character at the peak, so a limit on characters is a limit on
# memory (1,000,000 characters: about 300 MB). A national work report holds
# 20,000 characters, a five-year plan 70,000.
MAX_TEXT_CHARS = 1_000_000


def too_much_text(source: str) -> str:
    """The one-line refusal of a document beyond ``MAX_TEXT_CHARS``."""
    return f"{source}: holds more than {MAX_TEXT_CHARS:,} characters of text, more than one document; split it"


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
    # furniture was dropped just before: never joined to what preceded it
    # (a dateline and the body must not meet across a removed byline)
    break_before: bool = False


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
        if b.break_before and run and b.heading_level is None:
            out += _soft(run, repairs, next_line=b.lines[0].line)
            run = []
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
        pieces = p.pieces
        pi = 0
        for pos in range(len(p.text)):
            # Paragraph.src_offset, walked in order: a bisect per character
            # over a list rebuilt per call is quadratic in a long paragraph
            while pi + 1 < len(pieces) and pieces[pi + 1].start <= pos:
                pi += 1
            o = pieces[pi].src + (pos - pieces[pi].start)
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


# ---------------------------------------------------------------- metadata
#
# Every reader hands the same metadata keys down (``Reading.meta``), each a
# string, absent when unknown:
#
#   title        the document's title as its container gives it
#   author       names joined by 、 (廖文根、张烁); a role when that is all
#                the byline says (本报评论员, 新华社评论员)
#   date         ISO 8601 (2026-04-30) when a full date is recognised, else
#                the text as given
#   publication  where the text was printed (人民日报, 求是), no 《》
#   url          the page's address
#
# plus the reader's own ``format``, ``line_unit`` and ``pages``.

META_KEYS = ("title", "author", "date", "publication", "url")

_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")


def normalise_date(text: str) -> str:
    """``2026年04月30日``, ``2026-4-30T08:00`` → ``2026-04-30``; other text as it is."""
    t = fold_digits(text.strip())
    m = _DATE.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return text.strip()


def fold_digits(text: str) -> str:
    """Full-width digits as ASCII (２０２６ → 2026)."""
    return text.translate(_FULL_DIGITS)


_FULL_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}

# A newspaper byline in People's Daily style: 作者《报名》（日期 第 N 版）, the
# author part optional; roles before the names (本报记者) are not names.
_BYLINE = re.compile(
    r"^(?P<who>[^《》（）()]{0,60}?)[\s\u3000]*《(?P<pub>[^《》]{1,30})》[\s\u3000]*"
    r"[（(][\s\u3000]*(?P<date>[\d０-９]{4}[\s\u3000]*年[\s\u3000]*[\d０-９]{1,2}[\s\u3000]*月[\s\u3000]*[\d０-９]{1,2}[\s\u3000]*日)"
    r"[\s\u3000]*(?:第?[\s\u3000]*[\d０-９]{1,3}[\s\u3000]*版)?[\s\u3000]*[）)]$"
)
_ROLE = re.compile(
    r"^(?:(?:本报|新华社|人民日报|光明日报|经济日报|求是|中新社|央视网?)?(?:特约|驻\S{1,8})?"
    r"(?:记者|通讯员|评论员|实习生|特约评论员)|作者|文)[\s\u3000：:]*"
)
# A line that is only a role byline: 新华社评论员, 本报评论员, 本报记者 张三
_ROLE_LINE = re.compile(
    r"^(?:(?:本报|新华社|人民日报|光明日报|经济日报|求是|中新社)(?:特约)?评论员|"
    r"(?:本报|新华社)(?:驻\S{1,8})?记者[\s\u3000]+\S.{0,40})$"
)


def split_names(who: str) -> str:
    """``本报记者  廖文根  张  烁`` → ``廖文根、张烁`` (padded two-character names joined)."""
    who = who.strip(" \u3000:：")
    rest = _ROLE.sub("", who, count=1).strip() if _ROLE.match(who) else who
    if not rest:
        return who  # only a role: 本报评论员
    parts = [p for p in re.split(r"[\s\u3000、，,;；/]+", rest) if p]
    names: list[str] = []
    k = 0
    while k < len(parts):
        # People's Daily pads a two-character name to three: 张  烁
        if len(parts[k]) == 1 and k + 1 < len(parts) and len(parts[k + 1]) == 1 and is_cjk(parts[k]):
            names.append(parts[k] + parts[k + 1])
            k += 2
            continue
        names.append(parts[k])
        k += 1
    return "、".join(names)


def parse_byline(text: str) -> dict[str, str] | None:
    """The metadata of a byline line, or None when the line is not one.

    ``李合亮《人民日报》（2026年04月30日第 09 版）`` → author 李合亮,
    publication 人民日报, date 2026-04-30; ``新华社评论员`` → author.
    """
    t = text.strip(" \u3000")
    if len(t) > 120:
        return None
    m = _BYLINE.match(t)
    if m:
        out = {"publication": m.group("pub").strip(), "date": normalise_date(re.sub(r"[\s\u3000]", "", m.group("date")))}
        who = m.group("who").strip(" \u3000")
        if who:
            out["author"] = split_names(who)
        return out
    if _ROLE_LINE.match(t):
        return {"author": split_names(t)}
    return None


def merge_meta(meta: dict[str, str], found: dict[str, str]) -> None:
    """Add what ``found`` knows and ``meta`` does not yet (the first source wins)."""
    for k, v in found.items():
        if v and k not in meta:
            meta[k] = v


def meta_pairs(fmt: str, meta: dict[str, str], extra: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, str], ...]:
    """``Reading.meta``: the format, then the keys of ``META_KEYS`` in order."""
    return (("format", fmt), *extra, *((k, meta[k]) for k in META_KEYS if meta.get(k)))
