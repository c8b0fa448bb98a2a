"""Provincial work reports of 2026: their 2026 tasks, counted by hand, come out as the catalogue says.

For each report the part 三、2026年重点工作 was read paragraph by paragraph: its
numbered tasks （一）…, and under each the paragraphs that open with a run-in task
sentence (提高投资效益。…), which are lead measures by the definition of a
measure (rule 4). Intro paragraphs (坚持…，…。 long sentences with commas) and
closing asides were not counted. None of these reports is in the evaluation set.
"""

from __future__ import annotations

import pytest

from guizhou_cli import parse_file
from guizhou_cli.pipeline import coverage_warning

from .conftest import CORPUS

HAND_COUNTS = {
    # report: (title, lead measures under each task of part 三)
    "anhui": ("2026年安徽省政府工作报告", [4, 5, 6, 4, 3, 3, 3, 3, 3, 5, 3]),
    "beijing": ("2026年北京市政府工作报告", [4, 2, 4, 3, 3, 4, 3, 4, 3, 3]),
    "henan": ("2026年河南省政府工作报告", [3, 3, 4, 3, 4, 2, 3, 3, 5, 4]),
    "hubei": ("2026年湖北省政府工作报告", [5, 4, 7, 5, 3, 3, 3, 3, 5]),
    "tianjin": ("2026年天津市政府工作报告", [3, 4, 3, 3, 3, 4, 3, 3]),
    # gwr-2026-chongqing.txt lines 48-96 (三、2026年工作安排), every line read: each
    # （X） line opens with its task and the paragraphs under it open with a task phrase
    "chongqing": ("2026年重庆市政府工作报告", [3, 3, 4, 2, 3, 3, 4, 4, 3, 3, 6]),
    # gwr-2026-hunan.txt lines 57-115: the closing sentence of each task is an aside or a
    # maxim, not a task (62 市场是最稀缺的资源。 68 产业强则经济强。 74 创新的深度和广度
    # 决定未来发展的高度和维度。 80 改革开放，是… 86 我们要… 92 97 103 108 113 114);
    # 115 大力支持国防和军队现代化建设。 is a task phrase of （十）
    "hunan": ("2026年湖南省政府工作报告", [4, 4, 4, 4, 4, 4, 3, 4, 3, 4]),
    # gwr-2026-shaanxi.txt lines 46-80 (三、2026年重点工作): two to three task paragraphs per
    # task; line 18 (省长赵刚作政府工作报告) is a photo caption, not a heading
    "shaanxi": ("陕西省2026年政府工作报告", [2, 3, 3, 3, 3, 3, 3, 3, 3]),
    # gwr-2026-fujian.txt lines 75-115 (三、一鼓作气勇争先…): 76-77 (开局之年 / 主要预期目标)
    # are intro; each （X） line is heading + summary, the paragraphs under it open with a
    # task phrase (88 全力促开放。 is one, its 增强开放平台活力。 a sentence of it)
    "fujian": ("2026年福建省政府工作报告", [3, 3, 2, 4, 4, 3, 4, 3, 3]),
    # gwr-2026-hainan.txt lines 106-190 (三、2026年主要工作): each （X） and each task phrase
    # stands on a line of its own above its body (113 推动自由贸易港政策红利加速释放。 / 114 …);
    # 107-111 (开局之年, 总体要求, 预期目标) are intro. The title line 1 prints only 政府工作报告.
    "hainan": ("政府工作报告", [3, 3, 4, 3, 3, 5, 3, 4, 3, 4]),
    # gwr-2026-jiangxi.txt lines 45-82 (三、2026年工作安排): 46-48 intro; 80 全力支持国防和军队
    # 现代化建设，深化跨军地改革，… opens with a clause, not a task phrase: not a measure;
    # 81-82 closing asides
    "jiangxi": ("2026年江西省政府工作报告", [2, 3, 3, 3, 3, 3, 3, 3]),
    # gwr-2026-liaoning.txt lines 43-95: the 2026 tasks are part 二 (“十五五”时期目标任务和
    # 2026年工作安排), whose own 一是…五是 (the plan's indicators) are measures of the part;
    # 88 各位代表！今年，我们继续安排20件民生实事 is an aside inside （九）; 95 支持国防和军队
    # 现代化建设，服务支撑… opens with a clause: not a measure
    "liaoning": ("2026年辽宁省政府工作报告", [3, 5, 4, 3, 3, 4, 4, 4, 6, 5]),
    # gwr-2026-guangdong.txt lines 60-156 (三、2026年工作安排), every line read: 61-63 intro (62
    # 主要预期目标 / 63 是：… is one sentence broken by a bold span, no heading); each （X） line is
    # heading + summary, the next line a summary paragraph (坚持…，…), then the task paragraphs;
    # 149 支持国防和军队现代化。深化跨军地改革… opens with a task phrase: a measure; 157 closing aside
    "guangdong": ("政府工作报告", [3, 5, 7, 7, 4, 5, 4, 2, 3, 3, 4, 7, 4, 5]),
    # gwr-2026-heilongjiang.txt lines 50-101 (三、2026年重点工作): 51-54 intro, 55-58 a dash list
    # of principles (rule 6: listed as dash items), 59 具体抓好八个方面重点工作。 a lead-in; 91
    # 大力发展特色文化旅游。 stands in （六） in the source and is counted there
    "heilongjiang": ("2026年黑龙江省政府工作报告", [3, 6, 4, 6, 3, 4, 5, 3]),
    # gwr-2026-jilin.txt lines 32-60 (二、2026年工作安排): 33-36 intro; （二） (40) is a numbered
    # leaf paragraph (rule 2): 41 汽车产业加速向新能源智能网联转型，… is its continuation, no task phrase
    "jilin": ("2026年吉林省政府工作报告", [2, 1, 1, 4, 3, 1, 3]),
    # gwr-2026-gansu.txt lines 50-89 (2026年重点工作, an unnumbered part): 51-53 intro; each （X）
    # is a heading line alone; 85 持续办好为民实事。一是…十是… is a heading over its ten items
    # (rule 3), a subsection of （七）, not a lead measure
    "gansu": ("2026年甘肃省政府工作报告", [3, 4, 3, 4, 4, 3, 3, 3]),
    # gwr-2026-xizang.txt lines 49-87 (三、2026年重点工作): 50-52 intro; each （X） a heading line
    # alone; 86 各位代表！… an aside; 87 谱写…篇章，… holds the 一是…四是 of the government's own
    # work, measures of the part (rule 1)
    "xizang": ("2026年西藏自治区政府工作报告", [2, 4, 5, 3, 3, 3, 3, 2]),
    # gwr-2026-shanxi.txt lines 52-103 (三、2026年工作安排): （二） (59) is a heading line over one
    # body paragraph without a task phrase (60 抓实能源科技创新9条路径，…): no lead measure; 98-99
    # 促进人口高质量发展。… / 悠悠万事，民生为大。…一是…十五是 — the known placement of the 15
    # items under the lead above them (left alone: moving it breaks gwr-national-2016.txt)
    "shanxi": ("2026年山西省政府工作报告", [3, 0, 4, 4, 3, 5, 4, 5, 5, 3]),
}
# the part that holds the 2026 tasks (its marker, or its heading when it has none), where it is not 三、
TASK_PART = {"liaoning": "二、", "jilin": "二、", "gansu": "2026年重点工作"}
# the part's own enumerated measures, where it has some (rule 1), and its numbered leaf tasks (rule 2)
PART_MEASURES = {
    "liaoning": [("一是", 1), ("二是", 2), ("三是", 3), ("四是", 4), ("五是", 5)],
    "heilongjiang": [("——", 1), ("——", 2), ("——", 3), ("——", 4)],
    "jilin": [("（二）", 2)],
    "xizang": [("一是", 1), ("二是", 2), ("三是", 3), ("四是", 4)],
}
# tasks whose paragraphs head a subsection of enumerated items (rule 3), as (task, heading, items)
TASK_SUBSECTIONS = {"gansu": [("（七）", "持续办好为民实事", 10)], "shanxi": [("（九）", "促进人口高质量发展", 15)]}

_CN_DIGITS = "一二三四五六七八九"


def _cn(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四: the numbers of the （X） tasks."""
    if n < 10:
        return _CN_DIGITS[n - 1]
    return ("" if n < 20 else _CN_DIGITS[n // 10 - 1]) + "十" + ("" if n % 10 == 0 else _CN_DIGITS[n % 10 - 1])


def report(name: str):
    p = CORPUS / "provincial-2026" / f"gwr-2026-{name}.txt"
    if not p.exists():
        pytest.skip(f"{p} is not available (the shared corpus sits beside the checkout)")
    return parse_file(str(p))


@pytest.mark.parametrize("name", sorted(HAND_COUNTS))
def test_2026_tasks_counted_by_hand(name):
    title, leads = HAND_COUNTS[name]
    d = report(name)
    assert [e.title for e in d.essays] == [title]
    assert d.banner is None
    where = TASK_PART.get(name, "三、")
    part = next(s for s in d.essays[0].sections if where in (s.marker, s.heading))
    tasks = part.sections
    leaves = {n for marker, n in PART_MEASURES.get(name, []) if marker.startswith("（")}
    numbers = [n for n in range(1, len(leads) + len(leaves) + 1) if n not in leaves]
    assert [s.marker for s in tasks] == [f"（{_cn(n)}）" for n in numbers]
    assert [len(s.measures) for s in tasks] == leads
    assert all(m.kind == "lead" and m.n is None for s in tasks for m in s.measures)
    subs = TASK_SUBSECTIONS.get(name, [])
    assert [(t.marker, x.heading, len(x.measures)) for t in tasks for x in t.sections] == subs
    # the run-in sentence that introduces the tasks is text, not a measure (rule 4)
    assert [(m.marker, m.n) for m in part.measures] == PART_MEASURES.get(name, [])
    assert coverage_warning(d) is None


def test_jiangsu_2026_tasks_are_leaf_measures_with_their_numbers():
    d = report("jiangsu")
    part = next(s for s in d.essays[0].sections if s.marker == "三、")
    assert not part.sections
    assert [(m.marker, m.n, m.kind) for m in part.measures] == [
        (f"（{c}）", i, "item") for i, c in enumerate("一二三四五六七八九十", 1)
    ]
    assert part.measures[0].title == "不断巩固拓展经济稳中向好势头"
    assert "更大力度提振消费。" in part.measures[0].text  # a sentence of the item, not a measure of its own


@pytest.mark.parametrize("name", ["sichuan", "shaanxi", "guangdong", "gansu"])
def test_web_pages_and_wrapped_headers_give_the_report_title(name):
    d = report(name)
    assert len(d.essays) == 1
    title = d.essays[0].title or ""
    assert "政府工作报告" in title
    assert not any(x in title for x in ("首页", ">", "时", "——"))
    assert not d.essays[0].unplaced


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("shaanxi", "省长赵刚作政府工作报告"),
        ("beijing", "殷勇同志作政府工作报告。本报记者 戴冰摄"),
        ("gansu", "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿"),
        ("tianjin", "张工作政府工作报告。"),
    ],
)
def test_photo_captions_of_scraped_reports_are_furniture(name, caption):
    d = report(name)
    assert ("caption", caption) in [(f.kind, f.text.strip()) for f in d.furniture]
    e = d.essays[0]
    assert caption not in (e.lead or "")
    assert all(s.heading != caption for s in e.sections)


def test_a_glossarys_definitions_head_nothing():
    # gwr-2026-hainan.txt lines 203-258: 注释 / ［16］两重： / 国家重大战略实施和重点领域安全能力建设。
    # — a definition alone on its line, parallel in form to others, is text of the glossary
    d = report("hainan")
    glossary = d.essays[0].sections[-1]
    assert glossary.heading == "注释"
    assert not glossary.sections and not glossary.measures
    assert "国家重大战略实施和重点领域安全能力建设。" in glossary.text


def test_two_clause_task_lines_over_their_bodies_give_lead_measures():
    # gwr-2026-hainan.txt lines 89-105: 必须做到“八个聚焦” / 聚焦对外开放，高标准建设海南自由贸易港。
    # (a line of its own) / its body … eight times: part 二 holds no numbered item, so each task
    # line is a lead measure (rule 4) and its body paragraph belongs to it
    d = report("hainan")
    part = next(s for s in d.essays[0].sections if s.marker == "二、")
    assert not part.sections
    assert len(part.measures) == 8 and all(m.title.startswith("聚焦") and m.kind == "lead" for m in part.measures)
    assert part.measures[0].title == "聚焦对外开放，高标准建设海南自由贸易港"
    assert "全面落实海南自由贸易港建设总体方案" in part.measures[0].text


def test_a_results_line_over_its_body_heads_it_not_the_bodys_first_sentence():
    # gwr-national-2001.txt lines 23-24: 经济体制改革全面推进，社会主义市场经济体制初步建立。 (its own
    # line) over 国有大中型企业建立现代企业制度的改革取得重要进展。大多数… (its body)
    p = CORPUS / "gwr-national-2001.txt"
    if not p.exists():
        pytest.skip(f"{p} is not available")
    part = parse_file(str(p)).essays[0].sections[0]
    titles = [m.title for m in part.measures]
    assert "经济体制改革全面推进，社会主义市场经济体制初步建立" in titles
    assert "人民生活继续改善，总体上达到小康水平" in titles
    assert not any(t.startswith(("国有大中型企业", "“863”计划")) for t in titles)


def test_the_leaderships_care_opening_a_review_heads_nothing():
    # gwr-2026-liaoning.txt line 18: 习近平总书记始终对辽宁高度重视、深情牵挂、亲切关怀。… opens the
    # review; the 一是…八是 of line 21-28 are measures of 一、 itself, not of that sentence
    part = report("liaoning").essays[0].sections[0]
    assert part.marker == "一、" and not part.sections
    assert [(m.marker, m.n) for m in part.measures] == [(f"{c}是", i) for i, c in enumerate("一二三四五六七八", 1)]


def test_a_time_clause_opening_a_paragraph_heads_nothing():
    # gwr-2026-jiangxi.txt line 43: 《纲要（草案）》经大会审查通过后，省政府将全力组织实施。一是细化实化方案。…
    # — a new 一是…三是 series of （四） (rule 1), not a subsection headed by that sentence
    part = next(s for s in report("jiangxi").essays[0].sections if s.marker == "二、")
    four = next(s for s in part.sections if s.marker == "（四）")
    assert not four.sections
    assert [m.n for m in four.measures] == [1, 2, 3, 4, 1, 2, 3]
    assert four.measures[4].title == "细化实化方案"


def test_a_sentence_broken_by_a_bold_span_heads_nothing():
    # gwr-2026-guangdong.txt lines 46-48 and 62-63: “十五五”时期经济社会发展的 / 主要目标 / 是：… —
    # one sentence over three lines; 49-57 一是…五是 are measures of part 二 itself
    d = report("guangdong")
    parts = {s.marker: s for s in d.essays[0].sections}
    assert not parts["二、"].sections
    assert [(m.marker, m.n) for m in parts["二、"].measures] == [(f"{c}是", i) for i, c in enumerate("一二三四五", 1)]
    assert all(s.heading != "主要预期目标" for s in parts["三、"].sections)


def test_a_sentence_announcing_the_list_heads_nothing():
    # gwr-2026-jilin.txt lines 19-26: 主要做了以下工作。 / 一是全力以进促稳。… — the 一是…七是 are
    # measures of 一、工作回顾, not of a subsection headed by the announcement
    part = report("jilin").essays[0].sections[0]
    assert part.marker == "一、" and not part.sections
    assert [m.n for m in part.measures] == list(range(1, 8))


def test_two_ordinals_of_one_noun_are_no_marker():
    # gwr-2026-gansu.txt line 30: …第一、二轮中央生态环保督察反馈问题全部整改办结 is a result, not item 第一
    review = report("gansu").essays[0].sections[0]
    assert not any(m.marker == "第一" for m in review.measures)


def test_neimenggu_2026_tasks_counted_by_hand():
    # gwr-2026-neimenggu.txt, every line read. Lines 18-28 (review, an unnumbered part): 20-25 a dash
    # list (rule 6), 26 刚刚过去的2025年…一是…五是, 27 各位代表！… an aside, 28 成绩固然可喜，问题也
    # 不容忽视。一是…八是 (a judgement, no heading: its items are the part's, a new series).
    # Lines 29-59 (“十五五”时期主要目标和2026年重点工作): 一、 (35-39) three numbered leaf paragraphs;
    # 二、 (40-46) and 三、 (47-57) tasks （X） each with its 一要…; 四、 (58-59) 一要…五要
    d = report("neimenggu")
    e = d.essays[0]
    assert e.title == "2026年内蒙古自治区政府工作报告"
    review, plan = e.sections[:2]
    assert not review.sections
    assert [(m.marker, m.n) for m in review.measures if m.kind != "dash"] == [
        (f"{c}是", i) for i, c in enumerate("一二三四五", 1)
    ] + [(f"{c}是", i) for i, c in enumerate("一二三四五六七八", 1)]
    assert [s.marker for s in plan.sections] == ["一、", "二、", "三、", "四、"]
    one, two, three, four = plan.sections
    assert [(m.marker, m.kind) for m in one.measures] == [("（一）", "item"), ("（二）", "item"), ("（三）", "item")]
    assert [len(s.measures) for s in two.sections] == [4, 3, 4, 3, 3]
    assert [len(s.measures) for s in three.sections] == [3, 5, 3, 4, 3, 4, 10]
    assert all(m.marker.endswith("要") for s in (*two.sections, *three.sections) for m in s.measures)
    assert [m.n for m in four.measures] == [1, 2, 3, 4, 5]
    assert len(e.lead or "") < 100  # the paragraphs after 各位代表！ stay in their part


def test_a_salutation_keeps_the_part_it_stands_in():
    # gwr-2026-gansu.txt lines 35-37: 各位代表！… / 我们也清醒看到，… stay in “十四五”时期工作回顾,
    # not in the essay's lead
    e = report("gansu").essays[0]
    assert len(e.lead or "") < 100
    assert "我们也清醒看到" in e.sections[0].text


def test_the_paragraph_under_a_heading_line_is_its_body_not_a_fragment():
    # gwr-2026-shanxi.txt lines 59-60: （二）着力推动能源转型 / 抓实能源科技创新9条路径，… — the
    # paragraph opens （二）'s body; it is no section with a lost start
    part = next(s for s in report("shanxi").essays[0].sections if s.marker == "三、")
    two = part.sections[1]
    assert two.marker == "（二）" and not two.sections
    assert "抓实能源科技创新9条路径" in two.text


def test_a_series_of_two_clause_task_sentences_gives_lead_measures():
    # gwr-2026-shanxi.txt lines 31-36: 加强科技创新，驱动能源转型。… six paragraphs in a row under 一、;
    # gwr-national-2008.txt lines 225-231: （五）'s 推进国有企业改革，完善所有制结构。… four in a row
    review = report("shanxi").essays[0].sections[0]
    assert [m.title for m in review.measures if m.kind == "lead"] == [
        "加强科技创新，驱动能源转型",
        "狠抓项目建设，支撑产业升级",
        "发挥比较优势，推动适度多元发展",
        "深化改革攻坚，激发市场活力",
        "坚持系统治理，改善环境质量",
        "用心用情用力，为民排忧解难",
    ]
    p = CORPUS / "gwr-national-2008.txt"
    if not p.exists():
        pytest.skip(f"{p} is not available")
    tasks = next(s for s in parse_file(str(p)).essays[0].sections if any(c.marker == "（五）" for c in s.sections))
    five = next(c for c in tasks.sections if c.marker == "（五）")
    assert [m.title for m in five.measures] == [
        "推进国有企业改革，完善所有制结构",
        "深化财税体制改革，加快公共财政体系建设",
        "加快金融体制改革，加强金融监管",
        "拓展对外开放广度和深度，提高开放型经济水平",
    ]
