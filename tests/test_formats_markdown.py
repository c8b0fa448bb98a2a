"""Markdown input (issue 9): front matter, headings, bold run-in headings, source quotes."""

from __future__ import annotations

from guizhou_cli.formats import document_from_bytes
from guizhou_cli.model import iter_sections
from guizhou_cli.readers.markdown import parse_markdown
from tests.fixtures.formats.build import seed_paras, to_markdown


def measures(doc):
    """Every measure, with what a reader cites (lines differ by format)."""
    return [
        (e.title, s.heading, m.marker, m.title, m.text, m.kind, m.flags)
        for e in doc.essays
        for s in iter_sections(e.sections)
        for m in s.measures
    ]


def sections(doc):
    return [
        (e.title, e.authors, e.lead, e.closing, s.heading, s.marker, s.text, s.fragment, s.truncated)
        for e in doc.essays
        for s in iter_sections(e.sections)
    ]


DOC = """---
title: 打造经济发展新引擎
date: 2024-03-13
url: https://example.com/a.html
author: [高杨, 刘亚楠]
tags: [理论]
---

# 打造经济发展新引擎

> 《贵州日报》（2024年03月13日 第 01 版）

高杨 刘亚楠

**健全现代化的基础设施。**一是加快推进*大数据*基础设施建设。深入实施“东数西算”工程。二是系统布局建设创新基础设施。

**充分释放数据要素价值。**一是加大对数据要素的[挖掘力度](https://example.com/x)。二是充分保障数据使用安全。

- 一是完善科技创新体系。
- 二是强化企业创新主体地位。
"""


def parse(text: str, name: str = "a.md"):
    return document_from_bytes(text.encode("utf-8"), name)


def test_front_matter_is_meta_not_content():
    doc = parse(DOC)
    meta = dict(doc.meta)
    assert meta == {
        "format": "markdown",
        "title": "打造经济发展新引擎",
        "date": "2024-03-13",
        "url": "https://example.com/a.html",
        "author": "高杨、刘亚楠",
        "publication": "贵州日报",
    }
    essay = doc.essays[0]
    everything = (essay.lead or "") + "".join(s.text for s in essay.sections) + "".join(essay.unplaced)
    for leaked in ("2024-03-13", "example.com", "第 01 版", "tags"):
        assert leaked not in everything
    assert not doc.furniture


def test_headings_bold_and_stripped_markup():
    doc = parse(DOC)
    (essay,) = doc.essays
    assert doc.title == essay.title == "打造经济发展新引擎"
    assert essay.authors == ("高杨", "刘亚楠")
    heads = [s.heading for s in essay.sections]
    assert heads[:2] == ["健全现代化的基础设施", "充分释放数据要素价值"]
    s1, s2 = essay.sections[:2]
    assert s1.text.startswith("健全现代化的基础设施。一是加快推进大数据基础设施建设。")  # no ** or *
    assert [m.title for m in s1.measures] == ["加快推进大数据基础设施建设", "系统布局建设创新基础设施"]
    # link text kept, URL dropped; "- " bullets stripped (the list goes on in the same section)
    assert [(m.marker, m.title) for m in s2.measures] == [
        ("一是", "加大对数据要素的挖掘力度"),
        ("二是", "充分保障数据使用安全"),
        ("一是", "完善科技创新体系"),
        ("二是", "强化企业创新主体地位"),
    ]


def test_lines_are_markdown_source_lines():
    doc = parse(DOC)
    lines = DOC.split("\n")
    for s in doc.essays[0].sections:
        for m in s.measures:
            assert m.marker in lines[m.line - 1]
            # the offset points at the marker in the decoded source
            assert DOC[m.offset : m.offset + len(m.marker)] == m.marker


def test_bold_prefix_counts_only_the_bold_run():
    r = parse_markdown("**健全现代化的基础设施。**一是加快推进。\n\n正文**加粗**不算。\n\n__强化保障。__一是落实。\n")
    assert [(p.text[:6], p.bold_prefix) for p in r.paragraphs] == [("健全现代化的", 11), ("正文加粗不算", 0), ("强化保障。一", 5)]


def test_bold_closing_after_cjk_punctuation():
    # CommonMark would not close ** between 。 and a Han character; Chinese writers mean bold
    r = parse_markdown("**以“数智融合”提质升级产业链。**充分发挥数据价值化的作用。\n")
    assert r.paragraphs[0].bold_prefix == len("以“数智融合”提质升级产业链。")
    assert r.paragraphs[0].text.startswith("以“数智融合”提质升级产业链。充分")


def test_heading_levels_and_setext():
    r = parse_markdown("政府工作报告\n======\n\n## 一、总体要求\n\n正文。\n\n### 重点任务 ###\n")
    assert [(p.text, p.heading_level) for p in r.paragraphs] == [
        ("政府工作报告", 1),
        ("一、总体要求", 2),
        ("正文。", None),
        ("重点任务", 3),
    ]


def test_inline_syntax_is_stripped_with_a_source_map():
    src = "前言`代码`、~~删除~~、![图](a.png)、&amp;、\\*星号\\*、<span>标签</span>、[^1]完。\n"
    r = parse_markdown(src)
    (p,) = r.paragraphs
    assert p.text == "前言代码、删除、、&、*星号*、标签、完。"
    for i, ch in enumerate(p.text):
        o = p.src_offset(i)
        assert src[o] == ch or (ch == "&" and src[o : o + 5] == "&amp;")


def test_ordered_numbers_stay_as_markers():
    doc = parse("标题\n\n主要任务：\n\n1. 加快推进基础设施建设。\n2. 系统布局创新平台。\n")
    ms = [m for s in iter_sections(doc.essays[0].sections) for m in s.measures]
    assert [(m.marker, m.title) for m in ms] == [("1.", "加快推进基础设施建设"), ("2.", "系统布局创新平台")]


def test_quote_that_is_not_a_source_stays_content():
    r = parse_markdown("> 习近平总书记强调，要加快形成新质生产力。\n\n> 来源：《人民日报》2024年3月13日\n")
    assert [p.text for p in r.paragraphs] == ["习近平总书记强调，要加快形成新质生产力。"]
    # the publication's name, without 《》; the date in ISO form
    assert dict(r.meta)["publication"] == "人民日报"
    assert dict(r.meta)["date"] == "2024-03-13"


def test_one_paragraph_per_line_without_blank_lines():
    # Chinese Markdown saved from text: the plain-text wrap rules apply
    r = parse_markdown("# 标题\n第一段完整。\n第二段也完整。\n\n一段被硬换行\n断开成了三行\n的一个句子。\n")
    assert [p.text for p in r.paragraphs] == ["标题", "第一段完整。", "第二段也完整。", "一段被硬换行断开成了三行的一个句子。"]
    assert [(x.kind, x.lines) for x in r.repairs] == [("join-wrap", (5, 6, 7))]


def test_not_front_matter_when_rules_surround_text():
    r = parse_markdown("---\n正文第一段。\n---\n正文第二段。\n")
    assert [p.text for p in r.paragraphs] == ["正文第一段。", "正文第二段。"]
    assert dict(r.meta) == {"format": "markdown"}


def test_seed_as_markdown_gives_the_same_32_measures(seed_text, seed_doc):
    md = to_markdown(seed_paras(seed_text), front_matter="---\ntitle: 理论周刊\n---\n")
    assert "**健全现代化的基础设施。**一是" in md
    doc = parse(md, "seed.md")
    assert len(measures(doc)) == 32
    assert measures(doc) == measures(seed_doc)
    assert sections(doc) == sections(seed_doc)
    assert doc.banner == seed_doc.banner
    assert sorted(r.kind for r in doc.repairs) == sorted(r.kind for r in seed_doc.repairs)


def test_byline_and_first_heading_are_metadata():
    r = parse_markdown(
        "# 以新质生产力推动高质量发展\n\n"
        "> 本报记者  廖文根  张  烁《人民日报》（2023年01月01日 第 01 版）\n\n一是加强科技创新。\n"
    )
    assert dict(r.meta) == {
        "format": "markdown",
        "title": "以新质生产力推动高质量发展",
        "author": "廖文根、张烁",
        "date": "2023-01-01",
        "publication": "人民日报",
    }
    assert [p.text for p in r.paragraphs] == ["以新质生产力推动高质量发展", "一是加强科技创新。"]


def test_front_matter_wins_over_the_byline_and_heading():
    src = (
        "---\ntitle: 前置标题\nauthor: [甲, 乙]\ndate: 2026-04-30\n---\n\n# 正文标题\n\n"
        "李合亮《人民日报》（2026年04月30日第 09 版）\n\n正文。\n"
    )
    meta = dict(parse_markdown(src).meta)
    assert (meta["title"], meta["author"], meta["publication"]) == ("前置标题", "甲、乙", "人民日报")


def test_cjk_heading_without_space_and_indented_text():
    r = parse_markdown("#标题\n\n    缩进的段落，不是代码。\n")
    assert [(p.text, p.heading_level) for p in r.paragraphs] == [("标题", 1), ("缩进的段落，不是代码。", None)]
