"""The same document as .txt, .md, .html, .docx and .pdf gives the same catalogue (issue 9)."""

from __future__ import annotations

import pytest

from guizhou_cli.formats import read_document
from tests.cli_helpers import run
from tests.fixtures.formats.build import Para, to_docx, to_html, to_markdown, to_pdf, to_text

from .test_formats_docx import outline
from .test_formats_markdown import measures, sections

PARAS = [
    Para("推进新型工业化的几点思考", "title"),
    Para("张　三 李　四", "byline"),
    Para(
        "新型工业化是推动高质量发展的关键。要坚持以实体经济为根基，加快构建以先进制造业为骨干的现代化产业体系，为中国式现代化提供坚实物质技术基础。"
    ),
    Para("一、总体要求", bold=6),
    Para("坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，统筹发展和安全，推动制造业高端化、智能化、绿色化发展。"),
    Para("二、重点任务", bold=6),
    Para(
        "（一）强化科技创新引领。一是加强基础研究，稳定支持一批重点实验室和新型研发机构。"
        "二是加快关键核心技术攻关，集中力量攻克一批“卡脖子”技术。三是促进科技成果转化。",
        bold=12,
    ),
    Para(
        "（二）推动产业转型升级。一是改造提升传统产业，实施大规模设备更新。二是培育壮大新兴产业，"
        "打造生物制造、商业航天、低空经济等新增长引擎。三是前瞻布局未来产业，开辟量子技术、生命科学等新赛道。",
        bold=12,
    ),
    Para("（三）提升数字化水平。第一，推进企业上云用数赋智。第二，建设工业互联网平台，推动5G规模化应用。", bold=11),
    Para("（作者单位：贵州大学经济学院）"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("same")
    (d / "a.txt").write_text(to_text(PARAS), encoding="utf-8")
    (d / "a.md").write_text(to_markdown(PARAS, "---\ntitle: 推进新型工业化的几点思考\n---\n"), encoding="utf-8")
    (d / "a.html").write_text(to_html(PARAS), encoding="utf-8")
    (d / "word.htm").write_bytes(to_html(PARAS, word=True).encode("gb18030"))
    pytest.importorskip("docx", reason="python-docx (the test extra) builds the .docx")
    to_docx(PARAS, d / "a.docx")
    out = {"txt": d / "a.txt", "md": d / "a.md", "html": d / "a.html", "word-html": d / "word.htm", "docx": d / "a.docx"}
    try:
        import pdfminer  # noqa: F401
        import reportlab  # noqa: F401
    except ImportError:
        return out
    out["pdf"] = to_pdf(PARAS, d / "a.pdf")
    out["pdf-2col"] = to_pdf(PARAS, d / "b.pdf", columns=2, size=9)
    return out


def test_the_text_itself(files):
    doc = read_document(str(files["txt"]))
    (essay,) = doc.essays
    assert essay.title == "推进新型工业化的几点思考"
    assert essay.affiliation == "贵州大学经济学院"
    assert [(m.marker, m.title[:6]) for m in (m for _, _, m in _all(doc))] == [
        ("一是", "加强基础研究"),
        ("二是", "加快关键核心"),
        ("三是", "促进科技成果"),
        ("一是", "改造提升传统"),
        ("二是", "培育壮大新兴"),
        ("三是", "前瞻布局未来"),
        ("第一", "推进企业上云"),
        ("第二", "建设工业互联"),
    ]


def _all(doc):
    from guizhou_cli.model import iter_sections

    return [(e, s, m) for e in doc.essays for s in iter_sections(e.sections) for m in s.measures]


@pytest.mark.parametrize("kind", ["md", "html", "word-html", "docx", "pdf", "pdf-2col"])
def test_every_format_gives_the_same_catalogue(files, kind):
    if kind not in files:
        pytest.skip("the pdf extra is not installed")
    text = read_document(str(files["txt"]))
    doc = read_document(str(files[kind]))
    assert measures(doc) == measures(text)
    assert sections(doc) == sections(text)
    assert outline(doc) == outline(text)
    assert doc.title == text.title
    assert [(e.authors, e.affiliation) for e in doc.essays] == [(e.authors, e.affiliation) for e in text.essays]


def test_a_directory_of_mixed_formats_on_the_command_line(files):
    paths = [str(p) for p in files.values()]
    r = run("extract", *paths, "-f", "json")
    assert r.code == 0, r.err
    for fmt in ("markdown", "html", "docx"):
        assert f'"format": "{fmt}"' in r.out
