"""Extraction speed, parallel speed-up and memory on the corpus repeated (×16 by default).

Side by side, in one run, each figure beside its reference:

1. end to end, ``guizhou extract DIR -o OUT.yaml`` (CPU time of the run and
   its worker) beside the floor, a bare ``re.finditer`` over the same text for
   the markers (one pass of the run-in alternation, one of line-start outline
   markers), and beside the YAML C emitter writing the input text. Targets
   (issue 15): within 6× of the scan and 3× of the emitter. Also, for context,
   parsing alone (text in memory → model) beside the scan, and the cost of
   reading every file in a worker under its budget: ``--jobs 1`` beside the
   same stream run in one process (``extract_stream(isolate=False)``).
2. ``--jobs 2`` beside ``--jobs 1``, wall time, at the corpus ×1, ×4 and ×16
   (the pair interleaved ``--repeat`` times, best of each kept), with the
   output compared byte for byte. Targets: ≥ 1.6× at ×16 when the load
   average is under 1 (it is printed at the start and at the end: on a
   shared machine another process taking a core halves a 2-core speed-up),
   never slower than ``--jobs 1`` at any size.
3. peak RSS: of the largest process at ×16 and ×1 (it must not grow with the
   files), and of parent and workers together for ``--jobs 2``.
4. 2,000 files, one of them unreadable and one with a GBK name (bytes that
   are not UTF-8), ``--jobs 8 --keep-going`` (issue 16): the bad file is
   reported in one line, the 1,999 others are written, exit 2; and without
   ``--keep-going``, the one line and nothing written.

    python bench/bench_extract.py                # corpus ×16 (about 27 MB)
    python bench/bench_extract.py --times 4      # a quicker look
    python bench/bench_extract.py --repeat 3     # the best of three --jobs pairs
    python bench/bench_extract.py --profile      # also the parser's hot spots

The copies are made in a temporary directory (the corpus is
``GUIZHOU_CORPUS`` or ../shared/corpus, else the seed) and removed after.
"""

from __future__ import annotations

import argparse
import cProfile
import filecmp
import io
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from _common import SEED, Measured, corpus_files, env_with_checkout, guizhou_command, machine, row, run_measured, texts_of, timed

from guizhou_cli import parse_text  # the checkout: _common put it first on sys.path

CN = "一二三四五六七八九十"
# The floor: what any extractor must at least do, find the markers. The same
# families the parser looks for, as two plain scans.
RUNIN_FLOOR = re.compile(
    rf"(?=[其{CN}第（(\u2460-\u2473首再最])(?:其[{CN}]{{1,3}}[，,、：:是]|[{CN}]{{1,3}}[是要]|第[{CN}]{{1,3}}[，,、：:]"
    rf"|[（(](?:\d{{1,2}}|[{CN}]{{1,3}})[）)]|[\u2460-\u2473]|(?:首先|其次|再次|最后)[，,])"
)
OUTLINE_FLOOR = re.compile(
    rf"(?m)^[ \u3000]*(?:第[{CN}百零〇\d]{{1,5}}[章节条]|[{CN}]{{1,3}}[、.．]|[（(][{CN}\d]{{1,3}}[）)]"
    r"|[\d０-９]{1,2}[、.．]|[\u2460-\u2473])"
)

# The same stream as ``guizhou extract DIR -o OUT``, in one process: no worker, no budget.
IN_PROCESS = """
import sys
from guizhou_cli.catalogue import CatalogueWriter, atomic_output
from guizhou_cli.extract import extract_stream, plan
with atomic_output(sys.argv[2]) as out:
    writer = CatalogueWriter(out)
    for item in extract_stream(plan([sys.argv[1]]), isolate=False):
        for chunk in item.chunks:
            writer.add_chunk(chunk)
    writer.close()
"""


def breakdown(archive: Path, t_floor: float, cmd: list[str], env: dict[str, str]) -> None:
    """Where the CPU time of ``extract`` goes: each stage timed alone, in this process, beside the floor."""
    from guizhou_cli.catalogue import document_chunk
    from guizhou_cli.pipeline import parse_source
    from guizhou_cli.read import read_source

    paths = [str(p) for p in sorted(archive.glob("*.txt"))]
    sources = [read_source(p) for p in paths]
    docs = [parse_source(s) for s in sources]
    t_read = timed(lambda: [read_source(p) for p in paths])
    t_parse = timed(lambda: [parse_source(s) for s in sources])
    t_write = timed(lambda: [document_chunk(d) for d in docs])
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    start = min((run_measured([*cmd, "--version"], **quiet) for _ in range(3)), key=lambda m: m.cpu)
    warm_cmd = [sys.executable, "-c", "from guizhou_cli.extract import warm_up; warm_up([])"]
    warm = min((run_measured(warm_cmd, **quiet) for _ in range(3)), key=lambda m: m.cpu)
    print("   where the time goes, each stage alone in one process (CPU; × the marker scan):")
    for label, t in (
        ("read: bytes, decoding, sha256", t_read),
        ("parse: normalise → paragraphs → structure → model", t_parse),
        ("catalogue text of each document (YAML)", t_write),
        ("start-up: guizhou --version", start.cpu),
        ("start-up: import and warm the parser and writer", warm.cpu),
    ):
        row(f"   {label}", f"{t:.2f} s; {t / t_floor:.1f}×")


def copies(times: int, into: Path) -> tuple[Path, int, int]:
    """The corpus, ``times`` times over, in one directory: (dir, files, bytes)."""
    into.mkdir(parents=True)
    n = total = 0
    for k in range(times):
        for src in corpus_files():
            dst = into / f"{k:03d}-{src.name}"
            shutil.copyfile(src, dst)
            n += 1
            total += dst.stat().st_size
    return into, n, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--times", type=int, default=16, help="copies of the corpus for the end-to-end figures (default 16)")
    ap.add_argument("--repeat", type=int, default=1, help="run each --jobs 1 / --jobs 2 pair N times, keep the best")
    ap.add_argument("--profile", action="store_true", help="print the parser's hot spots (cProfile)")
    args = ap.parse_args()
    print(machine())
    work = Path(tempfile.mkdtemp(prefix="guizhou-bench-"))
    try:
        return run(work, args.times, args.profile, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, times: int, profile: bool, repeat: int) -> int:
    archive, nfiles, nbytes = copies(times, work / f"x{times}")
    docs = texts_of(archive)
    chars = sum(len(t) for _, t in docs)
    print(f"corpus ×{times}: {nfiles} files, {nbytes / 2**20:.1f} MB, {chars / 1e6:.1f} M characters")
    cmd = guizhou_command()
    env = env_with_checkout()
    quiet = {"env": env, "stderr": subprocess.DEVNULL}
    ok_all = True

    # 1. end to end beside the floor and the emitter
    def floor() -> None:
        for _, t in docs:
            for _m in RUNIN_FLOOR.finditer(t):
                pass
            for _m in OUTLINE_FLOOR.finditer(t):
                pass

    def emit() -> None:
        with open(work / "emit.yaml", "w", encoding="utf-8") as fh:
            texts = [{"source": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(archive.glob("*.txt"))]
            yaml.dump(texts, fh, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1_000_000)

    def parse() -> None:
        for name, t in docs:
            parse_text(t, name)

    parse_text(docs[0][1], docs[0][0])  # warm: lexicons load once per process
    t_floor = timed(floor, repeat=3)
    t_emit = timed(emit)
    t_parse = timed(parse)
    out1 = work / "jobs1.yaml"
    e2e = run_measured([*cmd, "extract", str(archive), "-o", str(out1)], **quiet)
    inproc = run_measured([sys.executable, "-c", IN_PROCESS, str(archive), str(work / "inproc.yaml")], **quiet)
    if e2e.code or inproc.code:
        print(f"extract failed: exit codes {e2e.code}, {inproc.code}")
        return 2
    r_floor, r_emit = e2e.cpu / t_floor, e2e.cpu / t_emit
    print(f"\n1. end to end on the corpus ×{times}: guizhou extract DIR -o OUT.yaml (CPU time, run and worker)")
    row("marker scan, re.finditer (floor)", f"{t_floor:.2f} s CPU")
    row("yaml.dump of the input text (C emitter)", f"{t_emit:.2f} s CPU")
    row("guizhou extract --jobs 1", f"{e2e.cpu:.2f} s CPU")
    row("extract / marker scan", f"{r_floor:.1f}×", "target ≤ 6×", r_floor <= 6)
    row("extract / C emitter", f"{r_emit:.1f}×", "target ≤ 3×", r_emit <= 3)
    row("parse_text alone / marker scan (context)", f"{t_parse / t_floor:.1f}×")
    same_inproc = filecmp.cmp(out1, work / "inproc.yaml", shallow=False)
    row("the same stream in one process, no worker (context)", f"{inproc.cpu:.2f} s CPU, {inproc.wall:.1f} s wall")
    row("worker and budget: --jobs 1 / in one process, CPU", f"{e2e.cpu / inproc.cpu:.2f}×", "", None)
    row("                                            wall", f"{e2e.wall / inproc.wall:.2f}×")
    row("same bytes", "yes" if same_inproc else "NO", "", same_inproc)
    ok_all &= r_floor <= 6 and r_emit <= 3 and same_inproc
    breakdown(archive, t_floor, cmd, env)

    # 2. --jobs 2 beside --jobs 1 at several sizes
    print(f"\n2. --jobs 2 beside --jobs 1 (wall time, best of {repeat}, interleaved; the machine's other load included)")
    sizes = sorted({1, max(times // 4, 1), times})
    big: tuple[Measured, Measured] | None = None
    for k in sizes:
        d, nf, nb = (archive, nfiles, nbytes) if k == times else copies(k, work / f"x{k}")
        o1, o2 = work / f"j1-{k}.yaml", work / f"j2-{k}.yaml"
        runs1, runs2 = [], []
        for _ in range(repeat):
            runs1.append(run_measured([*cmd, "extract", str(d), "-o", str(o1)], **quiet))
            runs2.append(run_measured([*cmd, "extract", str(d), "-o", str(o2), "--jobs", "2"], **quiet))
        j1 = min(runs1, key=lambda m: m.wall)
        j2 = min(runs2, key=lambda m: m.wall)
        same = filecmp.cmp(o1, o2, shallow=False) and not j1.code and not j2.code
        speedup = j1.wall / j2.wall
        target, ok = ("≥ 1.6× (load < 1)", speedup >= 1.6) if k == times else ("not slower", speedup >= 0.95)
        label = f"×{k}: {nf} files, {nb / 2**20:.1f} MB"
        row(label, f"{j1.wall:.2f} s → {j2.wall:.2f} s")
        row("   speed-up; CPU of 2 jobs / 1 job", f"{speedup:.2f}×; {j2.cpu / j1.cpu:.2f}×", target, ok)
        row("   output byte-identical", "yes" if same else "NO", "", same)
        ok_all &= ok and same
        if k == times:
            big = (j1, j2)
        if k == 1:
            small = j1
    assert big is not None

    j1, j2 = big
    print("\n3. peak RSS (VmHWM of the largest process; for --jobs 2 also the sum over parent and workers)")
    row(f"--jobs 1, corpus ×{times}", f"{j1.rss_mb:.0f} MB", "target < 400 MB", j1.rss_mb < 400)
    row("--jobs 1, corpus ×1", f"{small.rss_mb:.0f} MB")
    growth = j1.rss_mb / small.rss_mb
    row(f"growth with {times}× the files", f"{growth:.2f}×", "target ≈ 1×", growth < 1.25)
    row("--jobs 2, largest process", f"{j2.rss_mb:.0f} MB", "target < 400 MB", j2.rss_mb < 400)
    row("--jobs 2, parent and workers together", f"{j2.total_rss_mb:.0f} MB")
    ok_all &= j1.rss_mb < 400 and j2.rss_mb < 400 and growth < 1.25
    ok_all &= two_thousand(work, cmd, env)
    print(f"\n(command: python bench/bench_extract.py --times {times} --repeat {repeat})")
    print(f"at the end: {machine()}")

    if profile:
        print("\nparser hot spots (cProfile, parse_text over the first 3 MB):")
        subset, size = [], 0
        for name, t in docs:
            subset.append((name, t))
            size += len(t.encode())
            if size > 3 * 2**20:
                break
        prof = cProfile.Profile()
        prof.runcall(lambda: [parse_text(t, n) for n, t in subset])
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
        print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[:6000])
    return 0 if ok_all else 1


def two_thousand(work: Path, cmd: list[str], env: dict[str, str]) -> bool:
    import os

    d = work / "two-thousand"
    d.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for i in range(1999):
        (d / f"{i:04d}.txt").write_text(seed[: 400 + (i * 7) % 3000], encoding="utf-8")
    (d / "1000.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # replaces one: the unreadable file
    with open(os.path.join(os.fsencode(d), "政府工作报告.txt".encode("gbk")), "wb") as fh:
        fh.write(seed[:2000].encode("utf-8"))
    out = work / "two-thousand.yaml"
    log = work / "stderr.txt"
    with open(log, "wb") as fh:
        m = run_measured([*cmd, "extract", str(d), "-o", str(out), "--jobs", "8", "--keep-going"], env=env, stderr=fh)
    # the coverage warnings (seed prefixes: sections without measures) are not the subject here
    err = [ln for ln in log.read_text(encoding="utf-8").splitlines() if ": warning: " not in ln]
    print(f"\n4. {len(os.listdir(d))} files, one unreadable, one GBK name: guizhou extract DIR -o OUT --jobs 8 --keep-going")
    written = out.read_text(encoding="utf-8").count("\n- source: ") if out.exists() else 0
    ok = m.code == 2 and written == 1999 and len(err) == 2 and err[0].endswith("1000.txt: is a PNG image, not a text file")
    row("exit code; documents written", f"{m.code}; {written}", "2; 1999", ok)
    for line in err:
        print(f"    stderr: {line}")
    row("wall; peak RSS (largest; all together)", f"{m.wall:.1f} s; {m.rss_mb:.0f} MB; {m.total_rss_mb:.0f} MB")
    out.unlink(missing_ok=True)
    with open(log, "wb") as fh:
        m2 = run_measured([*cmd, "extract", str(d), "-o", str(out), "--jobs", "8"], env=env, stderr=fh)
    err2 = [ln for ln in log.read_text(encoding="utf-8").splitlines() if ": warning: " not in ln]
    ok2 = m2.code == 2 and not out.exists() and len(err2) == 1
    row("without --keep-going: exit code; OUT written", f"{m2.code}; {'yes' if out.exists() else 'no'}", "2; no", ok2)
    for line in err2:
        print(f"    stderr: {line}")
    return ok and ok2


if __name__ == "__main__":
    sys.exit(main())
