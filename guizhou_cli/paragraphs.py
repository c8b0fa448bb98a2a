"""Stage 3: paragraphs. Lines become paragraphs, and layout damage is repaired.

Every repair is recorded (ftfy style) with the source lines it touched:

* ``join-wrap``: consecutive lines of one paragraph (hard wraps, wiki links
  broken out onto their own lines: 发布《 / 国防法 / 》白皮书) are joined;
* ``join-column``: a paragraph broken by a newspaper column change mid-word or
  mid-sentence ("…新质生" + blank line + "产力，要从…") is joined to the block
  that continues its sentence;
* ``truncated``: a paragraph that stops mid-sentence with nothing to continue
  it (the next block is a title or a marker) is kept as it is and flagged.

Each paragraph keeps a map from its characters back to source offsets, so any
position in it (a marker, say) can be cited by source line.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .markers import outline_marker, runin_markers
from .model import Repair
from .normalise import fold
from .rules.layout import HardWrap, hard_wrap

# Sentence-final punctuation: a paragraph ending in one of these is complete.
TERMINAL = "。！？!?…；;：:"
_CLOSING = "”’」』）)》】"
_OPENING = "《“‘「『（(【"
_CONTINUATION_START = "》”’」』）)】，,、。；;：:！!？?"
_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"
_SENTENCE_PUNCT_CHARS = "，。；：,;！？"
_SENTENCE_PUNCT = re.compile(f"[{_SENTENCE_PUNCT_CHARS}]")
_SENTENCE_END = re.compile("[。！？!?]")
_MARKER_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[是要]|第[一二三四五六七八九十]{1,3}|首先|其次|再次|最后|其[一二三四五六七八九十])[，,：:、]?$"
)


@dataclass(frozen=True, slots=True)
class Piece:
    """``text[start:]`` of a paragraph begins at ``src`` in the source."""

    start: int
    src: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    line: int  # first source line
    end_line: int  # last source line
    pieces: tuple[Piece, ...]
    truncated: bool = False
    # Style hints from rich formats (Markdown, HTML, Word, PDF); the structure
    # parser uses them, but never asks which format they came from.
    bold_prefix: int = 0  # length of the bold run at the start, 0 if none
    heading_level: int | None = None  # 1-6 for an explicit heading
    flags: tuple[str, ...] = field(default=())

    def src_offset(self, pos: int) -> int:
        """Source offset of paragraph position ``pos``."""
        if len(self.pieces) == 1:
            return self.pieces[0].src + (pos - self.pieces[0].start)  # one line: no search
        starts = [p.start for p in self.pieces]
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        piece = self.pieces[i]
        return piece.src + (pos - piece.start)


class LineIndex:
    """Offset → 1-based line, for the normalised source."""

    def __init__(self, text: str) -> None:
        # each line's start, accumulated from the lengths of the lines: one
        # split, no match object per line
        self._starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def ends_complete(text: str) -> bool:
    """Does the paragraph end at a sentence end (allowing closing quotes)?"""
    t = text.rstrip(_SPACES)
    if t[:1] in "（(【[" and t[-1:] in "）)】]":
        return True  # a whole parenthetical paragraph: a note, complete as it is
    if t[-1:] in "）)":
        # a note after a full stop: …新增服务器50万台。（责任单位：省大数据局）
        opener = max(t.rfind("（"), t.rfind("("))
        if opener > 0 and t[opener - 1] in TERMINAL:
            return True
    while t and t[-1] in _CLOSING:
        t = t[:-1]
    return bool(t) and t[-1] in TERMINAL


def is_title_like(text: str) -> bool:
    """Short, with no sentence punctuation: a title, byline or banner."""
    return 0 < len(text) <= 40 and not _SENTENCE_PUNCT.search(text)


def is_body_like(text: str) -> bool:
    return len(text) >= 12 and bool(_SENTENCE_PUNCT.search(text))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(bigrams found only inside words, characters that rarely begin one)."""
    raw = resources.files("guizhou_cli").joinpath("data/inner_bigrams.txt.gz").read_bytes()
    bigrams, _, rare = gzip.decompress(raw).decode("utf-8").partition("\n")
    return frozenset(bigrams[i : i + 2] for i in range(0, len(bigrams), 2)), frozenset(rare)


def starts_mid_word(text: str) -> bool:
    """Does the paragraph begin inside a word or sentence ("程机械…", "，并…")?

    The lexical test: its first two characters occur inside dictionary words
    but never begin one (built from jieba's dictionary by tools/build_lexicon.py).
    """
    if not text:
        return False
    if text[0] in _CONTINUATION_START:
        return True
    bigrams, rare = _lexicon()
    return text[:2] in bigrams or text[0] in rare


@dataclass(slots=True)
class _Line:
    no: int
    src: int  # offset of the first non-space character
    text: str  # stripped
    trailing_space: bool
    complete: bool  # ends_complete(text), asked twice per line: computed once


def _blocks(text: str, filler: Collection[int] = ()) -> list[list[_Line]]:
    """The runs of non-blank lines, in one pass over the text (blank lines make no object).

    ``filler``: numbers of blank lines that are a copy's spacing, not a paragraph break (see rules/layout.py).
    """
    blocks: list[list[_Line]] = []
    cur: list[_Line] = []
    pos = 0
    for no, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip(_SPACES)
        if stripped:
            # most lines have no space at either end: strip returned the line itself
            if stripped is raw:
                cur.append(_Line(no, pos, raw, False, ends_complete(raw)))
            else:
                lead = len(raw) - len(raw.lstrip(_SPACES))
                cur.append(_Line(no, pos + lead, stripped, raw[-1] in _SPACES, ends_complete(stripped)))
        elif cur and no not in filler:
            blocks.append(cur)
            cur = []
        pos += len(raw) + 1
    if cur:
        blocks.append(cur)
    return blocks


def _wrap_join(a: _Line, b: _Line, block_terminal_ratio: float) -> bool:
    """Should line ``b`` continue line ``a`` (no blank line between them)?"""
    if not a.text or not b.text:
        return False
    if a.text[-1] in _OPENING or b.text[0] in _CONTINUATION_START:
        return True
    if not a.text.strip(_SENTENCE_PUNCT_CHARS) or not b.text.strip(_SENTENCE_PUNCT_CHARS):
        return True  # a line of punctuation only: 、 or 。
    if _MARKER_ONLY.match(a.text):
        return True  # a marker set on its own line (bold in print): 一是 / 企业管理…
    if a.complete:
        # a numbered heading sentence on a line of its own, with its body on
        # the next line: one paragraph, as it is printed in the source
        # (the plain tests first: they settle most lines without a marker scan)
        if not (len(b.text) > 40 and a.text.rstrip()[-1:] == "。" and len(_SENTENCE_END.findall(a.text)) == 1):
            return False
        fa = fold(a.text)
        om = outline_marker(fa)
        starts = om.end if om else next((m.end for m in runin_markers(fa) if m.start == 0), 0)
        fb = fold(b.text)
        return bool(
            starts
            and len(a.text) - starts <= 40
            and not outline_marker(fb)
            and not any(m.start == 0 for m in runin_markers(fb))
        )
    fb = fold(b.text)
    if outline_marker(fb) or outline_marker(fold(a.text)) or b.text.startswith(("——", "（作者", "(作者")):
        return False
    if any(m.start == 0 for m in runin_markers(fb)):
        return False
    if len(b.text) <= 2:
        return True  # 政府工作报 / 告
    if a.trailing_space and len(b.text) <= 8:
        return True  # 国务院总理　/ 李　强
    # A block whose lines mostly end in sentence punctuation holds one
    # paragraph per line, so an open line there is a title or heading;
    # otherwise the block is hard-wrapped prose.
    return block_terminal_ratio < 0.5


# how many lines a quotation may run on after its opening mark
MAX_QUOTED_LINES = 8


def _inside_quotation(group: list[_Line], b: _Line) -> bool:
    """A paragraph does not end inside a quotation: “双向 / 揭榜 / 挂帅”的简称 is one line broken.

    Web pages that set a word in a <span> of its own leave it on a line when
    saved as text; an unclosed “ on the lines so far says the next line goes on.
    """
    if len(group) > MAX_QUOTED_LINES or not b.text:
        return False
    # the count first: most groups open no quotation, and it is the cheaper test
    opened = sum(ln.text.count("“") - ln.text.count("”") for ln in group)
    return opened > 0 and not outline_marker(fold(b.text)) and not b.text.startswith("——")


def split_paragraphs(text: str, repairs: list[Repair]) -> list[Paragraph]:
    """Lines → paragraphs, with hard wraps and column breaks repaired."""
    # a hard-wrapped text (PDF, e-paper, Word copies): its layout says where
    # paragraphs end, the plain-text rules below only add their sure joins
    wrap = hard_wrap(text)
    blocks = _blocks(text, wrap.filler if wrap is not None else ())
    if wrap is not None:
        repairs.append(Repair("hard-wrap", (), wrap.describe()))
        if wrap.trailing_noise:
            for block in blocks:
                for ln in block:
                    ln.trailing_space = False  # white space after every line is the copy's

    # (paragraph lines, blank-line-before?) in order
    raw: list[tuple[list[_Line], bool]] = []
    for block in blocks:
        ratio = 1.0 if wrap else sum(ln.complete for ln in block) / len(block)
        group = [block[0]]
        first = True
        for a, b in itertools.pairwise(block):
            by_layout = wrap.continues(a.no, a.text, b.no, b.text) if wrap else None
            if by_layout or (by_layout is None and (_wrap_join(a, b, ratio) or _inside_quotation(group, b))):
                group.append(b)
            else:
                raw.append((group, first))
                first = False
                group = [b]
        raw.append((group, first))

    paras = [_make(group, wrap) for group, _ in raw]
    for group, _ in raw:
        if len(group) > 1:
            repairs.append(
                Repair("join-wrap", tuple(ln.no for ln in group), f"joined {len(group)} lines broken inside one paragraph")
            )
    return _repair_columns(paras, [blank for _, blank in raw], repairs)


def _make(group: list[_Line], wrap: HardWrap | None = None) -> Paragraph:
    if len(group) == 1:
        # the common case, one line: what the loop below makes of it
        ln = group[0]
        return Paragraph(ln.text, ln.no, ln.no, (Piece(0, ln.src),))
    parts: list[str] = []
    pieces: list[Piece] = []
    pos = 0
    for i, ln in enumerate(group):
        pieces.append(Piece(pos, ln.src))
        parts.append(ln.text)
        pos += len(ln.text)
        nxt = group[i + 1].text if i + 1 < len(group) else ""
        latin_seam = (
            bool(ln.text)
            and bool(nxt)
            and ln.text[-1].isascii()
            and ln.text[-1].isalnum()
            and nxt[0].isascii()
            and nxt[0].isalnum()
            and (wrap is None or wrap.latin_space(ln.no, ln.text))
        )
        if (ln.trailing_space or latin_seam or (wrap is not None and ln.no in wrap.space_after)) and i + 1 < len(group):
            # keep one space where the source had one (国务院总理　李　强), and
            # between Latin words (Public domain / false)
            parts.append(" ")
            pos += 1
    return Paragraph("".join(parts), group[0].no, group[-1].no, tuple(pieces))


def sub(p: Paragraph, start: int, end: int) -> Paragraph:
    """``p.text[start:end]`` as a paragraph of its own, with its source map."""
    text = p.text[start:end]
    lead = len(text) - len(text.lstrip(_SPACES))
    text = text.strip(_SPACES)
    start += lead
    pieces = [Piece(0, p.src_offset(start))]
    for pc in p.pieces:
        if start < pc.start < start + len(text):
            pieces.append(Piece(pc.start - start, pc.src))
    first = next((pc for pc in reversed(p.pieces) if pc.start <= start), p.pieces[0])
    line = p.line + sum(1 for pc in p.pieces if first.start < pc.start <= start)
    return Paragraph(text, line, p.end_line, tuple(pieces), p.truncated and end >= len(p.text), 0, None)


def join(a: Paragraph, b: Paragraph) -> Paragraph:
    shift = len(a.text)
    pieces = a.pieces + tuple(Piece(p.start + shift, p.src) for p in b.pieces)
    return Paragraph(a.text + b.text, a.line, b.end_line, pieces, b.truncated, a.bold_prefix, a.heading_level)


def is_heading_line(text: str) -> bool:
    """A numbered heading set on a line of its own: （一）加强…，推进… (no full stop)."""
    f = fold(text)
    om = outline_marker(f)
    if om is not None:
        return len(text) - om.end <= 60
    first = next((m for m in runin_markers(f) if m.start == 0), None)
    return first is not None and len(text) - first.end <= 40 and not _SENTENCE_END.search(text)


def opens_new_unit(q: Paragraph) -> bool:
    fq = fold(q.text)
    return bool(
        is_title_like(q.text)
        or q.heading_level is not None
        or outline_marker(fq)
        or q.text.startswith(("（作者", "(作者", "——", "各位代表"))
        or any(m.start == 0 for m in runin_markers(fq))
    )


def _repair_columns(paras: list[Paragraph], after_blank: list[bool], repairs: list[Repair]) -> list[Paragraph]:
    out: list[Paragraph] = []
    i = 0
    while i < len(paras):
        p = paras[i]
        while not ends_complete(p.text) and is_body_like(p.text) and not is_heading_line(p.text) and p.heading_level is None:
            q = paras[i + 1] if i + 1 < len(paras) else None
            continues_list = (
                q is not None and p.text.rstrip()[-1:] in "，," and any(m.start == 0 for m in runin_markers(fold(q.text)))
            )
            if q is None or (opens_new_unit(q) and not continues_list):
                p = Paragraph(p.text, p.line, p.end_line, p.pieces, True, p.bold_prefix, p.heading_level)
                nxt = "the end of the document" if q is None else f"line {q.line}"
                repairs.append(Repair("truncated", (p.end_line,), f"paragraph stops mid-sentence before {nxt}: …{p.text[-8:]}"))
                break
            kind = "join-column" if after_blank[i + 1] else "join-wrap"
            repairs.append(Repair(kind, (p.end_line, q.line), f"joined “…{p.text[-6:]}” + “{q.text[:6]}…” across a column break"))
            p = join(p, q)
            i += 1
        out.append(p)
        i += 1
    return out
