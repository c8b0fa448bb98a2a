"""Accuracy of the extractor on the development set (``../shared/eval``), with a ratchet.

    python bench/accuracy.py                 # per-document P, R, F1, placement, title; the mean
    python bench/accuracy.py --update        # write the figures to bench/accuracy.json (raise the ratchet)
    python bench/accuracy.py --eval DIR      # another evaluation set laid out the same way

Every document is extracted in this process with the checkout's library and
scored with the set's own ``score.py`` (the same scorer ``score-all`` runs), so
the figures are those of ``../shared/eval/score-all``. ``tests/test_accuracy.py``
fails when the mean, or any document's F1, drops more than ``TOLERANCE`` below
``bench/accuracy.json``: raise that file as the extractor improves, never lower it
to make a change pass.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIGURES = ROOT / "bench" / "accuracy.json"
TOLERANCE = 0.02


def eval_dir() -> Path:
    return Path(os.environ.get("GUIZHOU_EVAL", ROOT.parent / "shared" / "eval"))


@dataclass(frozen=True)
class Score:
    name: str
    f1: float
    precision: float
    recall: float
    hit: int
    want: int
    predicted: int
    placed: int | None  # None for flat golds (matched anywhere)
    title_ok: bool
    problems: int


_MEASURES = re.compile(
    r"^measures: P=([\d.]+) R=([\d.]+) F1=([\d.]+) \((\d+)/(\d+), (-?\d+) predicted\)(?:, placed (\d+)/(\d+))?", re.M
)
_TITLES = re.compile(r"titles=(\d+)/(\d+)")
_PROBLEMS = re.compile(r"problems=(\d+)")


def _scorer(where: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("guizhou_eval_score", where / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def evaluate(where: Path | None = None) -> list[Score]:
    """Extract and score every document of the set; raises FileNotFoundError when it is absent."""
    import yaml

    from guizhou_cli import Catalogue, dump_catalogue, parse_file

    where = where or eval_dir()
    golds = sorted((where / "gold").glob("*.yaml"))
    if not golds:
        raise FileNotFoundError(f"no evaluation set at {where}")
    scorer = _scorer(where)
    out: list[Score] = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold in golds:
            name = gold.stem
            file = yaml.safe_load(gold.read_text(encoding="utf-8"))["file"]
            cat = Path(tmp) / f"{name}.yaml"
            dump_catalogue(Catalogue("bench/accuracy.py", (parse_file(str(where / "docs" / file)),)), str(cat))
            buf = io.StringIO()
            argv = sys.argv
            sys.argv = ["score.py", str(gold), str(cat), "--min-f1", "0"]
            try:
                with contextlib.redirect_stdout(buf):
                    scorer.main()
            finally:
                sys.argv = argv
            text = buf.getvalue()
            m = _MEASURES.search(text)
            if m is None:
                raise RuntimeError(f"{name}: the scorer printed no measure line:\n{text}")
            t = _TITLES.search(text)
            pr = _PROBLEMS.search(text)
            out.append(
                Score(
                    name=name,
                    f1=float(m.group(3)),
                    precision=float(m.group(1)),
                    recall=float(m.group(2)),
                    hit=int(m.group(4)),
                    want=int(m.group(5)),
                    predicted=int(m.group(6)),
                    placed=int(m.group(7)) if m.group(7) is not None else None,
                    title_ok=t is None or t.group(1) == t.group(2),
                    problems=int(pr.group(1)) if pr else 0,
                )
            )
    return out


def summary(scores: list[Score]) -> dict[str, float | int]:
    n = len(scores)
    return {
        "documents": n,
        "mean_f1": round(sum(s.f1 for s in scores) / n, 4) if n else 0.0,
        "worst_f1": min((s.f1 for s in scores), default=0.0),
        "titles": sum(s.title_ok for s in scores),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=None, help="the evaluation set (default ../shared/eval)")
    ap.add_argument("--update", action="store_true", help="write the figures to bench/accuracy.json")
    a = ap.parse_args(argv)
    try:
        scores = evaluate(a.eval)
    except FileNotFoundError as e:
        print(f"accuracy: {e}", file=sys.stderr)
        return 2
    print(f"{'document':44s} {'F1':>5} {'P':>5} {'R':>5}  hit/want  pred  placed  title  problems")
    for s in scores:
        placed = "flat" if s.placed is None else f"{s.placed}/{s.hit}"
        print(
            f"{s.name:44s} {s.f1:5.2f} {s.precision:5.2f} {s.recall:5.2f}  {s.hit:>3}/{s.want:<4} {s.predicted:>5}  "
            f"{placed:>6}  {'ok' if s.title_ok else 'MISS':>5}  {s.problems:>3}"
        )
    summ = summary(scores)
    print(
        f"mean measure F1 {summ['mean_f1']:.2f} (worst {summ['worst_f1']:.2f}) over {summ['documents']} documents; "
        f"titles {summ['titles']}/{summ['documents']}"
    )
    if a.update:
        FIGURES.write_text(
            json.dumps({"summary": summ, "documents": {s.name: asdict(s) for s in scores}}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {FIGURES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
