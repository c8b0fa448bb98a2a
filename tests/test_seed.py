"""The seed page's anatomy, as a careful reader finds it (issue: extract)."""

from __future__ import annotations

import re

from guizhou_cli.model import iter_sections

TITLES = [
    "以创新激活数字生产力赋能高质量发展",
    "强化科技引领加快培育新质生产力",
    "培育新质生产力 服务“富矿精开”",
    "打造经济发展新引擎",
]


def measures(essay):
    return [m for s in iter_sections(essay.sections) for m in s.measures]


def test_banner_and_four_essays(seed_doc):
    assert seed_doc.banner == "新时代 新征程 新伟业"
    assert [e.title for e in seed_doc.essays] == TITLES
    assert [e.id for e in seed_doc.essays] == ["e1", "e2", "e3", "e4"]


def test_six_authors(seed_doc):
    assert [list(e.authors) for e in seed_doc.essays] == [["黄朝林"], ["李家凯"], ["赵岩", "刘松"], ["高杨", "刘亚楠"]]


def test_three_affiliations_and_notes(seed_doc):
    e1, e2, e3, e4 = seed_doc.essays
    assert e1.affiliation is None
    assert e2.affiliation == "贵州绿色发展高端智库特聘研究员"
    assert e3.affiliation == "贵州理工学院"
    assert e4.affiliation == "牡丹江师范学院、湖北大学公共管理学院"
    assert e2.note == "本文为省教育厅高校人文社科基地项目[23ZGXRWJD1726]的阶段性成果"
    assert e3.note is None
    assert e4.note == "本文系国家自然科学基金重大项目[22ZDA064]阶段性成果"


def test_section_counts(seed_doc):
    counts = [len(e.sections) for e in seed_doc.essays]
    # e3 holds a lost-start fragment besides its five headed sections
    assert counts == [4, 5, 6, 4]
    assert all(not measures(e) for e in seed_doc.essays[:2])


def test_thirty_two_measures_in_nine_sections(seed_doc):
    with_measures = [s for e in seed_doc.essays for s in iter_sections(e.sections) if s.measures]
    assert len(with_measures) == 9
    assert sum(len(s.measures) for s in with_measures) == 32
    assert [len(s.measures) for s in with_measures] == [4, 4, 4, 4, 4, 3, 3, 3, 3]
    for s in with_measures:
        assert [m.n for m in s.measures] == list(range(1, len(s.measures) + 1))
        assert [m.marker for m in s.measures] == ["一是", "二是", "三是", "四是"][: len(s.measures)]
        assert all(not m.flags for m in s.measures)


def test_headings(seed_doc):
    e1, e2, e3, e4 = seed_doc.essays
    assert [s.heading for s in e1.sections] == [
        "数字经济支撑、数字技术赋能新质生产力",
        "数字经济支撑、数字技术赋能新型工业化",
        "数字经济支撑、数字技术赋能新型城镇化",
        "数字经济支撑、数字技术赋能农业现代化",
    ]
    assert [s.heading for s in e2.sections][1:] == [
        "以“数智融合”提质升级产业链",
        "以“科技入黔”拓展延伸产业链",
        "以“产业入黔”补齐补平产业链",
        "以“专精特新”自主发展产业链",
    ]
    assert [s.heading for s in e3.sections][1:] == [
        "以资源环境学科群服务尾矿回用",
        "以多学科交叉融合服务矿渣多用",
        "强化工程教育，打造“新工科”人才高地",
        "打造高水平的科技创新人才队伍",
        "大力推进成果转化应用",
    ]
    assert [s.heading for s in e4.sections] == [
        "健全现代化的基础设施",
        "充分释放数据要素价值",
        "打造现代化的产业体系",
        "营造良好的创新生态",
    ]


def test_two_lost_start_fragments(seed_doc):
    frags = [s for e in seed_doc.essays for s in e.sections if s.fragment]
    assert len(frags) == 2
    assert all(s.heading is None for s in frags)
    assert frags[0].text.startswith("程机械等领域")
    assert frags[1].text.startswith("警系统。")
    assert [s.line for s in frags] == [33, 53]


def test_one_truncated_ending_not_glued_to_a_title(seed_doc):
    trunc = [s for e in seed_doc.essays for s in e.sections if s.truncated]
    assert len(trunc) == 1
    assert trunc[0].text.endswith("开展农业自然灾害预报预")
    assert "强化科技引领" not in trunc[0].text
    assert [r for r in seed_doc.repairs if r.kind == "truncated"] and len(
        [r for r in seed_doc.repairs if r.kind == "truncated"]
    ) == 1


def test_five_column_breaks_joined(seed_doc):
    joins = [r for r in seed_doc.repairs if r.kind == "join-column"]
    assert [r.lines for r in joins] == [(15, 17), (19, 21), (39, 41), (57, 59), (61, 63)]
    texts = [s.text for e in seed_doc.essays for s in iter_sections(e.sections)]
    for joined in [
        "贵州发展新质生产力，要从实际出发",
        "数字化智能化水平",
        "通过技术转移带动产业转移",
        "通过X射线衍射",
        "优化学生知识结构。",
    ]:
        assert any(joined in t for t in texts), joined


def test_lead_printed_above_its_title_moves_to_the_next_essay(seed_doc):
    e3, e4 = seed_doc.essays[2], seed_doc.essays[3]
    assert e4.lead is not None and e4.lead.startswith("省委经济工作会议明确提出")
    assert "省委经济工作会议" not in (e3.closing or "")
    assert any(r.kind == "moved-lead" and r.lines == (71,) for r in seed_doc.repairs)


def test_leads(seed_doc):
    e1, e2, e3, _ = seed_doc.essays
    assert e1.lead is not None and e1.lead.count("\n") == 2
    assert e2.lead is not None and e2.lead.startswith("党的十八大以来")
    assert e3.lead is not None and e3.lead.startswith("习近平总书记强调")


def test_measure_titles_and_lines(seed_doc):
    e3 = seed_doc.essays[2]
    tail = e3.sections[2]  # 以多学科交叉融合服务矿渣多用: runs across a column break
    assert [m.line for m in tail.measures] == [57, 59, 59, 59]
    assert tail.measures[0].title == "精确测试分析不同矿渣组分及物化特性"
    assert tail.measures[0].text.startswith("精确测试分析不同矿渣组分及物化特性。通过X射线衍射")
    m = e3.sections[3].measures[3]
    assert m.title == "创新人才选拔机制，优化学生知识结构"
    assert m.id == "e3.s4.m4"


def test_measure_text_is_found_in_source_at_its_line(seed_doc, seed_text):
    lines = seed_text.split("\n")
    for e in seed_doc.essays:
        for s in iter_sections(e.sections):
            for m in s.measures:
                src_line = lines[m.line - 1]
                assert seed_text[m.offset : m.offset + len(m.marker or "")] == m.marker
                first = m.text[:10]
                assert first in src_line or first in seed_text[m.offset : m.offset + 200]


def test_nothing_lost(seed_doc, seed_text):
    from guizhou_cli.catalogue import dumps_catalogue
    from guizhou_cli.model import Catalogue

    dumped = dumps_catalogue(Catalogue("t", (seed_doc,)), "json")
    import json

    blob = json.dumps(json.loads(dumped), ensure_ascii=False)
    for para in re.split(r"\n\s*\n", seed_text):
        para = para.strip()
        if para:
            assert para in blob, para[:20]


def _edited(seed_text, old, new):
    from guizhou_cli import parse_text

    assert old in seed_text
    return parse_text(seed_text.replace(old, new, 1), source="edited.txt")


def test_deleting_a_measure_keeps_the_next_heading(seed_text):
    a = seed_text.index("二是系统布局建设创新基础设施。")
    b = seed_text.index("三是推进传统基础设施智能升级")
    d = _edited(seed_text, seed_text[a:b] + "三是", "二是")
    e4 = d.essays[3]
    assert [s.heading for s in e4.sections] == [
        "健全现代化的基础设施",
        "充分释放数据要素价值",
        "打造现代化的产业体系",
        "营造良好的创新生态",
    ]
    assert [len(s.measures) for s in e4.sections] == [2, 3, 3, 3]


def test_inserting_a_measure_renumbers_without_losing_sections(seed_text):
    start = seed_text.index("大力推进成果转化应用。")
    end = seed_text.index("\n", start)
    para = seed_text[start:end]
    new = (
        para.replace("四是", "五是")
        .replace("三是", "四是")
        .replace("二是", "三是")
        .replace("三是完善成果转化体系", "二是新增一项举措。三是完善成果转化体系")
    )
    e3 = _edited(seed_text, para, new).essays[2]
    assert [s.heading for s in e3.sections][-2:] == ["打造高水平的科技创新人才队伍", "大力推进成果转化应用"]
    assert [m.n for m in e3.sections[5].measures] == [1, 2, 3, 4, 5]
    assert [len(s.measures) for s in e3.sections] == [0, 4, 4, 4, 4, 5]
