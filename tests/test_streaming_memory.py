"""list, stats and search read a YAML or JSON Lines catalogue one document at a
time: their memory does not grow with the catalogue (issue 15).

Each command runs in a subprocess that reports its own peak RSS (VmHWM) on
exit; its figure on a catalogue of 250 documents (~10 MB) is compared with
the same command on 60 documents, in the same run. Holding the documents
costs about twice the catalogue's size (10–15 MB more here with the previous
reader); streamed, 0–1 MB from YAML, 3–5 MB from JSON Lines (the reader's
buffer settling, not growing: 34 MB in all on a 44 MB catalogue). Speed is for ``bench/bench_store.py``,
not for tests.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from guizhou_cli.catalogue import CatalogueWriter
from guizhou_cli.sources import seed_documents

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to read peak memory (Linux)")

COPIES = 250  # of the 40 KB seed page: a 10 MB YAML catalogue
# the reference: enough documents to fill the readers' buffers (a JSON reader
# reads 1 M characters at a time), so what differs is only what grows
BASE_COPIES = 60
GROWTH_MB = 8.0

# run the command, then print this process's peak RSS (kB) as the last line of stderr
PROBE = """
import sys
from guizhou_cli.cli import main
try:
    code = main(sys.argv[1:])
finally:
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    sys.stderr.write("\\nHWM " + hwm.split()[1] + "\\n")
sys.exit(code)
"""


def _catalogue(path: str, fmt: str, copies: int) -> None:
    doc = seed_documents()[0]
    with open(path, "w", encoding="utf-8") as fh:
        w = CatalogueWriter(fh, fmt)
        for k in range(copies):
            w.add(dataclasses.replace(doc, source=f"seeds/page-{k:03d}.txt"))
        w.close()


def _peak_mb(*args: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False)
    assert p.returncode == 0, p.stderr
    kb = int(p.stderr.rsplit("HWM ", 1)[1].split()[0])
    return kb / 1024, p.stdout


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    d = tmp_path_factory.mktemp("stream")
    out = {}
    for fmt in ("yaml", "jsonl"):
        big, small = str(d / f"big.{fmt}"), str(d / f"small.{fmt}")
        _catalogue(big, fmt, COPIES)
        _catalogue(small, fmt, BASE_COPIES)
        out[fmt] = (big, small)
    return out


@pytest.mark.parametrize("fmt", ["yaml", "jsonl"])
def test_reading_commands_do_not_grow_with_the_catalogue(catalogues, fmt):
    big, small = catalogues[fmt]
    assert os.path.getsize(big) > 8 * 2**20
    grown = {}
    for cmd in (["list", "-f", "tsv"], ["stats", "-f", "tsv"], ["search", "数字经济", "-f", "tsv"]):
        base, _ = _peak_mb(*cmd, small)
        mb, out = _peak_mb(*cmd, big)
        assert out.count("\n") > 5  # the command did its work
        grown[cmd[0]] = round(mb - base, 1)
    assert all(g < GROWTH_MB for g in grown.values()), f"peak RSS on {COPIES} documents over {BASE_COPIES}: {grown} MB"


def test_streamed_output_is_complete_and_labelled(catalogues):
    big, _ = catalogues["jsonl"]
    _, out = _peak_mb("list", big, "-f", "tsv", "-n", "0")
    lines = out.splitlines()
    # every copy's measures, ids qualified by each copy's own label
    assert lines[0].startswith("source\t")
    assert {ln.split("\t")[0] for ln in lines[1:]} == {f"seeds/page-{k:03d}.txt" for k in range(COPIES)}
    assert lines[-1].split("\t")[-1] == f"page-{COPIES - 1:03d}"


def test_a_catalogue_broken_half_way_prints_nothing(tmp_path, catalogues):
    _, small = catalogues["yaml"]
    with open(small, "rb") as fh:
        data = fh.read()
    broken = tmp_path / "broken.yaml"
    # a flow mapping left open half way: the documents before it are read, then it fails
    broken.write_bytes(data[: data.index(b"\n", len(data) // 2) + 1] + b"- {source: [\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for cmd in (["list"], ["stats"], ["search", "数字经济"], ["list", "--sections"]):
        p = subprocess.run(
            [sys.executable, "-m", "guizhou_cli", *cmd, str(broken), "-f", "tsv"], capture_output=True, env=env, check=False
        )
        assert p.returncode == 2 and p.stdout == b"", cmd
        assert len(p.stderr.decode().strip().splitlines()) == 1 and "broken.yaml" in p.stderr.decode()


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl", "csv", "tsv", "md"])
@pytest.mark.parametrize("which", ["measures", "sections", "stats", "none"])
def test_streamed_rows_are_the_bytes_of_the_whole_list(fmt, which):
    from guizhou_cli import export, query
    from guizhou_cli.commands.rowstream import RowSpool, iter_format_stream
    from guizhou_cli.model import Catalogue

    cat = Catalogue("test", tuple(seed_documents()))
    if which == "measures":
        rows, cols = [export.measure_row(it, "x") for it in query.select(cat)], export.MEASURE_COLUMNS
    elif which == "sections":
        rows, cols = [export.heading_row(h, "x") for h in query.headings(cat)], export.HEADING_COLUMNS
    elif which == "stats":
        rows, cols = [export.stats_row(r) for r in query.stats(cat)], export.STATS_COLUMNS
    else:
        rows, cols = [], export.MEASURE_COLUMNS
    rows[3:4] = [{**rows[3], "extra": 1}] if len(rows) > 3 else []  # a column only one row has
    for opts in ({}, {"bom": True, "clean": True, "formula_guard": False}):
        if opts.get("bom") and fmt not in ("csv", "tsv"):
            continue
        whole = export.dumps(rows, fmt, cols, **opts)
        with RowSpool(memory=1000) as spool:  # past 1000 bytes on disk: both paths are read
            for r in rows:
                spool.add(r)
            assert "".join(iter_format_stream(lambda spool=spool: spool, fmt, cols, **opts)) == whole


def test_labels_of_a_stream_are_those_of_the_whole_catalogue(tmp_path):
    """Two documents with one stem are named by number, though the first was
    written before the second was read; stdin is searched as the file is."""
    import json

    from .cli_helpers import run

    path = tmp_path / "twice.jsonl"
    doc = seed_documents()[0]
    with open(path, "w", encoding="utf-8") as fh:
        w = CatalogueWriter(fh, "jsonl")
        for d in ("a/page.txt", "b/page.txt", "c/other.txt"):
            w.add(dataclasses.replace(doc, source=d))
        w.close()
    rows = json.loads(run("list", str(path), "-f", "json").out)
    assert rows[0]["document"] == "1" and rows[-1]["document"] == "other"
    assert {r["document"] for r in rows} == {"1", "2", "other"}
    heads = json.loads(run("list", "--sections", str(path), "-f", "json").out)
    assert {r["document"] for r in heads} == {"1", "2", "other"}
    from_file = run("search", "数据", str(path), "-f", "json", "-n", "0")
    from_stdin = run("search", "数据", "-", "-f", "json", "-n", "0", stdin=path.read_bytes())
    assert from_file.code == from_stdin.code == 0 and from_file.out == from_stdin.out
    hits = json.loads(from_file.out)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1)) and {h["document"] for h in hits} == {"1", "2", "other"}
    assert hits == sorted(hits, key=lambda h: -h["score"])
