"""Reading an archive back: the SQLite catalogue (.db) beside YAML and JSON of the same documents.

Builds a catalogue of the corpus copied until the YAML catalogue reaches
``--mb`` megabytes (50 by default), writes it as .yaml, .json and .db
(``guizhou extract``), then times ``list``, ``search`` and ``stats`` on each,
in subprocesses, with wall time and the peak RSS of the process.

Targets (issue 14): on the 50 MB archive, ``list``, ``search`` and
``stats`` read from the .db in under 1 s each and under 150 MB. Also checked:
the .db converts back to byte-identical YAML.

Targets (issue 15, item 2): the same commands read the YAML catalogue (one
document at a time) in under 150 MB and the JSON Lines one in under 100 MB.

    python bench/bench_store.py
    python bench/bench_store.py --mb 10 --runs 3
    python bench/bench_store.py --archive /tmp/store-bench   # build once, keep, rerun
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import build_archive, env_with_checkout, guizhou_command, machine, row, run_measured

JSONL = """
import sys
from guizhou_cli.catalogue import CatalogueWriter
from guizhou_cli.sources import iter_source_documents
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    w = CatalogueWriter(fh, "jsonl")
    for doc in iter_source_documents([sys.argv[1]]):
        w.add(doc)
    w.close()
"""

QUERIES = {
    "list (all measures, tsv)": ["list", "{cat}", "-f", "tsv"],
    "list -d one document (tsv)": ["list", "{cat}", "-d", "{doc}", "-f", "tsv"],
    "list --sections (tsv)": ["list", "{cat}", "--sections", "-f", "tsv"],
    "search 数字经济 (top 10)": ["search", "数字经济", "{cat}", "-f", "tsv"],
    "search 数据安全 (top 10)": ["search", "数据安全", "{cat}", "-f", "tsv"],
    "stats (tsv)": ["stats", "{cat}", "-f", "tsv"],
    "show one measure": ["show", "{doc}:e1.s1", "{cat}", "-f", "json"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the YAML catalogue to build, in MB")
    ap.add_argument("--runs", type=int, default=3, help="runs of each command (the median is shown)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--archive", type=Path, help="reuse this directory's archive.yaml/.json/.db (kept there) instead of building one"
    )
    args = ap.parse_args()
    print(machine())
    gz = guizhou_command()
    env = env_with_checkout()
    work = args.archive or Path(tempfile.mkdtemp(prefix="guizhou-bench-store-"))
    try:
        cat = {ext: work / f"archive.{ext}" for ext in ("yaml", "json", "jsonl", "db")}
        src = work / "src"
        if not all(p.exists() for p in cat.values()):
            # the catalogue is about twice its input: build input of half the size
            shutil.rmtree(src, ignore_errors=True)
            build_archive(args.mb / 2.1, src)
            subprocess.run([*gz, "extract", str(src), "-o", str(cat["yaml"]), "--jobs", str(args.jobs)], env=env, check=True)
            for ext in ("json", "db"):
                m = run_measured([*gz, "extract", str(cat["yaml"]), "-o", str(cat[ext])], env=env)
                print(f"  yaml → {ext}: {m.wall:.1f} s wall, {m.cpu:.1f} s CPU, peak {m.rss_mb:.0f} MB")
            # JSON Lines: a header line, then one document a line (the library's writer)
            subprocess.run([sys.executable, "-c", JSONL, str(cat["json"]), str(cat["jsonl"])], env=env, check=True)
        files = len(list(src.glob("*.txt")))
        size = sum(p.stat().st_size for p in src.glob("*.txt"))
        back = work / "back.yaml"
        subprocess.run([*gz, "extract", str(cat["db"]), "-o", str(back)], env=env, check=True)
        same = filecmp.cmp(back, cat["yaml"], shallow=False)
        print(
            f"archive: {files} files, {size / 2**20:.1f} MB of input; catalogue "
            + ", ".join(f".{e} {p.stat().st_size / 2**20:.1f} MB" for e, p in cat.items())
        )
        row(".db → YAML byte-identical to the YAML extracted", "yes" if same else "NO", "identical", same)
        doc = sorted(src.glob("*.txt"))[0].stem
        exts = ("db", "yaml", "json", "jsonl")
        print(f"\n  {'command':<30} " + " ".join(f"{'.' + e:>22}" for e in exts) + "   (median wall s, CPU s, peak MB)")
        worst_db = (0.0, 0.0, 0.0)
        worst_rss = dict.fromkeys(exts, 0.0)
        for label, template in QUERIES.items():
            cells = []
            for ext in exts:
                argv = [*gz, *(a.format(cat=cat[ext], doc=doc) for a in template)]
                runs = [run_measured(argv, env=env, stdout=subprocess.DEVNULL) for _ in range(args.runs if ext == "db" else 1)]
                wall = statistics.median(r.wall for r in runs)
                cpu = statistics.median(r.cpu for r in runs)
                rss = max(r.rss_mb for r in runs)
                if any(r.code != 0 for r in runs):
                    cells.append("failed")
                    continue
                cells.append(f"{wall:5.2f} {cpu:5.2f} {rss:4.0f} MB")
                if not label.startswith("show"):
                    worst_rss[ext] = max(worst_rss[ext], rss)
                if ext == "db" and not label.startswith("show"):
                    worst_db = (max(worst_db[0], wall), max(worst_db[1], rss), max(worst_db[2], cpu))
            print(f"  {label:<30} " + " ".join(f"{c:>22}" for c in cells))
        print()
        row("slowest list/search/stats on the .db, wall", f"{worst_db[0]:.2f} s", "< 1 s", worst_db[0] < 1.0)
        row("  the same in CPU time", f"{worst_db[2]:.2f} s", "< 1 s", worst_db[2] < 1.0)
        row("largest peak RSS of those on the .db", f"{worst_db[1]:.0f} MB", "< 150 MB", worst_db[1] < 150)
        yaml_rss = worst_rss["yaml"]
        row("largest peak RSS of list/search/stats on the .yaml", f"{yaml_rss:.0f} MB", "< 150 MB", yaml_rss < 150)
        row("  on the .jsonl", f"{worst_rss['jsonl']:.0f} MB", "< 100 MB", worst_rss["jsonl"] < 100)
        row("  on the .json", f"{worst_rss['json']:.0f} MB")
        print(machine())
    finally:
        if args.archive is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
