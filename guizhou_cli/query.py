"""Finding things in a catalogue: filters, id look-up, search, counts.

Library code: no click, no rich. Commands call these and hand the results to
``render`` (terminal) or ``export`` (data formats).

Search ranks measures with BM25 over character bigrams. Chinese is written
without spaces, so a word segmenter would be the usual answer, but jieba costs
about a second to load and splits policy jargon inconsistently; bigrams need
no dictionary, match any substring of two or more characters, and BM25 keeps
common pairs (发展, 建设) from drowning rare ones (尾矿, 矿渣).
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from .errors import GuizhouError
from .model import Catalogue, Document, Essay, Measure, Repair, Section, iter_sections

T = TypeVar("T")


class QueryError(GuizhouError):
    """A look-up or filter the user gave cannot be used (unknown id, bad regex)."""


# ------------------------------------------------------------ located items


@dataclass(frozen=True, slots=True)
class Located:
    """One measure with everything above it: which document, essay, section."""

    doc_index: int  # position of the document in the catalogue, from 0
    doc: Document
    essay: Essay
    section: Section  # the innermost section holding the measure
    measure: Measure


def located_measures(cat: Catalogue) -> list[Located]:
    """Every measure of the catalogue in document order."""
    out: list[Located] = []
    for i, doc in enumerate(cat.documents):
        for essay in doc.essays:
            for section in iter_sections(essay.sections):
                for m in section.measures:
                    out.append(Located(i, doc, essay, section, m))
    return out


# ------------------------------------------------------------ documents


def document_stem(source: str) -> str:
    """``corpus/gwr-2026-jiangsu.txt`` → ``gwr-2026-jiangsu``: how a document is named in an id."""
    base = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    return stem or base or source


def document_labels(docs: Sequence[Document]) -> list[str]:
    """The name each document goes by in a qualified id (``LABEL:e1.s3.m2``).

    The file's stem when it names one document only and reads unambiguously
    (no ``:``, not all digits, which would be an index); otherwise the
    document's number, from 1.
    """
    return labels_of_sources([d.source for d in docs])


def labels_of_sources(sources: Sequence[str]) -> list[str]:
    """``document_labels`` from the documents' sources alone (a stream keeps only these)."""
    stems = [document_stem(s) for s in sources]
    counts = Counter(stems)
    out = []
    for i, st in enumerate(stems):
        ok = (
            st
            and counts[st] == 1
            and ":" not in st
            and not st.isdigit()
            and st.isprintable()
            and not any(c.isspace() for c in st)
        )
        out.append(st if ok else str(i + 1))
    return out


def document_matches(doc: Document, index: int, spec: str, label: str | None = None) -> bool:
    """``--document`` / the part of an id before ``:``: a number (from 1), the
    label, the file's stem, name or path, or part of its title."""
    s = spec.strip()
    if not s:
        return False
    if s.isdigit():
        return int(s) == index + 1
    base = doc.source.replace("\\", "/").rsplit("/", 1)[-1]
    f = fold(s)
    if any(f == fold(x) for x in (doc.source, base, document_stem(doc.source), label or "")):
        return True
    return bool(doc.title) and len(s) > 1 and f in fold(doc.title or "")


# ------------------------------------------------------------ matching helpers


def fold(text: str) -> str:
    """A copy of ``text`` for matching, one character for one character.

    NFKC and casefold are applied per character and kept only when they give
    a single character, so offsets in the folded copy are offsets in the
    original (NFKC would turn ㈠ into three characters and shift everything).
    """
    if text.isascii():
        return text.lower()  # casefold is lower() on ASCII
    if unicodedata.is_normalized("NFKC", text):
        quick = text.casefold()
        # casefold never shortens a character, so equal length means one for one
        if len(quick) == len(text):
            return quick
    # each distinct character folded once (Chinese text repeats few hundred of them)
    table = {}
    for ch in set(text):
        f = _fold_char(ch)
        if f != ch:
            table[ord(ch)] = f
    return text.translate(table) if table else text


@functools.lru_cache(maxsize=1 << 16)
def _fold_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch).casefold()
    return n if len(n) == 1 else ch


def shown(text: str) -> str:
    """User input for a message: as typed if printable, else escaped (never a raw escape sequence)."""
    return text if text.isprintable() else repr(text)


def _id_eq(a: str, b: str) -> bool:
    return a.casefold() == b.strip().casefold()


def essay_matches(essay: Essay, spec: str) -> bool:
    """``--essay``: an id (``e3``), a number (``3``), or part of the title or an author's name."""
    s = spec.strip()
    if not s:
        return False
    if _id_eq(essay.id, s):
        return True
    if s.isdigit():
        return essay.id == f"e{int(s)}"
    f = fold(s)
    if essay.title and f in fold(essay.title):
        return True
    return any(f == fold(a) or f in fold(a.replace(" ", "").replace("\u3000", "")) for a in essay.authors)


def section_matches(section: Section, spec: str) -> bool:
    """``--section``: an id (``e3.s2``, or ``s2`` in any essay), a number, a marker (``（一）``) or part of the heading."""
    s = spec.strip()
    if not s:
        return False
    if _id_eq(section.id, s):
        return True
    tail = section.id.split(".", 1)[1] if "." in section.id else section.id
    if _id_eq(tail, s):
        return True
    if s.isdigit():
        return tail == f"s{int(s)}"
    f = fold(s)
    if section.marker and f.rstrip("、.．") == fold(section.marker).rstrip("、.．"):
        return True
    return bool(section.heading) and f in fold(section.heading or "")


def compile_grep(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """The ``--grep`` regex, or a one-line error naming the problem."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise QueryError(f"--grep {pattern!r}: not a valid regular expression: {exc}") from None


def grep_matches(m: Measure, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(m.title) or pattern.search(m.text))


def _sections_under(sections: Iterable[Section], specs: Sequence[str]) -> set[int]:
    """ids (object ids) of every section that matches or sits under one that does."""
    chosen: set[int] = set()

    def walk(s: Section, inherited: bool) -> None:
        hit = inherited or any(section_matches(s, sp) for sp in specs)
        if hit:
            chosen.add(id(s))
        for c in s.sections:
            walk(c, hit)

    for s in sections:
        walk(s, False)
    return chosen


def term_ids(items: Sequence[Located], term: str) -> set[tuple[int, str]]:
    """Measures the keyword segmenter finds ``term`` in, as (document, measure id).

    The keywords module loads jieba, so it is imported only here, when
    ``--term`` is used.
    """
    try:
        from .keywords import measures_with_term
    except ImportError as exc:
        raise QueryError(f"--term needs the keywords module, which is not available: {exc}") from None
    out: set[tuple[int, str]] = set()
    by_doc: dict[int, list[Measure]] = {}
    for it in items:
        by_doc.setdefault(it.doc_index, []).append(it.measure)
    # measure ids are unique within a document only: ask per document
    for di, measures in by_doc.items():
        out.update((di, mid) for mid in measures_with_term(measures, term))
    return out


@dataclass(frozen=True, slots=True)
class Filters:
    """The ``list``/``search``/``stats`` filters; empty means everything. All given filters must match."""

    essays: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    grep: re.Pattern[str] | None = None
    term: str | None = None
    documents: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.essays or self.sections or self.grep or self.term or self.documents)

    def describe(self) -> str:
        """The filters as the user typed them, for messages."""
        parts = [f"--document {shown(d)}" for d in self.documents]
        parts += [f"--essay {shown(e)}" for e in self.essays]
        parts += [f"--section {shown(s)}" for s in self.sections]
        if self.grep is not None:
            parts.append(f"--grep {shown(self.grep.pattern)}")
        if self.term is not None:
            parts.append(f"--term {shown(self.term)}")
        return " ".join(parts)


def chosen_documents(cat: Catalogue, specs: Sequence[str]) -> set[int]:
    """Indexes of the documents ``--document`` picks (all when none given)."""
    if not specs:
        return set(range(len(cat.documents)))
    labels = document_labels(cat.documents)
    return {i for i, d in enumerate(cat.documents) if any(document_matches(d, i, sp, labels[i]) for sp in specs)}


def document_picked(doc: Document, index: int, specs: Sequence[str]) -> bool:
    """Whether ``--document`` picks this document (always when none given).

    Needs no labels: a label is the file's stem (matched as the stem) or the
    document's number (matched as the number), so one document at a time can
    be tested as it streams by, before the others are known.
    """
    return not specs or any(document_matches(doc, index, sp) for sp in specs)


def select(cat: Catalogue, filters: Filters = Filters()) -> list[Located]:  # frozen default: safe to share
    """The measures that pass every filter, in document order."""
    out: list[Located] = []
    for i, doc in enumerate(cat.documents):
        out += select_document(i, doc, filters)
    return out


def select_document(index: int, doc: Document, filters: Filters = Filters()) -> list[Located]:
    """``select`` on one document of a stream (``index``: its position, from 0)."""
    if not document_picked(doc, index, filters.documents):
        return []
    items = [
        Located(index, doc, essay, section, m)
        for essay in doc.essays
        for section in iter_sections(essay.sections)
        for m in section.measures
    ]
    if filters.essays:
        items = [it for it in items if any(essay_matches(it.essay, e) for e in filters.essays)]
    if filters.sections:
        chosen: set[int] = set()
        for essay in {id(it.essay): it.essay for it in items}.values():
            chosen |= _sections_under(essay.sections, filters.sections)
        items = [it for it in items if id(it.section) in chosen]
    if filters.grep is not None:
        pat = filters.grep
        items = [it for it in items if grep_matches(it.measure, pat)]
    if filters.term is not None and items:
        keep = term_ids(items, filters.term)
        items = [it for it in items if (it.doc_index, it.measure.id) in keep]
    return items


# ------------------------------------------------------------ list --sections


@dataclass(frozen=True, slots=True)
class Heading:
    """One section for ``list --sections``: where it stands and how many measures it holds."""

    doc_index: int
    doc: Document
    essay: Essay
    section: Section
    depth: int  # 1 = top level
    measures: int  # its own
    total: int  # with its subsections'


def headings(cat: Catalogue, filters: Filters = Filters()) -> list[Heading]:
    """The sections that pass the filters, in document order, with measure counts.

    ``--grep`` matches the heading (and the text) of the section itself.
    """
    out: list[Heading] = []
    for i, doc in enumerate(cat.documents):
        out += headings_of_document(i, doc, filters)
    return out


def headings_of_document(i: int, doc: Document, filters: Filters = Filters()) -> list[Heading]:
    """``headings`` of one document of a stream."""
    out: list[Heading] = []
    if not document_picked(doc, i, filters.documents):
        return out
    for essay in doc.essays:
        if filters.essays and not any(essay_matches(essay, e) for e in filters.essays):
            continue
        chosen = _sections_under(essay.sections, filters.sections) if filters.sections else None

        def walk(s: Section, depth: int, essay: Essay = essay, chosen: set[int] | None = chosen) -> None:
            if chosen is None or id(s) in chosen:
                if filters.grep is None or filters.grep.search(s.heading or "") or filters.grep.search(s.text):
                    total = sum(len(x.measures) for x in iter_sections((s,)))
                    out.append(Heading(i, doc, essay, s, depth, len(s.measures), total))
            for c in s.sections:
                walk(c, depth + 1)

        for s in essay.sections:
            walk(s, 1)
    return out


# ------------------------------------------------------------ show: id look-up

Kind = Literal["essay", "section", "measure"]


@dataclass(frozen=True, slots=True)
class Found:
    """One essay, section or measure with its provenance and flags."""

    kind: Kind
    doc_index: int
    doc: Document
    essay: Essay
    sections: tuple[Section, ...]  # outermost first; the last is the section shown or holding the measure
    measure: Measure | None
    lines: tuple[int, int]  # first and last source line the item covers (best estimate)
    flags: tuple[str, ...]
    repairs: tuple[Repair, ...]  # layout repairs on the item's lines

    @property
    def id(self) -> str:
        if self.measure is not None:
            return self.measure.id
        if self.sections:
            return self.sections[-1].id
        return self.essay.id

    @property
    def section(self) -> Section | None:
        return self.sections[-1] if self.sections else None


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    essay: Essay
    sections: tuple[Section, ...]
    measure: Measure | None
    start: int
    end_index: int  # index in the entry list of the first entry after this item's subtree


def _entries(doc: Document) -> list[_Entry]:
    """Essays, sections and measures of a document in reading order, with their subtree extents."""
    flat: list[tuple[Kind, Essay, tuple[Section, ...], Measure | None, int]] = []
    ends: list[int] = []

    def add(kind: Kind, essay: Essay, secs: tuple[Section, ...], m: Measure | None, line: int) -> int:
        flat.append((kind, essay, secs, m, line))
        ends.append(0)
        return len(flat) - 1

    def walk_section(essay: Essay, chain: tuple[Section, ...]) -> None:
        s = chain[-1]
        i = add("section", essay, chain, None, s.line)
        for m in s.measures:
            j = add("measure", essay, chain, m, m.line)
            ends[j] = j + 1
        for c in s.sections:
            walk_section(essay, (*chain, c))
        ends[i] = len(flat)

    for essay in doc.essays:
        first = essay.line if essay.line is not None else (essay.sections[0].line if essay.sections else 0)
        i = add("essay", essay, (), None, first)
        for s in essay.sections:
            walk_section(essay, (s,))
        ends[i] = len(flat)
    return [_Entry(k, e, secs, m, line, ends[i]) for i, (k, e, secs, m, line) in enumerate(flat)]


def _span(entries: list[_Entry], i: int, doc: Document) -> tuple[int, int]:
    """Lines an entry covers: up to the line before whatever follows its subtree.

    Measures of one paragraph share a line; the model keeps only start lines,
    so an item followed by another on its own line is given just that line.
    The document's last item runs to the last line any repair mentions.
    """
    e = entries[i]
    start = e.start
    j = e.end_index
    if j < len(entries):
        nxt = entries[j].start
        end = max(start, nxt - 1)
    else:
        ends = [start]
        for x in entries[i:j]:
            text = x.measure.text if x.measure else (x.sections[-1].text if x.kind == "section" else "")
            ends.append(x.start + text.count("\n"))
        ends += [ln for r in doc.repairs for ln in r.lines if ln >= start]
        end = max(ends)
    return start, end


def _touches(r: Repair, entries: list[_Entry], i: int, lines: tuple[int, int]) -> bool:
    """Whether a layout repair concerns an item, given the lines it covers.

    Several measures can share a line, so where the repair acts matters: a
    join acts at the end of its first line, so it touches the item running
    across that line end (not one that stops mid-line before it, nor one
    that starts on the joined line after it); a truncation acts at the end of
    its line; a lost start at the start of its line.
    """
    start, end = lines
    if not r.lines:
        return False
    first, last = min(r.lines), max(r.lines)
    j = entries[i].end_index
    ends_mid = j < len(entries) and entries[j].start == end
    starts_mid = i > 0 and entries[i - 1].start == start
    if r.kind.startswith("join") and first < last:
        return start < last and end >= first and not (ends_mid and end == first)
    if r.kind == "truncated":
        return start <= last <= end and not ends_mid
    if r.kind == "fragment":
        return start <= first <= end and not (starts_mid and start == first)
    if r.kind == "moved-lead":
        # the lead now belongs to the essay that follows it on the page
        if entries[i].kind != "essay":
            return False
        nxt = next((e for e in entries if e.kind == "essay" and e.start > first), None)
        return nxt is entries[i]
    return any(start <= ln <= end for ln in r.lines)


def _flags(entries: list[_Entry], i: int) -> tuple[str, ...]:
    e = entries[i]
    flags: list[str] = []
    if e.kind == "measure" and e.measure is not None:
        flags += e.measure.flags
        s = e.sections[-1]
        # the section's end was lost: its last measure is the one cut short
        if s.truncated and s.measures and s.measures[-1] is e.measure and not s.sections:
            flags.append("truncated")
    elif e.kind == "section":
        s = e.sections[-1]
        if s.fragment:
            flags.append("fragment")
        if s.truncated:
            flags.append("truncated")
        flags += s.flags
    else:
        for s in iter_sections(e.essay.sections):
            if s.fragment:
                flags.append(f"fragment:{s.id}")
            if s.truncated:
                flags.append(f"truncated:{s.id}")
        if e.essay.unplaced:
            flags.append("unplaced")
    return tuple(dict.fromkeys(flags))


def all_ids(cat: Catalogue) -> list[tuple[str, str]]:
    """Every id with a short description (for shell completion and suggestions)."""
    out: list[tuple[str, str]] = []
    multi = len(cat.documents) > 1
    labels = document_labels(cat.documents)
    for d, doc in enumerate(cat.documents):
        for e in _entries(doc):
            if e.kind == "essay":
                ident, desc = e.essay.id, e.essay.title or ""
            elif e.kind == "section":
                ident, desc = e.sections[-1].id, e.sections[-1].heading or "(fragment)"
            else:
                assert e.measure is not None
                ident, desc = e.measure.id, e.measure.title
            out.append((f"{labels[d]}:{ident}" if multi else ident, desc))
    return out


def find(cat: Catalogue, ref: str) -> Found:
    """Look up ``e3``, ``3``, ``e3.s2``, ``e3.s2.m1``; ``DOC:ID`` names the document
    (its number from 1, or its file's stem: ``gwr-2026-jiangsu:e1.s3.m2``)."""
    raw = ref.strip()
    doc_spec, sep, ident = raw.rpartition(":")
    if not sep:
        doc_spec, ident = "", raw
    ident = ident.strip()
    if ident.isdigit():
        ident = f"e{int(ident)}"
    labels = document_labels(cat.documents)
    docs = [(i, d) for i, d in enumerate(cat.documents) if not doc_spec or document_matches(d, i, doc_spec, labels[i])]
    if doc_spec and len(docs) > 1:
        exact = [(i, d) for i, d in docs if labels[i] == doc_spec.strip()]
        docs = exact or docs
    if doc_spec and not docs:
        names = ", ".join(labels[:10]) + (", …" if len(labels) > 10 else "")
        raise QueryError(f"{shown(ref)}: no document {shown(doc_spec)} is open (documents: {names})")
    hits: list[Found] = []
    for i, doc in docs:
        entries = _entries(doc)
        for k, e in enumerate(entries):
            eid = e.measure.id if e.measure else (e.sections[-1].id if e.sections else e.essay.id)
            if _id_eq(eid, ident):
                lines = _span(entries, k, doc)
                repairs = tuple(r for r in doc.repairs if _touches(r, entries, k, lines))
                hits.append(Found(e.kind, i, doc, e.essay, e.sections, e.measure, lines, _flags(entries, k), repairs))
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        where = ", ".join(f"{labels[h.doc_index]}:{h.id}" for h in hits[:10]) + (", …" if len(hits) > 10 else "")
        raise QueryError(f"{shown(ref)} is in {len(hits)} documents; name one: {where}")
    raise QueryError(f"{shown(ref)}: no essay, section or measure has this id{_suggest(cat, ident)}")


def _suggest(cat: Catalogue, ident: str) -> str:
    import difflib

    ids = [i.rpartition(":")[2] for i, _ in all_ids(cat)]
    close = difflib.get_close_matches(ident.casefold(), list(dict.fromkeys(ids)), n=3, cutoff=0.6)
    if close:
        return f" (did you mean {', '.join(close)}?)"
    if ids:
        return f" (ids look like {ids[0]}, {next((x for x in ids if x.count('.') == 2), ids[-1])})"
    return " (the catalogue is empty)"


# ------------------------------------------------------------ search

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_WORD = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Search tokens with their spans in ``text``: character unigrams and
    bigrams inside runs of Chinese characters, whole words for Latin letters
    and digits (``5G``, ``FAST``)."""
    f = fold(text)
    out: list[tuple[str, int, int]] = []
    for m in _CJK.finditer(f):
        run, a = m.group(0), m.start()
        for i, ch in enumerate(run):
            out.append((ch, a + i, a + i + 1))
            if i + 1 < len(run):
                out.append((run[i : i + 2], a + i, a + i + 2))
    for m in _WORD.finditer(f):
        out.append((m.group(0), m.start(), m.end()))
    return out


def query_tokens(query: str) -> list[str]:
    """What a query asks for: bigrams of each Chinese run (a single character
    when the run has one), and Latin words. Unigrams of longer runs are left
    out: 数据 should not match every measure with a 数 in it."""
    f = fold(query)
    out: list[str] = []
    for m in _CJK.finditer(f):
        run = m.group(0)
        out += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    out += _WORD.findall(f)
    return out


SearchKind = Literal["measure", "section", "lead"]
SEARCH_KINDS: tuple[SearchKind, ...] = ("measure", "section", "lead")


@dataclass(frozen=True, slots=True)
class Target:
    """One searchable piece of text: a measure, a section (heading and text) or an essay's lead."""

    kind: SearchKind
    doc_index: int
    doc: Document
    essay: Essay
    section: Section | None  # the section itself, or the one holding the measure; None for a lead
    measure: Measure | None
    id: str
    title: str  # the measure's title, the section's heading, the essay's title (for its lead)
    text: str
    line: int

    @classmethod
    def of_measure(cls, it: Located) -> Target:
        m = it.measure
        return cls("measure", it.doc_index, it.doc, it.essay, it.section, m, m.id, m.title, m.text, m.line)


def targets(cat: Catalogue, filters: Filters = Filters(), kinds: Sequence[str] = SEARCH_KINDS) -> list[Target]:
    """Everything ``search`` looks at, in document order: measures, sections, leads.

    Filters apply as in ``select``; an essay's lead belongs to no section, so
    ``--section`` leaves leads out.
    """
    out: list[Target] = []
    for i, doc in enumerate(cat.documents):
        out += document_targets(i, doc, filters, kinds)
    return out


def document_targets(i: int, doc: Document, filters: Filters = Filters(), kinds: Sequence[str] = SEARCH_KINDS) -> list[Target]:
    """``targets`` of one document of a stream."""
    out: list[Target] = []
    if not document_picked(doc, i, filters.documents):
        return out
    for essay in doc.essays:
        if filters.essays and not any(essay_matches(essay, e) for e in filters.essays):
            continue
        chosen = _sections_under(essay.sections, filters.sections) if filters.sections else None
        if "lead" in kinds and essay.lead and chosen is None:
            line = essay.line if essay.line is not None else (essay.sections[0].line if essay.sections else 0)
            out.append(Target("lead", i, doc, essay, None, None, essay.id, essay.title or "", essay.lead, line))
        for sec in iter_sections(essay.sections):
            if chosen is not None and id(sec) not in chosen:
                continue
            if "section" in kinds:
                out.append(Target("section", i, doc, essay, sec, None, sec.id, sec.heading or "", sec.text, sec.line))
            if "measure" in kinds:
                for m in sec.measures:
                    out.append(Target("measure", i, doc, essay, sec, m, m.id, m.title, m.text, m.line))
    if filters.grep is not None:
        pat = filters.grep
        out = [t for t in out if pat.search(t.title) or pat.search(t.text)]
    return out


@dataclass(frozen=True, slots=True)
class Hit:
    rank: int
    score: float
    item: Target
    snippet: str
    spans: tuple[tuple[int, int], ...]  # highlighted spans in ``snippet``

    @property
    def kind(self) -> SearchKind:
        return self.item.kind


K1 = 1.2
B = 0.75
TITLE_WEIGHT = 1  # a title term counts once more: the title is also the start of the text
PHRASE_BOOST = 1.5  # the query's characters appear together, as typed
SNIPPET_CHARS = 60


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What a query looks for: its tokens (with counts) and its phrases."""

    tokens: dict[str, int]
    phrases: tuple[str, ...]

    @classmethod
    def of(cls, query: str) -> SearchPlan:
        qtoks = query_tokens(query)
        if not qtoks:
            raise QueryError(f"search query {shown(query)} has no letters, digits or Chinese characters to look for")
        phrases = tuple(p for p in (fold(x) for x in re.split(r"\s+", query.strip())) if len(p) > 1)
        return cls(dict(Counter(qtoks)), phrases)

    def counts(self, title: str, text: str) -> tuple[dict[str, float], bool]:
        """Term frequencies (occurrences in the folded text, the title's counted
        once more) and whether every phrase occurs in the text."""
        ft, fl = fold(text), fold(title)
        tf = {t: float(ft.count(t) + TITLE_WEIGHT * fl.count(t)) for t in self.tokens}
        return tf, all(p in ft for p in self.phrases)


def bm25(
    plan: SearchPlan, rows: Sequence[tuple[dict[str, float], int, bool]], n: int | None = None, total: float | None = None
) -> list[tuple[float, int]]:
    """BM25 scores of ``rows`` (term frequencies, length, phrase present), best first;
    ties keep row order. Rows scoring 0 are left out.

    ``n`` and ``total`` (the sum of lengths, each at least 1) describe the
    whole collection when ``rows`` holds only the rows that contain a query
    token (the database finds those; the others would score 0).
    """
    if n is None:
        n = len(rows)
    if n == 0 or not rows:
        return []
    if total is None:
        total = sum(max(1, length) for _, length, _ in rows)
    avg = total / n
    df = {t: sum(1 for tf, _, _ in rows if tf.get(t)) for t in plan.tokens}
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in plan.tokens}
    scored: list[tuple[float, int]] = []
    for k, (tf, length, phrase) in enumerate(rows):
        s = 0.0
        norm = K1 * (1 - B + B * max(1, length) / avg)
        for t, qn in plan.tokens.items():
            f = tf.get(t, 0.0)
            if f:
                s += qn * idf[t] * f * (K1 + 1) / (f + norm)
        if s > 0:
            if plan.phrases and phrase:
                s *= PHRASE_BOOST
            scored.append((s, k))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return scored


def search(
    items: Sequence[Located | Target], query: str, limit: int | None = 10, snippet_chars: int = SNIPPET_CHARS
) -> list[Hit]:
    """Items ranked by BM25 relevance to ``query`` (over character bigrams); ties keep document order.

    ``items`` are measures (``select``) or any mix of measures, sections and
    leads (``targets``).
    """
    plan = SearchPlan.of(query)
    tgts = [x if isinstance(x, Target) else Target.of_measure(x) for x in items]
    counts = SearchCounts(plan)
    for t in tgts:
        counts.add(t)
    return [make_hit(rank, s, tgts[k], plan, snippet_chars) for rank, (s, k) in enumerate(counts.ranked(limit), 1)]


class SearchCounts:
    """What BM25 needs of each searchable unit, and nothing else.

    A unit's text is read once (``add``) and only its counts of the query's
    tokens are kept, in flat arrays, for the units holding any (the others
    score 0 and count only towards the collection's size and mean length).
    Scores are those of ``bm25`` over the same units, to the last bit: the
    same arithmetic in the same order.
    """

    def __init__(self, plan: SearchPlan) -> None:
        self.plan = plan
        self.n = 0  # units seen
        self.total = 0  # sum of their lengths, each at least 1
        self._ords = array("q")  # ordinal (from 0, in the order added) of each kept unit
        self._lens = array("q")
        self._phrase = bytearray()
        self._tf = {t: array("d") for t in plan.tokens}

    def add(self, t: Target) -> None:
        tf, phrase = self.plan.counts(t.title, t.text)
        k = self.n
        self.n += 1
        self.total += max(1, len(t.text))
        if any(tf.values()):
            self._ords.append(k)
            self._lens.append(len(t.text))
            self._phrase.append(1 if phrase else 0)
            for tok, f in tf.items():
                self._tf[tok].append(f)

    def ranked(self, limit: int | None = None) -> list[tuple[float, int]]:
        """(score, ordinal) of the best ``limit`` units (all when None or 0), best
        first; ties keep the order they were added in."""
        n, rows = self.n, len(self._ords)
        if n == 0 or rows == 0:
            return []
        plan = self.plan
        avg = self.total / n
        df = {t: sum(1 for f in self._tf[t] if f) for t in plan.tokens}
        idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in plan.tokens}
        toks = list(plan.tokens.items())

        def scores() -> Iterator[tuple[float, int]]:
            for r in range(rows):
                s = 0.0
                norm = K1 * (1 - B + B * max(1, self._lens[r]) / avg)
                for t, qn in toks:
                    f = self._tf[t][r]
                    if f:
                        s += qn * idf[t] * f * (K1 + 1) / (f + norm)
                if s > 0:
                    if plan.phrases and self._phrase[r]:
                        s *= PHRASE_BOOST
                    yield s, self._ords[r]

        def key(x: tuple[float, int]) -> tuple[float, int]:
            return -x[0], x[1]

        if limit:
            # a heap of the best ``limit``: memory follows the limit, not the hits
            return heapq.nsmallest(limit, scores(), key=key)
        return sorted(scores(), key=key)


def search_documents(
    open_documents: Callable[[], Iterable[Document]],
    query: str,
    filters: Filters = Filters(),
    kinds: Sequence[str] = SEARCH_KINDS,
    limit: int | None = 10,
    keep: Callable[[Hit, list[str]], T] | None = None,
    snippet_chars: int = SNIPPET_CHARS,
) -> tuple[list[T], list[str]]:
    """``search`` over a stream of documents in memory that follows one document.

    BM25 weighs a token by the number of units holding it, so nothing can be
    ranked before every unit was counted. Two passes over the documents:
    the first keeps only counts (``SearchCounts``) and the documents'
    sources (for their labels); the second builds the best hits, stopping
    after the last document holding one. ``open_documents`` must give the
    same documents each time it is called. ``keep`` turns each hit into what
    the caller holds on to (a row: then no document outlives its turn);
    without it the hits themselves are kept. Returns them, best first, and
    the documents' labels.
    """
    plan = SearchPlan.of(query)
    counts = SearchCounts(plan)
    sources: list[str] = []
    for i, doc in enumerate(open_documents()):
        sources.append(doc.source)
        for t in document_targets(i, doc, filters, kinds):
            counts.add(t)
    labels = labels_of_sources(sources)
    ranked = counts.ranked(limit)
    wanted = {k: (rank, s) for rank, (s, k) in enumerate(ranked, 1)}
    out: dict[int, T | Hit] = {}
    if wanted:
        last = max(wanted)
        k = 0
        docs = iter(open_documents())
        try:
            for i, doc in enumerate(docs):
                for t in document_targets(i, doc, filters, kinds):
                    if k in wanted:
                        rank, s = wanted[k]
                        hit = make_hit(rank, s, t, plan, snippet_chars)
                        out[rank] = keep(hit, labels) if keep is not None else hit
                    k += 1
                if k > last:
                    break
        finally:
            close = getattr(docs, "close", None)
            if close is not None:
                close()
    if len(out) != len(wanted):
        raise QueryError("the documents changed between the two passes of the search; run it again")
    return [out[r] for r in sorted(out)], labels  # type: ignore[misc]


def make_hit(rank: int, score: float, target: Target, plan: SearchPlan, snippet_chars: int = SNIPPET_CHARS) -> Hit:
    text = target.text or target.title
    snip, spans = snippet(text, set(plan.tokens), snippet_chars)
    return Hit(rank, score, target, snip, spans)


def snippet(text: str, wanted: set[str], width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The stretch of ``text`` (about ``width`` characters) holding the most
    distinct query tokens, with ``…`` where it was cut and the matched spans.

    Line breaks become spaces: a snippet is one line.
    """
    spans_all = sorted((a, b, t) for t, a, b in tokens(text) if t in wanted)
    flat = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if len(flat) <= width:
        a, b = 0, len(flat)
    elif not spans_all:
        a, b = 0, width
    else:
        best = (-1, -1, 0)
        for a0, _, _ in spans_all:
            start = max(0, min(a0 - width // 4, len(flat) - width))
            inside = [(x, y, t) for x, y, t in spans_all if x >= start and y <= start + width]
            key = (len({t for _, _, t in inside}), len(inside), -start)
            if key > best:
                best = key
        start = -best[2]
        a, b = start, start + width
    pre = "…" if a > 0 else ""
    post = "…" if b < len(flat) else ""
    shift = len(pre) - a
    merged: list[tuple[int, int]] = []
    for x, y, _ in spans_all:
        if x < a or y > b:
            continue
        if merged and x <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], y))
        else:
            merged.append((x, y))
    return pre + flat[a:b] + post, tuple((x + shift, y + shift) for x, y in merged)


# ------------------------------------------------------------ stats


@dataclass(frozen=True, slots=True)
class StatRow:
    """One line of ``stats``. ``level`` is document, essay, section or total."""

    level: str
    source: str | None
    id: str | None
    title: str | None
    depth: int  # nesting of a section (1 = top level); 0 otherwise
    sections: int  # sections within (for a section: its subsections)
    measures: int
    chars: int  # characters of the text (a section with its subsections)
    measure_chars: int  # characters inside measures
    unplaced: int = 0  # paragraphs the extractor could not place (essays, documents, total)


OwnCounts = Callable[[Section], tuple[int, int, int]]


def _own_counts(s: Section) -> tuple[int, int, int]:
    return len(s.measures), len(s.text), sum(len(m.text) for m in s.measures)


def _section_counts(s: Section, own: OwnCounts = _own_counts) -> tuple[int, int, int, int]:
    meas, chars, mchars = own(s)
    secs = 1
    for c in s.sections:
        a, b, c2, d = _section_counts(c, own)
        secs, meas, chars, mchars = secs + a, meas + b, chars + c2, mchars + d
    return secs, meas, chars, mchars


def stats(
    cat: Catalogue,
    essays: Sequence[str] = (),
    sections: Sequence[str] = (),
    documents: Sequence[str] = (),
    own: OwnCounts = _own_counts,
) -> list[StatRow]:
    """Counts per document, essay and section, with a total; filters as in ``select``.

    An essay's counts are those of its sections; with ``sections`` given,
    of the chosen sections only (a chosen section inside another chosen one
    is counted once). ``own`` gives a section's own measures, characters and
    characters in measures (the database gives them without the text).
    """
    counter = StatsCounter(essays, sections, documents, own)
    for di, doc in enumerate(cat.documents):
        counter.add(di, doc)
    return counter.rows()


class StatsCounter:
    """``stats`` over a stream of documents: each is counted as it comes and
    only its rows (counts, no text) and the running totals are kept."""

    def __init__(
        self,
        essays: Sequence[str] = (),
        sections: Sequence[str] = (),
        documents: Sequence[str] = (),
        own: OwnCounts = _own_counts,
    ) -> None:
        self.essays, self.sections, self.documents, self.own = tuple(essays), tuple(sections), tuple(documents), own
        self.seen = 0
        self._rows: list[StatRow] = []
        self._total = [0, 0, 0, 0]
        self._unplaced = 0

    def add(self, di: int, doc: Document) -> None:
        self.seen += 1
        if not document_picked(doc, di, self.documents):
            return
        doc_rows: list[StatRow] = []
        dtot = [0, 0, 0, 0]
        lost = 0
        for essay in doc.essays:
            if self.essays and not any(essay_matches(essay, e) for e in self.essays):
                continue
            chosen = _sections_under(essay.sections, self.sections) if self.sections else None
            sec_rows, etot = _essay_stats(doc, essay, chosen, self.own)
            if chosen is not None and not sec_rows:
                continue
            doc_rows.append(_row("essay", doc.source, essay.id, essay.title, etot, len(essay.unplaced)))
            lost += len(essay.unplaced)
            doc_rows += sec_rows
            dtot = [a + b for a, b in zip(dtot, etot, strict=True)]
        if doc_rows:
            # dropped again at the end when the catalogue turns out to hold one document
            self._rows.append(_row("document", doc.source, None, doc.title or doc.banner, dtot, lost))
        self._rows += doc_rows
        self._total = [a + b for a, b in zip(self._total, dtot, strict=True)]
        self._unplaced += lost

    def rows(self) -> list[StatRow]:
        """The rows so far, with the total; a document row only with several documents."""
        rows = self._rows if self.seen > 1 else [r for r in self._rows if r.level != "document"]
        return [*rows, _row("total", None, None, None, self._total, self._unplaced)]


def _row(level: str, source: str | None, id_: str | None, title: str | None, counts: list[int], unplaced: int) -> StatRow:
    """A document, essay or total row: counts are sections, measures, chars, measure chars."""
    sections, measures, chars, measure_chars = counts
    return StatRow(level, source, id_, title, 0, sections, measures, chars, measure_chars, unplaced)


def _essay_stats(doc: Document, essay: Essay, chosen: set[int] | None, own: OwnCounts) -> tuple[list[StatRow], list[int]]:
    rows: list[StatRow] = []
    etot = [0, 0, 0, 0]

    def walk(s: Section, depth: int, counted_above: bool) -> None:
        picked = chosen is None or id(s) in chosen
        if picked:
            c = _section_counts(s, own)
            # a section's own row counts the sections below it
            rows.append(StatRow("section", doc.source, s.id, s.heading, depth, c[0] - 1, *c[1:]))
            if not counted_above:
                for k in range(4):
                    etot[k] += c[k]
        for ch in s.sections:
            walk(ch, depth + 1, counted_above or picked)

    for s in essay.sections:
        walk(s, 1, False)
    return rows, etot
