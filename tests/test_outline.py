"""Numbering families, nesting, false-positive traps and sequence flags."""

from __future__ import annotations

import pytest

from guizhou_cli import parse_text
from guizhou_cli.markers import cn_int, outline_marker, runin_markers
from guizhou_cli.model import iter_sections


def doc(text: str):
    return parse_text(text, source="t.txt")


def all_measures(d):
    return [m for e in d.essays for s in iter_sections(e.sections) for m in s.measures]


def section(d, heading):
    for e in d.essays:
        for s in iter_sections(e.sections):
            if s.heading == heading:
                return s
    raise AssertionError(f"no section {heading!r}")


@pytest.mark.parametrize(
    "s, n",
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百", 100),
        ("12", 12),
        ("十十", None),
        ("甲", None),
    ],
)
def test_cn_int(s, n):
    assert cn_int(s) == n


@pytest.mark.parametrize(
    "text, family, n, marker",
    [
        ("一、总体要求", "cn-dun", 1, "一、"),
        ("十二、其他", "cn-dun", 12, "十二、"),
        ("（三）推进改革。", "cn-paren", 3, "（三）"),
        ("(三) 推进改革。", "cn-paren", 3, "(三)"),
        ("1. 加快技术改造。", "arabic", 1, "1."),
        ("２、加快技术改造。", "arabic", 2, "２、"),
        ("（1）建设平台。", "arabic-paren", 1, "（1）"),
        ("(12)建设平台。", "arabic-paren", 12, "(12)"),
        ("③做好总结。", "circled", 3, "③"),
        ("第二章 总则", "chapter", 2, "第二章"),
        ("第三节 目标", "jie", 3, "第三节"),
        ("第十条 本办法自发布之日起施行。", "article", 10, "第十条"),
    ],
)
def test_outline_markers(text, family, n, marker):
    from guizhou_cli.normalise import fold

    m = outline_marker(fold(text))
    assert m is not None and (m.family, m.n, text[: m.end].strip()) == (family, n, marker)


@pytest.mark.parametrize("text", ["2.5%的增长", "1.1万亿元", "2023年工作回顾", "第一次会议", "第三条的规定", "1 9 9 8 年"])
def test_numbers_are_not_outline_markers(text):
    from guizhou_cli.normalise import fold

    assert outline_marker(fold(text)) is None


@pytest.mark.parametrize(
    "text", ["要统一是非标准。", "这是唯一是的选择。", "原因之一是成本。", "第一次试点。", "详见第三条规定。", "再次强调。"]
)
def test_words_are_not_runin_markers(text):
    assert runin_markers(text) == []


def test_runin_families():
    d = doc(
        "标题\n\n"
        "（一）甲。重点抓好三个方面：一是加强领导。二是压实责任。三是强化考核。\n\n"
        "（二）乙。一要稳增长。二要促改革。\n\n"
        "（三）丙。第一，扩大消费。第二，稳定投资。\n\n"
        "（四）丁。首先，要稳定消费。其次，要扩大投资。再次，要稳外贸。最后，要防风险。\n\n"
        "（五）戊。其一，深化改革；其二，扩大开放。\n\n"
        "（六）己。(1)加大投入；(2)优化结构；(3)提升效益。\n"
    )
    got = {s.heading: [(m.marker, m.n) for m in s.measures] for s in iter_sections(d.essays[0].sections)}
    assert got["甲"] == [("一是", 1), ("二是", 2), ("三是", 3)]
    assert got["乙"] == [("一要", 1), ("二要", 2)]
    assert got["丙"] == [("第一", 1), ("第二", 2)]
    assert got["丁"] == [("首先", 1), ("其次", 2), ("再次", 3), ("最后", 4)]
    assert got["戊"] == [("其一", 1), ("其二", 2)]
    assert got["己"] == [("(1)", 1), ("(2)", 2), ("(3)", 3)]
    jia = section(d, "甲")
    assert all(m.context == "重点抓好三个方面：" for m in jia.measures)
    assert [m.title for m in jia.measures] == ["加强领导", "压实责任", "强化考核"]


def test_runin_reaches_beyond_five():
    nums = "一二三四五六七八九十"
    items = "".join(f"{c}是做好第{i + 1}项工作。" for i, c in enumerate(nums)) + "十一是做好第11项工作。十二是做好第12项工作。"
    d = doc(f"标题\n\n加强工作。{items}\n")
    assert [m.n for m in all_measures(d)] == list(range(1, 13))
    assert all_measures(d)[-1].marker == "十二是"


def test_nesting_of_outline_families():
    d = doc(
        "第一章 总则\n\n"
        "第一节 目标\n\n"
        "一、总体要求\n\n"
        "（一）指导思想。坚持稳中求进。\n\n"
        "1. 加快技术改造。支持企业更新设备。\n\n"
        "（1）建设创新平台。\n\n"
        "（2）完善政策体系。\n\n"
        "2. 培育新兴产业。\n\n"
        "（二）基本原则。坚持问题导向。\n\n"
        "二、主要任务\n\n"
        "第二节 措施\n\n"
        "第二章 附则\n\n"
        "第一条 本办法自发布之日起施行。\n\n"
        "第二条 本办法由发展改革委负责解释。\n"
    )
    e = d.essays[0]
    chapters = e.sections
    assert [(s.marker, s.heading) for s in chapters] == [("第一章", "总则"), ("第二章", "附则")]
    jie1, jie2 = chapters[0].sections
    assert (jie1.marker, jie2.marker) == ("第一节", "第二节")
    part1, part2 = jie1.sections
    assert (part1.marker, part1.heading, part2.heading) == ("一、", "总体要求", "主要任务")
    paren = part1.sections
    # （一） holds items, so it heads them; （二） holds none: a leaf paragraph is a
    # measure with its number under 一、 (the definition of a measure, rule 2)
    assert [(s.marker, s.heading) for s in paren] == [("（一）", "指导思想")]
    assert [(m.marker, m.n, m.kind, m.title) for m in part1.measures] == [("（二）", 2, "item", "基本原则")]
    items = [(m.marker, m.title) for m in paren[0].measures]
    assert items == [("1.", "加快技术改造"), ("（1）", "建设创新平台"), ("（2）", "完善政策体系"), ("2.", "培育新兴产业")]
    assert [(m.marker, m.kind) for m in chapters[1].measures] == [("第一条", "item"), ("第二条", "item")]
    assert e.sections[0].sections[0].sections[0].id == "e1.s1.s1.s1"


def test_circled_items_split_inside_a_paragraph():
    d = doc("标题\n\n一、措施\n\n①落实责任。②加强宣传。③做好总结。\n")
    assert [(m.marker, m.title) for m in all_measures(d)] == [("①", "落实责任"), ("②", "加强宣传"), ("③", "做好总结")]


def test_paragraph_level_enumeration_and_dash_list():
    d = doc(
        "标题\n\n一、工作回顾\n\n过去一年，成绩来之不易。\n\n"
        "——经济总体回升向好。增长5.2%。\n\n——民生保障有力有效。\n\n"
        "一年来，主要做了以下工作。\n\n一是加大宏观调控力度。针对严峻挑战。\n\n二是依靠创新引领产业升级。强化科技力量。\n\n三是深化改革扩大开放。清理政策规定。\n"
    )
    ms = all_measures(d)
    assert [(m.kind, m.marker, m.n) for m in ms] == [
        ("dash", "——", 1),
        ("dash", "——", 2),
        ("numbered", "一是", 1),
        ("numbered", "二是", 2),
        ("numbered", "三是", 3),
    ]
    assert ms[0].title == "经济总体回升向好"
    assert ms[2].text == "加大宏观调控力度。针对严峻挑战。"


def test_lead_items_in_a_numbered_section():
    d = doc(
        "标题\n\n三、政府工作任务\n\n"
        "（一）大力推进现代化产业体系建设，加快发展新质生产力。充分发挥创新主导作用。\n\n"
        "推动产业链供应链优化升级。保持工业经济平稳运行，实施制造业重点产业链高质量发展行动。\n\n"
        "积极培育新兴产业和未来产业。实施产业创新工程，完善产业生态。\n\n"
        "我们要坚持稳中求进、以进促稳。这是总的要求。\n"
    )
    s = section(d, "大力推进现代化产业体系建设，加快发展新质生产力")
    assert [(m.kind, m.marker, m.n, m.title) for m in s.measures] == [
        ("lead", None, None, "推动产业链供应链优化升级"),
        ("lead", None, None, "积极培育新兴产业和未来产业"),
    ]
    assert "我们要坚持稳中求进" in s.text


def test_document_metadata_is_not_content():
    d = doc(
        "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李　强\n\n各位代表：\n\n"
        "现在，我代表国务院，向大会报告政府工作。\n\n一、工作回顾\n\n过去一年，成绩来之不易。\n\n各位代表！\n\n二、总体要求\n\n做好政府工作，要坚持稳中求进。\n"
    )
    assert d.title == "政府工作报告"
    assert d.dateline == "——2024年3月5日在第十四届全国人民代表大会第二次会议上"
    e = d.essays[0]
    assert e.authors == ("李强",) and e.affiliation == "国务院总理"
    assert [(f.kind, f.text) for f in d.furniture] == [("salutation", "各位代表："), ("salutation", "各位代表！")]
    assert not all_measures(d)
    assert e.lead == "现在，我代表国务院，向大会报告政府工作。"


def test_fused_title_line():
    d = doc(
        "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上国务院总理 李强\n"
        "各位代表：\n现在，我代表国务院报告工作。\n"
    )
    assert (d.title, d.dateline, d.essays[0].authors) == (
        "政府工作报告",
        "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
        ("李强",),
    )


@pytest.mark.parametrize(
    "items, flags, ns",
    [
        ("一是甲。二是乙。四是丁。", [[], [], ["gap"]], [1, 2, 4]),
        ("一是甲。二是乙。二是丙。", [[], [], ["duplicate"]], [1, 2, 2]),
        ("一是甲。二是乙。一是丙。", [[], [], ["restart"]], [1, 2, 1]),
    ],
)
def test_sequence_flags_never_renumber(items, flags, ns):
    d = doc(f"标题\n\n加强管理。{items}\n")
    ms = all_measures(d)
    assert [list(m.flags) for m in ms] == flags
    assert [m.n for m in ms] == ns


def test_outline_gap_is_flagged():
    d = doc("标题\n\n一、甲\n\n正文。\n\n三、丙\n\n正文。\n")
    assert [list(s.flags) for s in d.essays[0].sections] == [[], ["gap"]]


def test_marker_on_its_own_line_and_heading_lines():
    d = doc("标题\n\n一、回顾\n\n主要原因，\n\n　　\n一是\n企业管理体制不适应市场经济。\n\n　　\n二是\n结构不合理。\n")
    ms = all_measures(d)
    assert [(m.marker, m.title) for m in ms] == [("一是", "企业管理体制不适应市场经济"), ("二是", "结构不合理")]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("gb18030"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r").encode("utf-8"),
        lambda t: "\n".join("\u3000\u3000" + ln for ln in t.split("\n")).encode("utf-8"),
        lambda t: t.replace("\n\n", "\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "gb18030", "crlf", "cr", "fullwidth-indent", "one-per-line"],
)
def test_inputs_give_the_same_outline(tmp_path, encode):
    from guizhou_cli import parse_file

    text = (
        "关于做好某项工作的通知\n\n一、总体要求\n\n坚持稳中求进。一是加强领导。二是压实责任。\n\n"
        "二、保障措施\n\n（一）加强组织。第一，建立机制。第二，强化考核。\n"
    )
    p = tmp_path / "x.txt"
    p.write_bytes(encode(text))
    d = parse_file(str(p))
    assert d.title == "关于做好某项工作的通知"
    got = [(s.marker, s.heading, [m.marker for m in s.measures]) for e in d.essays for s in iter_sections(e.sections)]
    assert got == [
        ("一、", "总体要求", []),
        (None, "坚持稳中求进", ["一是", "二是"]),
        ("二、", "保障措施", []),
        ("（一）", "加强组织", ["第一", "第二"]),
    ]


def test_page_numbers_are_furniture_not_dash_items():
    d = doc("标题\n\n一、总体要求\n\n——经济稳定。\n\n— 3 —\n\n—4—\n\n第5页\n\n——就业稳定。\n")
    assert [(m.marker, m.title) for m in all_measures(d)] == [("——", "经济稳定"), ("——", "就业稳定")]
    assert [(f.kind, f.text) for f in d.furniture] == [("page-number", "— 3 —"), ("page-number", "—4—"), ("page-number", "第5页")]
