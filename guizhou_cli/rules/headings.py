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
from .text import COMMA, LINE_END, SEMI, SENTENCE_END, is_single_sentence

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
    # the leadership as subject reports its care or its decisions (习近平总书记始终对辽宁
    # 高度重视、深情牵挂、亲切关怀。 党中央…): narrative, never a task phrase
    "习近平总书记",
    "总书记",
    "党中央",
)
# A sentence built on the copula 是 defines or judges ("乡村治理是国家治理的
# 基础"); headings name an action or a field. 尤其是, 还是, 不是 … are not the copula;
# 也是/都是 are (开放也是改革。).
COPULA = re.compile(r"(?<![其别还但就总凡于要或正乃真确可只即若不像算])是(?!否)")
# the closing formulae of official documents: 本意见自印发之日起施行, 特此通知
CLOSING_FORMULA = re.compile(r"^(本(意见|通知|办法|规定|方案|条例|细则|决定|规划|计划|公告|通告)|特此|以上)")
# A sentence that opens with a time expression, or a time clause (…审查通过后，), reports; it does not head.
TIME_START = re.compile(
    r"^([\d０-９]{2,4}\s*年|今年|去年|明年|前年|过去|近年|近些年|当前|目前|现在|[^，。]{1,4}年来|[^，。]{1,4}以来|[^，。]{2,20}(?:之后|以后|后)，)"
)
# Predicates that describe or judge rather than propose: 具有…地位/意义,
# 肩负着…使命, …来之不易, 极不平凡. A lead measure is a task phrase (definition, rule 4).
# Maxims judge too: a conditional (产业强则经济强, 青年兴则国家兴; the 则 of
# 原则/规则/细则 is no conjunction) and a subject deciding something of another
# (创新的深度和广度决定未来发展的高度和维度).
DESCRIPTIVE = re.compile(
    r"具有[^，。]*(地位|意义|作用|优势)$"
    # the progressive aspect describes a standing duty (驻疆部队肩负着…使命); 更好担负…使命 is a task
    r"|(?:肩负|担负|承载)着"
    # evaluative idioms judge a period or a result
    r"|来之不易|殊为不易|极不平凡|极不寻常|难能可贵|弥足珍贵|不容忽视|不可忽视|不容乐观|不容小觑"
    # …and urge: 转变经济发展方式刻不容缓。 (gwr-national-2010.txt line 231) says a task is urgent, the next sentence sets it
    r"|刻不容缓|势在必行|迫在眉睫"
    # classical maxims close or open a section as sayings, not tasks (上下同欲者胜。 重任千钧惟担当。
    # gwr-national-2016.txt lines 226/234), like the 则 sayings below
    r"|^[^，。]{2,6}者[^，。者的]$"
    r"|^[^，。]{1,5}[惟唯](?![一物心])[^，。的]{1,3}$"
    # an event about to happen is news, not a task (上海世博会即将拉开帷幕。 gwr-national-2010.txt line 446)
    r"|^[^，。的]{2,14}即将[^，。的]*$"
    r"|^[^，。则]{1,10}(?<![原规准法细否总实])则[^，。]{1,10}$"
    r"|^[^，。]{2,}的[^，。]*决定(?:着|了)?[^，。的]{2,}的[^，。]{1,8}$"
)
# A sentence that owns up to problems (成绩固然可喜，问题也不容忽视。 安全生产的薄弱环节
# 不容忽视。) judges the state of things: the review's closing list of shortcomings
# (一是…二是…) follows it, and it heads nothing.
PROBLEMS_OWNED = re.compile("不容忽视|不可忽视|不容乐观|不容小觑")
# Five-year-plan periods are time expressions: “十四五”时期是…, “十五五”时期具有…
PLAN_PERIOD = re.compile(r"^[“\"]?十[一二三四五六七八九]五[”\"]?")
# A topic caption names what the paragraph explains (关于经济增长目标。这是一个综合性指标…): national
# work reports since 2013 gloss their growth and price targets so. It has no verb and proposes nothing.
TOPIC_CAPTION = re.compile(r"^关于[^，。；：、]{2,10}$")


def is_topic_caption(sentence: str) -> bool:
    """关于物价总水平。 — the topic of an explanation, never a task nor a heading of tasks."""
    return bool(TOPIC_CAPTION.match(sentence.strip()))


# a lead-in clause that reports what was said (会议指出，… 讲话强调，…) is not half of a heading
REPORTED_SPEECH = re.compile("(指出|强调|要求|认为|提出|表示|决定|确定|部署|明确|说|称|介绍|透露|宣布)$")


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
    if s.lstrip()[:1] in "“「" and not any(q in s for q in "”」"):
        return None  # “新年贺词鼓舞人心、催人奋进。”张进表示…: a quotation, reported speech
    if not (MIN_HEADING <= core <= max_len):
        return None
    bad, n_commas, not_heading_start, has_copula = _sentence_traits(s)
    if bad or n_commas > (1 if commas else 0):
        return None
    if commas and n_commas and (c := COMMA.search(s)) is not None and REPORTED_SPEECH.search(s[: c.start()]):
        return None  # 会议要求，各地区各部门要压实责任。: a communiqué reports what was said
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
        bool(
            s.startswith(NOT_HEADING_START)
            or TIME_START.match(s)
            or CLOSING_FORMULA.match(s)
            or PROBLEMS_OWNED.search(s)
            or TOPIC_CAPTION.match(s)
        ),
        bool(COPULA.search(s)),
    )


def is_descriptive(sentence: str) -> bool:
    """A sentence that judges or describes (the copula 是, 具有…地位, a time subject), not a task.

    Work reports open many paragraphs with one (就业是民生之本。 “十四五”时期是…
    极不平凡的五年。); the definition of a measure counts only task phrases
    (推动传统产业提质升级。) as lead measures.
    """
    s = sentence.strip()
    return bool(
        COPULA.search(s) or DESCRIPTIVE.search(s) or TIME_START.match(s) or PLAN_PERIOD.match(s) or TOPIC_CAPTION.match(s)
    )


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


# A commentary's or a speech's argument is carried by run-in headings of two
# comma-joined clauses (规模是基础，品质是核心。 普惠打底，特色增色。 今天的中国，
# 是…的中国。): at most this long in all, each clause at most MAX_PAIR_CLAUSE.
MAX_PAIR_HEADING = 26
MAX_PAIR_CLAUSE = 14
MIN_PAIR_CLAUSE = 3
# a pair is balanced (对仗) when its shorter clause is at least this share of the longer
PAIR_BALANCE = 0.6


def pair_heading(text: str) -> str | None:
    """A run-in heading of two comma-joined clauses, with body text after it on its paragraph.

    The 分论点 of a commentary (人民时评) and the parallel sentences of a speech
    carry one comma: 规模是基础，品质是核心。不打磨品质，…. Judgements with the
    copula are admitted (they are the argument's claims); the clauses are short,
    and the paragraph goes on after the sentence. Whether the paragraph heads a
    section is decided by its siblings (``pair_headings``).
    """
    # most paragraphs fail here, before the full test: no comma and end mark near the start
    if not COMMA.search(text, 0, MAX_PAIR_HEADING + 3) or not SENTENCE_END.search(text, 0, MAX_PAIR_HEADING + 3):
        return None
    hs = heading_sentence(text, max_len=MAX_PAIR_HEADING, commas=True, copula=True)
    if hs is None or hs[1] >= len(text.rstrip()):
        return None
    parts = COMMA.split(hs[0])
    if len(parts) != 2 or not all(MIN_PAIR_CLAUSE <= len(c.strip('“”"')) <= MAX_PAIR_CLAUSE for c in parts):
        return None
    return hs[0]


def is_balanced_pair(sentence: str) -> bool:
    """Two clauses of a size: 规模是基础，品质是核心 (5/5), not 今天的中国，是梦想接连实现的中国 (5/10)."""
    parts = COMMA.split(sentence)
    if len(parts) != 2:
        return False
    if parts[1].lstrip("“”\"")[:1] in PREDICATE_GOES_ON:
        return False  # 时间是最客观的见证者，也是最伟大的书写者: one subject, two predicates
    a, b = (len(c.strip('“”"')) for c in parts)
    return min(a, b) >= PAIR_BALANCE * max(a, b)


def pair_headings(cands: list[tuple[int, str]]) -> set[int]:
    """Which comma-pair candidates head sections: a series of them, not one.

    Either they share a form with a sibling pair (今天的中国，… / 今天的中国，…,
    as ``parallel_headings``), or the essay holds at least ``MIN_PAIR_SERIES``
    balanced pairs (a commentary's three 分论点 share no words, only their shape).
    """
    ok = parallel_headings(cands)
    balanced = [i for i, s in cands if is_balanced_pair(s)]
    if len(balanced) >= MIN_PAIR_SERIES:
        ok.update(balanced)
    return ok


# consecutive paragraphs opening with balanced two-clause task sentences make a series of lead measures
MIN_PAIR_TASK_RUN = 3


def pair_task_runs(texts: list[str]) -> dict[int, str]:
    """Paragraphs in a run of at least three that each open with a balanced two-clause task sentence.

    Work reports head the tasks of a numbered section so (gwr-national-2008.txt
    （五）: 推进国有企业改革，完善所有制结构。… / 深化财税体制改革，加快公共财政体系建设。…;
    gwr-2026-shanxi.txt's review: 加强科技创新，驱动能源转型。… six times). One such
    sentence alone is prose; a run of them, one a paragraph, is the section's
    series of run-in headings (rule 4). Enumerated or dashed paragraphs
    (一是…， ——…) are not: their markers make them items already.
    """
    from ..markers import dash_marker, outline_marker, runin_markers
    from ..normalise import fold

    out: dict[int, str] = {}
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if len(run) >= MIN_PAIR_TASK_RUN:
            out.update(run)
        run.clear()

    for i, t in enumerate(texts):
        f = fold(t)
        h = pair_heading(t)
        if (
            h is not None
            and is_balanced_pair(h)
            and heading_sentence(t) is None
            and not is_descriptive(h)
            and outline_marker(f) is None
            and dash_marker(f) is None
            and not any(m.start == 0 for m in runin_markers(f))
        ):
            run.append((i, h))
        else:
            flush()
    flush()
    return out


# a second clause that opens with one of these continues the first clause's
# subject (…，也是…；…，还要…): a sentence, not two parallel clauses
PREDICATE_GOES_ON = frozenset("也还更又是却但而并就才都则")
# balanced pair headings come in a series of at least this many
MIN_PAIR_SERIES = 2


# the label of an appendix set alone on its line: 附件1, 附录, 名词解释
APPENDIX_LABEL = re.compile(r"^(?:附\s*件\s*\d{0,2}|附\s*录\s*\d{0,2}|名词解释|名词注释|术语解释|注\s*释)[：:]?$")


def is_appendix_label(text: str) -> bool:
    """附件1 / 名词解释 alone on a line: an appendix after the body (GB/T 9704 附件; reports' glossaries)."""
    return bool(APPENDIX_LABEL.match(text.strip()))


# the label of a glossary: 注释 / 名词解释, alone or closing a longer label
# (《政府工作报告》有关内容名词注释 under 附件)
GLOSSARY_LABEL = re.compile(r"^(?:[^。！？；，,]{0,24}(?:名词解释|名词注释|术语解释)|注\s*释)[：:]?$")


def is_glossary_label(text: str) -> bool:
    """A glossary's label: its entries (［1］一降三减： / 全年火灾起数…。) define terms and head nothing."""
    return bool(GLOSSARY_LABEL.match(text.strip()))


def is_numbered_heading_line(text: str) -> bool:
    """（二）着力推动能源转型 alone: a numbered heading with no sentence after it, whose body follows."""
    from ..markers import outline_marker
    from ..normalise import fold

    t = text.strip()
    om = outline_marker(fold(t))
    return om is not None and is_heading_only(t[om.end :]) and not SENTENCE_END.search(t)


# a paragraph that opens with a bare copula or verb and a colon (是：… 为：…)
# has no subject: it is the rest of a sentence whose first words a web copy
# set on lines of their own (a bold span: 主要目标 / 是：地区生产总值…)
SUBJECTLESS_OPENING = re.compile(r"^(?:是|为|有|包括|分别是|分别为|主要是|主要有)[：:]")


def continues_sentence(text: str) -> bool:
    """是：… at a paragraph start: the words before it, alone on their line, are a sentence's subject, no heading."""
    return bool(SUBJECTLESS_OPENING.match(text.strip()))


def is_line_heading(text: str) -> bool:
    """A heading on a line of its own: short, no sentence or clause end, not a byline."""
    if not MIN_LINE_HEADING <= len(text) <= MAX_LINE_HEADING:
        return False  # before the import below: most paragraphs are longer, and this runs for each
    from .titles import parse_byline

    return (
        not LINE_END.search(text)
        and any(ch.isalnum() for ch in text)  # ………… is an ellipsis line, not a heading
        and parse_byline(text) is None
    )


# A part heading with a dash subtitle under it (a feature story's quotation,
# 通讯's 主题 + ——副题) may be longer than a plain line heading.
MAX_SUBTITLED_HEADING = 60
_QUOTE_CLOSERS = "”’」』\"'"


def is_subtitled_heading(text: str, next_text: str) -> bool:
    """A heading line over a ——subtitle line: “这些成就是…拼出来的” / ——我们贯彻新发展理念….

    The 通讯 (feature story) convention: each part opens with a quotation set
    alone on its line, without a final full stop (an exclamation inside the
    closing quote is the quotation's own), and a dash subtitle under it. The
    same quotation repeated as a sentence of the body has text after it, or no
    subtitle under it, and stays a paragraph.
    """
    if not next_text.lstrip().startswith(("——", "--")):
        return False
    t = text.strip()
    core = t.rstrip(_QUOTE_CLOSERS)
    if core != t:
        core = core.rstrip("！!？?")  # “…致敬！”: the quotation's own mark
    return MIN_LINE_HEADING <= len(t) <= MAX_SUBTITLED_HEADING and not LINE_END.search(core) and not t.startswith(("——", "--"))


# a table's cell read as a paragraph: a number alone (2, 11, 3.5%)
TABLE_CELL = re.compile(r"^\s*[\d.,%％]{1,8}\s*$")


def is_table_cell(text: str) -> bool:
    """A number alone on its paragraph: a table cell; the short line above it labels a row, it heads nothing."""
    return bool(TABLE_CELL.match(text))


def is_heading_only(rest: str) -> bool:
    """What follows a marker is just a heading line (no sentence after it)."""
    rest = rest.strip()
    return 0 < len(rest) <= MAX_LINE_HEADING and not SENTENCE_END.search(rest[:-1]) and not SEMI.search(rest)


# a sentence announcing the list below it (要把握好以下三点。 重点抓好以下五项工作。)
LIST_LEAD_IN = re.compile("以下|如下")
# ... and such a sentence whole: 以下/如下 near its end (以下五项工作, 如下几点),
# never 以下游产品为重点的… where the characters start a longer phrase
LIST_ANNOUNCEMENT = re.compile(r"(?:以下|如下)[^，,、；;。]{0,8}[。：:]?$")


def announces_list(sentence: str) -> bool:
    """主要做了以下工作。: a sentence that announces the enumeration under it, not the heading of it."""
    return bool(LIST_ANNOUNCEMENT.search(sentence.strip()))


def line_task_headings(texts: list[str]) -> dict[int, str]:
    """Task lines of one sentence and one comma, alone on their lines, each over its body paragraph.

    Reports set tasks and results as lines of their own above their body
    (gwr-2026-hainan.txt's 八个聚焦: 聚焦对外开放，高标准建设海南自由贸易港。 / body;
    gwr-national-2001.txt: 人民生活继续改善，总体上达到小康水平。 / body). One comma is
    allowed only where the layout shows the heading: the sentence is the whole
    paragraph and a body paragraph (more than one sentence) follows it. Not a
    heading: a sentence announcing a list (要把握好以下三点。), and a line over a
    paragraph that opens with a run-in heading of the document's own series
    (加快地方政府机构改革，推进事业单位改革。 over 努力保持对外贸易稳定增长。我们强调…:
    two tasks, the first without a body). Without this rule the body's first
    sentence, when short, was taken for the heading (国有大中型企业建立现代企业制度
    的改革取得重要进展。 under 经济体制改革全面推进，社会主义市场经济体制初步建立。).
    """
    cands: list[tuple[int, str]] = []
    for i, t in enumerate(texts[:-1]):
        if not is_single_sentence(t, MAX_LINE_HEADING) or is_single_sentence(texts[i + 1], MAX_LINE_HEADING):
            continue
        if heading_sentence(t) is not None:
            continue  # a plain run-in heading: the ordinary rule takes it
        hs = heading_sentence(t, commas=True)
        if hs is not None and len(hs[0]) >= len(t.strip()) - 1 and not LIST_LEAD_IN.search(hs[0]):
            cands.append((i, hs[0]))
    # the next paragraph is the line's body unless it opens a task of its own
    runin = [(i, h[0]) for i, t in enumerate(texts) if (h := heading_sentence(t)) is not None]
    series = parallel_headings(runin)
    return {i: h for i, h in cands if i + 1 not in series}


def _line_series_example(text: str) -> list[int]:
    """Examples: paragraphs split by |; the indices of the lines that head the next paragraph."""
    return sorted(line_task_headings(text.split("|")))


def _pair_series_example(text: str) -> bool:
    """Examples: paragraphs split by |; true when every one of them heads a section."""
    paras = text.split("|")
    cands = [(i, h) for i, p in enumerate(paras) if (h := pair_heading(p)) is not None]
    return len(cands) == len(paras) and pair_headings(cands) == set(range(len(paras)))


RULES = (
    Rule(
        "glossary-label",
        "headings",
        "A glossary's label (注释, 名词解释, 《政府工作报告》有关内容名词注释; gwr-2026-hainan.txt, "
        "gwr-2026-jiangxi.txt, gwr-2026-sichuan.txt): under it a term's definition set on its own line "
        "(国家重大战略实施和重点领域安全能力建设。) is text, never a heading, however parallel its form.",
        is_glossary_label,
        ("注释", "名词解释", "名词注释：", "《政府工作报告》有关内容名词注释", "注 释"),
        ("附件", "注释说明了什么", "加强名词解释工作，规范用语。", "三、2026年主要工作", "注意事项"),
    ),
    Rule(
        "line-task",
        "headings",
        "A task or result line of one sentence and one comma, alone on its line over its body paragraph "
        "(gwr-2026-hainan.txt 二、: 聚焦对外开放，高标准建设海南自由贸易港。; gwr-national-2001.txt 一、: "
        "经济体制改革全面推进，社会主义市场经济体制初步建立。): the run-in heading of a lead measure, as a "
        "comma-free line is; the body's first sentence is not a heading. Not a sentence announcing a list, "
        "nor a line over a paragraph that opens a task of the document's series.",
        _line_series_example,
        (
            "聚焦对外开放，高标准建设海南自由贸易港。|全面落实海南自由贸易港建设总体方案，深入推进各项改革。扩大制度型开放。"
            "|聚焦协调联动，助力全国构建新发展格局。|深度融入和服务国家区域重大战略，强化与重点区域合作。提升资源配置能力。",
            "经济体制改革全面推进，社会主义市场经济体制初步建立。|国有大中型企业建立现代企业制度的改革取得重要进展。大多数国家重点企业进行了公司制改革。",
        ),
        (
            # two commas: a narrative summary (这一年，我们…), not a task line
            "这一年，我们敢闯敢试、敢为人先，改革开放步伐加快。|跨境电子商务综合试验区抓紧建设。积极对接国际高标准经贸规则。",
            # a sentence announcing the list below it
            "实现今年经济社会发展的目标任务，要把握好以下原则和政策取向。|一是宏观政策要稳住、要积极。二是微观政策要放活。",
            # a line over another line: no body under it
            "聚焦对外开放，高标准建设海南自由贸易港。|加快建设海南自由贸易港。",
            # a task without a body over a task of the series (推进…。 / 推进…。 / 努力…。)
            "推进财税体制改革。完善分税制。|推进金融体制改革。深化改革。|加快地方政府机构改革，推进事业单位改革。"
            "|推进国有企业改革。我们强调扩大内需，绝不能放松出口。",
        ),
    ),
    Rule(
        "table-cell",
        "headings",
        "A number alone on its paragraph is a table cell (an HTML or Word table read cell by cell): the "
        "short line above it (重点课题 / 2 / 2 …) labels a row and is not a line heading.",
        is_table_cell,
        ("2", "11", "3.5%", " 16 "),
        ("2025年工作回顾", "一、总体要求", "第2章"),
    ),
    Rule(
        "subtitled-heading",
        "headings",
        "A part heading over a ——subtitle line (feature stories: a quotation set alone, then "
        "——我们…): up to 60 characters, no sentence end but the quotation's own ！. Paragraphs are "
        "separated by | in the examples.",
        lambda t: is_subtitled_heading(*t.split("|", 1)),
        (
            "“这些成就是全国各族人民撸起袖子干出来的，是新时代奋斗者挥洒汗水拼出来的”|——我们贯彻新发展理念。",
            "“人民子弟兵永远是保卫祖国的钢铁长城，让我们向守护家园的忠诚卫士们致敬！”|——人民军队体制一新。",
            "奋斗的青春最美丽|——记青年科技工作者群像",
        ),
        (
            "“人民子弟兵永远是保卫祖国的钢铁长城！”习近平主席牵挂着他们。|——人民军队体制一新。",
            "“280多万驻村干部、第一书记，工作很投入，一定要保重身体。”|这些年，我去了全国。",
            "主要预期目标是：|——经济增长5%左右。",
        ),
    ),
    Rule(
        "pair-heading",
        "headings",
        "The two-clause run-in heading of commentaries and speeches (规模是基础，品质是核心。…): one "
        "comma, short clauses, body after it; it heads a section only in a series — balanced pairs "
        "(对仗), or pairs sharing a form (今天的中国，…). Paragraphs are separated by | in the examples.",
        _pair_series_example,
        (
            "规模是基础，品质是核心。不打磨品质，规模再大也无法持续。|普惠打底，特色增色。“普惠”为的是兜牢底线。",
            "今天的中国，是梦想接连实现的中国。北京冬奥会成功举办。|今天的中国，是充满生机活力的中国。各自贸区蓬勃发展。",
        ),
        (
            "规模是基础，品质是核心。不打磨品质，规模再大也无法持续。",
            "历史长河波澜壮阔，一代又一代人接续奋斗创造了今天的中国。|今天的中国，是梦想接连实现的中国。",
            "规模是基础，品质是核心。|普惠打底，特色增色。",
            "我们坚持稳中求进，推动高质量发展。全年增长5%。|我们坚持改革开放，推动创新。全面深化改革。",
            "会议指出，就业是最基本的民生。今年以来形势稳定。|会议要求，各地区各部门要压实责任。一要强化落实。",
            "时间是最客观的见证者，也是最伟大的书写者。四十年来如此。|开放是必由之路，也是繁荣之道。我们坚持开放。",
        ),
    ),
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
            "“新年贺词鼓舞人心、催人奋进。”张进表示，将勇于创新。",
            "“新年快乐、皆得所愿！”",
            # the leadership as subject: narrative (gwr-2026-liaoning.txt line 18, gwr-national-2006.txt line 269)
            "习近平总书记始终对辽宁高度重视、深情牵挂、亲切关怀。2025年春节前夕，再次亲临辽宁考察。",
            "党中央、国务院对制定“十一五”规划工作高度重视。早在2004年…",
            # problems owned up to: a judgement over the review's shortcomings (gwr-2026-neimenggu.txt line 28)
            "安全生产的薄弱环节不容忽视。一是隐患排查不彻底。二是责任落实不到位。",
        ),
    ),
    Rule(
        "descriptive-sentence",
        "headings",
        "A judgement or description, not a task: the copula 是, 具有…地位/意义, 肩负…, a time or "
        "plan-period subject (“十四五”时期…), an opening time clause (…通过后，). Never a lead measure.",
        is_descriptive,
        (
            "就业是民生之本",
            "“十五五”时期具有承前启后的重要地位",
            "驻疆部队肩负着维护国家安全的重大神圣使命",
            "“十四五”发展成就来之不易",
            "产业强则经济强",
            "开放也是改革",
            "这一成绩殊为不易",
            "创新的深度和广度决定未来发展的高度和维度",
            # a time clause says when, then who acts (gwr-2026-jiangxi.txt line 43)
            "《纲要（草案）》经大会审查通过后，省政府将全力组织实施",
            "成绩固然可喜，问题也不容忽视",
            "上海世博会即将拉开帷幕",
            "转变经济发展方式刻不容缓",
            "上下同欲者胜",
            "重任千钧惟担当",
            "民惟邦本",
            "2008年奥运会和残奥会即将在北京举办",
        ),
        (
            "推动传统产业提质升级",
            "建设具有四川特色的现代化人民城市",
            "强化企业科技创新主体地位",
            "落实原则要求",
            "更好担负新时代的文化使命",
            "贯彻落实省委决定部署",
            "完善市场准则体系",
            "做好即将出台政策的储备",
            "保障劳动者权益",
            "支持创业者",
            "确保唯一性",
            "坚持唯物史观",
        ),
    ),
    Rule(
        "topic-caption",
        "headings",
        "关于 and a short topic, alone as a sentence: the caption of an explanation (national work reports "
        "gloss their targets so: gwr-national-2013.txt lines 94/96, gwr-national-2014.txt lines 89/91). "
        "Descriptive: never a lead measure.",
        is_topic_caption,
        ("关于经济增长目标", "关于物价总水平", "关于价格水平", "关于经济增长"),
        ("落实关于减税降费的部署", "关于经济增长目标，我们综合考虑了", "加快发展服务业", "关于深化农村改革、加快推进农业现代化"),
    ),
    Rule(
        "line-heading",
        "headings",
        "An unnumbered heading set on a line of its own (a bold subheading in print): short, no sentence end.",
        is_line_heading,
        ("不必要的公关骚", "专栏1　新型基础设施重大工程"),
        ("这是一个完整的句子。", "赵岩 刘松", "…………"),
    ),
    Rule(
        "list-announcement",
        "headings",
        "A sentence that announces the list below it (主要做了以下工作。 / 一是…, "
        "gwr-2026-jilin.txt's review) is part of the section's text, not a heading over the list: "
        "the items belong to the section that holds the sentence (rule 4: descriptive sentences are not headings).",
        announces_list,
        ("主要做了以下工作。", "重点抓好以下五项工作", "要把握好如下几点："),
        ("推进以下游产品为重点的产业链延伸。", "加快建设现代化产业体系。", "以下岗职工再就业为重点，做好就业工作。"),
    ),
    Rule(
        "body-under-heading-line",
        "headings",
        "A numbered heading set alone on its line (（二）着力推动能源转型) ends there: the paragraph under it "
        "opens its body, never a sentence broken off mid-way, whatever its first word (抓实… is a word the "
        "lexicon does not know to open a sentence; gwr-2026-shanxi.txt line 60).",
        is_numbered_heading_line,
        ("（二）着力推动能源转型", "三、2026年工作安排", "（十）着力守牢安全稳定底线"),
        ("（二）培育壮大实体经济，构建现代化产业体系。坚持智能化方向。", "着力推动能源转型", "一是加强领导。"),
    ),
    Rule(
        "pair-task-series",
        "headings",
        "Three or more paragraphs in a row, each opening with a balanced two-clause task sentence "
        "(推进国有企业改革，完善所有制结构。… / 深化财税体制改革，加快公共财政体系建设。…), are a "
        "numbered section's run-in headings: lead measures (gwr-national-2008.txt （五）, "
        "gwr-2026-shanxi.txt's review). One alone, or an enumerated or dashed series, is not.",
        lambda t: len(pair_task_runs(t.split("|"))) >= MIN_PAIR_TASK_RUN,
        (
            "加强科技创新，驱动能源转型。全年新增装机。|狠抓项目建设，支撑产业升级。汽车产量增长。"
            "|发挥比较优势，推动适度多元发展。文旅融合。|深化改革攻坚，激发市场活力。改革完成。",
        ),
        (
            "加强科技创新，驱动能源转型。全年新增装机。|狠抓项目建设，支撑产业升级。汽车产量增长。",
            "一是加大宏观调控力度，推动经济运行持续好转。…|二是依靠创新引领产业升级，增强发展新动能。…"
            "|三是深化改革扩大开放，持续改善营商环境。…",
            "——坚持全面深化改革，提高对外开放水平。…|——坚持以人民为中心，推动共同富裕。…"
            "|——坚持全面绿色转型，加快建设美丽河南。…",
        ),
    ),
    Rule(
        "subjectless-continuation",
        "headings",
        "A paragraph that opens with a bare copula or verb and a colon (是：… 为：…) continues the "
        "sentence begun on the line before (a bold span set on its own line in a web copy: "
        "主要预期目标 / 是：地区生产总值增长…, gwr-2026-guangdong.txt); that short line is no heading.",
        continues_sentence,
        ("是：地区生产总值增长4.5%—5%，在实际工作中全力争取更好结果。", "为：一是加强领导；二是完善制度。"),
        ("主要目标是：地区生产总值年均增长5%左右。", "是非曲直要分清。", "为民办实事。", "有序推进城市更新。"),
    ),
)
