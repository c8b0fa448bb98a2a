"""Lineage of measures across a series of versions (``guizhou history``).

Each consecutive pair of versions is matched exactly as ``diff`` matches two
catalogues (``measure_links``: documents, then measures by content, one to
one); the links are chained into *lineages*, one per measure followed through
the series: the versions it appears in, when it first appeared, and how its
wording and figures changed from one version to the next. A split continues
the lineage in its first piece (the others start lineages of their own, noted
as split from it); a merge continues the lineage of its first piece.

``term_history`` answers "when did 新质生产力 first appear, and in which
measures": the first version whose text (anywhere: headings, leads, measures)
holds the term, the versions that hold it, and the lineages carrying it.

No click, no rich; ``history_dict`` / ``dumps_history`` give the
``guizhou-history/1`` format.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from . import __version__
from .catalogue import SafeDumper
from .diff import DEFAULT_THRESHOLD, NumberChange, SideCache, measure_links, measure_pairs, number_changes
from .diff import normalise as _norm
from .model import Catalogue, Document, Section, iter_measures, iter_sections

SCHEMA = "guizhou-history/1"

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class Version:
    """One catalogue of the series: its label (the year in its name, else the name)."""

    label: str
    source: str
    catalogue: Catalogue


@dataclass(frozen=True, slots=True)
class Step:
    """A lineage in one version: the measure, and how it came from the version before."""

    version: str  # label
    source: str
    id: str
    essay: str | None
    section: str | None
    n: int | None
    marker: str | None
    title: str
    text: str
    change: str  # first | unchanged | renumbered | modified | moved | split | merged
    similarity: float | None  # to the step before (None for the first)
    numbers: tuple[NumberChange, ...] = ()
    origin: str | None = None  # for a lineage split from another: that lineage's id


@dataclass(frozen=True, slots=True)
class Lineage:
    id: str
    steps: tuple[Step, ...]

    @property
    def first(self) -> str:
        return self.steps[0].version

    @property
    def last(self) -> str:
        return self.steps[-1].version

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(s.version for s in self.steps)

    @property
    def title(self) -> str:
        return self.steps[-1].title

    @property
    def reworded(self) -> int:
        """How many times its wording changed (modified, moved with new words, split, merged)."""
        return sum(1 for s in self.steps[1:] if s.similarity is not None and s.similarity < 1.0)


@dataclass(frozen=True, slots=True)
class TermHistory:
    term: str
    first: str | None  # label of the first version holding the term
    versions: tuple[str, ...]  # every version holding it
    lineages: tuple[tuple[str, str], ...]  # (lineage id, first version whose measure holds it)
    sections: tuple[tuple[str, str], ...] = ()  # (version, heading) of sections whose heading holds it


@dataclass(frozen=True, slots=True)
class History:
    versions: tuple[tuple[str, str, int], ...]  # (label, source, measures)
    lineages: tuple[Lineage, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (source, why)
    term: TermHistory | None = None
    threshold: float = DEFAULT_THRESHOLD
    generator: str = field(default=f"guizhou-cli {__version__}")


# ------------------------------------------------------------------ versions


def version_label(source: str) -> str | None:
    """The year a source's file name carries (gwr-national-2024.txt → 2024), else None."""
    found = _YEAR.findall(os.path.basename(source))
    return found[-1] if found else None


def one_per_year(sources: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The sources to use, one per year (when every name has a year), and the
    copies left out: of two with the same year, an alternate copy (``-alt-``
    in its name) gives way to the other, else the later one given gives way to
    the earlier. Decided on names alone, before anything is parsed."""
    labels = [version_label(src) for src in sources]
    if not sources or not all(labels):
        return list(sources), []
    chosen: dict[str, int] = {}
    skipped: list[tuple[str, str]] = []
    for k, src in enumerate(sources):
        y = labels[k] or ""
        if y not in chosen:
            chosen[y] = k
            continue
        prev = chosen[y]
        if _is_alternate(sources[prev]) and not _is_alternate(src):
            skipped.append((sources[prev], f"another copy of {y} ({os.path.basename(src)}) is used"))
            chosen[y] = k
        else:
            skipped.append((src, f"another copy of {y} ({os.path.basename(sources[prev])}) is used"))
    keep = set(chosen.values())
    return [s for k, s in enumerate(sources) if k in keep], skipped


def order_versions(docs: Sequence[tuple[str, Catalogue]]) -> tuple[list[Version], list[tuple[str, str]]]:
    """Versions in the order of their years (when every one has a year; one
    per year, see ``one_per_year``), and the copies left out; without years
    the order given is kept and labels are file names."""
    kept, skipped = one_per_year([src for src, _c in docs])
    if docs and all(version_label(src) for src, _c in docs):
        by_source = dict(docs)
        out = sorted((Version(version_label(s) or "", s, by_source[s]) for s in kept), key=lambda v: v.label)
        return out, skipped
    names = [os.path.basename(src) or src for src, _c in docs]
    seen: dict[str, int] = {}
    out = []
    for (src, cat), name in zip(docs, names, strict=True):
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else f"{name}#{seen[name]}"
        out.append(Version(label, src, cat))
    return out, []


def _is_alternate(source: str) -> bool:
    return bool(re.search(r"(?:^|[-_.])alt(?:[-_.]|$)", os.path.basename(source).lower()))


def split_documents(cat: Catalogue, generator: str | None = None) -> list[tuple[str, Catalogue]]:
    """A catalogue of several documents as one version per document."""
    return [(d.source, Catalogue(generator or cat.generator, (d,))) for d in cat.documents]


# ------------------------------------------------------------------ lineage


def build_history(
    versions: Sequence[Version],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    term: str | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    gap: int = 1,
) -> History:
    """Follow every measure through the versions, in order.

    ``gap``: a measure missing from up to this many versions in a row (a
    report transcribed from a broadcast, a parser that missed a list) is
    looked for again, among what is left, in the versions after; 0 turns it off.
    """
    rows = [iter_measures(v.catalogue) for v in versions]
    cache = SideCache()
    owners: list[list[int]] = []  # lineage of each measure, per version
    steps: list[list[Step]] = []
    origin: dict[int, int] = {}
    for k, v in enumerate(versions):
        ms = rows[k]
        here: list[int] = [-1] * len(ms)
        if k:
            links = measure_links(versions[k - 1].catalogue, v.catalogue, threshold=threshold, cache=cache)
            prev_rows = rows[k - 1]
            continued: set[int] = set()
            for link in links:
                lin = owners[k - 1][link.old]
                if here[link.new] >= 0:
                    continue  # merged: the first piece's lineage carries on
                if lin in continued:
                    # split: a later piece starts a lineage of its own
                    new_lin = len(steps)
                    steps.append([])
                    origin[new_lin] = lin
                    here[link.new] = new_lin
                    steps[new_lin].append(_step(v, ms[link.new], "split", link.similarity, prev_rows[link.old][3].text))
                    continue
                continued.add(lin)
                here[link.new] = lin
                steps[lin].append(_step(v, ms[link.new], link.kind, link.similarity, prev_rows[link.old][3].text))
            for back in range(2, gap + 2):
                if k - back < 0:
                    break
                _bridge(versions, rows, owners, steps, here, k, k - back, threshold, cache)
        for j in range(len(ms)):
            if here[j] < 0:
                here[j] = len(steps)
                steps.append([_step(v, ms[j], "first", None, None)])
        owners.append(here)
        if k > gap + 1:
            cache.forget(versions[k - gap - 2].catalogue)  # no longer compared
    # lineages in order of first appearance, then of place in that version
    kept = [lin for lin in range(len(steps)) if steps[lin]]
    ids = {lin: f"L{n + 1}" for n, lin in enumerate(kept)}
    lineages = tuple(
        Lineage(ids[lin], tuple(_with_origin(st, ids.get(origin[lin])) if lin in origin else st for st in steps[lin]))
        for lin in kept
    )
    info = tuple((v.label, v.source, len(rows[k])) for k, v in enumerate(versions))
    th = term_history(term, versions, lineages) if term else None
    return History(info, lineages, tuple(skipped), th, threshold)


def _bridge(
    versions: Sequence[Version],
    rows: list[list[tuple[Document, Any, Any, Any]]],
    owners: list[list[int]],
    steps: list[list[Step]],
    here: list[int],
    k: int,
    back: int,
    threshold: float,
    cache: SideCache,
) -> None:
    """Continue lineages that ended in version ``back`` with measures of
    version ``k`` that have no lineage yet: the same pairing, on what is left."""
    label = versions[back].label
    ends = [i for i, lin in enumerate(owners[back]) if steps[lin] and steps[lin][-1].version == label]
    fresh = [j for j, lin in enumerate(here) if lin < 0]
    if not ends or not fresh:
        return
    old = _only(versions[back].catalogue, [rows[back][i][3] for i in ends])
    new = _only(versions[k].catalogue, [rows[k][j][3] for j in fresh])
    # across a gap only one-to-one pairs are trusted (no split, no merge)
    for a, b, sim in measure_pairs(old, new, threshold=threshold, cache=cache):
        i, j = ends[a], fresh[b]
        lin = owners[back][i]
        if here[j] >= 0 or steps[lin][-1].version != label:
            continue
        here[j] = lin
        before, after = rows[back][i], rows[k][j]
        same_place = _norm(before[2].heading) == _norm(after[2].heading)
        kind = "moved" if not same_place else ("unchanged" if sim >= 1.0 else "modified")
        steps[lin].append(_step(versions[k], after, kind, sim, before[3].text))


def _only(cat: Catalogue, keep: list[Any]) -> Catalogue:
    """The catalogue with only the given measures (the same objects), structure kept."""
    ids = {id(m) for m in keep}

    def prune(sections: tuple[Section, ...]) -> tuple[Section, ...]:
        return tuple(
            replace(s, measures=tuple(m for m in s.measures if id(m) in ids), sections=prune(s.sections)) for s in sections
        )

    docs = tuple(replace(d, essays=tuple(replace(e, sections=prune(e.sections)) for e in d.essays)) for d in cat.documents)
    return replace(cat, documents=docs)


def _with_origin(step: Step, origin: str | None) -> Step:
    if step.change != "split":
        return step
    return replace(step, origin=origin)


def _step(v: Version, row: tuple[Any, ...], change: str, sim: float | None, prev_text: str | None) -> Step:
    doc, essay, section, m = row
    numbers = number_changes(prev_text, m.text) if prev_text is not None and prev_text != m.text else ()
    return Step(v.label, doc.source, m.id, essay.title, section.heading, m.n, m.marker, m.title, m.text, change, sim, numbers)


# ------------------------------------------------------------------ terms


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def document_text(doc: Document) -> str:
    """All the words of a document the catalogue keeps: titles, leads,
    sections (their measures included), unplaced paragraphs."""
    parts: list[str | None] = [doc.banner, doc.title, doc.dateline]
    for e in doc.essays:
        parts += [e.title, e.lead, e.note, *e.unplaced]
        for s in iter_sections(e.sections):
            parts += [s.heading, s.text]
            parts += [m.text for m in s.measures if m.text not in s.text]
    return "\n".join(p for p in parts if p)


def term_history(term: str, versions: Sequence[Version], lineages: Sequence[Lineage]) -> TermHistory:
    """Where a term first appears (anywhere in a version's text) and which measures carry it."""
    t = _fold(term)
    holding = tuple(v.label for v in versions if any(t in _fold(document_text(d)) for d in v.catalogue.documents))
    carrying: list[tuple[str, str]] = []
    for lin in lineages:
        for st in lin.steps:
            if t in _fold(st.text):
                carrying.append((lin.id, st.version))
                break
    order = {v.label: k for k, v in enumerate(versions)}
    carrying.sort(key=lambda x: (order[x[1]], int(x[0][1:])))
    # a term often names a task in a heading (加快发展新质生产力) before any measure says it
    headings = tuple(
        (v.label, s.heading)
        for v in versions
        for d in v.catalogue.documents
        for e in d.essays
        for s in iter_sections(e.sections)
        if s.heading and t in _fold(s.heading)
    )
    return TermHistory(term, holding[0] if holding else None, holding, tuple(carrying), headings)


# ------------------------------------------------------------------ serialisation


def _numbers(ns: Sequence[NumberChange]) -> list[dict[str, Any]]:
    return [{"label": x.label or None, "old": x.old, "new": x.new} for x in ns]


def step_dict(s: Step) -> dict[str, Any]:
    d: dict[str, Any] = {
        "version": s.version,
        "source": s.source,
        "id": s.id,
        "essay": s.essay,
        "section": s.section,
        "n": s.n,
        "marker": s.marker,
        "change": s.change,
        "similarity": s.similarity,
    }
    if s.origin:
        d["split_from"] = s.origin
    if s.numbers:
        d["numbers"] = _numbers(s.numbers)
    d["title"] = s.title
    d["text"] = s.text
    return d


def lineage_dict(lin: Lineage) -> dict[str, Any]:
    return {
        "id": lin.id,
        "title": lin.title,
        "first": lin.first,
        "last": lin.last,
        "versions": list(lin.versions),
        "reworded": lin.reworded,
        "steps": [step_dict(s) for s in lin.steps],
    }


def history_dict(h: History, lineages: Sequence[Lineage] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "schema": SCHEMA,
        "generator": h.generator,
        "threshold": h.threshold,
        "versions": [{"label": lab, "source": src, "measures": n} for lab, src, n in h.versions],
    }
    if h.skipped:
        d["skipped"] = [{"source": s, "reason": r} for s, r in h.skipped]
    if h.term is not None:
        d["term"] = {
            "term": h.term.term,
            "first": h.term.first,
            "versions": list(h.term.versions),
            "measures": [{"lineage": i, "first": v} for i, v in h.term.lineages],
            "headings": [{"version": v, "heading": x} for v, x in h.term.sections],
        }
    d["lineages"] = [lineage_dict(x) for x in (h.lineages if lineages is None else lineages)]
    return d


def selected(h: History, *, min_versions: int = 1, limit: int | None = None, order: str = "first") -> list[Lineage]:
    """The lineages to show: with --term those carrying it, else all; seen in
    at least ``min_versions`` versions; sorted by first appearance (``first``),
    by how many versions they span (``versions``) or by how often they were
    reworded (``reworded``), ties in order of first appearance; at most ``limit``."""
    pool: Sequence[Lineage] = h.lineages
    if h.term is not None:
        by_id = {x.id: x for x in h.lineages}
        pool = [by_id[i] for i, _v in h.term.lineages]
    out = [x for x in pool if len(x.steps) >= min_versions]
    if order == "versions":
        out.sort(key=lambda x: -len(x.steps))
    elif order == "reworded":
        out.sort(key=lambda x: -x.reworded)
    elif order != "first":
        raise ValueError(f"unknown order {order!r}")
    return out[:limit] if limit is not None else out


def dumps_history(h: History, fmt: str = "yaml", lineages: Sequence[Lineage] | None = None) -> str:
    if fmt == "md":
        return history_markdown(h, lineages)
    data = history_dict(h, lineages)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown history format {fmt!r}")
    out: str = yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return out


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~])")


def _md(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\r", "").replace("\n", " "))


def span(lin: Lineage, order: Sequence[str]) -> str:
    """The versions a lineage appears in, as runs: 2019–2021, 2024."""
    pos = [order.index(v) for v in lin.versions]
    runs: list[tuple[int, int]] = []
    for p in pos:
        if runs and p == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return ", ".join(order[a] if a == b else f"{order[a]}–{order[b]}" for a, b in runs)


def figure_changes(lin: Lineage) -> list[str]:
    """``2025: 赤字率 3% → 4%左右`` for every figure that changed along the lineage."""
    out = []
    for s in lin.steps[1:]:
        for x in s.numbers:
            if x.old and x.new:
                label = f"{x.label} " if x.label else ""
                out.append(f"{s.version}: {label}{x.old} → {x.new}")
    return out


def history_markdown(h: History, lineages: Sequence[Lineage] | None = None) -> str:
    order = [lab for lab, _s, _n in h.versions]
    shown = h.lineages if lineages is None else lineages
    lines = [f"# History of {len(order)} versions: {_md(order[0]) if order else ''}–{_md(order[-1]) if order else ''}", ""]
    for src, why in h.skipped:
        lines.append(f"- skipped {_md(src)}: {_md(why)}")
    if h.skipped:
        lines.append("")
    if h.term is not None:
        t = h.term
        if t.first is None:
            lines += [f"**{_md(t.term)}** appears in none of the versions.", ""]
        else:
            lines += [
                f"**{_md(t.term)}** first appears in **{_md(t.first)}**; found in {len(t.versions)} of {len(order)} "
                f"versions ({', '.join(_md(v) for v in t.versions)}); carried by {len(t.lineages)} measure(s).",
                "",
            ]
            lines += [f"- heading in {_md(v)}: {_md(x)}" for v, x in t.sections]
            if t.sections:
                lines.append("")
    lines += ["| lineage | first | versions | reworded | measure (latest title) | figures |", "|---|---|---|---:|---|---|"]
    for lin in shown:
        figs = "; ".join(_md(f) for f in figure_changes(lin)[:6])
        lines.append(f"| {lin.id} | {_md(lin.first)} | {_md(span(lin, order))} | {lin.reworded} | {_md(lin.title)} | {figs} |")
    lines.append("")
    return "\n".join(lines)
