"""``guizhou keywords``: top terms per essay or document, or how two catalogues differ.

Thin: options here, the work in ``guizhou_cli.keywords``, tables in
``render.keywords``, data formats through ``export`` (the same writers as
``list``). jieba (or rjieba) is loaded only once the command runs.
"""

from __future__ import annotations

from typing import Any

import click

from ..cli import Environment, encoding_option, pass_env
from .read import Output, output_options

TERM_COLUMNS = ("source", "essay", "title", "rank", "term", "weight", "count")
DOCUMENT_COLUMNS = ("source", "title", "rank", "term", "weight", "count")
CHANGE_COLUMNS = ("trend", "term", "count_a", "count_b", "weight_a", "weight_b", "change")


@click.command("keywords")
@click.argument("sources", nargs=-1, metavar="[SOURCE]...", type=click.Path(allow_dash=True))
@click.option(
    "-n",
    "--top",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Terms per essay (per direction with --compare).",
)
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
@output_options
@encoding_option
@pass_env
def keywords_cmd(
    env: Environment,
    sources: tuple[str, ...],
    top: int,
    by: str,
    idf_from: str | None,
    compare: tuple[str, str] | None,
    fmt: str | None,
    bom: bool,
    pager: bool,
    no_color: bool,
    encoding: str | None,
) -> None:
    """Top terms of each essay, weighed by TF-IDF over a policy vocabulary.

    SOURCE is a catalogue (.yaml/.json), a text file, a directory or - for
    stdin; with none, the bundled seed page. Terms come from jieba with a
    policy dictionary (新质生产力, 东数西算 … stay whole) and a stop list
    for the register (推进, 加强, 完善 … never count).

    \b
    guizhou keywords
    guizhou keywords corpus/ --by document --idf-from corpus/
    guizhou keywords --compare gwr-2023.txt gwr-2024.txt
    guizhou keywords -f csv --bom > terms.csv
    """
    out = Output(env, fmt, bom, pager, no_color)
    if compare and sources:
        raise click.UsageError("--compare takes its two catalogues itself; give no SOURCE with it")
    from .. import keywords as kw
    from ..sources import open_catalogue

    idf = kw.load_idf(idf_from, encoding) if idf_from else None
    if compare:
        a, b = compare
        changes = kw.compare(
            open_catalogue([a], encoding, stdin=env.stdin), open_catalogue([b], encoding, stdin=env.stdin), top=top, idf=idf
        )
        if not changes:
            env.message("no term rose or fell")
        if out.table:
            if changes:
                from ..render.keywords import render_changes

                out.render(lambda c: render_changes(c, changes, a, b))
            return
        out.rows([_change_row(c) for c in changes], CHANGE_COLUMNS)
        return

    groups = kw.essay_keywords(open_catalogue(list(sources), encoding, stdin=env.stdin), top=top, idf=idf, by=by)
    if not groups:
        env.message("no essays in the catalogue")
    if out.table:
        if groups:
            from ..render.keywords import render_terms

            out.render(lambda c: render_terms(c, groups))
        return
    if out.fmt in ("yaml", "json", "jsonl"):
        out.rows([_group_record(g, by) for g in groups], ())
        return
    columns = TERM_COLUMNS if by == "essay" else DOCUMENT_COLUMNS
    out.rows([row for g in groups for row in _term_rows(g, by)], columns)


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
