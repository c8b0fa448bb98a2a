"""Shell completion of ids, documents, essays and sections from the catalogue on the command line.

Completion runs inside the user's shell on every Tab: it never prints a
traceback, and returns nothing when the catalogue cannot be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from ..model import Catalogue


def _catalogue(ctx: click.Context) -> Catalogue | None:
    """The catalogue the command line names so far; the seed if none. Never raises."""
    try:
        from ..sources import open_catalogue

        sources = list(ctx.params.get("sources") or ()) or _typed_paths()
        return open_catalogue(sources, ctx.params.get("encoding"))
    except Exception:  # completion must never print a traceback into the shell
        return None


def _typed_paths() -> list[str]:
    """Existing files among the words typed so far.

    Click leaves ``sources`` empty when the word being completed is an
    option's value (``guizhou list a.yaml b.yaml -d <Tab>``); its shell
    scripts pass the whole line in COMP_WORDS, so read them from there.
    """
    import os
    import shlex

    try:
        words = shlex.split(os.environ.get("COMP_WORDS", ""))
    except ValueError:
        return []
    return [w for w in words[2:] if not w.startswith("-") and os.path.isfile(w)]


def complete_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``show`` ids; document-qualified (``gwr-2026-jiangsu:e1.s2``) when several documents are open."""
    cat = _catalogue(ctx)
    if cat is None:
        return []
    from ..query import all_ids

    low = incomplete.casefold()
    return [CompletionItem(i, help=d) for i, d in all_ids(cat) if i.casefold().startswith(low)]


def complete_document(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue(ctx)
    if cat is None:
        return []
    from ..query import document_labels

    low = incomplete.casefold()
    labels = document_labels(cat.documents)
    return [
        CompletionItem(label, help=d.title or d.source)
        for label, d in zip(labels, cat.documents, strict=True)
        if label.casefold().startswith(low)
    ]


def complete_essay(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue(ctx)
    if cat is None:
        return []
    low = incomplete.casefold()
    seen: dict[str, str] = {}
    for doc in cat.documents:
        for e in doc.essays:
            seen.setdefault(e.id, e.title or "")
    return [CompletionItem(i, help=t) for i, t in seen.items() if i.startswith(low)]


def complete_section(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue(ctx)
    if cat is None:
        return []
    from ..model import iter_sections

    low = incomplete.casefold()
    seen: dict[str, str] = {}
    for doc in cat.documents:
        for e in doc.essays:
            for s in iter_sections(e.sections):
                seen.setdefault(s.id, s.heading or "")
    return [CompletionItem(i, help=h) for i, h in seen.items() if i.startswith(low)]
