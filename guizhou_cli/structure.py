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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .markers import HEADING_FAMILIES, OUTLINE_RANK, Marker, dash_marker, outline_marker, runin_markers
from .model import Essay, Furniture, Measure, Repair, Section
from .normalise import fold
from .paragraphs import LineIndex, Paragraph, ends_complete, is_title_like, join, starts_mid_word, sub
from .rules.furniture import LICENCE, SALUTATION, SALUTATION_PREFIX, furniture_kind, furniture_runs
from .rules.headings import (
    announces_list,
    continues_sentence,
    heading_sentence,
    is_appendix_label,
    is_glossary_label,
    is_heading_only,
    is_line_heading,
    is_numbered_heading_line,
    is_subtitled_heading,
    is_table_cell,
    line_task_headings,
    pair_heading,
    pair_headings,
    pair_task_runs,
    parallel_headings,
)
from .rules.selection import select_measures, settle_lead_block
from .rules.text import CLAUSE, SEMI, SENTENCE_END, first_sentence, is_single_sentence
from .rules.titles import (
    BARE_DATE,
    CLOSING_NOTE,
    FUSED_HEAD,
    OCCASION,
    clean_container_title,
    is_dateline,
    never_title,
    parse_byline,
    parse_closing,
    parse_paper_byline,
    split_authors,
)
from .rules.tree import APPENDIX, APPENDIX_RANK, LINE_HEADING_RANK, RUNIN_HEADING_RANK, UNNUMBERED_RANK, OpenMeasure, OpenSection

# ------------------------------------------------------------ builders


# how many title-like lines at a page's top can be its banner or title block
_MAX_BANNER = 3
# paragraph-start item families and the run-in family that continues them
# inside the same paragraph: ①落实责任。②加强宣传。
_INLINE_FAMILY = {"arabic-paren": "paren", "circled": "circled", "arabic": "arabic"}
# how many paragraphs after 首先 its 其次 or 最后 may stand
SEQUENCE_HORIZON = 4
# a note's label before its numbered items: 备注：1.… 注：①…
NOTE_LABEL = re.compile(r"^(备注|附注|注|说明)\s*[：:]\s*")
ITEM_FAMILIES = frozenset({"arabic", "arabic-paren", "circled"})
# numbered items that may head items of the next level: 1. over （1）, （1） over ①,
# and a regulation's 第X条 over its 款 （一）
SUB_ITEM_HOLDERS = frozenset({"arabic", "arabic-paren", "article"})
# such a heading is one short sentence (2.拓展居家助老服务。)
MAX_SUB_ITEM_HEADING = 36


class _EssayBuilder:
    # slots: the walk reads these attributes for every paragraph
    __slots__ = ("body", "index", "k", "lead", "line_tasks", "repairs", "root", "root_headings", "root_pairs", "stack")

    def __init__(self, index: LineIndex, repairs: list[Repair]) -> None:
        self.index = index
        self.repairs = repairs
        self.lead: list[str] = []
        self.root: list[OpenSection] = []
        self.stack: list[OpenSection] = []
        self.root_headings: set[int] = set()
        # two-clause run-in headings of a commentary's series (规模是基础，品质是核心。)
        self.root_pairs: dict[int, str] = {}
        # one-comma task lines set over their body (聚焦对外开放，高标准建设海南自由贸易港。)
        self.line_tasks: dict[int, str] = {}
        self.body: list[Paragraph] = []
        self.k = 0  # the index in body of the paragraph being placed

    # -- helpers
    def _pos(self, p: Paragraph, pos: int) -> tuple[int, int]:
        off = p.src_offset(pos)
        return self.index.line(off), off

    def _push(self, s: OpenSection) -> None:
        while self.stack and self.stack[-1].rank >= s.rank:
            self._close(self.stack.pop())
        s.parent = self.stack[-1] if self.stack else None
        siblings = self.stack[-1].children if self.stack else self.root
        if s.family and s.n is not None:
            # the last sibling of its family, found from the end (not a list of them all: linear in the siblings)
            prev = next((x for x in reversed(siblings) if x.family == s.family), None)
            last = prev.n if prev is not None and prev.n is not None else 0
            if prev is None and s.n != 1:
                s.flags.append("gap")
            elif prev is not None and s.n == last:
                s.flags.append("duplicate")
            elif prev is not None and s.n == 1:
                s.flags.append("restart")
            elif prev is not None and s.n != last + 1:
                s.flags.append("gap" if s.n > last else "order")
        siblings.append(s)
        self.stack.append(s)

    def _close(self, s: OpenSection) -> None:
        if not settle_lead_block(s):
            s.measures.sort(key=lambda m: m.offset)

    def finish(self) -> None:
        while self.stack:
            self._close(self.stack.pop())

    # -- measures
    def _scan(self, s: OpenSection, p: Paragraph, start: int = 0, allow_open_any: bool = False) -> None:
        """Run-in enumerations in ``p.text[start:]``, continuing ``s``'s sequence."""
        folded = fold(p.text)
        accepted: list[Marker] = []
        fam, last = s.seq_family, s.seq_last
        flags: dict[int, list[str]] = {}
        for c in runin_markers(folded, fam):
            if c.start < start:
                continue
            if c.family == "sequence" and c.n == 1 and not self._sequence_follows(folded, c.end):
                continue  # 首先 = "first of all" unless 其次 or 最后 follows
            f: list[str] = []
            if fam is None or c.family != fam:
                # a sequence opens at 1 (at any number where the section's start
                # was lost); another family may not cut into one opened earlier
                # in this paragraph, but a new paragraph may open its own series
                # after a lead-in (讲话指出，…。一是… after a paragraph of 第一…第六)
                if c.n == 1:
                    if accepted and c.start != start:
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
            m = OpenMeasure(n, p.text[c.start : c.end].rstrip("，,、：: "), "numbered", body, line, off, context, flags[k])
            if c.family == "sequence" and c.n == 99:
                m.n = s.measures[-1].n + 1 if s.measures and s.measures[-1].n else None
            s.measures.append(m)
        last_m = s.measures[-1]
        if len(accepted) == 1 and accepted[0].start == start and is_single_sentence(last_m.text):
            last_m.absorbing = True
            s.open_measure = last_m

    def _new_unnumbered(self, p: Paragraph, heading: str | None, fragment: bool = False) -> OpenSection:
        line, off = self._pos(p, 0)
        s = OpenSection(heading, None, None, UNNUMBERED_RANK, None, line, off, fragment=fragment, truncated=p.truncated)
        s.texts.append(p.text)
        self._push(s)
        return s

    # -- the walk
    def feed(self, k: int, p: Paragraph) -> None:
        self.k = k
        if SALUTATION.match(p.text):
            # a salutation closes what it interrupts, but not the part it stands in:
            # a numbered part (一、) or a part heading on its own line (“十四五”时期…回顾),
            # else the paragraphs after it fall out of the outline into the lead
            keep = 1 if self.stack and (self.stack[0].marker is not None or self.stack[0].rank == LINE_HEADING_RANK) else 0
            while len(self.stack) > keep:
                self._close(self.stack.pop())
            return
        if is_appendix_label(p.text):
            # 附件1 / 名词解释: what follows is an appendix, outside the outline
            # of the body (a glossary's entries are not measures, rule 6)
            line, off = self._pos(p, 0)
            s = OpenSection(p.text.strip(), None, APPENDIX, APPENDIX_RANK, None, line, off)
            s.texts.append(p.text)
            self._push(s)
            return
        folded = fold(p.text)
        top = self.stack[-1] if self.stack else None
        om = outline_marker(folded)
        note = None
        if om is None and (label := NOTE_LABEL.match(folded)) is not None:
            # 备注：1.由于… — a note's items, numbered on from the label
            inner = outline_marker(folded[label.end() :])
            if inner is not None and inner.family in ITEM_FAMILIES:
                shift = label.end()
                om = Marker(inner.family, inner.n, inner.text, shift, shift + inner.end)
                note = p.text[: label.end()].strip()
        if p.heading_level is not None and om is None:
            # an explicit heading from a rich format (# in Markdown, <h2>)
            self._new_unnumbered(p, p.text.rstrip("。：:"))
            return
        if om is not None and note is None and (
            om.family in HEADING_FAMILIES or (is_heading_only(p.text[om.end :]) and not SENTENCE_END.search(p.text))
        ):
            rest = p.text[om.end :]
            first = first_sentence(rest)
            if SENTENCE_END.search(rest):
                heading, after = first[0], om.end + first[1]
            else:
                heading, after = rest.rstrip("：:"), len(p.text)
            line, off = self._pos(p, 0)
            rank: float = OUTLINE_RANK[om.family]
            art = next((x for x in reversed(self.stack) if x.family == "article" and x.marker is not None), None)
            if art is not None and rank <= art.rank:
                rank = art.rank + 0.5  # a regulation's 款 （一） under its 条
            s = OpenSection(heading.strip() or None, om.text, om.family, rank, om.n, line, off, truncated=p.truncated)
            s.texts.append(p.text)
            s.inline_body = bool(p.text[after:].strip())
            s.heading_line = not SENTENCE_END.search(rest)
            self._push(s)
            if after < len(p.text):
                self._scan(s, p, after)
            return
        if om is not None and note is None and any(x.family == om.family and x.marker is not None for x in self.stack):
            # 3. after 2. that headed its own （1）（2）: a sibling of that
            # heading, not one of its sub-items
            while self.stack:
                x = self.stack.pop()
                self._close(x)
                if x.family == om.family:
                    break
            top = self.stack[-1] if self.stack else None
        if om is not None and note is None and (sub := self._sub_items_follow(k, p, om)) is not None:
            # 2.拓展居家助老服务。 over （1）（2）, 第四条 …做好以下工作： over （一）（二）：
            # a numbered heading of the next level's items (GB/T 9704 1. over （1）;
            # a regulation's 条 over its 款)
            rest = p.text[om.end :]
            head, _ = first_sentence(rest)
            rank = OUTLINE_RANK[om.family]
            if om.family == "article":
                # a 条 stands inside the heading it was filed under (a line
                # heading naming the regulation), and its 款 nest inside it
                rank = top.rank + 1 if top is not None and top.marker is None else OUTLINE_RANK[sub] - 0.5
            line, off = self._pos(p, 0)
            head_s = OpenSection(
                head.strip().rstrip("：:") or None, om.text, om.family, rank, om.n, line, off, truncated=p.truncated
            )
            head_s.texts.append(p.text)
            self._push(head_s)
            return
        if om is not None:
            # a numbered item: 1. / （1） / ① / 第一条 opening a full paragraph,
            # possibly followed by more of its family in the same paragraph
            s = top or self._implicit(p)
            cuts: list[tuple[int, int, str, int]] = [(om.start, om.end, om.text, om.n)]
            inline = _INLINE_FAMILY.get(om.family)
            if inline:
                want = om.n + 1
                for c in runin_markers(folded, inline):
                    if c.family == inline and c.start >= om.end and c.n == want:
                        cuts.append((c.start, c.end, p.text[c.start : c.end], c.n))
                        want += 1
            # the section's last item of this family, found from the end
            prev_item = next((x for x in reversed(s.measures) if x.kind == "item" and x.family == om.family), None)
            last_n = prev_item.n if prev_item is not None else None
            for j, (a, b, marker, n) in enumerate(cuts):
                end = cuts[j + 1][0] if j + 1 < len(cuts) else len(p.text)
                line, off = self._pos(p, a)
                m = OpenMeasure(n, marker, "item", p.text[b:end].strip(), line, off, context=note, family=om.family)
                if j == 0 and note is not None and n == 1:
                    pass  # a note's list starts its own series
                elif j == 0:
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
            s.open_measure = s.measures[-1] if len(cuts) == 1 and is_single_sentence(s.measures[-1].text) else None
            return
        dm = dash_marker(folded)
        if dm is not None:
            s = top or self._implicit(p)
            s.dash_count += 1
            line, off = self._pos(p, 0)
            s.measures.append(OpenMeasure(s.dash_count, "——", "dash", p.text[dm.end :].strip(), line, off))
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
        if runin and runin[0].start == 0 and is_heading_only(p.text[runin[0].end :]) and not SENTENCE_END.search(p.text):
            # 第一，进一步稳定和加强农业 — a numbered heading on its own line
            mk = runin[0]
            line, off = self._pos(p, 0)
            s = OpenSection(
                p.text[mk.end :].strip() or None,
                p.text[: mk.end].rstrip("，,、：: "),
                "h-" + mk.family,
                RUNIN_HEADING_RANK,
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
        if top is not None and any(x.heading is not None and is_glossary_label(x.heading) for x in self.stack):
            # a glossary's entries define terms: a definition alone on its
            # line (国家重大战略实施和重点领域安全能力建设。) heads nothing
            self._append(top, p)
            return
        nxt = self.body[k + 1].text if k + 1 < len(self.body) else None
        # (never before 是：…: such a line is a sentence's first words, 主要目标 / 是：…)
        if (
            nxt is not None
            and (
                (is_line_heading(p.text) and not is_line_heading(nxt) and not is_table_cell(nxt))
                or is_subtitled_heading(p.text, nxt)
            )
            and not continues_sentence(nxt)
        ):
            line, off = self._pos(p, 0)
            s = OpenSection(p.text.rstrip("，,、 "), None, None, LINE_HEADING_RANK, None, line, off)
            s.texts.append(p.text)
            self._push(s)
            return
        if top is not None and top.provisional and len(top.texts) == 1 and is_single_sentence(top.texts[0]):
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
        if k in self.root_pairs and (top is None or (len(self.stack) == 1 and top.rank == UNNUMBERED_RANK)):
            # at the essay's top level only: under a part heading such a
            # sentence reports (国有企业改革继续推进，现代企业制度建设加快。)
            self._new_unnumbered(p, self.root_pairs[k])
            return
        hs = heading_sentence(p.text, copula=copula)
        if hs is None and anc is not None and k in self.line_tasks:
            hs = heading_sentence(p.text, commas=True, copula=copula)
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
            if anc is not None and top is not None and announces_list(hs[0]) and is_single_sentence(p.text):
                # 主要做了以下工作。 alone: it announces the 一是… below, which
                # are the section's own items, not a subsection's
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
        if self._is_fragment(p) and not (
            top is not None and top.marker is not None and len(top.texts) == 1 and is_numbered_heading_line(top.texts[0])
        ):
            # (under a heading alone on its line the paragraph opens the body)
            s = self._new_unnumbered(p, None, fragment=True)
            self.repairs.append(
                Repair(
                    "fragment", (p.line,), f"paragraph starts mid-sentence (“{p.text[:8]}…”): kept as a section with a lost start"
                )
            )
            self._scan(s, p, 0, allow_open_any=True)
            return
        if top is None:
            # an enumeration before any heading is a series of measures under no
            # heading (rule 1), even in an essay's first paragraph
            starts = [c for c in runin if c.n == 1]
            if starts and any(c.n == 2 for c in runin) and not self.root_headings:
                self._append(self._implicit(p), p)
                return
            self.lead.append(p.text)
            return
        self._append(top, p)

    def _sub_items_follow(self, k: int, p: Paragraph, om: Marker) -> str | None:
        """The family of the sub-items a numbered item heads, if the next paragraph opens one.

        The item is a heading only (one short sentence: 2.拓展居家助老服务。) or a
        lead-in (…应当做好以下工作：), and the next paragraph opens an item of a
        deeper level (（1） under 1.; any other family under a regulation's 第X条).
        """
        if om.family not in SUB_ITEM_HOLDERS or k + 1 >= len(self.body):
            return None
        sub = outline_marker(fold(self.body[k + 1].text))
        if sub is None or sub.family == om.family:
            return None
        if om.family != "article" and OUTLINE_RANK[sub.family] <= OUTLINE_RANK[om.family]:
            return None
        rest = p.text[om.end :].strip()
        if rest.endswith(("：", ":")) or (is_single_sentence(rest, MAX_SUB_ITEM_HEADING) and not SEMI.search(rest)):
            return sub.family
        return None

    def _sequence_follows(self, folded: str, after: int) -> bool:
        """Does 其次 or 最后 follow 首先, in its paragraph or the next few?"""
        if any(c.family == "sequence" and c.n in (2, 99) and c.start >= after for c in runin_markers(folded, "sequence")):
            return True
        for q in self.body[self.k + 1 : self.k + 1 + SEQUENCE_HORIZON]:
            if any(c.family == "sequence" and c.n in (2, 99) for c in runin_markers(fold(q.text), "sequence")):
                return True
        return False

    def _sequence_goes_on(self, k: int, s: OpenSection, horizon: int = 6) -> bool:
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

    def _implicit(self, p: Paragraph) -> OpenSection:
        """A section with no heading, for measures outside any heading (``p`` is its first)."""
        line, off = self._pos(p, 0)
        s = OpenSection(None, None, None, UNNUMBERED_RANK, None, line, off)
        self._push(s)
        return s

    def _append(self, s: OpenSection, p: Paragraph) -> None:
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
        return 0 < len(s) <= 4 and end < len(p.text) and not CLAUSE.search(s) and not s.isdigit()


def _bracketed_date(text: str) -> bool:
    """（2026年2月18日） under a speech's title: its date (the manuscript convention), never a heading."""
    t = fold(text.strip())
    return t[:1] in "（(" and bool(BARE_DATE.match(t))


def _has_line_headings(body: list[Paragraph]) -> bool:
    """Does the essay set headings on lines of their own (a heading line, a heading over a subtitle)?"""
    return any(
        p.heading_level is not None
        or is_line_heading(p.text)
        or (k + 1 < len(body) and is_subtitled_heading(p.text, body[k + 1].text))
        for k, p in enumerate(body)
    )


def _numbered_ancestor(stack: list[OpenSection]) -> OpenSection | None:
    """The innermost section that can hold lead measures (definition, rule 4).

    A heading of the official outline (第一章 一、 （一）, GB/T 9704's first two
    levels) or a numbered heading line (第一，…). An unnumbered sub-heading on a
    line of its own (a news report's 在非凡成就中品味收获的喜悦) heads narrative
    and quotations, not tasks. Arabic-numbered headings (## 3. 习近平同希腊总理通电话) number
    news items and list entries: the narrative under them is not a list of tasks.
    """
    for s in reversed(stack):
        if s.family == APPENDIX:
            return None
        if s.marker is not None and s.family is not None and (s.family in HEADING_FAMILIES or s.family.startswith("h-")):
            return s
    return None


# ------------------------------------------------------------ freezing


def _title(text: str) -> str:
    # the first sentence of the first paragraph: a heading line without a
    # full stop (（五）维护社会安定和谐) ends at its line
    s, _ = first_sentence(text.split("\n", 1)[0])
    s = s.strip()
    return s.rstrip("；;：:，,")


def _freeze_measure(m: OpenMeasure, mid: str, strings: dict[str, str] | None = None) -> Measure:
    text = m.text.strip()
    marker, kind, context = m.marker, m.kind, m.context
    if strings is not None:
        # markers (一是, （一）), kinds and lead-ins repeat thousands of times
        # in a long document: the model keeps one string of each, not a copy per measure
        share = strings.setdefault
        if marker is not None:
            marker = share(marker, marker)
        if context is not None:
            context = share(context, context)
        kind = share(kind, kind)
    flags = tuple(dict.fromkeys(m.flags)) if m.flags else ()
    # (positional: the model's field order; a large document has hundreds of thousands)
    return Measure(mid, m.n, marker, kind, _title(text), text, m.line, m.offset, context, flags)


def _freeze_measures(ms: list[OpenMeasure], sid: str, strings: dict[str, str] | None) -> tuple[Measure, ...]:
    return tuple([_freeze_measure(m, f"{sid}.m{i}", strings) for i, m in enumerate(ms, 1)])


def _freeze_section(s: OpenSection, sid: str, strings: dict[str, str] | None = None, release: bool = False) -> Section:
    """The frozen ``Section`` of ``s`` and everything under it.

    ``release``: empty each open section once it is frozen (its measures,
    children and texts, and its link to its parent), so that the open tree
    is freed as the frozen one grows instead of both being alive at the end
    of a large document (the parent links make a cycle that only a full
    collection would otherwise free).
    """
    measures = _freeze_measures(s.measures, sid, strings) if s.measures else ()
    sections = (
        tuple([_freeze_section(c, f"{sid}.s{i}", strings, release) for i, c in enumerate(s.children, 1)]) if s.children else ()
    )
    marker = s.marker
    if strings is not None and marker is not None:
        marker = strings.setdefault(marker, marker)
    frozen = Section(
        sid,
        s.heading,
        marker,
        s.n,
        s.fragment,
        s.truncated,
        s.line,
        s.offset,
        "\n".join(s.texts),
        measures,
        sections,
        tuple(dict.fromkeys(s.flags)) if s.flags else (),
    )
    if release:
        s.measures.clear()
        s.children.clear()
        s.texts.clear()
        s.parent = s.open_measure = None
    return frozen


def _freeze_roots(roots: list[OpenSection], eid: str, strings: dict[str, str]) -> tuple[Section, ...]:
    """The essay's frozen sections, emptying ``roots`` (and each open section) as they are frozen."""
    out: list[Section] = []
    roots.reverse()
    while roots:
        out.append(_freeze_section(roots.pop(), f"{eid}.s{len(out) + 1}", strings, release=True))
    return tuple(out)


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


# an issuer's signature line above the date is short
MAX_SIGNATURE = 30
# the date that closes a signed document, at the end of a paragraph
TRAILING_DATE = re.compile(
    r"[（(]?\s*[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*[）)]?$"
)


def _official_furniture(content: list[Paragraph], furniture: list[Furniture]) -> None:
    """An official document's addressee line and closing signature and date.

    各市、自治州人民政府，省政府各部门：at the top, before any body text, and
    贵州省人民政府办公厅 / 2024年3月1日 at the end, are furniture, not content.
    """
    for i, p in enumerate(content[:6]):
        t = p.text.rstrip()
        if SALUTATION.match(t):
            break  # a speech's 各位代表：, already furniture
        if outline_marker(fold(t)) is not None:
            break  # the body has begun: 到2027年，…取得重要进展： under 一、 is its lead-in
        if is_title_like(t):
            continue
        if t.endswith(("：", ":")) and len(t) <= 120 and not SENTENCE_END.search(t) and i > 0:
            furniture.append(Furniture("addressee", p.line, p.text))
            del content[i]
        break
    if content and not BARE_DATE.match(fold(content[-1].text)):
        # 贵州省人民政府办公厅 / 2026年3月1日 read as one paragraph (the issuer
        # line has no end mark, so the lines were joined): split the date off
        last = content[-1]
        m = TRAILING_DATE.search(fold(last.text))
        if m is not None and 0 < m.start() <= MAX_SIGNATURE and is_title_like(last.text[: m.start()]):
            content[-1:] = [sub(last, 0, m.start()), sub(last, m.start(), len(last.text))]
    if content and BARE_DATE.match(fold(content[-1].text)):
        date = content.pop()
        furniture.append(Furniture("date", date.line, date.text))
        # the issuer(s) above the date: one line, or two for a joint notice
        for _ in range(2):
            if not content or len(content[-1].text) > MAX_SIGNATURE or not is_title_like(content[-1].text):
                break
            sig = content.pop()
            furniture.append(Furniture("signature", sig.line, sig.text))


def _split_fused_head(p: Paragraph) -> list[Paragraph]:
    """``政府工作报告——2024年3月5日在…上国务院总理 李强`` on one line → three paragraphs."""
    m = FUSED_HEAD.match(fold(p.text))
    if not m or ends_complete(p.text):
        return [p]
    out = [sub(p, 0, m.end("title")), sub(p, m.start("date"), m.end("date"))]
    if m.group("by").strip():
        out.append(sub(p, m.start("by"), len(p.text)))
    return out


_PUNCT_SPACE = re.compile(r"[\s\u3000，。、；：！？“”‘’（）()《》〈〉【】\[\]「」『』—…·,.;:!?\"'-]+")
# how far into the body a container's title may be printed
MAX_TITLE_SEARCH = 12
# the first body paragraph under an essay's header: a sentence, or this long
MIN_ESSAY_BODY = 20
# title, subtitle, dateline (wrapped over two lines), byline, salutation
MAX_HEADER_LINES = 6
# a line above a page's one essay longer than this is text, not page furniture
MAX_PREAMBLE_LINE = 80


def _norm(text: str) -> str:
    """Text for comparing titles: NFKC, without punctuation and spaces."""
    import unicodedata

    return _PUNCT_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _find_title(content: list[Paragraph], title: str) -> int | None:
    """Where the container's title is printed in the body (# 标题, <h1>), if it is."""
    key = _norm(title)
    if len(key) < 2:
        return None
    for i, p in enumerate(content[:MAX_TITLE_SEARCH]):
        t = _norm(p.text)
        if t == key or (len(t) >= 0.6 * len(key) and key.startswith(t)) or (p.heading_level == 1 and key in t):
            return i
    return None


def is_byline(text: str) -> bool:
    return parse_byline(text) is not None or parse_paper_byline(text) is not None


def build(
    paras: list[Paragraph], index: LineIndex, repairs: list[Repair], meta: Mapping[str, str] | None = None
) -> DocStructure:
    """Paragraphs → essays, sections, measures. ``meta`` is the container's (front matter, <title>)."""
    meta = meta or {}
    furniture: list[Furniture] = []
    content: list[Paragraph] = []
    footer = False
    runs = furniture_runs([p.text for p in paras])
    for i, p in enumerate(paras):
        if not footer and LICENCE.match(p.text):
            footer = True
        kind = "footer" if footer else (runs.get(i) or furniture_kind(p.text))
        if kind:
            furniture.append(Furniture(kind, p.line, p.text))
        if kind is None or kind == "salutation":
            # a salutation (各位代表！) also marks a new movement of a speech:
            # the essay builder sees it, closes open subsections, keeps no text
            content.append(p)

    _official_furniture(content, furniture)
    split: list[Paragraph] = []
    for p in content:
        m = SALUTATION_PREFIX.match(p.text)
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
            and not never_title(t)
            and not SALUTATION.match(t)
        )

    def byline_at(i: int) -> bool:
        return 0 <= i < n and is_byline(content[i].text)

    def dated_at(i: int) -> bool:
        # a speech's dateline, or a bare date followed by the speaker: 讲话 / （2024年7月18日） / 习近平
        if not 0 <= i < n:
            return False
        t = content[i].text
        return is_dateline(t) or (bool(BARE_DATE.match(fold(t.strip()))) and byline_at(i + 1))

    # essay starts: a title followed by a byline or a dateline
    starts: list[int] = []
    def body_follows(i: int) -> bool:
        # an essay's header (title, byline, dateline, a wrapped line of them) is
        # followed by body text, not by table cells (2, 11, 汇总) that only look
        # like names
        for j in range(i + 1, min(n, i + 1 + MAX_HEADER_LINES)):
            t = content[j].text
            if len(t) >= MIN_ESSAY_BODY or SENTENCE_END.search(t) or outline_marker(fold(t)) is not None:
                return True
            if SALUTATION.match(t):
                return True
            if not (is_title_like(t) or byline_at(j) or dated_at(j)):
                return False
        return False

    def in_header_of(prev: int, i: int) -> bool:
        # i is a line of the header that starts at prev (a wrapped dateline …)
        return i - prev < MAX_HEADER_LINES and all(
            is_title_like(content[k].text) or dated_at(k) or byline_at(k) for k in range(prev + 1, i)
        )

    for i in range(n):
        if title_like(i) and not is_byline(content[i].text):
            if (byline_at(i + 1) or dated_at(i + 1)) and body_follows(i) and not (starts and in_header_of(starts[-1], i)):
                starts.append(i)
    container_title = clean_container_title(meta["title"]) if meta.get("title") else None
    container_at: int | None = None
    if container_title is not None and len(starts) <= 1:
        # Markdown front matter or an HTML <title> name one article: its title
        # line in the body, if printed there, opens the one essay
        container_at = _find_title(content, container_title)
        if container_at is not None:
            starts = [container_at]
    if not starts:
        # a title at the very top (a line or two), followed by body text: the
        # first is the title (a page banner exists only above several essays)
        i = 0
        while i < n and i <= _MAX_BANNER and title_like(i):
            i += 1
        if 0 < i <= _MAX_BANNER and i < n and container_title is None:
            starts.append(0)
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
    if len(starts) == 1:
        # above a page's one essay, short lines are the page's top (a header
        # printed twice, a breadcrumb glued to a line): furniture, not lost text
        furniture.extend(Furniture("preamble", p.line, p.text) for p in orphan_pre if len(p.text) <= MAX_PREAMBLE_LINE)
        orphan_pre = [p for p in orphan_pre if len(p.text) > MAX_PREAMBLE_LINE]

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
                if span.dateline is None and (dated_at(j) or _bracketed_date(t)):
                    span.dateline = content[j]
                elif (
                    span.dateline is not None
                    and span.byline is None
                    and j == a + 2
                    and is_title_like(t)
                    and OCCASION.search(fold(span.dateline.text + t))
                    and not OCCASION.search(fold(span.dateline.text))
                ):
                    # ——2026年1月26日在广东省第十四届 / 人民代表大会第五次会议上: a wrapped dateline
                    span.dateline = join(span.dateline, content[j])
                elif span.byline is None and is_byline(t):
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
            if CLOSING_NOTE.match(p.text) and p.text.rstrip()[-1:] in "）)" and len(p.text) < 400:
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
    strings: dict[str, str] = {}  # one copy of each marker and lead-in in the model (``_freeze_measure``)
    for k, span in enumerate(spans, 1):
        eb = _EssayBuilder(index, repairs)
        body = span.moved_in + span.body
        # candidate run-in headings at the root, for the parallel-form test
        cands = []
        pairs = []
        outlined = False
        for i, p in enumerate(body):
            if outline_marker(fold(p.text)) is not None:
                outlined = True
            else:
                hs = heading_sentence(p.text)
                if hs is not None:
                    cands.append((i, hs[0]))
                elif (ph := pair_heading(p.text)) is not None:
                    pairs.append((i, ph))
        eb.root_headings = parallel_headings(cands)
        texts = [p.text for p in body]
        eb.line_tasks = {**pair_task_runs(texts), **line_task_headings(texts)}
        if len(pairs) > 1 and not outlined and not _has_line_headings(body):
            # two-clause sentences head sections only where they are the
            # essay's one outline (a feature story's 岁月不居，时光如流。 opens
            # its introduction; its parts are the quotation lines)
            heads = pair_headings(pairs)
            eb.root_pairs = {i: h for i, h in pairs if i in heads}
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
            paper = parse_paper_byline(span.byline.text)
            if parsed:
                authors, role = tuple(parsed[0]), parsed[1]
            elif paper:
                authors = tuple(paper[0])
        if not authors and meta.get("author") and len(spans) == 1:
            authors = split_authors(meta["author"])
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
        essay_title = span.title.text if span.title else None
        if container_title is not None and len(spans) == 1:
            # the container names the article (front matter, <title>); a
            # different title line printed in the body is kept, as furniture
            if span.title is not None and _norm(span.title.text) != _norm(container_title):
                furniture.append(Furniture("page-title", span.title.line, span.title.text))
            essay_title = container_title
        sections = _freeze_roots(eb.root, eid, strings)
        unplaced = tuple(p.text for p in span.after_close)
        if k == 1:
            unplaced = tuple(p.text for p in orphan_pre) + unplaced
        essays.append(
            Essay(
                id=eid,
                title=essay_title,
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
    if single and banner is not None:
        # a banner heads a page of several essays; above one essay these lines
        # are the page's own furniture (a column name, a site's heading)
        furniture.extend(Furniture("banner", p.line, p.text) for p in banner_parts)
        banner = None
    title = essays[0].title if single else None
    furniture.sort(key=lambda f: f.line)
    return DocStructure(banner, title, dateline, essays, furniture)
