"""One marker vocabulary: every number the Word reader writes, the marker parser reads back."""

from __future__ import annotations

import pytest

from guizhou_cli.markers import outline_marker
from guizhou_cli.normalise import fold
from guizhou_cli.readers.docx import format_number

# Word's numbering formats the readers turn into markers, and the separator a
# list level usually puts after the number (lvlText such as "%1、" or "（%1）")
CASES = [
    ("chineseCounting", "{}、", range(1, 31)),
    ("chineseCounting", "（{}）", range(1, 31)),
    ("decimal", "{}.", range(1, 51)),
    ("decimal", "（{}）", range(1, 51)),
    ("decimalEnclosedCircle", "{}", range(1, 51)),
    ("decimalEnclosedParen", "{}", range(1, 21)),
    ("decimalEnclosedFullstop", "{}", range(1, 21)),
    ("ideographEnclosedCircle", "{}", range(1, 11)),
    ("ideographTraditional", "{}、", range(1, 11)),
]


@pytest.mark.parametrize("fmt, pattern, numbers", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_every_number_the_docx_reader_writes_is_a_marker(fmt, pattern, numbers):
    for n in numbers:
        marker = pattern.format(format_number(n, fmt))
        m = outline_marker(fold(marker + "加强组织领导。"))
        assert m is not None and m.n == n, (fmt, n, marker)
