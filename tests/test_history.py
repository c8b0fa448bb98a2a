"""``guizhou history``: measures followed through a series of versions.

The series are built from the model (three versions of a small report), so
the checks do not depend on the extractor; the corpus checks (first
appearance of 新质生产力 and 数字经济, against a plain text search) skip when
the corpus is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guizhou_cli.catalogue import dump_catalogue
from guizhou_cli.history import (
    Version,
    build_history,
    dumps_history,
    figure_changes,
    one_per_year,
    order_versions,
    span,
    split_documents,
    term_history,
    version_label,
)
from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section

from .cli_helpers import run
from .conftest import CORPUS

NUMERALS = "一二三四五六七八九十"
X_OLD = "实施更加积极的财政政策。赤字率拟按3%安排，赤字规模4.06万亿元，优化支出结构。"
X_NEW = "实施更加积极的财政政策。赤字率拟按4%左右安排，赤字规模5.66万亿元，持续优化支出结构，严肃财经纪律。"
Y = "稳定和扩大传统消费。推动消费品以旧换新，培育壮大新型消费。"
Z = "积极扩大有效投资。发挥政府投资带动放大效应，激发民间投资活力。"
NEW = "因地制宜发展新质生产力。推动传统产业转型升级，培育未来产业。"


def section(sid: str, heading: str, texts: list[str]) -> Section:
    ms = tuple(
        Measure(f"{sid}.m{k}", k, NUMERALS[k - 1] + "是", "numbered", t.split("。")[0], t, k, 0) for k, t in enumerate(texts, 1)
    )
    return Section(sid, heading, None, None, False, False, 1, 0, heading + "。\n" + "\n".join(texts), ms)


def version(year: int, sections: list[Section]) -> Version:
    essay = Essay("e1", "政府工作报告", (), None, None, None, 1, None, sections=tuple(sections))
    doc = Document(f"reports/gwr-{year}.txt", "0" * 64, "utf-8", None, None, None, (essay,))
    return Version(str(year), doc.source, Catalogue("test", (doc,)))


@pytest.fixture
def series() -> list[Version]:
    """X: first in 2001; renumbered in 2002 (a measure inserted before it);
    reworded (its figures too) and moved to another section in 2003."""
    return [
        version(2001, [section("e1.s1", "宏观政策", [X_OLD, Y]), section("e1.s2", "扩大内需", [Z])]),
        version(2002, [section("e1.s1", "宏观政策", [NEW, X_OLD, Y]), section("e1.s2", "扩大内需", [Z])]),
        version(2003, [section("e1.s1", "宏观政策", [NEW, Y]), section("e1.s2", "扩大内需", [Z, X_NEW])]),
    ]


def lineage_of(h, text: str):
    return next(lin for lin in h.lineages if lin.steps[0].text == text)


def test_measure_renumbered_reworded_and_moved_across_three_versions(series):
    h = build_history(series)
    x = lineage_of(h, X_OLD)
    assert x.versions == ("2001", "2002", "2003")
    assert [s.change for s in x.steps] == ["first", "renumbered", "moved"]
    assert [s.n for s in x.steps] == [1, 2, 2]
    assert [s.section for s in x.steps] == ["宏观政策", "宏观政策", "扩大内需"]
    assert x.steps[1].similarity == 1.0 and x.steps[2].similarity < 1.0
    assert x.reworded == 1
    assert x.steps[-1].text == X_NEW
    assert figure_changes(x) == ["2003: 赤字率 3% → 4%左右", "2003: 赤字规模 4.06万亿元 → 5.66万亿元"]
    # every measure of every version belongs to exactly one lineage
    assert sum(len(lin.steps) for lin in h.lineages) == 3 + 4 + 4
    new = lineage_of(h, NEW)
    assert new.first == "2002" and new.versions == ("2002", "2003")
    assert [len(lin.steps) for lin in h.lineages] == [3, 3, 3, 2]


def test_a_measure_that_leaves_and_one_that_stays(series):
    series = [*series, version(2004, [section("e1.s1", "宏观政策", [Y])])]
    h = build_history(series)
    y = lineage_of(h, Y)
    assert span(y, ["2001", "2002", "2003", "2004"]) == "2001–2004"
    assert lineage_of(h, X_OLD).last == "2003"


def test_a_measure_missing_for_a_version_is_found_again(series):
    series[1] = version(2002, [section("e1.s1", "宏观政策", [NEW, Y]), section("e1.s2", "扩大内需", [Z])])
    h = build_history(series)
    x = lineage_of(h, X_OLD)
    assert x.versions == ("2001", "2003")
    assert x.steps[1].change == "moved" and x.steps[1].text == X_NEW
    assert span(x, ["2001", "2002", "2003"]) == "2001, 2003"
    # without looking across gaps it is a new measure in 2003
    h = build_history(series, gap=0)
    assert lineage_of(h, X_OLD).versions == ("2001",)


def test_split_starts_a_lineage_of_its_own():
    whole = "加强社会保障和服务。提高城乡居民基础养老金最低标准，扩大失业保险覆盖范围，加强困难群众基本生活保障。"
    a = "加强社会保障和服务。提高城乡居民基础养老金最低标准。"
    b = "扩大失业保险覆盖范围，加强困难群众基本生活保障。"
    h = build_history([version(2001, [section("e1.s1", "民生", [whole])]), version(2002, [section("e1.s1", "民生", [a, b])])])
    assert len(h.lineages) == 2
    first, second = h.lineages
    assert first.versions == ("2001", "2002") and first.steps[1].change == "split"
    assert second.steps[0].change == "split" and second.steps[0].origin == first.id


def test_term_first_appearance_measures_and_headings(series):
    series[2] = version(2003, [section("e1.s1", "加快发展新质生产力", [NEW, Y]), section("e1.s2", "扩大内需", [Z, X_NEW])])
    h = build_history(series, term="新质生产力")
    assert h.term is not None
    assert h.term.first == "2002"
    assert h.term.versions == ("2002", "2003")
    assert h.term.lineages == ((lineage_of(h, NEW).id, "2002"),)
    assert h.term.sections == (("2003", "加快发展新质生产力"),)
    absent = build_history(series, term="人工智能+")
    assert absent.term is not None and absent.term.first is None and absent.term.lineages == ()


def test_one_copy_per_year_and_year_order():
    kept, skipped = one_per_year(["c/gwr-2024-alt-qqiw.txt", "c/gwr-2023.txt", "c/gwr-2024.txt"])
    assert kept == ["c/gwr-2023.txt", "c/gwr-2024.txt"]
    assert skipped[0][0] == "c/gwr-2024-alt-qqiw.txt"
    assert version_label("gwr-national-1997.txt") == "1997"
    assert version_label("report.txt") is None
    cats = [(f"r/{n}", Catalogue("t", ())) for n in ("b-2003.txt", "a-2001.txt")]
    assert [v.label for v in order_versions(cats)[0]] == ["2001", "2003"]
    # without years: the order given, labelled by name
    cats = [(f"r/{n}", Catalogue("t", ())) for n in ("draft.txt", "final.txt")]
    assert [v.label for v in order_versions(cats)[0]] == ["draft.txt", "final.txt"]


def test_formats(series):
    h = build_history(series, term="新质生产力")
    data = json.loads(dumps_history(h, "json"))
    assert data["schema"] == "guizhou-history/1"
    assert [v["label"] for v in data["versions"]] == ["2001", "2002", "2003"]
    assert data["term"]["first"] == "2002"
    x = next(lin for lin in data["lineages"] if lin["steps"][0]["text"] == X_OLD)
    assert x["versions"] == ["2001", "2002", "2003"] and x["first"] == "2001"
    assert x["steps"][2]["numbers"][0] == {"label": "赤字率", "old": "3%", "new": "4%左右"}
    md = dumps_history(h, "md")
    assert md.startswith("# History of 3 versions: 2001–2003")
    assert "**新质生产力** first appears in **2002**" in md
    import yaml

    assert yaml.safe_load(dumps_history(h, "yaml")) == data


def _write(tmp_path: Path, series: list[Version]) -> list[str]:
    paths = []
    for v in series:
        p = tmp_path / f"gwr-{v.label}.yaml"
        dump_catalogue(v.catalogue, p, "yaml")
        paths.append(str(p))
    return paths


def test_cli_table_json_md_and_output(tmp_path, series):
    paths = _write(tmp_path, series)
    r = run("history", *reversed(paths))  # given in any order: sorted by year
    assert r.code == 0, r.err
    assert r.out.splitlines()[0].startswith("3 versions (2001–2003), 11 measures in 4 lineages")
    assert any("[2001–2003]" in line and "reworded 1×" in line for line in r.out.splitlines())
    assert "2003: 赤字率 3% → 4%左右" in r.out
    r = run("history", *paths, "-f", "json", "--term", "新质生产力")
    assert r.code == 0 and json.loads(r.out)["term"]["first"] == "2002"
    out = tmp_path / "h.md"
    r = run("history", *paths, "-o", str(out), "--min-versions", "3")
    assert r.code == 0 and r.out == ""
    assert out.read_text(encoding="utf-8").count("| L") == 3


def test_sort_orders(series):
    from guizhou_cli.history import selected

    h = build_history(series)
    assert [len(x.steps) for x in selected(h, order="versions")] == [3, 3, 3, 2]
    assert selected(h, order="reworded")[0].steps[0].text == X_OLD
    assert [x.id for x in selected(h, min_versions=3, limit=2)] == ["L1", "L2"]


def test_cli_show_one_lineage_step_by_step(tmp_path, series):
    paths = _write(tmp_path, series)
    r = run("history", *paths, "--show", "L1")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("L1  实施更加积极的财政政策  [2001–2003]")
    assert [ln.split()[:2] for ln in lines if ln[:4].isdigit()] == [["2001", "first"], ["2002", "renumbered"], ["2003", "moved"]]
    assert "    figure 赤字率 3% → 4%左右" in lines
    assert any("{+" in ln for ln in lines)  # what changed in its wording, marked without colour
    r = run("history", *paths, "--show", "L99")
    assert r.code == 2 and "no lineage L99" in r.err


def test_cli_one_catalogue_of_several_documents(tmp_path, series):
    docs = tuple(d for v in series for d in v.catalogue.documents)
    p = tmp_path / "all.yaml"
    dump_catalogue(Catalogue("t", docs), p, "yaml")
    assert [c.documents[0].source for _s, c in split_documents(Catalogue("t", docs))] == [d.source for d in docs]
    r = run("history", str(p), "-f", "json", "-n", "1")
    assert r.code == 0
    data = json.loads(r.out)
    assert len(data["versions"]) == 3 and len(data["lineages"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.txt"], "no such file"),
        (["{p}", "-f", "md", "-o", "{tmp}/x.json"], "contradicts"),
        (["{p}", "-o", "{p}"], "inputs"),
    ],
)
def test_cli_errors_exit_2(tmp_path, series, args, message):
    p = _write(tmp_path, series)[0]
    r = run("history", *[a.format(p=p, tmp=tmp_path) for a in args])
    assert r.code == 2
    assert message in r.err
    assert "Traceback" not in r.err


# ------------------------------------------------------------------ corpus


def _first_by_grep(term: str) -> str:
    """The first year whose file holds the term, as grep would say (alternate copies left out)."""
    for f in sorted(CORPUS.glob("gwr-national-*.txt")):
        if "-alt-" not in f.name and term in f.read_text(encoding="utf-8").replace("\n", ""):
            return version_label(f.name) or ""
    return ""


@pytest.fixture(scope="module")
def national():
    files = sorted(str(p) for p in CORPUS.glob("gwr-national-*.txt"))
    if len(files) < 29:
        pytest.skip("the national work reports (../shared/corpus) are not available")
    return files


def test_corpus_first_appearance_of_terms_matches_grep(national):
    r = run("history", *national, "-f", "json", "--term", "新质生产力", "-n", "1")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert len(data["versions"]) == 29
    assert [s["source"].rsplit("/", 1)[1] for s in data["skipped"]] == [
        "gwr-national-2022-alt-reviona.txt",
        "gwr-national-2024-alt-qqiw.txt",
    ]
    assert data["term"]["first"] == "2024" == _first_by_grep("新质生产力")
    # the first appearance needs no lineage: one more term without the matching
    from guizhou_cli.sources import open_catalogue

    kept, _skipped = one_per_year(national)
    versions, _ = order_versions([(f, open_catalogue([f])) for f in kept])
    t = term_history("数字经济", versions, [])
    assert t.first == _first_by_grep("数字经济") == "2017"
