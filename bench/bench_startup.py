"""Start-up: ``guizhou --help`` and ``guizhou list`` beside ``python -c "import click"``.

Targets: ``--help`` within 2.5× of importing click, ``list`` (on a catalogue
of the seed) within 5×. The three commands run interleaved, ``--runs`` times
each; the ratio is of the medians (the minimum is printed too). That neither
imports jieba is checked by tests/test_startup.py; this measures the time.

    python bench/bench_startup.py
    python bench/bench_startup.py --runs 40
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import env_with_checkout, guizhou_command, machine, row, run_measured

from guizhou_cli.cli import COMMANDS


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    print(machine())
    env = env_with_checkout()
    cmd = guizhou_command()
    with tempfile.TemporaryDirectory(prefix="guizhou-bench-") as tmp:
        seed = Path(tmp) / "seed.yaml"
        subprocess.run([*cmd, "extract", "-o", str(seed)], env=env, check=True, capture_output=True)
        db = Path(tmp) / "seed.db"
        subprocess.run([*cmd, "extract", "-o", str(db)], env=env, check=True, capture_output=True)
        runs: dict[str, list[str]] = {
            'python -c "import click"': [sys.executable, "-c", "import click"],
            "guizhou --help": [*cmd, "--help"],
        }
        if "list" in COMMANDS:
            runs["guizhou list seed.yaml"] = [*cmd, "list", str(seed)]
            runs["guizhou list seed.db"] = [*cmd, "list", str(db)]
        wall: dict[str, list[float]] = {k: [] for k in runs}
        cpu: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.runs):
            for label, argv in runs.items():
                m = run_measured(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if m.code:
                    print(f"{label}: exit code {m.code}")
                    return 2
                wall[label].append(m.wall)
                cpu[label].append(m.cpu)
    base = statistics.median(cpu['python -c "import click"'])
    print(f"start-up, medians of {args.runs} interleaved runs (python {sys.version.split()[0]}; {Path(cmd[0]).name} …)")
    print("  ratios are of CPU time (user + system), which the machine's other load does not stretch")
    ok = True
    for label in runs:
        row(label, f"{statistics.median(cpu[label]) * 1000:.0f} ms CPU, {statistics.median(wall[label]) * 1000:.0f} wall")
    for label, target in (("guizhou --help", 2.5), ("guizhou list seed.yaml", 5.0), ("guizhou list seed.db", 5.0)):
        if label not in cpu:
            row(f"{label} / import click", "n/a", "(no list command yet)")
            continue
        ratio = statistics.median(cpu[label]) / base
        row(f"{label} / import click", f"{ratio:.2f}×", f"target ≤ {target}×", ratio <= target)
        ok &= ratio <= target
    print(f"\n(command: python bench/bench_startup.py --runs {args.runs})")
    print(machine())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
