"""``guizhou extract``: documents → one catalogue (YAML or JSON).

The catalogue is streamed: each input is parsed and serialised, then written,
before the next (``extract_stream``), so memory does not grow with the number
of files. With ``-o`` the stream goes to a temporary file renamed over OUT at
the end; to stdout it goes through a spool file first, so an error half way
never leaves half a catalogue in a redirected file.

Every input is read in a worker process under a time limit and a memory
budget. By default the first input that fails ends the run (exit 2, one line
naming it, nothing written); with ``--keep-going`` every input is tried, each
failure is one line on stderr, the others are written, and the exit code is
still 2 (as ``make -k`` and ``grep`` on a missing file).
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import click

from ..cli import Environment, ExitCode, encoding_option, pass_env


@click.command("extract")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("-o", "--output", metavar="OUT", help="Write the catalogue to OUT (atomically) instead of stdout.")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Catalogue format."
)
@encoding_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Parse up to N files at a time in worker processes (0: one per CPU; never more than the CPUs usable). "
    "The output is the same.",
)
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
@click.option(
    "--glob",
    "pattern",
    default="*.txt",
    show_default=True,
    metavar="PATTERN",
    help="Which files of a directory to read, e.g. '*.pdf' or '*.*'.",
)
@pass_env
def extract_cmd(
    env: Environment,
    paths: tuple[str, ...],
    output: str | None,
    fmt: str,
    encoding: str | None,
    jobs: int,
    timeout: float | None,
    max_memory: int,
    keep_going: bool,
    keywords: bool,
    pattern: str,
) -> int:
    """Parse documents into a catalogue of measures.

    PATH is a document (text, Markdown, HTML, Word, PDF), a directory (its
    *.txt files, sorted; --glob picks others), a catalogue
    (its documents are kept) or - for stdin. With no PATH, the bundled seed
    page is read.

    Each file is read in a worker process, within --timeout and --max-memory.
    The first file that fails ends the run with exit 2 and nothing written;
    with --keep-going the others are written, each failure is listed on
    stderr, and the exit code is still 2.

    \b
    guizhou extract
    guizhou extract report.txt -o report.yaml
    guizhou extract archive/ -o archive.yaml --jobs 2
    guizhou extract archive/ -o archive.yaml --keep-going --timeout 30
    cat report.txt | guizhou extract - --format json
    """
    with interrupting_signals():
        return _extract(env, paths, output, fmt, encoding, jobs, timeout, max_memory, keep_going, keywords, pattern)


def _extract(
    env: Environment,
    paths: tuple[str, ...],
    output: str | None,
    fmt: str,
    encoding: str | None,
    jobs: int,
    timeout: float | None,
    max_memory: int,
    keep_going: bool,
    keywords: bool,
    pattern: str,
) -> int:
    import tempfile

    from ..catalogue import CatalogueWriter, atomic_output
    from ..errors import InputError
    from ..extract import Budget, Failed, extract_stream, keywords_transform, plan
    from ..read import display_name

    tasks = plan(paths, env.stdin, pattern, defer=keep_going)
    transform = keywords_transform if keywords else None
    budget = Budget(timeout, max_memory)
    progress = Progress(env.stderr, len(tasks), sum(t.size for t in tasks)) if env.stderr_isatty else None
    documents = measures = failed = 0

    def write_all(out: IO[str]) -> None:
        nonlocal documents, measures, failed
        writer = CatalogueWriter(out, fmt)
        for item in extract_stream(tasks, encoding, fmt, jobs, transform, budget):
            if isinstance(item, Failed):
                if env.traceback and item.detail:
                    env.stderr.write(item.detail)
                if not keep_going:
                    raise InputError(item.reason)
                failed += 1
                if progress:
                    progress.clear()
                env.message(f"error: {item.reason}")
            else:
                for chunk in item.chunks:
                    writer.add_chunk(chunk)
                documents += len(item.chunks)
                measures += item.measures
            if progress:
                progress.advance(item.size)
        if failed and not documents:
            # nothing to show for the run: keep OUT (or stdout) as it was
            raise InputError(f"no document extracted: all {failed} file(s) failed")
        writer.close()

    try:
        if output:
            with atomic_output(output) as out:
                write_all(out)
        else:
            # spooled: in memory up to 16 MB, then a temporary file
            with tempfile.SpooledTemporaryFile(16 << 20, mode="w+", encoding="utf-8", newline="") as spool:
                write_all(spool)
                if progress:
                    progress.clear()
                spool.seek(0)
                _copy_to_stdout(env, spool)
    finally:
        if progress:
            progress.clear()
    failures = f"; {failed} of {len(tasks)} files failed (listed above)" if failed else ""
    if output:
        env.message(f"wrote {display_name(output)}: {documents} document(s), {measures} measure(s){failures}")
    elif failed:
        env.message(failures[2:])
    return ExitCode.ERROR if failed else ExitCode.OK


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
