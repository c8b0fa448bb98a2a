"""Parsing alone, this checkout beside another (the previous code), and the same output.

Each checkout parses every report of the corpus (text in memory → model) in a
process of its own, alternating, ``--rounds`` times; each process keeps the
best of ``--repeat`` passes. The memos of a parse are emptied before every
document in both (``pipeline.clear_caches``, or the previous code's caches by
name), so neither answers one document from another. Beside each time, the
marker scan of the same text (the floor of ``bench_extract.py``), and the
stages of this checkout (normalise, paragraphs, structure and model). The
``Document`` of every report, and of generated variants of them (slices,
shuffled lines, CRLF, zero-width and control characters, full-width digits,
lines joined and split), is compared between the two by ``repr``.

    python bench/bench_parse.py --against ../main
    python bench/bench_parse.py --against ../main --rounds 5
    python bench/bench_parse.py                      # this checkout alone
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from _common import ROOT, corpus_files, machine, row

# Run in a child process with one checkout first on the path: prints JSON.
CHILD = r"""
import hashlib, json, random, re, sys, time
from pathlib import Path
from guizhou_cli import parse_text
try:
    from guizhou_cli.pipeline import clear_caches
except ImportError:  # code from before the per-document memos
    from guizhou_cli.markers import outline_marker, _runin_markers
    from guizhou_cli.rules.headings import heading_sentence
    def clear_caches():
        outline_marker.cache_clear(); _runin_markers.cache_clear(); heading_sentence.cache_clear()
from guizhou_cli.normalise import normalise
from guizhou_cli.paragraphs import LineIndex, split_paragraphs
from guizhou_cli.structure import build

files, repeat, floor_rx = json.loads(sys.argv[1])
texts = [Path(f).read_text(encoding="utf-8") for f in files]
runin, outline = (re.compile(p) for p in floor_rx)

def best(fn):
    b = float("inf")
    for _ in range(repeat):
        t = time.process_time(); fn(); b = min(b, time.process_time() - t)
    return b

def parse():
    for t in texts:
        clear_caches(); parse_text(t)

def floor():
    for t in texts:
        for _ in runin.finditer(t): pass
        for _ in outline.finditer(t): pass

stages = {"normalise": 0.0, "paragraphs": 0.0, "structure": 0.0}
def staged():
    acc = dict.fromkeys(stages, 0.0)
    for t in texts:
        clear_caches()
        a = time.process_time(); norm, rep = normalise(t); b = time.process_time()
        paras = split_paragraphs(norm, rep); c = time.process_time()
        build(paras, LineIndex(norm), rep, {}); d = time.process_time()
        acc["normalise"] += b - a; acc["paragraphs"] += c - b; acc["structure"] += d - c
    for k in stages:
        stages[k] = min(stages[k] or float("inf"), acc[k])

parse_text(texts[0])  # lexicons load once per process
out = {"parse": best(parse), "floor": best(floor)}
for _ in range(repeat):
    staged()
out["stages"] = stages

# the output, of the reports and of damaged variants of them
rng = random.Random(15)
variants = list(texts)
for t in texts:
    lines = t.split("\n")
    for _ in range(3):
        a = rng.randrange(len(lines)); chunk = lines[a : a + rng.randrange(1, 60)]
        if rng.random() < 0.3: rng.shuffle(chunk)
        s = "\n".join(chunk); r = rng.random()
        if r < 0.2: s = s.replace("\n", "\r\n")
        elif r < 0.3: s = s.replace("是", "是\u200b", 3)
        elif r < 0.4: s = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        elif r < 0.5: s = s.replace("。", "。\n", 5)
        elif r < 0.6: s = s.replace("\n", "\n\n")
        elif r < 0.7: s = s.replace("\n", "", 10)
        elif r < 0.75: s = s.replace("，", "\x07", 2)
        variants.append(s)
h = hashlib.sha256()
for v in variants:
    h.update(repr(parse_text(v, "x")).encode("utf-8"))
out["output"] = h.hexdigest()
out["variants"] = len(variants)
import guizhou_cli
out["module"] = str(Path(guizhou_cli.__file__).parent)
print(json.dumps(out))
"""


def measure(checkout: Path, files: list[str], repeat: int) -> dict[str, object]:
    from bench_extract import OUTLINE_FLOOR, RUNIN_FLOOR

    env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONDONTWRITEBYTECODE": "1"}
    arg = json.dumps([files, repeat, [RUNIN_FLOOR.pattern, OUTLINE_FLOOR.pattern]])
    # run from the checkout itself: ``-c`` puts the working directory first on the path
    done = subprocess.run([sys.executable, "-c", CHILD, arg], env=env, cwd=checkout, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", type=Path, help="another checkout (the previous code) to compare with")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3); the best of each is kept")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the corpus in each process (default 5)")
    args = ap.parse_args()
    print(machine())
    paths = corpus_files()
    provincial = sorted((paths[0].parent / "provincial-2026").glob("*.txt")) if paths else []
    files = [str(p) for p in [*paths, *provincial]]
    chars = sum(len(Path(f).read_text(encoding="utf-8")) for f in files)
    print(f"{len(files)} reports, {chars / 1e6:.2f} M characters; best of {args.repeat} passes, {args.rounds} rounds")
    checkouts = {"this checkout": ROOT}
    if args.against:
        checkouts = {"other checkout": args.against.resolve(), **checkouts}
    best: dict[str, dict[str, object]] = {}
    for _ in range(args.rounds):
        for label, path in checkouts.items():
            got = measure(path, files, args.repeat)
            old = best.get(label)
            if old is None or float(got["parse"]) < float(old["parse"]):  # type: ignore[arg-type]
                best[label] = got
    floor = min(float(b["floor"]) for b in best.values())  # type: ignore[arg-type]
    row("marker scan, re.finditer (floor)", f"{floor:.3f} s CPU")
    for label, b in best.items():
        t = float(b["parse"])  # type: ignore[arg-type]
        row(f"parse_text, {label} ({checkouts[label].name})", f"{t:.3f} s; {t / floor:.1f}×")
    for stage in ("normalise", "paragraphs", "structure"):
        cells = []
        for b in best.values():
            st = b["stages"]
            assert isinstance(st, dict)
            cells.append(f"{st[stage]:.3f}")
        row(f"   {stage}{' (other; this)' if len(cells) > 1 else ''}", "; ".join(cells) + " s")
    mine = best["this checkout"]
    ok = True
    if args.against:
        other = best["other checkout"]
        speedup = float(other["parse"]) / float(mine["parse"])  # type: ignore[arg-type]
        row("speed-up over the other checkout", f"{speedup:.2f}×")
        same = other["output"] == mine["output"]
        row(f"same Documents ({mine['variants']} texts, by repr)", "yes" if same else "NO", "", same)
        ok = same
    print(f"  (the code parsed: {'; '.join(str(b['module']) for b in best.values())})")
    print(
        f"\n(command: python bench/bench_parse.py{' --against ' + str(args.against) if args.against else ''}"
        f" --rounds {args.rounds} --repeat {args.repeat})"
    )
    print(f"at the end: {machine()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
