"""Build ``guizhou_cli/data/inner_bigrams.txt.gz`` from jieba's dictionary.

The structure parser uses it to notice a paragraph that starts in the middle of
a word (a newspaper column whose top was lost: "程机械等领域…"): its first two
characters occur inside dictionary words but never start one. jieba is not
imported at run time for this; the table is built once, here, and shipped.

Run: python tools/build_lexicon.py
"""

from __future__ import annotations

import collections
import gzip
import importlib.util
import re
from pathlib import Path

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
SINGLE_WORD_FREQ = 15000
RARE_INITIAL_SHARE = 0.04


def main() -> None:
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.origin, "jieba is needed to build the lexicon"
    dict_path = Path(spec.origin).parent / "dict.txt"
    single: dict[str, int] = {}
    initial: collections.Counter[str] = collections.Counter()
    inner: collections.Counter[str] = collections.Counter()
    head: collections.Counter[str] = collections.Counter()  # char as a word's first
    rest: collections.Counter[str] = collections.Counter()  # char elsewhere in a word
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split()
        if len(word) == 1:
            single[word] = int(freq)
        if len(word) < 2 or not HAN.match(word):
            continue
        initial[word[:2]] += int(freq)
        head[word[0]] += int(freq)
        for c in word[1:]:
            rest[c] += int(freq)
        for i in range(1, len(word) - 1):
            inner[word[i : i + 2]] += int(freq)
    # A character that is a frequent word on its own (在, 为, 要 …) can open a
    # sentence whatever follows it: 在国际…, 为继续… are not broken starts.
    bigrams = sorted(b for b in inner if initial[b] == 0 and single.get(b[0], 0) < SINGLE_WORD_FREQ)
    # Characters that almost never begin a word (益, 们 …): a paragraph that
    # starts with one has lost its start.
    rare = sorted(
        c
        for c in set(head) | set(rest)
        if head[c] / (head[c] + rest[c] + 1) < RARE_INITIAL_SHARE and single.get(c, 0) < SINGLE_WORD_FREQ
    )
    out = Path(__file__).resolve().parent.parent / "guizhou_cli" / "data" / "inner_bigrams.txt.gz"
    # mtime=0 keeps the file byte-identical between builds.
    with gzip.GzipFile(out, "wb", mtime=0) as fh:
        fh.write(("".join(bigrams) + "\n" + "".join(rare)).encode("utf-8"))
    print(f"{len(bigrams)} bigrams, {len(rare)} rare-initial characters -> {out}")


if __name__ == "__main__":
    main()
