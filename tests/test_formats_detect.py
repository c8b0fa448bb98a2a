"""Which reader a file gets: content first, then extension (issue 9)."""

from __future__ import annotations

import pytest

from guizhou_cli.errors import InputError
from guizhou_cli.formats import detect_format, document_from_bytes, looks_like_markdown
from tests.cli_helpers import run
from tests.conftest import CORPUS, SEED

HTML = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>一是加快推进。</p></body></html>"
FRAGMENT = "<p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p>\n"
MD = "---\ntitle: 标题\n---\n\n正文。\n"


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("a.txt", "强化组织领导。一是建立机制。".encode(), "text"),
        ("a", "强化组织领导。".encode(), "text"),
        ("-", "强化组织领导。".encode("gb18030"), "text"),
        ("a.html", HTML.encode(), "html"),
        ("page.txt", HTML.encode(), "html"),  # a page's source saved as text
        ("page", FRAGMENT.encode(), "html"),
        ("-", HTML.encode("utf-16"), "html"),
        ("a.htm", "没有任何标记的文字。".encode(), "text"),  # named .htm, but plain text
        ("a.md", "正文。".encode(), "markdown"),
        ("notes.txt", MD.encode(), "markdown"),
        ("-", "# 标题\n\n## 一、总体要求\n\n正文。\n".encode(), "markdown"),
        ("a.pdf", b"%PDF-1.7\n...", "pdf"),
        ("scan.txt", b"%PDF-1.4\n...", "pdf"),
        ("a.docx", b"PK\x03\x04broken", "docx"),  # damaged: the .docx reader says so
    ],
)
def test_detect(name, data, fmt):
    assert detect_format(name, data) == fmt


def test_plain_chinese_text_is_never_markup():
    assert detect_format(str(SEED), SEED.read_bytes()) == "text"
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.txt")):
            assert detect_format(str(path), path.read_bytes()) == "text", path.name


def test_markdown_needs_strong_signals():
    assert not looks_like_markdown("一是加快推进。\n# 号不在行首不算\n二是**加粗**在中间。\n")
    assert looks_like_markdown("**健全现代化的基础设施。**一是…\n\n**充分释放数据要素价值。**一是…\n")


def test_text_files_parse_exactly_as_before(seed_doc):
    doc = document_from_bytes(SEED.read_bytes(), "seeds/000_6dfcd726ad4e1932.txt")
    assert doc == seed_doc
    assert doc.meta == ()  # no format key on text: catalogues of .txt are unchanged


def test_other_binaries_are_refused(tmp_path):
    import zipfile

    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    with pytest.raises(InputError, match=r"not a Word \.docx"):
        document_from_bytes(z.read_bytes(), str(z))
    with pytest.raises(InputError, match="is empty"):
        document_from_bytes(b"", "empty.pdf")
    r = run("extract", str(tmp_path / "a.zip"))
    assert r.code == 2 and r.err.count("\n") == 1


def test_html_on_stdin_of_the_library():
    doc = document_from_bytes(HTML.encode(), "-")
    assert dict(doc.meta)["format"] == "html"
    assert doc.essays[0].sections[0].measures[0].marker == "一是"


def test_the_readers_package_ships():
    # an explicit package list in pyproject.toml: a wheel without guizhou_cli.readers
    # would read text and fail on every other format
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"].get("packages")
    if isinstance(packages, list):
        assert "guizhou_cli.readers" in packages, "add guizhou_cli.readers to [tool.setuptools] packages"
