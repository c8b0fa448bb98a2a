"""HTML input (issue 9): the article body, paragraph breaks, bold and headings."""

from __future__ import annotations

from guizhou_cli.formats import document_from_bytes
from guizhou_cli.model import iter_sections
from guizhou_cli.readers.html import parse_html
from tests.fixtures.formats.build import seed_paras, to_html

from .test_formats_markdown import measures, sections

PAGE = """<!DOCTYPE html>
<html><head><title>打造经济发展新引擎 - 理论 - 贵州日报</title>
<meta name="PubDate" content="2024-03-13 08:00">
<meta name="ContentSource" content="贵州日报">
<link rel="canonical" href="https://example.com/theory/a.html">
<style>.bold{font-weight:bold}</style><script>document.write("<p>一是不是正文。</p>")</script></head>
<body><div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/news">要闻</a></li>
<li><a href="/t">理论</a></li></ul></div>
<div class="head"><h1>打造经济发展新引擎</h1><div class="info">来源：贵州日报　2024-03-13　字号：大 中 小</div></div>
<div id="zoom"><div class="TRS_Editor">
<p style="text-indent:2em"><span style="font-weight: bold">健全现代化的基础设施。</span>一是加快推进大数据基础设施建设。
二是系统布局建设创新基础设施。</p>
<p><span class="bold">充分释放数据要素价值。</span>一是加大对数据要素的挖掘力度&mdash;&mdash;加工与处理。
二是充分保障数据使用&#x5b89;全。</p>
<p><b>一是</b>完善科技创新体系。<b>二是</b>强化企业创新主体地位。</p>
<h3>营造良好的创新生态</h3>
<p>正文<span style="display:none">隐藏的文字</span>可见<!-- 注释里的文字 -->，零宽&#8203;字符去掉。</p>
</div></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="footer"><p>版权所有：某某网站。未经许可不得转载，违者必究。</p></div>
</body></html>
"""


def test_article_body_only():
    r = parse_html(PAGE)
    texts = [p.text for p in r.paragraphs]
    assert texts == [
        "打造经济发展新引擎",
        "健全现代化的基础设施。一是加快推进大数据基础设施建设。二是系统布局建设创新基础设施。",
        "充分释放数据要素价值。一是加大对数据要素的挖掘力度——加工与处理。二是充分保障数据使用安全。",
        "一是完善科技创新体系。二是强化企业创新主体地位。",
        "营造良好的创新生态",
        "正文可见，零宽字符去掉。",
    ]
    assert dict(r.meta) == {
        "format": "html",
        "title": "打造经济发展新引擎",
        "date": "2024-03-13",
        "url": "https://example.com/theory/a.html",
        "publication": "贵州日报",
    }


def test_bold_and_heading_signals():
    r = parse_html(PAGE)
    hints = [(p.text[:4], p.bold_prefix, p.heading_level) for p in r.paragraphs]
    assert hints == [
        ("打造经济", 9, 1),
        ("健全现代", 11, None),  # style="font-weight: bold"
        ("充分释放", 11, None),  # a CMS class meaning strong
        ("一是完善", 2, None),  # only the marker is bold
        ("营造良好", 9, 3),
        ("正文可见", 0, None),
    ]


def test_catalogue_of_the_page():
    doc = document_from_bytes(PAGE.encode("utf-8"), "page.html")
    assert doc.title == "打造经济发展新引擎"
    ms = [(s.heading, m.marker, m.title) for s in iter_sections(doc.essays[0].sections) for m in s.measures]
    assert ms[:4] == [
        ("健全现代化的基础设施", "一是", "加快推进大数据基础设施建设"),
        ("健全现代化的基础设施", "二是", "系统布局建设创新基础设施"),
        ("充分释放数据要素价值", "一是", "加大对数据要素的挖掘力度——加工与处理"),
        ("充分释放数据要素价值", "二是", "充分保障数据使用安全"),
    ]
    # lines and offsets point into the page's source
    lines = PAGE.split("\n")
    for s in iter_sections(doc.essays[0].sections):
        for m in s.measures:
            assert m.marker in lines[m.line - 1]
            assert PAGE[m.offset : m.offset + 2] == m.marker


def test_paragraph_breaks():
    r = parse_html(
        "<body><div>第一段。<div>第二段。</div>第三段。</div><p>第四段。<br>第五段。<br/><br/>第六段。"
        "<li>第七段。<li>第八段。</p><table><tr><td>项目</td><td>金额</td></tr></table></body>"
    )
    texts = [p.text for p in r.paragraphs]
    assert texts == ["第一段。", "第二段。", "第三段。", "第四段。", "第五段。", "第六段。", "第七段。", "第八段。", "项目 金额"]


def test_a_paragraph_broken_mid_sentence_is_joined_as_in_text():
    r = parse_html("<p>贵州认真贯彻落实重要指示精神，坚持以大数据为引领推进区域科技</p><p>创新战略，加快建设特色科技强省。</p>")
    (p,) = r.paragraphs
    assert p.text == "贵州认真贯彻落实重要指示精神，坚持以大数据为引领推进区域科技创新战略，加快建设特色科技强省。"
    assert [x.kind for x in r.repairs] == ["join-column"]


def test_whitespace_between_runs():
    # Word and CMS editors break source lines inside Chinese text: no space there;
    # a typed space between words stays one space
    r = parse_html("<p><span>健全现代化</span>\n<span>的基础设施。</span></p><p>培育新质生产力  服务“富矿精开”</p><p>5G\nIoT</p>")
    assert [p.text for p in r.paragraphs] == ["健全现代化的基础设施。", "培育新质生产力 服务“富矿精开”", "5G IoT"]


def test_word_exported_html_is_continuous_text(seed_text, seed_doc):
    data = to_html(seed_paras(seed_text), word=True).encode("gb18030")
    assert b"<span\r\nstyle=" in data
    doc = document_from_bytes(data, "seed.htm")
    assert doc.encoding == "gb18030"  # the page's charset=gb2312, read as its superset
    assert measures(doc) == measures(seed_doc)
    assert sections(doc) == sections(seed_doc)


def test_word_list_numbers_keep_their_text():
    r = parse_html(
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>一、"
        "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>总体要求</p>"
    )
    assert [p.text for p in r.paragraphs] == ["一、总体要求"]


def test_seed_as_html_gives_the_same_32_measures(seed_text, seed_doc):
    page = to_html(seed_paras(seed_text))
    doc = document_from_bytes(page.encode("utf-8"), "seed.html")
    assert len(measures(doc)) == 32
    assert measures(doc) == measures(seed_doc)
    assert sections(doc) == sections(seed_doc)
    assert doc.banner == seed_doc.banner
    everything = str(doc)
    for chrome in ("首页", "分享到", "相关阅读", "版权所有", "不是正文"):
        assert chrome not in everything


def test_a_page_saved_as_txt_is_read_as_html(tmp_path, seed_text, seed_doc):
    from tests.cli_helpers import run

    path = tmp_path / "page.txt"
    path.write_text(to_html(seed_paras(seed_text)), encoding="utf-8")
    r = run("extract", str(path), "-f", "json")
    assert r.code == 0, r.err
    assert '"format": "html"' in r.out
    assert "<p>" not in r.out


# ---------------------------------------------------------------- metadata and furniture (issue 12)

NEWS = """<!DOCTYPE html><html><head><title>关于推进重点工作的通知--通知公告-某市第一中学</title></head><body>
<div class="crumb">您的位置：<a href="/">首页</a>&gt;<a href="/n">通知公告</a></div>
<div class="main"><h2 class="title">关于推进重点工作的通知</h2>
<div class="property"><span>文章来源：教务处</span> <span>作者：张三、李四</span> <span>发布时间：2025年02月28日</span></div>
<p>一、加强就业服务。推进重点工作落实，确保取得实效。</p>
<p>二、推进科技创新。加快发展新质生产力，增强发展动能。</p>
<p>三、强化组织保障。压实各方责任，形成工作合力。</p>
<p>【打印本页】【关闭窗口】</p>
<p>（来源：求是）</p>
<p>相关链接&gt;&gt;</p>
</div><div>版权所有 某市第一中学 浙ICP备12345678号</div></body></html>"""


def test_page_metadata_from_headline_and_property_line():
    r = parse_html(NEWS)
    meta = dict(r.meta)
    assert meta == {
        "format": "html",
        "title": "关于推进重点工作的通知",  # the headline the <title> names, not the site's name
        "author": "张三、李四",
        "date": "2025-02-28",
        "publication": "教务处",  # the property line comes before the （来源：…） note
    }


def test_page_furniture_is_dropped_and_recorded():
    r = parse_html(NEWS)
    texts = [p.text for p in r.paragraphs]
    assert texts == [
        "关于推进重点工作的通知",  # the headline stands in the article: the text keeps it
        "一、加强就业服务。推进重点工作落实，确保取得实效。",
        "二、推进科技创新。加快发展新质生产力，增强发展动能。",
        "三、强化组织保障。压实各方责任，形成工作合力。",
    ]
    (rep,) = [x for x in r.repairs if x.kind == "page-furniture"]
    for shown in ("文章来源：教务处", "【打印本页】【关闭窗口】", "（来源：求是）", "相关链接>>"):
        assert shown in rep.detail


def test_article_byline_outranks_the_site_property_line():
    page = NEWS.replace("<p>一、加强", "<p>新华社评论员</p><p>一、加强")
    assert dict(parse_html(page).meta)["author"] == "新华社评论员"


def test_newspaper_byline_in_a_page():
    page = (
        "<html><body><h1>标题</h1><p>李合亮《人民日报》（2026年04月30日第 09 版）</p>"
        "<p>一是加强服务。二是推进工作。</p></body></html>"
    )
    r = parse_html(page)
    meta = dict(r.meta)
    assert (meta["author"], meta["publication"], meta["date"]) == ("李合亮", "人民日报", "2026-04-30")
    assert [p.text for p in r.paragraphs] == ["标题", "一是加强服务。二是推进工作。"]


def test_front_matter_before_a_page_saved_as_txt():
    page = "---\ntitle: 前置标题\nauthor: 王五\ndate: 2026-01-05\n---\n" + NEWS
    doc = document_from_bytes(page.encode(), "scrape.txt")
    meta = dict(doc.meta)
    assert meta["format"] == "html"
    assert (meta["title"], meta["author"], meta["date"]) == ("前置标题", "王五", "2026-01-05")
    # the front matter is metadata, never text
    texts = [t for e in doc.essays for t in (e.lead or "", *e.unplaced)]
    texts += [t for e in doc.essays for sec in iter_sections(e.sections) for t in (sec.text, *(m.text for m in sec.measures))]
    assert not any("author:" in t or "date:" in t for t in texts)


def test_posting_time_is_metadata_not_text():
    page = (
        "<html><body><h1>标题</h1><p>2026年02月10日 07时41分</p><p>一是加强服务。二是推进工作。</p>"
        "<p>2026年2月10日</p></body></html>"
    )
    r = parse_html(page)
    # the posting time is chrome; a document's own date (no time of day) stays
    assert [p.text for p in r.paragraphs] == ["标题", "一是加强服务。二是推进工作。", "2026年2月10日"]
    assert dict(r.meta)["date"] == "2026-02-10"
