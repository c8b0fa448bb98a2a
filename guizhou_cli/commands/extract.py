"""``guizhou extract``: documents → one catalogue (YAML or JSON).

The catalogue is streamed: each input is parsed and serialised, then written,
before the next (``extract_stream``), so memory does not grow with the number
of files. With ``-o`` the stream goes to a temporary file renamed over OUT at
the end; to stdout it goes through a spool file first, so an error half way
never leaves half a catalogue in a redirected file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import IO

import click

from ..cli import Environment, encoding_option, pass_env


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
    help="Parse N files at a time in worker processes (0: one per CPU). The output is the same.",
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
    keywords: bool,
    pattern: str,
) -> None:
    """Parse documents into a catalogue of measures.

    PATH is a document (text, Markdown, HTML, Word, PDF), a directory (its
    *.txt files, sorted; --glob picks others), a catalogue
    (its documents are kept) or - for stdin. With no PATH, the bundled seed
    page is read.

    \b
    guizhou extract
    guizhou extract report.txt -o report.yaml
    guizhou extract archive/ -o archive.yaml --jobs 2
    cat report.txt | guizhou extract - --format json
    """
    import tempfile

    from ..catalogue import CatalogueWriter, atomic_output
    from ..extract import extract_stream, keywords_transform, plan

    tasks = plan(paths, env.stdin, pattern)
    if jobs == 0:
        jobs = os.cpu_count() or 1
    transform = keywords_transform if keywords else None
    progress = Progress(env.stderr, len(tasks), sum(t.size for t in tasks)) if env.stderr_isatty else None
    documents = measures = 0

    def write_all(out: IO[str]) -> None:
        nonlocal documents, measures
        writer = CatalogueWriter(out, fmt)
        for item in extract_stream(tasks, encoding, fmt, jobs, transform):
            for chunk in item.chunks:
                writer.add_chunk(chunk)
            documents += len(item.chunks)
            measures += item.measures
            if progress:
                progress.advance(item.size)
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
    if output:
        env.message(f"wrote {output}: {documents} document(s), {measures} measure(s)")


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
