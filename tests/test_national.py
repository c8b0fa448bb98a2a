"""National work reports, counted by hand, come out as the catalogue says.

For each report the part that holds the year's tasks was read paragraph by
paragraph: its numbered tasks （一）…, and under each the paragraphs that open
with a run-in task sentence (实施更大规模的减税。…), which are lead measures by
the definition of a measure (rule 4); a paragraph opening with a task sentence
and followed by 一是…/一要… heads a subsection of those items (rule 3). Opening
paragraphs of a task (坚持…，…。 要…。 judgements such as 教育和科技…具有基础性作用。)
were not counted. None of these reports is in the evaluation set.
"""

from __future__ import annotations

import pytest

from guizhou_cli import parse_file
from guizhou_cli.pipeline import coverage_warning

from .conftest import CORPUS

HAND_COUNTS = {
    # report year: (the task part's marker, lead measures under each of its tasks （一）…)
    # gwr-national-2010.txt lines 146-483 (二、2010年主要任务), every paragraph read: 231
    # 转变经济发展方式刻不容缓。 judges (no measure); 446 上海世博会即将拉开帷幕。 is news (no
    # measure); 416 大力发展金融市场，鼓励金融创新。 a two-clause sentence inside （七）'s prose
    2010: ("二、", [3, 5, 5, 2, 0, 8, 7, 2]),
    # gwr-national-2013.txt lines 106-175 (三、对今年政府工作的建议): （一）（二）（四） hold only
    # 要… and descriptive paragraphs; 154 教育和科技在现代化建设中具有基础性…作用 is a judgement
    2013: ("三、", [0, 0, 10, 0]),
    # gwr-national-2019.txt lines 87-204 (三、2019年政府工作任务): each （X） paragraph is heading
    # + summary, then one intro paragraph (坚持…，… / 我国有上亿市场主体…), then the task paragraphs
    2019: ("三、", [6, 3, 4, 2, 4, 2, 3, 3, 4, 5]),
    # gwr-national-2022.txt lines 103-207 (三、2022年政府工作任务): 109 继续做好“六稳”、“六保”
    # 工作。 is the summary sentence of （一）'s heading paragraph; 113/115 要… continue 111
    2022: ("三、", [5, 4, 3, 4, 4, 3, 4, 2, 6]),
    # gwr-national-2004.txt lines 134-287 (二、2004年主要任务): （一） holds 一要…五要 and （二）
    # 第一…第六 of its own (rule 1, below); （三） only judgements and long 继续实施…，… sentences;
    # 258 千方百计增加就业是政府的重要职责。 and 279 …是政府应尽的责任。 judge (no measure)
    2004: ("二、", [0, 0, 0, 1, 0, 6, 1, 2, 2]),
    # gwr-national-2016.txt lines 102-238 (三、2016年重点工作): 205 为政之道，民生为本。 and 219
    # 生命高于一切，安全重于泰山。 are sayings; （八）'s 226 重任千钧惟担当。 and 234 上下同欲者胜。
    # too, and its 坚持依法履职，… paragraphs open with two-clause 坚持 sentences (no measure)
    2016: ("三、", [3, 4, 3, 4, 4, 3, 6, 0]),
}
# tasks' own enumerated items (rule 1), as (task, markers)
TASK_ITEMS = {
    2004: {
        "（一）": ["一要", "二要", "三要", "四要", "五要"],
        "（二）": ["第一", "第二", "第三", "第四", "第五", "第六"],
    },
}
# tasks whose paragraphs head a subsection of enumerated items (rule 3), as (task, heading, items)
TASK_SUBSECTIONS = {
    2010: [
        ("（一）", "继续实施积极的财政政策", 4),
        # lines 212/214: the source prints 四是加强风险管理… twice (212 runs it on after 三是, 214
        # repeats it as a paragraph); both copies are read, so the series shows 四是 twice
        ("（一）", "继续实施适度宽松的货币政策", 5),
        ("（二）", "继续推进重点产业调整振兴", 3),
        ("（二）", "进一步促进中小企业发展", 3),
        ("（二）", "打好节能减排攻坚战和持久战", 4),
        ("（四）", "优先发展教育事业", 5),
        ("（六）", "改革收入分配制度", 3),
        ("（六）", "促进房地产市场平稳健康发展", 4),
    ],
    2004: [("（五）", "发展卫生事业，今年重点抓好三件事", 3)],
    2016: [
        ("（一）", "积极的财政政策要加大力度", 3),
        ("（二）", "充分释放全社会创业创新潜能", 3),
        ("（二）", "努力改善产品和服务供给", 3),
        ("（三）", "深入推进新型城镇化", 3),
        ("（五）", "促进外贸创新发展", 5),
    ],
}
_CN = "一二三四五六七八九十"


def report(year: int):
    p = CORPUS / f"gwr-national-{year}.txt"
    if not p.exists():
        pytest.skip(f"{p} is not available (the shared corpus sits beside the checkout)")
    return parse_file(str(p))


@pytest.mark.parametrize("year", sorted(HAND_COUNTS))
def test_the_years_tasks_counted_by_hand(year):
    where, leads = HAND_COUNTS[year]
    d = report(year)
    assert len(d.essays) == 1
    part = next(s for s in d.essays[0].sections if s.marker == where)
    tasks = part.sections
    assert [s.marker for s in tasks] == [f"（{_CN[i]}）" for i in range(len(leads))]
    assert [sum(m.kind == "lead" for m in s.measures) for s in tasks] == leads
    assert all(m.n is None for s in tasks for m in s.measures if m.kind == "lead")
    items = {s.marker: [m.marker for m in s.measures if m.kind != "lead"] for s in tasks}
    assert {k: v for k, v in items.items() if v} == TASK_ITEMS.get(year, {})
    subs = TASK_SUBSECTIONS.get(year, [])
    assert [(t.marker, x.heading, len(x.measures)) for t in tasks for x in t.sections] == subs
    assert not part.measures
    assert coverage_warning(d) is None


def test_topic_captions_of_the_targets_are_not_measures():
    # gwr-national-2013.txt lines 94/96: 关于经济增长目标。这是一个综合性指标… / 关于物价总水平。…
    # explain the targets; part 二's measures are the items of its two policy paragraphs
    part = next(s for s in report(2013).essays[0].sections if s.marker == "二、")
    assert not part.measures
    assert [(x.heading, len(x.measures)) for x in part.sections] == [
        ("继续实施积极的财政政策", 4),
        ("继续实施稳健的货币政策", 3),
    ]
    assert "关于经济增长目标。" in part.text


def test_a_topic_caption_does_not_head_the_principles_below_it():
    # gwr-national-2014.txt lines 89-95: 关于价格水平。… then 第一，向深化改革要动力。… — the
    # principles are measures of part 二, not of a section headed 关于价格水平
    part = next(s for s in report(2014).essays[0].sections if s.marker == "二、")
    assert not part.sections
    assert [(m.marker, m.n) for m in part.measures] == [("第一", 1), ("第二", 2), ("第三", 3)]


def test_the_review_lists_its_eight_areas_of_work():
    # gwr-national-2013.txt, 2019.txt, 2022.txt: part 一 sums up the past year(s) in 一是…八是
    for year in (2013, 2019, 2022):
        part = report(year).essays[0].sections[0]
        numbered = [(m.marker, m.n) for m in part.measures if m.kind == "numbered"]
        assert numbered == [(f"{_CN[i]}是", i + 1) for i in range(8)]
