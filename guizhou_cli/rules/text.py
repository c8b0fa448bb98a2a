"""Character classes and sentence splitting, shared by every rule family."""

from __future__ import annotations

import re

SENTENCE_END = re.compile("[。！？!?]")
COMMA = re.compile("[，,]")
CLAUSE = re.compile("[，,、]")
LINE_END = re.compile("[。！？!?；;：:]")
SEMI = re.compile("[；;]")
SPACES = re.compile(r"[\s\u3000\u2002\u2003]+")
# a lead-in clause ends with a colon: 重点抓好三个方面：
COLONS = ("：", ":")


def first_sentence(text: str) -> tuple[str, int]:
    """First sentence without its end mark, and the offset after the mark."""
    m = SENTENCE_END.search(text)
    if not m:
        return text, len(text)
    return text[: m.start()], m.end()


def is_single_sentence(text: str, max_len: int = 40) -> bool:
    """One short sentence at most (its end mark, if any, closes it)."""
    t = text.strip()
    return 0 < len(t) <= max_len and not SENTENCE_END.search(t[:-1])
