"""Time ``guizhou history`` over the national work reports (1997–2025).

Runs the command as a user would (extraction of every report included) and,
apart, the lineage alone on catalogues already parsed: 28 pairwise matchings.
Target (issue 13): the whole command under 10 s. Nothing is asserted.

    python bench/bench_history.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, env_with_checkout, guizhou_command, machine, run_measured

from guizhou_cli.history import build_history, one_per_year, order_versions
from guizhou_cli.sources import open_catalogue


def main() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    files = sorted(str(p) for p in corpus.glob("gwr-national-*.txt"))
    if not files:
        print(f"no national work reports in {corpus}: nothing to time")
        return
    print(machine())
    cmd = [*guizhou_command(), "history", *files, "--term", "新质生产力", "-f", "json"]
    m = run_measured(cmd, env=env_with_checkout(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(
        f"guizhou history ({len(files)} files, {len(one_per_year(files)[0])} versions): "
        f"{m.wall:.2f} s wall, {m.cpu:.2f} s cpu, peak {m.rss_mb:.0f} MB  target < 10 s: {'ok' if m.wall < 10 else 'MISSED'}"
    )
    kept, _ = one_per_year(files)
    t = time.perf_counter()
    versions, _ = order_versions([(f, open_catalogue([f])) for f in kept])
    t_parse = time.perf_counter() - t
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        h = build_history(versions, term="新质生产力")
        best = min(best, time.perf_counter() - t)
    print(
        f"  extraction {t_parse:.2f} s; lineage alone (best of 3) {best:.2f} s: "
        f"{sum(n for _l, _s, n in h.versions)} measures in {len(h.lineages)} lineages"
    )
    print(machine())


if __name__ == "__main__":
    main()
