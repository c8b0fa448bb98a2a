"""``guizhou diff`` (issue 13): documents paired first, identical inputs the
same, figures by unit and label, sections without measures by their text,
headings with swapped clauses, output options, and the assignment on dense
graphs. Catalogues are built from the model, so the checks do not depend on
what the extractor makes of a corpus file; corpus checks skip without it."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guizhou_cli.catalogue import dump_catalogue
from guizhou_cli.diff import (
    MEASURE_KINDS,
    NumberChange,
    _assign_component,
    assign,
    diff_catalogues,
    diff_markdown,
    diff_stat,
    figures,
    heading_similarity,
    measure_links,
    number_changes,
    similarity,
)
from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section, iter_measures

from .cli_helpers import run
from .conftest import corpus_file
from .golden import check_golden

NUMERALS = "一二三四五六七八九十"
CLAUSES = [
    "稳定和扩大传统消费",
    "积极扩大有效投资",
    "加快发展数字经济",
    "推进高水平科技自立自强",
    "深化国资国企改革",
    "巩固拓展脱贫攻坚成果",
    "加强生态环境保护",
    "持续优化营商环境",
    "完善社会保障体系",
    "推动城乡融合发展",
    "扎实推进共同富裕",
    "健全现代预算制度",
]


# ------------------------------------------------------------------ builders


def measure(sid: str, k: int, text: str) -> Measure:
    return Measure(f"{sid}.m{k}", k, NUMERALS[(k - 1) % 10] + "是", "numbered", text.split("。")[0], text, k, 0)


def section(sid: str, heading: str | None, texts: list[str], own: str = "", marker: str | None = None) -> Section:
    ms = tuple(measure(sid, k, t) for k, t in enumerate(texts, 1))
    head = f"{marker or ''}{heading}。" if heading else ""
    body = "\n".join([head + own, *texts])
    return Section(sid, heading, marker, None, False, False, 1, 0, body, ms)


def essay(eid: str, title: str | None, sections: list[Section]) -> Essay:
    return Essay(eid, title, (), None, None, None, 1, None, sections=tuple(sections))


def document(source: str, essays: list[Essay], title: str | None = None) -> Document:
    return Document(source, "0" * 64, "utf-8", None, title, None, tuple(essays))


def catalogue(*docs: Document) -> Catalogue:
    return Catalogue("test", tuple(docs))


def report(source: str, extra: str = "") -> Document:
    """A small work report: two sections of measures and a plan without measures."""
    return document(
        source,
        [
            essay(
                "e1",
                "政府工作报告",
                [
                    section(
                        "e1.s1",
                        "稳定经济增长",
                        [f"{CLAUSES[0]}。{extra}推动消费品以旧换新。", f"{CLAUSES[1]}。发挥政府投资带动作用。"],
                    ),
                    section("e1.s2", "深化改革开放", [f"{CLAUSES[4]}。实施国有企业改革深化提升行动。"]),
                    section("e1.s3", "加强组织领导", [], own="各级政府要抓好落实。"),
                ],
            )
        ],
    )


texts = st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=3).map(lambda cs: "。".join(cs) + "。")


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    """Several documents, often with the same essay titles and measures in
    more than one (work reports of several provinces)."""
    n_docs = draw(st.integers(1, 4))
    docs = []
    for d in range(n_docs):
        essays = []
        for e in range(draw(st.integers(1, 2))):
            secs = []
            for s in range(draw(st.integers(0, 3))):
                sid = f"e{e + 1}.s{s + 1}"
                heading = draw(st.sampled_from(["稳定经济增长", "深化改革开放", "保障改善民生", None]))
                secs.append(
                    section(sid, heading, draw(st.lists(texts, max_size=3)), own=draw(st.sampled_from(["", "抓好落实。"])))
                )
            essays.append(essay(f"e{e + 1}", draw(st.sampled_from(["政府工作报告", "政府工作报告", None])), secs))
        name = draw(st.sampled_from(["gd", "hn", "js", "gwr"]))
        docs.append(document(f"dir/{name}-{d}.txt", essays, title=draw(st.sampled_from([None, "政府工作报告"]))))
    return catalogue(*docs)


# ------------------------------------------------------------------ identical inputs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_identical_catalogues_have_no_changes(cat):
    d = diff_catalogues(cat, cat)
    assert d.changes == (), [c.kind for c in d.changes]
    assert d.unchanged == len(iter_measures(cat))
    # documents given in another order are still the same documents
    rev = replace(cat, documents=tuple(reversed(cat.documents)))
    assert diff_catalogues(cat, rev).same


def test_two_reports_with_one_title_against_themselves():
    # the essays of both are called 政府工作报告: they pair within their documents
    cat = catalogue(report("prov/gwr-2026-guangdong.txt"), report("prov/gwr-2026-hainan.txt", "支持海南自贸港建设。"))
    assert diff_catalogues(cat, cat).same


def test_directory_and_catalogue_against_themselves_exit_0(tmp_path, seed_text):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "gwr-2026-guangdong.txt").write_text(seed_text, encoding="utf-8")
    (folder / "gwr-2026-hainan.txt").write_text(seed_text.replace("黄朝林", "王海"), encoding="utf-8")
    r = run("diff", str(folder), str(folder))
    assert r.code == 0, r.err
    assert r.err == ""
    assert "no changes" in r.out
    cat = tmp_path / "both.yaml"
    assert run("extract", str(folder), "-o", str(cat)).code == 0
    r = run("diff", str(cat), str(cat), "-f", "json")
    assert r.code == 0
    assert all(v == 0 for k, v in json.loads(r.out)["summary"].items() if k != "unchanged")


def _with_sea(doc: Document, text: str) -> Document:
    es = doc.essays[0]
    return replace(doc, essays=(replace(es, sections=(*es.sections, section("e1.s4", "海洋", [text]))),))


def test_only_the_same_words_pair_across_documents():
    gd, hn = report("gd.txt"), report("hn.txt", "支持自贸港建设。")
    text = "加快建设海洋强省。推进港口群协同发展，建设世界级港口群。"
    reworded = "加快建设海洋强省。推进港口群协同发展，打造世界一流港口群。"
    # word for word into another document: moved
    d = diff_catalogues(catalogue(_with_sea(gd, text), hn), catalogue(gd, _with_sea(hn, text)))
    [c] = [c for c in d.changes if c.kind in MEASURE_KINDS]
    assert c.kind == "moved" and (c.old[0].source, c.new[0].source) == ("gd.txt", "hn.txt")
    # reworded in another document: two reports that each touched a commonplace
    d = diff_catalogues(catalogue(_with_sea(gd, text), hn), catalogue(gd, _with_sea(hn, reworded)))
    assert sorted(c.kind for c in d.changes if c.kind in MEASURE_KINDS) == ["added", "removed"]
    # within one document the same rewording is a rewording
    d = diff_catalogues(catalogue(_with_sea(gd, text), hn), catalogue(_with_sea(gd, reworded), hn))
    assert [c.kind for c in d.changes if c.kind in MEASURE_KINDS] == ["modified"]


def test_documents_pair_by_name_without_the_year():
    old = catalogue(report("2025/gwr-2025-anhui.txt"), report("2025/gwr-2025-beijing.txt", "建设国际科技创新中心。"))
    new = catalogue(report("2026/gwr-2026-beijing.txt", "建设国际科技创新中心。"), report("2026/gwr-2026-anhui.txt"))
    assert diff_catalogues(old, new).same


# ------------------------------------------------------------------ figures


def test_figures_pair_by_unit_and_label():
    old = "赤字率拟按3%安排，赤字规模4.06万亿元，比上年年初预算增加1800亿元。城镇新增就业1200万人以上。"
    new = "赤字率拟按4%左右安排、比上年提高1个百分点，赤字规模5.66万亿元、比上年增加1.6万亿元。城镇新增就业1200万人以上。"
    got = number_changes(old, new)
    assert NumberChange("3%", "4%左右", "赤字率") in got
    assert NumberChange("4.06万亿元", "5.66万亿元", "赤字规模") in got
    assert NumberChange("1800亿元", "1.6万亿元", "赤字规模 比上年增加") in got
    assert NumberChange(None, "1个百分点", "赤字率 比上年提高") in got
    assert len(got) == 4  # the unchanged 1200万人以上 is no change


def test_an_amount_of_change_never_pairs_with_a_level():
    got = number_changes("城乡居民医保人均财政补助标准从450元提高到610元。", "居民医保人均财政补助标准提高30元。")
    assert all(x.old is None or x.new is None for x in got), got
    # two growth rates pair
    assert number_changes("国内生产总值增长5%左右。", "国内生产总值增长5.5%左右。") == (
        NumberChange("5%左右", "5.5%左右", "国内生产总值增长"),
    )


def test_years_ordinals_and_names_are_not_figures():
    text = "2024年3月5日，第3次会议。5G、6G和C919大飞机，PM2.5浓度，G20峰会，“十四五”规划。"
    assert figures(text) == []
    assert [f.value for f in figures("受教育年限从13.5年提高到14年，1270多万人")] == ["13.5年", "14年", "1270多万人"]


_UNITS = ["%", "元", "亿元", "万亿元", "万人", "个百分点", "个", "吨"]
_LABELS = ["赤字率", "城镇新增就业", "国内生产总值增长", "粮食产量", "专项债券"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_LABELS), st.integers(1, 999), st.sampled_from(_UNITS)), max_size=6),
    st.lists(st.tuples(st.sampled_from(_LABELS), st.integers(1, 999), st.sampled_from(_UNITS)), max_size=6),
)
def test_figures_never_pair_across_units(a, b):
    old = "，".join(f"{lab}{n}{u}" for lab, n, u in a) + "。"
    new = "，".join(f"{lab}{n}{u}" for lab, n, u in b) + "。"
    unit = {f.value: f.unit for f in (*figures(old), *figures(new))}
    for x in number_changes(old, new):
        if x.old and x.new:
            assert unit[x.old] == unit[x.new], x


# ------------------------------------------------------------------ sections


def test_swapped_clauses_make_alike_headings():
    a, b = "大力推进现代化产业体系建设，加快发展新质生产力", "因地制宜发展新质生产力，加快建设现代化产业体系"
    assert heading_similarity(a, b) >= 0.6 > similarity(a, b)
    assert heading_similarity("着力扩大国内需求", "着力扩大国内需求，推动经济实现良性循环") >= 0.6
    assert heading_similarity("加强组织领导", "保障改善民生") < 0.3


def test_sections_without_measures_are_compared_and_shown_by_text():
    old = catalogue(
        document(
            "r.txt",
            [
                essay(
                    "e1",
                    "报告",
                    [
                        section(
                            "e1.s1",
                            "着力扩大国内需求",
                            [],
                            own="把恢复和扩大消费摆在优先位置。今年拟安排地方政府专项债券3.8万亿元。",
                            marker="（一）",
                        ),
                        section("e1.s2", "推动发展方式绿色转型", [], own="深入推进环境污染防治。", marker="（二）"),
                    ],
                )
            ],
        )
    )
    new = catalogue(
        document(
            "r.txt",
            [
                essay(
                    "e1",
                    "报告",
                    [
                        section(
                            "e1.s1",
                            "着力扩大国内需求",
                            [],
                            own="把恢复和扩大消费摆在优先位置。今年拟安排地方政府专项债券3.9万亿元。",
                            marker="（一）",
                        ),
                        section("e1.s2", "加快建设现代化产业体系", [], own="推进新型工业化。", marker="（二）"),
                    ],
                )
            ],
        )
    )
    d = diff_catalogues(old, new)
    mod = next(c for c in d.changes if c.kind == "section-modified")
    assert mod.numbers == (NumberChange("3.8万亿元", "3.9万亿元", "拟安排地方政府专项债券"),)
    assert ("-", "8") in [(s.op, s.text) for s in mod.inline]
    removed = next(c for c in d.changes if c.kind == "section-removed")
    assert removed.old[0].text == "深入推进环境污染防治。"
    added = next(c for c in d.changes if c.kind == "section-added")
    assert added.new[0].text == "推进新型工业化。"
    r_text = _render(d)
    assert "深入推进环境污染防治。" in r_text and "推进新型工业化。" in r_text
    assert "figure 拟安排地方政府专项债券 3.8万亿元 → 3.9万亿元" in r_text


def test_a_rewritten_text_is_shown_whole_not_as_confetti():
    from guizhou_cli.diff import Change, Diff, Ref, inline_diff

    old, new = "把恢复和扩大消费摆在优先位置。稳定汽车等大宗消费。", "更好统筹消费和投资，增强对经济增长的拉动作用。"
    refs = [Ref("e1.s1", "r.txt", "报告", "着力扩大国内需求", 1, "（一）", 1, t) for t in (old, new)]
    sim = similarity(old, new)
    c = Change("section-modified", (refs[0],), (refs[1],), sim, (), inline_diff(old, new), ("r.txt", "报告", "x"))
    out = _render(Diff("a", "b", 0.45, (c,), 0), wrap=False)
    assert f"[-{old}-]" in out and "{+" + new + "+}" in out
    assert f"~~{_md_escape(old)}~~" in diff_markdown(Diff("a", "b", 0.45, (c,), 0))


def _md_escape(t: str) -> str:
    from guizhou_cli.diff import _md

    return _md(t)


def test_a_summary_pairs_with_the_chapter_that_replaced_it():
    summary = section("e1.s1", "着力扩大国内需求", [], own="把恢复和扩大消费摆在优先位置。稳定汽车等大宗消费。", marker="（一）")
    chapter = section(
        "e1.s1",
        "着力扩大国内需求，推动经济实现良性循环",
        ["促进消费稳定增长。稳定汽车等大宗消费，推动消费品以旧换新。", "积极扩大有效投资。发挥政府投资带动作用。"],
        own="更好统筹消费和投资。",
        marker="（一）",
    )
    d = diff_catalogues(
        catalogue(document("r.txt", [essay("e1", "报告", [summary])])),
        catalogue(document("r.txt", [essay("e1", "报告", [chapter])])),
    )
    kinds = [c.kind for c in d.changes]
    assert "section-removed" not in kinds and "section-added" not in kinds
    assert "section-renamed" in kinds and "section-modified" in kinds


# ------------------------------------------------------------------ corpus


@pytest.fixture(scope="module")
def years() -> dict[int, Catalogue]:
    from guizhou_cli.sources import open_catalogue

    return {y: open_catalogue([str(corpus_file(f"gwr-national-{y}.txt"))]) for y in (2023, 2024, 2025)}


@pytest.mark.parametrize("pair", [(2023, 2024), (2024, 2025)])
def test_work_reports_no_figure_pairs_across_units(years, pair):
    d = diff_catalogues(years[pair[0]], years[pair[1]])
    for c in d.changes:
        for x in c.numbers:
            if x.old and x.new:
                ua = {f.value: f.unit for f in figures(x.old)}[x.old]
                ub = {f.value: f.unit for f in figures(x.new)}[x.new]
                assert ua == ub, (c.kind, x)


def test_work_reports_deficit_ratio_is_a_figure_change(years):
    d = diff_catalogues(years[2024], years[2025])
    found = [x for c in d.changes for x in c.numbers if "赤字率" in x.label and x.old and x.new]
    assert ("3%", "4%左右") in [(x.old, x.new) for x in found]


def test_work_reports_2023_plan_pairs_with_2024_chapters(years):
    # By the definition of a measure the 2023 plan's （一）…（八） are leaf
    # paragraphs (measures), while 2024's are headings over lead measures; the
    # parts that hold them pair, and the review's sections pair by content
    d = diff_catalogues(years[2023], years[2024])
    renamed = {(c.old[0].section, c.new[0].section) for c in d.changes if c.kind == "section-renamed"}
    assert ("对今年政府工作的建议", "2024年政府工作任务") in renamed
    # the plan's leaf measure became a heading over lead measures: one change, not removed + added
    promoted = {((c.old[0].text or "")[:8], c.new[0].section) for c in d.changes if c.kind == "measure-to-section"}
    assert ("着力扩大国内需求", "着力扩大国内需求，推动经济实现良性循环") in promoted
    assert ("加快建设现代化产", "大力推进现代化产业体系建设，加快发展新质生产力") in promoted
    assert not any(c.kind == "removed" and (c.old[0].text or "").startswith("着力扩大国内需求") for c in d.changes)
    assert ("加强生态环境保护，促进绿色低碳发展", "加强生态文明建设，推进绿色低碳发展") in renamed
    d = diff_catalogues(years[2024], years[2025])
    renamed = {(c.old[0].section, c.new[0].section) for c in d.changes if c.kind == "section-renamed"}
    assert ("大力推进现代化产业体系建设，加快发展新质生产力", "因地制宜发展新质生产力，加快建设现代化产业体系") in renamed


# ------------------------------------------------------------------ assignment


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(2, 9), st.randoms(use_true_random=False))
def test_assign_with_forced_pairs_is_as_good_as_augmenting_paths_alone(nl, nr, rnd):
    # dense blocks, with many near-ties as formulaic headings give
    edges = [(i, j, round(rnd.choice([0.5, 0.9, 1.0, 1.9, 2.0]) + rnd.random() / 10, 3)) for i in range(nl) for j in range(nr)]
    edges = [e for e in edges if rnd.random() < 0.7]
    if not edges:
        return
    w = {(i, j): x for i, j, x in edges}
    got = assign(edges)
    ref = _assign_component(edges)
    assert len({i for i, _ in got}) == len(got) == len({j for _, j in got})
    assert sum(w[p] for p in got) == pytest.approx(sum(w[p] for p in ref))


def test_templated_headings_stay_sparse():
    # 400 sections with headings from one template, measures shuffled a little:
    # every section pairs with its own, none with a look-alike
    rng = random.Random(7)

    def build(shift: bool) -> Catalogue:
        secs = []
        for k in range(400):
            e, j = divmod(k, 10)
            texts = [f"{rng.choice(CLAUSES)}。第{k}项第{m}条措施。" for m in range(2)]
            secs.append(section(f"e1.s{k + 1}", f"着力推进第{e + 1}篇第{j + 1}项重点工作", texts))
        return catalogue(document("t.txt", [essay("e1", "报告", secs)]))

    rng.seed(7)
    old = build(False)
    rng.seed(7)
    new = build(True)
    assert diff_catalogues(old, new).same


# ------------------------------------------------------------------ output


def _render(d, width: int = 100, wrap: bool = True) -> str:
    import io

    from guizhou_cli.render import make_console
    from guizhou_cli.render.diff import render_diff

    buf = io.StringIO()
    render_diff(d, make_console(buf, color=False, width=width), wrap=wrap)
    return buf.getvalue()


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    old = catalogue(report("r.txt"))
    long = "加快发展数字经济，促进数字技术和实体经济深度融合，支持平台企业在引领发展、创造就业、国际竞争中大显身手，" * 2
    new = catalogue(report("r.txt", long + "赤字率拟按4%左右安排。"))
    a, b = tmp_path / "old.yaml", tmp_path / "new.yaml"
    dump_catalogue(old, a, "yaml")
    dump_catalogue(new, b, "yaml")
    return a, b


def test_output_file_is_written_atomically_with_the_exit_status(tmp_path):
    a, b = _pair(tmp_path)
    out = tmp_path / "d.json"
    r = run("diff", str(a), str(b), "-o", str(out))
    assert r.code == 1 and r.out == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["modified"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    md = tmp_path / "d.md"
    assert run("diff", str(a), str(b), "-o", str(md)).code == 1
    assert md.read_text(encoding="utf-8").startswith("# Diff: ")
    y = tmp_path / "d.yaml"
    assert run("diff", str(a), str(b), "-o", str(y), "--stat").code == 1
    assert yaml.safe_load(y.read_text(encoding="utf-8"))["sections"][0]["modified"] == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "{a}"], "is one of the inputs"),
        (["-f", "json", "-o", "{tmp}/x.yaml"], "contradicts"),
    ],
)
def test_output_errors_exit_2_and_leave_files_alone(tmp_path, extra, message):
    a, b = _pair(tmp_path)
    before = a.read_bytes()
    args = [x.format(a=a, tmp=tmp_path) for x in extra]
    r = run("diff", str(a), str(b), *args)
    assert r.code == 2
    assert message in r.err
    assert a.read_bytes() == before
    assert not (tmp_path / "x.yaml").exists()


def test_no_hard_wrap_off_a_terminal_and_plain_marks(tmp_path):
    a, b = _pair(tmp_path)
    r = run("diff", str(a), str(b))
    assert r.code == 1
    assert "\x1b[" not in r.out
    line = next(x for x in r.out.splitlines() if "{+" in x)
    assert len(line) > 100  # one line, however long
    assert "加快发展数字经济，促进数字技术和实体经济深度融合，支持平台企业在引领发展、创造就业、国际竞争中大显身手" in line
    assert "figure 赤字率 — → 4%左右" in r.out
    r = run("diff", str(a), str(b), tty=True)
    assert max(len(x) for x in r.out.splitlines()) <= 100  # wrapped on a terminal


def test_stat_one_line_per_section(tmp_path):
    a, b = _pair(tmp_path)
    r = run("diff", str(a), str(b), "--stat")
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0].startswith("《政府工作报告》 › 稳定经济增长") and lines[0].rstrip().endswith("1 ~")
    assert lines[-1].startswith("1 change: 1 modified")


def test_golden_diff_views(tmp_path):
    old = catalogue(report("r.txt"))
    new_doc = report("r.txt", "赤字率拟按4%左右安排。")
    es = new_doc.essays[0]
    secs = (
        es.sections[0],
        section(
            "e1.s2",
            "深化改革开放",
            [f"{CLAUSES[4]}。实施国有企业改革深化提升行动。", "持续优化营商环境。清理妨碍公平竞争的政策。"],
        ),
        section("e1.s3", "加强组织领导", [], own="各级政府要狠抓落实。"),
    )
    new = catalogue(replace(new_doc, essays=(replace(es, sections=secs),)))
    d = diff_catalogues(old, new, old_source="old.yaml", new_source="new.yaml")
    import io

    from guizhou_cli.render import make_console
    from guizhou_cli.render.diff import render_stat

    buf = io.StringIO()
    render_stat(d, make_console(buf, color=False, width=100))
    check_golden("diff-stat.txt", buf.getvalue())
    check_golden("diff.txt", _render(d, wrap=False))
    check_golden("diff.md", diff_markdown(d))
    assert [r.total for r in diff_stat(d)] == [1, 1, 1]


def test_measure_links_match_the_diff():
    old = catalogue(report("r.txt"))
    new = catalogue(report("r.txt", "支持平台经济发展。"))
    links = measure_links(old, new)
    assert [(x.old, x.new, x.kind) for x in links] == [(0, 0, "modified"), (1, 1, "unchanged"), (2, 2, "unchanged")]
