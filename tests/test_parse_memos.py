"""The parser's speed helpers give the answers of the plain code they replace.

Per-document memos (``pipeline.clear_caches``), the one-pass line blocks of
``split_paragraphs`` and the line index are checked against straightforward
versions of the same computation, on generated text with the spaces, blank
lines and full-width characters that make the fast paths branch.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guizhou_cli import parse_text
from guizhou_cli.markers import _runin_candidates, _runin_markers, outline_marker
from guizhou_cli.normalise import fold
from guizhou_cli.paragraphs import _SPACES, LineIndex, _blocks, ends_complete
from guizhou_cli.pipeline import clear_caches
from guizhou_cli.rules.headings import _first_sentence_size, heading_sentence

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None)

# lines built of what the fast paths test: spaces of every kind at either end,
# blank and space-only lines, sentence ends, full-width digits
_piece = st.sampled_from(["加强领导", "一是", "（一）", "１２．", " ", "\u3000", "\t", "。", "，", "”", "a", "1"])
_line = st.lists(_piece, max_size=6).map("".join)
_text = st.lists(_line, max_size=12).map("\n".join)


def _blocks_plainly(text: str) -> list[list[tuple[int, int, str, bool, bool]]]:
    """What ``_blocks`` makes, computed line by line as the parser once did."""
    blocks: list[list[tuple[int, int, str, bool, bool]]] = []
    cur: list[tuple[int, int, str, bool, bool]] = []
    pos = 0
    for no, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip(_SPACES)
        lead = len(raw) - len(raw.lstrip(_SPACES))
        if stripped:
            cur.append((no, pos + lead, stripped, raw != raw.rstrip(_SPACES), ends_complete(stripped)))
        elif cur:
            blocks.append(cur)
            cur = []
        pos += len(raw) + 1
    if cur:
        blocks.append(cur)
    return blocks


@FAST
@given(_text)
def test_blocks_are_the_non_blank_lines_grouped(text: str) -> None:
    got = [[(ln.no, ln.src, ln.text, ln.trailing_space, ln.complete) for ln in block] for block in _blocks(text)]
    assert got == _blocks_plainly(text)


@FAST
@given(_text)
def test_line_index_matches_counting_newlines(text: str) -> None:
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        assert index.line(offset) == text.count("\n", 0, offset) + 1


def test_line_index_of_edge_texts() -> None:
    for text in ("", "\n", "\n\n", "a\n", "\nb", "甲\n\n乙\n"):
        assert LineIndex(text)._starts == [0] + [m.end() for m in re.finditer("\n", text)]


@FAST
@given(_text, st.sampled_from([None, "shi", "arabic", "paren", "sequence"]), st.booleans(), st.booleans())
def test_memoised_answers_equal_fresh_ones(text: str, hint: str | None, commas: bool, copula: bool) -> None:
    folded = fold(text)
    warm = (_runin_markers(folded, hint), outline_marker(folded), heading_sentence(text, commas=commas, copula=copula))
    clear_caches()
    fresh = (_runin_markers(folded, hint), outline_marker(folded), heading_sentence(text, commas=commas, copula=copula))
    assert warm == fresh


def test_each_document_starts_with_empty_memos() -> None:
    text = "关于做好重点工作的通知\n\n一、加强组织领导\n\n着力推进重点工作。一是建立工作机制。二是压实各方责任。\n"
    parse_text(text)
    memos = (fold, outline_marker, _runin_markers, _runin_candidates, _first_sentence_size)
    assert all(m.cache_info().currsize > 0 for m in memos)
    clear_caches()
    assert all(m.cache_info().currsize == 0 for m in memos)
    # a second parse of the same text is made in full, not answered from the first:
    # it scans as many paragraphs as the first did
    first = parse_text(text)
    scans = _runin_candidates.cache_info().misses
    second = parse_text(text)
    assert first == second
    assert _runin_candidates.cache_info().misses == scans > 0


def test_outline_precheck_admits_every_pattern_start() -> None:
    """``outline_marker`` answers None at once when the first character is not in _OUTLINE_FIRST:
    no outline family may start with a character outside it (a family added to _OUTLINE
    with a new first character must be added there too)."""
    from guizhou_cli.markers import _OUTLINE, _OUTLINE_FIRST

    tails = ("一、加强", "1、加强", "）加强", "章 加强", "、加强", " 1）加强", "1.加强", "十章加强", "加强")
    outside = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000 and not _OUTLINE_FIRST.match(chr(cp))]
    for _family, rx in _OUTLINE:
        assert not [c for c in outside for tail in tails if rx.match(c + tail)]
