"""What must hold for any document the extractor parses (used by several tests).

* nothing lost: every non-blank source line lands, whole (or in at most three
  pieces, for a line the parser splits, such as a salutation run into its
  paragraph), in some placed text: banner, title, byline, lead, section text,
  closing note, unplaced, furniture;
* provenance: every section's and measure's ``line`` is the line of its
  ``offset``; its marker is at that offset and its text follows the marker
  in the source (line ends and spaces aside: hard wraps are joined).
"""

from __future__ import annotations

import bisect
import re

from guizhou_cli.model import Document, iter_sections
from guizhou_cli.normalise import fold, normalise

SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"
_WS = re.compile(f"[\\s{SPACES}]")
MAX_PIECES = 3
SLACK = 3  # separator after a marker: 第一，  1、  （一）


def placed_texts(doc: Document) -> list[str]:
    out = [doc.banner, doc.title, doc.dateline]
    for e in doc.essays:
        out += [e.title, e.byline, e.lead, e.closing, *e.unplaced]
        for s in iter_sections(e.sections):
            out.append(s.text)
            out += [m.text for m in s.measures]
    out += [f.text for f in doc.furniture]
    return [t for t in out if t]


def _covered(line: str, hay: str) -> bool:
    rest = line
    for _ in range(MAX_PIECES):
        # the longest prefix of rest found in hay (containment is monotone)
        lo, hi = 0, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if rest[:mid] in hay:
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            return False
        rest = rest[lo:].strip(SPACES)
        if not rest:
            return True
    return False


_DATELINE = re.compile(r"^[—\-－─]*\s*[\d ]{4,8}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def lost_lines(source: str, doc: Document, known: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Non-blank lines of ``source`` found in no placed text.

    ``known``: parser bugs to tolerate by name (see provenance_errors).
    """
    norm, _ = normalise(source)
    hay = "\x00".join(placed_texts(doc))
    lost = []
    for no, raw in enumerate(norm.split("\n"), 1):
        line = raw.strip(SPACES)
        if line and not _covered(line, hay):
            if "second-dateline-lost" in known and doc.dateline and _DATELINE.match(fold(line)):
                continue  # a second essay's dateline: the model keeps only the first
            lost.append((no, line))
    return lost


class _Squeezed:
    """The folded source without whitespace, with a map from source offsets."""

    def __init__(self, norm: str) -> None:
        folded = fold(norm)
        keep = [not _WS.match(c) for c in folded]
        self.text = "".join(c for c, k in zip(folded, keep, strict=True) if k)
        self.before = [0] * (len(folded) + 1)  # kept characters before offset i
        n = 0
        for i, k in enumerate(keep):
            self.before[i] = n
            n += k
        self.before[len(folded)] = n

    def at(self, offset: int) -> int:
        return self.before[min(max(offset, 0), len(self.before) - 1)]


def squeeze(s: str) -> str:
    return _WS.sub("", fold(s))


def provenance_errors(source: str, doc: Document, known: frozenset[str] = frozenset()) -> list[str]:
    """Sections and measures whose line, offset, marker or text do not match the source.

    ``known`` names parser bugs to tolerate, each with an xfail regression
    test of its own (see KNOWN_PARSER_BUGS in test_properties.py), so that a
    property test stays able to find other problems meanwhile.
    """
    norm, _ = normalise(source)
    starts = [0] + [m.end() for m in re.finditer("\n", norm)]
    sq = _Squeezed(norm)
    errors: list[str] = []

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    def follows(text: str, pos: int, what: str, slack: int) -> None:
        # each line of a joined text is found in order, the first right at pos
        first = True
        prev = None
        for seg in text.split("\n"):
            s = squeeze(seg)
            if not s:
                continue
            if "dash-duplicate-text" in known and s == prev and first is False:
                continue  # ——甲。 → section text "——甲。\n——甲。"
            prev = s
            at = sq.text.find(s, pos)
            if at < 0 or (first and at - pos > slack):
                errors.append(f"{what}: text {seg[:20]!r} not found at/after squeezed offset {pos} (found at {at})")
                return
            pos = at + len(s)
            first = False

    for e in doc.essays:
        for s in iter_sections(e.sections):
            if not 0 <= s.offset <= len(norm):
                errors.append(f"{s.id}: offset {s.offset} outside the text")
                continue
            if line_of(s.offset) != s.line:
                errors.append(f"{s.id}: line {s.line} but offset {s.offset} is on line {line_of(s.offset)}")
            follows(s.text, sq.at(s.offset), s.id, 0)
            for m in s.measures:
                if not 0 <= m.offset <= len(norm):
                    errors.append(f"{m.id}: offset {m.offset} outside the text")
                    continue
                if line_of(m.offset) != m.line:
                    errors.append(f"{m.id}: line {m.line} but offset {m.offset} is on line {line_of(m.offset)}")
                pos = sq.at(m.offset)
                if m.marker and m.kind != "dash":
                    mk = squeeze(m.marker)
                    if not sq.text.startswith(mk, pos):
                        errors.append(f"{m.id}: marker {m.marker!r} not at offset {m.offset}: {norm[m.offset : m.offset + 8]!r}")
                        continue
                    pos += len(mk)
                follows(m.text, pos, m.id, SLACK)
    return errors
