"""Catalogue writing and reading: the writer against PyYAML, YAML against JSON and
JSON Lines, and the peak memory of streaming a 50 MB catalogue.

The catalogue is the corpus extracted, its documents repeated until it holds
``--measures`` measures. Every figure is CPU time in this process, paired
with its reference from the same run (the ratios are what to compare).

write  old: ``yaml.dump`` per document, PyYAML's representer + libyaml's
       emitter (the writer before this one); new: ``yamlwriter.DocumentWriter``.
       Also the other means tried: feeding libyaml's emitter events directly
       (no representer), PyYAML's pure-Python emitter (the specification), and
       rapidyaml's emitter alone (when installed).
read   old: ``yaml.load`` with libyaml + the schema check; new:
       ``loads_catalogue`` (parser events, one document at a time); JSON and
       JSON Lines through the same streaming reader.
memory peak RSS of a fresh process that streams a 50 MB catalogue
       (``iter_documents_from_catalogue``, counting measures), in each format,
       beside ``yaml.load`` of the same file whole.

    python bench/bench_yaml.py
    python bench/bench_yaml.py --measures 50000 --rss-mb 50
    python bench/bench_yaml.py --no-rss
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml
from _common import corpus_files, env_with_checkout, machine, row, run_measured, timed

from guizhou_cli import parse_file
from guizhou_cli.catalogue import (
    catalogue_from_dict,
    document_chunk,
    document_dict,
    dump_catalogue,
    dumps_catalogue,
    loads_catalogue,
)
from guizhou_cli.model import Catalogue, iter_measures
from guizhou_cli.yamlwriter import CDumper, DocumentWriter, ReferenceDumper, resolves_to_str, style_hint

STR = "tag:yaml.org,2002:str"


def events_of(data: Any) -> list[Any]:
    """The event stream ``yaml.dump`` would make of ``data``, built directly (no representer)."""
    ev: list[Any] = []
    stack = [data]
    out = ev.append
    # iterative pre-order walk with explicit end markers
    end_map, end_seq = object(), object()
    while stack:
        v = stack.pop()
        if v is end_map:
            out(yaml.MappingEndEvent())
        elif v is end_seq:
            out(yaml.SequenceEndEvent())
        elif type(v) is dict:
            out(yaml.MappingStartEvent(None, None, True, flow_style=False))
            stack.append(end_map)
            for k, x in reversed(list(v.items())):
                stack.append(x)
                stack.append(k)
        elif type(v) is list:
            out(yaml.SequenceStartEvent(None, None, True, flow_style=False))
            stack.append(end_seq)
            stack.extend(reversed(v))
        elif type(v) is str:
            out(yaml.ScalarEvent(None, None, (resolves_to_str(v), True), v, style=style_hint(v)))
        elif v is None:
            out(yaml.ScalarEvent(None, None, (True, False), "null"))
        elif type(v) is bool:
            out(yaml.ScalarEvent(None, None, (True, False), "true" if v else "false"))
        else:
            out(yaml.ScalarEvent(None, None, (True, False), repr(v)))
    return ev


def emit_events(doc_data: dict[str, Any]) -> str:
    evs = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False), *events_of([doc_data])]
    evs += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    out: str = yaml.emit(evs, Dumper=CDumper, allow_unicode=True, width=1_000_000)
    return out


STREAM = """
import sys
from guizhou_cli.catalogue import iter_documents_from_catalogue
from guizhou_cli.model import iter_sections
n = 0
for d in iter_documents_from_catalogue(sys.argv[1]):
    for e in d.essays:
        for s in iter_sections(e.sections):
            n += len(s.measures)
print(n)
"""
WHOLE = """
import sys, yaml
data = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.CSafeLoader)
print(len(data["documents"]))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--measures", type=int, default=10_000)
    ap.add_argument("--rss-mb", type=float, default=50, help="size of the catalogue streamed for the memory rows")
    ap.add_argument("--no-rss", action="store_true", help="skip the memory rows (they take a minute)")
    args = ap.parse_args()
    print(machine())
    if not getattr(yaml, "__with_libyaml__", False):
        print("PyYAML was built without libyaml: the C rows are missing")
        return 2

    docs = [parse_file(str(p)) for p in corpus_files()]
    base = Catalogue("bench", tuple(docs))
    per = len(iter_measures(base))
    cat = Catalogue("bench", tuple(docs) * (args.measures // per + 1))
    n = len(iter_measures(cat))
    text = dumps_catalogue(cat)
    mb = len(text.encode()) / 2**20
    print(f"catalogue: {len(cat.documents)} documents, {n} measures, {mb:.1f} MB of YAML")

    dicts = [document_dict(d) for d in cat.documents]
    old_chunks = [yaml.dump([d], Dumper=CDumper, allow_unicode=True, sort_keys=False, width=1_000_000) for d in dicts]
    writer = DocumentWriter()
    assert [writer.document(d) for d in cat.documents] == old_chunks  # same bytes (no astral-plane text in the corpus)
    assert emit_events(dicts[0]) == old_chunks[0]

    def old_write() -> None:
        for d in cat.documents:
            yaml.dump([document_dict(d)], Dumper=CDumper, allow_unicode=True, sort_keys=False, width=1_000_000)

    w_old = timed(old_write, repeat=2)
    w_new = timed(lambda: [writer.document(d) for d in cat.documents], repeat=3)
    w_events = timed(lambda: [emit_events(document_dict(d)) for d in cat.documents], repeat=2)
    sample = cat.documents[: max(1, len(cat.documents) // 10)]
    w_py = timed(
        lambda: [
            yaml.dump([document_dict(d)], Dumper=ReferenceDumper, allow_unicode=True, sort_keys=False, width=10**6)
            for d in sample
        ]
    ) * (len(cat.documents) / len(sample))
    w_json_old = timed(lambda: [json.dumps(document_dict(d), ensure_ascii=False, indent=2) for d in cat.documents], repeat=2)
    w_json = timed(lambda: [document_chunk(d, "json") for d in cat.documents], repeat=2)
    w_jsonl = timed(lambda: [document_chunk(d, "jsonl") for d in cat.documents], repeat=2)

    print("\nwrite (CPU s; ratio = old / this)")
    row("old: PyYAML representer + libyaml emitter", f"{w_old:.2f} s")
    row("new: DocumentWriter (the model written directly)", f"{w_new:.2f} s  {w_old / w_new:.1f}×", "≥ 4×", w_old / w_new >= 4)
    row("tried: events fed to libyaml's emitter (no representer)", f"{w_events:.2f} s  {w_old / w_events:.1f}×")
    row("tried: PyYAML's pure-Python emitter (the specification)", f"{w_py:.2f} s  {w_old / w_py:.2f}×")
    try:
        import ryml

        tree_text = text.encode()
        tree = ryml.parse_in_arena(tree_text)
        w_ryml = timed(lambda: ryml.emit_yaml(tree), repeat=2)
        same = ryml.emit_yaml(tree) == text
        row("tried: rapidyaml, emitting a tree already built (C++ only)", f"{w_ryml:.2f} s  {w_old / w_ryml:.1f}×")
        row("  its output is PyYAML's", "yes" if same else "no (indents sequences, quotes differently)")
    except ImportError:
        row("tried: rapidyaml", "not installed")
    row("json, json.dumps(indent=2) per document (before)", f"{w_json_old:.2f} s")
    row("json, the catalogue's indenter (same bytes)", f"{w_json:.2f} s  {w_json_old / w_json:.1f}×")
    row("jsonl, json.dumps (C encoder)", f"{w_jsonl:.2f} s  {w_json_old / w_jsonl:.1f}×")

    jtext = dumps_catalogue(cat, "json")
    ltext = dumps_catalogue(cat, "jsonl")
    r_old = timed(lambda: catalogue_from_dict(yaml.load(text, Loader=yaml.CSafeLoader)), repeat=2)
    r_new = timed(lambda: loads_catalogue(text), repeat=2)
    r_json = timed(lambda: loads_catalogue(jtext), repeat=2)
    r_jsonl = timed(lambda: loads_catalogue(ltext), repeat=2)
    r_json_whole = timed(lambda: catalogue_from_dict(json.loads(jtext)), repeat=2)
    print("\nread (CPU s, with the schema check; ratio = old YAML / this)")
    row("old: yaml.load (libyaml) + schema check", f"{r_old:.2f} s")
    row("new: loads_catalogue, YAML by parser events", f"{r_new:.2f} s  {r_old / r_new:.1f}×")
    row("new: loads_catalogue, JSON streamed", f"{r_json:.2f} s  {r_old / r_json:.1f}×")
    row("new: loads_catalogue, JSON Lines", f"{r_jsonl:.2f} s  {r_old / r_jsonl:.1f}×")
    row("json.loads whole + schema check, for reference", f"{r_json_whole:.2f} s  {r_old / r_json_whole:.1f}×")

    if not args.no_rss:
        print(f"\nmemory: streaming a {args.rss_mb:.0f} MB catalogue in a fresh process (peak RSS)")
        with tempfile.TemporaryDirectory(prefix="guizhou-bench-") as tmp:
            per_doc = len(text.encode()) / len(cat.documents)
            big = Catalogue("bench", tuple(docs) * max(1, int(args.rss_mb * 2**20 / per_doc / len(docs))))
            env = env_with_checkout()
            baseline = run_measured([sys.executable, "-c", "import guizhou_cli.catalogue"], env=env, stdout=-3)
            row("python -c 'import guizhou_cli.catalogue' (baseline)", f"{baseline.rss_mb:.0f} MB")
            for fmt, target in (("yaml", 150), ("json", 150), ("jsonl", 100)):
                p = Path(tmp) / f"big.{fmt}"
                dump_catalogue(big, p, fmt)
                size = p.stat().st_size / 2**20
                m = run_measured([sys.executable, "-c", textwrap.dedent(STREAM), str(p)], env=env, stdout=-3)
                row(
                    f"stream {fmt} ({size:.0f} MB): iter_documents_from_catalogue",
                    f"{m.rss_mb:.0f} MB, {m.cpu:.1f} s",
                    f"< {target} MB",
                    m.rss_mb < target,
                )
                if fmt == "yaml":
                    w = run_measured([sys.executable, "-c", textwrap.dedent(WHOLE), str(p)], env=env, stdout=-3)
                    row(f"yaml.load whole ({size:.0f} MB), for reference", f"{w.rss_mb:.0f} MB, {w.cpu:.1f} s")
    print(f"\n{machine()}")
    print(f"(command: python bench/bench_yaml.py --measures {args.measures} --rss-mb {args.rss_mb:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
