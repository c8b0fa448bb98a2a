"""The outline tree under construction: open sections and measures.

Mutable while the structure stage places paragraphs; frozen into the model's
``Section`` and ``Measure`` (``structure._freeze_*``) once the essay is done
and ``selection.select_measures`` has applied the definition of a measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ranks: an open section is closed by any new section of the same or smaller rank
# An appendix (附件1, 名词解释) closes everything: it stands outside the body's outline.
APPENDIX_RANK = -1
APPENDIX = "appendix"  # the family of an appendix section
UNNUMBERED_RANK = 100
# A heading set on a line of its own without a number (bold subheading in
# print): it nests inside numbered parts and holds run-in sections.
LINE_HEADING_RANK = 50
# 第一，… / 一是… used as headings on their own line: below （一）, above 1.
RUNIN_HEADING_RANK = 3.5


# slots: a large document has hundreds of thousands of these alive at once
# while it is built (no per-instance __dict__: a third of the size)
@dataclass(slots=True)
class OpenMeasure:
    n: int | None
    marker: str | None
    kind: str
    text: str
    line: int
    offset: int
    context: str | None = None
    flags: list[str] = field(default_factory=list)
    absorbing: bool = False  # a heading-only item takes the paragraphs below it
    family: str | None = None  # outline family of an item (arabic, circled …)


@dataclass(slots=True)
class OpenSection:
    heading: str | None
    marker: str | None
    family: str | None
    rank: float
    n: int | None
    line: int
    offset: int
    fragment: bool = False
    truncated: bool = False
    texts: list[str] = field(default_factory=list)
    measures: list[OpenMeasure] = field(default_factory=list)
    children: list[OpenSection] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    seq_family: str | None = None
    seq_last: int = 0
    dash_count: int = 0
    open_measure: OpenMeasure | None = None
    provisional: bool = False  # a lead block: kept only if an enumeration follows
    parent: OpenSection | None = None
    inline_body: bool = False  # the heading is a run-in sentence with body after it on its paragraph
    heading_line: bool = False  # the heading is a line without a sentence end (（一）重点课题)
