"""The definition of a measure (docs/extraction.md), rule by rule, on small documents."""

from __future__ import annotations

from guizhou_cli import parse_text
from guizhou_cli.model import iter_sections
from guizhou_cli.pipeline import coverage_warning


def measures(text: str):
    d = parse_text(text)
    return [(s.heading, m.marker, m.n, m.kind, m.title) for e in d.essays for s in iter_sections(e.sections) for m in s.measures]


def sections(text: str):
    d = parse_text(text)
    return [(s.marker, s.heading) for e in d.essays for s in iter_sections(e.sections)]


def test_rule_1_enumerated_items_wherever_they_stand():
    # a series after a lead-in clause, in an essay's first paragraph; each series restarts
    text = "标题\n\n会议确定，一是发挥企业主体作用；二是强化培训。会议要求，一是稳就业；二是保民生。\n"
    assert [(mk, n) for _, mk, n, _, _ in measures(text)] == [("一是", 1), ("二是", 2), ("一是", 1), ("二是", 2)]
    # items separated by semicolons after a colon
    text = "标题\n\n一、工作要求\n\n会议要求：1.加强组织领导；2.强化资金保障；3.做好宣传引导。\n"
    assert [(mk, t) for _, mk, _, _, t in measures(text)] == [
        ("1.", "加强组织领导"),
        ("2.", "强化资金保障"),
        ("3.", "做好宣传引导"),
    ]


def test_rule_7_never_markers():
    # 2.5%, 1.1万亿 and 3.5万人 are figures, not 1.…2.… items
    assert measures("标题\n\n一、目标\n\n增长2.5%，达到1.1万亿元；3.5万人就业。\n") == []
    assert measures("标题\n\n首先，我们要看到成绩。这是大家干出来的。\n\n我们还要继续努力。\n") == []
    assert measures("标题\n\n统一是前提。第一书记和第一批干部到位，全国第一。\n") == []


def test_rule_2_a_numbered_leaf_paragraph_is_one_measure_with_its_number():
    text = (
        "工作报告\n\n三、2026年重点工作\n\n"
        "（一）加强就业服务。实施就业优先战略。更大力度提振消费。\n\n"
        "（二）推进乡村振兴。稳定粮食生产。\n"
    )
    assert measures(text) == [
        ("2026年重点工作", "（一）", 1, "item", "加强就业服务"),
        ("2026年重点工作", "（二）", 2, "item", "推进乡村振兴"),
    ]
    assert sections(text) == [("三、", "2026年重点工作")]


def test_rule_3_the_same_marker_with_sub_items_is_a_heading_and_rule_4_its_lead_measures():
    text = (
        "工作报告\n\n三、2026年重点工作\n\n"
        "（一）加快建设现代化产业体系。这是今年的首要任务。\n\n"
        "推动传统产业提质升级。深入实施技术改造。\n\n"
        "就业是民生之本。要稳住就业基本盘。\n\n"
        "培育壮大新兴产业。加快发展新能源。\n\n"
        "（二）推进乡村振兴。稳定粮食生产。\n"
    )
    # sections are walked parent first: 三、's own measure, then （一）'s
    assert measures(text) == [
        ("2026年重点工作", "（二）", 2, "item", "推进乡村振兴"),
        ("加快建设现代化产业体系", None, None, "lead", "推动传统产业提质升级"),
        ("加快建设现代化产业体系", None, None, "lead", "培育壮大新兴产业"),
    ]


def test_rule_4_asides_after_a_salutation_are_not_lead_measures():
    text = (
        "工作报告\n\n一、2026年工作\n\n（一）加快发展。推动产业升级。\n\n"
        "加强科技创新。攻关核心技术。\n\n各位代表！加快改革开放。我们要继续努力。\n"
    )
    assert [t for *_, t in measures(text)] == ["加强科技创新"]


def test_a_page_of_125_essays_keeps_every_essay_and_measure():
    parts = ["新时代 新征程 新伟业"]
    for i in range(1, 126):
        parts += [f"第{i}篇评论文章标题", "张明 李华"]
        for j in range(4):
            parts.append(f"推进第{j}项工作。一是加快推进建设。二是系统布局建设。三是推进智能升级。")
        parts.append("（作者单位：贵州大学）")
    d = parse_text("\n\n".join(parts))
    assert len(d.essays) == 125
    assert [e.title for e in d.essays][:2] == ["第1篇评论文章标题", "第2篇评论文章标题"]
    assert all(e.authors == ("张明", "李华") for e in d.essays)
    assert sum(len(s.measures) for e in d.essays for s in iter_sections(e.sections)) == 125 * 4 * 3
    assert not any(e.unplaced for e in d.essays)
    assert d.banner == "新时代 新征程 新伟业"
    assert coverage_warning(d) is None


def test_coverage_warning_says_what_was_lost():
    parts = (f"{n}、第{n}部分\n\n这是一段叙述，没有任何措施。\n\n这又是一段叙述，也没有措施。" for n in "一二三四五六")
    d = parse_text("标题\n\n" + "\n\n".join(parts))
    assert coverage_warning(d) == "<text>: 6 sections, 0 measures"
    assert coverage_warning(parse_text("标题\n\n一是加快发展。二是推进改革。\n")) is None


def test_unplaced_paragraphs_are_said_by_extract_and_counted_by_stats(tmp_path):
    from tests.cli_helpers import run

    lost = "这是页面顶部的一段很长的文字，" * 8 + "它不属于任何文章。"
    src = tmp_path / "page.txt"
    src.write_text(
        f"{lost}\n\n打造经济发展新引擎\n\n高杨 刘亚楠\n\n健全现代化的基础设施。一是加快推进建设。二是系统布局建设。\n",
        encoding="utf-8",
    )
    d = parse_text(src.read_text(encoding="utf-8"), source=str(src))
    assert d.essays[0].unplaced == (lost,)
    assert coverage_warning(d) == f"{src}: 1 sections, 2 measures; 1 paragraph unplaced"
    r = run("extract", str(src), "-o", str(tmp_path / "page.yaml"))
    assert r.code == 0 and f"guizhou: warning: {src}: 1 sections, 2 measures; 1 paragraph unplaced" in r.err.splitlines()
    r = run("stats", str(tmp_path / "page.yaml"), "-f", "json")
    import json

    rows = json.loads(r.out)
    assert [(x["level"], x["unplaced"]) for x in rows if x["level"] != "section"] == [("essay", 1), ("total", 1)]
