"""Terminal view of a diff: per essay and section, removed in red, added in
green, rewordings with inline highlights, moves and renumbers noted.

Without colour (a pipe, ``NO_COLOR``, ``--no-color``) deletions and insertions
are also bracketed, wdiff style (``[-体系-]{+机制+}``), so nothing depends on a
colour the reader cannot see. Long unchanged stretches inside a rewording are
shortened to their ends, with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from ..diff import KINDS, Change, Diff, Ref, Segment
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
}


def render_diff(d: Diff, console: Console) -> None:
    plain = console.color_system is None
    console.print(_header(d))
    where: tuple[str | None, str | None] | None = None
    source = d.new_source  # named in the header already
    for c in d.changes:
        if c.place[0] != source:
            source = c.place[0]
            console.print(Rule(cjk(source, "bold"), align="left", style="bold"))
            where = None
        here = c.place[1:]
        if here != where:
            where = here
            console.print(_location_rule(here))
        console.print(_headline(c))
        body = _body(c, plain)
        if body is not None:
            _print_indented(console, body)
    console.print(_summary(d))


def _print_indented(console: Console, body: Text) -> None:
    # Wrapped here rather than through Padding, which pads every line to the
    # block's width: trailing spaces would end up in a piped copy.
    pad = Text(" " * INDENT)
    for line in body.wrap(console, max(console.width - INDENT, 20)):
        line.rstrip()
        console.print(Text.assemble(pad, line), soft_wrap=True)


def _header(d: Diff) -> Text:
    t = CJKText()
    t.append("--- ", REMOVED)
    t.append(visible(d.old_source), "bold")
    t.append("\n+++ ", ADDED)
    t.append(visible(d.new_source), "bold")
    return t


def _location_rule(where: tuple[str | None, str | None]) -> Rule:
    essay, section = where
    title = cjk(_essay_name(essay), "bold")
    if section:
        title.append(" › ")
        title.append(visible(section), "bold")
    return Rule(title, align="left", style=DIM)


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
    elif k.startswith("section-"):
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
    if k in ("modified", "moved", "section-modified"):
        if not c.inline:
            return cjk(_title(c.new[0].text)) if c.new else None
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
    if c.numbers:
        t.append("\nfigures: ", "bold")
        for k, x in enumerate(c.numbers):
            if k:
                t.append(", ")
            t.append(visible(x.old) if x.old else "(none)", REMOVED)
            t.append(" → ")
            t.append(visible(x.new) if x.new else "(none)", ADDED)
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
