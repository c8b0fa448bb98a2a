"""The extraction rules, one module per rule family, each rule with a home.

The structure stage (``structure.py``) walks paragraphs and builds the outline;
every decision it makes about *what a paragraph is* comes from a rule here:

* ``text``        — character classes and sentence splitting shared by all rules;
* ``furniture``   — page furniture: salutations, web chrome, source and date
                    lines, page numbers, document numbers, licence footers;
* ``titles``      — titles, bylines, datelines, closing notes, container metadata;
* ``headings``    — run-in heading sentences, line headings, parallel form,
                    descriptive sentences that are not tasks;
* ``enumerations``— which run-in markers make a series (the marker vocabulary
                    itself is ``guizhou_cli/markers.py``);
* ``selection``   — the definition of a measure, applied once to the finished
                    outline tree (leaf paragraphs, headings, lead measures).
* ``layout``      — hard-wrapped text (PDF, e-paper and Word copies): its wrap
                    width, and which line ends continue a paragraph.

Each rule is registered as a :class:`Rule`: a name, what it recognises and why
(the convention it follows, or the documents where it applies), and positive
and negative examples that ``tests/test_rules.py`` runs. Limits are named
constants beside the rule that uses them. Adding a genre is a local change:
a rule and its examples in the module of its family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One extraction rule, with examples that a test runs."""

    name: str
    family: str  # furniture | titles | headings | enumerations | selection | layout
    summary: str  # what it recognises, and the convention it follows
    test: Callable[[str], object]  # truthy when the rule recognises the text
    accepts: tuple[str, ...] = ()
    rejects: tuple[str, ...] = ()


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, family by family."""
    from . import enumerations, furniture, headings, layout, selection, titles

    return (*layout.RULES, *furniture.RULES, *titles.RULES, *headings.RULES, *enumerations.RULES, *selection.RULES)
