"""A newspaper page in another house style than the seed: the rules are general."""

from __future__ import annotations

from pathlib import Path

from guizhou_cli import parse_file
from guizhou_cli.model import iter_sections

PAGE = Path(__file__).parent / "fixtures" / "page-theory.txt"


def test_other_house_style():
    d = parse_file(str(PAGE))
    assert d.banner == "理论周刊"
    e1, e2 = d.essays
    assert (e1.title, e1.authors, e1.affiliation) == ("以高质量发展推动乡村全面振兴", ("王明远",), "省委党校教授")
    assert (e2.title, e2.authors, e2.affiliation) == ("加快建设农业强国", ("赵丽华", "陈思"), "省农业科学院")
    # subheadings on lines of their own (bold in print) open sections
    assert [s.heading for s in e1.sections] == ["夯实粮食安全根基", "发展乡村特色产业", "提升乡村治理效能"]
    assert [m.marker for m in e1.sections[0].measures] == ["首先", "其次", "再次"]
    assert [m.marker for m in e1.sections[1].measures] == ["第一", "第二", "第三", "第四"]
    # the column break inside 增值收/益 is joined
    assert e1.sections[1].measures[3].title == "完善利益联结机制，让农民更多分享产业增值收益"
    assert e1.lead is not None and e1.lead.startswith("乡村振兴是全面建设")
    # run-in headings followed by 一要…
    assert [(s.heading, [m.marker for m in s.measures]) for s in e2.sections[:2]] == [
        ("强化科技支撑", ["一要", "二要", "三要"]),
        ("深化农村改革", ["一要", "二要"]),
    ]


def test_nothing_lost_on_the_other_page():
    import json
    import re

    from guizhou_cli.catalogue import dumps_catalogue
    from guizhou_cli.model import Catalogue

    d = parse_file(str(PAGE))
    blob = json.dumps(json.loads(dumps_catalogue(Catalogue("t", (d,)), "json")), ensure_ascii=False)
    for para in re.split(r"\n\s*\n", PAGE.read_text(encoding="utf-8")):
        para = para.strip(" \u3000\n")
        if para:
            assert para.replace("\u3000", " ") in blob.replace("\u3000", " ") or para in blob, para[:20]
    assert sum(len(s.measures) for e in d.essays for s in iter_sections(e.sections)) == 12


NOTICE = Path(__file__).parent / "fixtures" / "notice-official.txt"


def test_official_notice():
    d = parse_file(str(NOTICE))
    assert d.title == "贵州省人民政府办公厅关于加快推进数字经济高质量发展的实施意见"
    assert d.dateline is None  # a signature date is not a speech's dateline
    kinds = {f.kind: f.text for f in d.furniture}
    assert kinds["doc-number"] == "黔府办发〔2024〕12号"
    assert kinds["addressee"].startswith("各市、自治州人民政府")
    assert (kinds["signature"], kinds["date"]) == ("贵州省人民政府办公厅", "2024年3月1日")
    e = d.essays[0]
    assert e.lead is not None and e.lead.startswith("为深入贯彻落实")
    assert [(s.marker, s.heading) for s in e.sections] == [("一、", "总体要求"), ("二、", "重点任务"), ("三、", "保障措施")]
    tasks = e.sections[1].sections
    assert [(s.marker, s.heading, [m.title for m in s.measures]) for s in tasks] == [
        ("（一）", "夯实数字基础设施", ["加快算力网络建设", "完善网络基础设施"]),
        ("（二）", "推动产业数字化转型", ["实施“万企融合”行动", "培育工业互联网平台"]),
    ]
    # a note in brackets after the full stop does not make the paragraph truncated
    assert not any(r.kind == "truncated" for r in d.repairs)
    assert tasks[0].measures[0].text.endswith("（责任单位：省大数据局、省发展改革委）")
    # （一）（二） of 三、 hold no items: leaf paragraphs, measures with their
    # numbers under 三、 (the definition of a measure, rule 2)
    assert [(m.marker, m.n, m.title) for m in e.sections[2].measures] == [
        ("（一）", 1, "加强组织领导"),
        ("（二）", 2, "强化要素保障"),
    ]
    # the closing formula is not a measure
    assert not any("本意见" in m.title for s in iter_sections(e.sections) for m in s.measures)
    assert not e.unplaced


def test_plan_with_chapters_and_a_box():
    d = parse_file(str(Path(__file__).parent / "fixtures" / "plan-chapters.txt"))
    e = d.essays[0]
    assert d.title == "贵州省“十四五”数字经济发展规划"
    assert [(s.marker, s.heading) for s in e.sections] == [("第一章", "发展基础"), ("第二章", "总体要求"), ("第三章", "重点任务")]
    assert [s.marker for s in e.sections[1].sections] == ["第一节", "第二节"]
    items = [(m.marker, m.title) for s in iter_sections(e.sections) for m in s.measures]
    # 1．5G… is a list item (full-width point), not the number 1.5; 一、… and
    # （一）… paragraphs without items of their own are measures (rule 2), and
    # the box under 二、 stays a section of its own
    assert items == [
        ("一、", "加快5G网络建设"),
        ("二、", "建设数据中心集群"),
        ("1．", "5G网络覆盖工程"),
        ("2．", "数据中心提升工程"),
        ("（一）", "做大电子信息制造业"),
        ("（二）", "做强软件和信息技术服务业"),
    ]


def test_article_with_numbered_parts_and_run_in_headings():
    d = parse_file(str(Path(__file__).parent / "fixtures" / "article-parts.txt"))
    e = d.essays[0]
    assert (e.title, e.authors, e.affiliation) == ("深刻把握新质生产力的内涵与实践要求", ("张华",), "省社会科学院研究员")
    assert [s.heading for s in e.sections] == ["新质生产力的科学内涵", "加快形成新质生产力的实践路径", "结语"]
    paths = e.sections[1]
    assert [(s.heading, len(s.measures)) for s in paths.sections] == [("强化科技创新引领", 3), ("推进产业深度转型升级", 3)]
    assert [m.title for m in paths.measures] == ["深化体制机制改革"]
