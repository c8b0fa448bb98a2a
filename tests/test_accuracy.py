"""The accuracy ratchet: the development set's figures may not fall below bench/accuracy.json.

Runs the extractor on every document of ``../shared/eval`` (or ``GUIZHOU_EVAL``)
and scores it with the set's own scorer (``bench/accuracy.py``). A change to the
rules that lowers the mean F1, or any document's F1 or placement, by more than
the tolerance fails here; raise the file (``python bench/accuracy.py --update``)
when a change improves it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _accuracy():
    spec = importlib.util.spec_from_file_location("guizhou_bench_accuracy", ROOT / "bench" / "accuracy.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


acc = _accuracy()


@pytest.fixture(scope="module")
def scores():
    where = acc.eval_dir()
    if not (where / "gold").is_dir():
        pytest.skip(f"the evaluation set is not at {where} (set GUIZHOU_EVAL to run the accuracy ratchet)")
    return {s.name: s for s in acc.evaluate(where)}


def test_mean_f1_does_not_fall(scores):
    want = json.loads(acc.FIGURES.read_text(encoding="utf-8"))["summary"]
    got = acc.summary(list(scores.values()))
    assert got["mean_f1"] >= want["mean_f1"] - acc.TOLERANCE, f"mean F1 {got['mean_f1']} < ratchet {want['mean_f1']}"
    assert got["titles"] >= want["titles"], f"titles {got['titles']} < ratchet {want['titles']}"


def test_no_document_falls(scores):
    ratchet = json.loads(acc.FIGURES.read_text(encoding="utf-8"))["documents"]
    fell = []
    for name, want in ratchet.items():
        got = scores.get(name)
        if got is None:
            continue  # a document left the set
        if got.f1 < want["f1"] - acc.TOLERANCE:
            fell.append(f"{name}: F1 {got.f1:.2f} < {want['f1']:.2f}")
        if want["placed"] is not None and want["hit"] and got.hit:
            if got.placed / got.hit < want["placed"] / want["hit"] - acc.TOLERANCE:
                fell.append(f"{name}: placed {got.placed}/{got.hit} < {want['placed']}/{want['hit']}")
    assert not fell, "; ".join(fell)


def test_the_bar_of_the_accuracy_issue(scores):
    # mean measure F1 ≥ 0.95, no document under 0.80, titles all but one
    summ = acc.summary(list(scores.values()))
    assert summ["mean_f1"] >= 0.95
    assert summ["worst_f1"] >= 0.80
    assert summ["titles"] >= summ["documents"] - 1
