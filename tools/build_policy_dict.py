"""Build or refresh ``guizhou_cli/data/policy_dict.txt``, the policy vocabulary.

Which words are in the dictionary is a decision made by hand (the file is
grouped and commented); this script computes their frequencies, checks them
against real text, and finds candidates.

    python tools/build_policy_dict.py                 # recompute frequencies, rewrite the file
    python tools/build_policy_dict.py --check         # exit 1 if the file is not what a refresh writes
    python tools/build_policy_dict.py --candidates    # quoted “…” coinages in the texts, not yet listed
    python tools/build_policy_dict.py --add 数实融合 一网统管   # append words, then refresh

Texts: ``seeds/`` and ``../shared/corpus/`` when present; name others with
``--corpus DIR`` (repeatable).

Frequencies. A word starts at what jieba's ``suggest_freq`` gives it against
the stock dictionary (just enough to beat its own split when it stands alone,
often 1), raised to a floor by length so that it holds in text nobody checked:
20 for two characters, 100 for three, 500 for more (the stock dictionary's
90th percentile is about 100; 发展 is 68664). Short words get low floors
because a frequent two-character word starts stealing characters from its
neighbours (优化债务 must stay 优化/债务, not 优/化债/务). Then every
occurrence of the word in the texts is segmented with the whole dictionary
loaded (HMM on, as ``guizhou_cli.keywords`` segments). Where the word does
not come out as one token although both its ends fall on token boundaries,
its frequency is doubled; at most eight times. Words that still fail,
and words stock jieba already keeps whole everywhere (redundant), are listed
for a person to judge. The result is deterministic for a given jieba and a
given set of texts.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guizhou_cli.keywords import Entry, JiebaSegmenter, _import_jieba  # noqa: E402
from guizhou_cli.read import read_source  # noqa: E402

DICT = ROOT / "guizhou_cli" / "data" / "policy_dict.txt"
DEFAULT_CORPORA = [ROOT / "seeds", ROOT.parent / "shared" / "corpus"]
WORD = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9]+\+?[A-Za-z0-9]*")
QUOTED = re.compile(r"“([\u4e00-\u9fd5A-Za-z0-9]{2,8})”")
MAX_DOUBLINGS = 8
FLOOR = {2: 20, 3: 100}
FLOOR_LONG = 500


@dataclass
class Line:
    raw: str  # a comment or blank line, kept verbatim
    word: str | None = None
    freq: int | None = None


def read_lines(path: Path) -> list[Line]:
    out: list[Line] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        body = raw.split("#", 1)[0].strip()
        if not body:
            out.append(Line(raw))
            continue
        parts = body.split()
        word = parts[0]
        if not WORD.fullmatch(word):
            sys.exit(f"{path.name}:{lineno}: {word!r} can never be one jieba token (spaces or punctuation)")
        if word in seen:
            sys.exit(f"{path.name}:{lineno}: {word!r} is listed twice")
        seen.add(word)
        out.append(Line(raw, word, int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None))
    return out


def render(lines: list[Line], freqs: dict[str, int]) -> str:
    return "".join((f"{ln.word} {freqs[ln.word]}" if ln.word else ln.raw) + "\n" for ln in lines)


def load_texts(dirs: list[Path]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(d.glob("*.txt")):
            if p.name.isupper():
                continue
            texts[p.name] = read_source(str(p)).text
    if not texts:
        sys.exit("no texts found: name a directory with --corpus")
    return texts


def spans(tokens: list[str]) -> list[int]:
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t)
    return starts


def failures(words: list[str], texts: dict[str, str], cut) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Words with an occurrence cut into pieces: word → examples.

    Only an occurrence whose both ends fall on token boundaries counts: in
    专项债务 (专项/债务) or 精准脱贫攻坚战 (精准脱贫/攻坚战) a token crosses the
    word's edge, the text reads otherwise there, and forcing the word in
    would be wrong.
    """
    bad: dict[str, list[str]] = collections.defaultdict(list)
    for text in texts.values():
        present = [w for w in words if w in text]
        if not present:
            continue
        tokens = cut(text)
        starts = spans(tokens)
        boundaries = set(starts)
        boundaries.add(len(text))
        for w in present:
            i = text.find(w)
            while i >= 0:
                end = i + len(w)
                if i in boundaries and end in boundaries:
                    k = bisect.bisect_right(starts, i) - 1
                    if tokens[k] != w:
                        k2 = bisect.bisect_left(starts, end)
                        bad[w].append("/".join(tokens[k:k2]))
                i = text.find(w, i + 1)
    return bad


def refresh(lines: list[Line], texts: dict[str, str], verbose: bool = True) -> dict[str, int]:
    jieba = _import_jieba()
    jieba.setLogLevel(60)
    stock = JiebaSegmenter(())
    words = [ln.word for ln in lines if ln.word]
    freqs = {w: max(stock.tokenizer.suggest_freq(w, False), FLOOR.get(len(w), FLOOR_LONG)) for w in words}
    for round_no in range(MAX_DOUBLINGS + 1):
        seg = JiebaSegmenter([Entry(w, freqs[w]) for w in words])
        bad = failures(words, texts, seg.cut)
        if not bad or round_no == MAX_DOUBLINGS:
            break
        for w in bad:
            freqs[w] *= 2
        if verbose:
            print(f"round {round_no + 1}: doubled {len(bad)}: {' '.join(sorted(bad))}", file=sys.stderr)
    for w, examples in sorted(bad.items()):
        print(f"still split: {w}: {'; '.join(sorted(set(examples))[:3])}", file=sys.stderr)
    stock_bad = failures(words, texts, stock.cut)
    redundant = [w for w in words if stock.tokenizer.lcut(w, HMM=False) == [w] and w not in stock_bad]
    if redundant and verbose:
        print(f"stock jieba already keeps whole: {' '.join(redundant)}", file=sys.stderr)
    return freqs


def candidates(lines: list[Line], texts: dict[str, str], min_files: int) -> None:
    listed = {ln.word for ln in lines if ln.word}
    stock = JiebaSegmenter(())
    count: collections.Counter[str] = collections.Counter()
    files: dict[str, set[str]] = collections.defaultdict(set)
    for name, text in texts.items():
        for m in QUOTED.finditer(text):
            count[m.group(1)] += 1
            files[m.group(1)].add(name)
    for w, n in count.most_common():
        if w in listed or len(files[w]) < min_files:
            continue
        split = stock.tokenizer.lcut(w, HMM=False)
        if len(split) > 1:
            print(f"{w}\t{n}\t{len(files[w])} file(s)\t{'/'.join(split)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a refresh would change the file")
    ap.add_argument("--candidates", action="store_true", help="list quoted coinages not yet in the dictionary")
    ap.add_argument("--min-files", type=int, default=2, help="candidates: quoted in at least N files (default 2)")
    ap.add_argument("--add", nargs="+", metavar="WORD", default=[], help="append words, then refresh")
    ap.add_argument("--corpus", action="append", type=Path, help="a directory of *.txt texts (default: seeds, shared corpus)")
    args = ap.parse_args()
    texts = load_texts(args.corpus or DEFAULT_CORPORA)
    lines = read_lines(DICT)
    if args.candidates:
        candidates(lines, texts, args.min_files)
        return 0
    listed = {ln.word for ln in lines}
    for w in args.add:
        if not WORD.fullmatch(w):
            sys.exit(f"{w!r} can never be one jieba token (spaces or punctuation)")
        if w not in listed:
            lines.append(Line(w, w))
            listed.add(w)
    new = render(lines, refresh(lines, texts, verbose=not args.check))
    old = DICT.read_text(encoding="utf-8")
    if args.check:
        if new != old:
            print(f"{DICT.name} is out of date: run python tools/build_policy_dict.py", file=sys.stderr)
            return 1
        return 0
    if new != old:
        DICT.write_text(new, encoding="utf-8")
    n = sum(1 for ln in lines if ln.word)
    print(f"{n} words -> {DICT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
