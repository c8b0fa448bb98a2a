"""Genres the development set under-represents, as small synthetic documents.

Each document is written in the convention of its genre and judged by the
definition of a measure (``../shared/eval/README.md`` beside the checkout, ``docs/extraction.md``):
what a reader counting by that definition would list, under which heading, with
which number. They guard the rules against fitting the dev set's genres only.
"""

from __future__ import annotations

from guizhou_cli import parse_text
from guizhou_cli.model import iter_sections


def measures(text: str) -> list[tuple[str | None, str | None, int | None, str, str]]:
    d = parse_text(text)
    return [(s.heading, m.marker, m.n, m.kind, m.title) for e in d.essays for s in iter_sections(e.sections) for m in s.measures]


def headings(text: str) -> list[tuple[str | None, str | None]]:
    d = parse_text(text)
    return [(s.marker, s.heading) for e in d.essays for s in iter_sections(e.sections)]


# 意见 (GB/T 9704): 一、（一）1.（1）, a document number, an addressee, a signature and date
YIJIAN = (
    "贵州省人民政府办公厅关于加快发展银发经济的实施意见\n"
    "\n"
    "黔府办发〔2026〕3号\n"
    "\n"
    "各市、自治州人民政府，各县（市、区）人民政府，省政府各部门、各直属机构：\n"
    "\n"
    "为积极应对人口老龄化，加快发展银发经济，增进老年人福祉，经省人民政府同意，现提出以下意见。\n"
    "\n"
    "一、总体要求\n"
    "\n"
    "以习近平新时代中国特色社会主义思想为指导，坚持尽力而为、量力而行，推动银发经济规模化、标准化、集群化发展。到2030年，全省银发经济规模达到1500亿元。\n"
    "\n"
    "二、重点任务\n"
    "\n"
    "（一）发展民生事业，解决急难愁盼。\n"
    "\n"
    "1.扩大老年助餐服务。支持各地建设老年食堂和助餐点，到2027年社区助餐点覆盖率达到60%。\n"
    "\n"
    "2.拓展居家助老服务。\n"
    "\n"
    "（1）推广“家庭照护床位”。各地要制定家庭照护床位服务规范。\n"
    "\n"
    "（2）发展上门服务。鼓励养老机构提供上门助浴、助洁服务。\n"
    "\n"
    "3.发展社区便民服务。推进完整社区建设，完善社区嵌入式服务设施。\n"
    "\n"
    "（二）扩大产品供给，提升质量水平。\n"
    "\n"
    "1.培育银发经济经营主体。支持国有企业发挥骨干作用。\n"
    "\n"
    "2.推进产业集群发展。在贵阳、遵义布局银发经济产业园区。\n"
    "\n"
    "三、保障措施\n"
    "\n"
    "（一）加强组织领导。各地各部门要把发展银发经济作为重要工作，建立协调推进机制。\n"
    "\n"
    "（二）强化要素支撑。统筹用好中央预算内投资、地方政府专项债券等资金。\n"
    "\n"
    "（三）做好宣传引导。加强政策解读，营造良好社会氛围。\n"
    "\n"
    "贵州省人民政府办公厅\n"
    "2026年3月1日\n"
)


def test_yijian_four_outline_levels():
    # rule 2: （一）… of 三、 and 1.… of （一） are leaf paragraphs; rule 3: 2. holds （1）（2）
    # and is a heading; rule 4 does not apply beside numbered items
    assert measures(YIJIAN) == [
        ("发展民生事业，解决急难愁盼", "1.", 1, "item", "扩大老年助餐服务"),
        ("发展民生事业，解决急难愁盼", "3.", 3, "item", "发展社区便民服务"),
        ("拓展居家助老服务", "（1）", 1, "item", "推广“家庭照护床位”"),
        ("拓展居家助老服务", "（2）", 2, "item", "发展上门服务"),
        ("扩大产品供给，提升质量水平", "1.", 1, "item", "培育银发经济经营主体"),
        ("扩大产品供给，提升质量水平", "2.", 2, "item", "推进产业集群发展"),
        ("保障措施", "（一）", 1, "item", "加强组织领导"),
        ("保障措施", "（二）", 2, "item", "强化要素支撑"),
        ("保障措施", "（三）", 3, "item", "做好宣传引导"),
    ]
    assert ("2.", "拓展居家助老服务") in headings(YIJIAN)
    d = parse_text(YIJIAN)
    kinds = {f.kind for f in d.furniture}
    assert {"doc-number", "addressee", "signature", "date"} <= kinds


# 通知 that issues a 办法 of 第X条 articles; one article lists its 款 （一）（二）（三）
TONGZHI = (
    "关于印发《贵州省政务数据共享管理办法》的通知\n"
    "\n"
    "各市、自治州人民政府，省政府各部门：\n"
    "\n"
    "现将《贵州省政务数据共享管理办法》印发给你们，请认真贯彻执行。\n"
    "\n"
    "贵州省政务数据共享管理办法\n"
    "\n"
    "第一条 为规范政务数据共享，提升政府治理能力，根据有关法律法规，制定本办法。\n"
    "\n"
    "第二条 本办法适用于全省各级政务部门之间的数据共享活动。\n"
    "\n"
    "第三条 政务数据共享遵循以共享为原则、不共享为例外的原则。\n"
    "\n"
    "第四条 省大数据主管部门负责统筹全省政务数据共享工作。各级政务部门应当做好以下工作：\n"
    "\n"
    "（一）编制本部门政务数据目录；\n"
    "\n"
    "（二）按时更新共享数据；\n"
    "\n"
    "（三）做好数据安全管理。\n"
    "\n"
    "第五条 本办法自2026年5月1日起施行。\n"
)


def test_tongzhi_articles_and_their_clauses():
    # each 第X条 is a numbered leaf paragraph (rule 2); 第四条 holds （一）（二）（三）
    # and is a heading over them (rule 3); 第五条 is the regulation's again
    assert measures(TONGZHI) == [
        ("贵州省政务数据共享管理办法", "第一条", 1, "item", "为规范政务数据共享，提升政府治理能力，根据有关法律法规，制定本办法"),
        ("贵州省政务数据共享管理办法", "第二条", 2, "item", "本办法适用于全省各级政务部门之间的数据共享活动"),
        ("贵州省政务数据共享管理办法", "第三条", 3, "item", "政务数据共享遵循以共享为原则、不共享为例外的原则"),
        ("贵州省政务数据共享管理办法", "第五条", 5, "item", "本办法自2026年5月1日起施行"),
        ("省大数据主管部门负责统筹全省政务数据共享工作", "（一）", 1, "item", "编制本部门政务数据目录"),
        ("省大数据主管部门负责统筹全省政务数据共享工作", "（二）", 2, "item", "按时更新共享数据"),
        ("省大数据主管部门负责统筹全省政务数据共享工作", "（三）", 3, "item", "做好数据安全管理"),
    ]


# 规划 with 第X章 / 第X节: chapters and sections always head; lead measures under them
GUIHUA = (
    "贵州省“十五五”数字经济发展规划\n"
    "\n"
    "第一章 发展基础\n"
    "\n"
    "“十四五”时期，全省数字经济规模年均增长15%以上，数字基础设施不断完善。\n"
    "\n"
    "第二章 总体要求\n"
    "\n"
    "第一节 指导思想\n"
    "\n"
    "坚持以习近平新时代中国特色社会主义思想为指导，完整准确全面贯彻新发展理念。\n"
    "\n"
    "第二节 发展目标\n"
    "\n"
    "到2030年，全省数字经济增加值占地区生产总值比重达到50%。\n"
    "\n"
    "第三章 重点任务\n"
    "\n"
    "第一节 建设算力基础设施\n"
    "\n"
    "加快建设全国一体化算力网络贵州枢纽节点。推进数据中心集约化发展，提升绿色算力供给能力。\n"
    "\n"
    "第二节 发展数字产业\n"
    "\n"
    "一是做强电子信息制造业。二是做大软件和信息技术服务业。三是培育人工智能产业。\n"
    "\n"
    "第三节 推进产业数字化\n"
    "\n"
    "推进工业数字化转型。实施“万企融合”行动，推动规模以上工业企业数字化改造。\n"
    "\n"
    "推进农业数字化转型。建设智慧农业示范基地。\n"
    "\n"
    "第四章 保障措施\n"
    "\n"
    "第一节 加强组织领导\n"
    "\n"
    "建立全省数字经济发展联席会议制度。\n"
)


def test_guihua_chapters_and_sections():
    assert [h for _, h in headings(GUIHUA)] == [
        "发展基础",
        "总体要求",
        "指导思想",
        "发展目标",
        "重点任务",
        "建设算力基础设施",
        "发展数字产业",
        "推进产业数字化",
        "保障措施",
        "加强组织领导",
    ]
    # rule 4: task phrases open lead measures; “十四五”时期… and 坚持以…为指导，… do not;
    # rule 1: 一是/二是/三是 in 第二节
    assert measures(GUIHUA) == [
        ("建设算力基础设施", None, None, "lead", "加快建设全国一体化算力网络贵州枢纽节点"),
        ("发展数字产业", "一是", 1, "numbered", "做强电子信息制造业"),
        ("发展数字产业", "二是", 2, "numbered", "做大软件和信息技术服务业"),
        ("发展数字产业", "三是", 3, "numbered", "培育人工智能产业"),
        ("推进产业数字化", None, None, "lead", "推进工业数字化转型"),
        ("推进产业数字化", None, None, "lead", "推进农业数字化转型"),
        ("加强组织领导", None, None, "lead", "建立全省数字经济发展联席会议制度"),
    ]


# 通稿 of a State Council executive meeting: 会议指出/会议强调/会议要求 runs
GONGBAO = (
    "国务院常务会议研究部署推进稳就业工作\n"
    "\n"
    "国务院总理李强3月20日主持召开国务院常务会议，听取关于一季度就业形势的汇报，研究部署进一步稳就业工作。\n"
    "\n"
    "会议指出，就业是最基本的民生。今年以来就业形势总体稳定，但结构性矛盾依然突出。\n"
    "\n"
    "会议强调，要把稳就业摆在更加突出的位置，一是加大援企稳岗力度，二是拓宽高校毕业生就业渠道，三是做好困难群体就业帮扶。\n"
    "\n"
    "会议要求，各地区各部门要压实责任。一要强化政策落实，二要加强监测预警，三要优化就业服务。\n"
    "\n"
    "会议还研究了其他事项。\n"
)


def test_communique_runs_restart_and_report_no_headings():
    # rule 1: each lead-in starts its own series; 会议指出，…。 reports what was said:
    # not a heading (neither a two-clause heading nor a run-in heading over 一要…)
    assert measures(GONGBAO) == [
        (None, "一是", 1, "numbered", "加大援企稳岗力度"),
        (None, "二是", 2, "numbered", "拓宽高校毕业生就业渠道"),
        (None, "三是", 3, "numbered", "做好困难群体就业帮扶"),
        (None, "一要", 1, "numbered", "强化政策落实"),
        (None, "二要", 2, "numbered", "加强监测预警"),
        (None, "三要", 3, "numbered", "优化就业服务"),
    ]
    assert [h for _, h in headings(GONGBAO)] == [None]


# a speech manuscript: title, （date）, salutation, 第一，/第二，/第三， paragraphs
JIANGHUA = (
    "在全省乡村振兴工作会议上的讲话\n"
    "\n"
    "（2026年2月18日）\n"
    "\n"
    "同志们：\n"
    "\n"
    "这次会议的主要任务是，总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "\n"
    "第一，提高政治站位，深刻认识做好乡村振兴工作的重大意义。全面推进乡村振兴是新时代建设农业强国的重要任务。各级党委政府要切实扛起政治责任。\n"
    "\n"
    "第二，突出工作重点，推动乡村全面振兴取得新进展。要抓好粮食生产，稳定播种面积。要发展乡村特色产业，拓宽农民增收渠道。\n"
    "\n"
    "第三，加强组织领导，确保各项任务落地见效。各级党委要落实五级书记抓乡村振兴的要求，强化督查考核。\n"
    "\n"
    "同志们，让我们紧密团结在以习近平同志为核心的党中央周围，奋力开创乡村振兴新局面！\n"
)


def test_speech_ordinal_paragraphs_and_its_date():
    assert measures(JIANGHUA) == [
        (None, "第一", 1, "numbered", "提高政治站位，深刻认识做好乡村振兴工作的重大意义"),
        (None, "第二", 2, "numbered", "突出工作重点，推动乡村全面振兴取得新进展"),
        (None, "第三", 3, "numbered", "加强组织领导，确保各项任务落地见效"),
    ]
    d = parse_text(JIANGHUA)
    assert d.dateline == "（2026年2月18日）"  # the manuscript's date is no heading
    assert [h for _, h in headings(JIANGHUA)] == [None]


# 方案 with a dash list of targets, ①② items, 其一/其二, 首先/其次/最后 and 一方面/另一方面
FANGAN = (
    "贵州省数字乡村建设实施方案\n"
    "\n"
    "一、主要目标\n"
    "\n"
    "到2027年，数字乡村建设取得重要进展：\n"
    "\n"
    "——乡村数字基础设施基本完善。\n"
    "\n"
    "——农业生产数字化水平明显提升。\n"
    "\n"
    "二、重点任务\n"
    "\n"
    "（一）夯实数字基础设施。\n"
    "\n"
    "①推进农村光纤网络扩容。②加快5G网络向农村延伸。③建设乡村信息服务站点。\n"
    "\n"
    "（二）发展智慧农业。其一，建设农业大数据平台；其二，推广智能农机装备；其三，发展农村电商。\n"
    "\n"
    "（三）提升乡村治理数字化水平。首先，完善基层治理平台；其次，推进“互联网+政务服务”向乡村延伸；最后，加强乡村网络安全管理。\n"
    "\n"
    "三、保障措施\n"
    "\n"
    "一方面要加大资金投入，另一方面要加强人才培养。\n"
)


def test_fangan_run_in_families_and_what_is_not_a_measure():
    got = measures(FANGAN)
    # rule 6: a dash list of targets is listed as dash items (optional), 一方面/另一方面 not at all
    assert [(h, n) for h, _, n, kind, _ in got if kind == "dash"] == [("主要目标", 1), ("主要目标", 2)]
    assert [x for x in got if x[3] != "dash"] == [
        ("夯实数字基础设施", "①", 1, "item", "推进农村光纤网络扩容"),
        ("夯实数字基础设施", "②", 2, "item", "加快5G网络向农村延伸"),
        ("夯实数字基础设施", "③", 3, "item", "建设乡村信息服务站点"),
        ("发展智慧农业", "其一", 1, "numbered", "建设农业大数据平台"),
        ("发展智慧农业", "其二", 2, "numbered", "推广智能农机装备"),
        ("发展智慧农业", "其三", 3, "numbered", "发展农村电商"),
        ("提升乡村治理数字化水平", "首先", 1, "numbered", "完善基层治理平台"),
        ("提升乡村治理数字化水平", "其次", 2, "numbered", "推进“互联网+政务服务”向乡村延伸"),
        ("提升乡村治理数字化水平", "最后", 3, "numbered", "加强乡村网络安全管理"),
    ]
    # a lead-in under 一、 is the body's, not an addressee
    assert parse_text(FANGAN).furniture == ()
