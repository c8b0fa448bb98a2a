"""One large document: time and peak RSS of ``guizhou extract`` on a single 10 MB and a 50 MB text.

Issue 16 (linear parsing): the 10 MB document must extract in under 10 s and
300 MB. The documents are generated here: a title, then the
paragraph ``着力推进重点工作。一是…二是…`` repeated (``--shape repeated``,
the default: the shape that made structure detection quadratic), or the same
opening with real sentences of the corpus as its items and a paragraph of
plain corpus sentences now and then (``--shape mixed``).

Each run goes through the real command, in its worker, under its budget:
``--timeout`` is set to ``--limit`` (default 300 s), so a run that would take
far longer ends there and is reported as such; the memory budget is the
default (2048 MB), so a run that needs more is reported with that one line.

    python bench/bench_large.py                 # 10 MB and 50 MB
    python bench/bench_large.py --sizes 10      # the 10 MB document only
    python bench/bench_large.py --shape mixed   # real sentences as the items
    python bench/bench_large.py --limit 120
    python bench/bench_large.py --model 2       # the model's size per measure, at 2 MB

``--model MB`` (default 1; 0: skip) parses a document of that size in this
process under tracemalloc and prints what the model takes per measure and
the peak while it is built, against the text itself: what is left of the
worker's memory once the catalogue text is written in pieces.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

from _common import corpus_files, env_with_checkout, guizhou_command, machine, row, run_measured

CN = "一二三四五六七八九十"
# the same paragraph every time: the repeated shape is the point
REPEATED = "着力推进重点工作。一是加强组织领导，完善工作机制。二是压实各方责任，确保落到实处。\n\n"


def sentences() -> list[str]:
    """Real sentences of the corpus (10–60 characters, no markers of their own)."""
    out: list[str] = []
    for f in corpus_files():
        text = f.read_text(encoding="utf-8")
        for s in re.split(r"[。！？\n]", text):
            s = s.strip()
            if 10 <= len(s) <= 60 and not re.match(rf"[（(]?[{CN}\d]", s) and "是" not in s[:3]:
                out.append(s)
    return out or ["加强组织领导，完善工作机制，压实各方责任"]


def document(megabytes: float, shape: str = "repeated", seed: int = 0) -> str:
    """A title, then paragraphs of the given shape until the size is reached.

    ``repeated``: the one paragraph ``REPEATED`` again and again (the shape of
    the report); ``mixed``: the same opening, its items real sentences of the
    corpus, with a paragraph of plain sentences one time in ten.
    """
    rng = random.Random(seed)
    pool = sentences()
    target = int(megabytes * 2**20)
    parts = ["关于着力推进重点工作的报告\n\n"]
    size = len(parts[0].encode("utf-8"))
    while size < target:
        if shape == "repeated":
            piece = REPEATED
        elif rng.random() < 0.9:
            piece = f"着力推进重点工作。一是{rng.choice(pool)}。二是{rng.choice(pool)}。\n\n"
        else:
            piece = "。".join(rng.choice(pool) for _ in range(3)) + "。\n\n"
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts)


def model_size(megabytes: float, shape: str) -> None:
    """Bytes of the model per measure, and the peak of the build, under tracemalloc."""
    import gc
    import tracemalloc

    from guizhou_cli import parse_text
    from guizhou_cli.model import iter_sections

    text = document(megabytes, shape)
    parse_text(text[:20000], "warm.txt")  # lexicons and patterns: not the document's
    gc.collect()
    tracemalloc.start()
    doc = parse_text(text, "large.txt")
    gc.collect()
    model, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    secs = [s for e in doc.essays for s in iter_sections(e.sections)]
    measures = sum(len(s.measures) for s in secs)
    print(f"\nthe model of a {megabytes:g} MB document ({shape}), under tracemalloc: {len(secs)} sections, {measures} measures")
    size = len(text.encode("utf-8"))
    per = model / max(measures, 1)
    row("  model (sections, measures, strings)", f"{model / 2**20:.1f} MB, {per:.0f} B/measure, {model / size:.1f}x the text")
    row("  peak while it is built", f"{peak / 2**20:.1f} MB, {peak / max(model, 1):.2f}x the model")
    row("  the text (UTF-8, and as a str)", f"{size / 2**20:.1f} MB, {sys.getsizeof(text) / 2**20:.1f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10,50", help="document sizes in MB, comma-separated (default 10,50)")
    ap.add_argument("--shape", choices=["repeated", "mixed"], default="repeated", help="the documents' paragraphs")
    ap.add_argument("--limit", type=float, default=300, help="--timeout for each run, in seconds (default 300)")
    ap.add_argument("--model", type=float, default=1, help="MB of the document whose model is measured (default 1; 0: skip)")
    args = ap.parse_args()
    print(machine())
    cmd = guizhou_command()
    env = env_with_checkout()
    ok_all = True
    with tempfile.TemporaryDirectory(prefix="guizhou-bench-") as tmp:
        for mb in (float(x) for x in args.sizes.split(",")):
            doc = Path(tmp) / f"large-{mb:g}mb.txt"
            doc.write_text(document(mb, args.shape), encoding="utf-8")
            out = Path(tmp) / "out.yaml"
            log = Path(tmp) / "stderr.txt"
            with open(log, "wb") as fh:
                m = run_measured([*cmd, "extract", str(doc), "-o", str(out), "--timeout", f"{args.limit:g}"], env=env, stderr=fh)
            size = doc.stat().st_size
            print(f"\none document of {size / 2**20:.1f} MB ({len(doc.read_text(encoding='utf-8')) / 1e6:.1f} M characters)")
            if m.code == 0:
                measures = len(re.findall(r"(?m)^ +kind: ", out.read_text(encoding="utf-8")))
                row("guizhou extract DOC -o OUT.yaml", f"{m.wall:.1f} s wall, {m.cpu:.1f} s CPU")
                row("  throughput", f"{size / 2**20 / m.wall:.2f} MB/s")
                row("  output", f"{out.stat().st_size / 2**20:.1f} MB, ~{measures} measures")
            else:
                row("guizhou extract DOC -o OUT.yaml", f"exit {m.code} after {m.wall:.1f} s")
                for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                    print(f"    stderr: {line}")
            row("  peak RSS (largest process: the worker)", f"{m.rss_mb:.0f} MB")
            if mb == 10:
                ok = m.code == 0 and m.wall < 10 and m.rss_mb < 300
                row("  target (10 MB)", "", "< 10 s and < 300 MB", ok)
                ok_all &= ok
            doc.unlink()
            out.unlink(missing_ok=True)
    if args.model:
        model_size(args.model, args.shape)
    command = f"python bench/bench_large.py --sizes {args.sizes} --shape {args.shape} --limit {args.limit:g}"
    command += f" --model {args.model:g}"
    print(f"\n(command: {command})")
    print(f"at the end: {machine()}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
