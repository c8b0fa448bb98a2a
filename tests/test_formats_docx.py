"""Word .docx input (issue 9): paragraphs, bold, headings and automatic numbering."""

from __future__ import annotations

import zipfile

import pytest

from guizhou_cli.formats import document_from_bytes, read_document
from guizhou_cli.model import iter_sections
from guizhou_cli.normalise import normalise
from guizhou_cli.paragraphs import split_paragraphs
from guizhou_cli.readers.docx import format_number, read_docx
from tests.cli_helpers import run
from tests.conftest import corpus_file
from tests.fixtures.formats.build import seed_paras, to_docx, to_docx_numbered

from .test_formats_markdown import measures, sections

docx = pytest.importorskip("docx", reason="python-docx (the test extra) builds the .docx fixtures")
from docx.oxml import parse_xml  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def outline(doc):
    def walk(secs, depth):
        for s in secs:
            yield (depth, s.marker, s.n, s.heading, len(s.measures), s.flags)
            yield from walk(s.sections, depth + 1)

    return [(e.title, *row) for e in doc.essays for row in walk(e.sections, 0)]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (21, "chineseCountingThousand", "二十一"),
        (101, "chineseCounting", "一百零一"),
        (110, "chineseCounting", "一百一十"),
        (11, "chineseLegalSimplified", "壹拾壹"),
        (3, "ideographTraditional", "丙"),
        (12, "ideographZodiac", "亥"),
        (10, "ideographDigital", "一〇"),
        (3, "decimalEnclosedCircle", "③"),
        (21, "decimalEnclosedCircleChinese", "㉑"),
        (3, "decimalEnclosedParen", "⑶"),
        (3, "decimalEnclosedFullstop", "⒊"),
        (2, "ideographEnclosedCircle", "㊁"),
        (12, "decimalFullWidth", "１２"),
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (28, "upperLetter", "BB"),
        (2, "lowerLetter", "b"),
        (7, "decimalZero", "07"),
        (5, "bullet", ""),
        (5, "someFutureFormat", "5"),
    ],
)
def test_number_formats(n, fmt, text):
    assert format_number(n, fmt) == text


def _numbered_docx(path, levels, paragraphs, nums=None, styles_xml=None):
    """A .docx with an abstract numbering of ``levels`` (fmt, text[, start]) and numbered paragraphs.

    ``paragraphs``: (text, ilvl, numId) with numId None for plain paragraphs.
    """
    d = docx.Document()
    numbering = d.part.numbering_part.element
    lv = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{spec[2] if len(spec) > 2 else 1}"/><w:numFmt w:val="{spec[0]}"/>'
        f'<w:lvlText w:val="{spec[1]}"/>{"<w:isLgl/>" if len(spec) > 3 else ""}</w:lvl>'
        for i, spec in enumerate(levels)
    )
    first_num = next((c for c in numbering if c.tag.endswith("}num")), None)
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="77">{lv}</w:abstractNum>')
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for num_id, override in (nums or {"70": ""}).items():
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="77"/>{override}</w:num>'))
    for text, ilvl, num_id in paragraphs:
        p = d.add_paragraph(text)
        if num_id is not None:
            num_pr = f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
            p._p.get_or_add_pPr().append(parse_xml(num_pr))
    d.save(str(path))
    return path


def test_numbering_levels_restarts_and_overrides(tmp_path):
    path = _numbered_docx(
        tmp_path / "n.docx",
        [
            ("chineseCounting", "%1、"),
            ("chineseCounting", "（%2）"),
            ("decimal", "%3."),
            ("decimal", "%1.%4"),
            ("decimal", "%1.%5", 1, "legal"),
        ],
        [
            ("总体要求", 0, "70"),
            ("主要目标", 1, "70"),
            ("重点任务", 1, "70"),
            ("工作任务", 0, "70"),
            ("扩大内需", 1, "70"),  # level 1 restarts after a level-0 paragraph
            ("促进消费。", 2, "70"),
            ("扩大投资。", 2, "70"),
            ("深化改革。", 3, "70"),  # %1.%4: another level's number, in its own format
            ("扩大开放。", 4, "70"),  # isLgl: every number in decimal
            ("不编号的段落。", 0, None),
            ("另一个实例接着编。", 0, "71"),  # a second w:num of the same list continues it
            ("从头开始编号。", 0, "72"),  # ... unless it overrides the start
            ("接着编号。", 0, "72"),
        ],
        nums={
            "70": "",
            "71": "",
            "72": '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>',
        },
    )
    r = read_docx(path.read_bytes(), str(path))
    assert [p.text for p in r.paragraphs] == [
        "一、总体要求",
        "（一）主要目标",
        "（二）重点任务",
        "二、工作任务",
        "（一）扩大内需",
        "1. 促进消费。",
        "2. 扩大投资。",
        "二.1 深化改革。",
        "2.1 扩大开放。",
        "不编号的段落。",
        "三、另一个实例接着编。",
        "一、从头开始编号。",
        "二、接着编号。",
    ]
    # provenance: a line is a paragraph (python-docx's template starts with none)
    assert [p.line for p in r.paragraphs] == list(range(1, 14))
    assert r.text.split("\n")[1] == "（一）主要目标"


def test_numbering_from_a_heading_style(tmp_path):
    # Word's multilevel lists linked to Heading 1/2: numPr sits in the styles
    d = docx.Document()
    numbering = d.part.numbering_part.element
    first_num = next(c for c in numbering if c.tag.endswith("}num"))
    first_num.addprevious(
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="78">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/>'
            '<w:pStyle w:val="Heading1"/><w:suff w:val="space"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%2节"/>'
            '<w:pStyle w:val="Heading2"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {W} w:numId="80"><w:abstractNumId w:val="78"/></w:num>'))
    styles = d.styles.element
    for sid in ("Heading1", "Heading2"):
        style = next(s for s in styles if s.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId") == sid)
        style.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}><w:numId w:val="80"/></w:numPr>'))
    d.add_heading("总则", level=1)
    d.add_heading("目标", level=2)
    d.add_paragraph("第一条正文。")
    d.add_heading("任务", level=1)
    path = tmp_path / "h.docx"
    d.save(str(path))
    r = read_docx(path.read_bytes(), str(path))
    assert [(p.text, p.heading_level) for p in r.paragraphs] == [
        ("第一章 总则", 1),
        ("第一节目标", 2),
        ("第一条正文。", None),
        ("第二章 任务", 1),
    ]


def test_bold_hidden_deleted_tables_and_breaks(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("健全现代化的基础设施。").bold = True
    p.add_run("一是加快推进。")
    p = d.add_paragraph()
    p.add_run("强化保障。", style="Strong")  # bold through the character style
    p.add_run("二是落实责任。")
    p = d.add_paragraph("可见")
    hidden = p.add_run("隐藏的")
    hidden.font.hidden = True
    p.add_run("文字。")
    deleted = f'<w:del {W} w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>删掉的</w:delText></w:r></w:del>'
    p._p.append(parse_xml(deleted))
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "单元格一。"
    table.cell(0, 1).text = "单元格二。"
    p = d.add_paragraph("第一行完整。")
    p.add_run().add_break()
    p.add_run("第二行也完整。")
    path = tmp_path / "b.docx"
    d.save(str(path))
    r = read_docx(path.read_bytes(), str(path))
    assert [(p.text, p.bold_prefix) for p in r.paragraphs] == [
        ("健全现代化的基础设施。一是加快推进。", 11),
        ("强化保障。二是落实责任。", 5),
        ("可见文字。", 0),
        ("单元格一。", 0),
        ("单元格二。", 0),
        ("第一行完整。", 0),
        ("第二行也完整。", 0),
    ]
    assert [p.line for p in r.paragraphs] == [1, 2, 3, 4, 5, 6, 6]


def test_seed_as_docx_gives_the_same_32_measures(tmp_path, seed_text, seed_doc):
    for styled in (True, False):  # titles as Heading styles, or plain centred paragraphs
        path = to_docx(seed_paras(seed_text), tmp_path / f"seed{styled}.docx", heading_styles=styled)
        doc = read_document(str(path))
        assert len(measures(doc)) == 32
        assert measures(doc) == measures(seed_doc)
        assert sections(doc) == sections(seed_doc)
        assert doc.banner == seed_doc.banner
        assert dict(doc.meta)["format"] == "docx"
        # a measure's line is the paragraph it is in
        paragraphs = [p.text for p in seed_paras(seed_text)]
        for s in iter_sections(doc.essays[3].sections):
            for m in s.measures:
                assert m.title in paragraphs[m.line - 1]


def test_work_report_with_word_numbering_gives_the_same_outline(tmp_path):
    txt = corpus_file("gwr-national-2024.txt")
    text_doc = read_document(str(txt))
    norm, _ = normalise(txt.read_text(encoding="utf-8"))
    path = to_docx_numbered([p.text for p in split_paragraphs(norm, [])], tmp_path / "gwr-2024.docx")
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "（一）" not in body and "三、" not in body  # the markers live in numbering.xml only
    assert "chineseCounting" in zipfile.ZipFile(path).read("word/numbering.xml").decode("utf-8")
    doc = read_document(str(path))
    assert outline(doc) == outline(text_doc)
    assert [s.marker for s in doc.essays[0].sections] == ["一、", "二、", "三、"]
    assert [c.marker for c in doc.essays[0].sections[2].sections] == [f"（{n}）" for n in "一二三四五六七八九十"]
    assert measures(doc) == measures(text_doc)


def test_truncated_docx_exits_2(tmp_path, seed_text):
    path = to_docx(seed_paras(seed_text), tmp_path / "seed.docx")
    cut = tmp_path / "cut.docx"
    cut.write_bytes(path.read_bytes()[:4000])
    r = run("extract", str(cut))
    assert r.code == 2
    assert r.err.strip() == f"guizhou: error: {cut}: is a damaged or truncated .docx (not a complete zip archive)"
    assert r.out == ""


def test_not_a_word_file(tmp_path):
    z = tmp_path / "book.docx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    r = run("extract", str(z))
    assert r.code == 2 and "not a Word .docx" in r.err
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    r = run("extract", str(old))
    assert r.code == 2 and "save it as" in r.err


def test_damaged_xml_and_dtd(tmp_path, seed_text):
    path = to_docx(seed_paras(seed_text)[:3], tmp_path / "a.docx")
    for name, body in (("bad", b"<w:document><w:body><w:p>"), ("dtd", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')):
        out = tmp_path / f"{name}.docx"
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, body if item.filename == "word/document.xml" else src.read(item))
        with pytest.raises(Exception) as exc:
            document_from_bytes(out.read_bytes(), str(out))
        assert type(exc.value).__name__ == "InputError"
        assert ("not well-formed" if name == "bad" else "DTD") in str(exc.value)
