"""Stage 2: normalise. Line ends and invisible characters, nothing else.

We deliberately do not NFKC the text: NFKC turns ① into 1 (the marker is lost)
and ㈠ into (一) (one character becomes three, so offsets shift). Instead the
stored text stays as written and matching uses ``fold()``, a one-to-one
character map, so an offset in the folded copy is an offset in the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Repair

# Zero-width and format characters that web pages and wiki exports scatter
# through text. They are invisible, break matching (一\u200b是) and carry no
# content, so they go; the repair is recorded with its lines.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Control characters other than tab and newline never belong in a policy text;
# they could also drive a terminal. They become spaces (one for one, so
# offsets hold) and are reported.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_FOLD = {ord("\uff10") + i: ord("0") + i for i in range(10)}
_FOLD.update({ord("\uff21") + i: ord("A") + i for i in range(26)})
_FOLD.update({ord("\uff41") + i: ord("a") + i for i in range(26)})
# The full-width point ． stays as it is: after a number it is a list marker
# (1．5G网络覆盖工程), where an ASCII point could be a decimal (1.5万).
_FOLD.update({ord("\u3000"): ord(" "), ord("\u00a0"): ord(" ")})
_FOLD.update({ord("\u2002"): ord(" "), ord("\u2003"): ord(" "), ord("\u2009"): ord(" ")})


_NEEDS_FOLD = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2002\u2003\u2009]")
# Either kind of character that normalise() repairs: one scan finds out
# whether the text needs any repair at all (most texts need none).
_REPAIRABLE = re.compile("[" + _INVISIBLE.pattern[1:-1] + _CONTROL.pattern[1:-1] + "]")


# Every stage folds the same paragraph again (the walk, the heading and
# furniture rules): a small memo answers the repeats. The pipeline clears it
# per document (``clear_caches``), so nothing carries from one document to the next.
@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Full-width digits and letters to ASCII, odd spaces to a space: 1:1."""
    # str.translate with a dict is slow; most paragraphs need nothing
    if _NEEDS_FOLD.search(text) is None:
        return text
    return text.translate(_FOLD)


def normalise(text: str) -> tuple[str, list[Repair]]:
    """Return the text with ``\\n`` line ends and no invisible characters."""
    repairs: list[Repair] = []
    if "\r" in text:
        crlf = text.count("\r\n")
        text = text.replace("\r\n", "\n")
        lone = text.count("\r")
        text = text.replace("\r", "\n")
        detail = []
        if crlf:
            detail.append(f"{crlf} CRLF")
        if lone:
            detail.append(f"{lone} CR")
        repairs.append(Repair("line-ends", (), "normalised " + " and ".join(detail) + " line ends to LF"))
    if _REPAIRABLE.search(text) is None:
        return text, repairs
    for pattern, kind, what in (
        (_INVISIBLE, "strip-invisible", "removed {n} invisible character(s)"),
        (_CONTROL, "control-chars", "replaced {n} control character(s) with spaces"),
    ):
        if pattern.search(text):
            lines = sorted({text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)})
            n = len(pattern.findall(text))
            if kind == "strip-invisible":
                text = pattern.sub("", text)
            else:
                text = pattern.sub(" ", text)
            shown = tuple(lines[:20])
            repairs.append(Repair(kind, shown, what.format(n=n) + (f" on {len(lines)} lines" if len(lines) > 20 else "")))
    return text, repairs
