"""``guizhou keywords``: top terms per essay or document, or how two catalogues differ.

Thin: options here, the work in ``guizhou_cli.keywords``, tables in
``render.keywords``, data formats through ``export`` (the same writers as
``list``). jieba (or rjieba) is loaded only once the command runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ..cli import Environment, pass_env
from .options import (
    Output,
    activity,
    color_options,
    document_option,
    essay_option,
    limit_option,
    output_options,
    source_options,
    sources_argument,
)

if TYPE_CHECKING:
    from ..model import Catalogue

TERM_COLUMNS = ("source", "essay", "title", "rank", "term", "weight", "count")
DOCUMENT_COLUMNS = ("source", "title", "rank", "term", "weight", "count")
CHANGE_COLUMNS = ("trend", "term", "count_a", "count_b", "weight_a", "weight_b", "change")


@click.command("keywords")
@sources_argument
@document_option
@essay_option
@limit_option(8)
@click.option("--top", "top", type=click.IntRange(min=1), default=None, hidden=True)  # the old name of --limit
@click.option(
    "--by",
    type=click.Choice(["essay", "document"]),
    default="essay",
    show_default=True,
    help="Top terms of each essay, or of each document.",
)
@click.option(
    "--idf-from",
    "idf_from",
    metavar="PATH",
    help="IDF from your own corpus: a directory of documents or a catalogue (each essay one document), "
    "or a 'word idf' table file [default: jieba's bundled table].",
)
@click.option(
    "--compare", nargs=2, metavar="A B", help="Instead: the terms that rose or fell most from A to B (catalogues or documents)."
)
@output_options()
@color_options
@source_options
@pass_env
def keywords_cmd(
    env: Environment,
    /,
    sources: tuple[str, ...],
    documents: tuple[str, ...],
    essays: tuple[str, ...],
    limit: int | None,
    top: int | None,
    by: str,
    idf_from: str | None,
    compare: tuple[str, str] | None,
    **opts: Any,
) -> None:
    """Top terms of each essay, weighed by TF-IDF over a policy vocabulary.

    SOURCE is a catalogue (.yaml, .json or .db), a document, a directory or -
    for stdin; with none, the bundled seed page. Terms come from jieba with a
    policy dictionary (新质生产力, 东数西算 … stay whole) and a stop list
    for the register (推进, 加强, 完善 … never count). -n/--limit is the
    number of terms per essay (per direction with --compare).

    \b
    guizhou keywords
    guizhou keywords corpus/ --by document --idf-from corpus/
    guizhou keywords --compare gwr-2023.txt gwr-2024.txt
    guizhou keywords -o terms.csv --bom
    """
    n = top or limit or 8
    inputs = [*sources, *(compare or ()), *([idf_from] if idf_from else [])]
    out = Output.from_params(env, opts, inputs=inputs)
    if compare and sources:
        raise click.UsageError("--compare takes its two catalogues itself; give no SOURCE with it")
    from .. import keywords as kw
    from .read import open_sources

    encoding = opts["encoding"]
    idf = kw.load_idf(idf_from, encoding) if idf_from else None
    if compare:
        a, b = compare
        cat_a = _only(open_sources(env, [a], encoding, opts["glob"], opts["jobs"]), documents, essays)
        cat_b = _only(open_sources(env, [b], encoding, opts["glob"], opts["jobs"]), documents, essays)
        with activity(env, "segmenting and weighing terms"):
            changes = kw.compare(cat_a, cat_b, top=n, idf=idf)
        if not changes:
            env.message("no term rose or fell")
        if out.table:
            if changes:
                from ..render.keywords import render_changes

                out.render(lambda c: render_changes(c, changes, a, b))
            return
        out.rows([_change_row(c) for c in changes], CHANGE_COLUMNS)
        out.done(f"{len(changes)} term(s)")
        return

    cat = _only(open_sources(env, sources, encoding, opts["glob"], opts["jobs"]), documents, essays)
    with activity(env, "segmenting and weighing terms"):
        groups = kw.essay_keywords(cat, top=n, idf=idf, by=by)
    if not groups:
        env.message("no essays in the catalogue" + (" match the filters" if documents or essays else ""))
    if out.table:
        if groups:
            from ..render.keywords import render_terms

            out.render(lambda c: render_terms(c, groups))
        return
    if out.fmt in ("yaml", "json", "jsonl"):
        out.rows([_group_record(g, by) for g in groups], ())
    else:
        columns = TERM_COLUMNS if by == "essay" else DOCUMENT_COLUMNS
        out.rows([row for g in groups for row in _term_rows(g, by)], columns)
    out.done(f"{len(groups)} group(s)")


def _only(cat: Catalogue, documents: Sequence[str], essays: Sequence[str]) -> Catalogue:
    """The catalogue with only the documents and essays that -d and -e pick."""
    if not documents and not essays:
        return cat
    from dataclasses import replace

    from ..query import chosen_documents, essay_matches

    picked = chosen_documents(cat, documents)
    docs = []
    for i, d in enumerate(cat.documents):
        if i not in picked:
            continue
        if essays:
            d = replace(d, essays=tuple(e for e in d.essays if any(essay_matches(e, sp) for sp in essays)))
        docs.append(d)
    return replace(cat, documents=tuple(docs))


def _group_record(g: Any, by: str) -> dict[str, Any]:
    rec: dict[str, Any] = {"source": g.source}
    if by == "essay":
        rec["essay"] = g.essay
    rec["title"] = g.title
    rec["keywords"] = [{"term": t.term, "weight": round(t.weight, 4), "count": t.count} for t in g.terms]
    return rec


def _term_rows(g: Any, by: str) -> list[dict[str, Any]]:
    rows = []
    for rank, t in enumerate(g.terms, 1):
        row: dict[str, Any] = {"source": g.source}
        if by == "essay":
            row["essay"] = g.essay
        row.update({"title": g.title, "rank": rank, "term": t.term, "weight": round(t.weight, 4), "count": t.count})
        rows.append(row)
    return rows


def _change_row(c: Any) -> dict[str, Any]:
    return {
        "trend": c.trend,
        "term": c.term,
        "count_a": c.count_a,
        "count_b": c.count_b,
        "weight_a": round(c.weight_a, 4),
        "weight_b": round(c.weight_b, 4),
        "change": round(c.change, 4),
    }
