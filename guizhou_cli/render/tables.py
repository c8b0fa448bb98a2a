"""Terminal views of the catalogue: ``list``, ``show``, ``search``, ``stats``.

Everything user-written enters Rich as ``CJKText`` (built on ``safe_text``'s
rules: no markup, no emoji, control characters made visible). ``CJKText``
wraps the way Chinese typesetting expects: at any character, but never
starting a line with closing punctuation (，。、”）…) nor ending one with
opening punctuation (“（《), and without splitting Latin words or numbers
(``22ZDA064``, ``2.5%``, ``5G``). Rich alone wraps only at spaces, so a Chinese
sentence would be one unbreakable word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, JustifyMethod, OverflowMethod, RenderableType, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Column, Table
from rich.text import Text

from . import visible

if TYPE_CHECKING:
    from ..model import Document, Essay, Measure, Section
    from ..query import Found, Heading, Hit, Located, StatRow

# ------------------------------------------------------------ styles

ID = "cyan"
MARKER = "magenta"
HEADING = "bold"
LINE = "dim"
FLAG = "yellow"
DIM = "dim"
MATCH = "bold reverse"  # visible with and without colour

# ------------------------------------------------------------ CJK line breaking

# Characters a line must not start with (they close or follow) and must not end
# with (they open): the common subset of Chinese line-breaking rules.
NO_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}>～｝］｠")
NO_END = set("（《「『【〔〈“‘([{<｛［｟")
# Latin words, numbers and codes stay whole: 22ZDA064, 2.5%, 5G, FAST, [/].
_UNIT = re.compile(r"[!-~]+\s*|\s+|——|……|.", re.DOTALL)
MEASURE_CAP = 12  # a unit wider than this is not allowed to widen a column


def _units(text: str) -> list[tuple[int, int]]:
    """Unbreakable pieces of ``text`` as (start, end), with kinsoku applied:
    closing punctuation and spaces cling to what precedes them, opening
    punctuation to what follows."""
    raw = [(m.start(), m.end()) for m in _UNIT.finditer(text)]
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of pending opening punctuation
    for a, b in raw:
        piece = text[a:b]
        if carry is not None:
            a, carry = carry, None
        if out and (piece[0] in NO_START or piece.isspace()) and a == out[-1][1]:
            out[-1] = (out[-1][0], b)
        elif piece[-1] in NO_END and b < len(text):
            carry = a
        else:
            out.append((a, b))
    if carry is not None:
        out.append((carry, len(text)))
    return out


def break_offsets(text: str, width: int) -> list[int]:
    """Where to break one line of ``text`` so each part fits ``width`` cells."""
    width = max(width, 2)
    breaks: list[int] = []
    used = 0
    for a, b in _units(text):
        piece = text[a:b]
        w = cell_len(piece.rstrip())
        if used and used + w > width:
            breaks.append(a)
            used = 0
        if w > width:
            # a unit wider than the whole line: fold it by cells
            pos = a
            parts = chop_cells(piece, width)
            for part in parts[:-1]:
                pos += len(part)
                breaks.append(pos)
            used = cell_len(parts[-1])
        else:
            used += cell_len(piece)
    return [x for x in breaks if 0 < x < len(text)]


class CJKText(Text):
    """A ``Text`` that wraps Chinese at characters, with kinsoku rules."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        wrap_justify = justify or self.justify or "default"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            new_lines = line.divide(break_offsets(line.plain, width))
            for piece in new_lines:
                piece.rstrip_end(width)
            if wrap_justify:
                new_lines.justify(console, width, justify=wrap_justify, overflow="fold")
            for piece in new_lines:
                piece.truncate(width, overflow="fold")
            lines.extend(new_lines)
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.plain
        lines = plain.splitlines() or [""]
        widest = max(cell_len(x) for x in lines)
        unit = max((min(cell_len(plain[a:b].rstrip()), MEASURE_CAP) for a, b in _units(plain)), default=0)
        return Measurement(min(unit, widest), widest)

    def __rich__(self) -> _Block:
        # Console.print merges Text arguments into a plain Text, which would
        # lose this wrapping; a non-Text wrapper keeps it.
        return _Block(self)


class _Block:
    def __init__(self, text: CJKText) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return Text.__rich_console__(self.text, console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.text.__rich_measure__(console, options)


def cjk(text: str | None, style: str = "") -> CJKText:
    """User text for a terminal: literal (no markup or emoji), controls made visible."""
    return CJKText(visible(text or ""), style=style)


def _join(*parts: Text | str, sep: str = " ") -> CJKText:
    out = CJKText()
    first = True
    for p in parts:
        if not p:
            continue
        if not first:
            out.append(sep)
        out.append(p if isinstance(p, Text) else cjk(p))
        first = False
    return out


def highlight(text: CJKText, pattern: re.Pattern[str] | None) -> CJKText:
    if pattern is not None:
        for m in pattern.finditer(text.plain):
            if m.end() > m.start():
                text.stylize(MATCH, m.start(), m.end())
    return text


# ------------------------------------------------------------ shared pieces


def _rule(console: Console, title: CJKText, style: str) -> None:
    # Rich cuts a rule's title that does not fit with "…"; on a narrow
    # terminal print the title wrapped, then a plain rule.
    if cell_len(title.plain) + 6 <= console.width:
        console.print(Rule(title, align="left", style=style))
    else:
        console.print(title)
        console.print(Rule(style=style))


def essay_rule(console: Console, essay: Essay) -> None:
    title = _join(cjk(essay.id, ID), cjk(essay.title or "(untitled)", "bold"), cjk(" ".join(essay.authors), DIM), sep="  ")
    _rule(console, title, DIM)


def document_rule(console: Console, doc: Document) -> None:
    _rule(console, _join(cjk(doc.source, "bold"), cjk(doc.title or doc.banner or "", DIM), sep="  "), "bold")


def section_label(section: Section) -> CJKText:
    if section.heading:
        label = cjk(section.heading, HEADING)
    else:
        label = cjk("(section start lost)" if section.fragment else "(no heading)", "italic " + DIM)
    if section.truncated:
        label.append(" [truncated]", FLAG)
    for f in section.flags:
        label.append(f" [{visible(f)}]", FLAG)
    return label


def _flags_text(flags: Iterable[str]) -> str:
    return "".join(f" [{visible(f)}]" for f in flags)


def _measure_cell(m: Measure, *, full: bool, grep: re.Pattern[str] | None) -> CJKText:
    if full:
        body = cjk(m.text)
        if m.title and m.text.startswith(m.title):
            body.stylize("bold", 0, len(m.title))
        highlight(body, grep)
        if m.context:
            # the lead-in the items follow (重点抓好三个方面：) reads first
            body = _join(cjk(m.context, DIM), body, sep="\n")
    else:
        body = highlight(cjk(m.title), grep)
        if grep is not None and not grep.search(m.title):
            # the match is further in: show where, or the row would look like a miss
            hit = grep.search(m.text)
            if hit is not None:
                body.append("\n")
                body.append(_around(m.text, hit.start(), hit.end(), grep))
    if m.flags:
        body.append(_flags_text(m.flags), FLAG)
    return body


def _around(text: str, a: int, b: int, grep: re.Pattern[str] | None, width: int = 40) -> CJKText:
    start = max(0, a - width // 3)
    end = min(len(text), max(b, start + width))
    piece = text[start:end].replace("\n", " ")
    out = cjk(("…" if start else "") + piece + ("…" if end < len(text) else ""), DIM)
    return highlight(out, grep)


def _measures_table(id_w: int, marker_w: int, line_w: int, *, compact: bool) -> Table:
    columns = [Column("id", style=ID, no_wrap=True, min_width=id_w)]
    if not compact:
        columns.append(Column("marker", style=MARKER, overflow="fold", min_width=marker_w))
    columns += [
        Column("measure", overflow="fold", ratio=1),
        Column("line", style=LINE, justify="right", no_wrap=True, min_width=line_w),
    ]
    return Table(
        *columns,
        box=box.SIMPLE_HEAD,
        expand=True,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
    )


# ------------------------------------------------------------ list

MIN_TEXT_CELLS = 24  # below this the marker moves into the measure column


def render_list(
    console: Console,
    items: Sequence[Located],
    *,
    full: bool = False,
    grep: re.Pattern[str] | None = None,
    labels: Sequence[str] | None = None,
) -> None:
    """Measures grouped under essay rules and section rows, one table per essay.

    All the tables share their column widths, so the essays line up. With
    measures of several documents, ids carry the document's label
    (``gwr-2026-jiangsu:e1.s3.m2``, as ``show`` takes them) from ``labels``
    (one per document of the catalogue).
    """
    if not items:
        return
    multi = len({it.doc_index for it in items}) > 1

    def q(it: Located, ident: str) -> str:
        if multi and labels is not None:
            return f"{labels[it.doc_index]}:{ident}"
        return ident

    id_w = max(max(len(q(it, it.measure.id)), len(q(it, it.section.id))) for it in items)
    marker_w = max(max(cell_len(it.measure.marker or ""), cell_len(it.section.marker or "")) for it in items)
    marker_w = max(marker_w, len("marker"))
    line_w = max(len("line"), *(len(str(max(it.measure.line, it.section.line))) for it in items))
    compact = console.width - (id_w + marker_w + line_w + 6) < MIN_TEXT_CELLS
    doc_i: int | None = None
    essay: Essay | None = None
    section: Section | None = None
    table: Table | None = None
    essays: set[tuple[int, str]] = set()
    sections: set[tuple[int, str]] = set()

    chains: dict[int, tuple[Section, ...]] = {}
    shown: set[int] = set()

    def row(ident: str, marker: str | None, body: CJKText, line: int, depth: int) -> None:
        assert table is not None
        cell: RenderableType = _join(cjk(marker, MARKER), body) if compact else body
        if depth:
            # nested outline levels (一、 > （一） > 1.) indent under their parent
            cell = Padding(cell, (0, 0, 0, 2 * depth))
        if compact:
            table.add_row(cjk(ident, ID), cell, cjk(str(line), LINE))
        else:
            table.add_row(cjk(ident, ID), cjk(marker, MARKER), cell, cjk(str(line), LINE))

    for it in items:
        if it.doc_index != doc_i:
            doc_i = it.doc_index
            essay = None
            if multi:
                if table is not None:
                    console.print(table)
                    console.print()
                table = None
                document_rule(console, it.doc)
        if it.essay is not essay:
            if table is not None:
                console.print(table)
                console.print()
            essay, section = it.essay, None
            essays.add((it.doc_index, essay.id))
            chains = _ancestors(essay)
            shown = set()
            essay_rule(console, essay)
            table = _measures_table(id_w, marker_w, line_w, compact=compact)
        assert table is not None
        chain = chains.get(id(it.section), ())
        if it.section is not section:
            if section is not None:
                table.add_section()
            # parents without measures of their own still head their children
            for depth, parent in enumerate(chain):
                if id(parent) not in shown:
                    shown.add(id(parent))
                    row(q(it, parent.id), parent.marker, section_label(parent), parent.line, depth)
            section = it.section
            shown.add(id(section))
            sections.add((it.doc_index, section.id))
            row(q(it, section.id), section.marker, section_label(section), section.line, len(chain))
        m = it.measure
        row(q(it, m.id), m.marker, _measure_cell(m, full=full, grep=grep), m.line, len(chain))
    if table is not None:
        console.print(table)
    console.print(
        cjk(f"{_n(len(items), 'measure')} in {_n(len(sections), 'section')} of {_n(len(essays), 'essay')}", DIM),
    )


def _ancestors(essay: Essay) -> dict[int, tuple[Section, ...]]:
    """For each section of an essay (by object id), the sections above it, outermost first."""
    out: dict[int, tuple[Section, ...]] = {}

    def walk(s: Section, above: tuple[Section, ...]) -> None:
        out[id(s)] = above
        for c in s.sections:
            walk(c, (*above, s))

    for s in essay.sections:
        walk(s, ())
    return out


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


# ------------------------------------------------------------ search


def _highlighted(text: str, spans: Sequence[tuple[int, int]]) -> CJKText:
    """``text`` with ``spans`` in the match style, each piece made visible on its own
    (a control shown as ``<U+202E>`` is longer than itself: spans must not shift)."""
    out = CJKText()
    pos = 0
    for a, b in spans:
        if a > pos:
            out.append(cjk(text[pos:a]))
        out.append(cjk(text[a:b], MATCH))
        pos = b
    if pos < len(text):
        out.append(cjk(text[pos:]))
    return out


KIND_LABEL = {"measure": "", "section": "section", "lead": "lead"}


def render_search(console: Console, hits: Sequence[Hit], labels: Sequence[str] | None = None) -> None:
    """Hits best first: measures, sections (heading and text) and essay leads, each saying which it is."""
    if not hits:
        return
    table = Table(
        Column("#", justify="right", style=DIM, no_wrap=True),
        Column("id", style=ID, no_wrap=True),
        Column("match", overflow="fold", ratio=1),
        Column("line", style=LINE, justify="right", no_wrap=True),
        Column("score", style=DIM, justify="right", no_wrap=True),
        box=box.SIMPLE_HEAD,
        expand=True,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
    )
    multi = len({h.item.doc_index for h in hits}) > 1
    for h in hits:
        t = h.item
        if t.kind == "measure" and t.measure is not None:
            m = t.measure
            cell = _join(cjk(m.marker, MARKER), cjk(m.title, "bold"))
            if m.flags:
                cell.append(_flags_text(m.flags), FLAG)
        elif t.kind == "section" and t.section is not None:
            cell = _join(cjk("section", FLAG), cjk(t.section.marker, MARKER), section_label(t.section))
        else:
            cell = _join(cjk("lead", FLAG), cjk(t.essay.title or "(untitled)", "bold"))
        cell.append("\n")
        cell.append(_highlighted(h.snippet, h.spans))
        if t.kind == "measure":
            where = _join(cjk(t.essay.title, DIM), cjk(t.section.heading if t.section else None, DIM), sep=" › ")
        elif t.kind == "section":
            where = _join(cjk(t.essay.title, DIM))
        else:
            where = _join(cjk(" ".join(t.essay.authors), DIM))
        if multi:
            where = _join(cjk(t.doc.source, DIM), where, sep=" › ")
        if where.plain:
            cell.append("\n")
            cell.append(where)
        ident = f"{labels[t.doc_index] if labels else t.doc_index + 1}:{t.id}" if multi else t.id
        table.add_row(cjk(str(h.rank)), cjk(ident, ID), cell, cjk(str(t.line), LINE), cjk(f"{h.score:.2f}"))
        table.add_section()
    console.print(table)


# ------------------------------------------------------------ extract's summary


def render_summary(console: Console, docs: Sequence[dict[str, object]], *, to_file: bool = False) -> None:
    """``guizhou extract`` on a terminal: what was found, and how to get the catalogue itself."""
    table = Table(
        Column("id", style=ID, no_wrap=True),
        Column("essay", overflow="fold", ratio=1),
        Column("sections", justify="right", no_wrap=True),
        Column("measures", justify="right", no_wrap=True),
        box=box.SIMPLE_HEAD,
        expand=True,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
    )
    n_e = n_s = n_m = 0
    for d in docs:
        essays = d["essays"]
        assert isinstance(essays, list)
        if len(docs) > 1:
            table.add_row(cjk(""), _join(cjk(str(d["source"]), "bold"), cjk(str(d["title"] or ""), DIM), sep="  "), "", "")
        for e in essays:
            label = _join(cjk(e["title"] or "(untitled)", "bold"), cjk(" ".join(e["authors"]), DIM), sep="  ")
            table.add_row(cjk(e["id"]), label, cjk(str(e["sections"])), cjk(str(e["measures"])))
            n_e, n_s, n_m = n_e + 1, n_s + e["sections"], n_m + e["measures"]
        if len(docs) > 1:
            table.add_section()
    if len(docs) == 1:
        console.print(_join(cjk(str(docs[0]["source"]), "bold"), cjk(str(docs[0]["title"] or ""), DIM), sep="  "))
    console.print(table)
    console.print(cjk(f"{_n(len(docs), 'document')}, {_n(n_e, 'essay')}, {_n(n_s, 'section')}, {_n(n_m, 'measure')}", DIM))
    if not to_file:
        console.print(
            cjk(
                "The catalogue itself: guizhou extract -o catalogue.yaml (or pipe it: guizhou extract | less). "
                "Browse it: guizhou list, guizhou search WORD.",
                DIM,
            )
        )


# ------------------------------------------------------------ list --sections


def render_headings(console: Console, rows: Sequence[Heading], labels: Sequence[str] | None = None) -> None:
    """``list --sections``: the outline, indented by depth, with measure counts."""
    if not rows:
        return
    multi = len({h.doc_index for h in rows}) > 1
    table: Table | None = None
    key: tuple[int, int] | None = None
    for h in rows:
        if key != (h.doc_index, id(h.essay)):
            if table is not None:
                console.print(table)
                console.print()
            if multi and (key is None or key[0] != h.doc_index):
                document_rule(console, h.doc)
            key = (h.doc_index, id(h.essay))
            essay_rule(console, h.essay)
            table = Table(
                Column("id", style=ID, no_wrap=True),
                Column("heading", overflow="fold", ratio=1),
                Column("measures", justify="right", no_wrap=True),
                Column("line", style=LINE, justify="right", no_wrap=True),
                box=box.SIMPLE_HEAD,
                expand=True,
                header_style="bold",
                show_edge=False,
                pad_edge=False,
            )
        assert table is not None
        s = h.section
        ident = f"{labels[h.doc_index]}:{s.id}" if multi and labels else s.id
        label: RenderableType = _join(cjk(s.marker, MARKER), section_label(s))
        if h.depth > 1:
            label = Padding(label, (0, 0, 0, 2 * (h.depth - 1)))
        count = str(h.measures) if h.total == h.measures else f"{h.measures} ({h.total})"
        table.add_row(cjk(ident, ID), label, cjk(count), cjk(str(s.line), LINE))
    if table is not None:
        console.print(table)
    essays = len({(h.doc_index, id(h.essay)) for h in rows})
    measures = sum(h.measures for h in rows)
    console.print(cjk(f"{_n(len(rows), 'section')} of {_n(essays, 'essay')}, {_n(measures, 'measure')} in them", DIM))


# ------------------------------------------------------------ stats


STATS_SHARE_MIN_WIDTH = 90  # narrower: the "in measures" column gives way to the titles


def render_stats(console: Console, rows: Sequence[StatRow]) -> None:
    """Counts per essay and section; sections indented by outline depth, a total as footer."""
    share_col = console.width >= STATS_SHARE_MIN_WIDTH
    # paragraphs the extractor could not place: a column only when there are some
    lost_col = any(r.unplaced for r in rows)
    columns = [
        Column("id", style=ID, no_wrap=True),
        Column("essay / section", overflow="fold", ratio=1),
        Column("sections", justify="right", no_wrap=True),
        Column("measures", justify="right", no_wrap=True),
        Column("chars", justify="right", no_wrap=True),
    ]
    if share_col:
        columns.append(Column("in measures", justify="right", no_wrap=True))
    if lost_col:
        columns.append(Column("unplaced", justify="right", no_wrap=True))
    table = Table(
        *columns,
        box=box.SIMPLE_HEAD,
        expand=True,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
        show_footer=True,
    )
    first = True
    for r in rows:
        nums: list[RenderableType] = [cjk(str(r.sections)), cjk(str(r.measures)), cjk(str(r.chars))]
        if share_col:
            nums.append(cjk(f"{100 * r.measure_chars / r.chars:.0f}%" if r.chars else "–", DIM))
        if lost_col:
            nums.append(cjk(str(r.unplaced) if r.level != "section" else ""))
        if r.level == "total":
            for col, value in zip(table.columns, [cjk(""), cjk("total", "bold"), *nums], strict=True):
                col.footer = value
            continue
        if r.level in ("document", "essay") and not first:
            table.add_section()
        first = False
        if r.level == "document":
            table.add_row(cjk(""), cjk(r.source, "bold underline"), *nums, style="bold")
        elif r.level == "essay":
            table.add_row(cjk(r.id, ID), cjk(r.title or "(untitled)", "bold"), *nums, style="bold")
        else:
            label = cjk(r.title) if r.title else cjk("(section start lost)", "italic " + DIM)
            table.add_row(cjk(r.id, ID), Padding(label, (0, 0, 0, 2 * r.depth)), *nums)
    console.print(table)


# ------------------------------------------------------------ show


def _kv(rows: Iterable[tuple[str, Text | str | None]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=DIM, no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    for k, v in rows:
        if v:
            grid.add_row(k, v if isinstance(v, Text) else cjk(v))
    return grid


def render_show(console: Console, f: Found) -> None:
    """One essay, section or measure in full, with provenance and flags."""
    essay = f.essay
    lines = f"line {f.lines[0]}" if f.lines[0] == f.lines[1] else f"lines {f.lines[0]}–{f.lines[1]}"
    item = f.measure if f.measure is not None else (f.section if f.kind == "section" else None)
    if item is not None and item.page is not None:
        lines = f"page {item.page}, {lines}"  # paged sources (PDF) cite by page
    header: list[tuple[str, Text | str | None]] = []
    if f.kind == "measure" and f.measure is not None:
        m = f.measure
        title = _join(cjk(m.id, ID), cjk(m.marker, MARKER), cjk(m.title, "bold"))
    elif f.kind == "section" and f.section is not None:
        s = f.section
        title = _join(cjk(s.id, ID), cjk(s.marker, MARKER), section_label(s))
    else:
        title = _join(cjk(essay.id, ID), cjk(essay.title or "(untitled)", "bold"))
    console.print(title)
    if f.kind != "essay":
        header.append(("essay", _join(cjk(essay.id, ID), cjk(essay.title), cjk(" ".join(essay.authors), DIM), sep="  ")))
    for s in f.sections[:-1] if f.kind == "section" else f.sections:
        header.append(("section", _join(cjk(s.id, ID), cjk(s.marker, MARKER), section_label(s), sep="  ")))
    if f.kind == "essay":
        header += [
            ("authors", " ".join(essay.authors)),
            ("affiliation", essay.affiliation),
            ("note", essay.note),
        ]
    header.append(("source", _join(cjk(f.doc.source), cjk(lines, DIM), sep=", ")))
    if f.measure is not None and f.measure.context:
        header.append(("context", f.measure.context))
    header.append(("flags", cjk(", ".join(f.flags), FLAG) if f.flags else cjk("none", DIM)))
    if f.repairs:
        rep = CJKText()
        for i, r in enumerate(f.repairs):
            if i:
                rep.append("\n")
            rep.append(cjk(r.kind, FLAG))
            rep.append(cjk(f" (line{'s' if len(r.lines) > 1 else ''} {', '.join(map(str, r.lines))}) ", DIM))
            rep.append(cjk(r.detail))
        header.append(("repairs", rep))
    else:
        header.append(("repairs", cjk("none", DIM)))
    console.print(_kv(header))
    console.print()
    if f.kind == "measure" and f.measure is not None:
        body = cjk(f.measure.text)
        if f.measure.title and f.measure.text.startswith(f.measure.title):
            body.stylize("bold", 0, len(f.measure.title))
        console.print(body)
    elif f.kind == "section" and f.section is not None:
        _show_section_body(console, f.section)
    else:
        _show_essay_body(console, essay)


def _measure_list(measures: Sequence[Measure]) -> Table:
    t = Table.grid(padding=(0, 1))
    t.add_column(style=ID, no_wrap=True)
    t.add_column(style=MARKER, no_wrap=True)
    t.add_column(overflow="fold", ratio=1)
    for m in measures:
        t.add_row(cjk(m.id, ID), cjk(m.marker, MARKER), cjk(m.title + _flags_text(m.flags)))
    return t


def _show_section_body(console: Console, s: Section) -> None:
    console.print(cjk(s.text))
    if s.measures:
        console.print()
        console.print(cjk(f"{_n(len(s.measures), 'measure')}:", "bold"))
        console.print(_measure_list(s.measures))
    for c in s.sections:
        console.print()
        console.print(_join(cjk(c.id, ID), cjk(c.marker, MARKER), section_label(c)))
        console.print(cjk(f"{_n(len(c.measures), 'measure')}, {_n(len(c.sections), 'subsection')}", DIM))


def _show_essay_body(console: Console, e: Essay) -> None:
    if e.lead:
        console.print(cjk(e.lead))
        console.print()
    from ..model import iter_sections

    for s in iter_sections(e.sections):
        depth = s.id.count(".s")
        head = _join(cjk("  " * (depth - 1)) if depth > 1 else "", cjk(s.id, ID), cjk(s.marker, MARKER), section_label(s))
        head.append(cjk(f"  line {s.line}", LINE))
        parts: list[Text | Table] = [head]
        if s.measures:
            parts.append(_measure_list(s.measures))
        console.print(Group(*parts))
    if e.closing:
        console.print()
        console.print(cjk(e.closing, DIM))
    if e.unplaced:
        console.print()
        console.print(cjk("not placed in any section:", FLAG))
        for u in e.unplaced:
            console.print(cjk(u))
