"""Keyword throughput on the corpus ×4, each figure beside plain jieba segmentation of the same text.

The corpus (the national work reports in ../shared/corpus, GUIZHOU_CORPUS,
or the seed page when there is none) is copied ``--times`` times (default 4)
into a temporary directory and parsed once, untimed. Then, on the same
machine load and in one run:

End to end (separate processes, CPU seconds of each: user + system)

* plain jieba   — a Python process that imports jieba, loads its stock
                  dictionary and cuts every essay's text (title, lead, each
                  section's text): the reference;
* extract       — ``guizhou extract DIR -o x.yaml``, without keywords;
* --keywords    — ``guizhou extract --keywords DIR -o x.yaml`` with
                  ``GUIZHOU_SEGMENTER=jieba`` and ``=rjieba``; the keyword
                  pass's share is this minus ``extract``: loading the
                  dictionary and the IDF table, segmenting, weighing, and
                  writing the keywords into the YAML.

In the library (this process, dictionaries loaded beforehand)

* plain jieba segmentation — jieba's own ``Tokenizer.lcut`` (stock
  dictionary) over every essay's text: the reference;
* per backend: segmentation only (``Segmenter.cut`` with the policy
  dictionary), ``add_keywords`` called once per document (what
  ``extract --keywords`` does) and ``essay_keywords`` (``guizhou keywords``);
* writing the keywords: the YAML of every document (``document_chunk``, what
  ``extract`` writes) with keywords, less the same without. This part of the
  end-to-end share belongs to the catalogue writer, not to the keyword code.

Targets (issue 15): the keyword share of ``extract --keywords`` at most
1.5× plain jieba, and at most 0.3× with rjieba. The caches of the keyword
code never span documents, so the copies of the corpus cost what the
original does. Each figure is the best of ``--repeat`` rounds taken
round-robin, since the machine is shared and its load drifts; the load
average is printed at the start and the end. Nothing is asserted.

    python bench/bench_keywords.py
    python bench/bench_keywords.py --repeat 3 --times 4
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import corpus_files, env_with_checkout, guizhou_command, machine, row, run_measured

from guizhou_cli import keywords as kw  # the checkout: _common put it first on sys.path
from guizhou_cli.catalogue import document_chunk
from guizhou_cli.model import Catalogue, iter_sections
from guizhou_cli.sources import open_catalogue

# The reference process: stock jieba loading its dictionary from a cache
# (in the same per-user directory as guizhou's, not the shared temp dir),
# then every text cut.
PLAIN = """
import json, sys, jieba
jieba.setLogLevel(60)
tk = jieba.Tokenizer()
tk.tmp_dir, tk.cache_file = sys.argv[2], "jieba-stock-" + jieba.__version__ + ".cache"
tk.initialize()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
n = sum(len(tk.lcut(t)) for t in texts)
"""


def essay_texts(cat: Catalogue) -> list[str]:
    out: list[str] = []
    for d in cat.documents:
        for e in d.essays:
            out.extend(t for t in (e.title, e.lead, *e.unplaced) if t)
            out.extend(s.text for s in iter_sections(e.sections))
    return out


def once(fn: Callable[[], object]) -> float:
    # CPU time of this process: other work on a shared machine inflates the
    # wall clock of whichever pass it happens to overlap
    t = time.process_time()
    fn()
    return time.process_time() - t


def copies(times: int, into: Path) -> list[Path]:
    files = corpus_files()
    out: list[Path] = []
    for i in range(times):
        for f in files:
            dst = into / f"{i}-{f.name}"
            shutil.copyfile(f, dst)
            out.append(dst)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=2, help="rounds; each figure keeps its best (default 2)")
    ap.add_argument("--times", type=int, default=4, help="copies of the corpus (default 4)")
    ap.add_argument("--no-e2e", action="store_true", help="only the library figures")
    args = ap.parse_args()

    print(machine())
    print(f"command: python bench/bench_keywords.py --repeat {args.repeat} --times {args.times}")
    tmp = Path(tempfile.mkdtemp(prefix="guizhou-bench-kw-"))
    try:
        src = tmp / "corpus"
        src.mkdir()
        files = copies(args.times, src)
        cat = open_catalogue([str(src)])
        texts = essay_texts(cat)
        chars = sum(map(len, texts))
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        print(
            f"corpus: {len(files) // args.times} files ×{args.times} = {len(files)} files, "
            f"{len(cat.documents)} documents, {chars:,} characters of essay text"
        )
        backends = ["jieba"] + (["rjieba"] if kw.rjieba_available() else [])
        if not args.no_e2e:
            end_to_end(args.repeat, src, tmp, texts_file, backends)
        library(args.repeat, cat, texts, chars, backends)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(machine())


def end_to_end(repeat: int, src: Path, tmp: Path, texts_file: Path, backends: list[str]) -> None:
    env = env_with_checkout()
    g = guizhou_command()
    out = str(tmp / "out.yaml")
    runs: list[tuple[str, list[str], dict[str, str]]] = [
        ("plain jieba (load + cut)", [sys.executable, "-c", PLAIN, str(texts_file), str(kw.cache_dir())], env),
        ("extract", [*g, "extract", str(src), "-o", out], env),
    ]
    for b in backends:
        cmd = [*g, "extract", "--keywords", str(src), "-o", out]
        runs.append((f"extract --keywords, {b}", cmd, {**env, "GUIZHOU_SEGMENTER": b}))
    cpu: dict[str, float] = {}
    for _ in range(repeat):
        for name, cmd, e in runs:
            m = run_measured(cmd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if m.code != 0:
                raise SystemExit(f"{name}: exit {m.code}: {' '.join(cmd)}")
            cpu[name] = min(cpu.get(name, float("inf")), m.cpu)
    plain = cpu["plain jieba (load + cut)"]
    print(f"\nend to end (CPU s of each process, best of {repeat})")
    for name, secs in cpu.items():
        row(name, f"{secs:.2f} s")
    for b in backends:
        share = cpu[f"extract --keywords, {b}"] - cpu["extract"]
        target = 1.5 if b == "jieba" else 0.3
        ratio = share / plain
        row(f"keyword share, {b}: {share:.2f} s / plain jieba", f"{ratio:.2f}×", f"target ≤ {target}×", ratio <= target)


def library(repeat: int, cat: Catalogue, texts: list[str], chars: int, backends: list[str]) -> None:
    load: list[tuple[str, float]] = []
    box: dict[str, object] = {}

    def stock_jieba() -> None:
        jieba = kw._import_jieba()
        tk = jieba.Tokenizer()
        with kw._jieba_quiet():
            tk.initialize()
        box["stock"] = tk

    load.append(("stock jieba dictionary", once(stock_jieba)))
    load.append(("jieba's IDF table", once(kw.bundled_idf)))
    segs: dict[str, kw.Segmenter] = {}
    for b in backends:
        load.append((f"{b} + policy dictionary", once(lambda b=b: segs.setdefault(b, kw.get_segmenter(b)))))
    stock = box["stock"]
    single = [Catalogue(generator="", documents=(d,)) for d in cat.documents]
    tagged = [kw.add_keywords(c, segmenter=segs[backends[-1]]).documents[0] for c in single]

    passes: list[tuple[str, Callable[[], object]]] = [
        ("plain jieba segmentation", lambda: [stock.lcut(t) for t in texts]),  # type: ignore[attr-defined]
    ]
    for b in backends:
        seg = segs[b]
        passes.append((f"{b}: segmentation only", lambda seg=seg: [seg.cut(t) for t in texts]))
        passes.append(
            (f"{b}: add_keywords per document", lambda seg=seg: [kw.add_keywords(c, segmenter=seg) for c in single])
        )
        passes.append((f"{b}: essay_keywords", lambda seg=seg: kw.essay_keywords(cat, segmenter=seg)))
    passes.append(("YAML of the documents", lambda: [document_chunk(d) for d in cat.documents]))
    passes.append(("YAML of the documents with keywords", lambda: [document_chunk(d) for d in tagged]))
    # Round-robin, best of each: every pass gets a turn in every round.
    times: dict[str, float] = {}
    for _ in range(repeat):
        for name, fn in passes:
            times[name] = min(times.get(name, float("inf")), once(fn))
    plain = times["plain jieba segmentation"]
    print(f"\nlibrary (CPU s in this process, best of {repeat}; dictionaries loaded beforehand)")
    print(f"  {'pass':<40}{'CPU s':>9}{'chars/s':>14}{'× plain':>9}")
    writing = times.pop("YAML of the documents with keywords") - times.pop("YAML of the documents")
    times["writing the keywords (YAML)"] = writing
    for name, secs in times.items():
        print(f"  {name:<40}{secs:>9.3f}{chars / secs:>14,.0f}{secs / plain:>9.2f}")
    print("\none-time costs (CPU s)")
    for name, secs in load:
        print(f"  {name:<40}{secs:>9.3f}")


if __name__ == "__main__":
    main()
