"""Diff two catalogues: which measures were added, removed, reworded, renumbered,
moved, split or merged, and which essays and section headings changed.

Documents are paired first (by source, file name, file name without its
digits, title, then content), and essays and measures only within a pair of
documents: two provincial reports both titled 政府工作报告 never swap, and
identical inputs give no changes. Within each pair, measures are matched by
content, never by number or position, in passes:

1. *exact*: the same text after normalisation (NFKC, whitespace removed) pairs
   at once; in a year-on-year copy most measures pair here, which keeps the
   diff linear in practice;
2. *candidates*: an inverted index of character bigrams proposes, for every
   measure left, the few measures on the other side that share the most
   informative bigrams (bigrams found in nearly every measure, 发展 or 推进,
   are not looked up: they would make candidate generation quadratic);
3. *score*: the Indel similarity of the two texts (``1 - indel distance /
   total length``, rapidfuzz), raised towards the similarity of the measures'
   titles when those agree (a work report keeps a measure's title, 加强社会保障和服务,
   and rewrites its body each year);
4. *assignment*: a global one-to-one maximum-weight matching over all
   candidate pairs at or above the threshold (pairs an optimum provably
   holds fixed first, then successive shortest paths on what is left), so a
   reworded measure pairs with its true counterpart even when a similar one
   sits nearby;
5. *split / merge* from one-way containment on what is left: an unmatched
   measure whose bigrams lie inside an old measure, which together with that
   measure's partner rebuilds it, is a piece of a split (merge: the mirror).

Essays and sections are then matched through the measures that link them
(plus titles, headings compared clause by clause, and the text of sections
without measures), and a longest increasing
subsequence inside each section tells a measure that kept its place
(unchanged, or renumbered because something was inserted or removed before it)
from one that moved.

Figures in changed texts are paired by unit and by the words before them
(``number_changes``: 赤字率 3% → 4%左右), never across units.

The result is a tree of frozen dataclasses; ``diff_dict`` / ``dumps_diff``
turn it into the ``guizhou-diff/1`` format. No click, no rich.
"""

from __future__ import annotations

import bisect
import heapq
import json
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from rapidfuzz.distance import Indel

from . import __version__
from .catalogue import SafeDumper
from .model import Catalogue, Essay, Measure, Section

SCHEMA = "guizhou-diff/1"

# Calibrated on the national work reports (13 consecutive-year pairs,
# 2013→2025) and on the seed page: measures that keep their title scored
# ≥ 0.63 on the match score, retitled counterparts mostly ≥ 0.45, while
# pairs with unrelated titles stayed ≤ 0.20 (99th percentile); the closest
# truly unrelated pair in the seed (two parallel measures in sibling sections
# written from one template) scored 0.44. See README "Diff".
DEFAULT_THRESHOLD = 0.45
# A title only lends weight when the texts share something already: two
# measures called 完善社会保障制度 / 完善住房保障机制 with unrelated bodies must not pair.
TITLE_FLOOR = 0.2
# Split / merge: each piece's bigrams lie at least this much inside the whole,
# and the pieces put together rebuild the whole at least this well.
CONTAIN_MIN = 0.6
REBUILD_MIN = 0.75
# Candidate generation: the best K per measure, in each direction, from at
# most QUERY_GRAMS of its rarest bigrams (see _Index).
TOP_K = 8
QUERY_GRAMS = 32
MIN_QUERY_GRAMS = 8
POSTING_CAP = 48
# An essay title or section heading shared by more essays than this is not
# used to propose which essays correspond.
RECURRING = 8
# Each quantity two measures both state (same label and unit, 赤字率 in %)
# adds this to the match score of a pair just below the threshold, at most
# FIGURE_BONUS_MAX times: 2024's and 2025's fiscal measure share 赤字率,
# 赤字规模, 一般公共预算支出规模 and 专项债券 under rewritten bodies (0.39).
FIGURE_BONUS = 0.05
FIGURE_BONUS_MAX = 3
# A section without measures against one with them: heading similarity plus
# text containment at least this much (see _section_score).
MIXED_MIN = 0.55
# A matched pair in the same essay and section gets this much extra weight in
# the assignment (never in the reported similarity): it only breaks near-ties.
SAME_PLACE_BONUS = 0.02

MEASURE_KINDS = ("added", "removed", "modified", "moved", "renumbered", "split", "merged")
STRUCTURE_KINDS = (
    "essay-added",
    "essay-removed",
    "essay-retitled",
    "section-added",
    "section-removed",
    "section-renamed",
    "section-modified",
    "measure-to-section",
    "section-to-measure",
)
KINDS = MEASURE_KINDS + STRUCTURE_KINDS
_KIND_RANK = {
    k: i for i, k in enumerate(("essay-retitled", "essay-added", "essay-removed", *STRUCTURE_KINDS[3:], *MEASURE_KINDS))
}


# ------------------------------------------------------------------ result


@dataclass(frozen=True, slots=True)
class Ref:
    """One side of a change: a measure, a section or an essay, where it stood."""

    id: str  # unique within its document
    source: str  # the document's source, which the id is relative to
    essay: str | None  # the essay's title
    section: str | None  # the innermost section's heading
    n: int | None
    marker: str | None
    line: int | None
    text: str | None


@dataclass(frozen=True, slots=True)
class NumberChange:
    """A figure that changed: ``赤字率`` ``3%`` → ``4%左右`` (``None``: added or dropped)."""

    old: str | None
    new: str | None
    label: str = ""  # the words before the figure (赤字率); "" when none


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of an inline highlight: ``=`` kept, ``-`` deleted, ``+`` inserted."""

    op: str
    text: str


Place = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    old: tuple[Ref, ...]  # empty for added; several for merged
    new: tuple[Ref, ...]  # empty for removed; several for split
    similarity: float | None
    numbers: tuple[NumberChange, ...] = ()
    inline: tuple[Segment, ...] = ()
    # where a reader of the new version finds it: (document source, essay
    # title, section heading); for something removed, the counterpart of the
    # section it was removed from
    place: Place = ("", None, None)


@dataclass(frozen=True, slots=True)
class Diff:
    old_source: str
    new_source: str
    threshold: float
    changes: tuple[Change, ...]
    unchanged: int  # measures in the same place with the same text and number
    generator: str = field(default=f"guizhou-cli {__version__}")

    @property
    def same(self) -> bool:
        return not self.changes

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for c in self.changes:
            counts[c.kind] += 1
        counts["unchanged"] = self.unchanged
        return counts


# ------------------------------------------------------------------ text helpers

_SPACE = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """What matching compares: NFKC (full-width letters and digits fold), no whitespace."""
    if not text:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Indel similarity of two normalised texts, 0…1 (1: identical)."""
    return float(Indel.normalized_similarity(a, b))


# A figure: number, 多, magnitude, unit, qualifier (1270多万人, 4%左右, 1.3万亿斤以上).
# A number without a unit is not a figure (list numbers, codes).
_FIGURE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)(?P<many>多)?(?P<mag>万亿|亿|万|千)?"
    r"(?P<unit>个百分点|%|‰|美元|元|人次|人|户|个|家|项|所|座|亩|吨|斤|公里|千米|平方米|立方米|千瓦时|千瓦|小时|"
    r"倍|套|台|辆|处|条|岁|年|天|月|日|周|次|件|张|篇)"
    r"(?P<qual>左右|以上|以下|以内|多)?"
)
# the words just before a figure, within its clause
_LABEL_STOP = re.compile(r"[，。；：、！？,.;:!?（）()“”‘’《》「」\s—－-]")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_LABEL_TAIL = re.compile(
    r"(?:从|由|拟按|按照|按|控制在|保持在|稳定在|提高到|提高至|增加到|增长到|下降到|降低到|降至|降到|达到|达|为|在|到|至|约|超过|突破|共|总计|累计)+$"
)
# 提高30元 is by how much, 提高到610元 to where: the two never pair
_DELTA = re.compile(r"(?:提高|增加|增长|上涨|提升|扩大|下降|减少|降低|缩小|下调|上调)了?$")
_LABEL_HEAD = re.compile(r"^(?:\d{4}年|要|和|并|将|同时|上述|今年|全年|去年|上年|明年|当年|其中|全国|预计|力争|确保)+")
LABEL_CHARS = 16
# two labels this alike speak of one quantity (城镇调查失业率平均 / 城镇调查失业率:
# 0.88); 中央预算内投资安排 比去年增加 / 拟安排地方政府专项债券 比去年增加 (0.5) do not
LABEL_MIN = 0.6


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure in a text: ``赤字率`` ``4%左右`` (label, value), its unit class and place."""

    label: str  # the words just before it: 赤字率, 城镇新增就业, 国内生产总值增长
    value: str  # as written (after NFKC): 4%左右, 1270多万人
    unit: str  # what it counts, for pairing: %, 个百分点, 元 (万亿元 and 亿元 alike), 万人 → 人
    start: int
    delta: bool = False  # an amount of change (提高30元), not a level (提高到610元)


def figures(text: str) -> list[Figure]:
    """The figures of a text, with their labels. Years (2024年), dates (3月5日),
    ordinals (第3), and names with letters (5G, 6G, C919, PM2.5, G20) are not figures."""
    t = unicodedata.normalize("NFKC", text)
    out: list[Figure] = []
    last_end = 0
    for m in _FIGURE.finditer(t):
        start, end = m.start(), m.end()
        before = t[start - 1] if start else ""
        after_num = t[m.end("num")] if m.end("num") < len(t) else ""
        if (before and before.isascii() and (before.isalpha() or before in "-._/")) or (
            after_num.isascii() and after_num.isalpha()
        ):
            continue  # part of a name or code
        if before == "第":
            continue
        unit = m.group("unit")
        num = m.group("num")
        if unit in ("年", "月", "日") and not m.group("mag"):
            plain = num.replace(",", "")
            if unit != "年" or (len(plain) == 4 and plain.isdigit()) or t[end : end + 1] in ("度", "底", "初", "末"):
                continue  # 2024年, 3月, 5日: when, not how much
        head = t[last_end:start]
        stops = list(_LABEL_STOP.finditer(head))
        if stops:
            head = head[stops[-1].end() :]
        label = _LABEL_HEAD.sub("", _LABEL_TAIL.sub("", head))[-LABEL_CHARS:]
        delta = bool(_DELTA.search(head))
        between = t[last_end:start]
        prev = out[-1] if out and last_end and not _SENTENCE_END.search(between) else None
        # 比上年增加 speaks of the figure before it in the sentence; a bare
        # figure only of one right beside it (从13.5年提高到14年)
        if prev and (label.startswith("比") or (not label and not _LABEL_STOP.search(between))):
            # 赤字规模4.06万亿元，比上年增加1800亿元 / 从13.5年提高到14年: said of the figure before
            label = f"{prev.label} {label}".strip() if label else prev.label
        out.append(Figure(label, m.group(0), unit, start, delta))
        last_end = end
    return out


def number_changes(old: str, new: str) -> tuple[NumberChange, ...]:
    """Figures that differ between two versions of a text.

    Figures pair only with figures of the same unit (a % never with 元, 万人
    never with 元) and, among those, by the words just before them (赤字率,
    城镇新增就业): ``赤字率拟按3%安排`` → ``赤字率拟按4%左右安排`` is
    ``赤字率 3% → 4%左右``, wherever in the text it moved. A figure stated the
    same in both is no change; one with no counterpart is added or dropped.
    Listed in the order of the new text, then what was dropped.
    """
    a, b = figures(old), figures(new)
    if [(f.label, f.value) for f in a] == [(f.label, f.value) for f in b]:
        return ()
    # the same label and value on both sides: unchanged, whatever else moved
    left: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(a):
        left[f.label, f.value].append(i)
    free_b: list[int] = []
    used_a: set[int] = set()
    for j, f in enumerate(b):
        same = left.get((f.label, f.value))
        if same:
            used_a.add(same.pop(0))
        else:
            free_b.append(j)
    free_a = [i for i in range(len(a)) if i not in used_a]
    edges: list[tuple[int, int, float]] = []
    for i in free_a:
        for j in free_b:
            fa, fb = a[i], b[j]
            if fa.unit != fb.unit or fa.delta != fb.delta:
                continue
            if fa.label and fb.label:
                # the whole label: 中央预算内投资安排 比去年增加 is not 专项债券 比去年增加
                score = similarity(fa.label, fb.label)
            else:
                score = 0.5 if not fa.label and not fb.label else 0.0
            if score >= LABEL_MIN:
                # nearer in order breaks ties between two labels alike
                edges.append((i, j, score + 0.001 / (1 + abs(i - j))))
    pairs = dict(assign(edges))
    paired_b = {j: i for i, j in pairs.items()}
    out: list[tuple[int, int, NumberChange]] = []
    for j in free_b:
        if j in paired_b:
            fa, fb = a[paired_b[j]], b[j]
            if fa.value != fb.value:
                out.append((0, j, NumberChange(fa.value, fb.value, fb.label or fa.label)))
        else:
            out.append((0, j, NumberChange(None, b[j].value, b[j].label)))
    for i in free_a:
        if i not in pairs:
            out.append((1, i, NumberChange(a[i].value, None, a[i].label)))
    out.sort(key=lambda x: (x[0], x[1]))
    return tuple(c for _s, _k, c in out)


_CLAUSE_END = set("，。；：、！？,.;:!?")


def inline_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Character-level highlight of what changed, cleaned up for reading.

    Indel opcodes are optimal but fragmentary on Chinese (a reworded clause
    keeps a 的 or a 和 here and there); like diff-match-patch's semantic
    cleanup, an unchanged run no longer than the edits on both sides of it is
    folded into them, unless it ends a clause: punctuation is where a reader
    re-synchronises.
    """
    # groups: [kept, deleted, inserted] triples; kept precedes the edit
    groups: list[list[str]] = []
    kept, dele, ins = "", "", ""
    for op in Indel.opcodes(old, new):
        tag = op.tag
        if tag == "equal":
            if dele or ins:
                groups.append([kept, dele, ins])
                kept, dele, ins = "", "", ""
            kept += old[op.src_start : op.src_end]
        else:
            if tag in ("delete", "replace"):
                dele += old[op.src_start : op.src_end]
            if tag in ("insert", "replace"):
                ins += new[op.dest_start : op.dest_end]
    tail = kept
    if dele or ins:
        groups.append([kept, dele, ins])
        tail = ""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(groups)):
            eq = groups[i][0]
            before = max(len(groups[i - 1][1]), len(groups[i - 1][2]))
            after = max(len(groups[i][1]), len(groups[i][2]))
            if eq and len(eq) <= min(before, after) and not (set(eq) & _CLAUSE_END):
                prev = groups[i - 1]
                prev[1] += eq + groups[i][1]
                prev[2] += eq + groups[i][2]
                del groups[i]
                changed = True
                break
    out: list[Segment] = []
    for k, d, n in groups:
        if k:
            out.append(Segment("=", k))
        if d:
            out.append(Segment("-", d))
        if n:
            out.append(Segment("+", n))
    if tail:
        out.append(Segment("=", tail))
    return tuple(out)


# ------------------------------------------------------------------ assignment


def assign(edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one matching of a sparse bipartite graph.

    ``edges`` are ``(left, right, weight)`` with weight > 0; not every node
    need be matched. First, pairs that an optimal matching provably contains
    are fixed (``_forced_pairs``); what is left falls apart into connected
    components, each solved by successive shortest augmenting paths (Dijkstra
    with potentials): the weight gained by each augmentation never grows, so
    stopping at the first path that would lose weight gives the optimum. Pure
    Python; output is sorted, ties are broken by node order, so the result is
    deterministic.
    """
    best: dict[tuple[int, int], float] = {}
    for left, right, w in edges:
        if w > best.get((left, right), 0.0):
            best[left, right] = w
    fixed, rest = _forced_pairs(best)
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for left, right, _w in rest:
        a, b = (0, left), (1, right)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    comps: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
    for e in rest:
        comps[find((0, e[0]))].append(e)
    out: list[tuple[int, int]] = list(fixed)
    for root in sorted(comps):
        out.extend(_assign_component(comps[root]))
    return sorted(out)


def _forced_pairs(
    weight: dict[tuple[int, int], float],
) -> tuple[list[tuple[int, int]], list[tuple[int, int, float]]]:
    """Pairs some maximum-weight matching contains, and the edges left once they are taken.

    An edge (i, j) whose weight is at least the best other edge at i plus the
    best other edge at j belongs to an optimal matching: in any matching
    without it, dropping i's and j's edges (worth at most those two bests)
    and adding (i, j) loses nothing. Fixing it removes i and j, which can make
    their neighbours' edges dominant in turn. On catalogues with formulaic
    headings (第X条, 着力推进第E篇第J项重点工作) nearly every section has one
    such partner, and what is left is a scatter of small components instead of
    one dense block that augmenting paths would cross a thousand times. The
    test is ``>`` with ties settled by node order, so equal weights keep the
    exact solver's deterministic answer.
    """
    adj_l: dict[int, dict[int, float]] = defaultdict(dict)
    adj_r: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), w in weight.items():
        adj_l[i][j] = w
        adj_r[j][i] = w

    def second(adj: dict[int, float], skip: int) -> float:
        return max((w for k, w in adj.items() if k != skip), default=0.0)

    fixed: list[tuple[int, int]] = []
    todo = sorted(adj_l)
    queued = set(todo)
    while todo:
        nxt: list[int] = []
        for i in todo:
            queued.discard(i)
            if i not in adj_l:
                continue
            for j, w in sorted(adj_l[i].items(), key=lambda kv: (-kv[1], kv[0])):
                if w > second(adj_l[i], j) + second(adj_r[j], i) + 1e-12:
                    fixed.append((i, j))
                    # whose best alternative may have shrunk: lefts beside j,
                    # and lefts beside any right that i could have taken
                    touched = set(adj_r[j])
                    for k in adj_l[i]:
                        touched.update(adj_r[k])
                    for k in adj_l.pop(i):
                        del adj_r[k][i]
                        if not adj_r[k]:
                            del adj_r[k]
                    for k in list(adj_r.get(j, {})):
                        del adj_l[k][j]
                        if not adj_l[k]:
                            del adj_l[k]
                    adj_r.pop(j, None)
                    for k in sorted(touched - {i}):
                        if k in adj_l and k not in queued:
                            queued.add(k)
                            nxt.append(k)
                break  # only i's best edge can dominate
        todo = sorted(nxt)
    rest = [(i, j, w) for i, row in sorted(adj_l.items()) for j, w in sorted(row.items())]
    return fixed, rest


def _assign_component(edges: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Min-cost flow S → left → right → T with cost −weight, one unit at a time.

    Successive shortest paths (Dijkstra on reduced costs, Johnson potentials)
    add one matched pair per round; the real cost of the cheapest path never
    falls, so the first path that costs ≥ 0 (would lose weight) ends the search
    at the maximum-weight matching.
    """
    if len(edges) == 1:
        return [(edges[0][0], edges[0][1])]
    lefts = sorted({e[0] for e in edges})
    rights = sorted({e[1] for e in edges})
    li = {v: i for i, v in enumerate(lefts)}
    ri = {v: i for i, v in enumerate(rights)}
    nl, nr = len(lefts), len(rights)
    # node numbering: S=0, lefts 1..nl, rights nl+1..nl+nr, T=nl+nr+1
    src, sink = 0, nl + nr + 1
    weight: dict[tuple[int, int], float] = {}
    adj: list[list[int]] = [[] for _ in range(nl)]
    for a, b, w in sorted(edges):
        i, j = li[a], ri[b]
        if (i, j) not in weight:
            adj[i].append(j)
        weight[i, j] = max(weight.get((i, j), 0.0), w)
    match_l = [-1] * nl
    match_r = [-1] * nr
    # potentials: shortest distances in the (acyclic) starting graph
    pot = [0.0] * (nl + nr + 2)
    for (_i, j), w in weight.items():
        pot[1 + nl + j] = min(pot[1 + nl + j], -w)
    pot[sink] = min(pot[1 + nl : 1 + nl + nr])
    inf = math.inf
    while True:
        dist = [inf] * (nl + nr + 2)
        prev = [-1] * (nl + nr + 2)
        dist[src] = 0.0
        heap: list[tuple[float, int]] = [(0.0, src)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            steps: list[tuple[int, float]] = []
            if u == src:
                steps = [(1 + i, 0.0) for i in range(nl) if match_l[i] < 0]
            elif u <= nl:
                i = u - 1
                steps = [(1 + nl + j, -weight[i, j]) for j in adj[i] if match_l[i] != j]
            elif u < sink:
                j = u - 1 - nl
                if match_r[j] < 0:
                    steps = [(sink, 0.0)]
                else:
                    steps = [(1 + match_r[j], weight[match_r[j], j])]
            for v, c in steps:
                nd = d + c + pot[u] - pot[v]
                if nd < dist[v] - 1e-12:
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd, v))
        if dist[sink] == inf or dist[sink] + pot[sink] - pot[src] >= -1e-12:
            break  # no path, or the cheapest one would lose weight
        for v in range(nl + nr + 2):
            pot[v] += min(dist[v], dist[sink])
        v = sink
        while v != src:
            u = prev[v]
            if 1 <= u <= nl and v > nl:  # left → right: match
                match_l[u - 1] = v - 1 - nl
                match_r[v - 1 - nl] = u - 1
            v = u
    return [(lefts[i], rights[match_l[i]]) for i in range(nl) if match_l[i] >= 0]


def longest_increasing(seq: Sequence[int]) -> set[int]:
    """Positions (into ``seq``) of one longest strictly increasing subsequence."""
    tails: list[int] = []  # seq value ending the best run of each length
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, v in enumerate(seq):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_pos.append(pos)
        else:
            tails[k] = v
            tail_pos[k] = pos
        prev[pos] = tail_pos[k - 1] if k else -1
    out: set[int] = set()
    p = tail_pos[-1] if tail_pos else -1
    while p >= 0:
        out.add(p)
        p = prev[p]
    return out


# ------------------------------------------------------------------ sides


class _Unit:
    """A measure on one side, with what matching needs.

    The normalised text, title and the ``Ref`` are made on first use: most
    measures of a year-on-year copy pair on their raw text and need neither.
    """

    __slots__ = (
        "_figures", "_grams", "_norm", "_title",
        "doc", "essay", "essay_title", "idx", "item", "measure", "place", "section", "source",
    )  # fmt: skip

    def __init__(
        self,
        idx: int,
        item: int,
        essay: int,
        section: int,
        measure: Measure,
        source: str,
        essay_title: str | None,
        place: tuple[str, str],
    ) -> None:
        self.idx = idx
        self.item = item  # position in the side's pre-order walk (essays, sections, measures)
        self.essay = essay
        self.section = section
        self.measure = measure
        self.source = source
        self.essay_title = essay_title
        self.place = place  # normalised essay title and section heading
        self.doc = -1  # the document's index on its side, set by _Side
        self._norm: str | None = None
        self._title: str | None = None
        self._figures: frozenset[tuple[str, str]] | None = None
        self._grams: set[str] | None = None

    @property
    def grams(self) -> set[str]:
        """The character bigrams of the normalised text (made once, shared by every index)."""
        if self._grams is None:
            self._grams = bigrams(self.norm)
        return self._grams

    @property
    def figure_labels(self) -> frozenset[tuple[str, str]]:
        """(label, unit) of the figures the text states with a telling label (three characters or more, not 比上年…)."""
        if self._figures is None:
            self._figures = frozenset(
                (f.label, f.unit) for f in figures(self.measure.text) if len(f.label) >= 3 and not f.label.startswith("比")
            )
        return self._figures

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = normalise(self.measure.text)
        return self._norm

    @property
    def title(self) -> str | None:
        """The normalised title, when it is shorter than the text (else None)."""
        if self._title is None:
            t = normalise(self.measure.title)
            self._title = t if t and len(t) < len(self.norm) else ""
        return self._title or None

    def ref(self, section: Section) -> Ref:
        m = self.measure
        return Ref(m.id, self.source, self.essay_title, section.heading, m.n, m.marker, m.line, m.text)


@dataclass(slots=True)
class _EssayInfo:
    essay: Essay
    item: int
    source: str
    title: str
    headings: set[str]
    sections: list[int]
    units: list[int]
    doc: int = 0
    fingerprint: int = 0  # equal for essays identical in every part that is compared


@dataclass(slots=True)
class _DocInfo:
    source: str
    title: str  # normalised
    essays: list[int]
    units: list[int]


@dataclass(slots=True)
class _SectionInfo:
    section: Section
    essay: int
    item: int
    heading: str
    body: str  # normalised text after the heading, for sections without measures
    own: str  # the section's own text outside its measures and heading, as written
    outline: tuple[str, ...]  # markers from the essay down (一、, （二）); () when unnumbered
    units: list[int]
    _body_grams: set[str] | None = None
    _text_grams: set[str] | None = None
    memo: _Memo | None = None

    @property
    def body_grams(self) -> set[str]:
        if self._body_grams is None:
            self._body_grams = bigrams(self.body)
        return self._body_grams

    @property
    def text_grams(self) -> set[str]:
        """Bigrams of the whole section text, measures included."""
        if self._text_grams is None:
            text = self.section.text
            if self.memo is not None and text in self.memo.text_grams:
                self._text_grams = self.memo.text_grams[text]
            else:
                self._text_grams = bigrams(normalise(text))
                if self.memo is not None:
                    self.memo.text_grams[text] = self._text_grams
        return self._text_grams


class _Memo:
    """What was worked out about measures and section texts, for the next
    ``_Side`` that holds the same objects (see ``SideCache``)."""

    def __init__(self) -> None:
        self.units: dict[int, _Unit] = {}
        self.text_grams: dict[str, set[str]] = {}

    def recall(self, u: _Unit) -> None:
        prev = self.units.get(id(u.measure))
        if prev is not None and prev.measure is u.measure:
            u._norm, u._title, u._figures, u._grams = prev._norm, prev._title, prev._figures, prev._grams
        self.units[id(u.measure)] = u


class _Side:
    def __init__(self, cat: Catalogue, memo: _Memo | None = None) -> None:
        self.essays: list[_EssayInfo] = []
        self.sections: list[_SectionInfo] = []
        self.units: list[_Unit] = []
        self.docs: list[_DocInfo] = []
        item = 0
        for di, doc in enumerate(cat.documents):
            dinfo = _DocInfo(doc.source, normalise(doc.title), [], [])
            self.docs.append(dinfo)
            for essay in doc.essays:
                ei = len(self.essays)
                einfo = _EssayInfo(essay, item, doc.source, normalise(essay.title), set(), [], [], di)
                self.essays.append(einfo)
                dinfo.essays.append(ei)
                item += 1
                parts: list[object] = [einfo.title]
                for sec, outline in _walk(essay.sections, ()):
                    si = len(self.sections)
                    heading = normalise(sec.heading)
                    own = _own_text(sec)
                    own_norm = normalise(own)
                    # the body is compared only between sections without measures
                    body = "" if sec.measures else own_norm
                    sinfo = _SectionInfo(sec, ei, item, heading, body, own, outline, [], memo=memo)
                    parts += [heading, own_norm, outline, tuple(m.text for m in sec.measures)]
                    self.sections.append(sinfo)
                    einfo.sections.append(si)
                    if heading:
                        einfo.headings.add(heading)
                    item += 1
                    place = (einfo.title, heading)
                    for m in sec.measures:
                        u = _Unit(len(self.units), item, ei, si, m, doc.source, essay.title, place)
                        if memo is not None:
                            memo.recall(u)
                        self.units.append(u)
                        u.doc = di
                        sinfo.units.append(u.idx)
                        einfo.units.append(u.idx)
                        dinfo.units.append(u.idx)
                        item += 1
                einfo.fingerprint = hash(tuple(map(repr, parts)))
        self.n_items = item

    def ref(self, u: _Unit) -> Ref:
        return u.ref(self.sections[u.section].section)


def _walk(sections: tuple[Section, ...], outline: tuple[str, ...]) -> list[tuple[Section, tuple[str, ...]]]:
    """Sections depth first (as ``iter_sections``), each with its outline path."""
    out: list[tuple[Section, tuple[str, ...]]] = []
    for sec in sections:
        path = (*outline, normalise(sec.marker)) if sec.marker else ()
        out.append((sec, path))
        out.extend(_walk(sec.sections, path))
    return out


def _own_text(sec: Section) -> str:
    """A section's own text: after its marker and heading, without its measures' text."""
    text = sec.text.strip()
    for prefix in (sec.marker, sec.heading):
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :].lstrip()
    for m in sec.measures:
        if m.text and m.text in text:
            at = text.index(m.text)
            before = text[:at]
            if m.marker and before.rstrip().endswith(m.marker):
                before = before.rstrip()[: -len(m.marker)]
            text = before + text[at + len(m.text) :]
    return _SPACES_AROUND.sub("\n", text).strip().lstrip("。.:：,，;；!！?？").strip()


_SPACES_AROUND = re.compile(r"\s*\n\s*")


def _essay_ref(e: _EssayInfo) -> Ref:
    return Ref(e.essay.id, e.source, e.essay.title, None, None, None, e.essay.line, e.essay.title)


def _section_ref(side: _Side, s: _SectionInfo) -> Ref:
    sec = s.section
    e = side.essays[s.essay]
    # the text is the section's own, outside its measures: all of it for a
    # section without measures (a plan's summary), the lead-in for the others
    return Ref(sec.id, e.source, e.essay.title, sec.heading, sec.n, sec.marker, sec.line, s.own or None)


# ------------------------------------------------------------------ measure matching


def _match_score(a: _Unit, b: _Unit, cutoff: float) -> tuple[float, float]:
    """(match score, text similarity). The score is what the threshold cuts."""
    text = similarity(a.norm, b.norm)
    score = text
    if a.title and b.title and text >= TITLE_FLOOR:
        score = max(score, (text + similarity(a.title, b.title)) / 2)
    if cutoff - FIGURE_BONUS * FIGURE_BONUS_MAX <= score < cutoff and text >= TITLE_FLOOR:
        # the same quantities stated (赤字率, 赤字规模, 一般公共预算支出规模),
        # whatever their values: the same measure, its body rewritten
        score += FIGURE_BONUS * min(FIGURE_BONUS_MAX, len(a.figure_labels & b.figure_labels))
    return (score if score >= cutoff else 0.0), text


class _Index:
    """Character-bigram inverted index over a subset of one side's units.

    A query looks up only the query's rarest bigrams (at most ``QUERY_GRAMS``,
    and none found in more than ``POSTING_CAP`` measures unless too few are
    left): rare bigrams (托育, 医保) say what a measure is about, common ones
    (发展, 推进) are in everything and would make each lookup cost in
    proportion to the catalogue, so the whole pass quadratic.
    """

    def __init__(self, units: list[_Unit], ids: list[int]) -> None:
        self.grams: dict[int, set[str]] = {i: units[i].grams for i in ids}
        self.post: dict[str, list[int]] = defaultdict(list)
        for i in ids:  # ids ascend, so postings are sorted
            for g in self.grams[i]:
                self.post[g].append(i)
        self._df: dict[str, int] | None = None

    @property
    def df(self) -> dict[str, int]:
        if self._df is None:
            self._df = {g: len(p) for g, p in self.post.items()}
        return self._df

    @classmethod
    def of_texts(cls, texts: dict[int, str]) -> _Index:
        """An index over arbitrary normalised texts keyed by int (section headings)."""
        self = cls.__new__(cls)
        self.grams = {i: bigrams(t) for i, t in texts.items()}
        self._df = None
        self.post = defaultdict(list)
        for i in sorted(texts):
            for g in self.grams[i]:
                self.post[g].append(i)
        return self

    def query(self, grams: set[str], k: int, min_grams: int = MIN_QUERY_GRAMS) -> list[int]:
        post, df = self.post, self.df
        # rarest first, ties by the bigram itself (two C sorts: the order is
        # deterministic and no tuple is built per bigram)
        usable = sorted(grams & df.keys())
        usable.sort(key=df.__getitem__)
        counts: Counter[int] = Counter()
        for used, g in enumerate(usable):
            if used >= QUERY_GRAMS or (df[g] > POSTING_CAP and used >= min_grams):
                break
            counts.update(post[g])
        if not counts:
            return []
        floor = max(counts.values()) // 4  # far behind the best: not worth sorting
        best = sorted((-c, i) for i, c in counts.items() if c > floor)[:k]
        return [i for _c, i in best]


@dataclass(slots=True)
class _Matching:
    pairs: dict[int, tuple[int, float]]  # old unit → (new unit, text similarity)
    exact: set[int]  # old units paired in the exact pass
    splits: list[tuple[int, list[int], float]]  # old → new pieces, similarity
    merges: list[tuple[list[int], int, float]]  # old pieces → new, similarity


def _raw_text(u: _Unit) -> str:
    return u.measure.text


def _norm_text(u: _Unit) -> str:
    return u.norm


def _match_measures(old: _Side, new: _Side, threshold: float, docs: dict[int, int]) -> _Matching:
    """Measures matched within each pair of documents (and among the documents
    left without a counterpart on both sides): a measure of the Guangdong
    report never pairs with one of the Hainan report, however alike."""
    group_old = {a: g for g, a in enumerate(sorted(docs))}
    group_new = {docs[a]: g for a, g in group_old.items()}
    ids_old: dict[int, list[int]] = defaultdict(list)
    ids_new: dict[int, list[int]] = defaultdict(list)
    for u in old.units:
        ids_old[group_old.get(u.doc, -1)].append(u.idx)
    for u in new.units:
        ids_new[group_new.get(u.doc, -1)].append(u.idx)
    out = _Matching({}, set(), [], [])
    for g in sorted(set(ids_old) & set(ids_new)):
        m = _match_group(old, new, threshold, ids_old[g], ids_new[g])
        out.pairs.update(m.pairs)
        out.exact |= m.exact
        out.splits += m.splits
        out.merges += m.merges
    if len(old.docs) > 1 or len(new.docs) > 1:
        # a measure that left one document for another word for word (an
        # archive reorganised into other files) is moved, not removed and
        # added; only the same text counts across documents, so two reports
        # that each reworded a commonplace never pair
        linked_old = set(out.pairs) | {w for w, _p, _s in out.splits} | {p for ps, _w, _s in out.merges for p in ps}
        linked_new = {j for j, _s in out.pairs.values()}
        linked_new |= {p for _w, ps, _s in out.splits for p in ps} | {w for _ps, w, _s in out.merges}
        free: dict[str, list[int]] = defaultdict(list)
        for u in new.units:
            if u.idx not in linked_new:
                free[u.norm].append(u.idx)
        for u in old.units:
            if u.idx not in linked_old and free.get(u.norm):
                out.pairs[u.idx] = (free[u.norm].pop(0), 1.0)
                out.exact.add(u.idx)
    return out


def _match_group(old: _Side, new: _Side, threshold: float, old_ids: list[int], new_ids: list[int]) -> _Matching:
    pairs: dict[int, tuple[int, float]] = {}
    # 1. exact: the same text (raw, then normalised); duplicates pair in the
    # same place first, then in order
    taken: set[int] = set()
    for key in (_raw_text, _norm_text):
        by_text: dict[str, list[int]] = defaultdict(list)
        for j in new_ids:
            if j not in taken:
                by_text[key(new.units[j])].append(j)
        for i in old_ids:
            u = old.units[i]
            if u.idx in pairs:
                continue
            cands = [j for j in by_text.get(key(u), ()) if j not in taken]
            if not cands:
                continue
            same = [j for j in cands if new.units[j].place == u.place]
            j = (same or cands)[0]
            taken.add(j)
            pairs[u.idx] = (j, 1.0)
    exact = set(pairs)
    rest_old = [i for i in old_ids if i not in pairs]
    rest_new = [j for j in new_ids if j not in taken]
    if not rest_old and not rest_new:
        return _Matching(pairs, exact, [], [])
    # 2–3. candidates from the bigram index, both ways, scored
    idx_new = _Index(new.units, rest_new)
    idx_old = _Index(old.units, rest_old)
    cand: set[tuple[int, int]] = set()
    for i in rest_old:
        cand.update((i, j) for j in idx_new.query(idx_old.grams[i], TOP_K))
    for j in rest_new:
        cand.update((i, j) for i in idx_old.query(idx_new.grams[j], TOP_K))
    edges: list[tuple[int, int, float]] = []
    text_sim: dict[tuple[int, int], float] = {}
    for i, j in sorted(cand):
        a, b = old.units[i], new.units[j]
        score, text = _match_score(a, b, threshold)
        if score > 0.0:
            bonus = SAME_PLACE_BONUS if a.place == b.place else 0.0
            edges.append((i, j, score + bonus))
            text_sim[i, j] = text
    # 4. global one-to-one assignment
    for i, j in assign(edges):
        pairs[i] = (j, text_sim[i, j])
    matched_new = {j for j, _ in pairs.values()}
    free_old = [i for i in rest_old if i not in pairs]
    free_new = [j for j in rest_new if j not in matched_new]
    # 5. split and merge from one-way containment
    partner_of_new = {j: i for i, (j, _) in pairs.items()}
    splits = _pieces(
        free_new, idx_old, idx_new, old.units, new.units,
        {i: p[0] for i, p in pairs.items() if i not in exact}, pairs,
    )  # fmt: skip
    for whole, pieces, _s in splits:
        pairs.pop(whole, None)
        free_new = [j for j in free_new if j not in pieces]
    still_free_old = [i for i in free_old if all(i != w for w, _p, _s in splits)]
    rev_pairs = {j: (i, s) for i, (j, s) in pairs.items()}
    merges_rev = _pieces(
        still_free_old, idx_new, idx_old, new.units, old.units,
        {j: i for j, i in partner_of_new.items() if i in pairs and i not in exact}, rev_pairs,
    )  # fmt: skip
    merges: list[tuple[list[int], int, float]] = []
    in_splits = {p for _w, ps, _s in splits for p in ps}
    for whole, pieces, s in merges_rev:
        if whole in in_splits:
            continue
        if whole in rev_pairs:
            del pairs[rev_pairs[whole][0]]
        merges.append((pieces, whole, s))
    return _Matching(pairs, exact, splits, merges)


def _pieces(
    free: list[int],
    idx_whole: _Index,
    idx_free: _Index,
    whole_units: list[_Unit],
    piece_units: list[_Unit],
    partner: dict[int, int],
    pairs: dict[int, tuple[int, float]],
) -> list[tuple[int, list[int], float]]:
    """Wholes rebuilt from free pieces (plus the whole's partner): splits, or merges mirrored."""
    groups: dict[int, list[int]] = defaultdict(list)
    for p in free:
        grams = idx_free.grams[p]
        if len(piece_units[p].norm) < 4 or not grams:
            continue
        best, best_c = -1, 0.0
        for w in idx_whole.query(grams, TOP_K):
            c = len(grams & idx_whole.grams[w]) / len(grams)
            if c > best_c:
                best, best_c = w, c
        if best >= 0 and best_c >= CONTAIN_MIN:
            groups[best].append(p)
    out: list[tuple[int, list[int], float]] = []
    for w in sorted(groups):
        pieces = list(groups[w])
        base = 0.0
        if w in partner:
            q = partner[w]
            grams = piece_units[q].grams
            if not grams or len(grams & idx_whole.grams[w]) / len(grams) < CONTAIN_MIN:
                continue  # the whole is already explained by a partner that is not a piece of it
            pieces.append(q)
            base = pairs[w][1]
        if len(pieces) < 2:
            continue
        pieces.sort()
        s = similarity(whole_units[w].norm, "".join(piece_units[p].norm for p in pieces))
        if s >= REBUILD_MIN and s >= base + 0.02:
            out.append((w, pieces, s))
    return out


# ------------------------------------------------------------------ essays and sections


def _match_documents(old: _Side, new: _Side) -> dict[int, int]:
    """Documents paired before anything inside them: by source (the whole
    name, then the file name, then the file name without its digits, so
    gwr-2025-anhui.txt finds gwr-2026-anhui.txt), then by title, then by
    content (shared measures and headings); a name or title found twice on
    one side decides nothing. The last document left on each side pairs."""
    out: dict[int, int] = {}
    if not old.docs or not new.docs:
        return out
    keys: list[Callable[[_DocInfo], str]] = [
        lambda d: d.source,
        lambda d: os.path.basename(d.source),
        lambda d: _DIGITS.sub("#", os.path.basename(d.source)),
        lambda d: d.title,
    ]
    for key in keys:
        left_old = [a for a in range(len(old.docs)) if a not in out]
        left_new = [b for b in range(len(new.docs)) if b not in out.values()]
        ko: dict[str, list[int]] = defaultdict(list)
        kn: dict[str, list[int]] = defaultdict(list)
        for a in left_old:
            ko[key(old.docs[a])].append(a)
        for b in left_new:
            kn[key(new.docs[b])].append(b)
        for k, found in ko.items():
            if k and len(found) == 1 and len(kn.get(k, ())) == 1:
                out[found[0]] = kn[k][0]
    left_old = [a for a in range(len(old.docs)) if a not in out]
    left_new = [b for b in range(len(new.docs)) if b not in out.values()]
    if left_old and left_new:
        out.update(_documents_by_content(old, new, left_old, left_new))
        left_old = [a for a in left_old if a not in out]
        left_new = [b for b in left_new if b not in out.values()]
        if len(left_old) == 1 and len(left_new) == 1:
            out[left_old[0]] = left_new[0]
    return out


_DIGITS = re.compile(r"\d+")


def _doc_keys(side: _Side, d: int) -> set[str]:
    doc = side.docs[d]
    keys = {"m:" + side.units[u].norm for u in doc.units}
    for e in doc.essays:
        keys.update("h:" + h for h in side.essays[e].headings)
        if side.essays[e].title:
            keys.add("t:" + side.essays[e].title)
    return keys


def _documents_by_content(old: _Side, new: _Side, left_old: list[int], left_new: list[int]) -> dict[int, int]:
    """Documents paired by the share of measures and headings they have in common (Dice ≥ 0.3)."""
    kn = {b: _doc_keys(new, b) for b in left_new}
    post: dict[str, list[int]] = defaultdict(list)
    for b in left_new:
        for k in kn[b]:
            post[k].append(b)
    edges: list[tuple[int, int, float]] = []
    for a in left_old:
        ka = _doc_keys(old, a)
        shared: dict[int, int] = defaultdict(int)
        for k in ka:
            found = post.get(k, ())
            if len(found) <= RECURRING:
                for b in found:
                    shared[b] += 1
        for b, n in sorted(shared.items()):
            dice = 2 * n / (len(ka) + len(kn[b]))
            if dice >= 0.3:
                edges.append((a, b, dice))
    return dict(assign(edges))


def _links(m: _Matching) -> list[tuple[int, int, float]]:
    """Every (old unit, new unit, similarity) the matching ties together."""
    out = [(i, j, sim) for i, (j, sim) in m.pairs.items()]
    out += [(w, p, sim) for w, ps, sim in m.splits for p in ps]
    out += [(p, w, sim) for ps, w, sim in m.merges for p in ps]
    return sorted(out)


def _match_essays(old: _Side, new: _Side, links: list[tuple[int, int, float]], docs: dict[int, int]) -> dict[int, int]:
    """Essays paired, only within paired documents (or among the documents
    left unpaired on both sides): first those identical in every part, in
    order; then by title, by how many measures went from one to the other
    (reworded or not: an essay keeps its measures while it rewrites them), and
    by how many section headings recur, exactly or nearly (2023年工作回顾 →
    2024年工作回顾)."""
    group_old = {a: g for g, a in enumerate(sorted(docs))}
    group_new = {docs[a]: g for a, g in group_old.items()}

    def og(a: int) -> int:
        return group_old.get(old.essays[a].doc, -1)

    def ng(b: int) -> int:
        return group_new.get(new.essays[b].doc, -1)

    identical: dict[int, int] = {}
    by_print: dict[tuple[int, int], list[int]] = defaultdict(list)
    for b, e in enumerate(new.essays):
        by_print[ng(b), e.fingerprint].append(b)
    for a, e in enumerate(old.essays):
        same = by_print.get((og(a), e.fingerprint))
        if same:
            identical[a] = same.pop(0)
    taken_new = set(identical.values())
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for i, j, _sim in links:
        counts[old.units[i].essay, new.units[j].essay] += 1
    cand: set[tuple[int, int]] = set(counts)
    by_title: dict[str, list[int]] = defaultdict(list)
    by_heading: dict[str, list[int]] = defaultdict(list)
    for k, e in enumerate(new.essays):
        if e.title:
            by_title[e.title].append(k)
        for h in e.headings:
            by_heading[h].append(k)
    # a title or heading found in many essays (政府工作报告, 加强组织领导) proposes
    # no pair: the pairs would grow with the square of the collection
    for k, e in enumerate(old.essays):
        for key, index in ((e.title, by_title), *((h, by_heading) for h in sorted(e.headings))):
            found = index.get(key, ())
            if len(found) <= RECURRING:
                cand.update((k, x) for x in found)
    cand = {(a, b) for a, b in cand if og(a) == ng(b) and a not in identical and b not in taken_new}
    # a title shared by many essays (政府工作报告 in a folder of work reports)
    # says little about which two are one
    recur: dict[str, int] = defaultdict(int)
    for e in (*old.essays, *new.essays):
        recur[e.title] += 1
    scored: list[tuple[int, int, float]] = []
    for a, b in sorted(cand):
        eo, en = old.essays[a], new.essays[b]
        title = similarity(eo.title, en.title) if eo.title and en.title else 0.0
        if eo.title == en.title:
            title /= max(1, recur[eo.title] - 1)
        total = len(eo.units) + len(en.units)
        link = 2 * counts.get((a, b), 0) / total if total else 0.0
        hs = len(eo.headings) + len(en.headings)
        head = 2 * len(eo.headings & en.headings) / hs if hs else 0.0
        scored.append((a, b, title + link + head + (0.01 if eo.source == en.source else 0.0)))
    # the signals add up: a work report may lose its title to the parser,
    # reword most headings and rewrite every measure, yet stay itself. Where
    # neither essay has a counterpart yet, near-identical headings count too
    # (2023年工作回顾 → 2024年工作回顾); only there, as that costs a score per
    # pair of headings.
    decided_old = {a for a, _b, w in scored if w >= 0.5}
    decided_new = {b for _a, b, w in scored if w >= 0.5}
    edges: list[tuple[int, int, float]] = []
    for a, b, w in scored:
        if w < 0.5 and a not in decided_old and b not in decided_new:
            eo, en = old.essays[a], new.essays[b]
            hs = len(eo.headings) + len(en.headings)
            exact = 2 * len(eo.headings & en.headings) / hs if hs else 0.0
            w += _heading_overlap(eo.headings, en.headings) - exact
        if w >= 0.5:
            edges.append((a, b, w))
    out = dict(assign(edges))
    # one version of one document against another, one essay left on each side
    # with anything in common: they are the same essay
    left_old: dict[int, list[int]] = defaultdict(list)
    left_new: dict[int, list[int]] = defaultdict(list)
    for a in range(len(old.essays)):
        if a not in out and a not in identical:
            left_old[og(a)].append(a)
    paired_new = set(out.values()) | taken_new
    for b in range(len(new.essays)):
        if b not in paired_new:
            left_new[ng(b)].append(b)
    for g, lo in left_old.items():
        ln = left_new.get(g, [])
        if g >= 0 and len(lo) == 1 and len(ln) == 1 and (lo[0], ln[0]) in cand:
            out[lo[0]] = ln[0]
    out.update(identical)
    return out


def _heading_overlap(a: set[str], b: set[str]) -> float:
    """Share of headings on either side that recur (similarity ≥ 0.6) on the other."""
    if not a or not b:
        return 0.0
    la, lb = sorted(a), sorted(b)
    if len(la) * len(lb) > 10_000:  # near matches cost a score per pair: exact ones only
        return 2 * len(a & b) / (len(la) + len(lb))
    hit_a = sum(1 for x in la if x in b or any(similarity(x, y) >= 0.6 for y in lb))
    hit_b = sum(1 for y in lb if y in a or any(similarity(y, x) >= 0.6 for x in la))
    return (hit_a + hit_b) / (len(la) + len(lb))


def _match_sections(old: _Side, new: _Side, essays: dict[int, int], links: list[tuple[int, int, float]]) -> dict[int, int]:
    """Sections of matched essays, paired by heading (clause by clause, so
    swapped clauses pair), the measures linking them (weighted by how alike
    they are), the text of sections without measures, and place in a
    numbered outline (一、 ↔ 一、).

    Only promising pairs are scored: sections that share a measure, the same
    heading or outline place, or a heading among the few most alike (a bigram
    index); scoring every pair would be quadratic in an essay of a thousand
    sections with formulaic headings.
    """
    # a link counts half for existing and half by how alike its two ends are:
    # one rewritten measure in common is not enough to call two sections one
    counts: dict[tuple[int, int], float] = defaultdict(float)
    for i, j, sim in links:
        counts[old.units[i].section, new.units[j].section] += 0.5 + 0.5 * sim
    linked: dict[int, set[int]] = defaultdict(set)
    for so_i, sn_i in counts:
        linked[so_i].add(sn_i)
    edges: list[tuple[int, int, float]] = []
    exact: dict[int, int] = {}
    for a, b in sorted(essays.items()):
        olds, news = old.essays[a].sections, new.essays[b].sections
        if not olds or not news:
            continue
        # sections the same in every part pair first, in order (an empty
        # section without heading has nothing else to pair by)
        same: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for sn_i in news:
            same[_section_key(new, sn_i)].append(sn_i)
        for so_i in olds:
            found = same.get(_section_key(old, so_i))
            if found:
                exact[so_i] = found.pop(0)
        taken = set(exact.values())
        olds = [k for k in olds if k not in exact]
        news = [k for k in news if k not in taken]
        if not olds or not news:
            continue
        by_heading: dict[str, list[int]] = defaultdict(list)
        by_outline: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for sn_i in news:
            sn = new.sections[sn_i]
            by_heading[sn.heading].append(sn_i)
            if sn.outline:
                by_outline[sn.outline].append(sn_i)
        news_set = set(news)
        small = len(olds) * len(news) <= 400
        if not small:
            idx_head = _Index.of_texts({k: new.sections[k].heading + new.sections[k].body[:60] for k in news})
        for so_i in olds:
            so = old.sections[so_i]
            if small:
                cands: set[int] = set(news)
            else:
                cands = {k for k in linked.get(so_i, ()) if k in news_set}
                cands.update(by_heading.get(so.heading, ()) if so.heading else ())
                cands.update(by_outline.get(so.outline, ()) if so.outline else ())
                # headings from one template share most bigrams: only the rare
                # ones (the numbers in 第E篇第J项) are looked up
                cands.update(idx_head.query(bigrams(so.heading + so.body[:60]), TOP_K, min_grams=1))
            for sn_i in sorted(cands):
                if sn_i in taken:
                    continue
                w = _section_score(old, new, so_i, sn_i, counts.get((so_i, sn_i), 0.0))
                if w > 0.0:
                    edges.append((so_i, sn_i, w))
    out = dict(assign(edges))
    out.update(exact)
    return out


def _section_key(side: _Side, k: int) -> tuple[object, ...]:
    s = side.sections[k]
    return (s.heading, normalise(s.own), s.outline, tuple(side.units[u].norm for u in s.units))


def _section_score(old: _Side, new: _Side, so_i: int, sn_i: int, linked: float) -> float:
    """How surely two sections are one (0: not at all): heading + content + outline place."""
    so, sn = old.sections[so_i], new.sections[sn_i]
    total = len(so.units) + len(sn.units)
    head = heading_similarity(so.heading, sn.heading) if so.heading and sn.heading else 0.0
    if so.units and sn.units:
        content = 2 * linked / total
    elif total:
        # one side has measures, the other only text (a plan's summary in one
        # year, its full chapter the next): how much of the short text the
        # long one says again
        short, long = (so, sn) if not so.units else (sn, so)
        content = _containment(short.body_grams, long.text_grams)
    else:  # no measure speaks for these sections: their text does
        content = similarity(so.body, sn.body) if so.body or sn.body else 0.0
    outline = 0.5 if so.outline and so.outline == sn.outline else 0.0
    mixed = bool(so.units) != bool(sn.units)
    if (
        (so.heading and so.heading == sn.heading)
        or content >= 0.5
        # a summary against a chapter: neither heading nor text alone is
        # sure, together they are (着力扩大国内需求 → 着力扩大国内需求，推动经济实现良性循环,
        # 稳定粮食生产和推进乡村振兴 → 坚持不懈抓好“三农”工作，扎实推进乡村全面振兴);
        # on the 2023→2024 work reports true pairs scored 0.56–0.79, others ≤ 0.35
        or (mixed and head + content >= MIXED_MIN)
        or (head + max(content, outline)) / 2 >= 0.5
        or (total and head >= 0.6)
    ):
        return head + content + outline
    return 0.0


def _containment(g: set[str], long: set[str]) -> float:
    """Share of the short text's bigrams found in the long one's, discounted for
    the bigrams any two policy texts share (发展, 推进): 0.3 → 0, 1 → 1."""
    if not g:
        return 0.0
    c = len(g & long) / len(g)
    return max(0.0, (c - 0.3) / 0.7)


_CLAUSE_SPLIT = re.compile(r"[，,、；;：:。.！!？?\s]+")


def heading_similarity(a: str, b: str) -> float:
    """How alike two headings are, 0…1, clause by clause.

    A heading is a few clauses whose order a new version may swap:
    大力推进现代化产业体系建设，加快发展新质生产力 → 因地制宜发展新质生产力，加快建设现代化产业体系.
    Each clause on either side is weighed by its length and scored by its best
    counterpart on the other side; the result is the better of that and the
    plain similarity of the whole headings.
    """
    whole = similarity(a, b)
    ca = [c for c in _CLAUSE_SPLIT.split(a) if c]
    cb = [c for c in _CLAUSE_SPLIT.split(b) if c]
    if len(ca) < 2 and len(cb) < 2:
        return whole
    total = sum(map(len, ca)) + sum(map(len, cb))
    if not total:
        return whole
    got = sum(len(x) * max(similarity(x, y) for y in cb) for x in ca)
    got += sum(len(y) * max(similarity(y, x) for x in ca) for y in cb)
    return max(whole, got / total)


# ------------------------------------------------------------------ diff


@dataclass(frozen=True, slots=True)
class MeasureLink:
    """One measure of the old catalogue and its counterpart in the new one.

    ``old`` and ``new`` index ``iter_measures`` of each catalogue; ``kind`` is
    what ``diff`` would call it (``unchanged`` included)."""

    old: int
    new: int
    kind: str  # unchanged | renumbered | modified | moved | split | merged
    similarity: float


class SideCache:
    """What matching prepares about a catalogue (normalised texts, bigrams,
    figures), kept for the next comparison that involves it: in a series each
    version is compared twice, once as the new side and once as the old."""

    KEEP = 8  # sides kept, the oldest dropped first

    def __init__(self) -> None:
        self._sides: dict[int, tuple[Catalogue, _Side]] = {}
        self._memo = _Memo()

    def side(self, cat: Catalogue) -> _Side:
        hit = self._sides.get(id(cat))
        if hit is not None and hit[0] is cat:
            return hit[1]
        side = _Side(cat, self._memo)
        self._sides[id(cat)] = (cat, side)
        while len(self._sides) > self.KEEP:
            self.forget(next(iter(self._sides.values()))[0])
        return side

    def forget(self, cat: Catalogue) -> None:
        hit = self._sides.pop(id(cat), None)
        if hit is None or hit[0] is not cat:
            return
        memo = self._memo
        for u in hit[1].units:
            if memo.units.get(id(u.measure)) is u:
                del memo.units[id(u.measure)]
        for sec in hit[1].sections:
            memo.text_grams.pop(sec.section.text, None)


def measure_links(
    old: Catalogue, new: Catalogue, *, threshold: float = DEFAULT_THRESHOLD, cache: SideCache | None = None
) -> tuple[MeasureLink, ...]:
    """The measure pairing ``diff_catalogues`` makes, as links (for lineage
    across many versions: ``guizhou history``). A split links the old measure
    to each piece; a merge links each piece to the whole."""
    so, sn, m, _l, _e, _s, in_place = _compare(old, new, threshold, cache)
    out: list[MeasureLink] = []
    for i, (j, sim) in sorted(m.pairs.items()):
        uo, un = so.units[i], sn.units[j]
        same_text = uo.measure.text == un.measure.text or uo.norm == un.norm
        if i in in_place:
            kind = ("unchanged" if uo.measure.n == un.measure.n else "renumbered") if same_text else "modified"
        else:
            kind = "moved"
        out.append(MeasureLink(i, j, kind, round(sim, 4)))
    out += [MeasureLink(w, p, "split", round(sim, 4)) for w, ps, sim in m.splits for p in ps]
    out += [MeasureLink(p, w, "merged", round(sim, 4)) for ps, w, sim in m.merges for p in ps]
    return tuple(sorted(out, key=lambda x: (x.old, x.new)))


def measure_pairs(
    old: Catalogue, new: Catalogue, *, threshold: float = DEFAULT_THRESHOLD, cache: SideCache | None = None
) -> list[tuple[int, int, float]]:
    """Only the one-to-one measure pairs (old index, new index, similarity),
    without splits, merges, essays or sections: the cheap part of
    ``measure_links``, for a second look at what is left."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    so, sn = (cache.side(old), cache.side(new)) if cache else (_Side(old), _Side(new))
    m = _match_measures(so, sn, threshold, _match_documents(so, sn))
    return sorted((i, j, round(sim, 4)) for i, (j, sim) in m.pairs.items())


def _compare(
    old: Catalogue, new: Catalogue, threshold: float, cache: SideCache | None = None
) -> tuple[_Side, _Side, _Matching, list[tuple[int, int, float]], dict[int, int], dict[int, int], set[int]]:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    so, sn = (cache.side(old), cache.side(new)) if cache else (_Side(old), _Side(new))
    docs = _match_documents(so, sn)
    m = _match_measures(so, sn, threshold, docs)
    links = _links(m)
    essay_map = _match_essays(so, sn, links, docs)
    section_map = _match_sections(so, sn, essay_map, links)

    # measures that kept their place: a longest increasing subsequence of new
    # positions among the pairs that stayed in (the counterpart of) their section
    in_place: set[int] = set()
    by_section: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, (j, _s) in m.pairs.items():
        if section_map.get(so.units[i].section) == sn.units[j].section:
            by_section[so.units[i].section].append((i, j))
    for members in by_section.values():
        members.sort()
        keep = longest_increasing([j for _i, j in members])
        in_place.update(members[p][0] for p in keep)
    return so, sn, m, links, essay_map, section_map, in_place


def diff_catalogues(
    old: Catalogue,
    new: Catalogue,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    old_source: str = "old",
    new_source: str = "new",
) -> Diff:
    """Compare two catalogues; see the module docstring for how."""
    so, sn, m, links, essay_map, section_map, in_place = _compare(old, new, threshold)

    keyed: list[tuple[tuple[int, int, int, int], Change]] = []
    # removed things are listed after the nearest thing before them that kept
    # its place: old pre-order position → new
    item_map: dict[int, int] = {}
    for a, b in essay_map.items():
        item_map[so.essays[a].item] = sn.essays[b].item
    for a, b in section_map.items():
        item_map[so.sections[a].item] = sn.sections[b].item
    for i in in_place:
        item_map[so.units[i].item] = sn.units[m.pairs[i][0]].item
    anchors = sorted(item_map.items())
    anchor_keys = [k for k, _v in anchors]

    def at_new(item: int, kind: str) -> tuple[int, int, int, int]:
        return (item, 0, 0, _KIND_RANK[kind])

    def at_old(item: int, kind: str) -> tuple[int, int, int, int]:
        k = bisect.bisect_left(anchor_keys, item) - 1
        return (anchors[k][1] if k >= 0 else -1, 1, item, _KIND_RANK[kind])

    def add(key: tuple[int, int, int, int], change: Change, place: Place | None = None) -> None:
        if place is None:
            ref = (change.new or change.old)[0]
            place = (ref.source, ref.essay, None if change.kind.startswith("essay-") else ref.section)
        keyed.append((key, replace(change, place=place)))

    def new_place(old_section: int) -> Place | None:
        """Where something removed from an old section is listed in the new version."""
        if old_section in section_map:
            t = sn.sections[section_map[old_section]]
            e = sn.essays[t.essay]
            return (e.source, e.essay.title, t.section.heading)
        s = so.sections[old_section]
        if s.essay in essay_map:
            e = sn.essays[essay_map[s.essay]]
            return (e.source, e.essay.title, s.section.heading)
        return None

    # essays
    mapped_new_essays = set(essay_map.values())
    for a, e in enumerate(so.essays):
        if a not in essay_map:
            add(at_old(e.item, "essay-removed"), Change("essay-removed", (_essay_ref(e),), (), None))
        else:
            en = sn.essays[essay_map[a]]
            if e.title != en.title:
                sim = round(similarity(e.title, en.title), 4)
                add(at_new(en.item, "essay-retitled"), Change("essay-retitled", (_essay_ref(e),), (_essay_ref(en),), sim))
    for b, e in enumerate(sn.essays):
        if b not in mapped_new_essays:
            add(at_new(e.item, "essay-added"), Change("essay-added", (), (_essay_ref(e),), None))
    linked_old = {i for i, _j, _s in links}
    linked_new = {j for _i, j, _s in links}
    # a task that is a numbered leaf paragraph in one version and a heading
    # over measures in the other (2023's （一）着力扩大国内需求。… → 2024's
    # （一）着力扩大国内需求，推动经济实现良性循环 with its lead measures)
    promoted, demoted = _cross_kind(so, sn, section_map, essay_map, linked_old, linked_new)
    for i, b in promoted.items():
        u, t = so.units[i], sn.sections[b]
        sim = round(heading_similarity(u.measure.title, t.heading), 4)
        add(
            at_new(t.item, "measure-to-section"),
            Change("measure-to-section", (so.ref(u),), (_section_ref(sn, t),), sim, (), inline_diff(u.measure.title, t.heading)),
        )
    for a, j in demoted.items():
        s_, un = so.sections[a], sn.units[j]
        sim = round(heading_similarity(s_.heading, un.measure.title), 4)
        add(
            at_new(un.item, "section-to-measure"),
            Change(
                "section-to-measure", (_section_ref(so, s_),), (sn.ref(un),), sim, (), inline_diff(s_.heading, un.measure.title)
            ),
        )
    # sections (inside essays present on both sides; a new essay's sections are news of the essay)
    mapped_new_sections = set(section_map.values()) | set(promoted.values())
    for a, s in enumerate(so.sections):
        if a in section_map:
            t = sn.sections[section_map[a]]
            olds, news = (_section_ref(so, s),), (_section_ref(sn, t),)
            if s.heading != t.heading:
                sim = round(heading_similarity(s.heading, t.heading), 4)
                add(at_new(t.item, "section-renamed"), Change("section-renamed", olds, news, sim))
            # a section without measures is compared by its text (on either
            # side: a plan's summary may become a chapter with measures)
            if (not s.units or not t.units) and normalise(s.own) != normalise(t.own):
                add(
                    at_new(t.item, "section-modified"),
                    Change(
                        "section-modified",
                        olds,
                        news,
                        round(similarity(normalise(s.own), normalise(t.own)), 4),
                        number_changes(s.own, t.own),
                        inline_diff(s.own, t.own),
                    ),
                )
        elif s.essay in essay_map and a not in demoted:
            add(at_old(s.item, "section-removed"), Change("section-removed", (_section_ref(so, s),), (), None), new_place(a))
    inverse_essays = {b: a for a, b in essay_map.items()}
    for b, t in enumerate(sn.sections):
        if b not in mapped_new_sections and t.essay in inverse_essays:
            add(at_new(t.item, "section-added"), Change("section-added", (), (_section_ref(sn, t),), None))

    unchanged = 0
    for i, (j, sim) in sorted(m.pairs.items()):
        uo, un = so.units[i], sn.units[j]
        same_text = uo.measure.text == un.measure.text or uo.norm == un.norm
        if i in in_place:
            if same_text and uo.measure.n == un.measure.n:
                unchanged += 1
                continue
            kind = "renumbered" if same_text else "modified"
        else:
            kind = "moved"
        extra: tuple[tuple[NumberChange, ...], tuple[Segment, ...]] = ((), ())
        if not same_text:
            extra = (number_changes(uo.measure.text, un.measure.text), inline_diff(uo.measure.text, un.measure.text))
        add(at_new(un.item, kind), Change(kind, (so.ref(uo),), (sn.ref(un),), round(sim, 4), *extra))
    for w, pieces, sim in m.splits:
        uo = so.units[w]
        parts = tuple(sn.ref(sn.units[p]) for p in pieces)
        joined = "".join(sn.units[p].measure.text for p in pieces)
        add(
            at_new(sn.units[pieces[0]].item, "split"),
            Change("split", (so.ref(uo),), parts, round(sim, 4), number_changes(uo.measure.text, joined)),
        )
    for pieces, w, sim in m.merges:
        un = sn.units[w]
        parts = tuple(so.ref(so.units[p]) for p in pieces)
        joined = "".join(so.units[p].measure.text for p in pieces)
        add(
            at_new(un.item, "merged"),
            Change("merged", parts, (sn.ref(un),), round(sim, 4), number_changes(joined, un.measure.text)),
        )
    taken_new = set(demoted.values())
    for u in so.units:
        if u.idx not in linked_old and u.idx not in promoted:
            add(at_old(u.item, "removed"), Change("removed", (so.ref(u),), (), None), new_place(u.section))
    for u in sn.units:
        if u.idx not in linked_new and u.idx not in taken_new:
            add(at_new(u.item, "added"), Change("added", (), (sn.ref(u),), None))

    keyed.sort(key=lambda kc: kc[0])
    return Diff(old_source, new_source, threshold, tuple(c for _k, c in keyed), unchanged)


# a leaf measure and a section heading pair when their headings are this alike
CROSS_KIND_MIN = 0.4


def _cross_kind(
    so: _Side,
    sn: _Side,
    section_map: dict[int, int],
    essay_map: dict[int, int],
    linked_old: set[int],
    linked_new: set[int],
) -> tuple[dict[int, int], dict[int, int]]:
    """Numbered leaf measures that became headings, and headings that became leaf measures.

    By the definition of a measure a numbered paragraph without sub-items is a
    measure and the same number over sub-items a heading, so one task may be
    either in two versions. Only what is left unpaired is looked at: an old
    leaf measure (``kind: item``) against a new section that has no old
    counterpart in the paired essay, and the reverse; pairs go best first by
    heading similarity (clause by clause), one to one, above ``CROSS_KIND_MIN``.
    """

    def pairs(units: _Side, sections: _Side, linked: set[int], mapped: set[int], essays: dict[int, int]) -> dict[int, int]:
        cands: list[tuple[float, int, int]] = []
        for u in units.units:
            if u.idx in linked or u.measure.kind != "item" or not u.measure.marker:
                continue
            essay = essays.get(units.sections[u.section].essay)
            if essay is None:
                continue
            for b, t in enumerate(sections.sections):
                if b in mapped or t.essay != essay or t.section.marker is None or not t.units:
                    continue
                sc = heading_similarity(u.measure.title, t.heading)
                if sc >= CROSS_KIND_MIN:
                    cands.append((sc, u.idx, b))
        out: dict[int, int] = {}
        used: set[int] = set()
        for _sc, i, b in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
            if i not in out and b not in used:
                out[i] = b
                used.add(b)
        return out

    promoted = pairs(so, sn, linked_old, set(section_map.values()), essay_map)
    inverse = {b: a for a, b in essay_map.items()}
    back = pairs(sn, so, linked_new, set(section_map), inverse)  # new measure idx -> old section
    return promoted, {a: j for j, a in back.items()}


# ------------------------------------------------------------------ serialisation


def ref_dict(ref: Ref) -> dict[str, Any]:
    return {
        "id": ref.id,
        "source": ref.source,
        "essay": ref.essay,
        "section": ref.section,
        "n": ref.n,
        "marker": ref.marker,
        "line": ref.line,
        "text": ref.text,
    }


def _side(refs: tuple[Ref, ...]) -> Any:
    # null, one mapping, or (split's new side, merge's old side) a list
    if not refs:
        return None
    if len(refs) == 1:
        return ref_dict(refs[0])
    return [ref_dict(r) for r in refs]


def change_dict(c: Change) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": c.kind, "old": _side(c.old), "new": _side(c.new), "similarity": c.similarity}
    if c.numbers:
        d["numbers"] = [{"label": x.label or None, "old": x.old, "new": x.new} for x in c.numbers]
    if c.inline:
        d["inline"] = [[s.op, s.text] for s in c.inline]
    return d


def diff_dict(d: Diff) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generator": d.generator,
        "old": d.old_source,
        "new": d.new_source,
        "threshold": d.threshold,
        "summary": d.summary(),
        "changes": [change_dict(c) for c in d.changes],
    }


class _Dumper(SafeDumper):  # type: ignore[misc]
    """Block style for mappings, flow style for the [op, text] pairs of an inline highlight."""


def _list_representer(dumper: Any, value: list[Any]) -> Any:
    flow = len(value) == 2 and isinstance(value[0], str) and value[0] in ("=", "-", "+") and isinstance(value[1], str)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _list_representer)


@dataclass(frozen=True, slots=True)
class StatRow:
    """One place (document, essay, section) and how many changes of each kind it holds."""

    place: Place
    counts: tuple[tuple[str, int], ...]  # (kind, n) for the kinds present, in KINDS order

    @property
    def total(self) -> int:
        return sum(n for _k, n in self.counts)


def diff_stat(d: Diff) -> list[StatRow]:
    """Changes counted per section, in the order the diff lists them (``--stat``)."""
    order: list[Place] = []
    by_place: dict[Place, dict[str, int]] = {}
    for c in d.changes:
        if c.place not in by_place:
            order.append(c.place)
            by_place[c.place] = defaultdict(int)
        by_place[c.place][c.kind] += 1
    return [StatRow(p, tuple((k, by_place[p][k]) for k in KINDS if by_place[p].get(k))) for p in order]


def stat_dict(d: Diff) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generator": d.generator,
        "old": d.old_source,
        "new": d.new_source,
        "summary": d.summary(),
        "sections": [
            {"source": r.place[0], "essay": r.place[1], "section": r.place[2], "changes": r.total, **dict(r.counts)}
            for r in diff_stat(d)
        ],
    }


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~])")


def _md(text: str | None) -> str:
    """User text for Markdown: special characters escaped, line ends as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\r", "").replace("\n", " "))


def _md_place(place: Place) -> str:
    essay = f"《{_md(place[1])}》" if place[1] else "(untitled essay)"
    return essay + (f" › {_md(place[2])}" if place[2] else "")


def _md_inline(segments: Sequence[Segment]) -> str:
    out = []
    for seg in segments:
        t = _md(seg.text)
        if not t.strip():
            out.append(t)
        elif seg.op == "=":
            out.append(t)
        elif seg.op == "-":
            out.append(f"~~{t}~~")
        else:
            out.append(f"**{t}**")
    return "".join(out)


def figure_text(x: NumberChange) -> str:
    """``赤字率 3% → 4%左右`` (``—`` for a figure added or dropped)."""
    label = f"{x.label} " if x.label else ""
    return f"{label}{x.old or '—'} → {x.new or '—'}"


def _md_ref(r: Ref) -> str:
    what = f"`{r.id}`"
    if r.marker:
        what += f" {_md(r.marker)}"
    if r.line is not None:
        what += f" (line {r.line})"
    return what


def diff_markdown(d: Diff, stat: bool = False) -> str:
    """The diff as a Markdown report: summary table, then the changes per
    section, deletions ~~struck~~ and insertions **bold**."""
    lines = [f"# Diff: {_md(d.old_source)} → {_md(d.new_source)}", ""]
    counts = d.summary()
    if d.same:
        lines += [f"No changes ({d.unchanged} measures unchanged).", ""]
        return "\n".join(lines)
    lines += ["| kind | count |", "|---|---:|"]
    lines += [f"| {k} | {counts[k]} |" for k in KINDS if counts[k]]
    lines += [f"| unchanged | {d.unchanged} |", ""]
    if stat:
        lines += ["| document | section | changes | by kind |", "|---|---|---:|---|"]
        for r in diff_stat(d):
            kinds = ", ".join(f"{n} {k}" for k, n in r.counts)
            lines.append(f"| {_md(r.place[0])} | {_md_place(r.place)} | {r.total} | {kinds} |")
        lines.append("")
        return "\n".join(lines)
    place: Place | None = None
    single = len({c.place[0] for c in d.changes}) == 1
    for c in d.changes:
        if c.place != place:
            if place is not None:
                lines.append("")
            place = c.place
            named = single or place[0] == d.new_source or not place[0]
            title = _md_place(place) if named else f"{_md(place[0])}: {_md_place(place)}"
            lines += [f"## {title}", ""]
        head = f"- **{c.kind}**"
        if c.kind.startswith("essay-"):
            names = " → ".join(f"《{_md(r.essay)}》" if r.essay else "(untitled essay)" for r in (*c.old, *c.new))
            head += f" {names}"
        elif c.kind.startswith("section-"):
            names = " → ".join(dict.fromkeys(_md(r.section) for r in (*c.old, *c.new)))
            head += f" {names}"
        else:
            olds = " + ".join(_md_ref(r) for r in c.old)
            news = " + ".join(_md_ref(r) for r in c.new)
            head += " " + (olds if olds == news else " → ".join(x for x in (olds, news) if x))
        if c.similarity is not None and c.kind != "renumbered":
            head += f" ({c.similarity:.0%} alike)"
        lines.append(head)
        body = ""
        if c.inline and c.similarity is not None and c.similarity < 0.4 and c.old and c.new:
            body = f"~~{_md(c.old[0].text)}~~  \n  **{_md(c.new[0].text)}**"  # rewritten: both whole
        elif c.inline:
            body = _md_inline(c.inline)
        elif c.kind in ("added", "removed", "section-added", "section-removed", "essay-added", "essay-removed"):
            ref = (c.new or c.old)[0]
            body = _md(ref.text) if ref.text and not c.kind.startswith("essay-") else ""
        if body:
            lines.append(f"  {body}")
        if c.numbers:
            lines.append("  figures: " + "; ".join(_md(figure_text(x)) for x in c.numbers))
    lines.append("")
    return "\n".join(lines)


def dumps_diff(d: Diff, fmt: str = "yaml") -> str:
    """The diff as YAML, JSON or Markdown text (UTF-8 characters, keys in a fixed order)."""
    if fmt == "md":
        return diff_markdown(d)
    data = diff_dict(d)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown diff format {fmt!r}")
    out: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return out
