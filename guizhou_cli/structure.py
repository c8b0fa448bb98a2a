"""Stage 4: structure. Paragraphs become essays, sections and measures.

The parser works on paragraphs only (with optional style hints); it never
knows which file format they came from. In order:

1. furniture: salutations (各位代表：), licence footers, source notes, web
   chrome are set aside as document furniture, never content;
2. essays: a title-like paragraph followed by a byline (names) or a dateline
   (——2024年3月5日在…上) opens an essay; leading title-like paragraphs
   before the first essay are the page banner; a closing note
   （作者单位：…） ends an essay, and body text after it belongs to the next
   essay (a lead printed above its own title);
3. outline: paragraph-start markers (第一章, 一、, （一）, 1., （1）, ①) open
   nested sections; run-in heading sentences (bold in print) open unnumbered
   sections when a run-in enumeration follows them or when sibling
   paragraphs share their form;
4. measures: run-in enumerations (一是…二是…, 第一，…, 首先…其次…) with
   sequence checks, dash lists (——…), numbered items, and lead items (in a
   numbered section without numbered items, each paragraph opening with a
   run-in heading sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .markers import HEADING_FAMILIES, OUTLINE_RANK, Marker, dash_marker, outline_marker, runin_markers
from .model import Essay, Furniture, Measure, Repair, Section
from .normalise import fold
from .paragraphs import LineIndex, Paragraph, ends_complete, is_title_like, starts_mid_word, sub

# patterns used per paragraph, compiled once
_BYLINE_PUNCT = re.compile("[，。；：,;:！？]")
_SPACES_RX = re.compile(r"[\s\u3000\u2002\u2003]+")
_NAME_SEP = re.compile(r"[\s\u3000\u2002\u2003、/]+")
_HEADING_BAD = re.compile("[：:；;（(]")
_COMMA = re.compile("[，,]")
_CLAUSE = re.compile("[，,、]")
_LINE_END = re.compile("[。！？!?；;：:]")
_SEMI = re.compile("[；;]")

# ------------------------------------------------------------ furniture

_SALUTATION = re.compile(r"^(各位代表|各位委员|同志们|女士们、先生们|各位来宾|朋友们|代表们)[：:！!，,]?$")
_SALUTATION_PREFIX = re.compile(r"^(各位代表|各位委员|同志们|女士们、先生们|各位来宾|代表们)[：:！!]")
_SOURCE_NOTE = re.compile(r"^[（(\[【]?\s*(来源|稿源|出处|责任编辑|编辑|校对|审核|原标题|转自)\s*[：:]")
_LICENCE = re.compile(
    r"^(本作品(是|来自|在)|Public domain|false$|true$|注：中文维基文库|此作品|Creative Commons|本文(来源|转载)于?维基)"
)
_CHROME = re.compile(
    r"^(【?\s*(打印|关闭|纠错|下载|字号|返回顶部|分享到|扫一扫|收藏|大\s*中\s*小)\s*】?\s*)+$|^(相关(报道|新闻|阅读)|上一篇|下一篇)[：:]?"
)
_LIVE_NOTE = re.compile(r"^[（(](根据.{0,12}整理|文字实录|全文|摘要|节选)[）)]$")


def furniture_kind(text: str) -> str | None:
    if _SALUTATION.match(text):
        return "salutation"
    if _DOC_NUMBER.match(fold(text)):
        return "doc-number"
    if _PAGE_NUMBER.match(fold(text)):
        return "page-number"
    if _SOURCE_NOTE.match(text):
        return "source-note"
    if _LIVE_NOTE.match(text):
        return "note"
    if _CHROME.match(text):
        return "web-chrome"
    return None


# ------------------------------------------------------------ essays

# — 3 —, -3-, 第3页: a page number left in text copied from print or PDF
_PAGE_NUMBER = re.compile(r"^(?:[—\-－─]\s*\d{1,4}\s*[—\-－─]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?)$")
_OCCASION = re.compile(r"在.{2,60}(上|开幕|闭幕|讲话|报告)$")
# 黔府办发〔2024〕12号: an official document's number
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,16}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号$")
# the date under a signature: 2024年3月1日, （2024年3月1日）
_BARE_DATE = re.compile(
    r"^[（(]?\s*[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*[）)]?$"
)
_DATELINE = re.compile(r"^[—\-－─]*\s*[\d ]{4,8}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,60}$")
_ROLE_WORDS = re.compile(
    r"(总理|副总理|省长|市长|县长|主席|书记|部长|主任|委员|记者|通讯员|作者|编辑|研究员|教授|博士|院长|校长|理事长|局长|厅长|署名|撰文|执笔)$"
)
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,5}$")
_CLOSING_NOTE = re.compile(r"^[（(]\s*(作者|本文|基金项目|项目|课题|注[：:])")
_AFFIL_PREFIX = re.compile(r"^作者(单位)?(分别)?(为|系|是|：|:|单位为|单位分别为|单位分别是)+[：:]?")


# decorations and labels newspapers set before names: □ 王明远, 文/赵丽华, 本报记者 张三
_BYLINE_PREFIX = re.compile(r"^(?:[□■●◎☆★◆◇▲△○·•|｜]\s*)*(?:(?:文|图|撰文|作者|执笔)\s*[/／｜|:：]\s*)?")
_ROLE_FUSED = re.compile(
    r"^(国务院(?:副)?总理|(?:[\u4e00-\u9fff]{1,8}?)(?:省长|市长|县长|主席|书记|部长|主任|总理))([\u4e00-\u9fff·]{2,4})$"
)


def parse_byline(text: str) -> tuple[list[str], str | None] | None:
    """``赵岩 刘松`` → (["赵岩", "刘松"], None); ``国务院总理 李　强`` → (["李强"], "国务院总理")."""
    text = _BYLINE_PREFIX.sub("", text.strip())
    if len(text) > 40 or _BYLINE_PUNCT.search(text) or outline_marker(fold(text)) is not None:
        return None
    fused = _ROLE_FUSED.match(_SPACES_RX.sub("", text))
    if fused and len(_SPACES_RX.split(text.strip())) <= 3:
        return [fused.group(2)], fused.group(1)
    tokens = [t for t in _NAME_SEP.split(text.strip()) if t]
    if not tokens:
        return None
    role = None
    if len(tokens) > 1 and (len(tokens[0]) > 4 or _ROLE_WORDS.search(tokens[0])):
        role = tokens.pop(0)
    # single characters written with a space between them are one name: 李　强
    names: list[str] = []
    buf = ""
    for t in tokens:
        if len(t) == 1:
            buf += t
            if len(buf) >= 2:
                names.append(buf)
                buf = ""
        else:
            if buf:
                return None
            names.append(t)
    if buf:
        return None
    if not names or len(names) > 8 or not all(_NAME.match(n) for n in names):
        return None
    if len(names) == 1 and role is None and len(names[0]) > 4:
        return None
    return names, role


def parse_closing(text: str) -> tuple[str | None, str | None]:
    """（作者为…。本文系…成果）→ (affiliation, note)."""
    inner = text.strip()
    if inner[:1] in "（(":
        inner = inner[1:]
    if inner[-1:] in "）)":
        inner = inner[:-1]
    affiliation: list[str] = []
    notes: list[str] = []
    for part in re.split(r"(?<=[。；;])", inner):
        part = part.strip()
        if not part:
            continue
        bare = part.rstrip("。；;")
        if _AFFIL_PREFIX.match(bare):
            affiliation.append(_AFFIL_PREFIX.sub("", bare).strip())
        else:
            notes.append(bare)
    return ("；".join(affiliation) or None, "；".join(notes) or None)


# ------------------------------------------------------------ headings

_NOT_HEADING_START = (
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
# A sentence that opens with a time expression reports; it does not head.
# A sentence built on the copula 是 defines or judges ("乡村治理是国家治理的
# 基础"); headings name an action or a field. 尤其是, 还是, 不是 … are not the copula.
_COPULA = re.compile(r"(?<![其别还但就总凡于要或正也都乃真确可只即若不像算])是(?!否)")
# the closing formulae of official documents: 本意见自印发之日起施行, 特此通知
_CLOSING_FORMULA = re.compile(r"^(本(意见|通知|办法|规定|方案|条例|细则|决定|规划|计划|公告|通告)|特此|以上)")
_TIME_START = re.compile(
    r"^([\d０-９]{2,4}\s*年|今年|去年|明年|前年|过去|近年|近些年|当前|目前|现在|[^，。]{1,4}年来|[^，。]{1,4}以来)"
)
_SENTENCE_END = re.compile("[。！？!?]")
# Predicates that describe or judge rather than propose: 具有…地位/意义,
# 肩负着…使命, …来之不易. A lead measure is a task phrase (definition, rule 4).
_DESCRIPTIVE = re.compile(r"具有[^，。]*(地位|意义|作用|优势)$|肩负|来之不易$|极不平凡|极不寻常")
# Five-year-plan periods are time expressions: “十四五”时期是…, “十五五”时期具有…
_PLAN_PERIOD = re.compile(r"^[“\"]?十[一二三四五六七八九]五[”\"]?")


def is_descriptive(sentence: str) -> bool:
    """A sentence that judges or describes (the copula 是, 具有…地位, a time subject), not a task.

    Work reports open many paragraphs with one (就业是民生之本。 “十四五”时期是…
    极不平凡的五年。); the definition of a measure counts only task phrases
    (推动传统产业提质升级。) as lead measures.
    """
    s = sentence.strip()
    return bool(_COPULA.search(s) or _DESCRIPTIVE.search(s) or _TIME_START.match(s) or _PLAN_PERIOD.match(s))


def first_sentence(text: str) -> tuple[str, int]:
    """First sentence without its end mark, and the offset after the mark."""
    m = _SENTENCE_END.search(text)
    if not m:
        return text, len(text)
    return text[: m.start()], m.end()


@lru_cache(maxsize=4096)
def heading_sentence(text: str, max_len: int = 30, commas: bool = False, copula: bool = False) -> tuple[str, int] | None:
    """A run-in heading: a short first sentence with no comma, colon or semicolon.

    ``commas=True`` admits one comma, for a sentence whose heading role is
    shown by what follows it (一是 right after it).
    """
    if not _SENTENCE_END.search(text):
        return None  # no sentence end at all: not a run-in heading
    s, end = first_sentence(text)
    core = s.strip("“”‘’\"'")
    if not (4 <= len(core) <= max_len):
        return None
    if _HEADING_BAD.search(s) or len(_COMMA.findall(s)) > (1 if commas else 0):
        return None
    if s.startswith(_NOT_HEADING_START) or _TIME_START.match(s) or _CLOSING_FORMULA.match(s):
        return None
    if not copula and _COPULA.search(s):
        return None
    return s, end


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def parallel_headings(cands: list[tuple[int, str]]) -> set[int]:
    """Indices of candidate headings that share a form with a sibling."""
    ok: set[int] = set()
    # siblings share their opening or closing two characters and are of a
    # size; grouping by those keys keeps this linear in the candidates
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
            # a partner of a similar size exists among the others
            others = [x for x in lengths]
            others.remove(len(a))
            if any(min(len(a), lb) >= 0.6 * max(len(a), lb) for lb in others):
                ok.add(ia)
    return ok


# ------------------------------------------------------------ builders


@dataclass
class _M:
    n: int | None
    marker: str | None
    kind: str
    text: str
    line: int
    offset: int
    context: str | None = None
    flags: list[str] = field(default_factory=list)
    absorbing: bool = False  # a heading-only item takes the paragraphs below it
    family: str | None = None  # outline family of an item (arabic, circled …)


@dataclass
class _S:
    heading: str | None
    marker: str | None
    family: str | None
    rank: float
    n: int | None
    line: int
    offset: int
    fragment: bool = False
    truncated: bool = False
    texts: list[str] = field(default_factory=list)
    measures: list[_M] = field(default_factory=list)
    children: list[_S] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    seq_family: str | None = None
    seq_last: int = 0
    dash_count: int = 0
    open_measure: _M | None = None
    provisional: bool = False  # a lead block: kept only if an enumeration follows
    parent: _S | None = None
    inline_body: bool = False  # the heading is a run-in sentence with body after it on its paragraph


_UNNUMBERED_RANK = 100
# how many title-like lines at a page's top can be its banner or title block
_MAX_BANNER = 3
# paragraph-start item families and the run-in family that continues them
# inside the same paragraph: ①落实责任。②加强宣传。
_INLINE_FAMILY = {"arabic-paren": "paren", "circled": "circled"}
# A heading set on a line of its own without a number (bold subheading in
# print): it nests inside numbered parts and holds run-in sections.
_LINE_HEADING_RANK = 50
# 第一，… / 一是… used as headings on their own line: below （一）, above 1.
_RUNIN_HEADING_RANK = 3.5


class _EssayBuilder:
    def __init__(self, index: LineIndex, repairs: list[Repair]) -> None:
        self.index = index
        self.repairs = repairs
        self.lead: list[str] = []
        self.root: list[_S] = []
        self.stack: list[_S] = []
        self.root_headings: set[int] = set()
        self.body: list[Paragraph] = []

    # -- helpers
    def _pos(self, p: Paragraph, pos: int) -> tuple[int, int]:
        off = p.src_offset(pos)
        return self.index.line(off), off

    def _push(self, s: _S) -> None:
        while self.stack and self.stack[-1].rank >= s.rank:
            self._close(self.stack.pop())
        s.parent = self.stack[-1] if self.stack else None
        siblings = self.stack[-1].children if self.stack else self.root
        if s.family and s.n is not None:
            prev = [x for x in siblings if x.family == s.family]
            last = prev[-1].n if prev and prev[-1].n is not None else 0
            if not prev and s.n != 1:
                s.flags.append("gap")
            elif prev and s.n == last:
                s.flags.append("duplicate")
            elif prev and s.n == 1:
                s.flags.append("restart")
            elif prev and s.n != last + 1:
                s.flags.append("gap" if s.n > last else "order")
        siblings.append(s)
        self.stack.append(s)

    def _close(self, s: _S) -> None:
        parent = s.parent
        if s.provisional and parent is not None and not any(m.kind in ("numbered", "item") for m in s.measures):
            if s.heading is not None and is_descriptive(s.heading):
                # a judgement or description (就业是民生之本。“十五五”时期具有…
                # 地位。) opening a paragraph is prose, not a task: the block's
                # paragraphs are the numbered section's text again
                parent.children.remove(s)
                parent.texts.extend(s.texts)
                parent.measures.extend(s.measures)
                parent.measures.sort(key=lambda m: m.offset)
                if s.truncated:
                    parent.truncated = True
                return
            # a lead block without an enumeration under it: the lead sentence
            # is a measure of the numbered section (kind: lead), and the
            # block's paragraphs are that section's text again
            parent.children.remove(s)
            first = s.texts[0] if s.texts else ""
            if _is_single_sentence(first):
                # a bold lead line with its body in the paragraphs below it
                first = "\n".join(s.texts)
            parent.measures.append(_M(None, None, "lead", first, s.line, s.offset))
            parent.measures.extend(m for m in s.measures if m.kind == "dash")
            parent.measures.sort(key=lambda m: m.offset)
            parent.texts.extend(s.texts)
            if s.truncated:
                parent.truncated = True
            return
        s.measures.sort(key=lambda m: m.offset)

    def finish(self) -> None:
        while self.stack:
            self._close(self.stack.pop())

    # -- measures
    def _scan(self, s: _S, p: Paragraph, start: int = 0, allow_open_any: bool = False) -> None:
        """Run-in enumerations in ``p.text[start:]``, continuing ``s``'s sequence."""
        folded = fold(p.text)
        accepted: list[Marker] = []
        fam, last = s.seq_family, s.seq_last
        flags: dict[int, list[str]] = {}
        for c in runin_markers(folded, fam):
            if c.start < start:
                continue
            f: list[str] = []
            if fam is None or c.family != fam:
                # a sequence opens at 1 (at any number where the section's start
                # was lost); another family may not cut into an open one
                # mid-paragraph
                if c.n == 1:
                    if fam is not None and last > 0 and c.start != start:
                        continue
                elif allow_open_any and not accepted and c.n <= 10:
                    f.append("gap")
                else:
                    continue
                fam, last = c.family, c.n
            else:
                if c.family == "sequence":
                    if c.n == 99:
                        pass  # 最后 closes any 首先… run
                    elif c.n != last + 1:
                        continue
                elif c.n == last + 1:
                    pass
                elif c.n == 1:
                    f.append("restart")
                elif c.n == last:
                    f.append("duplicate")
                elif last < c.n <= last + 3:
                    f.append("gap")
                else:
                    continue
                last = c.n
            flags[len(accepted)] = f
            accepted.append(c)
        if not accepted:
            if s.open_measure is not None and start == 0:
                s.open_measure.text += "\n" + p.text
            return
        s.open_measure = None
        s.seq_family, s.seq_last = fam, last
        context = None
        head = p.text[start : accepted[0].start].strip()
        if head.endswith(("：", ":")):
            context = head
        elif not head and len(s.texts) > 1 and s.texts[-2].rstrip().endswith(("：", ":")) and accepted[0].n == 1:
            # the lead-in closed the paragraph above: 今年重点抓好五件事：
            context = re.split(r"(?<=[。！？])", s.texts[-2].rstrip())[-1] or s.texts[-2]
        elif s.measures and s.measures[-1].context and accepted[0].start == start and accepted[0].n != 1:
            context = s.measures[-1].context
        for k, c in enumerate(accepted):
            end = accepted[k + 1].start if k + 1 < len(accepted) else len(p.text)
            body = p.text[c.end : end].strip()
            line, off = self._pos(p, c.start)
            n = None if c.family == "sequence" and c.n == 99 else c.n
            m = _M(n, p.text[c.start : c.end].rstrip("，,、：: "), "numbered", body, line, off, context, flags[k])
            if c.family == "sequence" and c.n == 99:
                m.n = s.measures[-1].n + 1 if s.measures and s.measures[-1].n else None
            s.measures.append(m)
        last_m = s.measures[-1]
        if len(accepted) == 1 and accepted[0].start == start and _is_single_sentence(last_m.text):
            last_m.absorbing = True
            s.open_measure = last_m

    def _new_unnumbered(self, p: Paragraph, heading: str | None, fragment: bool = False) -> _S:
        line, off = self._pos(p, 0)
        s = _S(heading, None, None, _UNNUMBERED_RANK, None, line, off, fragment=fragment, truncated=p.truncated)
        s.texts.append(p.text)
        self._push(s)
        return s

    # -- the walk
    def feed(self, k: int, p: Paragraph) -> None:
        if _SALUTATION.match(p.text):
            keep = 1 if self.stack and self.stack[0].marker is not None else 0
            while len(self.stack) > keep:
                self._close(self.stack.pop())
            return
        folded = fold(p.text)
        top = self.stack[-1] if self.stack else None
        om = outline_marker(folded)
        if p.heading_level is not None and om is None:
            # an explicit heading from a rich format (# in Markdown, <h2>)
            self._new_unnumbered(p, p.text.rstrip("。：:"))
            return
        if om is not None and (
            om.family in HEADING_FAMILIES or (_heading_only(p.text[om.end :]) and not _SENTENCE_END.search(p.text))
        ):
            rest = p.text[om.end :]
            first = first_sentence(rest)
            if _SENTENCE_END.search(rest):
                heading, after = first[0], om.end + first[1]
            else:
                heading, after = rest.rstrip("：:"), len(p.text)
            line, off = self._pos(p, 0)
            s = _S(heading.strip() or None, om.text, om.family, OUTLINE_RANK[om.family], om.n, line, off, truncated=p.truncated)
            s.texts.append(p.text)
            s.inline_body = bool(p.text[after:].strip())
            self._push(s)
            if after < len(p.text):
                self._scan(s, p, after)
            return
        if om is not None:
            # a numbered item: 1. / （1） / ① / 第一条 opening a full paragraph,
            # possibly followed by more of its family in the same paragraph
            s = top or self._implicit(p)
            cuts: list[tuple[int, int, str, int]] = [(0, om.end, om.text, om.n)]
            inline = _INLINE_FAMILY.get(om.family)
            if inline:
                want = om.n + 1
                for c in runin_markers(folded, inline):
                    if c.family == inline and c.start >= om.end and c.n == want:
                        cuts.append((c.start, c.end, p.text[c.start : c.end], c.n))
                        want += 1
            prev = [x for x in s.measures if x.kind == "item" and x.family == om.family]
            last_n = prev[-1].n if prev and prev[-1].n is not None else None
            for j, (a, b, marker, n) in enumerate(cuts):
                end = cuts[j + 1][0] if j + 1 < len(cuts) else len(p.text)
                line, off = self._pos(p, a)
                m = _M(n, marker, "item", p.text[b:end].strip(), line, off, family=om.family)
                if j == 0:
                    if last_n is not None:
                        if n == last_n:
                            m.flags.append("duplicate")
                        elif n == 1:
                            m.flags.append("restart")
                        elif n != last_n + 1:
                            m.flags.append("gap")
                    elif n != 1:
                        m.flags.append("gap")
                s.measures.append(m)
            s.texts.append(p.text)
            s.open_measure = s.measures[-1] if len(cuts) == 1 and _is_single_sentence(s.measures[-1].text) else None
            return
        dm = dash_marker(folded)
        if dm is not None:
            s = top or self._implicit(p)
            s.dash_count += 1
            line, off = self._pos(p, 0)
            s.measures.append(_M(s.dash_count, "——", "dash", p.text[dm.end :].strip(), line, off))
            s.texts.append(p.text)
            s.open_measure = None
            return
        if top is not None:
            top.dash_count = 0  # a dash list ends at the first paragraph without a dash
        if "aside" in p.flags:
            if top is None:
                self.lead.append(p.text)
            else:
                self._append(top, p)
            return
        runin = runin_markers(folded, top.seq_family if top else None)
        if runin and runin[0].start == 0 and _heading_only(p.text[runin[0].end :]) and not _SENTENCE_END.search(p.text):
            # 第一，进一步稳定和加强农业 — a numbered heading on its own line
            mk = runin[0]
            line, off = self._pos(p, 0)
            s = _S(
                p.text[mk.end :].strip() or None,
                p.text[: mk.end].rstrip("，,、：: "),
                "h-" + mk.family,
                _RUNIN_HEADING_RANK,
                mk.n,
                line,
                off,
            )
            s.texts.append(p.text)
            self._push(s)
            return
        # the paragraph carries the open sequence on only if its first marker of
        # that family is the next number (a new heading restarts at 一是)
        same = [c for c in runin if top is not None and c.family == top.seq_family]
        continues = top is not None and bool(same) and same[0].n == top.seq_last + 1
        if (runin and runin[0].start == 0) or continues:
            # a paragraph-level enumeration (二是…), or a paragraph that carries
            # the open sequence on: never a heading
            self._append(top or self._implicit(p), p)
            return
        if _line_heading(p.text) and k + 1 < len(self.body) and not _line_heading(self.body[k + 1].text):
            line, off = self._pos(p, 0)
            s = _S(p.text.rstrip("，,、 "), None, None, _LINE_HEADING_RANK, None, line, off)
            s.texts.append(p.text)
            self._push(s)
            return
        if top is not None and top.provisional and len(top.texts) == 1 and _is_single_sentence(top.texts[0]):
            # the body under a bold lead line set on its own line
            self._append(top, p)
            return
        anc = _numbered_ancestor(self.stack)
        # In a numbered section (a work report's （一）) bold lead sentences may
        # well be judgements (就业是民生之本。); elsewhere a 是 sentence is prose.
        copula = anc is not None and anc.marker is not None
        strong = heading_sentence(p.text, commas=True, copula=copula)
        if strong is not None and any(c.start == strong[1] and c.n == 1 for c in runin):
            s = self._new_unnumbered(p, strong[0])
            self._scan(s, p, strong[1])
            return
        hs = heading_sentence(p.text, copula=copula)
        if hs is not None:
            starts = [c for c in runin if c.start >= hs[1] and c.n == 1]
            if starts and len(hs[0]) <= 25:
                s = self._new_unnumbered(p, hs[0])
                self._scan(s, p, hs[1])
                return
            if k in self.root_headings and anc is None:
                self._new_unnumbered(p, hs[0])
                return
            if anc is not None and top is not None and top.seq_family and self._sequence_goes_on(k, top):
                # the open enumeration carries on below: this is a paragraph
                # inside an item, not a new heading
                self._append(top, p)
                return
            if anc is not None:
                # Inside a numbered section a run-in headed paragraph opens a
                # provisional block: it stays a subsection if an enumeration
                # follows under it, else it becomes a lead measure (_close).
                s = self._new_unnumbered(p, hs[0])
                s.provisional = True
                self._scan(s, p, hs[1])
                return
        if self._is_fragment(p):
            s = self._new_unnumbered(p, None, fragment=True)
            self.repairs.append(
                Repair(
                    "fragment", (p.line,), f"paragraph starts mid-sentence (“{p.text[:8]}…”): kept as a section with a lost start"
                )
            )
            self._scan(s, p, 0, allow_open_any=True)
            return
        if top is None:
            starts = [c for c in runin if c.n == 1]
            if starts and self.lead and not self.root_headings:
                self._append(self._implicit(p), p)
                return
            self.lead.append(p.text)
            return
        self._append(top, p)

    def _sequence_goes_on(self, k: int, s: _S, horizon: int = 6) -> bool:
        """Does the next marker of ``s``'s open sequence follow within a few paragraphs?"""
        want = s.seq_last + 1
        for p in self.body[k + 1 : k + 1 + horizon]:
            f = fold(p.text)
            if outline_marker(f) is not None:
                return False
            for c in runin_markers(f, s.seq_family):
                if c.family == s.seq_family and c.n == want:
                    return True
                if c.n == 1:
                    return False
        return False

    def _implicit(self, p: Paragraph) -> _S:
        """A section with no heading, for measures outside any heading (``p`` is its first)."""
        line, off = self._pos(p, 0)
        s = _S(None, None, None, _UNNUMBERED_RANK, None, line, off)
        self._push(s)
        return s

    def _append(self, s: _S, p: Paragraph) -> None:
        """``p`` is more of section ``s``: its text, its end, its run-in items."""
        s.texts.append(p.text)
        if p.truncated:
            s.truncated = True
        self._scan(s, p, 0)

    def _is_fragment(self, p: Paragraph) -> bool:
        if starts_mid_word(p.text):
            return True
        s, end = first_sentence(p.text)
        # "警系统。利用…": a "sentence" too short to be one, at a paragraph start
        return 0 < len(s) <= 4 and end < len(p.text) and not _CLAUSE.search(s) and not s.isdigit()


def _numbered_ancestor(stack: list[_S]) -> _S | None:
    """The innermost section that can hold lead measures (definition, rule 4).

    A heading of the official outline (第一章 一、 （一）, GB/T 9704's first two
    levels), a numbered heading line (第一，…), or an unnumbered heading on a line
    of its own. Arabic-numbered headings (## 3. 习近平同希腊总理通电话) number
    news items and list entries: the narrative under them is not a list of tasks.
    """
    for s in reversed(stack):
        if s.rank == _LINE_HEADING_RANK:
            return s
        if s.marker is not None and s.family is not None and (s.family in HEADING_FAMILIES or s.family.startswith("h-")):
            return s
    return None


def _line_heading(text: str) -> bool:
    """A heading on a line of its own: short, no sentence or clause end."""
    return 4 <= len(text) <= 40 and not _LINE_END.search(text) and parse_byline(text) is None


def _heading_only(rest: str) -> bool:
    """A marker paragraph that is just a heading line (no sentence after it)."""
    rest = rest.strip()
    return 0 < len(rest) <= 40 and not _SENTENCE_END.search(rest[:-1]) and not _SEMI.search(rest)


def _is_single_sentence(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 40 and not _SENTENCE_END.search(t[:-1])


# ------------------------------------------------------------ measure selection

# Families whose numbered paragraphs are headings or leaf measures by what
# they hold (GB/T 9704 levels 一、 and （一）); 第一章/第一节 always head.
_LEAF_FAMILIES = frozenset({"cn-dun", "cn-paren", "arabic", "arabic-paren", "circled"})
# A numbered heading line without a run-in body may still be a leaf item:
# alone, or over the one body paragraph it introduces (推荐形式 / its text).
MAX_LEAF_BODY_PARAGRAPHS = 2


def _is_leaf_item(s: _S) -> bool:
    """A numbered paragraph with no sub-items of its own is a measure, not a heading.

    The definition of a measure (rule 2): （五）加强就业服务。…body… with no
    sub-items — no child sections, no enumerated or lead items — is one measure
    with its number, under its parent heading; the same marker with sub-items
    is a heading (rule 3). A heading line set alone (一、课题申报类别) that
    holds several plain paragraphs stays a heading over them.
    """
    if s.marker is None or s.family not in _LEAF_FAMILIES:
        return False
    if any(c.rank != _LINE_HEADING_RANK for c in s.children):
        return False  # a box (专栏1 …) set on its own line is not a sub-item
    if any(m.kind != "dash" for m in s.measures):
        return False
    return s.inline_body or len(s.texts) <= MAX_LEAF_BODY_PARAGRAPHS


def _leaf_measure(s: _S) -> _M:
    marker = s.marker or ""
    first = s.texts[0]
    body = first[first.index(marker) + len(marker) :] if marker in first else first
    text = "\n".join([body.strip(), *s.texts[1:]])
    return _M(s.n, s.marker, "item", text, s.line, s.offset, flags=list(s.flags), family=s.family)


def select_measures(roots: list[_S]) -> list[_S]:
    """Decide, on the finished outline tree, which numbered paragraphs are measures.

    Run once per essay after every paragraph is placed, bottom-up, so that a
    paragraph's role follows from what ended up under it and not from the
    order paragraphs were read in. Leaves at the top level (no parent heading)
    stay sections: there is no heading to file them under.
    """

    def visit(parent: _S | None, children: list[_S]) -> list[_S]:
        kept: list[_S] = []
        moved = False
        for c in children:
            c.children = visit(c, c.children)
        leafish = [_is_leaf_item(c) for c in children]
        for i, c in enumerate(children):
            if leafish[i] and len(c.texts) == 1 and not c.inline_body:
                # a bare numbered line (（一）重点课题) is a short list item only
                # beside siblings of its family that are items too; beside
                # headings it is an empty heading of the same outline level
                leafish[i] = any(leafish[j] and children[j].family == c.family for j in range(len(children)) if j != i)
        for c, leaf in zip(children, leafish, strict=True):
            if parent is not None and leaf:
                parent.measures.append(_leaf_measure(c))
                parent.measures.extend(m for m in c.measures if m.kind == "dash")
                kept.extend(c.children)  # boxes under the item stay, one level up
                moved = True
            else:
                kept.append(c)
        if parent is not None and moved:
            parent.measures.sort(key=lambda m: m.offset)
        return kept

    return visit(None, roots)


# ------------------------------------------------------------ freezing


def _title(text: str) -> str:
    s, _ = first_sentence(text)
    s = s.strip()
    return s.rstrip("；;：:，,")


def _freeze_measure(m: _M, mid: str) -> Measure:
    text = m.text.strip()
    return Measure(
        id=mid,
        n=m.n,
        marker=m.marker,
        kind=m.kind,
        title=_title(text),
        text=text,
        line=m.line,
        offset=m.offset,
        context=m.context,
        flags=tuple(dict.fromkeys(m.flags)),
    )


def _freeze_section(s: _S, sid: str) -> Section:
    return Section(
        id=sid,
        heading=s.heading,
        marker=s.marker,
        n=s.n,
        fragment=s.fragment,
        truncated=s.truncated,
        line=s.line,
        offset=s.offset,
        text="\n".join(s.texts),
        measures=tuple(_freeze_measure(m, f"{sid}.m{i}") for i, m in enumerate(s.measures, 1)),
        sections=tuple(_freeze_section(c, f"{sid}.s{i}") for i, c in enumerate(s.children, 1)),
        flags=tuple(dict.fromkeys(s.flags)),
    )


# ------------------------------------------------------------ documents


@dataclass
class DocStructure:
    banner: str | None
    title: str | None
    dateline: str | None
    essays: list[Essay]
    furniture: list[Furniture]


@dataclass
class _EssaySpan:
    title: Paragraph | None
    byline: Paragraph | None
    dateline: Paragraph | None
    body: list[Paragraph] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    moved_in: list[Paragraph] = field(default_factory=list)
    after_close: list[Paragraph] = field(default_factory=list)


def _official_furniture(content: list[Paragraph], furniture: list[Furniture]) -> None:
    """An official document's addressee line and closing signature and date.

    各市、自治州人民政府，省政府各部门：at the top, before any body text, and
    贵州省人民政府办公厅 / 2024年3月1日 at the end, are furniture, not content.
    """
    for i, p in enumerate(content[:6]):
        t = p.text.rstrip()
        if _SALUTATION.match(t):
            break  # a speech's 各位代表：, already furniture
        if is_title_like(t) or outline_marker(fold(t)) is not None:
            continue
        if t.endswith(("：", ":")) and len(t) <= 120 and not _SENTENCE_END.search(t) and i > 0:
            furniture.append(Furniture("addressee", p.line, p.text))
            del content[i]
        break
    if content and _BARE_DATE.match(fold(content[-1].text)):
        date = content.pop()
        furniture.append(Furniture("date", date.line, date.text))
        # the issuer(s) above the date: one line, or two for a joint notice
        for _ in range(2):
            if not content or len(content[-1].text) > 30 or not is_title_like(content[-1].text):
                break
            sig = content.pop()
            furniture.append(Furniture("signature", sig.line, sig.text))


def _is_dateline(text: str) -> bool:
    """——2024年3月5日在…上: a speech's date and occasion (not a bare date)."""
    f = fold(text)
    if not _DATELINE.match(f) or ends_complete(text):
        return False
    return f.lstrip()[:1] in "—-－─" or bool(_OCCASION.search(f))


_FUSED_HEAD = re.compile(
    r"^(?P<title>[^—\-－]{2,30}?)(?P<date>[—\-－]{1,2}\s*[\d ]{4,8}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,40}?上)(?P<by>.*)$"
)


def _split_fused_head(p: Paragraph) -> list[Paragraph]:
    """``政府工作报告——2024年3月5日在…上国务院总理 李强`` on one line → three paragraphs."""
    m = _FUSED_HEAD.match(fold(p.text))
    if not m or ends_complete(p.text):
        return [p]
    out = [sub(p, 0, m.end("title")), sub(p, m.start("date"), m.end("date"))]
    if m.group("by").strip():
        out.append(sub(p, m.start("by"), len(p.text)))
    return out


def build(paras: list[Paragraph], index: LineIndex, repairs: list[Repair]) -> DocStructure:
    furniture: list[Furniture] = []
    content: list[Paragraph] = []
    footer = False
    for p in paras:
        if not footer and _LICENCE.match(p.text):
            footer = True
        kind = "footer" if footer else furniture_kind(p.text)
        if kind:
            furniture.append(Furniture(kind, p.line, p.text))
        if kind is None or kind == "salutation":
            # a salutation (各位代表！) also marks a new movement of a speech:
            # the essay builder sees it, closes open subsections, keeps no text
            content.append(p)

    _official_furniture(content, furniture)
    split: list[Paragraph] = []
    for p in content:
        m = _SALUTATION_PREFIX.match(p.text)
        if m and m.end() < len(p.text):
            # 各位代表！回顾过去五年…: the salutation is furniture, the rest content
            head = sub(p, 0, m.end())
            furniture.append(Furniture("salutation", head.line, head.text))
            rest = sub(p, m.end(), len(p.text))
            # what follows 各位代表！ on its line is an aside to the audience:
            # never a heading or a lead measure (definition, rule 4)
            split.extend([head, replace(rest, flags=(*rest.flags, "aside"))])
        else:
            split.append(p)
    content = split
    if content:
        content[:1] = _split_fused_head(content[0])
    n = len(content)

    def title_like(i: int) -> bool:
        if not (0 <= i < n):
            return False
        t = content[i].text
        return (
            (is_title_like(t) or content[i].heading_level == 1)
            and outline_marker(fold(t)) is None
            and not _is_dateline(t)
            and not _SALUTATION.match(t)
        )

    def byline_at(i: int) -> bool:
        return 0 <= i < n and parse_byline(content[i].text) is not None

    # essay starts: a title followed by a byline or a dateline
    starts: list[int] = []
    for i in range(n):
        if title_like(i) and parse_byline(content[i].text) is None:
            if byline_at(i + 1) or (i + 1 < n and _is_dateline(content[i + 1].text)):
                starts.append(i)
    if not starts:
        # a title at the very top (a line or two), followed by body text
        i = 0
        while i < n and i <= _MAX_BANNER and title_like(i):
            i += 1
        if 0 < i <= _MAX_BANNER and i < n:
            starts.append(i - 1)
    first = starts[0] if starts else 0
    pre = content[:first]
    # the page banner: title-like lines at the very top, a few at most
    banner_parts: list[Paragraph] = []
    for p in pre[:_MAX_BANNER]:
        if not is_title_like(p.text):
            break
        banner_parts.append(p)
    in_banner = {id(p) for p in banner_parts}
    orphan_pre = [p for p in pre if id(p) not in in_banner]

    spans: list[_EssaySpan] = []
    bounds = [*starts, n] if starts else [0, n]
    if not starts:
        spans.append(_EssaySpan(None, None, None))
        ranges = [(0, n)]
    else:
        ranges = [(bounds[k], bounds[k + 1]) for k in range(len(starts))]
    for a, b in ranges:
        if starts:
            span = _EssaySpan(content[a], None, None)
            j = a + 1
            # title, then (subtitle) dateline and/or byline in any order
            while j < b and j <= a + 3:
                t = content[j].text
                if span.dateline is None and _is_dateline(t):
                    span.dateline = content[j]
                elif span.byline is None and parse_byline(t) is not None:
                    span.byline = content[j]
                elif t.startswith(("——", "—")) and span.byline is None and span.dateline is None and is_title_like(t):
                    span.title = Paragraph(
                        span.title.text + t if span.title else t, content[a].line, content[j].end_line, content[a].pieces
                    )
                else:
                    break
                j += 1
            spans.append(span)
        else:
            span = spans[0]
            j = a
        closed = False
        for p in content[j:b]:
            if _CLOSING_NOTE.match(p.text) and p.text.rstrip()[-1:] in "）)" and len(p.text) < 400:
                span.closing.append(p)
                closed = True
            elif closed:
                span.after_close.append(p)
            else:
                span.body.append(p)
    # a lead printed above its own title: body text after one essay's closing
    # note belongs to the next essay
    for k in range(len(spans) - 1):
        if spans[k].after_close:
            moved = spans[k].after_close
            spans[k].after_close = []
            spans[k + 1].moved_in = moved + spans[k + 1].moved_in
            repairs.append(
                Repair(
                    "moved-lead",
                    tuple(p.line for p in moved),
                    f"text after essay {k + 1}'s closing note, above essay {k + 2}'s title, moved to essay {k + 2}'s lead",
                )
            )

    essays: list[Essay] = []
    dateline = None
    for k, span in enumerate(spans, 1):
        eb = _EssayBuilder(index, repairs)
        body = span.moved_in + span.body
        # candidate run-in headings at the root, for the parallel-form test
        cands = []
        for i, p in enumerate(body):
            if outline_marker(fold(p.text)) is None:
                hs = heading_sentence(p.text)
                if hs is not None:
                    cands.append((i, hs[0]))
        eb.root_headings = parallel_headings(cands)
        if any(p.bold_prefix for p in body):
            # a rich format marked its run-in headings in bold: trust that when
            # the bold run ends with the heading sentence (not a bold paragraph)
            for i, p in enumerate(body):
                hs = heading_sentence(p.text)
                if p.bold_prefix and hs is not None and len(hs[0]) - 1 <= p.bold_prefix <= hs[1] + 2:
                    eb.root_headings.add(i)
        eb.body = body
        for i, p in enumerate(body):
            eb.feed(i, p)
        eb.finish()
        eb.root = select_measures(eb.root)
        authors: tuple[str, ...] = ()
        role = None
        if span.byline is not None:
            parsed = parse_byline(span.byline.text)
            if parsed:
                authors, role = tuple(parsed[0]), parsed[1]
        affiliation = note = None
        closing_text = None
        if span.closing:
            closing_text = "\n".join(p.text for p in span.closing)
            affs, notes = [], []
            for p in span.closing:
                a_, n_ = parse_closing(p.text)
                if a_:
                    affs.append(a_)
                if n_:
                    notes.append(n_)
            affiliation = "；".join(affs) or None
            note = "；".join(notes) or None
        if affiliation is None and role is not None:
            affiliation = role
        if span.dateline is not None:
            if dateline is None:
                dateline = span.dateline.text
            else:
                # the document keeps its first dateline; later essays' datelines
                # are kept as furniture with their lines, never dropped
                furniture.append(Furniture("dateline", span.dateline.line, span.dateline.text))
        eid = f"e{k}"
        sections = tuple(_freeze_section(s, f"{eid}.s{i}") for i, s in enumerate(eb.root, 1))
        unplaced = tuple(p.text for p in span.after_close)
        if k == 1:
            unplaced = tuple(p.text for p in orphan_pre) + unplaced
        essays.append(
            Essay(
                id=eid,
                title=span.title.text if span.title else None,
                authors=authors,
                affiliation=affiliation,
                note=note,
                lead="\n".join(eb.lead) or None,
                line=span.title.line if span.title else (body[0].line if body else None),
                closing=closing_text,
                byline=span.byline.text if span.byline else None,
                sections=sections,
                unplaced=unplaced,
            )
        )
    banner = " ".join(p.text for p in banner_parts) or None
    single = len(essays) == 1
    title = essays[0].title if single else None
    furniture.sort(key=lambda f: f.line)
    return DocStructure(banner, title, dateline, essays, furniture)
