"""``guizhou list``, ``show``, ``search``, ``stats``: reading a catalogue.

Thin commands: parse the options, ask ``query`` (or ``store`` for a .db) for
the items, hand them to ``render.tables`` (a terminal) or ``export`` (data).
Rich and PyYAML are imported only once a command runs, so ``guizhou --help``
stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from ..cli import Environment, pass_env
from .completion import complete_id
from .options import (
    Output,
    activity,
    color_options,
    document_option,
    filter_options,
    grep_options,
    limit_option,
    output_options,
    source_options,
    sources_argument,
    term_option,
)

if TYPE_CHECKING:
    from ..model import Catalogue, Document
    from ..query import Filters
    from ..store import Store

# ------------------------------------------------------------ loading


def open_sources(env: Environment, sources: Sequence[str], encoding: str | None, glob: str = "*.txt", jobs: int = 1) -> Catalogue:
    """One catalogue from the command line's sources (the seed when none).

    Directories are read with ``--glob``; with ``--jobs`` above 1 source
    documents are parsed in worker processes. A spinner shows on a terminal
    when reading takes over a second.
    """
    from ..sources import open_catalogue

    paths = list(sources)
    label = f"reading {paths[0]}" if len(paths) == 1 else (f"reading {len(paths)} sources" if paths else "reading the seed")
    with activity(env, label) as relabel:
        if paths and (glob != "*.txt" or jobs != 1):
            from ..read import expand_paths

            paths = expand_paths(paths, glob)
            if jobs != 1:
                return _parallel(env, paths, encoding, jobs, relabel)
        count = [0]

        def seen(path: str) -> None:
            count[0] += 1
            relabel(f"reading {path} ({count[0]} files)")

        return open_catalogue(paths, encoding, on_document=seen, stdin=env.stdin)


class Documents:
    """The command line's sources as a stream of documents, readable again.

    A catalogue is read one document at a time (``iter_source_documents``),
    so memory follows the largest document, not the file. ``search`` reads
    twice (``query.search_documents``): stdin is kept in a temporary file
    for that, and a pipe given as a path (``<(cmd)``) is read into memory.
    With ``--jobs`` above 1 source documents are parsed by worker processes
    and held together, as before.
    """

    def __init__(self, env: Environment, sources: Sequence[str], opts: dict[str, Any], relabel: Any) -> None:
        self.env = env
        self.paths = list(sources)
        self.encoding: str | None = opts["encoding"]
        self.glob: str = opts["glob"]
        self.jobs: int = opts["jobs"]
        self.relabel = relabel
        self._stdin: Any = None
        self._held: list[Document] | None = None

    def rereadable(self) -> Documents:
        """Make a second reading see the same documents."""
        import shutil
        import stat
        import tempfile

        if self.jobs != 1 or any(p != "-" and os.path.exists(p) and stat.S_ISFIFO(os.stat(p).st_mode) for p in self.paths):
            self._held = list(self())
        elif "-" in self.paths:
            spool = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # lives as long as the command
            shutil.copyfileobj(self.env.stdin, spool)
            self._stdin = spool
        return self

    def __call__(self) -> Iterator[Document]:
        if self._held is not None:
            yield from self._held
            return
        from ..sources import iter_source_documents

        paths = self.paths
        if paths and (self.glob != "*.txt" or self.jobs != 1):
            from ..read import expand_paths

            paths = expand_paths(paths, self.glob)
            if self.jobs != 1:
                yield from _parallel(self.env, paths, self.encoding, self.jobs, self.relabel).documents
                return
        stdin = self.env.stdin
        if self._stdin is not None:
            self._stdin.seek(0)
            stdin = self._stdin
        files = [0]

        def seen(path: str) -> None:
            files[0] += 1
            self.relabel(f"reading {path} ({files[0]} files)")

        for k, doc in enumerate(iter_source_documents(paths, self.encoding, on_document=seen, stdin=stdin), 1):
            if not files[0]:
                self.relabel(f"reading {doc.source} ({k} documents)")
            yield doc


def _reading(sources: Sequence[str]) -> str:
    if len(sources) == 1:
        return f"reading {sources[0]}"
    return f"reading {len(sources)} sources" if sources else "reading the seed"


def _parallel(env: Environment, paths: list[str], encoding: str | None, jobs: int, relabel: Any) -> Catalogue:
    """Source documents parsed by ``extract``'s worker processes; catalogues and stdin read here."""
    import json

    from .. import __version__
    from ..catalogue import catalogue_from_dict
    from ..errors import InputError
    from ..extract import Failed, extract_stream, plan
    from ..model import SCHEMA, Catalogue
    from ..sources import is_catalogue, open_catalogue
    from ..store import is_store_path

    if jobs == 0:
        jobs = os.cpu_count() or 1
    docs: list[Document] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        for k, item in enumerate(extract_stream(plan(run), encoding, "json", jobs), 1):
            relabel(f"reading {k}/{len(run)} files")
            if isinstance(item, Failed):
                raise InputError(item.reason)
            for chunk in item.chunks:
                docs.extend(catalogue_from_dict({"schema": SCHEMA, "documents": [json.loads(chunk)]}).documents)
        run.clear()

    for p in paths:
        if p == "-" or is_store_path(p) or is_catalogue(p):
            flush()
            docs.extend(open_catalogue([p], encoding, stdin=env.stdin).documents)
        else:
            run.append(p)
    flush()
    return Catalogue(generator=f"guizhou-cli {__version__}", documents=tuple(docs))


def _store(sources: Sequence[str]) -> Store | None:
    """The database when the one source is a .db catalogue: read commands query it in place."""
    from ..store import Store, is_store_path

    if len(sources) == 1 and sources[0] != "-" and is_store_path(sources[0]) and os.path.isfile(sources[0]):
        return Store(sources[0])
    return None


def _filters(
    documents: Sequence[str] = (),
    essays: Sequence[str] = (),
    sections: Sequence[str] = (),
    grep: str | None = None,
    ignore_case: bool = False,
    term: str | None = None,
) -> Filters:
    from ..query import Filters, compile_grep

    return Filters(
        essays=tuple(essays),
        sections=tuple(sections),
        grep=compile_grep(grep, ignore_case) if grep is not None else None,
        term=term,
        documents=tuple(documents),
    )


def _nothing(env: Environment, what: str, filters: Filters) -> None:
    """An empty result is an answer, not an error: say so on stderr, exit 0."""
    why = f" match {filters.describe()}" if filters.active else " in the catalogue"
    env.message(f"no {what}{why}")


# ------------------------------------------------------------ list


@click.command("list")
@sources_argument
@filter_options
@grep_options
@term_option
@limit_option()
@click.option("--full", is_flag=True, help="Show each measure's whole text, not just its title.")
@click.option("--sections", "headings", is_flag=True, help="List the section headings with their measure counts instead.")
@output_options()
@color_options
@source_options
@pass_env
def list_cmd(
    env: Environment,
    /,
    sources: tuple[str, ...],
    documents: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    grep: str | None,
    ignore_case: bool,
    term: str | None,
    limit: int | None,
    full: bool,
    headings: bool,
    **opts: Any,
) -> None:
    """List the measures, grouped by essay and section.

    SOURCE is a catalogue (.yaml, .json or .db), a document, a directory or
    - for stdin; with none, the bundled seed page. Filters combine: a measure
    must pass all of them. With several documents, ids are qualified by the
    document (gwr-2026-jiangsu:e1.s3.m2), as show takes them.

    \b
    guizhou list
    guizhou list --essay 3 --full
    guizhou list --sections
    guizhou list archive.db -d gwr-national-2024 --grep '数据|算力'
    guizhou list -o measures.csv
    """
    out = Output.from_params(env, opts, inputs=sources)
    filters = _filters(documents, essays, sections, grep, ignore_case, term)
    if headings:
        if term is not None:
            raise click.UsageError("--term applies to measures, not to --sections")
        _list_headings(env, out, sources, filters, limit, opts)
        return
    st = _store(sources)
    if st is not None:
        from ..store import select_located

        with st, activity(env, f"reading {st.path}"):
            items, labels = select_located(st, filters)
    else:
        from ..export import MEASURE_COLUMNS, measure_row
        from ..query import labels_of_sources, select_document

        seen: list[str] = []
        if out.table:
            # the view lines up its columns over every row: it holds what it shows
            items = []
            with activity(env, _reading(sources)) as relabel:
                for i, doc in enumerate(Documents(env, sources, opts, relabel)()):
                    seen.append(doc.source)
                    if not limit or len(items) < limit:
                        items += select_document(i, doc, filters)
            labels = labels_of_sources(seen)
        else:
            from .rowstream import RowSpool

            # each row goes to the spool as its document is read; the labels
            # in qualified ids are known once every document was seen
            with RowSpool() as spool:
                with activity(env, _reading(sources)) as relabel:
                    for i, doc in enumerate(Documents(env, sources, opts, relabel)()):
                        seen.append(doc.source)
                        for it in select_document(i, doc, filters):
                            if limit and spool.count >= limit:
                                break
                            row = measure_row(it)
                            row["document"] = i
                            spool.add(row)
                labels = labels_of_sources(seen)
                if not spool.count:
                    _nothing(env, "measures", filters)

                def rows() -> Iterator[dict[str, Any]]:
                    for row in spool:
                        row["document"] = labels[row["document"]]
                        yield row

                out.stream_rows(rows, MEASURE_COLUMNS)
                out.done(f"{spool.count} measure(s)")
            return
    if limit:
        items = items[:limit]
    if not items:
        _nothing(env, "measures", filters)
    if out.table:
        if items:
            from ..render.tables import render_list

            out.render(lambda c: render_list(c, items, full=full, grep=filters.grep, labels=labels))
        return
    from ..export import MEASURE_COLUMNS, measure_row

    out.rows([measure_row(it, labels[it.doc_index]) for it in items], MEASURE_COLUMNS)
    out.done(f"{len(items)} measure(s)")


def _list_headings(
    env: Environment, out: Output, sources: Sequence[str], filters: Filters, limit: int | None, opts: dict[str, Any]
) -> None:
    st = _store(sources)
    if st is not None:
        from ..store import headings_of

        with st, activity(env, f"reading {st.path}"):
            rows, labels = headings_of(st, filters)
    else:
        from ..query import headings_of_document, labels_of_sources

        rows, seen = [], []
        if not out.table:
            from ..export import HEADING_COLUMNS, heading_row
            from .rowstream import RowSpool

            # a heading holds its section, and so its document: rows go to the spool instead
            with RowSpool() as spool:
                with activity(env, _reading(sources)) as relabel:
                    for i, doc in enumerate(Documents(env, sources, opts, relabel)()):
                        seen.append(doc.source)
                        for h in headings_of_document(i, doc, filters):
                            if limit and spool.count >= limit:
                                break
                            row = heading_row(h)
                            row["document"] = i
                            spool.add(row)
                labels = labels_of_sources(seen)
                if not spool.count:
                    _nothing(env, "sections", filters)

                def labelled() -> Iterator[dict[str, Any]]:
                    for row in spool:
                        row["document"] = labels[row["document"]]
                        yield row

                out.stream_rows(labelled, HEADING_COLUMNS)
                out.done(f"{spool.count} section(s)")
            return
        with activity(env, _reading(sources)) as relabel:
            for i, doc in enumerate(Documents(env, sources, opts, relabel)()):
                seen.append(doc.source)
                if not limit or len(rows) < limit:
                    rows += headings_of_document(i, doc, filters)
        labels = labels_of_sources(seen)
    if limit:
        rows = rows[:limit]
    if not rows:
        _nothing(env, "sections", filters)
    if out.table:
        if rows:
            from ..render.tables import render_headings

            out.render(lambda c: render_headings(c, rows, labels))
        return
    from ..export import HEADING_COLUMNS, heading_row

    out.rows([heading_row(h, labels[h.doc_index]) for h in rows], HEADING_COLUMNS)
    out.done(f"{len(rows)} section(s)")


# ------------------------------------------------------------ show


@click.command("show")
@click.argument("ref", metavar="ID", shell_complete=complete_id)
@sources_argument
@document_option
@output_options()
@color_options
@source_options
@pass_env
def show_cmd(env: Environment, /, ref: str, sources: tuple[str, ...], documents: tuple[str, ...], **opts: Any) -> None:
    """Show one essay, section or measure in full, with where it comes from.

    ID is an essay (e3, or 3), a section (e3.s2) or a measure (e3.s2.m1).
    With several documents open, name one: gwr-2026-jiangsu:e3.s2.m1 (the
    file's stem, as list prints it), 2:e3.s2.m1 (its number), or -d. The
    flags say whether text was lost (fragment, truncated) and which layout
    repairs touched the lines.

    \b
    guizhou show e3.s2.m1
    guizhou show e4 report.yaml -f json
    guizhou show gwr-national-2024:e1.s2 archive.db
    """
    ref, sources = _id_first(ref, sources)
    out = Output.from_params(env, opts, inputs=sources)
    if documents:
        if len(documents) > 1:
            raise click.UsageError("show takes one --document")
        if ":" in ref:
            raise click.UsageError(f"{ref} names its document already; drop -d")
        ref = f"{documents[0]}:{ref}"
    from ..query import find

    st = _store(sources)
    if st is not None:
        with st:
            cat = _store_catalogue_for(st, ref)
    else:
        cat = open_sources(env, sources, opts["encoding"], opts["glob"], opts["jobs"])
    found = find(cat, ref)
    if out.table:
        from ..render.tables import render_show

        out.render(lambda c: render_show(c, found))
        return
    from ..export import show_record

    out.record(show_record(found))
    out.done(f"{found.kind} {found.id}")


def _store_catalogue_for(st: Store, ref: str) -> Catalogue:
    """Only the documents of a database that ``ref`` can be in (whole catalogue look-ups stay cheap)."""
    from ..model import Catalogue
    from ..query import document_matches

    doc_spec, sep, ident = ref.strip().rpartition(":")
    ident = ident.strip()
    if ident.isdigit():
        ident = f"e{int(ident)}"
    docs = st.documents()
    if sep:
        # keep every document so that "2:" still means the second one
        wanted = {did for i, (did, d, label) in enumerate(docs) if document_matches(d, i, doc_spec, label)}
        stubs = tuple(st.document(did, d) if did in wanted else d for did, d, _ in docs)
        return Catalogue(st.generator, stubs)
    wanted = set(st.documents_with_id(ident))
    if not wanted and docs:
        # nothing has this id: load one document so the error can suggest ids
        wanted = {docs[0][0]}
    return Catalogue(st.generator, tuple(st.document(did, d) if did in wanted else d for did, d, _ in docs))


def _id_first(ref: str, sources: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Accept ``show report.yaml e3`` too: a file given where the ID goes,
    followed by exactly one argument that is not a file, swap the two."""
    if len(sources) == 1 and os.path.isfile(ref) and not os.path.exists(sources[0]):
        return sources[0], (ref,)
    return ref, sources


# ------------------------------------------------------------ search


@click.command("search")
@click.argument("query")
@sources_argument
@filter_options
@grep_options
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["measure", "section", "lead"]),
    help="Only hits of this type: measure, section (heading and text), lead (an essay's opening). Repeatable. [default: all]",
)
@limit_option(10)
@output_options()
@color_options
@source_options
@pass_env
def search_cmd(
    env: Environment,
    /,
    query: str,
    sources: tuple[str, ...],
    documents: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    grep: str | None,
    ignore_case: bool,
    types: tuple[str, ...],
    limit: int | None,
    **opts: Any,
) -> None:
    """Find measures, sections and essay leads by relevance to QUERY, best first.

    Chinese needs no spaces: QUERY is matched by pairs of characters
    (BM25 over character bigrams), so 数据安全 finds 保障数据使用安全 too.
    Separate words with spaces to ask for several things. Each hit says
    what it is: a measure, a section (its heading and text) or a lead.

    \b
    guizhou search 数字经济
    guizhou search '人才 评价' -n 3 --type measure
    guizhou search 数据 archive.db -d gwr-national-2024
    """
    out = Output.from_params(env, opts, inputs=sources)
    filters = _filters(documents, essays, sections, grep, ignore_case)
    kinds = types or ("measure", "section", "lead")
    from ..query import SearchPlan, search_documents

    SearchPlan.of(query)  # a query with nothing to look for fails before any reading
    st = _store(sources)
    if st is not None:
        from ..store import search_store

        with st, activity(env, f"searching {st.path}"):
            hits, labels = search_store(st, query, filters, kinds, limit or None)
    elif not out.table:
        from ..export import SEARCH_COLUMNS, search_row
        from .rowstream import RowSpool

        # rows are made as the hits are found (no document outlives its turn)
        # and spooled: with -n 0 every hit is a row, found in document order
        # and written in rank order
        with RowSpool() as spool:
            with activity(env, f"searching ({_reading(sources)})") as relabel:
                docs = Documents(env, sources, opts, relabel).rereadable()
                found, labels = search_documents(
                    docs,
                    query,
                    filters,
                    kinds,
                    limit or None,
                    keep=lambda h, lb: spool.add(search_row(h, lb[h.item.doc_index])),
                )
            if not found:
                from ..query import shown

                env.message(f"nothing matches {shown(query)}" + (f" with {filters.describe()}" if filters.active else ""))
            out.stream_rows(lambda: (spool.row_at(pos) for pos in found), SEARCH_COLUMNS)
            out.done(f"{len(found)} hit(s)")
        return
    else:
        with activity(env, f"searching ({_reading(sources)})") as relabel:
            docs = Documents(env, sources, opts, relabel).rereadable()
            hits, labels = search_documents(docs, query, filters, kinds, limit or None)
    if not hits:
        from ..query import shown

        env.message(f"nothing matches {shown(query)}" + (f" with {filters.describe()}" if filters.active else ""))
    if out.table:
        if hits:
            from ..render.tables import render_search

            out.render(lambda c: render_search(c, hits, labels))
        return
    from ..export import SEARCH_COLUMNS, search_row

    out.rows([search_row(h, labels[h.item.doc_index]) for h in hits], SEARCH_COLUMNS)
    out.done(f"{len(hits)} hit(s)")


# ------------------------------------------------------------ stats


@click.command("stats")
@sources_argument
@filter_options
@output_options()
@color_options
@source_options
@pass_env
def stats_cmd(
    env: Environment,
    /,
    sources: tuple[str, ...],
    documents: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    **opts: Any,
) -> None:
    """Count sections, measures and characters per document, essay and section.

    chars counts the characters of each section's text (with its
    subsections); "in measures" is the share of them inside measures.

    \b
    guizhou stats
    guizhou stats corpus/ -o stats.csv
    guizhou stats archive.db -d gwr-national-2024
    """
    out = Output.from_params(env, opts, inputs=sources)
    filters = _filters(documents, essays, sections)
    st = _store(sources)
    if st is not None:
        from ..store import stats_of

        with st, activity(env, f"counting {st.path}"):
            rows = stats_of(st, filters)
    else:
        from ..query import StatsCounter

        # counts per document as each is read; only the rows (no text) are kept
        counter = StatsCounter(essays, sections, documents)
        with activity(env, f"counting ({_reading(sources)})") as relabel:
            for i, doc in enumerate(Documents(env, sources, opts, relabel)()):
                counter.add(i, doc)
        rows = counter.rows()
    if len(rows) == 1 and filters.active:
        _nothing(env, "sections", filters)
        rows = []
    if out.table:
        if rows:
            from ..render.tables import render_stats

            out.render(lambda c: render_stats(c, rows))
        return
    from ..export import STATS_COLUMNS, stats_row

    out.rows([stats_row(r) for r in rows], STATS_COLUMNS)
    out.done(f"{len(rows)} row(s)")
