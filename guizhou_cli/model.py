"""The catalogue model: small frozen dataclasses, no dicts.

Only ``catalogue.py`` turns these into dicts (and back). Every other stage
passes these objects around, so a typo in a field name is a type error, not a
silently missing key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA = "guizhou-catalogue/1"


@dataclass(frozen=True, slots=True)
class Keyword:
    term: str
    weight: float


@dataclass(frozen=True, slots=True)
class Measure:
    """One proposed measure: an enumerated item (一是…) or a lead item."""

    id: str
    n: int | None  # the ordinal the marker says; None for lead items
    marker: str | None  # 一是, 第一, （1）, ——, … or None for a lead item
    kind: str  # numbered | lead | dash | item
    title: str  # first sentence, without marker and final 。
    text: str  # whole text, without marker
    line: int  # 1-based line of the marker in the source
    offset: int  # character offset of the marker in the decoded source
    context: str | None = None  # lead-in ("重点抓好三个方面：") the items follow
    flags: tuple[str, ...] = ()  # gap, restart, duplicate, truncated, …
    keywords: tuple[Keyword, ...] | None = None
    page: int | None = None  # for paged sources (PDF): the page of ``line``


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: str | None
    marker: str | None  # 一、 （一） 第一章 … or None for a run-in heading
    n: int | None
    fragment: bool  # the section's start was lost
    truncated: bool  # the section's end was lost
    line: int
    offset: int
    text: str
    measures: tuple[Measure, ...] = ()
    sections: tuple[Section, ...] = ()
    flags: tuple[str, ...] = ()
    keywords: tuple[Keyword, ...] | None = None
    page: int | None = None  # for paged sources (PDF): the page of ``line``


@dataclass(frozen=True, slots=True)
class Essay:
    id: str
    title: str | None
    authors: tuple[str, ...]
    affiliation: str | None
    note: str | None
    lead: str | None
    line: int | None
    closing: str | None  # the closing note verbatim: （作者单位：…）
    byline: str | None = None  # the byline verbatim: 国务院总理　李　强
    sections: tuple[Section, ...] = ()
    unplaced: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Repair:
    """One layout repair, recorded the way ftfy records its fixes."""

    kind: str  # join-column | join-wrap | truncated | fragment | moved-lead | …
    lines: tuple[int, ...]
    detail: str


@dataclass(frozen=True, slots=True)
class Furniture:
    """A paragraph that is page furniture, not content: kept, never lost."""

    kind: str  # salutation | footer | source-note | …
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    source: str
    sha256: str
    encoding: str
    banner: str | None
    title: str | None
    dateline: str | None
    essays: tuple[Essay, ...]
    repairs: tuple[Repair, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Catalogue:
    generator: str
    documents: tuple[Document, ...] = field(default_factory=tuple)
    schema: str = SCHEMA


def iter_sections(sections: tuple[Section, ...]) -> list[Section]:
    """All sections, depth first, in document order."""
    out: list[Section] = []
    stack = list(reversed(sections))
    while stack:
        s = stack.pop()
        out.append(s)
        stack.extend(reversed(s.sections))
    return out


def iter_measures(
    catalogue: Catalogue,
) -> list[tuple[Document, Essay, Section, Measure]]:
    """Every measure with its document, essay and innermost section."""
    out: list[tuple[Document, Essay, Section, Measure]] = []
    for doc in catalogue.documents:
        for essay in doc.essays:
            for section in iter_sections(essay.sections):
                for m in section.measures:
                    out.append((doc, essay, section, m))
    return out
