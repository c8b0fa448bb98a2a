"""Markdown read line by line where markdown-it-py is missing (an install without its dependencies).

The line reader must find the blocks markdown-it-py finds on the Markdown our
users have: the same measures, sections and metadata, and a repair saying how
the file was read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guizhou_cli.formats import document_from_bytes
from guizhou_cli.model import Document
from guizhou_cli.readers import markdown
from tests.fixtures.formats.build import seed_paras, to_markdown
from tests.test_formats_markdown import DOC, measures, sections

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("GUIZHOU_EVAL", ROOT.parent / "shared" / "eval"))

MORE = """# 标题

> 引文一行
> 第二行

- 子弹一
- 子弹二

1. 推进改革。具体内容。
2. 扩大开放。具体内容。

| 项目 | 数量 |
|---|---|
| 重点课题 | 2 |

```
代码行
```

---

#二级标题没有空格
正文一段。第二句。
"""


def both(text: str, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Document, Document]:
    data = text.encode("utf-8")
    with_it = document_from_bytes(data, name)
    with monkeypatch.context() as m:
        m.setattr(markdown, "_parser", lambda: None)
        by_lines = document_from_bytes(data, name)
    return with_it, by_lines


def same(a: Document, b: Document) -> None:
    assert measures(b) == measures(a)
    assert sections(b) == sections(a)
    assert (b.title, b.banner, b.meta) == (a.title, a.banner, a.meta)
    # what was repaired, and where (a detail may name a neighbouring line differently)
    assert [(r.kind, r.lines) for r in b.repairs if r.kind != "markdown-lines"] == [(r.kind, r.lines) for r in a.repairs]
    assert "markdown-lines" in {r.kind for r in b.repairs}
    assert "markdown-lines" not in {r.kind for r in a.repairs}


@pytest.mark.parametrize("text", [DOC, MORE], ids=["front-matter", "blocks"])
def test_line_reading_finds_markdown_its_blocks(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    same(*both(text, "doc.md", monkeypatch))


def test_line_reading_of_the_seed(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    md = to_markdown(seed_paras(seed_text), front_matter="---\ntitle: 理论周刊\n---\n")
    a, b = both(md, "seed.md", monkeypatch)
    assert len(measures(b)) == 32
    same(a, b)


def test_line_reading_of_the_evaluation_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = sorted((EVAL / "docs").glob("*.md")) if (EVAL / "docs").is_dir() else []
    if not docs:
        pytest.skip(f"needs the evaluation set: {EVAL} not found (set GUIZHOU_EVAL)")
    for path in docs:
        same(*both(path.read_text(encoding="utf-8"), path.name, monkeypatch))
