"""Numbering families of Chinese official writing, and how to recognise them.

Two kinds of marker:

* outline markers at a paragraph's start (一、 （一） 1. （1） ① 第一章 …),
  which open sections or items;
* run-in markers inside a paragraph (一是…二是…, 第一，…, 首先…其次…), which
  split it into measures.

All matching runs on ``fold(text)`` (full-width digits folded one-for-one), so
match offsets are offsets in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"
_CN_NUM = f"[{_CN}]{{1,3}}"
# The numbering characters of the whole pipeline: the readers (Word's automatic
# numbering) write them, this module reads them. Enclosed numbers: ①–⑳ ㉑–㉟
# ㊱–㊿, ⑴–⒇, ⒈–⒛, ㈠–㈩ and ㊀–㊉, each range as (first, last, its number).
_ENCLOSED_RANGES = (
    (0x2460, 0x2473, 1),
    (0x3251, 0x325F, 21),
    (0x32B1, 0x32BF, 36),
    (0x2474, 0x2487, 1),
    (0x2488, 0x249B, 1),
    (0x3220, 0x3229, 1),
    (0x3280, 0x3289, 1),
)
ENCLOSED = "".join(f"{chr(a)}-{chr(b)}" for a, b, _ in _ENCLOSED_RANGES)
STEMS = "甲乙丙丁戊己庚辛壬癸"


def cn_int(s: str) -> int | None:
    """Parse 一…九十九 (and ASCII digits); None when it is not a numeral."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_DIGITS and c not in "十百" for c in s):
        return None
    if "百" in s:
        head, _, rest = s.partition("百")
        h = CN_DIGITS.get(head, None) if head else 1
        if h is None:
            return None
        r = cn_int(rest.lstrip("零〇")) if rest else 0
        return None if r is None else h * 100 + r
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = CN_DIGITS[head] if head else 1
        units = CN_DIGITS[tail] if tail else 0
        return tens * 10 + units
    if len(s) != 1:
        return None
    return CN_DIGITS[s]


@dataclass(frozen=True, slots=True)
class Marker:
    family: str
    n: int
    text: str  # the marker as written: 一是, （一）, 1.
    start: int  # offset in the paragraph
    end: int  # offset just after the marker (and its separator)


# ---------------------------------------------------------------- outline
# Conventional depth of each paragraph-start family: a family nests inside
# any family of smaller rank that is open.
OUTLINE_RANK = {
    "chapter": 0,
    "jie": 1,
    "cn-dun": 2,
    "cn-paren": 3,
    "arabic": 4,
    "arabic-paren": 5,
    "circled": 6,
    "stem": 6.5,
    "article": 7,
}
HEADING_FAMILIES = frozenset({"chapter", "jie", "cn-dun", "cn-paren"})

_OUTLINE = [
    ("chapter", re.compile(r"第([一二三四五六七八九十百零〇]{1,5}|\d{1,3})章[ \u3000]*")),
    ("jie", re.compile(r"第([一二三四五六七八九十百零〇]{1,5}|\d{1,3})节[ \u3000]*")),
    ("article", re.compile(r"第([一二三四五六七八九十百零〇]{1,5}|\d{1,3})条[ \u3000]*")),
    ("cn-dun", re.compile(rf"({_CN_NUM})[、.．][ \u3000]*")),
    ("cn-paren", re.compile(rf"[（(][ \u3000]*({_CN_NUM})[ \u3000]*[）)][ \u3000]*")),
    # 1. 1、 1．  but never 2.5% or 1.1万亿 (a digit follows the point)
    ("arabic", re.compile(r"(\d{1,2})(?:[、．]|\.(?![\d%]))[ \u3000]*")),
    # （1） (1) and the half-bracket 1) of typed lists
    ("arabic-paren", re.compile(r"(?:[（(][ \u3000]*)?(\d{1,2})[ \u3000]*[）)][ \u3000]*")),
    ("circled", re.compile(rf"([{ENCLOSED}])[ \u3000]*")),
    # 甲、乙、丙、: the heavenly stems number the level below ① in some plans
    ("stem", re.compile(rf"([{STEMS}])[、.．][ \u3000]*")),
]


def _circled_value(c: str) -> int:
    o = ord(c)
    for first, last, base in _ENCLOSED_RANGES:
        if first <= o <= last:
            return o - first + base
    return 0


# The characters any pattern of _OUTLINE can start with: a paragraph that
# opens with another (most of them) is answered without trying each pattern.
_OUTLINE_FIRST = re.compile(rf"[第{_CN}（(\d{ENCLOSED}{STEMS}]")


@lru_cache(maxsize=4096)
def outline_marker(folded: str) -> Marker | None:
    """The outline marker that opens a paragraph, if any."""
    if _OUTLINE_FIRST.match(folded) is None:
        return None
    for family, rx in _OUTLINE:
        m = rx.match(folded)
        if not m:
            continue
        raw = m.group(1)
        n = _circled_value(raw) if family == "circled" else STEMS.index(raw) + 1 if family == "stem" else cn_int(raw)
        if n is None or n == 0:
            continue
        end = m.end()
        rest = folded[end:]
        if not rest.strip():
            return None  # a bare number is not a heading
        if family in ("chapter", "jie", "article") and rest[:1] in "，,。的次批年":
            continue  # 第一次, 第三条的规定 …
        return Marker(family, n, m.group(0).strip(), 0, end)
    return None


# ---------------------------------------------------------------- run-in
# Characters after which a run-in marker may start: sentence and clause ends.
# Never a Han character: 统一是、之一是、唯一是 are words.
_BOUNDARY = "。；;：:！!？?"
_CLOSERS = "”’」』）)"


_SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
_GROUP_FAMILY = {
    "qi": "qi",
    "shi": "shi",
    "yao": "yao",
    "ordinal": "ordinal",
    "paren": "paren",
    "parencn": "paren-cn",
    "circled": "circled",
    "arabic": "arabic",
}
_RUNIN_ALL = re.compile(
    # the lookahead lets the engine skip most positions at once
    rf"(?=[其一二三四五六七八九十第（(首再最\d{ENCLOSED}])(?:"
    rf"其(?P<qi>{_CN_NUM})[，,、：:是]"
    rf"|(?P<shi>{_CN_NUM})是"
    rf"|(?P<yao>{_CN_NUM})要(?![求素点])"
    # (第一、二轮 / 第三、四季度: two ordinals of one noun, never 第一、 as a marker)
    rf"|第(?P<ordinal>{_CN_NUM})(?:[，,：:]|、(?![{_CN}\d]))"
    r"|[（(](?P<paren>\d{1,2})[）)]"
    rf"|[（(](?P<parencn>{_CN_NUM})[）)]"
    rf"|(?P<circled>[{ENCLOSED}])"
    # 1.… 2.… inside a paragraph, after ： or ；(never 2.5% or 1.1万亿)
    r"|(?<![\d.])(?P<arabic>\d{1,2})(?:[、．]|\.(?![\d%]))"
    r"|(?P<seq>首先|其次|再次|最后)[，,]"
    r")"
)


def _at_boundary(folded: str, pos: int, allow_comma: bool) -> bool:
    if pos == 0:
        return True
    j = pos - 1
    while j >= 0 and folded[j] in " \t":
        j -= 1
    if j < 0:
        return True
    c = folded[j]
    if c in _CLOSERS and j > 0 and folded[j - 1] in _BOUNDARY:
        return True
    if c in _BOUNDARY:
        return True
    return allow_comma and c in "，,"


def runin_markers(folded: str, family_hint: str | None = None) -> list[Marker]:
    # each stage asks again about the same paragraph: answer from a cache
    return list(_runin_markers(folded, family_hint))


@lru_cache(maxsize=4096)
def _runin_candidates(folded: str) -> tuple[tuple[re.Match[str], ...], dict[str, int]]:
    """The regex candidates of one paragraph, and where each family's second item stands.

    Apart from the family hint: the walk asks about one paragraph with
    several hints, and the scan is the costly part.
    """
    # one pass of one alternation: this runs for every paragraph, so it is
    # the extractor's inner loop
    matches = tuple(_RUNIN_ALL.finditer(folded))
    # where a second item of each family stands at a clause boundary: a series
    # may open after a lead-in clause ending in a comma (会议确定，一是…二是…)
    # only when its second item follows
    seconds: dict[str, int] = {}
    for m in matches:
        g = m.lastgroup
        if g and g != "seq" and g not in ("circled",):
            raw = m.group(g)
            if raw is not None and cn_int(raw) == 2 and _at_boundary(folded, m.start(), allow_comma=True):
                seconds.setdefault(_GROUP_FAMILY[g], m.start())
    return matches, seconds


@lru_cache(maxsize=4096)
def _runin_markers(folded: str, family_hint: str | None) -> tuple[Marker, ...]:
    """Run-in markers of one paragraph, as candidates in text order.

    Candidates must sit at a sentence or clause boundary; a comma boundary is
    accepted only for a family already seen in the paragraph (一是…，二是…).
    Sequence checks are left to the caller, which knows the context.
    """
    found: list[Marker] = []
    seen: set[str] = {family_hint} if family_hint else set()
    matches, seconds = _runin_candidates(folded)
    if not matches:
        return ()
    for m in matches:
        family = m.lastgroup
        assert family is not None
        start = m.start()
        if family == "seq":
            word = m.group("seq")
            if word in ("再次", "最后") and "sequence" not in seen:
                continue  # 再次 means "again" unless 首先/其次 came before
            if not _at_boundary(folded, start, allow_comma="sequence" in seen):
                continue
            seen.add("sequence")
            found.append(Marker("sequence", _SEQ_WORDS[word], word, start, m.end()))
            continue
        family = _GROUP_FAMILY[family]
        raw = m.group(m.lastgroup)  # type: ignore[arg-type]
        n = _circled_value(raw) if family == "circled" else cn_int(raw)
        if n is None or n == 0:
            continue
        if family in ("paren", "paren-cn", "circled", "arabic") and start == 0:
            continue  # at a paragraph start these are outline markers
        if family == "arabic" and (folded[start - 1] not in "：:；;。" or (n == 1 and seconds.get("arabic", -1) < start)):
            continue  # 1.…；2.… only right after a colon or semicolon, and as a series
        opens_after_comma = n == 1 and seconds.get(family, -1) > start
        if not _at_boundary(folded, start, allow_comma=family in seen or opens_after_comma):
            continue
        end = m.end()
        rest = folded[end : end + 1]
        if not rest or rest in "，。；,;":
            continue  # 二是。 is not an item
        seen.add(family)
        found.append(Marker(family, n, m.group(0).rstrip("，,、：:"), start, end))
    return tuple(found)


# A dash list item opens with a doubled dash; a single dash opens nothing
# (and — 3 — is a page number, which the structure stage sets aside).
DASH_RX = re.compile(r"(?:——|--|－－|─{2})(?=\S)")


def dash_marker(folded: str) -> Marker | None:
    m = DASH_RX.match(folded)
    if not m:
        return None
    return Marker("dash", 0, "——", 0, m.end())
