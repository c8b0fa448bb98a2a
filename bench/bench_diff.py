"""Time ``diff_catalogues`` on synthetic catalogues of N and 2N measures.

Each old catalogue is built from real sentences (clauses of the national work
reports in ../shared/corpus, or of the seed page when the corpus is absent);
the new one is a perturbed copy: measures reworded, figures changed, measures
inserted, deleted, moved to another section, split and merged, headings
renamed, essays retitled. Sizes are timed side by side in one run, so the
ratio is measured on the same machine load; nothing is asserted.

    python bench/bench_diff.py                 # 5000 and 10000 measures
    python bench/bench_diff.py 2000 4000 8000  # other sizes
"""

from __future__ import annotations

import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guizhou_cli.diff import diff_catalogues, dumps_diff  # noqa: E402
from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section  # noqa: E402

NUMERALS = "一二三四五六七八九十"
SECTIONS_PER_ESSAY = 10
MEASURES_PER_SECTION = 5
ESSAYS_PER_DOC = 5


def clause_pool() -> list[str]:
    corpus = ROOT.parent / "shared" / "corpus"
    files = sorted(corpus.glob("gwr-national-*.txt")) or [ROOT / "seeds" / "000_6dfcd726ad4e1932.txt"]
    pool: list[str] = []
    seen: set[str] = set()
    for f in files:
        for c in re.split(r"[，。；：！？\n]", f.read_text(encoding="utf-8")):
            c = c.strip()
            if 6 <= len(c) <= 40 and c not in seen:
                seen.add(c)
                pool.append(c)
    return pool


def make_text(rng: random.Random, pool: list[str]) -> str:
    k = rng.randint(2, 7)
    parts = [rng.choice(pool) for _ in range(k)]
    return parts[0] + "。" + "，".join(parts[1:]) + "。"


def build(n: int, rng: random.Random, pool: list[str]) -> Catalogue:
    per_essay = SECTIONS_PER_ESSAY * MEASURES_PER_SECTION
    n_essays = max(1, n // per_essay)
    essays: list[Essay] = []
    line = 1
    for e in range(n_essays):
        sections = []
        for s in range(SECTIONS_PER_ESSAY):
            sid = f"e{e + 1}.s{s + 1}"
            measures = []
            for m in range(MEASURES_PER_SECTION):
                text = make_text(rng, pool)
                measures.append(
                    Measure(f"{sid}.m{m + 1}", m + 1, NUMERALS[m] + "是", "numbered", text.split("。")[0], text, line, 0)
                )
                line += 1
            heading = rng.choice(pool)
            sections.append(Section(sid, heading, None, None, False, False, line, 0, heading + "。", tuple(measures)))
        essays.append(Essay(f"e{e + 1}", rng.choice(pool), (), None, None, None, line, None, sections=tuple(sections)))
    docs = [
        Document(f"doc{d}.txt", "0" * 64, "utf-8", None, None, None, tuple(essays[d : d + ESSAYS_PER_DOC]))
        for d in range(0, len(essays), ESSAYS_PER_DOC)
    ]
    return Catalogue("bench", tuple(docs))


def perturb(cat: Catalogue, rng: random.Random, pool: list[str]) -> Catalogue:
    """A 'next version': about 10% of measures touched in every way a diff reports."""
    # flatten to (essay index, section index) → list of measure texts
    essays = [e for d in cat.documents for e in d.essays]
    cells: list[list[list[str]]] = [[[m.text for m in s.measures] for s in e.sections] for e in essays]
    moved: list[str] = []
    for secs in cells:
        for ms in secs:
            out: list[str] = []
            for t in ms:
                r = rng.random()
                if r < 0.03:  # reword: replace one clause
                    parts = t.rstrip("。").split("，")
                    parts[rng.randrange(len(parts))] = rng.choice(pool)
                    out.append("，".join(parts) + "。")
                elif r < 0.04:  # change a figure
                    out.append(t[:-1] + f"，增长{rng.randint(2, 9)}.{rng.randint(0, 9)}%左右。")
                elif r < 0.06:  # delete
                    continue
                elif r < 0.07:  # move elsewhere
                    moved.append(t)
                elif r < 0.075:  # split in two
                    cut = t.find("，")
                    if cut > 0:
                        out += [t[:cut] + "。", t[cut + 1 :]]
                    else:
                        out.append(t)
                elif r < 0.08 and out:  # merge with the previous one
                    out[-1] = out[-1][:-1] + "，" + t
                else:
                    out.append(t)
                if rng.random() < 0.02:  # insert a new one
                    out.append(make_text(rng, pool))
            ms[:] = out
    for t in moved:
        secs = cells[rng.randrange(len(cells))]
        secs[rng.randrange(len(secs))].insert(0, t)
    new_essays = []
    for ei, (e, secs) in enumerate(zip(essays, cells, strict=True)):
        sections = []
        for si, (s, ms) in enumerate(zip(e.sections, secs, strict=True)):
            sid = f"e{ei + 1}.s{si + 1}"
            measures = tuple(
                Measure(f"{sid}.m{k + 1}", k + 1, None, "numbered", t.split("。")[0], t, 1, 0) for k, t in enumerate(ms)
            )
            heading = s.heading if rng.random() > 0.02 else (s.heading or "") + "建设"
            sections.append(replace(s, id=sid, heading=heading, measures=measures))
        title = e.title if rng.random() > 0.02 else (e.title or "") + "研究"
        new_essays.append(replace(e, title=title, sections=tuple(sections)))
    docs = [replace(d, essays=tuple(new_essays[i : i + len(d.essays)])) for i, d in zip(_starts(cat), cat.documents, strict=True)]
    return Catalogue("bench", tuple(docs))


def _starts(cat: Catalogue) -> list[int]:
    out, k = [], 0
    for d in cat.documents:
        out.append(k)
        k += len(d.essays)
    return out


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [5000, 10000]
    rounds = 5
    pool = clause_pool()
    print(f"clause pool: {len(pool)} clauses; best of {rounds} interleaved rounds")
    pairs = {}
    for n in sizes:
        rng = random.Random(n)
        old = build(n, rng, pool)
        pairs[n] = (old, perturb(old, rng, pool))
    # sizes take turns within each round, so a change in machine load between
    # rounds touches all of them alike and the ratios stay comparable
    wall = {n: float("inf") for n in sizes}
    cpu = {n: float("inf") for n in sizes}
    results = {}
    for _ in range(rounds):
        for n in sizes:
            old, new = pairs[n]
            t0, c0 = time.perf_counter(), time.process_time()
            results[n] = diff_catalogues(old, new)
            wall[n] = min(wall[n], time.perf_counter() - t0)
            cpu[n] = min(cpu[n], time.process_time() - c0)
    base = sizes[0]
    for n in sizes:
        t = time.perf_counter()
        dumps_diff(results[n], "yaml")
        t_yaml = time.perf_counter() - t
        print(
            f"n={n:>6}  diff {wall[n]:6.3f} s wall, {cpu[n]:6.3f} s cpu  (+yaml {t_yaml:5.3f} s)  "
            f"vs n={base}: {wall[n] / wall[base]:4.2f}x wall, {cpu[n] / cpu[base]:4.2f}x cpu for {n / base:.1f}x size"
        )
        print(f"          {dict((k, v) for k, v in results[n].summary().items() if v)}")


if __name__ == "__main__":
    main(sys.argv[1:])
