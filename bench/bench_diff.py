"""Time ``diff_catalogues`` on synthetic catalogues of N and 2N measures.

Two shapes, both built from real sentences (clauses of the national work
reports in ../shared/corpus, or of the seed page when the corpus is absent):

* *varied*: essays in documents, sections with unrelated headings; the new
  version is a perturbed copy: measures reworded, figures changed, measures
  inserted, deleted, moved to another section, split and merged, headings
  renamed, essays retitled;
* *templated*: one document, one essay, N/5 sections whose headings come from
  one template (着力推进第E篇第J项重点工作), as in an archive of formulaic
  headings; 5% of measures reworded, 2% removed, 2% added, 1% shifted to
  another section. Targets (issue 13): 5,000 under 2 s, 10,000 under 2.5×.

Sizes are timed side by side in one run (interleaved rounds, best of each),
so ratios are measured on the same machine load; nothing is asserted.

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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

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


def templated(n: int, rng: random.Random, pool: list[str]) -> tuple[Catalogue, Catalogue]:
    """(old, new): one essay of n/5 sections headed 着力推进第E篇第J项重点工作."""
    per = MEASURES_PER_SECTION
    cells = [[make_text(rng, pool) for _ in range(per)] for _ in range(max(1, n // per))]
    new_cells = [list(ms) for ms in cells]
    shifted: list[str] = []
    for ms in new_cells:
        out: list[str] = []
        for t in ms:
            r = rng.random()
            if r < 0.05:  # reworded: one clause replaced
                parts = t.rstrip("。").split("，")
                parts[rng.randrange(len(parts))] = rng.choice(pool)
                out.append("，".join(parts) + "。")
            elif r < 0.07:  # removed
                continue
            elif r < 0.08:  # shifted to another section
                shifted.append(t)
            else:
                out.append(t)
            if rng.random() < 0.02:  # added
                out.append(make_text(rng, pool))
        ms[:] = out
    for t in shifted:
        new_cells[rng.randrange(len(new_cells))].append(t)
    return _templated_catalogue(cells), _templated_catalogue(new_cells)


def _templated_catalogue(cells: list[list[str]]) -> Catalogue:
    sections = []
    for k, ms in enumerate(cells):
        e, j = divmod(k, SECTIONS_PER_ESSAY)
        sid = f"e1.s{k + 1}"
        heading = f"着力推进第{e + 1}篇第{j + 1}项重点工作"
        measures = tuple(
            Measure(f"{sid}.m{m + 1}", m + 1, NUMERALS[m % 10] + "是", "numbered", t.split("。")[0], t, 1, 0)
            for m, t in enumerate(ms)
        )
        sections.append(Section(sid, heading, None, None, False, False, 1, 0, heading + "。", measures))
    essay = Essay("e1", "工作报告", (), None, None, None, 1, None, sections=tuple(sections))
    return Catalogue("bench", (Document("templated.txt", "0" * 64, "utf-8", None, None, None, (essay,)),))


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
    print(machine())
    print(f"clause pool: {len(pool)} clauses; best of {rounds} interleaved rounds")
    pairs: dict[tuple[str, int], tuple[Catalogue, Catalogue]] = {}
    for n in sizes:
        rng = random.Random(n)
        old = build(n, rng, pool)
        pairs["varied", n] = (old, perturb(old, rng, pool))
        pairs["templated", n] = templated(n, random.Random(n), pool)
    # cases take turns within each round, so a change in machine load between
    # rounds touches all of them alike and the ratios stay comparable
    wall = dict.fromkeys(pairs, float("inf"))
    cpu = dict.fromkeys(pairs, float("inf"))
    results = {}
    for _ in range(rounds):
        for key, (old, new) in pairs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            results[key] = diff_catalogues(old, new)
            wall[key] = min(wall[key], time.perf_counter() - t0)
            cpu[key] = min(cpu[key], time.process_time() - c0)
    base = sizes[0]
    for shape in ("varied", "templated"):
        print(f"{shape}:")
        for n in sizes:
            key, b = (shape, n), (shape, base)
            t = time.perf_counter()
            dumps_diff(results[key], "yaml")
            t_yaml = time.perf_counter() - t
            target = ""
            if shape == "templated" and n == base == 5000:
                target = "  target < 2 s: " + ("ok" if wall[key] < 2 else "MISSED")
            elif shape == "templated" and n == 2 * base:
                target = "  target < 2.5x: " + ("ok" if wall[key] / wall[b] < 2.5 else "MISSED")
            print(
                f"  n={n:>6}  diff {wall[key]:6.3f} s wall, {cpu[key]:6.3f} s cpu  (+yaml {t_yaml:5.3f} s)  "
                f"vs n={base}: {wall[key] / wall[b]:4.2f}x wall, {cpu[key] / cpu[b]:4.2f}x cpu for {n / base:.1f}x size" + target
            )
            print(f"            {dict((k, v) for k, v in results[key].summary().items() if v)}")
    print(machine())


if __name__ == "__main__":
    main(sys.argv[1:])
