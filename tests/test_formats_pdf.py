"""PDF input (issue 9, the ``pdf`` extra): reading order, furniture, wraps, errors."""

from __future__ import annotations

import sys

import pytest

from guizhou_cli.errors import InputError
from guizhou_cli.formats import document_from_bytes, read_document
from guizhou_cli.model import iter_sections
from tests.cli_helpers import run
from tests.fixtures.formats.build import Para, encrypted_pdf, image_only_pdf, seed_paras, to_pdf

from .test_formats_markdown import measures, sections

pytest.importorskip("pdfminer", reason="the pdf extra reads PDFs")
pytest.importorskip("reportlab", reason="reportlab (the test extra) builds the PDF fixtures")


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, seed_text):
    return to_pdf(seed_paras(seed_text), tmp_path_factory.mktemp("pdf") / "seed-2col.pdf", columns=2)


def test_seed_in_two_columns_gives_the_same_32_measures(seed_pdf, seed_doc):
    doc = read_document(str(seed_pdf))
    assert len(measures(doc)) == 32
    assert measures(doc) == measures(seed_doc)
    assert sections(doc) == sections(seed_doc)
    assert doc.banner == seed_doc.banner
    assert [e.authors for e in doc.essays] == [e.authors for e in seed_doc.essays]


@pytest.mark.parametrize(("columns", "indent"), [(1, True), (1, False), (2, False)])
def test_other_layouts(tmp_path, seed_text, seed_doc, columns, indent):
    # one column; and "block" paragraphs set apart by space, not by an indent
    path = to_pdf(seed_paras(seed_text), tmp_path / "seed.pdf", header=None, columns=columns, indent=indent)
    doc = read_document(str(path))
    assert measures(doc) == measures(seed_doc)
    assert sections(doc) == sections(seed_doc)


def test_page_furniture_is_dropped_and_recorded(seed_pdf):
    doc = read_document(str(seed_pdf))
    everything = str(doc.essays) + str(doc.banner) + str(doc.furniture)
    assert "理论周刊" not in everything and "— 2 —" not in everything
    (furniture,) = [r for r in doc.repairs if r.kind == "page-furniture"]
    assert furniture.detail.startswith("dropped 10 page number/header/footer line(s): 贵州日报\u3000理论周刊、— 1 —")
    meta = dict(doc.meta)
    assert meta["format"] == "pdf" and meta["line_unit"] == "pdf line"
    assert len(meta["pages"].split()) == 5


def test_repairs_across_columns_and_pages(seed_pdf):
    doc = read_document(str(seed_pdf))
    kinds = {r.kind for r in doc.repairs}
    assert {"join-wrap", "join-column", "join-page", "page-furniture"} <= kinds
    # the seed's own damage is repaired as in the text: the same joins happen
    details = [r.detail for r in doc.repairs if r.kind == "join-column"]
    assert any("新质生" in d and "产力，要从实" in d for d in details)


def test_lines_are_pdf_lines_with_pages(seed_pdf):
    from guizhou_cli.readers.pdf import read_pdf

    reading = read_pdf(seed_pdf.read_bytes(), str(seed_pdf))
    lines = reading.text.split("\n")
    doc = read_document(str(seed_pdf))
    pages = [tuple(map(int, r.split("-"))) for r in dict(doc.meta)["pages"].split()]
    for m in [m for e in doc.essays for s in iter_sections(e.sections) for m in s.measures]:
        # the marker starts on its line (四 | 是 may be wrapped between two)
        assert reading.text[m.offset] == m.marker[0]
        assert m.marker in lines[m.line - 1] + lines[m.line]
        page = next(k for k, (a, b) in enumerate(pages, 1) if a <= m.line <= b)
        assert 1 <= page <= 5
        # each measure carries its page, for citing "p. 3"
        assert m.page == page
    secs = [s for e in doc.essays for s in iter_sections(e.sections)]
    assert all(s.page is not None for s in secs)
    assert [m.page for s in secs for m in s.measures] == sorted(m.page for s in secs for m in s.measures)


def test_bold_from_fake_bold_strokes(tmp_path):
    from guizhou_cli.readers.pdf import read_pdf

    paras = [
        Para("打造经济发展新引擎", "title"),
        Para("健全现代化的基础设施。一是加快推进大数据基础设施建设。二是系统布局建设创新基础设施。", bold=11),
        Para("充分释放数据要素价值。一是加大对数据要素的挖掘力度。二是充分保障数据使用安全。", bold=11),
    ]
    path = to_pdf(paras, tmp_path / "bold.pdf", header=None, page_numbers=False)
    reading = read_pdf(path.read_bytes(), str(path))
    hints = [(p.text[:6], p.bold_prefix) for p in reading.paragraphs]
    assert hints == [("打造经济发展", 0), ("健全现代化的", 11), ("充分释放数据", 11)]


@pytest.mark.parametrize("page_number", [False, True])
def test_image_only_pdf_needs_ocr(tmp_path, page_number):
    path = image_only_pdf(tmp_path / "scan.pdf", page_number)
    r = run("extract", str(path))
    assert r.code == 2
    assert r.err.strip() == f"guizhou: error: {path}: is an image-only (scanned) PDF with no text layer; it needs OCR first"


def test_encrypted_pdf(tmp_path):
    path = encrypted_pdf(tmp_path / "secret.pdf")
    r = run("extract", str(path))
    assert r.code == 2
    assert "is an encrypted PDF that needs a password" in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_truncated_pdf(tmp_path, seed_pdf):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(seed_pdf.read_bytes()[:3000])
    r = run("extract", str(cut))
    assert r.code == 2
    assert "damaged or incomplete PDF" in r.err or "damaged PDF" in r.err or "no text" in r.err


def test_a_pdf_by_any_name_is_read_as_pdf(tmp_path, seed_pdf, seed_doc):
    other = tmp_path / "download.txt"
    other.write_bytes(seed_pdf.read_bytes())
    doc = read_document(str(other))
    assert dict(doc.meta)["format"] == "pdf"
    assert measures(doc) == measures(seed_doc)


def test_without_the_extra(monkeypatch, seed_pdf):
    monkeypatch.setitem(sys.modules, "pdfminer", None)
    monkeypatch.setitem(sys.modules, "pdfminer.layout", None)
    with pytest.raises(InputError, match=r"needs the pdf extra: pip install 'guizhou-cli\[pdf\]'"):
        document_from_bytes(seed_pdf.read_bytes(), "seed.pdf")


def test_a_work_report_in_two_columns_gives_the_same_catalogue(tmp_path):
    # 2010: a heading wrapped onto a one-character line (战 | 略) next to an
    # indented one tempted the column cut; the catalogue must not change
    from guizhou_cli.normalise import normalise
    from guizhou_cli.paragraphs import split_paragraphs
    from tests.conftest import corpus_file

    from .test_formats_docx import outline

    txt = corpus_file("gwr-national-2010.txt")
    text_doc = read_document(str(txt))
    norm, _ = normalise(txt.read_text(encoding="utf-8"))
    path = to_pdf([Para(p.text) for p in split_paragraphs(norm, [])], tmp_path / "gwr-2010.pdf", columns=2)
    doc = read_document(str(path))
    assert outline(doc) == outline(text_doc)
    assert measures(doc) == measures(text_doc)
    assert sections(doc) == sections(text_doc)


def test_show_cites_the_page_of_a_pdf_measure(seed_pdf):
    r = run("show", "e3.s2.m1", str(seed_pdf), "-f", "table", "--no-color")
    assert r.code == 0, r.err
    assert "page " in r.out and "开展尾矿存储稳定性评价技术研究" in r.out
    r = run("show", "e3.s2.m1", str(seed_pdf), "-f", "json")
    assert '"page":' in r.out
