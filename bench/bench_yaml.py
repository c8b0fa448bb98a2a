"""YAML read and write of a 10,000-measure catalogue: libyaml's C loader and
emitter beside PyYAML's pure-Python path, to show why the catalogue uses C.

The catalogue is the corpus extracted, its documents repeated until it holds
10,000 measures. Rows: what ``load_catalogue``/``dump_catalogue`` do (C, with
the duplicate-key check and the schema validation), and the bare parsers.

    python bench/bench_yaml.py
    python bench/bench_yaml.py --measures 50000
"""

from __future__ import annotations

import argparse
import json
import sys

import yaml
from _common import corpus_files, row, timed

from guizhou_cli import parse_file
from guizhou_cli.catalogue import _Dumper, _Loader, _str_representer, catalogue_dict, dumps_catalogue, loads_catalogue
from guizhou_cli.model import Catalogue, iter_measures


class PyDumper(yaml.SafeDumper):
    """The catalogue's dumper on the pure-Python emitter."""


PyDumper.add_representer(str, _str_representer)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measures", type=int, default=10_000)
    args = ap.parse_args()
    if not getattr(yaml, "__with_libyaml__", False):
        print("PyYAML was built without libyaml: the C rows are missing")
        return 2

    docs = [parse_file(str(p)) for p in corpus_files()]
    base = Catalogue("bench", tuple(docs))
    per = len(iter_measures(base))
    cat = Catalogue("bench", tuple(docs) * (args.measures // per + 1))
    n = len(iter_measures(cat))
    data = catalogue_dict(cat)
    text = dumps_catalogue(cat)
    mb = len(text.encode()) / 2**20
    print(f"catalogue: {len(cat.documents)} documents, {n} measures, {mb:.1f} MB of YAML")

    def dump(dumper: type) -> str:
        out: str = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
        return out

    assert dump(PyDumper) == text  # the two emitters agree byte for byte

    w_c = timed(lambda: dump(_Dumper), repeat=2)
    w_py = timed(lambda: dump(PyDumper))
    w_cat = timed(lambda: dumps_catalogue(cat), repeat=2)
    w_json = timed(lambda: json.dumps(data, ensure_ascii=False, indent=2), repeat=2)
    r_c = timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat=2)
    r_ours = timed(lambda: yaml.load(text, Loader=_Loader), repeat=2)
    r_py = timed(lambda: yaml.load(text, Loader=yaml.SafeLoader))
    r_cat = timed(lambda: loads_catalogue(text), repeat=2)
    jtext = json.dumps(data, ensure_ascii=False, indent=2)
    r_json = timed(lambda: json.loads(jtext), repeat=2)

    print("\nwrite")
    row("yaml.dump, C emitter (CSafeDumper)", f"{w_c:.2f} s")
    row("yaml.dump, pure Python (SafeDumper)", f"{w_py:.2f} s")
    row("pure Python / C", f"{w_py / w_c:.1f}×")
    row("dumps_catalogue (C, streamed per document)", f"{w_cat:.2f} s")
    row("json.dumps, for reference", f"{w_json:.2f} s")
    print("\nread")
    row("yaml.load, C loader (CSafeLoader)", f"{r_c:.2f} s")
    row("yaml.load, C + duplicate-key check (catalogue's loader)", f"{r_ours:.2f} s")
    row("yaml.load, pure Python (SafeLoader)", f"{r_py:.2f} s")
    row("pure Python / C", f"{r_py / r_c:.1f}×")
    row("loads_catalogue (anchor scan, C load, schema check)", f"{r_cat:.2f} s")
    row("json.loads, for reference", f"{r_json:.2f} s")
    print(f"\n(command: python bench/bench_yaml.py --measures {args.measures})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
