"""``guizhou list``, ``show``, ``search``, ``stats``: reading a catalogue.

Thin commands: parse the options, ask ``query`` for the items, hand them to
``render.tables`` (a terminal) or ``export`` (data). Rich and PyYAML are
imported only once a command runs, so ``guizhou --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.shell_completion import CompletionItem

from ..cli import Environment, encoding_option, pass_env

if TYPE_CHECKING:
    from rich.console import Console

    from ..model import Catalogue
    from ..query import Filters

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "yaml", "json", "jsonl", "csv", "tsv", "md")

# ------------------------------------------------------------ shared options
# Defined once and stacked on every reading command (csvkit style).


def _sources_argument(f: F) -> F:
    return click.argument("sources", nargs=-1, metavar="[SOURCE]...", type=click.Path(allow_dash=True))(f)


def output_options(f: F) -> F:
    """-f/--format, --bom, --pager, --no-color."""
    f = click.option(
        "--no-color",
        "no_color",
        is_flag=True,
        help="No colour in the table (also: NO_COLOR=1, or guizhou --no-color).",
    )(f)
    f = click.option("--pager", is_flag=True, help="Page table output through $PAGER (less) when on a terminal.")(f)
    f = click.option("--bom", is_flag=True, help="Start csv/tsv with a byte-order mark, so Excel reads the Chinese right.")(f)
    f = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format [default: table on a terminal, tsv when piped].",
    )(f)
    return f


def filter_options(f: F) -> F:
    """--essay, --section (repeatable; any of the values may match)."""
    f = click.option(
        "-s",
        "--section",
        "sections",
        multiple=True,
        metavar="SECTION",
        shell_complete=_complete_section,
        help="Only this section: id (e3.s2, s2), number, marker (（一）) or part of its heading. Repeatable.",
    )(f)
    f = click.option(
        "-e",
        "--essay",
        "essays",
        multiple=True,
        metavar="ESSAY",
        shell_complete=_complete_essay,
        help="Only this essay: id (e3), number (3), or part of its title or an author's name. Repeatable.",
    )(f)
    return f


# ------------------------------------------------------------ shell completion


def _catalogue_for_completion(ctx: click.Context) -> Catalogue | None:
    """The catalogue the command line names so far; the seed if none. Never raises."""
    try:
        from ..sources import open_catalogue

        return open_catalogue(list(ctx.params.get("sources") or ()), ctx.params.get("encoding"))
    except Exception:  # completion must never print a traceback into the shell
        return None


def _complete_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue_for_completion(ctx)
    if cat is None:
        return []
    from ..query import all_ids

    low = incomplete.casefold()
    return [CompletionItem(i, help=d) for i, d in all_ids(cat) if i.casefold().startswith(low)]


def _complete_essay(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue_for_completion(ctx)
    if cat is None:
        return []
    low = incomplete.casefold()
    seen: dict[str, str] = {}
    for doc in cat.documents:
        for e in doc.essays:
            seen.setdefault(e.id, e.title or "")
    return [CompletionItem(i, help=t) for i, t in seen.items() if i.startswith(low)]


def _complete_section(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    cat = _catalogue_for_completion(ctx)
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


# ------------------------------------------------------------ output plumbing


class Output:
    """Where a command's result goes: a Rich table, or data written plainly."""

    def __init__(self, env: Environment, fmt: str | None, bom: bool, pager: bool, no_color: bool) -> None:
        self.env = env
        self.fmt = fmt or ("table" if env.stdout_isatty else "tsv")
        if bom and self.fmt not in ("csv", "tsv"):
            raise click.UsageError(f"--bom applies to csv and tsv output, not {self.fmt}")
        self.bom = bom
        self.pager = pager and env.stdout_isatty and self.fmt == "table"
        self.color = env.color and not no_color

    @property
    def table(self) -> bool:
        return self.fmt == "table"

    def render(self, draw: Callable[[Console], None]) -> None:
        """Draw on a console; through the pager when asked and on a terminal.

        The drawing is captured first so that the padding Rich leaves at the
        end of table lines can go (it would be trailing blanks in a file or a
        pasted example).
        """
        import io
        import re

        from ..render import make_console

        buf = io.StringIO()
        width = _terminal_width() if self.pager else None
        draw(make_console(buf, color=self.color, width=width, tty=True if self.pager else self.env.stdout_isatty or None))
        text = re.sub(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", r"\1", buf.getvalue(), flags=re.MULTILINE)
        if self.pager:
            click.echo_via_pager(text.rstrip("\n"), color=self.color)
        else:
            with _reader_may_leave():
                self.env.write(text)

    def rows(self, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        from .. import export

        with _reader_may_leave():
            export.write(self._stream(), rows, self.fmt, columns, bom=self.bom, clean=self.env.stdout_isatty)

    def record(self, rec: dict[str, Any]) -> None:
        from .. import export

        if self.fmt in export.TABULAR:
            self.rows(export.show_rows(rec), export.SHOW_COLUMNS)
        else:
            with _reader_may_leave():
                out = self._stream()
                out.write(export.dump_record(rec, self.fmt))
                out.flush()

    def _stream(self) -> Any:
        # Data is UTF-8 whatever the locale says: a GBK console encoding
        # would fail on characters outside GBK, and files must be exact.
        out = self.env.stdout
        enc = (getattr(out, "encoding", None) or "utf-8").replace("_", "-").lower()
        if enc not in ("utf-8", "utf8") and hasattr(out, "buffer"):
            import io

            out.flush()
            return io.TextIOWrapper(out.buffer, encoding="utf-8", newline="", write_through=True)
        return out


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """``guizhou list | head -3``: when the reader closes the pipe, stop
    writing and exit 0 without a word.

    Click catches a broken pipe itself and exits 1 (diff's "differ"), so the
    commands deal with it where they write.
    """
    try:
        yield
    except BrokenPipeError:
        # Python flushes stdout at exit and would fail again on the closed
        # pipe; point the descriptor at /dev/null first.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise click.exceptions.Exit(0) from None


def _terminal_width() -> int | None:
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    return shutil.get_terminal_size((100, 24)).columns


def _load(env: Environment, sources: Sequence[str], encoding: str | None) -> Catalogue:
    from ..sources import open_catalogue

    return open_catalogue(list(sources), encoding, stdin=env.stdin)


def _filters(
    essays: Sequence[str], sections: Sequence[str], grep: str | None = None, ignore_case: bool = False, term: str | None = None
) -> Filters:
    from ..query import Filters, compile_grep

    return Filters(
        essays=tuple(essays),
        sections=tuple(sections),
        grep=compile_grep(grep, ignore_case) if grep is not None else None,
        term=term,
    )


def _nothing(env: Environment, what: str, filters: Filters) -> None:
    """An empty result is an answer, not an error: say so on stderr, exit 0."""
    why = f" match {filters.describe()}" if filters.active else " in the catalogue"
    env.message(f"no {what}{why}")


# ------------------------------------------------------------ list


@click.command("list")
@_sources_argument
@filter_options
@click.option("-g", "--grep", metavar="PATTERN", help="Only measures whose title or text matches this regular expression.")
@click.option("-i", "--ignore-case", is_flag=True, help="Make --grep ignore case.")
@click.option("-t", "--term", metavar="WORD", help="Only measures the keyword segmenter finds WORD in (as a whole word).")
@click.option("--full", is_flag=True, help="Show each measure's whole text, not just its title.")
@output_options
@encoding_option
@pass_env
def list_cmd(
    env: Environment,
    sources: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    grep: str | None,
    ignore_case: bool,
    term: str | None,
    full: bool,
    fmt: str | None,
    bom: bool,
    pager: bool,
    no_color: bool,
    encoding: str | None,
) -> None:
    """List the measures, grouped by essay and section.

    SOURCE is a catalogue (.yaml/.json), a text file, a directory or - for
    stdin; with none, the bundled seed page. Filters combine: a measure must
    pass all of them.

    \b
    guizhou list
    guizhou list --essay 3 --full
    guizhou list report.yaml --grep '数据|算力'
    guizhou list -f csv --bom > measures.csv
    """
    out = Output(env, fmt, bom, pager, no_color)
    filters = _filters(essays, sections, grep, ignore_case, term)
    from ..query import select

    items = select(_load(env, sources, encoding), filters)
    if not items:
        _nothing(env, "measures", filters)
    if out.table:
        if items:
            from ..render.tables import render_list

            out.render(lambda c: render_list(c, items, full=full, grep=filters.grep))
        return
    from ..export import MEASURE_COLUMNS, measure_row

    out.rows([measure_row(it) for it in items], MEASURE_COLUMNS)


# ------------------------------------------------------------ show


@click.command("show")
@click.argument("ref", metavar="ID", shell_complete=_complete_id)
@_sources_argument
@output_options
@encoding_option
@pass_env
def show_cmd(
    env: Environment,
    ref: str,
    sources: tuple[str, ...],
    fmt: str | None,
    bom: bool,
    pager: bool,
    no_color: bool,
    encoding: str | None,
) -> None:
    """Show one essay, section or measure in full, with where it comes from.

    ID is an essay (e3, or 3), a section (e3.s2) or a measure (e3.s2.m1).
    With several documents open, name one: 2:e3.s2.m1 or report.txt:e3.s2.m1.
    The flags say whether text was lost (fragment, truncated) and which
    layout repairs touched the lines.

    \b
    guizhou show e3.s2.m1
    guizhou show e4 report.yaml -f json
    """
    out = Output(env, fmt, bom, pager, no_color)
    from ..query import find

    ref, sources = _id_first(ref, sources)
    found = find(_load(env, sources, encoding), ref)
    if out.table:
        from ..render.tables import render_show

        out.render(lambda c: render_show(c, found))
        return
    from ..export import show_record

    out.record(show_record(found))


def _id_first(ref: str, sources: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Accept ``show report.yaml e3`` too: a file given where the ID goes,
    followed by exactly one argument that is not a file, swap the two."""
    if len(sources) == 1 and os.path.isfile(ref) and not os.path.exists(sources[0]):
        return sources[0], (ref,)
    return ref, sources


# ------------------------------------------------------------ search


@click.command("search")
@click.argument("query")
@_sources_argument
@filter_options
@click.option("-n", "--limit", type=click.IntRange(min=0), default=10, show_default=True, help="Show at most N results (0: all).")
@output_options
@encoding_option
@pass_env
def search_cmd(
    env: Environment,
    query: str,
    sources: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    limit: int,
    fmt: str | None,
    bom: bool,
    pager: bool,
    no_color: bool,
    encoding: str | None,
) -> None:
    """Find measures by relevance to QUERY, best first, with a snippet.

    Chinese needs no spaces: QUERY is matched by pairs of characters
    (BM25 over character bigrams), so 数据安全 finds 保障数据使用安全 too.
    Separate words with spaces to ask for several things.

    \b
    guizhou search 数据
    guizhou search '人才 评价' -n 3
    """
    out = Output(env, fmt, bom, pager, no_color)
    filters = _filters(essays, sections)
    from ..query import search, select

    hits = search(select(_load(env, sources, encoding), filters), query, limit or None)
    if not hits:
        env.message(f"no measures match {query!r}" + (f" with {filters.describe()}" if filters.active else ""))
    if out.table:
        if hits:
            from ..render.tables import render_search

            out.render(lambda c: render_search(c, hits))
        return
    from ..export import SEARCH_COLUMNS, search_row

    out.rows([search_row(h) for h in hits], SEARCH_COLUMNS)


# ------------------------------------------------------------ stats


@click.command("stats")
@_sources_argument
@filter_options
@output_options
@encoding_option
@pass_env
def stats_cmd(
    env: Environment,
    sources: tuple[str, ...],
    essays: tuple[str, ...],
    sections: tuple[str, ...],
    fmt: str | None,
    bom: bool,
    pager: bool,
    no_color: bool,
    encoding: str | None,
) -> None:
    """Count sections, measures and characters per essay and section.

    chars counts the characters of each section's text (with its
    subsections); "in measures" is the share of them inside measures.

    \b
    guizhou stats
    guizhou stats corpus/ -f csv
    """
    out = Output(env, fmt, bom, pager, no_color)
    filters = _filters(essays, sections)
    from ..query import stats

    rows = stats(_load(env, sources, encoding), essays, sections)
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
