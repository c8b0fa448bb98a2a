"""Headings: run-in heading sentences, heading lines, and sentences that are not headings.

The run-in heading of official writing: a paragraph opens with a short task
phrase ending in 。 (bold in print), and its body follows on the same line —
推动传统产业提质升级。深入实施… — or a numbered heading (（一）…。) does the same.
Such a sentence heads a section when an enumeration follows it, when sibling
paragraphs share its form, or inside a numbered section (a lead measure).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import Rule
from .text import COMMA, LINE_END, SEMI, SENTENCE_END

# A run-in heading sentence is short: 4 to 36 characters (a task phrase; the
# longer ones name two reforms at once: 统筹推进国有“三资”管理改革、财政…改革);
# beside an enumeration (一是 right after it) it may have one comma.
MIN_HEADING = 4
MAX_HEADING = 36
# a heading that announces an enumeration after it: at most 25 characters
MAX_ENUM_HEADING = 25
# a heading set on a line of its own (no sentence end): 4 to 40 characters
MIN_LINE_HEADING = 4
MAX_LINE_HEADING = 40
# siblings in parallel form are of a size: the shorter at least 60 % of the longer
PARALLEL_SIZE_RATIO = 0.6

_HEADING_BAD = re.compile("[：:；;（(]")
_PARENTHETICAL = re.compile(r"(?<=.)[（(][^（()）]{1,10}[）)](?=.)")
NOT_HEADING_START = (
    "我们",
    "我国",
    "这",
    "那",
    "其中",
    "同时",
    "此外",
    "因此",
    "为此",
    "但",
    "而",
    "如",
    "并",
    "且",
    "所以",
    "要",
    "还要",
    "也要",
    "必须",
    "就是",
)
# A sentence built on the copula 是 defines or judges ("乡村治理是国家治理的
# 基础"); headings name an action or a field. 尤其是, 还是, 不是 … are not the copula.
COPULA = re.compile(r"(?<![其别还但就总凡于要或正也都乃真确可只即若不像算])是(?!否)")
# the closing formulae of official documents: 本意见自印发之日起施行, 特此通知
CLOSING_FORMULA = re.compile(r"^(本(意见|通知|办法|规定|方案|条例|细则|决定|规划|计划|公告|通告)|特此|以上)")
# A sentence that opens with a time expression reports; it does not head.
TIME_START = re.compile(
    r"^([\d０-９]{2,4}\s*年|今年|去年|明年|前年|过去|近年|近些年|当前|目前|现在|[^，。]{1,4}年来|[^，。]{1,4}以来)"
)
# Predicates that describe or judge rather than propose: 具有…地位/意义,
# 肩负着…使命, …来之不易. A lead measure is a task phrase (definition, rule 4).
DESCRIPTIVE = re.compile(r"具有[^，。]*(地位|意义|作用|优势)$|肩负|来之不易$|极不平凡|极不寻常")
# Five-year-plan periods are time expressions: “十四五”时期是…, “十五五”时期具有…
PLAN_PERIOD = re.compile(r"^[“\"]?十[一二三四五六七八九]五[”\"]?")


@lru_cache(maxsize=4096)
def _first_sentence_size(text: str) -> tuple[str, int, int] | None:
    """(first sentence, offset after its end mark, its size without quotes); None without a sentence end.

    Memoised apart from heading_sentence's options: the walk asks about each
    paragraph with two or three sets of them, and most first sentences are
    too long to be a heading whatever the options (the pipeline empties the
    memo per document).
    """
    m = SENTENCE_END.search(text)
    if m is None:
        return None
    s = text[: m.start()]
    return s, m.end(), len(s.strip("“”‘’\"'"))


def heading_sentence(text: str, max_len: int = MAX_HEADING, commas: bool = False, copula: bool = False) -> tuple[str, int] | None:
    """A run-in heading: a short first sentence with no comma, colon or semicolon.

    ``commas=True`` admits one comma, for a sentence whose heading role is
    shown by what follows it (一是 right after it).
    """
    first = _first_sentence_size(text)
    if first is None:
        return None  # no sentence end at all: not a run-in heading
    s, end, core = first
    if not (MIN_HEADING <= core <= max_len):
        return None
    bad, n_commas, not_heading_start, has_copula = _sentence_traits(s)
    if bad or n_commas > (1 if commas else 0):
        return None
    if not_heading_start:
        return None
    if not copula and has_copula:
        return None
    return s, end


@lru_cache(maxsize=4096)
def _sentence_traits(s: str) -> tuple[bool, int, bool, bool]:
    """What heading_sentence tests of a first sentence, whatever its options, memoised.

    (a colon, semicolon or bracket outside a short parenthetical; its commas;
    an opening that never heads; the copula 是). The walk asks about each
    paragraph with two or three sets of options (the pipeline empties the
    memo per document).
    """
    # a short parenthetical inside a task phrase is part of its name:
    # 积极共建北京（京津冀）国际科技创新中心。
    bare = _PARENTHETICAL.sub("", s)
    return (
        bool(_HEADING_BAD.search(bare)),
        len(COMMA.findall(s)),
        bool(s.startswith(NOT_HEADING_START) or TIME_START.match(s) or CLOSING_FORMULA.match(s)),
        bool(COPULA.search(s)),
    )


def is_descriptive(sentence: str) -> bool:
    """A sentence that judges or describes (the copula 是, 具有…地位, a time subject), not a task.

    Work reports open many paragraphs with one (就业是民生之本。 “十四五”时期是…
    极不平凡的五年。); the definition of a measure counts only task phrases
    (推动传统产业提质升级。) as lead measures.
    """
    s = sentence.strip()
    return bool(COPULA.search(s) or DESCRIPTIVE.search(s) or TIME_START.match(s) or PLAN_PERIOD.match(s))


def parallel_headings(cands: list[tuple[int, str]]) -> set[int]:
    """Indices of candidate headings that share a form with a sibling.

    Siblings share their opening or closing two characters and are of a size
    (健全现代化的基础设施。/ 打造现代化的产业体系。); grouping by those keys keeps
    this linear in the candidates: each group's sizes are sorted once and a
    partner of a similar size is looked up by bisection.
    """
    import bisect

    ok: set[int] = set()
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for ia, a in cands:
        if len(a) >= 2:
            groups.setdefault(("p", a[:2]), []).append((ia, a))
            groups.setdefault(("s", a[-2:]), []).append((ia, a))
    for members in groups.values():
        if len(members) < 2:
            continue
        lengths = sorted(len(a) for _, a in members)
        for ia, a in members:
            la = len(a)
            # the nearest other sizes below and above la (la itself counted once)
            lo = bisect.bisect_left(lengths, la)
            hi = bisect.bisect_right(lengths, la)
            partners = []
            if hi - lo > 1:
                partners.append(la)
            if lo > 0:
                partners.append(lengths[lo - 1])
            if hi < len(lengths):
                partners.append(lengths[hi])
            if any(min(la, lb) >= PARALLEL_SIZE_RATIO * max(la, lb) for lb in partners):
                ok.add(ia)
    return ok


# the label of an appendix set alone on its line: 附件1, 附录, 名词解释
APPENDIX_LABEL = re.compile(r"^(?:附\s*件\s*\d{0,2}|附\s*录\s*\d{0,2}|名词解释|名词注释|术语解释|注\s*释)[：:]?$")


def is_appendix_label(text: str) -> bool:
    """附件1 / 名词解释 alone on a line: an appendix after the body (GB/T 9704 附件; reports' glossaries)."""
    return bool(APPENDIX_LABEL.match(text.strip()))


def is_line_heading(text: str) -> bool:
    """A heading on a line of its own: short, no sentence or clause end, not a byline."""
    if not MIN_LINE_HEADING <= len(text) <= MAX_LINE_HEADING:
        return False  # before the import below: most paragraphs are longer, and this runs for each
    from .titles import parse_byline

    return not LINE_END.search(text) and parse_byline(text) is None


def is_heading_only(rest: str) -> bool:
    """What follows a marker is just a heading line (no sentence after it)."""
    rest = rest.strip()
    return 0 < len(rest) <= MAX_LINE_HEADING and not SENTENCE_END.search(rest[:-1]) and not SEMI.search(rest)


RULES = (
    Rule(
        "appendix-label",
        "headings",
        "An appendix's label alone on its line (GB/T 9704 附件; a report's 名词解释): what follows is outside the "
        "body's outline, and a glossary's entries are not measures.",
        is_appendix_label,
        ("附件1", "附件", "名词解释", "附录2"),
        ("附件：1.课题申报汇总表", "名词解释要准确。", "附件1是总体方案"),
    ),
    Rule(
        "run-in-heading",
        "headings",
        "The run-in heading of official writing: a short first sentence (4–30 characters, no comma, "
        "colon or semicolon) that names a task, followed by its body.",
        heading_sentence,
        (
            "健全现代化的基础设施。一是加快推进…",
            "推动传统产业提质升级。深入实施…",
            "加强就业服务。",
            "积极共建北京（京津冀）国际科技创新中心。",
        ),
        (
            "我们要加快发展。",
            "2024年经济增长5%。",
            "本意见自印发之日起施行。",
            "没有句号的一行",
            "乡村治理是国家治理的基础。",
            "（一）加强领导。",
        ),
    ),
    Rule(
        "descriptive-sentence",
        "headings",
        "A judgement or description, not a task: the copula 是, 具有…地位/意义, 肩负…, a time or "
        "plan-period subject (“十四五”时期…). Never a lead measure.",
        is_descriptive,
        (
            "就业是民生之本",
            "“十五五”时期具有承前启后的重要地位",
            "驻疆部队肩负着维护国家安全的重大神圣使命",
            "“十四五”发展成就来之不易",
        ),
        ("推动传统产业提质升级", "建设具有四川特色的现代化人民城市", "强化企业科技创新主体地位"),
    ),
    Rule(
        "line-heading",
        "headings",
        "An unnumbered heading set on a line of its own (a bold subheading in print): short, no sentence end.",
        is_line_heading,
        ("不必要的公关骚", "专栏1　新型基础设施重大工程"),
        ("这是一个完整的句子。", "赵岩 刘松"),
    ),
)
