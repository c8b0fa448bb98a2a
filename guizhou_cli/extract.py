"""The pipeline, end to end: read → normalise → paragraphs → structure → model.

``parse_text`` is the library's front door for text already in memory;
``parse_file`` reads a path (any supported format); ``extract`` builds a
whole catalogue in memory; ``extract_stream`` serialises one input at a time,
each in a worker process under a time limit and a memory budget, for
``guizhou extract``.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal, overload

from . import __version__
from .errors import GuizhouError, InputError
from .model import Catalogue, Document
from .pipeline import parse_paragraphs, parse_source, parse_text, with_pages
from .read import display_name, expand_paths, read_bytes, read_source

__all__ = [
    "Budget",
    "Extracted",
    "Failed",
    "Piece",
    "Task",
    "extract",
    "extract_pieces",
    "extract_stream",
    "iter_documents",
    "parse_file",
    "parse_paragraphs",
    "parse_source",
    "parse_text",
    "plan",
    "read_source",
    "usable_cpus",
    "with_pages",
]


def parse_file(path: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Document:
    """Read and parse one file (``-`` is stdin), any supported format.

    The document's ``source`` is the path as given, with any byte of the name
    that is not UTF-8 written ``\\xNN`` (``display_name``).
    """
    from .formats import document_from_bytes

    return document_from_bytes(read_bytes(path, stdin), display_name(path), encoding)


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
# (``Extracted``) or the one-line reason it could not (``Failed``), yielded in
# input order, so memory does not grow with the number of files and the
# output of ``jobs=N`` is byte-identical to ``jobs=1``.
#
# Every input is read in a worker process forked from this one (after a
# warm-up, so that workers share the imported parser instead of each loading
# it), under a time limit and a memory budget: a file that hangs a reader or
# blows up in memory fails alone, its worker is killed and replaced, and the
# others are extracted. Workers take consecutive runs of files ("chunks",
# about a megabyte of input each) and hand back each file's catalogue text as
# UTF-8 bytes; the parent only decodes and writes, in order.
#
# With ``pieces=True`` a document's text comes as ``Piece``s of about a
# megabyte, made by the writer as it walks the model and sent as they are
# made, then the input's ``Extracted`` (without chunks): a 10 MB document,
# 65 MB of YAML, is never one string, nor one message, in either process.
# The parent yields the pieces of the input being written as they arrive and
# holds only those of inputs ahead of it. An input that fails after some of
# its pieces were yielded is followed by its ``Failed``: the consumer drops
# what it wrote of it (``CatalogueWriter.rewind``) or ends the run.

Transform = Callable[[Document], Document]

DEFAULT_TIMEOUT = 60.0  # seconds for a file of up to a megabyte …
TIMEOUT_PER_MB = 10.0  # … and this much more per megabyte of input (a 500-page PDF is slow, not stuck)
DEFAULT_MEMORY_MB = 2048  # address space a worker may add while reading one file
MIN_BYTES_PER_WORKER = 1 << 20  # below a megabyte of input per worker, another costs more than it gives (bench_extract at ×1)
MAX_CHUNK = 1 << 20  # input bytes per chunk: big enough to amortise a message, small enough to balance
MAX_CHUNK_FILES = 256  # files per chunk: keeps the message of indices far below a pipe's buffer
WINDOW = 16 << 20  # input bytes handed out ahead of the writer: bounds the results held for ordering
PIECE_CHARS = 1 << 20  # characters per piece of a document's text (``pieces=True``): one message of about a megabyte


@dataclass(frozen=True, slots=True)
class Budget:
    """What one input may take: seconds (``None``: the default for its size; 0: no limit) and megabytes (0: no limit)."""

    timeout: float | None = None
    memory_mb: int = DEFAULT_MEMORY_MB

    def seconds(self, size: int) -> float | None:
        if self.timeout is None:
            return DEFAULT_TIMEOUT + TIMEOUT_PER_MB * max(size - (1 << 20), 0) / (1 << 20)
        return self.timeout or None


@dataclass(frozen=True, slots=True)
class Extracted:
    """One input's documents, serialised as catalogue items."""

    path: str  # as shown (``display_name``)
    chunks: tuple[str, ...]  # ``document_chunk`` of each document (empty when sent as pieces)
    measures: int
    size: int  # bytes of input, for progress
    warnings: tuple[str, ...] = ()  # ``pipeline.coverage_warning`` of its documents: no silent loss
    pieced: int = 0  # documents that came before it as ``Piece``s

    @property
    def documents(self) -> int:
        return len(self.chunks) + self.pieced


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of an input's catalogue text (``extract_stream(pieces=True)``), in order."""

    text: str
    first: bool  # the first piece of a document: a separator goes before it


@dataclass(frozen=True, slots=True)
class Failed:
    """One input that could not be extracted, and why (one line that names it)."""

    path: str  # as shown (``display_name``)
    reason: str
    size: int
    detail: str = ""  # the stack of an internal error, for --traceback


@dataclass(frozen=True, slots=True)
class Task:
    """One input: a path to read (in a worker), or bytes already read."""

    path: str
    size: int
    data: bytes | None = None  # stdin or the bundled seed: read in the parent
    error: str | None = None  # found while planning (``plan(defer=True)``): fails without being read


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, e.g. under taskset or a container)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def plan(paths: Iterable[str], stdin: IO[bytes] | None = None, pattern: str = "*.txt", defer: bool = False) -> list[Task]:
    """The inputs of ``extract``, in output order; no paths means the seed.

    Fails early, before any output, on a missing path or an empty directory;
    with ``defer`` a file that cannot be found (a dangling symbolic link, a
    path given twice of which one vanished) becomes a task that fails in its
    turn, so that ``--keep-going`` reports it with the others. Stdin is read
    here (it can be read only once, and only by this process).
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
        except OSError as exc:
            if isinstance(exc, FileNotFoundError):
                why = "is a broken symbolic link" if os.path.islink(path) else "no such file or directory"
            else:
                why = exc.strerror or str(exc)
            if not defer:
                raise InputError(f"{display_name(path)}: {why}") from None
            tasks.append(Task(path, 0, error=f"{display_name(path)}: {why}"))
            continue
        tasks.append(Task(path, size))
    return tasks


def _read_task(task: Task, encoding: str | None, transform: Transform | None) -> tuple[Document, ...]:
    from .catalogue import load_catalogue

    if task.error is not None:
        raise InputError(task.error)
    if task.data is not None:
        from .formats import document_from_bytes

        docs: tuple[Document, ...] = (document_from_bytes(task.data, task.path, encoding),)
    else:
        from .sources import is_catalogue

        docs = load_catalogue(task.path).documents if is_catalogue(task.path) else (parse_file(task.path, encoding),)
    if transform is not None:
        docs = tuple(transform(d) for d in docs)
    return docs


def _tally(docs: tuple[Document, ...]) -> tuple[int, tuple[str, ...]]:
    """Measures, and coverage warnings, of an input's documents."""
    from .model import iter_sections
    from .pipeline import coverage_warning

    measures = sum(len(s.measures) for d in docs for e in d.essays for s in iter_sections(e.sections))
    warnings = tuple(w for d in docs if (w := coverage_warning(d)) is not None)
    return measures, warnings


def extract_task(task: Task, encoding: str | None = None, fmt: str = "yaml", transform: Transform | None = None) -> Extracted:
    """Parse (or load) one input and serialise its documents."""
    from .catalogue import document_chunk

    docs = _read_task(task, encoding, transform)
    measures, warnings = _tally(docs)
    return Extracted(display_name(task.path), tuple(document_chunk(d, fmt) for d in docs), measures, task.size, warnings)


def extract_pieces(
    task: Task, encoding: str | None = None, fmt: str = "yaml", transform: Transform | None = None
) -> Iterator[Piece | Extracted]:
    """``extract_task`` with each document's text as ``Piece``s, made as they
    are yielded, then the ``Extracted`` (without chunks) last."""
    from .catalogue import document_pieces

    docs = _read_task(task, encoding, transform)
    measures, warnings = _tally(docs)
    for d in docs:
        first = True
        for text in document_pieces(d, fmt, PIECE_CHARS):
            yield Piece(text, first)
            first = False
    yield Extracted(display_name(task.path), (), measures, task.size, warnings, pieced=len(docs))


@dataclass(frozen=True, slots=True)
class _Settings:
    encoding: str | None
    fmt: str
    transform: Transform | None
    memory_mb: int
    pieces: bool = False


@overload
def extract_stream(
    tasks: list[Task],
    encoding: str | None = ...,
    fmt: str = ...,
    jobs: int = ...,
    transform: Transform | None = ...,
    budget: Budget | None = ...,
    isolate: bool = ...,
    pieces: Literal[False] = ...,
) -> Iterator[Extracted | Failed]: ...


@overload
def extract_stream(
    tasks: list[Task],
    encoding: str | None = ...,
    fmt: str = ...,
    jobs: int = ...,
    transform: Transform | None = ...,
    budget: Budget | None = ...,
    isolate: bool = ...,
    pieces: bool = ...,
) -> Iterator[Extracted | Failed | Piece]: ...


def extract_stream(
    tasks: list[Task],
    encoding: str | None = None,
    fmt: str = "yaml",
    jobs: int = 1,
    transform: Transform | None = None,
    budget: Budget | None = None,
    isolate: bool = True,
    pieces: bool = False,
) -> Iterator[Extracted | Failed | Piece]:
    """``extract_task`` over ``tasks``: one result per task, in order.

    ``pieces``: each input's documents come as ``Piece``s, in order, before
    its result (``extract_pieces``); an input that fails part way has its
    ``Failed`` after the pieces it sent.

    ``jobs`` worker processes at most (0: one per usable CPU; never more
    than the CPUs usable, nor than the input is worth: a small input gets
    one). ``isolate=False``, or a platform without ``fork``, reads in this
    process, without the budget. Leaving the loop early (an error, Ctrl-C)
    kills the workers and waits for them.
    """
    budget = budget or Budget()
    settings = _Settings(encoding, fmt, transform, budget.memory_mb, pieces)
    if not tasks:
        return
    if not isolate or not hasattr(os, "fork"):
        for task in tasks:
            for item in _attempt(task, settings):
                yield item if isinstance(item, Piece) else item[0]
        return
    warm_up(tasks, fmt, transform)
    workers = workers_for(tasks, jobs)
    yield from _Supervisor(tasks, settings, workers, budget).run()


def workers_for(tasks: list[Task], jobs: int) -> int:
    """How many workers: ``jobs`` (0: all), capped at the CPUs usable and at what the input is worth."""
    cpus = usable_cpus()
    n = cpus if jobs <= 0 else min(jobs, cpus)
    total = sum(t.size for t in tasks)
    return max(1, min(n, len(tasks), total // MIN_BYTES_PER_WORKER))


_WARM_TEXT = (
    "关于做好重点工作的通知\n\n一、加强组织领导\n\n着力推进重点工作。一是建立工作机制。二是压实各方责任。\n\n（一）完善制度。\n"
)


def warm_up(tasks: list[Task], fmt: str = "yaml", transform: Transform | None = None) -> None:
    """Import and exercise, in this process, what the workers will need.

    Workers are forked after this: they start with the parser, its lexicons
    and compiled patterns, the serialiser and (for ``--keywords``) jieba's
    dictionary already loaded, shared copy-on-write, instead of each loading
    them for its first file.
    """
    from .catalogue import document_chunk
    from .formats import document_from_bytes
    from .sources import is_catalogue  # noqa: F401

    doc = document_from_bytes(_WARM_TEXT.encode("utf-8"), "<warm-up>.txt")
    document_chunk(doc, fmt)
    if transform is not None:
        transform(doc)
    suffixes = {os.path.splitext(t.path)[1].lower() for t in tasks}
    modules = []
    if suffixes & {".html", ".htm", ".xhtml", ".shtml"}:
        modules.append("guizhou_cli.readers.html")
    if suffixes & {".md", ".markdown", ".mdown", ".mkd"}:
        modules.append("guizhou_cli.readers.markdown")
    if ".docx" in suffixes:
        modules.append("guizhou_cli.readers.docx")
    if ".pdf" in suffixes:
        # the reader imports pdfminer lazily; its modules are most of the cost
        modules += ["guizhou_cli.readers.pdf", "pdfminer.pdfpage", "pdfminer.pdfinterp", "pdfminer.converter", "pdfminer.layout"]
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the worker reports the missing extra for the file itself
    _deathsig()  # loads libc once, here


def _attempt(task: Task, s: _Settings) -> Iterator[Piece | tuple[Extracted | Failed, bool]]:
    """``extract_task`` (or ``extract_pieces``: its pieces first), with every
    failure a ``Failed``; last, the result and a flag that says the worker should end."""
    name = display_name(task.path)
    try:
        if s.pieces:
            for item in extract_pieces(task, encoding=s.encoding, fmt=s.fmt, transform=s.transform):
                if isinstance(item, Piece):
                    yield item
                else:
                    result = item
        else:
            result = extract_task(task, encoding=s.encoding, fmt=s.fmt, transform=s.transform)
        yield result, False
        return
    except GuizhouError as exc:
        yield Failed(name, display_name(str(exc)), task.size), False
        return
    except MemoryError:
        # The traceback holds the frames, and they the data, until this block
        # ends: lift the limit so that nothing here fails again, and report
        # outside it. A worker that ran out of memory may be in a bad way: it
        # ends, another is forked.
        _lift_memory_limit()
    except Exception as exc:
        import traceback

        from .errors import missing_package

        text = " ".join(str(exc).split())
        why = missing_package(exc) or f"internal error: {type(exc).__name__}: {text} (run with --traceback for details)"
        yield Failed(name, display_name(f"{name}: {why}"), task.size, traceback.format_exc()), False
        return
    yield _out_of_memory(name, task.size, s), True  # only a MemoryError comes here


def _out_of_memory(name: str, size: int, s: _Settings) -> Failed:
    if s.memory_mb:
        return Failed(name, f"{name}: needs more than its memory budget of {s.memory_mb} MB (--max-memory to raise it)", size)
    return Failed(name, f"{name}: out of memory", size)


# ------------------------------------------------------------ workers


class _Worker:
    """A forked worker: its pid, its two pipes, and the inputs handed to it, in order."""

    def __init__(self, pid: int, commands: Any, results: Any) -> None:
        self.pid = pid
        self.commands = commands  # Connection: lists of task indices → worker
        self.results = results  # Connection: one message per input ← worker
        self.assigned: deque[int] = deque()  # handed to it, not yet answered; [0] is being read
        self.ends: deque[int] = deque()  # last index of each chunk handed to it
        self.started = 0.0  # when it began assigned[0]
        self.retiring = False  # said it will end (after a MemoryError)


class _Supervisor:
    def __init__(self, tasks: list[Task], settings: _Settings, workers: int, budget: Budget) -> None:
        self.tasks = tasks
        self.settings = settings
        self.n = workers
        self.budget = budget
        self.workers: list[_Worker] = []
        # what has come for each input not yet yielded: its pieces (UTF-8,
        # decoded when yielded), then its result, which completes it
        self.done: dict[int, deque[Extracted | Failed | tuple[bytes, bool]]] = {}
        self.retry: deque[int] = deque()
        self.prefix = [0]
        for t in tasks:
            self.prefix.append(self.prefix[-1] + t.size)
        total = self.prefix[-1]
        target = min(MAX_CHUNK, max(total // (workers * 8), 1))
        self.chunks: deque[tuple[int, int]] = deque()
        start = 0
        for i in range(len(tasks)):
            if self.prefix[i + 1] - self.prefix[start] >= target or i + 1 - start >= MAX_CHUNK_FILES or i == len(tasks) - 1:
                self.chunks.append((start, i + 1))
                start = i + 1
        self.window = max(WINDOW, 4 * workers * target)
        self.handed = 0  # tasks [0, handed) have been given out (in chunks, in order)
        self.next_out = 0

    def run(self) -> Iterator[Extracted | Failed | Piece]:
        import gc

        # Objects alive now (modules, lexicons, patterns) go to a generation
        # the collector never scans: a worker's collections then do not write
        # to those pages, which stay shared with this process instead of
        # being copied into each worker.
        gc.freeze()
        try:
            while self.next_out < len(self.tasks):
                while (queue := self.done.get(self.next_out)) is not None and queue:
                    item = queue.popleft()
                    if isinstance(item, tuple):
                        yield Piece(item[0].decode("utf-8"), item[1])
                        continue
                    del self.done[self.next_out]
                    self.next_out += 1
                    yield item
                if self.next_out >= len(self.tasks):
                    break
                self._hand_out()
                self._wait()
        finally:
            self._stop_all()
            gc.unfreeze()

    # -------------------------------------------------------- handing out

    def _hand_out(self) -> None:
        while True:
            w = self._free_worker()
            if w is None:
                return
            if self.retry:
                batch = list(self.retry)
                self.retry.clear()
            elif self.chunks:
                a, b = self.chunks[0]
                ahead = self.prefix[self.handed] - self.prefix[self.next_out]
                if ahead and self.prefix[b] - self.prefix[self.next_out] > self.window:
                    return  # far enough ahead of the writer
                self.chunks.popleft()
                self.handed = b
                batch = list(range(a, b))
            else:
                return
            if not w.assigned:
                w.started = time.monotonic()
            w.assigned.extend(batch)
            w.ends.append(batch[-1])
            try:
                w.commands.send(batch)
            except OSError:
                pass  # it died: its end of file on the results says so

    def _free_worker(self) -> _Worker | None:
        """A worker with less than two chunks to do (one read, one waiting), forking one if there is room."""
        if not self.retry and not self.chunks:
            return None
        live = [w for w in self.workers if not w.retiring]
        for w in sorted(live, key=lambda w: len(w.ends)):
            if len(w.ends) < 2:
                return w
        if len(live) < self.n:
            return self._fork()
        return None

    def _fork(self) -> _Worker:
        from multiprocessing import Pipe

        cmd_r, cmd_w = Pipe(duplex=False)
        res_r, res_w = Pipe(duplex=False)
        inherited = [c for w in self.workers for c in (w.commands, w.results)] + [cmd_w, res_r]
        parent = os.getpid()
        # Signals are blocked across the fork: the child must not run this
        # process's handlers (Ctrl-C would raise KeyboardInterrupt in it); a
        # signal that comes meanwhile is delivered here once the child is
        # on the list of workers to end.
        deaf = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        old = signal.pthread_sigmask(signal.SIG_BLOCK, deaf)
        pid = -1
        try:
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                _worker_main(self.tasks, self.settings, cmd_r, res_w, inherited, parent, old)
            w = _Worker(pid, cmd_w, res_r)
            self.workers.append(w)
        finally:
            if pid != 0:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
        cmd_r.close()
        res_w.close()
        return w

    # -------------------------------------------------------- waiting

    def _wait(self) -> None:
        from multiprocessing.connection import wait

        now = time.monotonic()
        timeout: float | None = None
        for w in self.workers:
            if w.assigned and not w.retiring:
                limit = self.budget.seconds(self.tasks[w.assigned[0]].size)
                if limit is not None:
                    left = max(w.started + limit - now, 0.0)
                    timeout = left if timeout is None else min(timeout, left)
        by_conn = {id(w.results): w for w in self.workers}
        ready = wait([w.results for w in self.workers], timeout)
        for conn in ready:
            w = by_conn[id(conn)]
            while True:
                try:
                    msg = w.results.recv()
                except (EOFError, OSError):
                    self._ended(w)
                    break
                self._answer(w, msg)
                if (msg[0] == "piece" and msg[1] == self.next_out) or not w.results.poll():
                    # a piece of the input being written goes to the writer at
                    # once: the pieces of a large document are not all received first
                    break
        now = time.monotonic()
        for w in list(self.workers):
            if w.assigned and not w.retiring:
                limit = self.budget.seconds(self.tasks[w.assigned[0]].size)
                if limit is not None and now - w.started > limit and not w.results.poll():
                    self._timed_out(w, limit)

    def _answer(self, w: _Worker, msg: tuple[Any, ...]) -> None:
        i = msg[1]
        if msg[0] == "piece":  # part of the input being read: its clock runs on
            self._queue(i).append((msg[3], msg[2]))
            return
        task = self.tasks[i]
        if w.assigned and w.assigned[0] == i:
            w.assigned.popleft()
        if w.ends and w.ends[0] == i:
            w.ends.popleft()
        w.started = time.monotonic()
        if msg[0] == "ok":
            self._queue(i).append(
                Extracted(display_name(task.path), tuple(b.decode("utf-8") for b in msg[3]), msg[2], task.size, msg[4], msg[5])
            )
        else:
            self._queue(i).append(Failed(display_name(task.path), msg[2], task.size, msg[3]))
            if msg[4]:  # the worker ends: what it had not begun goes to another
                w.retiring = True
                self._give_back(w)

    def _queue(self, i: int) -> deque[Extracted | Failed | tuple[bytes, bool]]:
        q = self.done.get(i)
        if q is None:
            q = self.done[i] = deque()
        return q

    def _give_back(self, w: _Worker) -> None:
        self.retry = deque(sorted([*self.retry, *w.assigned]))
        w.assigned.clear()
        w.ends.clear()

    def _timed_out(self, w: _Worker, limit: float) -> None:
        i = w.assigned.popleft()
        task = self.tasks[i]
        name = display_name(task.path)
        why = f"not read within {limit:g} s, the time limit per file (--timeout to change)"
        self._queue(i).append(Failed(name, f"{name}: {why}", task.size))
        self._give_back(w)
        self._reap(w, kill=True)

    def _ended(self, w: _Worker) -> None:
        status = self._reap(w, kill=False)
        if w.assigned:
            i = w.assigned.popleft()
            task = self.tasks[i]
            name = display_name(task.path)
            self._queue(i).append(Failed(name, f"{name}: {_how_it_ended(status)}", task.size))
            self._give_back(w)

    def _reap(self, w: _Worker, kill: bool) -> int:
        if kill:
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        status = 0
        try:
            _, status = os.waitpid(w.pid, 0)
        except ChildProcessError:
            pass
        for conn in (w.commands, w.results):
            try:
                conn.close()
            except OSError:
                pass
        self.workers.remove(w)
        return status

    def _stop_all(self) -> None:
        # SIGKILL even an idle worker: it has nothing to finish, and a
        # worker stuck in a read (a FIFO) would never see its end of input
        for w in list(self.workers):
            self._reap(w, kill=True)


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            sname = signal.Signals(sig).name
        except ValueError:
            sname = f"signal {sig}"
        if sig == signal.SIGKILL:
            return f"the process reading it was killed ({sname}; out of memory?)"
        return f"the process reading it crashed ({sname})"
    return f"the process reading it ended abruptly (exit status {os.waitstatus_to_exitcode(status)})"


def _worker_main(
    tasks: list[Task], s: _Settings, commands: Any, results: Any, inherited: list[Any], parent: int, mask: Iterable[int]
) -> None:
    """The body of a forked worker: read the indices it is sent, answer each; ends with ``os._exit``."""
    code = 70
    try:
        # Ctrl-C and a hang-up reach the whole process group: the parent
        # handles them and ends the workers. SIGTERM (sent by anyone) ends
        # a worker quietly.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _deathsig()
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(0)
        for conn in inherited:
            conn.close()  # other workers' pipes: their ends of file must not wait for us
        # A large document allocates millions of objects, few of them in
        # cycles: at the default thresholds the collector's passes over them
        # were a sixth of the parse of a 10 MB document (bench/bench_large.py),
        # for no memory back. Rarer passes here; still collected.
        import gc

        gc.set_threshold(100_000, 50, 100)
        while True:
            try:
                batch = commands.recv()
            except (EOFError, OSError):
                code = 0
                break
            for i in batch:
                sent = False
                try:
                    _limit_memory(s.memory_mb)
                    for item in _attempt(tasks[i], s):
                        if isinstance(item, Piece):
                            results.send(_piece_message(i, item))
                            continue
                        result, retire = item
                        results.send(_message(i, result, retire))
                        sent = True
                except _Unencodable as exc:
                    retire = False
                    results.send(("fail", i, _unencodable(display_name(tasks[i].path), exc.exc), "", retire))
                    sent = True
                except MemoryError:
                    # past the budget outside the reader (encoding or pickling the catalogue text)
                    _lift_memory_limit()
                if not sent:
                    retire = True
                    results.send(_message(i, _out_of_memory(display_name(tasks[i].path), tasks[i].size, s), retire))
                if retire:
                    code = 0
                    raise SystemExit
    except BaseException:  # noqa: S110 - nothing of the parent's may run here
        pass
    finally:
        os._exit(code)


def _message(i: int, item: Extracted | Failed, retire: bool) -> tuple[Any, ...]:
    """What a worker sends for input ``i``: its catalogue text as UTF-8 bytes, or why it failed."""
    if isinstance(item, Failed):
        return ("fail", i, item.reason, item.detail, retire)
    try:
        return ("ok", i, item.measures, tuple(c.encode("utf-8") for c in item.chunks), item.warnings, item.pieced)
    except UnicodeEncodeError as exc:
        return ("fail", i, _unencodable(item.path, exc), "", False)


def _piece_message(i: int, piece: Piece) -> tuple[Any, ...]:
    """A piece of input ``i``'s text, as UTF-8 (about a megabyte: one pipe message)."""
    try:
        return ("piece", i, piece.first, piece.text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        # reported as the input's failure, after the pieces already sent
        raise _Unencodable(exc) from None


class _Unencodable(Exception):
    def __init__(self, exc: UnicodeEncodeError) -> None:
        self.exc = exc


def _unencodable(path: str, exc: UnicodeEncodeError) -> str:
    return f"{path}: internal error: the catalogue text cannot be written as UTF-8 ({exc.reason})"


def _limit_memory(mb: int) -> None:
    """Let this process grow by at most ``mb`` megabytes of address space, from now."""
    if not mb:
        return
    try:
        import resource

        with open("/proc/self/status", "rb") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith(b"VmSize:"))
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + (mb << 20)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, StopIteration, ImportError):
        pass  # not Linux: the time limit still holds


def _lift_memory_limit() -> None:
    resource = sys.modules.get("resource")  # imported by _limit_memory, which set the limit
    if resource is not None:
        try:
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        except (OSError, ValueError):
            pass


_prctl: Any = None


def _deathsig() -> None:
    """On Linux, have the kernel SIGKILL this process when its parent dies, however it dies."""
    global _prctl
    if not sys.platform.startswith("linux"):
        return
    if _prctl is None:
        try:
            import ctypes

            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError, ImportError):
            _prctl = False
        return  # in the parent (warm-up): loaded only
    if _prctl:
        _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def keywords_transform(doc: Document) -> Document:
    """Fill keywords on one document (imports jieba: only when asked for)."""
    from .keywords import add_keywords

    return add_keywords(Catalogue(generator="", documents=(doc,))).documents[0]
