"""The definition of a measure, applied to the outline tree.

The product's definition (documented in ``docs/extraction.md``):

1. an item introduced by an enumeration marker is a measure, numbered by its
   place in its own series;
2. a paragraph that opens with an outline marker and a run-in heading and has
   no sub-items of its own — （五）加强就业服务。…body… — is one measure with
   its number, filed under its parent heading; a continuation paragraph
   without a marker belongs to it;
3. the same marker with sub-items under it is a section heading;
4. inside a numbered section without numbered items, each paragraph opening
   with a run-in task sentence is a lead measure without a number; asides,
   narrative and descriptive sentences are not;
5. unnumbered top-level run-in paragraphs of an essay are section headings.

Rules 2–4 need to know what ended up under a paragraph, so they are decided
here, on the tree, and not while paragraphs are read: ``settle_lead_block``
when a provisional lead block closes, ``select_measures`` once per essay.
"""

from __future__ import annotations

from . import Rule
from .headings import is_descriptive
from .text import is_single_sentence
from .tree import APPENDIX, LINE_HEADING_RANK, UNNUMBERED_RANK, OpenMeasure, OpenSection

# Families whose numbered paragraphs are headings or leaf measures by what they
# hold (GB/T 9704 levels 一、（一）1.（1） and circled items); 第一章/第一节 always head.
LEAF_FAMILIES = frozenset({"cn-dun", "cn-paren", "arabic", "arabic-paren", "circled"})
# A numbered heading line without a run-in body may still be a leaf item: alone,
# or over the one body paragraph it introduces (推荐形式 / its text).
MAX_LEAF_BODY_PARAGRAPHS = 2
# unnumbered part headings come in a series of at least two
MIN_PARTS = 2


def settle_lead_block(s: OpenSection) -> bool:
    """Rule 4: a provisional block under a numbered heading becomes a lead measure, or prose.

    A paragraph opening with a run-in heading inside a numbered section opened
    a provisional block. Without an enumeration under it, its sentence is a
    lead measure of the numbered section (kind ``lead``); a judgement or
    description (就业是民生之本。) is prose. Either way the block's paragraphs are
    that section's text again. Returns False when the block keeps its place
    (an enumeration followed it: it heads that enumeration).
    """
    parent = s.parent
    if not s.provisional or parent is None or any(m.kind in ("numbered", "item") for m in s.measures):
        return False
    parent.children.remove(s)
    if s.heading is None or not is_descriptive(s.heading):
        first = s.texts[0] if s.texts else ""
        if is_single_sentence(first):
            # a bold lead line with its body in the paragraphs below it
            first = "\n".join(s.texts)
        parent.measures.append(OpenMeasure(None, None, "lead", first, s.line, s.offset))
    parent.measures.extend(m for m in s.measures if m.kind == "dash")
    parent.measures.sort(key=lambda m: m.offset)
    parent.texts.extend(s.texts)
    if s.truncated:
        parent.truncated = True
    return True


def is_leaf_item(s: OpenSection) -> bool:
    """Rule 2: a numbered paragraph with no sub-items of its own is a measure, not a heading.

    No child sections (a box set on its own line, 专栏1 …, is not a sub-item),
    no enumerated or lead items (dash lists of achievements are not items). A
    heading line set alone (一、课题申报类别) that holds several plain
    paragraphs stays a heading over them.
    """
    if s.marker is None or s.family not in LEAF_FAMILIES:
        return False
    if any(c.rank != LINE_HEADING_RANK for c in s.children):
        return False
    if any(m.kind != "dash" for m in s.measures):
        return False
    return s.inline_body or len(s.texts) <= MAX_LEAF_BODY_PARAGRAPHS


def leaf_measure(s: OpenSection) -> OpenMeasure:
    """The measure a leaf paragraph becomes: its number, marker, and text after the marker."""
    marker = s.marker or ""
    first = s.texts[0]
    body = first[first.index(marker) + len(marker) :] if marker in first else first
    text = "\n".join([body.strip(), *s.texts[1:]])
    return OpenMeasure(s.n, s.marker, "item", text, s.line, s.offset, flags=list(s.flags), family=s.family)


def nest_under_parts(roots: list[OpenSection]) -> list[OpenSection]:
    """Unnumbered part headings over numbered sections: the report's 2026年重点工作 / （一）….

    Some reports set their parts as plain heading lines (“十四五”时期工作回顾,
    2026年重点工作) and number only the tasks under them. While paragraphs are
    read a heading line ranks below the outline (it is usually a subheading
    inside a numbered part), so （一） closed it and stood beside it; on the
    finished tree, a top-level heading line takes the top-level sections that
    follow it, up to the next heading line, as its own. Parts come in a series:
    one heading line alone at the top (an addressee, a caption) adopts nothing.
    """
    if sum(1 for s in roots if s.rank == LINE_HEADING_RANK and s.marker is None) < MIN_PARTS:
        return roots
    out: list[OpenSection] = []
    part: OpenSection | None = None
    for s in roots:
        if s.rank == LINE_HEADING_RANK and s.marker is None:
            part = s
            out.append(s)
        elif s.family == APPENDIX:
            part = None  # an appendix stands after the parts, not in the last of them
            out.append(s)
        elif part is not None:
            s.parent = part
            part.children.append(s)
        else:
            out.append(s)
    return out


def select_measures(roots: list[OpenSection]) -> list[OpenSection]:
    """Decide, on the finished outline tree, which numbered paragraphs are measures (rules 2–3).

    Run once per essay after every paragraph is placed, bottom-up, so that a
    paragraph's role follows from what ended up under it and not from the
    order paragraphs were read in. Leaves at the top level (no parent heading)
    are measures of a section without heading, as the definition files items
    that stand before any heading.
    """

    def visit(parent: OpenSection | None, children: list[OpenSection]) -> list[OpenSection]:
        for c in children:
            c.children = visit(c, c.children)
        leafish = [is_leaf_item(c) for c in children]
        bare = [leafish[i] and c.heading_line and not c.inline_body for i, c in enumerate(children)]
        for i, c in enumerate(children):
            if bare[i]:
                # a numbered heading line, alone or over one paragraph (（一）重点课题,
                # 一、总体要求 / its text), is a list item only among siblings of its
                # family that are mostly items too; among headings (二、重点任务 over
                # （一）（二）…) it is a heading of the same outline level
                family = [j for j in range(len(children)) if j != i and children[j].family == c.family]
                # at the top level heading lines are the document's parts
                leafish[i] = parent is not None and bool(family) and sum(leafish[j] for j in family) * 2 > len(family)
        kept: list[OpenSection] = []
        moved = False
        holder: OpenSection | None = None  # top-level leaves: a section without heading
        for c, leaf in zip(children, leafish, strict=True):
            if leaf:
                into = parent
                if into is None:
                    # 一、提高思想认识。… at the top of a notice: measures under no heading
                    if holder is None:
                        holder = OpenSection(None, None, None, UNNUMBERED_RANK, None, c.line, c.offset)
                        kept.append(holder)
                    into = holder
                into.measures.append(leaf_measure(c))
                into.measures.extend(m for m in c.measures if m.kind == "dash")
                if into is holder:
                    holder.texts.extend(c.texts)  # the section's text is theirs: it starts at the first
                kept.extend(c.children)  # boxes under the item stay, one level up
                moved = True
            else:
                holder = None
                kept.append(c)
        if parent is not None and moved:
            parent.measures.sort(key=lambda m: m.offset)
        if parent is not None and (
            any(c.marker is not None for c in kept) or any(m.kind in ("item", "numbered") for m in parent.measures)
        ):
            # rule 4 holds only in a section without numbered items: beside
            # （一）（二）… a run-in sentence (重点做好十一个方面工作。) introduces them
            parent.measures = [m for m in parent.measures if m.kind != "lead"]
        return kept

    return visit(None, nest_under_parts(roots))


def _leaf_example(text: str) -> bool:
    """Examples: a paragraph (or paragraphs, split by |) as a numbered section under a parent."""
    from ..markers import outline_marker
    from ..normalise import fold
    from .text import SENTENCE_END, first_sentence

    paras = text.split("|")
    om = outline_marker(fold(paras[0]))
    if om is None:
        return False
    rest = paras[0][om.end :]
    after = first_sentence(rest)[1] if SENTENCE_END.search(rest) else len(rest)
    s = OpenSection(rest[:after], om.text, om.family, 0, om.n, 1, 0, texts=paras)
    s.inline_body = bool(rest[after:].strip())
    for p in paras[1:]:
        if p.startswith("一是"):
            s.measures.append(OpenMeasure(1, "一是", "numbered", p[2:], 1, 0))
    return is_leaf_item(s)


RULES = (
    Rule(
        "leaf-paragraph",
        "selection",
        "Rule 2 of the definition: a numbered paragraph with a run-in heading and no sub-items is a "
        "measure with its number; with sub-items (here: a paragraph opening 一是) it is a heading. "
        "Paragraphs are separated by | in the examples.",
        _leaf_example,
        (
            "（五）加强就业服务。实施就业优先战略。",
            "（一）推荐形式|由各区汇总后上报。",
            "二、推进改革。深化国企改革。|加快民营经济发展。",
        ),
        (
            "（二）推动产业升级。|一是加快技术改造。",
            "第一章 总则|本办法适用于全省。",
            "一、过去一年工作回顾|第一段。|第二段。|第三段。",
        ),
    ),
    Rule(
        "descriptive-lead",
        "selection",
        "Rule 4: a paragraph opening with a judgement or description is not a lead measure.",
        is_descriptive,
        ("山东是驻军大省、兵员大省", "刚刚过去的2025年是新疆发展历程中具有重要里程碑意义的一年"),
        ("做强科技创新核心驱动", "加快建设现代化产业体系"),
    ),
)
