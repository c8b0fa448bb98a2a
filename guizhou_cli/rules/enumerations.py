"""Enumerations: which run-in markers make a series of measures.

The marker vocabulary (一是 二要 第三， 其四 （5） ⑥ 首先/其次/最后, and the
outline families 一、（一）1.（1）① 第一章) is ``guizhou_cli/markers.py``, the one
vocabulary of the whole pipeline. The rules here say when those markers
really enumerate (definition of a measure, rules 1 and 7):

* a marker stands at a sentence or clause boundary, never inside a word
  (统一是, 第一书记, 第一批 are words);
* a series opens at 1 and continues 2, 3 …; after a lead-in clause ending in a
  comma (会议确定，一是…二是…) it opens only if its second item follows;
* 首先 opens a series only when 其次 or 最后 follows; 再次 without 首先 means "again";
* each paragraph, and each lead-in inside one, starts its own series at 1.
"""

from __future__ import annotations

from ..markers import runin_markers
from ..normalise import fold
from . import Rule

# a gap of at most this many numbers is flagged, larger jumps are not the series
MAX_SEQUENCE_GAP = 3


def series(text: str) -> list[tuple[str, int]]:
    """The run-in series a paragraph holds, as (marker, n), in order.

    A simplified reading of the structure stage's sequence checks, for the
    examples below: each marker must continue its family at n + 1 or restart
    at 1; 最后 closes a 首先… run.
    """
    out: list[tuple[str, int]] = []
    fam: str | None = None
    last = 0
    for c in runin_markers(fold(text)):
        if fam is None or c.family != fam:
            if c.n != 1:
                continue
            fam, last = c.family, 1
        elif c.n == 99 or c.n == last + 1:
            last = c.n
        elif c.n == 1:
            last = 1
        else:
            continue
        out.append((c.text, c.n))
    return out if len(out) >= 2 else []


def ordinals(text: str) -> list[int]:
    """The numbers of the ordinal run-in markers (第一，第二、…) a paragraph holds."""
    return [c.n for c in runin_markers(fold(text)) if c.family == "ordinal"]


RULES = (
    Rule(
        "run-in-series",
        "enumerations",
        "Run-in items 一是…二是…, 一要…二要…, 第一，…第二，…, 其一…其二…, （1）…（2）…, "
        "首先…其次…最后 at sentence or clause boundaries, to 十是 and beyond.",
        series,
        (
            "健全基础设施。一是加快建设。二是系统布局。三是智能升级。",
            "第一，加强领导。第二，完善制度。",
            "要做到：首先，统一思想；其次，落实责任；最后，加强督查。",
            "".join(f"{n}是加强工作。" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")),
        ),
        ("统一是前提，唯一是标准。", "第一书记和第一批干部。", "习近平首先发表主旨讲话。再次强调。", "增长2.5%，达到1.1万亿元。"),
    ),
    Rule(
        "series-after-lead-in",
        "enumerations",
        "A series after a lead-in clause ending in a comma (会议确定，一是…二是…) — news transcripts "
        "and State Council communiqués — opens only when its second item follows.",
        series,
        ("会议确定，一是发挥企业主体作用，二是强化培训质量监管。", "会议要求，一是稳就业；二是保民生。"),
        ("会议确定，一是发挥企业主体作用。",),
    ),
    Rule(
        "ordinal-pair-no-marker",
        "enumerations",
        "第一、二轮 / 第三、四季度 name two ordinals of one noun (rule 7: 第二轮 is a word): 第一、 "
        "followed by another numeral is never a run-in marker (gwr-2026-gansu.txt's 第一、二轮中央生态环保督察).",
        ordinals,
        ("第一、加强领导。第二、完善制度。", "第一，加强领导。第二，完善制度。"),
        ("第一、二轮中央生态环保督察反馈问题全部整改办结。", "第三、四季度经济增速回升。"),
    ),
)
