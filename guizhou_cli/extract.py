"""The pipeline, end to end: read → normalise → paragraphs → structure → model.

``parse_text`` is the library's front door for text already in memory;
``parse_file`` reads a path (any supported format); ``extract`` builds a
whole catalogue in memory; ``extract_stream`` serialises one input at a time,
in worker processes if asked, for ``guizhou extract``.
"""

from __future__ import annotations

import collections
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from . import __version__
from .errors import InputError
from .model import Catalogue, Document
from .pipeline import parse_paragraphs, parse_source, parse_text, with_pages
from .read import expand_paths, read_bytes, read_source

__all__ = ["extract", "iter_documents", "parse_file", "parse_paragraphs", "parse_source", "parse_text", "with_pages"]


def parse_file(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Document:
    """Read and parse one file (``-`` is stdin)."""
    from .formats import read_document

    return read_document(path, encoding, stdin)


def iter_documents(
    paths: Iterable[str],
    encoding: str | None = None,
    on_document: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    for path in expand_paths(list(paths)):
        if on_document:
            on_document(path)
        yield parse_file(path, encoding)


def extract(paths: Iterable[str], encoding: str | None = None) -> Catalogue:
    """A catalogue of every document in ``paths`` (directories expanded)."""
    return Catalogue(generator=f"guizhou-cli {__version__}", documents=tuple(iter_documents(paths, encoding)))


# ------------------------------------------------------------ streaming
# ``guizhou extract`` streams: each input becomes its serialised document
# (``Extracted``), written out before the next is parsed, so memory does not
# grow with the number of files. With ``jobs > 1`` worker processes parse and
# serialise; the parent only writes, in input order, so the output is
# byte-identical to ``jobs=1``.

Transform = Callable[[Document], Document]


@dataclass(frozen=True, slots=True)
class Extracted:
    """One input's documents, serialised as catalogue items."""

    path: str
    chunks: tuple[str, ...]  # ``document_chunk`` of each document
    measures: int
    size: int  # bytes of input, for progress


@dataclass(frozen=True, slots=True)
class Task:
    """One input: a path to read (in a worker), or bytes already read."""

    path: str
    size: int
    data: bytes | None = None  # stdin or the bundled seed: read in the parent


def plan(paths: Iterable[str], stdin: IO[bytes] | None = None, pattern: str = "*.txt") -> list[Task]:
    """The inputs of ``extract``, in output order; no paths means the seed.

    Fails early, before any output, on a missing path or an empty directory.
    Stdin is read here (it can be read only once, and only by this process).
    """
    paths = list(paths)
    if not paths:
        from .sources import bundled_seeds

        return [Task(name, len(data), data) for name, data in bundled_seeds()]
    tasks: list[Task] = []
    for path in expand_paths(paths, pattern):
        if path == "-":
            data = read_bytes("-", stdin)
            tasks.append(Task("-", len(data), data))
            continue
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            if os.path.islink(path):
                raise InputError(f"{path}: is a broken symbolic link") from None
            raise InputError(f"{path}: no such file or directory") from None
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        tasks.append(Task(path, size))
    return tasks


def extract_task(task: Task, encoding: str | None = None, fmt: str = "yaml", transform: Transform | None = None) -> Extracted:
    """Parse (or load) one input and serialise its documents."""
    from .catalogue import document_chunk, load_catalogue
    from .model import iter_sections

    if task.data is not None:
        from .formats import document_from_bytes

        docs: tuple[Document, ...] = (document_from_bytes(task.data, task.path, encoding),)
    else:
        from .sources import is_catalogue

        docs = load_catalogue(task.path).documents if is_catalogue(task.path) else (parse_file(task.path, encoding),)
    if transform is not None:
        docs = tuple(transform(d) for d in docs)
    measures = sum(len(s.measures) for d in docs for e in d.essays for s in iter_sections(e.sections))
    return Extracted(task.path, tuple(document_chunk(d, fmt) for d in docs), measures, task.size)


def extract_stream(
    tasks: list[Task],
    encoding: str | None = None,
    fmt: str = "yaml",
    jobs: int = 1,
    transform: Transform | None = None,
) -> Iterator[Extracted]:
    """``extract_task`` over ``tasks``, in order, with ``jobs`` processes.

    At most a few results per worker are in flight, so a slow writer never
    lets parsed documents pile up in memory. Leaving the loop early (an
    error, Ctrl-C) terminates the workers.
    """
    work = functools.partial(extract_task, encoding=encoding, fmt=fmt, transform=transform)
    files = sum(1 for t in tasks if t.data is None)
    jobs = min(jobs, files)
    if jobs <= 1:
        for task in tasks:
            yield work(task)
        return
    from concurrent.futures.process import BrokenProcessPool

    pool = _Workers(jobs)
    try:
        window: collections.deque[Any] = collections.deque()
        todo = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(window) < 4 * jobs:
                nxt = next(todo, None)
                if nxt is None:
                    exhausted = True
                elif nxt.data is not None:
                    window.append(_Ready(work(nxt)))  # stdin or seed: here
                else:
                    window.append(pool.submit(work, nxt))
            if not window:
                break
            head = window.popleft()
            try:
                # in slices: a signal that lands just before a blocking wait
                # is acted on only when the wait returns (see read.py)
                while True:
                    try:
                        result = head.result(timeout=0.2)
                        break
                    except TimeoutError:
                        continue
            except BrokenProcessPool:
                raise InputError(
                    "a worker process ended abruptly (out of memory?) while reading the files; "
                    "try fewer --jobs, or find the file with --jobs 1"
                ) from None
            yield result
        pool.close()
    finally:
        pool.terminate()


@dataclass(frozen=True, slots=True)
class _Ready:
    value: Extracted

    def result(self, timeout: float | None = None) -> Extracted:
        return self.value


class _Workers:
    """A process pool that starts its workers deaf to Ctrl-C, and can be killed.

    ``concurrent.futures`` rather than ``multiprocessing.Pool``: when a
    worker dies (the kernel's OOM killer) its futures fail with
    BrokenProcessPool instead of waiting forever.
    """

    def __init__(self, jobs: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._old = _blocked_mask()
        self.executor = ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context(), initializer=_worker_init, initargs=(self._old,)
        )

    def submit(self, fn: Callable[[Task], Extracted], task: Task) -> Any:
        # Workers start on submit (fork: all at the first). SIGINT/SIGTERM are
        # blocked meanwhile, so that none inherits the parent's handler (which
        # raises KeyboardInterrupt: a traceback per worker); a signal that
        # came meanwhile is delivered on unblock, to the parent.
        import signal

        if not hasattr(signal, "pthread_sigmask"):
            return self.executor.submit(fn, task)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            return self.executor.submit(fn, task)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def terminate(self) -> None:
        # shutdown() alone would wait for running tasks (a worker blocked on
        # a FIFO: forever); end the workers first
        for proc in list((getattr(self.executor, "_processes", None) or {}).values()):
            if proc.is_alive():
                proc.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _blocked_mask() -> set[int]:
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return set()
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, set()))


def _worker_init(mask: Iterable[int]) -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent handles it and ends
    # the workers; SIGTERM (from terminate) ends a worker quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def keywords_transform(doc: Document) -> Document:
    """Fill keywords on one document (imports jieba: only when asked for)."""
    from .keywords import add_keywords

    return add_keywords(Catalogue(generator="", documents=(doc,))).documents[0]


__all__ = ["extract", "iter_documents", "parse_file", "parse_paragraphs", "parse_text", "read_source"]
