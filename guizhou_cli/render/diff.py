"""Terminal view of a diff: per essay and section, removed in red, added in
green, rewordings with inline highlights, moves and renumbers noted.

Without colour (a pipe, ``NO_COLOR``, ``--color never``) deletions and
insertions are also bracketed, wdiff style (``[-体系-]{+机制+}``), so nothing
depends on a colour the reader cannot see. Long unchanged stretches inside a
rewording are shortened to their ends, with an ellipsis.

On a terminal text is wrapped to its width; elsewhere (a file, a pipe) each
change's text stays on one line, so ``grep`` finds a phrase whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from ..diff import KINDS, Change, Diff, Ref, Segment, diff_stat
from . import visible
from .tables import CJKText, cjk

ADDED = "green"
REMOVED = "red"
CHANGED = "yellow"
MOVED = "cyan"
DIM = "dim"
ID = "cyan"
DELETED_TEXT = "red strike"
INSERTED_TEXT = "green underline"
CONTEXT = 30  # characters of unchanged text kept on each side of an edit
REWRITTEN = 0.4  # below this similarity the old and new texts are shown whole, one after the other
INDENT = 4

_SIGN = {
    "added": ("+", ADDED),
    "removed": ("-", REMOVED),
    "modified": ("~", CHANGED),
    "moved": ("→", MOVED),
    "renumbered": ("#", DIM),
    "split": ("<", CHANGED),
    "merged": (">", CHANGED),
    "essay-added": ("+", ADDED),
    "essay-removed": ("-", REMOVED),
    "essay-retitled": ("~", CHANGED),
    "section-added": ("+", ADDED),
    "section-removed": ("-", REMOVED),
    "section-renamed": ("~", CHANGED),
    "section-modified": ("~", CHANGED),
    "measure-to-section": ("^", CHANGED),
    "section-to-measure": ("v", CHANGED),
}


def render_diff(d: Diff, console: Console, *, wrap: bool = True) -> None:
    """The diff for people. ``wrap``: fit text to the console's width (a
    terminal); without it every line is printed whole."""
    plain = console.color_system is None
    console.print(_header(d), soft_wrap=not wrap)
    where: tuple[str | None, str | None] | None = None
    source = d.new_source  # named in the header already
    for c in d.changes:
        if c.place[0] != source:
            source = c.place[0]
            _rule(console, cjk(source, "bold"), "bold", wrap)
            where = None
        here = c.place[1:]
        if here != where:
            where = here
            _rule(console, _location(here), DIM, wrap)
        console.print(_headline(c), soft_wrap=not wrap)
        body = _body(c, plain)
        if body is not None:
            _print_indented(console, body, wrap)
    console.print(_summary(d), soft_wrap=not wrap)


def render_stat(d: Diff, console: Console, *, wrap: bool = True) -> None:
    """One line per section, like ``git diff --stat``: the place, the number of
    changes, a bar of + (added), - (removed) and ~ (changed), then the totals."""
    rows = diff_stat(d)
    if not rows:
        console.print(_summary(d), soft_wrap=not wrap)
        return
    # one document on the new side: its name is in the header already
    single = len({r.place[0] for r in rows}) == 1
    names = [_stat_place(r.place, rows[0].place[0] if single else d.new_source) for r in rows]
    width = max(cjk(n).cell_len for n in names)
    if wrap:
        width = min(width, max(20, console.width - 30))
    most = max(r.total for r in rows)
    bar_max = 40
    for name, r in zip(names, rows, strict=True):
        t = cjk(name)
        if wrap and t.cell_len > width:
            t.truncate(width, overflow="ellipsis")
        t.pad_right(width - t.cell_len)
        t.append(f" | {r.total:>{len(str(most))}} ")
        by = dict(r.counts)
        plus = by.get("added", 0) + by.get("essay-added", 0) + by.get("section-added", 0)
        minus = by.get("removed", 0) + by.get("essay-removed", 0) + by.get("section-removed", 0)
        tilde = r.total - plus - minus
        scale = min(1.0, bar_max / most)
        for n, ch, style in ((plus, "+", ADDED), (minus, "-", REMOVED), (tilde, "~", CHANGED)):
            k = max(1, round(n * scale)) if n else 0
            t.append(ch * k, style)
        console.print(t, soft_wrap=True)
    console.print(_summary(d), soft_wrap=not wrap)


def _stat_place(place: tuple[str, str | None, str | None], default_source: str) -> str:
    essay = f"《{visible(place[1])}》" if place[1] else "(untitled essay)"
    where = essay + (f" › {visible(place[2])}" if place[2] else "")
    return where if place[0] == default_source else f"{visible(place[0])}: {where}"


def _rule(console: Console, title: Text, style: str, wrap: bool) -> None:
    if wrap:
        console.print(Rule(title, align="left", style=style))
    else:  # a rule as wide as the title, not as a terminal that is not there
        t = Text("── ", style=style)
        t.append_text(title)
        t.append(" ──", style=style)
        console.print(t, soft_wrap=True)


def _print_indented(console: Console, body: Text, wrap: bool = True) -> None:
    # Wrapped here rather than through Padding, which pads every line to the
    # block's width: trailing spaces would end up in a piped copy.
    pad = Text(" " * INDENT)
    lines = body.wrap(console, max(console.width - INDENT, 20)) if wrap else body.split("\n")
    for line in lines:
        line.rstrip()
        console.print(Text.assemble(pad, line), soft_wrap=True)


def _header(d: Diff) -> Text:
    t = CJKText()
    t.append("--- ", REMOVED)
    t.append(visible(d.old_source), "bold")
    t.append("\n+++ ", ADDED)
    t.append(visible(d.new_source), "bold")
    return t


def _location(where: tuple[str | None, str | None]) -> Text:
    essay, section = where
    title = cjk(_essay_name(essay), "bold")
    if section:
        title.append(" › ")
        title.append(visible(section), "bold")
    return title


def _essay_name(title: str | None) -> str:
    return f"《{visible(title)}》" if title else "(untitled essay)"


def _label(ref: Ref) -> Text:
    t = CJKText()
    t.append(visible(ref.id), ID)
    if ref.marker:
        t.append(" " + visible(ref.marker))
    elif ref.n is not None:
        t.append(f" #{ref.n}")
    return t


def _headline(c: Change) -> Text:
    sign, style = _SIGN[c.kind]
    t = CJKText()
    t.append(f"{sign} {c.kind}", style + " bold")
    t.append("  ")
    k = c.kind
    if k in ("essay-added", "essay-removed", "essay-retitled"):
        if c.old:
            t.append(_essay_name(c.old[0].essay), REMOVED)
        if c.old and c.new:
            t.append(" → ")
        if c.new:
            t.append(_essay_name(c.new[0].essay), ADDED)
    elif k.startswith("section-") and k != "section-to-measure":
        if c.old and (k != "section-modified"):
            t.append(visible(c.old[0].section or "(no heading)"), REMOVED)
        if c.old and c.new and k == "section-renamed":
            t.append(" → ")
        if c.new and k != "section-removed":
            t.append(visible(c.new[0].section or "(no heading)"), ADDED if k != "section-modified" else "")
    else:
        olds, news = _refs(c.old), _refs(c.new)
        if olds.plain == news.plain:
            t.append_text(news)
        else:
            t.append_text(olds)
            if c.old and c.new:
                t.append(" → ")
            t.append_text(news)
    if c.similarity is not None and k not in ("renumbered",):
        t.append(f"  {c.similarity:.0%} alike", DIM)
    lines = sorted({r.line for r in (*c.old, *c.new) if r.line is not None})
    if c.kind == "moved" and c.old:
        o = c.old[0]
        t.append("  from ", DIM)
        t.append(f"{_essay_name(o.essay)} › {visible(o.section or '(no heading)')}", DIM)
    if lines:
        t.append("  line " + ", ".join(str(x) for x in lines), DIM)
    return t


def _refs(refs: Sequence[Ref]) -> Text:
    t = CJKText()
    for k, r in enumerate(refs):
        if k:
            t.append(" + ")
        t.append_text(_label(r))
    return t


def _body(c: Change, plain: bool) -> CJKText | None:
    k = c.kind
    if k in ("added", "removed"):
        ref = (c.new or c.old)[0]
        return cjk(ref.text, ADDED if k == "added" else REMOVED)
    if k in ("section-added", "section-removed"):
        ref = (c.new or c.old)[0]
        return cjk(ref.text, ADDED if k == "section-added" else REMOVED) if ref.text else None
    if k in ("modified", "moved", "section-modified"):
        if not c.inline:
            return cjk(_title(c.new[0].text)) if c.new else None
        if c.similarity is not None and c.similarity < REWRITTEN and c.old and c.new:
            # rewritten more than kept: an inline highlight would be confetti
            t = _inline((Segment("-", c.old[0].text or ""),), plain)
            t.append("\n")
            t.append_text(_inline((Segment("+", c.new[0].text or ""),), plain))
            return _with_numbers(t, c)
        t = _inline(c.inline, plain)
        return _with_numbers(t, c)
    if k == "renumbered":
        return cjk(_title(c.new[0].text), DIM)
    if k in ("split", "merged"):
        t = CJKText()
        for sign, refs, style in (("-", c.old, REMOVED), ("+", c.new, ADDED)):
            for r in refs:
                if t.plain:
                    t.append("\n")
                t.append(f"{sign} ", style)
                t.append_text(_label(r))
                t.append(" ")
                t.append(visible(r.text or ""), style)
        return _with_numbers(t, c)
    return None


def _title(text: str | None, width: int = 60) -> str:
    """The opening of a text, for lines that only need to say which measure."""
    s = text or ""
    for stop in "。；;":
        at = s.find(stop)
        if 0 < at < width:
            return s[: at + 1]
    return s if len(s) <= width else s[:width] + "…"


def _inline(segments: Sequence[Segment], plain: bool) -> CJKText:
    t = CJKText()
    last = len(segments) - 1
    for k, seg in enumerate(segments):
        text = visible(seg.text)
        if seg.op == "=":
            t.append(_shorten(text, head=k > 0, tail=k < last))
        elif seg.op == "-":
            t.append("[-" + text + "-]" if plain else text, DELETED_TEXT)
        else:
            t.append("{+" + text + "+}" if plain else text, INSERTED_TEXT)
    return t


def _shorten(text: str, *, head: bool, tail: bool) -> str:
    """Keep the unchanged text next to edits; elide the rest."""
    keep = CONTEXT * (int(head) + int(tail))
    if len(text) <= keep + 1:
        return text
    start = text[:CONTEXT] if head else ""
    end = text[-CONTEXT:] if tail else ""
    return start + "…" + end


def _with_numbers(t: CJKText, c: Change) -> CJKText:
    # one figure a line: 赤字率 3% → 4%左右
    for x in c.numbers:
        t.append("\n")
        t.append("figure ", "bold")
        if x.label:
            t.append(visible(x.label) + " ")
        t.append(visible(x.old) if x.old else "—", REMOVED)
        t.append(" → ")
        t.append(visible(x.new) if x.new else "—", ADDED)
    return t


def _summary(d: Diff) -> Text:
    counts = d.summary()
    parts = [f"{counts[k]} {k}" for k in KINDS if counts[k]]
    t = Text()
    if not parts:
        t.append(f"no changes ({d.unchanged} measures unchanged)", "bold")
    else:
        t.append(f"{len(d.changes)} change{'s' if len(d.changes) != 1 else ''}: ", "bold")
        t.append(", ".join(parts))
        t.append(f"; {d.unchanged} measures unchanged", DIM)
    return t
