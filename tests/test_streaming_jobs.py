"""Streaming extraction, --jobs, budgets, the progress bar, and interruption.

* ``--jobs N`` gives the bytes of ``--jobs 1``, whatever the mix of inputs;
  it is capped at the CPUs usable, and a small input gets one worker;
* one file that fails (unreadable, over its time limit or memory budget, its
  worker killed) fails alone: by default the run stops with one line naming
  it and writes nothing; ``--keep-going`` writes the others and lists it;
* file names with bytes that are not UTF-8 are read, recorded and reported
  with ``\\xNN`` escapes;
* a failure half way, or Ctrl-C / SIGTERM / SIGHUP (real signals to a real process),
  leaves OUT as it was, removes the temporary file, leaves no worker behind;
  Ctrl-C exits 130 with one line;
* memory does not grow with the number of files (one document at a time);
* the progress bar shows on a terminal only, and leaves no trace.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from guizhou_cli import load_catalogue
from guizhou_cli.catalogue import dumps_catalogue
from guizhou_cli.cli import Environment, main
from guizhou_cli.extract import _read_task as _real_read_task

from .cli_helpers import _TTY, run
from .conftest import CORPUS, ROOT, SEED


@pytest.fixture(autouse=True)
def _every_worker(monkeypatch):
    """Inputs here are small, which would get one worker whatever --jobs says:
    let every --jobs N here start N workers, so that the parallel paths run."""
    import guizhou_cli.extract as ex

    monkeypatch.setattr(ex, "MIN_BYTES_PER_WORKER", 1)


def errors(err: str) -> list[str]:
    """stderr without the coverage warnings (a seed prefix may hold sections and no measure)."""
    return [line for line in err.splitlines() if ": warning: " not in line]


def _inputs(tmp_path: Path, n: int = 10) -> Path:
    """A directory of documents of different sizes: corpus files if present, and cut seeds."""
    d = tmp_path / "docs"
    d.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    corpus = sorted(CORPUS.glob("*.txt"))[:4]
    for i, f in enumerate(corpus):
        (d / f"c{i}.txt").write_bytes(f.read_bytes())
    for i in range(n - len(corpus)):
        (d / f"s{i:02d}.txt").write_text(seed[: 2000 + 1500 * i], encoding="utf-8")
    return d


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_jobs_give_the_same_bytes_as_one_job(tmp_path, fmt):
    d = _inputs(tmp_path)
    cat = tmp_path / "seed.yaml"
    assert run("extract", "-o", str(cat)).code == 0
    stdin = "标题\n\n加强组织领导。一是建立机制。二是压实责任。\n".encode()
    args = ("extract", str(d), str(cat), "-", str(SEED), "-f", fmt)
    one = run(*args, stdin=stdin)
    assert one.code == 0, one.err
    for jobs in ("2", "3", "0"):
        many = run(*args, "--jobs", jobs, stdin=stdin)
        assert many.code == 0, many.err
        assert many.out == one.out
    # and the stream is what one dump of the whole catalogue gives
    assert dumps_catalogue(load_catalogue_text(one.out), fmt) == one.out


def load_catalogue_text(text: str):
    from guizhou_cli import loads_catalogue

    return loads_catalogue(text)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failure_half_way_leaves_out_as_it_was(tmp_path, jobs):
    d = _inputs(tmp_path)
    (d / "s04.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # the fifth of ten
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    r = run("extract", str(d), "-o", str(out), "--jobs", jobs)
    assert r.code == 2
    assert "".join(line + "\n" for line in errors(r.err)) == f"guizhou: error: {d / 's04.txt'}: is a PNG image, not a text file\n"
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["docs", "out.yaml"]


def test_a_failure_half_way_to_stdout_prints_nothing(tmp_path):
    d = _inputs(tmp_path)
    (d / "s09.txt").write_bytes(b"")  # the last
    r = run("extract", str(d), "--jobs", "2")
    assert r.code == 2 and r.out == ""
    assert "s09.txt: is empty" in r.err


def test_memory_does_not_grow_with_the_number_of_files(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    doc = seed[: seed.index("\n", 2000)]  # about 2,000 characters, several measures

    def peak(n: int) -> int:
        d = tmp_path / f"d{n}"
        d.mkdir()
        for i in range(n):
            (d / f"{i:04d}.txt").write_text(doc, encoding="utf-8")
        tracemalloc.start()
        try:
            r = run("extract", str(d), "-o", str(tmp_path / f"{n}.yaml"))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert r.code == 0, r.err

    peak(5)  # warm: lexicons and regexes load once
    small, large = peak(15), peak(150)
    # holding 135 more documents (text, model, YAML) adds about 3 MB;
    # streaming adds about 0.1 MB (the list of paths)
    assert large - small < 1 * 2**20, (small, large)
    assert len(load_catalogue(tmp_path / "150.yaml").documents) == 150


def _die(task, *args):
    """A worker killed mid-task (as by the kernel's OOM killer)."""
    if task.path.endswith("s03.txt"):
        os._exit(9)
    return _real_read_task(task, *args)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patched task reaches workers by fork")
def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path, monkeypatch):
    import guizhou_cli.extract as ex

    monkeypatch.setattr(ex, "_read_task", _die)
    d = _inputs(tmp_path)
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    r = run("extract", str(d), "-o", str(out), "--jobs", "2")
    assert r.code == 2
    assert errors(r.err) == [f"guizhou: error: {d / 's03.txt'}: the process reading it ended abruptly (exit status 9)"]
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["docs", "out.yaml"]
    # the file fails alone: the others are read by a new worker
    r = run("extract", str(d), "-o", str(out), "--jobs", "2", "--keep-going")
    assert r.code == 2
    assert errors(r.err) == [
        f"guizhou: error: {d / 's03.txt'}: the process reading it ended abruptly (exit status 9)",
        f"guizhou: wrote {out}: 9 document(s), {r.err.split('9 document(s), ')[1].split(' ')[0]} measure(s); "
        "1 of 10 files failed (listed above)",
    ]
    assert "s03.txt" not in out.read_text(encoding="utf-8")


# ------------------------------------------------------------ how many workers


def test_jobs_are_capped_at_the_cpus_and_at_what_the_input_is_worth(monkeypatch):
    import guizhou_cli.extract as ex

    monkeypatch.setattr(ex, "usable_cpus", lambda: 2)
    monkeypatch.setattr(ex, "MIN_BYTES_PER_WORKER", 1 << 20)  # the default
    big = [ex.Task(f"{i}.txt", 1 << 20) for i in range(10)]
    assert ex.workers_for(big, 8) == 2  # capped at the CPUs
    assert ex.workers_for(big, 0) == 2  # 0: all of them
    assert ex.workers_for(big, 1) == 1
    assert ex.workers_for(big[:1], 8) == 1  # one file: one worker
    small = [ex.Task(f"{i}.txt", 150_000) for i in range(10)]
    assert ex.workers_for(small, 2) == 1  # 1.5 MB: a second worker would cost more than it gives


def test_usable_cpus_follows_the_affinity_mask():
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no affinity masks here")
    from guizhou_cli.extract import usable_cpus

    assert usable_cpus() == len(os.sched_getaffinity(0))


def test_budget_defaults():
    from guizhou_cli.extract import Budget

    assert Budget().seconds(655) == 60.0
    assert Budget().seconds(11 << 20) == 160.0  # 10 s more per MB over the first
    assert Budget(5).seconds(50 << 20) == 5.0
    assert Budget(0).seconds(1) is None
    assert Budget().memory_mb == 2048


# ------------------------------------------------------------ one file fails alone


def _many(tmp_path: Path, n: int) -> Path:
    d = tmp_path / "many"
    d.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for i in range(n):
        # different lengths, so that chunks hold different numbers of files
        (d / f"{i:04d}.txt").write_text(seed[: 300 + 7 * i], encoding="utf-8")
    return d


def test_one_bad_file_among_200(tmp_path):
    d = _many(tmp_path, 200)
    bad = d / "0117.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    # by default: the run stops at that file, one line, nothing written
    r = run("extract", str(d), "-o", str(out), "--jobs", "8")
    assert (r.code, r.out) == (2, "")
    assert "".join(line + "\n" for line in errors(r.err)) == f"guizhou: error: {bad}: is a PNG image, not a text file\n"
    assert out.read_text(encoding="utf-8") == "precious"
    # --keep-going: the other 199, in order, and the failure listed
    outputs = []
    for jobs in ("8", "1"):
        r = run("extract", str(d), "-o", str(out), "--jobs", jobs, "--keep-going")
        assert r.code == 2
        lines = errors(r.err)
        assert lines[0] == f"guizhou: error: {bad}: is a PNG image, not a text file"
        assert lines[1].startswith(f"guizhou: wrote {out}: 199 document(s), ")
        assert lines[1].endswith("; 1 of 200 files failed (listed above)")
        assert len(lines) == 2
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    sources = [doc.source for doc in load_catalogue(out).documents]
    assert sources == [str(d / f"{i:04d}.txt") for i in range(200) if i != 117]


def test_keep_going_to_stdout_and_when_everything_fails(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text("标题\n\n加强组织领导。一是建立机制。二是压实责任。\n", encoding="utf-8")
    (d / "b.txt").write_bytes(b"")
    os.symlink(d / "gone.txt", d / "c.txt")  # dangling: found while planning, reported in its turn
    r = run("extract", str(d), "--keep-going", "--jobs", "2")
    assert r.code == 2
    assert errors(r.err) == [
        f"guizhou: error: {d / 'b.txt'}: is empty",
        f"guizhou: error: {d / 'c.txt'}: is a broken symbolic link",
        "guizhou: 2 of 3 files failed (listed above)",
    ]
    assert load_catalogue_text(r.out).documents[0].source == str(d / "a.txt")
    # without --keep-going the dangling link fails first, before any reading
    r = run("extract", str(d))
    assert (r.code, r.out, r.err) == (2, "", f"guizhou: error: {d / 'c.txt'}: is a broken symbolic link\n")
    # nothing read at all: nothing written, OUT kept
    (d / "a.txt").unlink()
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    r = run("extract", str(d), "--keep-going", "-o", str(out))
    assert r.code == 2
    assert errors(r.err)[-1] == "guizhou: error: no document extracted: all 2 file(s) failed"
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["d", "out.yaml"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs and fork")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_never_ends_fails_after_the_time_limit(tmp_path, jobs):
    """A FIFO nobody writes to: its reader waits forever, as on a hung network
    mount or in a reader's endless loop. The worker is killed at the limit,
    a new one reads the rest."""
    d = _inputs(tmp_path, n=6)
    fifo = tmp_path / "stalled.txt"
    os.mkfifo(fifo)
    r = run("extract", str(d / "c0.txt"), str(fifo), str(d), "--timeout", "0.5", "--jobs", jobs, "--keep-going")
    assert r.code == 2
    assert errors(r.err) == [
        f"guizhou: error: {fifo}: not read within 0.5 s, the time limit per file (--timeout to change)",
        "guizhou: 1 of 8 files failed (listed above)",
    ]
    assert len(load_catalogue_text(r.out).documents) == 7
    assert _children() == []


def _children() -> list[int]:
    """Processes whose parent is this one (workers left behind)."""
    me = os.getpid()
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat", "rb") as fh:
                    if int(fh.read().rsplit(b")", 1)[1].split()[1]) == me:
                        found.append(int(pid))
            except (OSError, IndexError, ValueError):
                pass
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and fork")
def test_a_file_over_the_memory_budget_fails_alone(tmp_path):
    d = _inputs(tmp_path, n=5)
    seed = SEED.read_text(encoding="utf-8")
    big = d / "s01b.txt"
    big.write_text(seed * (2_000_000 // len(seed)), encoding="utf-8")  # about 6 MB: far more than 20 MB parsed
    # in a fresh process: a worker forked from this test process could reuse
    # the heap pytest has already freed, and so never grow its address space
    p = subprocess.run(
        [sys.executable, "-m", "guizhou_cli", "extract", str(d), "--max-memory", "20", "--keep-going", "--jobs", "2"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    r = type("R", (), {"code": p.returncode, "out": p.stdout.decode("utf-8"), "err": p.stderr.decode("utf-8")})
    assert r.code == 2
    assert errors(r.err) == [
        f"guizhou: error: {big}: needs more than its memory budget of 20 MB (--max-memory to raise it)",
        "guizhou: 1 of 6 files failed (listed above)",
    ]
    assert len(load_catalogue_text(r.out).documents) == 5


def test_an_internal_error_names_its_file_and_keeps_the_stack_for_traceback(tmp_path, monkeypatch):
    import guizhou_cli.extract as ex

    def boom(task, *args):
        if task.path.endswith("c1.txt"):
            raise ZeroDivisionError("division by zero\non two lines")
        return _real_read_task(task, *args)

    monkeypatch.setattr(ex, "_read_task", boom)
    d = _inputs(tmp_path, n=5)
    r = run("extract", str(d), "--keep-going")
    assert errors(r.err)[0] == (
        f"guizhou: error: {d / 'c1.txt'}: internal error: ZeroDivisionError: division by zero on two lines "
        "(run with --traceback for details)"
    )
    # the worker's stack travels with the failure, for --traceback
    tasks = ex.plan([str(d)])
    failed = [item for item in ex.extract_stream(tasks, jobs=2) if isinstance(item, ex.Failed)]
    assert [f.path for f in failed] == [str(d / "c1.txt")]
    assert "Traceback (most recent call last)" in failed[0].detail
    assert 'raise ZeroDivisionError("division by zero' in failed[0].detail


# ------------------------------------------------------------ names that are not UTF-8


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses names that are not UTF-8")
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_names_that_are_not_utf8(tmp_path, fmt):
    d = _inputs(tmp_path, n=4)
    gbk = "政府工作报告.txt".encode("gbk")
    raw = os.path.join(os.fsencode(d), gbk)
    with open(raw, "wb") as fh:
        fh.write(SEED.read_text(encoding="utf-8")[:1000].encode("utf-8"))
    bad = os.path.join(os.fsencode(d), "坏".encode("gbk") + b".txt")
    with open(bad, "wb") as fh:
        fh.write(b"")
    shown = str(d) + "/" + "".join(f"\\x{b:02x}" for b in gbk[:-4]) + ".txt"
    out = os.path.join(os.fsencode(tmp_path), "输出".encode("gbk") + f".{fmt}".encode())
    for jobs in ("1", "2"):
        r = run("extract", str(d), "-f", fmt, "-o", os.fsdecode(out), "--jobs", jobs, "--keep-going")
        assert r.code == 2
        assert errors(r.err) == [
            f"guizhou: error: {d}/\\xbb\\xb5.txt: is empty",
            f"guizhou: wrote {tmp_path}/\\xca\\xe4\\xb3\\xf6.{fmt}: 5 document(s), "
            f"{r.err.split('5 document(s), ')[1].split(' ')[0]} measure(s); 1 of 6 files failed (listed above)",
        ]
        with open(out, "rb") as fh:
            text = fh.read().decode("utf-8")  # valid UTF-8 throughout
        sources = [doc.source for doc in load_catalogue_text(text).documents]
        assert shown in sources


def test_keywords_per_document_with_jobs(tmp_path):
    pytest.importorskip("jieba")
    d = _inputs(tmp_path, n=3)
    one = run("extract", str(d), "--keywords")
    two = run("extract", str(d), "--keywords", "--jobs", "2")
    assert one.code == 0 and two.code == 0, (one.err, two.err)
    assert two.out == one.out
    assert "keywords:" in one.out


# ------------------------------------------------------------ progress


def _run_tty(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), _TTY()
    code = main(list(args), env=Environment(stdin=io.BytesIO(), stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch):
    from guizhou_cli.commands import extract as cmd

    monkeypatch.setattr(cmd.Progress, "delay", 0.0)
    d = _inputs(tmp_path, n=5)
    out = tmp_path / "c.yaml"
    code, stdout, stderr = _run_tty("extract", str(d), "-o", str(out))
    assert code == 0 and stdout == ""
    assert "\r\x1b[K[" in stderr and "5/5 files" in stderr and "100%" in stderr
    # the bar is erased before the closing message, which stands on its own line
    assert stderr.endswith(f"\r\x1b[Kguizhou: wrote {out}: 5 document(s), {stderr.split('document(s), ')[1]}")
    # not a terminal: no bar at all
    r = run("extract", str(d), "-o", str(out))
    assert "\x1b" not in r.err and "\r" not in r.err


def test_progress_bar_waits_for_a_long_run():
    from guizhou_cli.commands.extract import Progress

    now = [100.0]
    out = io.StringIO()
    bar = Progress(out, files=4, total=4 * 2**20, clock=lambda: now[0])
    now[0] += 0.5
    bar.advance(2**20)
    assert out.getvalue() == ""  # half a second in: a short run stays silent
    now[0] += 1.0
    bar.advance(2**20)
    assert out.getvalue().startswith("\r\x1b[K[############............]  50% 2/4 files  2.0/4.0 MB  eta 0:01")
    now[0] += 0.01
    bar.advance(2**20)  # within a tenth of a second of the last draw: not redrawn
    assert out.getvalue().count("\r") == 1
    now[0] += 0.01
    bar.advance(2**20)  # the last file is always drawn
    assert "100% 4/4 files" in out.getvalue()
    bar.clear()
    assert out.getvalue().endswith("\r\x1b[K")


# ------------------------------------------------------------ signals


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _default_sigint() -> None:
    # a shell starts background jobs with SIGINT ignored, and Python keeps an
    # inherited SIG_IGN: give the child the default, as a terminal would
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    if text.encode() in fh.read():
                        found.append(int(pid))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs, /proc and POSIX signals")
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("to_file", [True, False], ids=["-o", "stdout"])
def test_interrupt_leaves_out_as_it_was(tmp_path, sig, jobs, to_file):
    """The second input is a FIFO that gives no data: extraction stops there,
    half way, the first document already written, until the signal comes.
    No sleeping on a guess: the test opens the FIFO's writing end, which
    succeeds only once the run (or its worker) is reading it."""
    fifo = tmp_path / "stalled.txt"
    os.mkfifo(fifo)
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    args = [sys.executable, "-m", "guizhou_cli", "extract", str(SEED), str(fifo), "--jobs", jobs]
    if to_file:
        args += ["-o", str(out)]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, preexec_fn=_default_sigint)
    writer = -1
    try:
        writer = _open_writer_when_read(fifo, p)
        if to_file:
            assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")], "half way: the temporary file exists"
        p.send_signal(sig)
        stdout, stderr = p.communicate(timeout=60)
    finally:
        if writer >= 0:
            os.close(writer)
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130
    assert stderr.decode() == "guizhou: interrupted\n"
    assert stdout == b""
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["out.yaml", "stalled.txt"]
    assert _processes_mentioning(str(fifo)) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_a_killed_run_leaves_no_worker(tmp_path):
    """SIGKILL cannot be handled: the kernel ends the workers (PR_SET_PDEATHSIG)."""
    fifo = tmp_path / "stalled.txt"
    os.mkfifo(fifo)
    args = [sys.executable, "-m", "guizhou_cli", "extract", str(fifo), "-o", str(tmp_path / "out.yaml")]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), cwd=ROOT)
    writer = -1
    try:
        writer = _open_writer_when_read(fifo, p)  # the worker is reading it
        assert len(_processes_mentioning(str(fifo))) == 2  # the run and its worker
        p.kill()
        p.wait()
        for _ in range(500):
            if not _processes_mentioning(str(fifo)):
                break
            time.sleep(0.01)
        assert _processes_mentioning(str(fifo)) == []
    finally:
        if writer >= 0:
            os.close(writer)
        if p.poll() is None:
            p.kill()
            p.wait()


def _open_writer_when_read(fifo: Path, p: subprocess.Popen[bytes]) -> int:
    # O_NONBLOCK open for writing fails (ENXIO) until a reader has the FIFO
    # open; once it succeeds the reader waits in read(), for data never sent
    for _ in range(6000):
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            if p.poll() is not None:
                raise AssertionError(f"the run ended early: {p.communicate()}") from None
            time.sleep(0.01)
    raise AssertionError("the run never reached the FIFO")
