"""Fuzz ``parse_text`` and ``load_catalogue`` with hypothesis at scale.

The strategies and checks are the property tests' (tests/strategies.py,
tests/test_properties.py), run with many more examples and fresh randomness
each time (the tests are derandomized and modest, for CI):

* ``parse_text`` on generated Chinese policy text with markers, headings,
  blank lines and damage, and on arbitrary Unicode: never raises, nothing is
  lost, every section and measure points at its text, dump → load → dump is
  byte-identical;
* ``loads_catalogue`` on damaged catalogues (cut, duplicated, hostile YAML
  spliced in: tags, anchors, aliases, directives, deep nesting, huge
  numbers): it loads, or refuses with a one-line CatalogueError, nothing else.

Prints the number of inputs tried and what they got. Needs the test extra
(``pip install '.[test]'``).

    python bench/bench_fuzz.py                 # 2000 of each
    python bench/bench_fuzz.py --examples 20000
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time

from _common import ROOT, row  # puts the checkout (guizhou_cli, tests) first on sys.path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guizhou_cli import CatalogueError, parse_text
from guizhou_cli.catalogue import dumps_catalogue, loads_catalogue
from guizhou_cli.model import Catalogue
from tests.strategies import damaged_catalogue, document
from tests.test_properties import KNOWN_PARSER_BUGS, check


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=2000, help="inputs per target (default 2000)")
    args = ap.parse_args()
    n = args.examples
    big = settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    failed = False
    print(f"fuzzing with hypothesis, {n} inputs per target (known parser bugs tolerated: {sorted(KNOWN_PARSER_BUGS)})")

    # 1. parse_text on generated policy text
    counts = collections.Counter()

    @big
    @given(document())
    def gen(text: str) -> None:
        counts["generated"] += 1
        counts["generated chars"] += len(text)
        check(text)

    # 2. parse_text on arbitrary Unicode
    @big
    @given(st.text(max_size=2000))
    def anything(text: str) -> None:
        counts["unicode"] += 1
        doc = parse_text(text, "any.txt")
        once = dumps_catalogue(Catalogue("t", (doc,)))
        assert dumps_catalogue(loads_catalogue(once)) == once

    # 3. load_catalogue on damaged catalogues
    seed_doc = parse_text((ROOT / "seeds" / "000_6dfcd726ad4e1932.txt").read_text(encoding="utf-8"), "seed.txt")
    texts = {fmt: dumps_catalogue(Catalogue("t", (seed_doc,)), fmt) for fmt in ("yaml", "json")}
    outcomes: collections.Counter[str] = collections.Counter()

    @big
    @given(st.sampled_from(["yaml", "json"]).flatmap(lambda fmt: damaged_catalogue(texts[fmt])))
    def catalogues(text: str) -> None:
        counts["catalogues"] += 1
        try:
            cat = loads_catalogue(text)
        except CatalogueError as exc:
            msg = str(exc)
            assert "\n" not in msg
            outcomes["refused: " + _kind(msg)] += 1
            return
        outcomes["loaded"] += 1
        again = dumps_catalogue(cat)
        assert dumps_catalogue(loads_catalogue(again)) == again

    for label, fn in (
        ("parse_text, generated policy text", gen),
        ("parse_text, arbitrary Unicode", anything),
        ("loads_catalogue, damaged catalogues", catalogues),
    ):
        t = time.perf_counter()
        try:
            fn()
            result = "ok"
        except Exception as exc:  # report, keep fuzzing the other targets
            failed = True
            notes = "\n".join(getattr(exc, "__notes__", []))  # hypothesis: the falsifying example
            result = f"FAILED: {type(exc).__name__}: {str(exc)[:300]}\n{notes[:2000]}"
        print(f"\n{label}: {time.perf_counter() - t:.0f} s, {result}")
    print()
    row("generated documents tried", f"{counts['generated']}")
    row("  characters in them", f"{counts['generated chars']}")
    row("arbitrary Unicode texts tried", f"{counts['unicode']}")
    row("damaged catalogues tried", f"{counts['catalogues']}")
    for what, k in outcomes.most_common():
        row(f"  {what}", f"{k}")
    print(f"\n(command: python bench/bench_fuzz.py --examples {n})")
    return 1 if failed else 0


def _kind(message: str) -> str:
    """The reason of a refusal, without its specifics: 'invalid YAML', 'expected a string' …"""
    m = message.split(": ", 1)[-1]
    m = re.sub(r"^[\w\[\].]*: ", "", m)  # the YAML path
    m = re.sub(r" at line \d+( column \d+)?", "", m)
    m = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", m)
    return m[:50]


if __name__ == "__main__":
    sys.exit(main())
