"""National government work reports: their real outline, counted by hand.

The counts below were read from the documents themselves (the 一、 parts, the
（一） sections, the bold lead sentences, the 一是… and —— lists).
"""

from __future__ import annotations

import glob
from collections import Counter

import pytest

from guizhou_cli import parse_file
from guizhou_cli.model import iter_sections

from .conftest import CORPUS, CORPUS_MISSING, corpus_file


def kinds(section):
    return Counter(m.kind for m in section.measures)


def test_2024_outline():
    d = parse_file(str(corpus_file("gwr-national-2024.txt")))
    assert d.title == "政府工作报告"
    assert d.dateline == "——2024年3月5日在第十四届全国人民代表大会第二次会议上"
    e = d.essays[0]
    assert e.authors == ("李强",)
    parts = e.sections
    assert [(s.marker, s.heading) for s in parts] == [
        ("一、", "2023年工作回顾"),
        ("二、", "2024年经济社会发展总体要求和政策取向"),
        ("三、", "2024年政府工作任务"),
    ]
    review = parts[0]
    assert [m.marker for m in review.measures if m.kind == "dash"] == ["——"] * 7
    numbered = [m for m in review.measures if m.kind == "numbered"]
    assert [m.marker for m in numbered] == ["一是", "二是", "三是", "四是", "五是", "六是"]
    assert numbered[0].title == "加大宏观调控力度，推动经济运行持续好转"
    assert [m.title for m in parts[1].measures] == [
        "积极的财政政策要适度加力、提质增效",
        "稳健的货币政策要灵活适度、精准有效",
        "增强宏观政策取向一致性",
    ]
    tasks = parts[2].sections
    assert [s.marker for s in tasks] == [f"（{c}）" for c in "一二三四五六七八九十"]
    assert [len(s.measures) for s in tasks] == [3, 3, 2, 3, 4, 3, 3, 2, 3, 5]
    assert all(m.kind == "lead" and m.marker is None for s in tasks for m in s.measures)
    assert tasks[0].heading == "大力推进现代化产业体系建设，加快发展新质生产力"
    assert [m.title for m in tasks[0].measures] == [
        "推动产业链供应链优化升级",
        "积极培育新兴产业和未来产业",
        "深入推进数字经济创新发展",
    ]
    assert tasks[0].measures[0].line == 98
    # after 各位代表！ the government's own tasks are run-in paragraphs of part 三,
    # which holds numbered items （一）…（十）: by the definition of a measure
    # (rule 4) they are its text, not lead measures
    assert not parts[2].measures
    assert "深入推进依法行政。" in parts[2].text
    # the Wikisource licence footer is furniture, never a section
    assert any(f.kind == "footer" for f in d.furniture)
    assert not any("公有领域" in s.text for s in iter_sections(e.sections))


def test_2009_outline():
    d = parse_file(str(corpus_file("gwr-national-2009.txt")))
    parts = d.essays[0].sections
    assert [s.heading for s in parts] == ["2008年工作回顾", "2009年工作总体部署", "2009年主要任务"]
    principles = parts[1].measures
    assert [(m.marker, m.title) for m in principles] == [
        ("一是", "扩内需、保增长"),
        ("二是", "调结构、上水平"),
        ("三是", "抓改革、增活力"),
        ("四是", "重民生、促和谐"),
    ]
    assert principles[0].context == "做好今年政府工作，必须把握好以下原则："
    tasks = parts[2].sections
    assert [s.marker for s in tasks] == [f"（{c}）" for c in "一二三四五六七"]
    farming = tasks[2]
    assert farming.heading == "巩固和加强农业基础地位，促进农业稳定发展和农民持续增收"
    assert [m.marker for m in farming.measures if m.marker and m.marker.endswith("是")] == [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
    ]
    assert farming.measures[0].context == "今年重点抓好五件事："
    social = tasks[5]
    # bold lead sentences that head an enumeration become subsections…
    assert [(s.heading, len(s.measures)) for s in social.sections] == [
        ("千方百计促进就业", 5),
        ("加快完善社会保障体系", 3),
        ("坚持优先发展教育事业", 5),
        ("推进医药卫生事业改革发展", 5),
    ]
    # …and those that do not are lead measures of the numbered section
    assert [m.title for m in social.measures] == ["大力发展社会福利事业和慈善事业", "大力发展文化体育事业", "加强民主法制建设"]


def test_2023_outline():
    d = parse_file(str(corpus_file("gwr-national-2023.txt")))
    e = d.essays[0]
    assert e.authors == ("李克强",)
    parts = e.sections
    assert [s.heading for s in parts] == ["过去一年和五年工作回顾", "对今年政府工作的建议"]
    assert kinds(parts[0])["dash"] == 8
    assert [s.marker for s in parts[0].sections] == [f"（{c}）" for c in "一二三四五六七八九十"]
    # the plan's （一）…（八） are leaf paragraphs (number, run-in heading, body, no
    # sub-items): measures with their numbers under 二、 (the definition, rule 2)
    assert not parts[1].sections
    plan = [(m.marker, m.n, m.kind, m.title) for m in parts[1].measures]
    assert plan[:3] == [
        ("（一）", 1, "item", "着力扩大国内需求"),
        ("（二）", 2, "item", "加快建设现代化产业体系"),
        ("（三）", 3, "item", "切实落实“两个毫不动摇”"),
    ]
    assert [m[1] for m in plan] == list(range(1, 9))


def test_2010_duplicate_in_the_source_is_flagged():
    # the source repeats 四是加强风险管理… in two paragraphs: flagged, not renumbered
    d = parse_file(str(corpus_file("gwr-national-2010.txt")))
    dup = [m for e in d.essays for s in iter_sections(e.sections) for m in s.measures if "duplicate" in m.flags]
    assert [(m.marker, m.n, m.title) for m in dup] == [("四是", 4, "加强风险管理，提高金融监管有效性")]


@pytest.mark.parametrize(
    "main, alt",
    [("gwr-national-2024.txt", "gwr-national-2024-alt-qqiw.txt"), ("gwr-national-2022.txt", "gwr-national-2022-alt-reviona.txt")],
)
def test_independent_scrapes_give_the_same_measures(main, alt):
    def measures(name):
        d = parse_file(str(corpus_file(name)))
        return [(s.heading, m.marker, m.title) for e in d.essays for s in iter_sections(e.sections) for m in s.measures]

    assert measures(main) == measures(alt)


def test_every_report_parses_into_parts():
    files = sorted(glob.glob(str(CORPUS / "gwr-national-*.txt")))
    if not files:
        pytest.skip(CORPUS_MISSING)
    for f in files:
        d = parse_file(f)
        parts = d.essays[0].sections
        assert [s.marker for s in parts][:2] in (["一、", "二、"], [None, "一、"]), f
        assert sum(len(s.measures) for s in iter_sections(parts)) >= 15, f
        assert not any(s.text.startswith("Public domain") for s in iter_sections(parts)), f
