"""Layout: text hard-wrapped at a fixed width, as copied out of PDFs, e-paper pages and Word.

Every paragraph of such a text is broken into lines of about the same length
(20–45 characters in Chinese print), and paragraphs are told apart by what the
page did with them: a first-line indent (　　), a blank line, or nothing but the
short last line. The convention followed (the one a reader's eye follows):

* the **wrap width** is the usual length of the text's lines (the mode),
  measured per document, never assumed;
* a line that reaches that width continues into the next line — whatever the
  words, so a marker split over the line end (…一 / 是…) or a word (战 / 略) is
  joined;
* a first-line indent opens a paragraph, when the text uses indents;
* a short line ends its paragraph, or is a title or heading of its own (the
  plain-text rules of ``paragraphs.py`` still join what they always join:
  a line of punctuation, an opening bracket at the end, a marker alone);
* with neither indents nor blank lines to go by, a full line that ends a
  sentence ends the paragraph (a paragraph rarely ends exactly at the margin,
  while a line often ends after 。) — the rule the PDF reader applies to geometry.

``paragraphs.split_paragraphs`` asks :func:`hard_wrap` once per text and, when
it finds the layout, asks :meth:`HardWrap.continues` about each line end; the
joins are recorded as ``join-wrap`` repairs, and the layout itself as one
``hard-wrap`` repair naming the width.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from ..markers import outline_marker
from ..normalise import fold
from . import Rule

_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"
_TERMINAL = "。！？!?…；;：:"
_CLOSING = "”’」』）)》】"

# widths a hard-wrapped Chinese text is set at (characters per line): a
# narrow e-paper column holds ~12, an A4 page at 10.5 pt ~45, a landscape page ~80
MIN_WIDTH = 12
MAX_WIDTH = 90
# a line within this many characters of the width is "full": print pushes a
# character down, or hangs a comma in the margin (kinsoku)
FULL_SLACK = 1
# the layout is hard-wrapped when at least this share of the non-blank lines are
# full, ...
MIN_FULL_SHARE = 0.3
MIN_FULL_LINES = 3
# ... most of the full lines stop mid-sentence (a list of one-sentence items of
# similar length is not a wrapped text) ...
MIN_OPEN_SHARE = 0.6
# ... and hardly any line is longer than the width (display cells, so that a
# line with Latin letters and digits, set narrower, is not counted as long;
# one long line, a heading pasted apart, say, is allowed)
MAX_LONG_SHARE = 0.02


def _indent(raw: str) -> int:
    """Leading white space, in display cells: 　 is two, a tab four."""
    n = 0
    for ch in raw:
        if ch == "\t":
            n += 4
        elif ch in "\u3000\u2003":
            n += 2
        elif ch in _SPACES:
            n += 1
        else:
            break
    return n


def _cells(raw: str) -> int:
    """Display width: a Chinese character or full-width form is two cells, ASCII one."""
    return 2 * len(raw) - len(raw.encode("ascii", "ignore"))


def _ends_sentence(text: str) -> bool:
    t = text.rstrip(_SPACES + _CLOSING)
    return t[-1:] in _TERMINAL


# a whole Latin word or number ends the line (after a space or at the start),
# so a space joins the next line on (the PDF reader's rule too); in Chinese,
# 达到1 | 0万 is one number cut by the width
WORD_END = re.compile(r"(?:^|\s)[A-Za-z0-9'’,.;:-]*[A-Za-z0-9,.;:]$")
# an indent is at least one full-width space (two cells); a single half-width
# space at the start of a wrapped line is the space between two words
MIN_INDENT = 2
# an indent lost in the copy: first lines this many characters short of the
# width, after a short line, for at least this share of the lines after one
LOST_INDENT = 2
LOST_INDENT_SHARE = 0.3
# white space after at least this share of the lines is the copy's, not a word space
TRAILING_NOISE_SHARE = 0.8
# a blank line after at least this share of the lines is spacing, not a paragraph break
DOUBLE_SPACED_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class HardWrap:
    """A text's hard-wrapped layout: its width, and how it sets paragraphs apart."""

    width: int
    full: frozenset[int]  # 1-based numbers of the lines that reach the width
    indented: frozenset[int]  # lines indented beyond the text's usual margin
    uses_indent: bool  # paragraphs open with an indent
    spaced: bool  # paragraphs are separated by blank lines
    space_after: frozenset[int] = frozenset()  # lines whose next line starts with a word space
    filler: frozenset[int] = frozenset()  # blank lines that do not end a paragraph (a blank after every line)
    cut: bool = False  # a Chinese text cut every ``width`` characters, not broken as print breaks
    trailing_noise: bool = False  # every line ends in white space: no word space at a line end

    def latin_space(self, no: int, text: str) -> bool:
        """Does a Latin letter or digit at the end of line ``no`` end a word (a space joins it on)?

        A full line was cut at the width, mid-word or mid-number (达到1 | 0万,
        P | M2.5), unless a whole Latin word ends it: print wraps English at a
        space. A Chinese text cut every ``width`` characters (no line longer)
        cuts words anywhere (Public d | omain).
        """
        if no not in self.full:
            return True
        return not self.cut and WORD_END.search(text) is not None

    def continues(self, a_no: int, a_text: str, b_no: int, b_text: str) -> bool | None:
        """Does line ``b`` continue the paragraph of line ``a`` (the next non-blank line)?

        True and False are the layout's word; None (after a short line) leaves
        it to the plain-text rules, which join only what they are sure of: an
        opening bracket at the end of ``a``, a line of punctuation, a marker alone.
        """
        if a_no not in self.full:
            carried = not a_text.strip(_TERMINAL + _CLOSING)
            if _ends_sentence(a_text) and (carried or (self.uses_indent and b_no in self.indented)):
                # the 。 a paragraph's last line carried over, or a sentence end before an indent
                return False
            # a short line ends its paragraph by the plain-text rules, which
            # still join a damaged line (“双向 / 揭榜 / 挂帅” set apart by a web
            # page) or a numbered heading sentence and its body
            return None
        if self.uses_indent and b_no in self.indented:
            return False
        if self.uses_indent or self.spaced:
            return True
        # nothing but line lengths to go by: a full line that ends a sentence
        # before a numbered heading (一、 （二） 3.) is a paragraph that ends at
        # the margin; before 二是 it is more often a series going on
        return not (_ends_sentence(a_text) and (outline_marker(fold(b_text)) is not None or b_no in self.indented))

    def describe(self) -> str:
        how = "an indent" if self.uses_indent else "a blank line" if self.spaced else "a short last line"
        also = "; the blank line after every line taken for spacing" if self.filler else ""
        return f"text hard-wrapped at {self.width} characters a line, paragraphs set apart by {how}: lines joined by width{also}"


def hard_wrap(text: str) -> HardWrap | None:
    """The text's hard-wrapped layout, or None when its lines are not wrapped at one width."""
    raws = text.split("\n")
    if len(raws) < MIN_FULL_LINES:
        return None
    lengths = [len(r.rstrip(_SPACES)) for r in raws]
    nonblank = [i for i, n in enumerate(lengths) if n and raws[i].strip(_SPACES)]
    if len(nonblank) < MIN_FULL_LINES:
        return None
    counts = Counter(lengths[i] for i in nonblank if MIN_WIDTH <= lengths[i] <= MAX_WIDTH)
    if not counts:
        return None
    # the usual length; among equals the longer (a page's last lines are shorter)
    width = max(counts, key=lambda n: (counts[n], n))
    # a Chinese text cut every ``width`` characters (an e-paper copy) has no
    # longer line; print hangs punctuation past the margin and pushes
    # characters down (kinsoku), so there a line one short of the width is full too
    cut = max(lengths) == width and 2 * (len(text) - len(text.encode("ascii", "ignore"))) > len(text)
    slack = 0 if cut else FULL_SLACK
    # white space after (nearly) every line is the copy's, not the text's
    trailing = sum(1 for i in nonblank if len(raws[i]) > lengths[i]) >= TRAILING_NOISE_SHARE * len(nonblank)
    # (a line that reaches the width with a space, the space between two words, is full)
    full = [
        i
        for i in nonblank
        if (lengths[i] >= width - slack or (not trailing and width - slack <= len(raws[i]) <= width + 1))
        and (lengths[i] <= width + 2 or _cells(raws[i].rstrip(_SPACES)) <= 2 * (width + 2))
    ]
    if len(full) < max(MIN_FULL_LINES, MIN_FULL_SHARE * len(nonblank)):
        return None
    open_ = sum(1 for i in full if not _ends_sentence(raws[i]))
    if open_ < MIN_OPEN_SHARE * len(full):
        return None
    long_ = sum(1 for i in nonblank if lengths[i] > width + 2 and _cells(raws[i].rstrip(_SPACES)) > 2 * (width + 2))
    if long_ > max(1, MAX_LONG_SHARE * len(nonblank)):
        return None
    # paragraphs indented in print whose indent the copy lost (pdfminer's
    # text): their first lines, after a short line, fall short by the indent
    after_short = [b for a, b in itertools.pairwise(nonblank) if lengths[a] < width - slack]
    first = [
        i for i in after_short if width - LOST_INDENT - slack <= lengths[i] <= width - LOST_INDENT and not _ends_sentence(raws[i])
    ]
    if len(first) >= MIN_FULL_LINES and len(first) >= LOST_INDENT_SHARE * len(after_short):
        full += first
    # a blank line after every line (pdfminer, some e-paper copies) says nothing
    single = [i for i in nonblank if i + 2 < len(raws) and not lengths[i + 1] and lengths[i + 2]]
    double_spaced = len(single) >= DOUBLE_SPACED_SHARE * len(nonblank)
    indents = [_indent(raws[i]) for i in nonblank]
    # the margin: the usual indent of the lines that continue a full line
    full_set = set(full)
    margins = Counter(_indent(raws[b]) for a, b in itertools.pairwise(nonblank) if a in full_set) or Counter(indents)
    margin = min(margins, key=lambda n: (-margins[n], n))
    indented = frozenset(i + 1 for i, n in zip(nonblank, indents, strict=True) if n >= margin + MIN_INDENT)
    space_after = frozenset(
        i for i, n in zip(nonblank, indents, strict=True) if 0 < n - margin < MIN_INDENT and i and lengths[i - 1]
    )
    # paragraphs are spaced when short lines are followed by a blank line
    spaced = (
        not double_spaced
        and sum(1 for i in nonblank if lengths[i] < width - slack and i + 1 < len(raws) and not lengths[i + 1]) >= 2
    )
    return HardWrap(
        width=width,
        full=frozenset(i + 1 for i in full),
        indented=indented,
        uses_indent=len(indented) >= 2,
        spaced=spaced,
        space_after=space_after,
        filler=frozenset(i + 2 for i in single) if double_spaced else frozenset(),
        cut=cut,
        trailing_noise=trailing,
    )


def _joined(text: str) -> bool:
    """The rule's examples: does the layout join the last two lines of ``text``?"""
    wrap = hard_wrap(text)
    if wrap is None:
        return False
    lines = text.split("\n")
    a, b = len(lines) - 1, len(lines)
    return bool(wrap.continues(a, lines[a - 1].strip(_SPACES), b, lines[b - 1].strip(_SPACES)))


def _is_wrapped(text: str) -> bool:
    return hard_wrap(text) is not None


_P1 = "　　各地区各部门要加大力度推进工作，着力扩大内需，巩固经济"
_W = "回升向好态势，促进高质量发展，稳步推进各项改革任务落地见，"
_SHORT = "确保取得实效。"

RULES = (
    Rule(
        "hard-wrap-width",
        "layout",
        "A text whose lines mostly reach one width (the mode of the line lengths, 12–90 characters) "
        "and stop mid-sentence there is hard-wrapped (PDF, e-paper and Word copies); a list of "
        "one-sentence lines of similar length, or prose one paragraph a line, is not.",
        _is_wrapped,
        (
            "\n".join([_P1, _W, _W, _SHORT, _P1, _W, _SHORT]),
            # blank lines between paragraphs, a width of 12
            "\n".join(["推进工作，着力扩大内需，", "巩固经济回升向好态势，促", "进高质量发展，稳步推进各", "项改革。"])
            + "\n\n"
            + "\n".join(["第二段落的内容，着力推进", "各项改革任务落地见效，确", "保取得实效。"]),
        ),
        (
            "\n".join(["一是加强领导。", "二是完善制度。", "三是强化督查。", "四是严格考核。"]),
            "\n".join(["各地区各部门要加大力度推进工作，着力扩大内需。", "巩固经济回升向好态势，" * 4, "加强领导。"]),
            # one-sentence items of one length are a list, not a wrapped paragraph
            "\n".join(["加强领导，压实各级责任。", "完善制度，健全工作机制。", "强化督查，狠抓任务落实。"]),
        ),
    ),
    Rule(
        "hard-wrap-full-line-continues",
        "layout",
        "In a hard-wrapped text a line that reaches the width continues into the next, whatever the "
        "words: a marker split over the line end (…一 / 是…) or a word (战 / 略) is joined.",
        _joined,
        (
            "\n".join([_P1, _W, _W[:-1] + "一", "是加强领导。"]),
            "\n".join([_P1, _W, _W, "确保取得实效。"]),
        ),
        (
            "\n".join([_P1, _W, _SHORT, "　　" + _W]),
            "\n".join([_P1, _W, _W, _SHORT, "加强组织领导"]),
        ),
    ),
    Rule(
        "hard-wrap-indent-opens",
        "layout",
        "In a hard-wrapped text that indents its paragraphs, an indented line opens a paragraph even "
        "after a full line (a paragraph that ends at the margin).",
        lambda t: not _joined(t),
        ("\n".join([_P1, _W, _SHORT, _P1, _W, "　　" + _W[:-2]]),),
        ("\n".join([_P1, _W, _SHORT, _P1, _W, _W]),),
    ),
)
