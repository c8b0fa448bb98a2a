"""Keywords: a policy vocabulary on a private jieba tokenizer, TF-IDF terms, term search.

jieba's stock dictionary splits the policy register badly (新质生产力 → 新质 +
生产力, 东数西算 → 东/数/西/算), and its stock IDF table ranks 推进, 加强, 发展
high. So:

* the policy dictionary shipped in ``guizhou_cli/data/policy_dict.txt`` is
  loaded into a *private* ``jieba.Tokenizer`` (jieba's global one is never
  touched, so a host program using jieba keeps its own dictionary);
* a stop list for the policy register (``data/stopwords.txt``) and a few
  shape rules (numbers, 一是/三个/一批) keep generic words out;
* IDF comes from jieba's bundled table, or from the user's own corpus
  (``idf_from_catalogue`` / ``load_idf(DIR)``).

jieba is imported only inside functions here, so importing this module is
cheap and ``guizhou --help`` or ``list`` never load a dictionary. jieba's
own sins are avoided: its cache goes to a per-user cache directory, not the
shared temp dir; its log lines are held back while it loads; warnings raised
by its import are silenced.

Segmenters: ``jieba`` (the reference) and, when installed, ``rjieba``
(jieba-rs: the same algorithm and dictionary). jieba-rs alone differs from
jieba in a few narrow places (its Han range, tie-breaking and a pattern in
its HMM), so ``RJiebaSegmenter`` takes only the dictionary path from it and
runs jieba's own HMM on the rest: jieba's tokens, about six times faster
(tests compare the two on the seed, the corpus and generated text). How
adding a word already in the dictionary changes the total count, which the
two also do differently, is settled in ``JiebaSegmenter``. Choose with
``GUIZHOU_SEGMENTER=jieba|rjieba|auto`` (default auto: rjieba if installed).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import importlib.util
import itertools
import logging
import math
import operator
import os
import re
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import GuizhouError
from .model import Catalogue, Document, Essay, Keyword, Measure, Section, iter_sections

if TYPE_CHECKING:
    from collections import Counter

DICT_NAME = "policy_dict.txt"
STOP_NAME = "stopwords.txt"
SEGMENTER_ENV = "GUIZHOU_SEGMENTER"
SEGMENTERS = ("auto", "jieba", "rjieba")

# What jieba can return as one token from a user dictionary: Han characters
# in jieba's range, ASCII letters and digits, and a "+" inside or at the end
# (互联网+, 数字赋能+N: "+" is one of the few signs jieba keeps in a word). A
# word with a space or other punctuation loads without complaint and then
# never matches.
_WORD = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9]+\+?[A-Za-z0-9]*")
_DICT_LINE = re.compile(r"(.+?)(?:\s+([0-9]+))?(?:\s+([a-z]+))?")
# A term must carry a Han character or a letter: 2024, 10.5%, \r\n are not terms.
_HAS_WORD = re.compile(r"[\u4e00-\u9fd5A-Za-z]")
# Ordinals and counted amounts: 一是, 第一, 三个, 两项, 一批, 十大, 多年, and
# amounts in units, which jieba's HMM glues to a numeral: 万公里, 亿元, 万人次.
_UNITS = (
    "个|项|条|批|种|类|次|些|年|月|日|号|届|大|是|要|位|名|家|份|倍|点|成|所|户|套|辆|亩|吨|元|人|"
    "美元|人次|公里|千米|公顷|平方米|千瓦|百分点"
)
_NUMERAL = re.compile(rf"第?[零一二两三四五六七八九十百千万亿几多半]+(?:{_UNITS})?")
# What a text sets in quotation marks: the register's way of naming a
# programme or a slogan (深入实施“东数西算”工程, 服务“富矿精开”).
_QUOTED = re.compile(r"[“「『]([^“”「」『』\n]{1,16})[”」』]")

# Weights: TF-IDF, doubled for a term of the policy vocabulary and doubled
# again where the text itself quotes it. jieba's IDF table comes from general
# text and does not know the vocabulary (it gives every unknown word its
# median), and a named programme said once or twice is what an analyst tags
# an essay by; plain TF-IDF ranks it below words said ten times.
VOCABULARY_BOOST = 2.0
QUOTED_BOOST = 2.0


class KeywordsError(GuizhouError):
    """The policy dictionary, the stop list or an IDF table cannot be used."""


# ---------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a policy dictionary: ``word freq [tag]``."""

    word: str
    freq: int
    tag: str | None = None


def parse_dictionary(text: str, source: str = DICT_NAME) -> tuple[Entry, ...]:
    """Entries of a dictionary in jieba's user-dict format, plus ``#`` comments.

    Every entry needs a frequency (``tools/build_policy_dict.py`` computes
    them): jieba and jieba-rs compute a missing one with float arithmetic that
    can differ by one, and the two backends must segment alike. A frequency of
    0 would mean "force split", which jieba records in global state: refused.
    """
    out: list[Entry] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip().lstrip("\ufeff")
        if not line:
            continue
        # jieba's own reading of a line: the word is everything before an
        # optional frequency and an optional tag, spaces included
        m = _DICT_LINE.fullmatch(line)
        assert m is not None  # the pattern matches any non-empty line
        word, freq, tag = m.group(1), m.group(2), m.group(3)
        where = f"{source}:{lineno}"
        if not _WORD.fullmatch(word):
            raise KeywordsError(
                f"{where}: {word!r} can never be one jieba token (only Han characters, letters, digits and a '+')"
            )
        if freq is None or int(freq) < 1:
            raise KeywordsError(f"{where}: {word!r} needs a frequency of at least 1")
        if word in seen:
            raise KeywordsError(f"{where}: {word!r} is listed twice")
        seen.add(word)
        out.append(Entry(word, int(freq), tag))
    return tuple(out)


def parse_stopwords(text: str) -> frozenset[str]:
    words: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip().lstrip("\ufeff")
        words.update(line.split())
    return frozenset(words)


def _data_text(name: str) -> str:
    try:
        return resources.files("guizhou_cli.data").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise KeywordsError(f"{name} is missing from this installation") from None


@functools.cache
def policy_dictionary() -> tuple[Entry, ...]:
    """The bundled policy dictionary."""
    return parse_dictionary(_data_text(DICT_NAME), DICT_NAME)


@functools.cache
def stopwords() -> frozenset[str]:
    """The bundled stop list for the policy register."""
    return parse_stopwords(_data_text(STOP_NAME))


class Vocabulary:
    """Decides which tokens count as terms, and which are policy words."""

    def __init__(self, stop: Iterable[str] | None = None, keep: Iterable[str] | None = None) -> None:
        self.stop = frozenset(stopwords() if stop is None else stop)
        # policy words are terms even when they look like counted amounts (三农, 六稳, 十四五)
        self.keep = frozenset(e.word for e in policy_dictionary()) if keep is None else frozenset(keep)
        self._memo: dict[str, bool] = {}

    def is_term(self, token: str) -> bool:
        ok = self._memo.get(token)
        if ok is None:
            ok = token in self.keep or (
                len(token) >= 2
                and token not in self.stop
                and _HAS_WORD.search(token) is not None
                and _NUMERAL.fullmatch(token) is None
            )
            self._memo[token] = ok
        return ok

    def boost(self, term: str) -> float:
        return VOCABULARY_BOOST if term in self.keep else 1.0


def quoted(text: str | None) -> frozenset[str]:
    """The strings a text sets in quotation marks (“…”, 「…」, 『…』)."""
    if not text or ("“" not in text and "「" not in text and "『" not in text):
        return frozenset()
    return frozenset(m.group(1) for m in _QUOTED.finditer(text))


@functools.cache
def default_vocabulary() -> Vocabulary:
    return Vocabulary()


# ---------------------------------------------------------------- segmenters


class Segmenter(Protocol):
    name: str

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text`` in order; joined they give ``text`` back."""
        ...


def cache_dir() -> Path:
    """The per-user cache directory: $XDG_CACHE_HOME/guizhou-cli or ~/.cache/guizhou-cli."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.name == "nt":
        xdg = xdg or os.environ.get("LOCALAPPDATA", "")
    # the XDG spec says to ignore a relative path
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "guizhou-cli"


def _import_jieba() -> Any:
    # jieba 0.42 imports pkg_resources (a DeprecationWarning or UserWarning on
    # new setuptools) and has invalid escape sequences (SyntaxWarning on
    # Python 3.12+ when it is first compiled): none of that is the user's.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba  # type: ignore[import-untyped]
    return jieba


_jieba_log_lock = threading.Lock()


@contextlib.contextmanager
def _jieba_quiet() -> Iterator[None]:
    """Hold back jieba's log lines ("Building prefix dict…") while it loads.

    jieba logs only while it loads a dictionary; its logger is restored
    afterwards so a host program that uses jieba itself sees what it expects.
    """
    logger = logging.getLogger("jieba")
    with _jieba_log_lock:
        old = logger.level
        logger.setLevel(logging.CRITICAL + 1)
        try:
            yield
        finally:
            logger.setLevel(old)


class _Hmm:
    """jieba's HMM for words its dictionary lacks (``jieba.finalseg.cut``), token for token.

    The same Viterbi over the same tables, unrolled for its four states
    (B, M, E, S) with the same sums in the same order and the same ties (the
    later state of ``max`` over (probability, state) tuples), without the
    dict per character and list per path that make jieba's slow. Tests
    compare the two on the runs of the seed, the corpus and generated text.
    """

    def __init__(self, finalseg: Any) -> None:
        self.finalseg = finalseg
        start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
        self.low = low = finalseg.MIN_FLOAT
        self.start = (start["B"], start["M"], start["E"], start["S"])
        t = {(a, b): trans[a].get(b, low) for a in "BMES" for b in "BMES"}
        # into B from E or S; into M from M or B; into E from B or M; into S from S or E
        self.trans = (t["E", "B"], t["S", "B"], t["M", "M"], t["B", "M"], t["B", "E"], t["M", "E"], t["S", "S"], t["E", "S"])
        self.emit = (emit["B"].get, emit["M"].get, emit["E"].get, emit["S"].get)
        self.han = finalseg.re_han
        self.skip = finalseg.re_skip

    def cut(self, text: str) -> list[str]:
        out: list[str] = []
        force = self.finalseg.Force_Split_Words
        for blk in self.han.split(text):
            if self.han.match(blk):
                for word in self._words(blk):
                    if word in force:
                        out.extend(word)
                    else:
                        out.append(word)
            else:
                out.extend(x for x in self.skip.split(blk) if x)
        return out

    def _words(self, s: str) -> list[str]:
        low = self.low
        e_b, e_m, e_e, e_s = self.emit
        eb_b, sb_b, mm_m, bm_m, be_e, me_e, ss_s, es_s = self.trans
        c = s[0]
        sb, sm, se, ss = self.start
        vb, vm, ve, vs = sb + e_b(c, low), sm + e_m(c, low), se + e_e(c, low), ss + e_s(c, low)
        # for each character after the first, the state each state came from
        back: list[tuple[str, str, str, str]] = []
        for c in s[1:]:
            em = e_b(c, low)
            x, y = ve + eb_b + em, vs + sb_b + em
            nb, pb = (x, "E") if x > y else (y, "S")
            em = e_m(c, low)
            x, y = vm + mm_m + em, vb + bm_m + em
            nm, pm = (x, "M") if x >= y else (y, "B")
            em = e_e(c, low)
            x, y = vb + be_e + em, vm + me_e + em
            ne, pe = (y, "M") if y >= x else (x, "B")
            em = e_s(c, low)
            x, y = vs + ss_s + em, ve + es_s + em
            ns, ps = (x, "S") if x >= y else (y, "E")
            back.append((pb, pm, pe, ps))
            vb, vm, ve, vs = nb, nm, ne, ns
        state = "S" if vs >= ve else "E"
        states = [state]
        for prev in reversed(back):
            state = prev["BMES".index(state)]
            states.append(state)
        states.reverse()
        words: list[str] = []
        begin = nexti = 0
        for i, pos in enumerate(states):
            if pos == "B":
                begin = i
            elif pos == "E":
                words.append(s[begin : i + 1])
                nexti = i + 1
            elif pos == "S":
                words.append(s[i])
                nexti = i + 1
        if nexti < len(s):
            words.append(s[nexti:])
        return words



class JiebaSegmenter:
    """A private ``jieba.Tokenizer`` with the policy dictionary (the reference)."""

    name = "jieba"

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        jieba = _import_jieba()
        tk = jieba.Tokenizer()
        directory = cache_dir()
        with contextlib.suppress(OSError):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        # jieba trusts a cache of its default dictionary without checking
        # it, so the file name carries jieba's version. If the directory
        # cannot be written jieba logs (held back) and just does not cache.
        tk.tmp_dir = str(directory)
        tk.cache_file = f"jieba-{jieba.__version__}.cache"
        with _jieba_quiet():
            tk.initialize()
        for e in entries:
            old = tk.FREQ.get(e.word, 0)
            tk.add_word(e.word, e.freq, e.tag)
            # jieba adds the new count to its total without taking out the
            # old one; jieba-rs replaces it. Replace here too, so that both
            # backends weigh paths with the same total.
            tk.total -= old
        self.tokenizer = tk
        self._hmm_cut = _Hmm(jieba.finalseg).cut
        # log(freq) - log(total) of each word met, the one float jieba
        # recomputes for every candidate at every position; keyed to the
        # tokenizer's state, so a word added to ``tokenizer`` later clears it
        self._logp: dict[str, float] = {}
        self._state = (tk.total, len(tk.FREQ))

    def cut(self, text: str) -> list[str]:
        """jieba's ``Tokenizer.lcut(text)``, token for token, about 1.5x faster.

        The same steps as jieba's ``cut`` (its blocks, then ``__cut_DAG`` on
        each: the dictionary DAG, the most probable route, the HMM on runs of
        single characters), with the same float arithmetic in the same
        order, but without its generators, the DAG dict and the ``log`` call
        per candidate. Tests compare it with jieba's own ``lcut`` on the seed,
        the corpus and generated text.
        """
        tk = self.tokenizer
        if (tk.total, len(tk.FREQ)) != self._state:
            self._logp = {}
            self._state = (tk.total, len(tk.FREQ))
        out: list[str] = []
        block = self._cut_block
        for piece in _JIEBA_BLOCK.split(text):
            if not piece:
                continue
            if _JIEBA_BLOCK.match(piece):
                block(piece, out)
            else:
                # outside a block: "\r\n" and each space one token, any other character one token
                for x in _JIEBA_SKIP.split(piece):
                    if _JIEBA_SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def _cut_block(self, s: str, out: list[str]) -> None:
        freq = self.tokenizer.FREQ
        get = freq.get
        logp = self._logp
        known = logp.get
        logtotal = math.log(self.tokenizer.total)
        n = len(s)
        # route[k] = (best log probability from k to the end, end of the word at k)
        rv = [0.0] * (n + 1)
        rx = list(range(n + 1))
        for k in range(n - 1, -1, -1):
            frag = s[k]
            f = get(frag)
            best: float | None = None
            if f is not None:
                i = k
                while True:
                    if f:
                        v = known(frag)
                        if v is None:
                            v = logp[frag] = math.log(f) - logtotal
                        v += rv[i + 1]
                        # max over (value, end): a tie goes to the longer word
                        if best is None or v >= best:
                            best = v
                            rx[k] = i
                    i += 1
                    if i >= n:
                        break
                    frag = s[k : i + 1]
                    f = get(frag)
                    if f is None:
                        break
            if best is None:
                # no word starts here: the character alone, at frequency 1
                best = (math.log(get(s[k]) or 1) - logtotal) + rv[k + 1]
            rv[k] = best
        x = 0
        buf = ""
        while x < n:
            y = rx[x] + 1
            if y - x == 1:
                buf += s[x]
            else:
                if buf:
                    self._flush(buf, out)
                    buf = ""
                out.append(s[x:y])
            x = y
        if buf:
            self._flush(buf, out)

    def _flush(self, buf: str, out: list[str]) -> None:
        # a run of single characters: one stays; a run that is no word goes
        # through the HMM; a run that is a word is cut into characters
        if len(buf) == 1:
            out.append(buf)
        elif not self.tokenizer.FREQ.get(buf):
            out.extend(self._hmm_cut(buf))
        else:
            out.extend(buf)


# jieba's re_han_default and re_skip_default: it cuts a text into blocks of
# these characters, each segmented on its own, and emits the rest character
# by character ("\r\n" whole).
_JIEBA_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%-]+)")
_JIEBA_SKIP = re.compile(r"(\r\n|\s)")

# Code points jieba-rs treats as Han and jieba 0.42 does not (CJK extension A,
# U+9FD6–9FFF, compatibility ideographs, extensions B–F and the compatibility
# supplement). jieba emits each of them as a token of its own; so do we, by
# cutting the text around them before jieba-rs sees it.
_RJ_WIDE = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
# The non-Han characters of jieba's blocks (re_han_default): with the Han
# range, what its HMM pass gathers into runs of single characters.
_BLOCK_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")


class RJiebaSegmenter:
    """rjieba (jieba-rs) for the dictionary work, jieba's own HMM for unknown words.

    jieba cuts in two steps: the most probable path through its dictionary
    (the slow part in Python), then an HMM over each run of single
    characters, which finds words the dictionary lacks (names, 矿渣组份).
    jieba-rs does both, but its HMM breaks ties between equally probable
    states the other way (据质质质发 → 据质 / 质质发, jieba: 据质质 / 质发) and
    splits runs of letters and digits with a looser pattern (2011-2020 stays
    whole). So jieba-rs gives the path (``hmm=False``) and the runs of single
    characters go through jieba's HMM (``jieba.finalseg``, which loads no
    dictionary): the tokens are jieba's by construction, about six times
    faster.
    """

    name = "rjieba"

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import rjieba
        self._hmm_cut = _Hmm(_import_jieba().finalseg).cut
        j = rjieba.Jieba()
        for e in entries:
            j.add_word(e.word, e.freq, e.tag)
        self.tokenizer = j
        self._path = j.cut
        self._has_word = j.has_word

    def _pieces(self, text: str) -> list[str]:
        """The dictionary path, each character jieba-rs alone counts as Han on its own."""
        if _RJ_WIDE.search(text) is None:
            return self._path(text, False)
        out: list[str] = []
        for i, piece in enumerate(_RJ_WIDE.split(text)):
            if i % 2:
                out.append(piece)
            elif piece:
                out.extend(self._path(piece, False))
        return out

    def cut(self, text: str) -> list[str]:
        out: list[str] = []
        run: list[str] = []
        has_word = self._has_word
        for t in self._pieces(text):
            if len(t) == 1:
                if "\u4e00" <= t <= "\u9fd5" or t in _BLOCK_ASCII:
                    run.append(t)
                    continue
            elif t.isascii() and t.isalnum() and not has_word(t):
                # without the HMM, jieba-rs joins single letters and digits
                # of the path into one token: they are single characters still
                run.append(t)
                continue
            if run:
                self._flush(run, out)
                run = []
            out.append(t)
        if run:
            self._flush(run, out)
        return out

    def _flush(self, run: list[str], out: list[str]) -> None:
        # jieba's __cut_DAG: one character stays; a run that is no word goes
        # through the HMM; a run that is a word (rare) is cut into characters
        buf = "".join(run)
        if len(buf) == 1:
            out.append(buf)
        elif not self._has_word(buf):
            out.extend(self._hmm_cut(buf))
        else:
            out.extend(buf)


def rjieba_available() -> bool:
    return importlib.util.find_spec("rjieba") is not None


def _backend(name: str | None) -> str:
    name = (name or os.environ.get(SEGMENTER_ENV) or "auto").strip().lower()
    if name not in SEGMENTERS:
        raise KeywordsError(f"unknown segmenter {name!r} (expected one of: {', '.join(SEGMENTERS)})")
    if name == "auto":
        return "rjieba" if rjieba_available() else "jieba"
    if name == "rjieba" and not rjieba_available():
        raise KeywordsError("segmenter rjieba is not installed (pip install 'guizhou-cli[fast]')")
    return name


_segmenter_lock = threading.Lock()
_segmenters: dict[str, Segmenter] = {}


def get_segmenter(name: str | None = None) -> Segmenter:
    """The process-wide segmenter with the policy dictionary (built once)."""
    backend = _backend(name)
    with _segmenter_lock:
        seg = _segmenters.get(backend)
        if seg is None:
            entries = policy_dictionary()
            seg = RJiebaSegmenter(entries) if backend == "rjieba" else JiebaSegmenter(entries)
            _segmenters[backend] = seg
        return seg


# ---------------------------------------------------------------- IDF


@dataclass(frozen=True, eq=False)
class Idf:
    """Inverse document frequencies, with the value for unknown terms."""

    table: Mapping[str, float]
    default: float
    source: str

    def __call__(self, term: str) -> float:
        return self.table.get(term, self.default)


def _parse_idf(text: str, source: str) -> Idf:
    table: dict[str, float] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        parts = raw.split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            table[parts[0]] = float(parts[1])
        except ValueError:
            raise KeywordsError(f"{source}:{lineno}: expected 'word idf', got {raw.strip()!r}") from None
    if not table:
        raise KeywordsError(f"{source}: no IDF entries")
    values = sorted(table.values())
    # jieba's convention: a word its table does not know gets the median
    return Idf(table, values[len(values) // 2], source)


@functools.cache
def bundled_idf() -> Idf:
    """jieba's bundled IDF table (found without importing jieba)."""
    spec = importlib.util.find_spec("jieba")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        path = Path(loc) / "analyse" / "idf.txt"
        if path.is_file():
            return _parse_idf(path.read_text(encoding="utf-8"), "jieba")
    raise KeywordsError("jieba's IDF table (jieba/analyse/idf.txt) is missing: reinstall jieba")


def idf_from_counts(docs: Sequence[Counter[str]], source: str) -> Idf:
    """IDF over documents given as token counts: ln((N+1)/(df+0.5)).

    A term in every document gets ~0 (it says nothing about any one of
    them); a term in none of them gets the highest value, ln(2(N+1)).
    """
    n = len(docs)
    if n < 2:
        raise KeywordsError(f"{source}: IDF needs at least 2 essays, found {n}")
    df: collections.Counter[str] = collections.Counter()
    for counts in docs:
        df.update(counts.keys())
    table = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
    return Idf(table, math.log((n + 1) / 0.5), source)


def idf_from_catalogue(
    catalogue: Catalogue,
    source: str = "corpus",
    segmenter: Segmenter | None = None,
    *,
    on_progress: OnProgress | None = None,
) -> Idf:
    """IDF with each essay of ``catalogue`` as one document.

    With ``essay_keywords`` on the same catalogue, pass both one
    ``CachedSegmenter`` and each text is segmented once.
    """
    seg = get_segmenter() if segmenter is None else segmenter
    essays = [e for d in catalogue.documents for e in d.essays]
    tick = _Ticker(on_progress, essays)
    docs: list[Counter[str]] = []
    for e in essays:
        docs.append(collections.Counter(_essay_tokens(e, seg)))
        tick(e)
    return idf_from_counts(docs, source)


def load_idf(
    path: str | os.PathLike[str],
    encoding: str | None = None,
    segmenter: Segmenter | None = None,
    *,
    on_progress: OnProgress | None = None,
) -> Idf:
    """An IDF from a directory of documents (or a catalogue), or a ``word idf`` table file.

    ``on_progress`` reports the segmentation of documents (a table file is
    read in one go and reports nothing).
    """
    p = os.fspath(path)
    if not os.path.exists(p):
        raise KeywordsError(f"{p}: no such file or directory")
    from .sources import is_catalogue, open_catalogue

    if os.path.isdir(p) or is_catalogue(p) or not _looks_like_idf_table(p):
        # documents: a directory, a catalogue, or one text with several essays
        return idf_from_catalogue(open_catalogue([p], encoding), p, segmenter, on_progress=on_progress)
    try:
        text = Path(p).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KeywordsError(f"{p}: an IDF table must be UTF-8 (bad byte at {exc.start})") from None
    except OSError as exc:
        raise KeywordsError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return _parse_idf(text, p)


_IDF_LINE = re.compile(rb"\s*\S+[ \t]+[0-9][0-9.eE+-]*\s*")


def _looks_like_idf_table(path: str) -> bool:
    """Whether the first line of a file reads ``word number`` (jieba's IDF format)."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(4096).lstrip(b"\xef\xbb\xbf")
    except OSError:
        return True  # let the reader report it
    return _IDF_LINE.fullmatch(first) is not None


def _resolve_idf(idf: Idf | str | os.PathLike[str] | None) -> Idf:
    if idf is None:
        return bundled_idf()
    if isinstance(idf, Idf):
        return idf
    return load_idf(idf)


# ---------------------------------------------------------------- tokens of the model


def _measure_text(m: Measure) -> str:
    # the title is normally the first sentence of the text; never count it twice
    if not m.title or m.title in m.text:
        return m.text
    return f"{m.title}\n{m.text}"


def _section_tokens(s: Section, seg: Segmenter) -> tuple[list[str], dict[str, list[str]]]:
    """Tokens of a section's own text and of each of its measures.

    A measure's text is part of its section's text, so each character is
    segmented once: the measures where they sit, and the gaps between them
    (heading, markers, lead-in). Only if a measure cannot be found in the
    section's text is the section segmented whole.
    """
    measures: dict[str, list[str]] = {m.id: seg.cut(_measure_text(m)) for m in s.measures}
    text = s.text
    tokens: list[str] = []
    pos = 0
    for m in s.measures:
        i = text.find(m.text, pos) if m.text else -1
        if i < 0 or _measure_text(m) != m.text:
            return seg.cut(text), measures
        if i > pos:
            tokens.extend(seg.cut(text[pos:i]))
        tokens.extend(measures[m.id])
        pos = i + len(m.text)
    if pos < len(text):
        tokens.extend(seg.cut(text[pos:]))
    return tokens, measures


def _essay_texts(e: Essay) -> list[str]:
    return [t for t in (e.title, e.lead, *e.unplaced, *(s.text for s in iter_sections(e.sections))) if t]


def _essay_tokens(e: Essay, seg: Segmenter) -> list[str]:
    tokens: list[str] = []
    for t in _essay_texts(e):
        tokens.extend(seg.cut(t))
    return tokens


def _essay_quoted(e: Essay) -> frozenset[str]:
    return frozenset().union(*(quoted(t) for t in _essay_texts(e)))


# ---------------------------------------------------------------- weighting


class Weigher:
    """Weighs terms for one IDF and vocabulary, remembering each token's base weight.

    base = idf × the vocabulary boost for a term, -1 for a token that is not
    a term (a negative base does not count either). This runs for every
    measure and section, and must stay cheap beside segmentation: a token is
    sorted out the first time it is met, and the rest is ``map`` and
    ``compress`` over a text's distinct tokens, without a Python step per
    token. (Set operations with the memo are no good: ``keys - memo.keys()``
    walks the whole memo.)
    """

    def __init__(self, idf: Idf, vocabulary: Vocabulary | None = None) -> None:
        self.idf = idf
        self.vocabulary = vocabulary or default_vocabulary()
        self._base: dict[str, float] = {}

    def base(self, token: str) -> float:
        w = self._base.get(token)
        if w is None:
            v = self.vocabulary
            w = self.idf(token) * v.boost(token) if v.is_term(token) else -1.0
            self._base[token] = w
        return w

    def top(self, counts: Mapping[str, int], *, top: int = 8, quoted: Iterable[str] = ()) -> tuple[Keyword, ...]:
        if top <= 0:
            return ()
        memo = self._base
        for t in itertools.filterfalse(memo.__contains__, counts):
            self.base(t)
        bases = list(map(memo.__getitem__, counts))
        counted = list(map(_NOT_NEGATIVE, bases))
        terms = list(itertools.compress(counts, counted))
        if not terms:
            return ()
        ns = list(map(counts.__getitem__, terms))
        total = sum(ns)
        if not total:
            return ()
        # weight = base × count (× 2 when quoted): the same products as ever
        ws = list(map(operator.mul, itertools.compress(bases, counted), ns))
        q = quoted if isinstance(quoted, frozenset | set) else frozenset(quoted)
        if q:
            for t in q.intersection(terms):
                ws[terms.index(t)] *= QUOTED_BOOST
        if len(ws) > top:
            # only the weights at or above the top-th count (ties kept: they
            # are broken by term below); sorting floats alone is cheap
            floor = sorted(ws, reverse=True)[top - 1]
            keep = list(map(floor.__le__, ws))
            pairs = zip(map(operator.neg, itertools.compress(ws, keep)), itertools.compress(terms, keep), strict=True)
        else:
            pairs = zip(map(operator.neg, ws), terms, strict=True)
        # ascending (-weight, term): heaviest first, ties by term
        best = sorted(pairs)[:top]
        return tuple(Keyword(t, -w / total) for w, t in best)


# 0.0 <= w: the bases that count
_NOT_NEGATIVE = (0.0).__le__


_weighers: weakref.WeakKeyDictionary[Idf, Weigher] = weakref.WeakKeyDictionary()
_weighers_lock = threading.Lock()


def _weigher(idf: Idf) -> Weigher:
    """The Weigher of an IDF table with the default vocabulary, kept while the table lives.

    ``extract --keywords`` calls ``add_keywords`` once per document: each call
    would otherwise sort the same tokens into terms and look up their IDF
    again.
    """
    with _weighers_lock:
        w = _weighers.get(idf)
        if w is None:
            w = _weighers[idf] = Weigher(idf)
        return w


def top_terms(
    counts: Mapping[str, int],
    idf: Idf,
    *,
    top: int = 8,
    vocabulary: Vocabulary | None = None,
    quoted: Iterable[str] = (),
) -> tuple[Keyword, ...]:
    """The ``top`` terms among ``counts`` by weight, ties by term.

    weight = count / (terms counted) × idf, × 2 for a policy word, × 2 if the
    text quotes it (``quoted``).
    """
    weigher = _weigher(idf) if vocabulary is None else Weigher(idf, vocabulary)
    return weigher.top(counts, top=top, quoted=quoted)


def keywords(
    text: str,
    *,
    top: int = 8,
    idf: Idf | str | os.PathLike[str] | None = None,
    segmenter: Segmenter | None = None,
) -> tuple[Keyword, ...]:
    """The top terms of one text."""
    seg = get_segmenter() if segmenter is None else segmenter
    return _weigher(_resolve_idf(idf)).top(collections.Counter(seg.cut(text)), top=top, quoted=quoted(text))


def add_keywords(
    catalogue: Catalogue,
    *,
    top: int = 8,
    idf: Idf | str | os.PathLike[str] | None = None,
    segmenter: Segmenter | None = None,
    on_progress: OnProgress | None = None,
) -> Catalogue:
    """A new catalogue with ``keywords`` filled on every measure and section.

    ``idf``: an ``Idf``, a path for ``load_idf`` (a directory of documents or
    a ``word idf`` table), or None for jieba's bundled table. Each character
    is segmented once: a measure's tokens count for it and for its section.
    ``on_progress(done, total)``: see ``OnProgress``.
    """
    seg = get_segmenter() if segmenter is None else segmenter
    weigher = _weigher(_resolve_idf(idf))
    tick = _Ticker(on_progress, [e for d in catalogue.documents for e in d.essays])

    def section(s: Section) -> Section:
        tokens, per_measure = _section_tokens(s, seg)
        measures = tuple(
            replace(
                m,
                keywords=weigher.top(collections.Counter(per_measure[m.id]), top=top, quoted=quoted(_measure_text(m))),
            )
            for m in s.measures
        )
        return replace(
            s,
            measures=measures,
            sections=tuple(section(c) for c in s.sections),
            keywords=weigher.top(collections.Counter(tokens), top=top, quoted=quoted(s.text)),
        )

    def essay(e: Essay) -> Essay:
        out = replace(e, sections=tuple(section(s) for s in e.sections))
        tick(e)
        return out

    docs = tuple(replace(d, essays=tuple(essay(e) for e in d.essays)) for d in catalogue.documents)
    return replace(catalogue, documents=docs)


def measures_with_term(measures: Iterable[Measure], term: str, *, segmenter: Segmenter | None = None) -> set[str]:
    """Ids of measures whose segmented title and text contain ``term`` as a token.

    数据 matches 数据 standing alone, not 数据 inside 大数据 or 数据要素. A term
    that is itself cut into several tokens (数据安全意识) matches that run of
    tokens in order. Each text is segmented at most once, and only if it
    contains the term as a substring; pass a ``CachedSegmenter`` to reuse the
    tokens across calls.
    """
    seg = get_segmenter() if segmenter is None else segmenter
    query = [t for t in seg.cut(term.strip()) if not t.isspace()]
    if not query:
        return set()
    needle = "".join(query)
    k = len(query)
    first = query[0]

    def has(text: str) -> bool:
        tokens = seg.cut(text)
        if k == 1:
            return first in tokens
        return any(tokens[i : i + k] == query for i, t in enumerate(tokens) if t == first)

    blockwise = _blockwise(seg)
    out: set[str] = set()
    for m in measures:
        # a token match implies a substring match: segment only candidates
        if needle in m.text and has(m.text):
            out.add(m.id)
        elif m.title != m.text and needle in m.title:
            # the title is normally the text's first sentence: its tokens are
            # then the first tokens of the text, already looked at
            if not (blockwise and _leading_blocks(m.title, m.text)) and has(m.title):
                out.add(m.id)
    return out


def _blockwise(seg: Segmenter) -> bool:
    """Whether ``seg`` cuts like jieba: each block of jieba's characters on its own."""
    while isinstance(seg, CachedSegmenter):
        seg = seg.segmenter
    return isinstance(seg, JiebaSegmenter | RJiebaSegmenter)


def _leading_blocks(head: str, text: str) -> bool:
    """Whether ``text`` starts with ``head`` and a jieba-like segmenter cuts it there anyway.

    jieba segments each block of its characters (Han, letters, digits, a few
    signs) on its own and emits everything else one character at a time,
    except ``\\r\\n``: so the tokens of ``text`` begin with those of
    ``head`` when ``head`` does not end inside a block or inside ``\\r\\n``.
    """
    if not head or not text.startswith(head):
        return False
    if len(head) == len(text):
        return True
    last, nxt = head[-1], text[len(head)]
    if last == "\r" and nxt == "\n":
        return False
    return not (_JIEBA_BLOCK.match(last) and _JIEBA_BLOCK.match(nxt))


class CachedSegmenter:
    """A segmenter that remembers the tokens of every text it has cut.

    Hand one to several calls that read the same texts — ``idf_from_catalogue``
    and then ``essay_keywords`` on the same catalogue, ``measures_with_term``
    for each document or each term, keywords and a term filter in one run —
    and each text is segmented once. It holds every text and its tokens:
    keep it for one job, not for the life of a process.
    """

    def __init__(self, segmenter: Segmenter | None = None) -> None:
        self.segmenter = get_segmenter() if segmenter is None else segmenter
        self.name = self.segmenter.name
        self._memo: dict[str, tuple[str, ...]] = {}

    def cut(self, text: str) -> list[str]:
        tokens = self._memo.get(text)
        if tokens is None:
            tokens = self._memo[text] = tuple(self.segmenter.cut(text))
        # a copy: a caller may change its list without changing the next one's
        return list(tokens)


# ---------------------------------------------------------------- progress


OnProgress = Callable[[int, int], None]
"""``on_progress(done, total)``: characters of text segmented so far, of all.

The keyword functions call it with ``(0, total)`` before they start, then
after each essay (each document for ``by="document"`` and ``compare``),
ending with ``(total, total)``. It runs in the calling thread; an exception
it raises stops the work and reaches the caller.
"""


def _essay_size(e: Essay) -> int:
    return sum(map(len, _essay_texts(e)))


class _Ticker:
    """Reports progress in characters of essay text, one essay or document at a time."""

    def __init__(self, hook: OnProgress | None, essays: Iterable[Essay], extra: int = 0) -> None:
        self.hook = hook
        self.done = 0
        self.total = extra + sum(map(_essay_size, essays)) if hook else 0
        if hook:
            hook(0, self.total)

    def __call__(self, e: Essay | None = None, size: int = 0) -> None:
        if self.hook:
            self.done += size + (_essay_size(e) if e is not None else 0)
            self.hook(self.done, self.total)


# ---------------------------------------------------------------- essays, documents, comparisons


@dataclass(frozen=True, slots=True)
class TermCount:
    term: str
    weight: float
    count: int


@dataclass(frozen=True, slots=True)
class TermGroup:
    """The top terms of one essay (or one document)."""

    source: str
    essay: str | None  # essay id; None for a whole document
    title: str | None
    terms: tuple[TermCount, ...] = ()


@dataclass(frozen=True, slots=True)
class TermChange:
    term: str
    count_a: int
    count_b: int
    weight_a: float
    weight_b: float
    trend: str  # new | rose | fell | gone

    @property
    def change(self) -> float:
        return self.weight_b - self.weight_a


def _weighted(counts: Mapping[str, int], terms: Sequence[Keyword]) -> tuple[TermCount, ...]:
    return tuple(TermCount(k.term, k.weight, counts[k.term]) for k in terms)


def essay_keywords(
    catalogue: Catalogue,
    *,
    top: int = 8,
    idf: Idf | str | os.PathLike[str] | None = None,
    by: str = "essay",
    segmenter: Segmenter | None = None,
    on_progress: OnProgress | None = None,
) -> list[TermGroup]:
    """Top terms per essay (``by="essay"``) or per document (``by="document"``).

    ``on_progress(done, total)``: see ``OnProgress``.
    """
    if by not in ("essay", "document"):
        raise ValueError(f"by must be 'essay' or 'document', not {by!r}")
    seg = get_segmenter() if segmenter is None else segmenter
    weigher = _weigher(_resolve_idf(idf))
    by_document = by == "document"
    titles = sum(len(d.title or "") for d in catalogue.documents) if by_document else 0
    tick = _Ticker(on_progress, [e for d in catalogue.documents for e in d.essays], titles)
    out: list[TermGroup] = []
    for d in catalogue.documents:
        if by_document:
            counts = _document_counts(d, seg)
            q = frozenset().union(quoted(d.title), *(_essay_quoted(e) for e in d.essays))
            terms = weigher.top(counts, top=top, quoted=q)
            out.append(TermGroup(d.source, None, d.title or _first_title(d), _weighted(counts, terms)))
            tick(size=_document_size(d))
            continue
        for e in d.essays:
            counts = collections.Counter(_essay_tokens(e, seg))
            terms = weigher.top(counts, top=top, quoted=_essay_quoted(e))
            out.append(TermGroup(d.source, e.id, e.title, _weighted(counts, terms)))
            tick(e)
    return out


def _document_size(d: Document) -> int:
    return len(d.title or "") + sum(map(_essay_size, d.essays))


def _first_title(d: Document) -> str | None:
    return next((e.title for e in d.essays if e.title), None)


def _document_counts(d: Document, seg: Segmenter) -> Counter[str]:
    tokens: list[str] = seg.cut(d.title) if d.title else []
    for e in d.essays:
        tokens.extend(_essay_tokens(e, seg))
    return collections.Counter(tokens)


def _catalogue_counts(c: Catalogue, seg: Segmenter, tick: _Ticker | None = None) -> Counter[str]:
    total: collections.Counter[str] = collections.Counter()
    for d in c.documents:
        total.update(_document_counts(d, seg))
        if tick:
            tick(size=_document_size(d))
    return total


def compare(
    a: Catalogue,
    b: Catalogue,
    *,
    top: int = 8,
    idf: Idf | str | os.PathLike[str] | None = None,
    segmenter: Segmenter | None = None,
    on_progress: OnProgress | None = None,
) -> list[TermChange]:
    """Terms whose weight rose most from ``a`` to ``b``, then those that fell most.

    A term's weight in a catalogue is its TF-IDF over the whole catalogue
    (count / terms counted × idf, × 2 for a policy word), so catalogues of
    different lengths compare. Quotation is left out here: a term quoted on
    one side only would seem to move when only its punctuation did.
    ``on_progress(done, total)``: see ``OnProgress``.
    """
    seg = get_segmenter() if segmenter is None else segmenter
    table = _resolve_idf(idf)
    vocab = default_vocabulary()
    titles = sum(len(d.title or "") for c in (a, b) for d in c.documents)
    tick = _Ticker(on_progress, [e for c in (a, b) for d in c.documents for e in d.essays], titles)
    counts_a = _catalogue_counts(a, seg, tick)
    counts_b = _catalogue_counts(b, seg, tick)
    terms_a = {t: n for t, n in counts_a.items() if vocab.is_term(t)}
    terms_b = {t: n for t, n in counts_b.items() if vocab.is_term(t)}
    total_a = sum(terms_a.values()) or 1
    total_b = sum(terms_b.values()) or 1
    changes: list[TermChange] = []
    for t in terms_a.keys() | terms_b.keys():
        na, nb = terms_a.get(t, 0), terms_b.get(t, 0)
        scale = table(t) * vocab.boost(t)
        wa, wb = na / total_a * scale, nb / total_b * scale
        if wa == wb:
            continue
        trend = "new" if not na else "gone" if not nb else "rose" if wb > wa else "fell"
        changes.append(TermChange(t, na, nb, wa, wb, trend))
    rose = sorted((c for c in changes if c.change > 0), key=lambda c: (-c.change, c.term))[:top]
    fell = sorted((c for c in changes if c.change < 0), key=lambda c: (c.change, c.term))[:top]
    return rose + fell


__all__ = [
    "CachedSegmenter",
    "Entry",
    "Idf",
    "JiebaSegmenter",
    "KeywordsError",
    "OnProgress",
    "RJiebaSegmenter",
    "Segmenter",
    "TermChange",
    "TermCount",
    "TermGroup",
    "Vocabulary",
    "add_keywords",
    "bundled_idf",
    "cache_dir",
    "compare",
    "essay_keywords",
    "get_segmenter",
    "idf_from_catalogue",
    "idf_from_counts",
    "keywords",
    "load_idf",
    "measures_with_term",
    "parse_dictionary",
    "parse_stopwords",
    "policy_dictionary",
    "stopwords",
    "top_terms",
]
