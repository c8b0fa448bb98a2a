"""``guizhou extract``: documents → one catalogue (YAML or JSON).

The catalogue is streamed: each input is parsed and serialised, then written,
before the next (``extract_stream``), so memory does not grow with the number
of files; a document's text comes in pieces of about a megabyte, written as
the worker makes them, so a large document is never one string either.
With ``-o`` the stream goes to a temporary file renamed over OUT at the end;
to stdout it goes through a spool file first, so an error half way never
leaves half a catalogue in a redirected file.

Every input is read in a worker process under a time limit and a memory
budget. By default the first input that fails ends the run (exit 2, one line
naming it, nothing written); with ``--keep-going`` every input is tried, each
failure is one line on stderr, the others are written, and the exit code is
still 2 (as ``make -k`` and ``grep`` on a missing file).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import click

from ..cli import Environment, ExitCode, pass_env
from .options import Output, activity, check_output, color_options, output_options, source_options

if TYPE_CHECKING:
    from ..catalogue import CatalogueWriter
    from ..extract import Budget, Extracted, Failed, Piece, Task
    from ..model import Catalogue


EXTRACT_FORMATS = ("table", "yaml", "json", "db")


@click.command("extract")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@output_options(
    EXTRACT_FORMATS, default_help="a summary (table) on a terminal; yaml when piped, or with -o as its extension says"
)
@source_options
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Time limit for reading one file (default: 60 s, plus 10 s per MB over the first; 0: none).",
)
@click.option(
    "--max-memory",
    "max_memory",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    metavar="MB",
    help="Memory a worker may add while reading one file (0: no limit).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Extract what can be read: report each file that fails, write the others, exit 2 if any failed.",
)
@click.option("--keywords", is_flag=True, help="Fill keywords on each measure and section (loads jieba).")
@color_options
@pass_env
def extract_cmd(env: Environment, /, **opts: Any) -> int:
    """Parse documents into a catalogue of measures.

    PATH is a document (text, Markdown, HTML, Word, PDF), a directory (its
    *.txt files, sorted; --glob picks others), a catalogue (.yaml, .json,
    .db: its documents are kept) or - for stdin. With no PATH, the bundled
    seed page is read.

    On a terminal, without -o, a summary is shown (essays, sections,
    measures); piped, or with -o, the catalogue itself: YAML, or as -f or the
    -o extension says (.json; .db writes a SQLite catalogue, see docs/store.md).

    Each file is read in a worker process, within --timeout and --max-memory.
    The first file that fails ends the run with exit 2 and nothing written;
    with --keep-going the others are written, each failure is listed on
    stderr, and the exit code is still 2. A document that lost paragraphs, or
    has many sections and no measure, is named on stderr.

    \b
    guizhou extract
    guizhou extract report.txt -o report.yaml
    guizhou extract archive/ -o archive.db --jobs 2
    guizhou extract archive.db -o archive.yaml
    guizhou extract archive/ -o archive.yaml --keep-going --timeout 30
    cat report.txt | guizhou extract - --format json
    """
    with interrupting_signals():
        return _extract(env, **opts)


def _extract(
    env: Environment,
    paths: tuple[str, ...],
    output: str | None,
    fmt: str | None,
    encoding: str | None,
    jobs: int,
    glob: str,
    timeout: float | None,
    max_memory: int,
    keep_going: bool,
    keywords: bool,
    color: str | None,
    no_color: bool,
    pager: bool,
) -> int:
    import tempfile

    from ..catalogue import CatalogueWriter, atomic_output

    default = "table" if env.stdout_isatty and not (output and output != "-") else "yaml"
    out = Output(
        env,
        fmt=fmt,
        output=output,
        formats=EXTRACT_FORMATS,
        default=default,
        inputs=paths,
        color=color,
        no_color=no_color,
        pager=pager,
    )
    if out.fmt == "db" and out.path is None:
        raise click.UsageError("a SQLite catalogue needs a file: -o FILE.db")
    from ..errors import InputError
    from ..extract import Budget, Failed, Piece

    segments = _plan(env, paths, glob, defer=keep_going)
    tasks = [t for _, seg in segments if isinstance(seg, list) for t in seg]
    check_output(out.path, [t.path for t in tasks])
    budget = Budget(timeout, max_memory)
    transform = keywords_transform_if(keywords)
    size = sum(t.size for t in tasks)
    files = len(tasks) + sum(1 for _, seg in segments if not isinstance(seg, list))
    progress = Progress(env.stderr, files, size) if env.stderr_isatty else None
    chunk_fmt = "json" if out.fmt in ("db", "table") else out.fmt
    # a catalogue file is written in pieces as the workers make them (a large
    # document is never one string); .db and the summary take whole documents
    pieces = out.fmt not in ("db", "table")
    documents = measures = failed = 0

    def items() -> Iterator[Extracted | Failed | Piece]:
        """The stream, in order; a failure ends it, or with --keep-going is
        reported and passed on (the writer drops the pieces it wrote of it)."""
        nonlocal documents, measures, failed
        for item in _extracted(segments, encoding, chunk_fmt, jobs, transform, budget, pieces):
            if isinstance(item, Piece):
                yield item
                continue
            if progress:
                progress.advance(item.size)
            if isinstance(item, Failed):
                if env.traceback and item.detail:
                    env.stderr.write(item.detail)
                if not keep_going:
                    raise InputError(item.reason)
                failed += 1
                if progress:
                    progress.clear()
                env.message(f"error: {item.reason}")
                yield item
                continue
            for warning in item.warnings:
                # no silent loss: a document that lost text, or yielded nothing
                if progress:
                    progress.clear()
                env.message(f"warning: {warning}")
            documents += item.documents
            measures += item.measures
            yield item
        if failed and not documents:
            # nothing to show for the run: keep OUT (or stdout) as it was
            raise InputError(f"no document extracted: all {failed} file(s) failed")

    def whole() -> Iterator[str]:
        for item in items():
            if not isinstance(item, Failed | Piece):
                yield from item.chunks

    try:
        if out.fmt == "db":
            from ..store import StoreWriter

            assert out.path is not None
            db = StoreWriter(out.path)
            try:
                for chunk in whole():
                    db.add(_document(chunk))
                if progress:
                    progress.clear()
                # the full-text indexes are built at the end: seconds on an archive
                with activity(env, f"indexing {out.path} for full-text search"):
                    db.close()
            except BaseException:
                db.abort()
                raise
        elif out.fmt == "table":
            summary = [_summary(json.loads(chunk)) for chunk in whole()]
            if progress:
                progress.clear()
            from ..render.tables import render_summary

            out.render(lambda c: render_summary(c, summary, to_file=out.path is not None))
        elif out.path is not None:
            with atomic_output(out.path) as fh:
                writer = CatalogueWriter(fh, out.fmt)
                _write(writer, items(), keep_going)
                writer.close()
        else:
            # spooled: in memory up to 16 MB, then a temporary file, so an
            # error half way leaves no half catalogue in a redirected file
            with tempfile.SpooledTemporaryFile(16 << 20, mode="w+", encoding="utf-8", newline="") as spool:
                writer = CatalogueWriter(spool, out.fmt)
                _write(writer, items(), keep_going)
                writer.close()
                if progress:
                    progress.clear()
                spool.seek(0)
                _copy_to_stdout(env, spool)
    finally:
        if progress:
            progress.clear()
    failures = f"; {failed} of {len(tasks)} files failed (listed above)" if failed else ""
    out.done(f"{documents} document(s), {measures} measure(s){failures}")
    if failed and out.path is None:
        env.message(failures[2:])
    return ExitCode.ERROR if failed else ExitCode.OK


def _write(writer: CatalogueWriter, stream: Iterator[Extracted | Failed | Piece], keep_going: bool) -> None:
    """Write the stream's documents in order, pieces as they come.

    A failure ends the run before this sees it (the output is then never
    renamed into place), except with --keep-going: the input that failed
    part way is dropped by rewinding to where it began, or, where the output
    cannot be rewound (a device), its pieces are held until it is complete.
    """
    from ..extract import Failed, Piece

    rewind = keep_going and writer.out.seekable()
    hold = keep_going and not rewind
    mark = writer.mark() if rewind else (0, 0)
    held: list[Piece] = []
    for item in stream:
        if isinstance(item, Piece):
            if hold:
                held.append(item)
            else:
                writer.add_piece(item.text, item.first)
            continue
        if isinstance(item, Failed):
            if rewind:
                writer.rewind(mark)
        else:
            for p in held:
                writer.add_piece(p.text, p.first)
            for chunk in item.chunks:
                writer.add_chunk(chunk)
        held.clear()
        if rewind:
            mark = writer.mark()


# one segment of the inputs: source files (planned tasks), a .db catalogue, or stdin's catalogue
Segment = tuple[str, "list[Task] | str | Catalogue"]


def _plan(env: Environment, paths: Sequence[str], glob: str, defer: bool = False) -> list[Segment]:
    """The inputs in order, checked before anything is written: runs of
    files (``extract.plan``), SQLite catalogues, and stdin (a catalogue on
    stdin is kept as a catalogue, not read as Chinese text)."""
    from ..extract import Task, plan
    from ..store import is_store_path

    if not paths:
        return [("files", plan([], None, glob, defer=defer))]
    segments: list[Segment] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            segments.append(("files", plan(list(run), None, glob, defer=defer)))
            run.clear()

    for p in paths:
        if p == "-":
            flush()
            from ..read import read_bytes
            from ..sources import _catalogue_head

            data = read_bytes("-", env.stdin)
            if _catalogue_head(data):
                from ..catalogue import loads_catalogue

                segments.append(("catalogue", loads_catalogue(data, "<stdin>")))
            else:
                segments.append(("files", [Task("-", len(data), data)]))
        elif is_store_path(p) and os.path.isfile(p):
            flush()
            from ..store import Store

            Store(p).close()  # refuse a bad database before any output
            segments.append(("db", p))
        else:
            run.append(p)
    flush()
    return segments


def _extracted(
    segments: list[Segment], encoding: str | None, fmt: str, jobs: int, transform: Any, budget: Budget, pieces: bool = False
) -> Iterator[Extracted | Failed | Piece]:
    from ..catalogue import document_chunk
    from ..extract import Extracted, extract_stream
    from ..model import iter_sections

    def one(path: str, doc: Any, size: int) -> Extracted:
        if transform is not None:
            doc = transform(doc)
        n = sum(len(s.measures) for e in doc.essays for s in iter_sections(e.sections))
        return Extracted(path, (document_chunk(doc, fmt),), n, size)

    for kind, seg in segments:
        if kind == "files":
            assert isinstance(seg, list)
            yield from extract_stream(seg, encoding, fmt, jobs, transform, budget, pieces=pieces)
        elif kind == "db":
            assert isinstance(seg, str)
            from ..store import Store

            with Store(seg) as st:
                for doc in st.iter_documents():
                    yield one(seg, doc, 0)
        else:
            assert not isinstance(seg, list | str)
            for doc in seg.documents:
                yield one("-", doc, 0)


def _document(chunk: str) -> Any:
    from ..catalogue import catalogue_from_dict
    from ..model import SCHEMA

    return catalogue_from_dict({"schema": SCHEMA, "documents": [json.loads(chunk)]}).documents[0]


def _summary(d: dict[str, Any]) -> dict[str, Any]:
    """What the terminal summary shows of one document (from its catalogue dict)."""

    def walk(secs: list[dict[str, Any]]) -> tuple[int, int]:
        n_s = n_m = 0
        for s in secs:
            a, b = walk(s.get("sections", []))
            n_s += 1 + a
            n_m += len(s["measures"]) + b
        return n_s, n_m

    essays = []
    for e in d["essays"]:
        n_s, n_m = walk(e["sections"])
        essays.append({"id": e["id"], "title": e["title"], "authors": e["authors"], "sections": n_s, "measures": n_m})
    return {"source": d["source"], "title": d["title"] or d["banner"], "essays": essays, "repairs": len(d["repairs"])}


def keywords_transform_if(wanted: bool) -> Any:
    if not wanted:
        return None
    from ..extract import keywords_transform

    return keywords_transform


@contextlib.contextmanager
def interrupting_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end ``extract`` as Ctrl-C does, while it runs.

    KeyboardInterrupt unwinds through the writer: the temporary file beside
    OUT is removed and the workers are killed and reaped (``extract_stream``).
    Only a signal left at its default is taken over (``nohup`` sets SIGHUP to
    be ignored, and stays so); the previous handlers come back afterwards.
    """
    taken: list[tuple[int, Any]] = []
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            if signal.getsignal(sig) is signal.SIG_DFL:
                taken.append((sig, signal.signal(sig, _interrupt)))
        except ValueError:
            pass  # not the main thread
    try:
        yield
    finally:
        for sig, old in taken:
            signal.signal(sig, old)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _copy_to_stdout(env: Environment, src: IO[str]) -> None:
    from ..errors import OutputError

    try:
        while block := src.read(1 << 20):
            env.stdout.write(block)
        env.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # stdout on a full disk: say so once, and keep Python's exit-time
        # flush of the same buffer from printing a second error
        from ..cli import _silence_stdout

        _silence_stdout()
        raise OutputError(f"standard output: cannot write: {exc.strerror or exc}") from None


class Progress:
    """A one-line progress bar on stderr (a terminal) for runs over a second.

    Counted in input bytes, so one large file weighs more than many small
    ones. Redrawn at most ten times a second; ``clear`` leaves no trace.
    """

    delay = 1.0  # seconds before the bar appears: short runs stay silent
    width = 24

    def __init__(self, stream: IO[str], files: int, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.files = files
        self.total = max(total, 1)
        self.done_files = 0
        self.done = 0
        self.clock = clock
        self.start = clock()
        self.last = 0.0
        self.shown = False

    def advance(self, size: int) -> None:
        self.done_files += 1
        self.done += size
        now = self.clock()
        if now - self.start < self.delay or (now - self.last < 0.1 and self.done_files < self.files):
            return
        self.last = now
        frac = min(self.done / self.total, 1.0)
        filled = int(frac * self.width)
        elapsed = now - self.start
        eta = elapsed * (1 - frac) / frac if frac > 0 else 0.0
        line = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {frac:4.0%} "
            f"{self.done_files}/{self.files} files  {self.done / 2**20:.1f}/{self.total / 2**20:.1f} MB  "
            f"eta {int(eta) // 60}:{int(eta) % 60:02d}"
        )
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
