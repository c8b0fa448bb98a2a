"""Shared by the bench scripts: the corpus, a 50 MB archive of it, timing, peak RSS.

Figures are ratios of timings taken side by side in the same run, since
absolute times on a shared machine are noise. Each script prints its
figures and the command that reproduces them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run against this checkout

SEED = ROOT / "seeds" / "000_6dfcd726ad4e1932.txt"


def corpus_files() -> list[Path]:
    """The corpus (GUIZHOU_CORPUS, else ../shared/corpus beside the checkout); the seed if absent."""
    where = Path(os.environ.get("GUIZHOU_CORPUS", ROOT.parent / "shared" / "corpus"))
    files = sorted(where.glob("*.txt"))
    return files or [SEED]


def build_archive(megabytes: float, into: Path | None = None) -> tuple[Path, int, int]:
    """A directory of corpus copies, cycled until ``megabytes`` of input: (dir, files, bytes)."""
    target = int(megabytes * 2**20)
    d = into or Path(tempfile.mkdtemp(prefix="guizhou-bench-"))
    d.mkdir(parents=True, exist_ok=True)
    files = corpus_files()
    total = n = 0
    while total < target:
        src = files[n % len(files)]
        dst = d / f"{n:05d}-{src.name}"
        shutil.copyfile(src, dst)
        total += dst.stat().st_size
        n += 1
    return d, n, total


def texts_of(directory: Path) -> list[tuple[str, str]]:
    return [(str(p), p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.txt"))]


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """The best of ``repeat`` runs, in CPU seconds of this process.

    CPU time, not wall time: on a shared machine another process taking the
    core stretches wall time but not this one's CPU time.
    """
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the workers it waited for
    rss_mb: float  # peak RSS of its largest process
    total_rss_mb: float  # peak of the sum of its processes' RSS (parent and workers)
    code: int


def run_measured(args: Sequence[str], **kw: object) -> Measured:
    """Run a command to its end and measure it.

    Peak RSS is read from /proc while it runs (VmHWM of each process, and
    the sum of VmRSS over the process and its workers): the ``ru_maxrss`` of
    a child of this process would count this process's own memory, which
    Linux carries over at exec.
    """
    t = time.perf_counter()
    p = subprocess.Popen(list(args), **kw)  # type: ignore[call-overload]
    peaks: dict[int, int] = {}
    total_peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            total = 0
            for pid in _tree(p.pid):
                hwm, rss = _vm(pid)
                peaks[pid] = max(peaks.get(pid, 0), hwm)
                total += rss
            total_peak[0] = max(total_peak[0], total)
            done.wait(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    done.set()
    poller.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    largest = max(peaks.values(), default=0) / 1024
    return Measured(wall, usage.ru_utime + usage.ru_stime, largest, total_peak[0] / 1024, p.returncode)


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _vm(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) of a process in KB; zeros once it is gone."""
    hwm = rss = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return hwm, rss


def guizhou_command() -> list[str]:
    """The installed console script beside this Python, else what that script runs."""
    script = Path(sys.executable).with_name("guizhou")
    if script.exists():
        return [str(script)]
    # the console script's own body: no runpy, unlike ``python -m``
    return [sys.executable, "-c", "import sys; from guizhou_cli.cli import run; sys.argv[0] = 'guizhou'; run()"]


def env_with_checkout() -> dict[str, str]:
    """The environment for subprocesses, with this checkout first on the path."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def row(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"  {label:<58} {value:>16}  {target}{mark}")


def machine() -> str:
    """One line saying what the figures were measured on: CPUs usable, load, Python.

    Every script prints it beside its figures, since the same ratios differ on a
    loaded machine (the load average is read at the start and should be read
    again at the end by long scripts).
    """
    import platform

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    return (
        f"machine: {cpus} CPUs usable of {os.cpu_count()}, load average {load}, "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
