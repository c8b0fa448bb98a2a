"""Terminal view of a history: one line per measure (first version, the
versions it appears in, how often reworded, its latest title), then the
figures that changed along it; with --term, the term's first appearance."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from ..diff import Change, Ref, inline_diff
from ..history import History, Lineage, figure_changes, span
from . import visible
from .diff import _body as change_body
from .diff import _print_indented
from .tables import CJKText

DIM = "dim"
FIRST = "bold cyan"
TITLE_CHARS = 40


def render_history(h: History, shown: Sequence[Lineage], console: Console, *, wrap: bool = True) -> None:
    order = [lab for lab, _s, _n in h.versions]
    head = CJKText()
    head.append(f"{len(order)} versions", "bold")
    if order:
        head.append(f" ({visible(order[0])}–{visible(order[-1])})")
    head.append(f", {sum(n for _l, _s, n in h.versions)} measures in {len(h.lineages)} lineages", DIM)
    console.print(head, soft_wrap=not wrap)
    if h.term is not None:
        console.print(_term(h, len(order)), soft_wrap=not wrap)
        for v, heading in h.term.sections:
            line = CJKText("  heading ", style=DIM)
            line.append(f"{visible(v)}: ", FIRST)
            line.append(visible(heading))
            console.print(line, soft_wrap=not wrap)
    for lin in shown:
        console.print(_row(lin, order), soft_wrap=not wrap)
        for f in figure_changes(lin):
            console.print(Text("      " + visible(f), style=DIM), soft_wrap=not wrap)
    if len(shown) < (len(h.term.lineages) if h.term else len(h.lineages)):
        console.print(Text(f"({len(shown)} shown)", style=DIM), soft_wrap=True)


def _term(h: History, n: int) -> Text:
    t = h.term
    assert t is not None
    out = CJKText()
    out.append(visible(t.term), "bold")
    if t.first is None:
        out.append(" appears in none of the versions")
        return out
    out.append(" first appears in ")
    out.append(visible(t.first), FIRST)
    out.append(f"; in {len(t.versions)} of {n} versions: {', '.join(map(visible, t.versions))}")
    out.append(f"; carried by {len(t.lineages)} measure(s)", DIM)
    return out


def _row(lin: Lineage, order: Sequence[str]) -> Text:
    t = CJKText()
    t.append(f"{lin.id:<6}", "cyan")
    t.append(f"{visible(lin.first):<6}", FIRST)
    t.append(" ")
    t.append(f"[{visible(span(lin, order))}]", DIM)
    t.append(f"  {len(lin.steps)}×")
    if lin.reworded:
        t.append(f", reworded {lin.reworded}×", "yellow")
    t.append("  ")
    title = lin.title
    t.append(visible(title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "…"))
    return t


def render_lineage(h: History, lin: Lineage, console: Console, *, wrap: bool = True) -> None:
    """One lineage step by step: where the measure stood in each version, and
    its text — whole the first time, then what changed (inline, or old and
    new whole when rewritten), with the figures that moved."""
    plain = console.color_system is None
    order = [lab for lab, _s, _n in h.versions]
    head = CJKText()
    head.append(lin.id, "bold cyan")
    head.append(f"  {visible(lin.title)}  ")
    head.append(f"[{visible(span(lin, order))}]", DIM)
    console.print(head, soft_wrap=not wrap)
    prev = None
    for st in lin.steps:
        line = CJKText()
        line.append(f"{visible(st.version):<6}", FIRST)
        line.append(f" {st.change:<10}", "bold")
        line.append(f" {visible(st.id)}")
        if st.marker:
            line.append(" " + visible(st.marker))
        where = f"《{visible(st.essay)}》" if st.essay else "(untitled essay)"
        if st.section:
            where += f" › {visible(st.section)}"
        line.append(f"  {where}", DIM)
        if st.similarity is not None and st.similarity < 1.0:
            line.append(f"  {st.similarity:.0%} alike", DIM)
        if st.origin:
            line.append(f"  split from {st.origin}", DIM)
        console.print(line, soft_wrap=not wrap)
        if prev is None or st.text != prev.text:
            if prev is None:
                body = CJKText(visible(st.text))
            else:
                ref_old = Ref(prev.id, prev.source, prev.essay, prev.section, prev.n, prev.marker, None, prev.text)
                ref_new = Ref(st.id, st.source, st.essay, st.section, st.n, st.marker, None, st.text)
                change = Change("modified", (ref_old,), (ref_new,), st.similarity, st.numbers, inline_diff(prev.text, st.text))
                body = change_body(change, plain) or CJKText()
            _print_indented(console, body, wrap)
        prev = st
