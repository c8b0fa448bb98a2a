"""Terminal views of ``guizhou keywords``: top terms per essay, and a comparison.

User text (titles, terms, file names) enters Rich only through ``safe_text``:
no markup, no emoji, control characters made visible. Columns holding
Chinese fold rather than cut with ``…``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.table import Column, Table

from . import safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..keywords import TermChange, TermGroup

ID = "cyan"
DIM = "dim"
ROSE = "green"
FELL = "red"


def _table(*columns: Column, caption: str | None = None) -> Table:
    return Table(
        *columns,
        box=box.SIMPLE_HEAD,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
        caption=caption,
        caption_justify="left",
        caption_style=DIM,
    )


def render_terms(console: Console, groups: Sequence[TermGroup]) -> None:
    """One block per essay (or document): its title, then rank, term, weight, count."""
    table = _table(
        Column("#", justify="right", no_wrap=True),
        Column("term", overflow="fold"),
        Column("weight", justify="right", no_wrap=True),
        Column("count", justify="right", no_wrap=True),
    )
    sources = {g.source for g in groups}
    for i, g in enumerate(groups):
        if i:
            table.add_section()
        head = safe_text(g.essay or "", ID)
        title = safe_text(g.title or "(untitled)", "bold")
        if g.essay is None or len(sources) > 1:
            title.append_text(safe_text(f"  {g.source}", DIM))
        table.add_row(head, title, "", "")
        if not g.terms:
            table.add_row("", safe_text("(no terms)", "italic " + DIM), "", "")
        for rank, t in enumerate(g.terms, 1):
            table.add_row(safe_text(str(rank), DIM), safe_text(t.term), f"{t.weight:.3f}", str(t.count))
    console.print(table)


def render_changes(console: Console, changes: Sequence[TermChange], a: str, b: str) -> None:
    """Terms that rose, then terms that fell, from A to B."""
    table = _table(
        Column("", no_wrap=True),
        Column("term", overflow="fold"),
        Column("count A", justify="right", no_wrap=True),
        Column("count B", justify="right", no_wrap=True),
        Column("weight A", justify="right", no_wrap=True),
        Column("weight B", justify="right", no_wrap=True),
        Column("change", justify="right", no_wrap=True),
    )
    rose = [c for c in changes if c.change > 0]
    fell = [c for c in changes if c.change < 0]
    for rows, style in ((rose, ROSE), (fell, FELL)):
        if rows is fell and rose and fell:
            table.add_section()
        for c in rows:
            table.add_row(
                safe_text(c.trend, style),
                safe_text(c.term),
                str(c.count_a),
                str(c.count_b),
                f"{c.weight_a:.3f}",
                f"{c.weight_b:.3f}",
                safe_text(f"{c.change:+.3f}", style),
            )
    caption = safe_text("A = ", DIM)
    caption.append_text(safe_text(a, DIM))
    caption.append_text(safe_text("\nB = ", DIM))
    caption.append_text(safe_text(b, DIM))
    table.caption = caption
    console.print(table)
