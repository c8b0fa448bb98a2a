"""``guizhou diff``: matching, kinds of change, output formats, exit codes.

Versions of the seed are made two ways: by editing the source text and
parsing it (the whole path a user takes), and, for edits that change how many
measures a section holds, by editing the parsed model, so the checks test the
diff and not the parser's heading heuristics.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from guizhou_cli import parse_text
from guizhou_cli.catalogue import dump_catalogue
from guizhou_cli.diff import (
    KINDS,
    MEASURE_KINDS,
    SCHEMA,
    Diff,
    NumberChange,
    assign,
    diff_catalogues,
    diff_dict,
    dumps_diff,
    inline_diff,
    longest_increasing,
    number_changes,
)
from guizhou_cli.model import Catalogue, Document, Measure, Section, iter_measures

from .cli_helpers import run
from .conftest import ROOT, SEED, corpus_file

SEED_NAME = "seeds/000_6dfcd726ad4e1932.txt"
NUMERALS = "一二三四五六七八九十"


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_cat(seed: str) -> Catalogue:
    return cat_of(seed)


def cat_of(text: str) -> Catalogue:
    return Catalogue("test", (parse_text(text, source=SEED_NAME),))


def edit(text: str, *subs: tuple[str, str]) -> str:
    for a, b in subs:
        assert text.count(a) == 1, f"edit anchor not unique: {a!r}"
        text = text.replace(a, b)
    return text


def changes(d: Diff) -> list[tuple[str, list[str], list[str]]]:
    return [(c.kind, [r.id for r in c.old], [r.id for r in c.new]) for c in d.changes]


def counts(d: Diff) -> dict[str, int]:
    return {k: v for k, v in d.summary().items() if v and k != "unchanged"}


def doc(cat: Catalogue) -> Document:
    return cat.documents[0]


def section(cat: Catalogue, sid: str) -> Section:
    for e in doc(cat).essays:
        for s in e.sections:
            if s.id == sid:
                return s
    raise KeyError(sid)


def with_measures(cat: Catalogue, changes_by_section: dict[str, list[Measure | str]]) -> Catalogue:
    """The catalogue with some sections' measures replaced and renumbered (as a
    parser would number them); a ``str`` is a new measure with that text."""

    def renumber(s: Section) -> Section:
        if s.id not in changes_by_section:
            return s
        ms = []
        for k, m in enumerate(changes_by_section[s.id], 1):
            if isinstance(m, str):
                m = Measure("new", None, None, "numbered", m.split("。")[0], m, s.line, 0)
            ms.append(replace(m, id=f"{s.id}.m{k}", n=k, marker=NUMERALS[k - 1] + "是"))
        return replace(s, measures=tuple(ms))

    d = doc(cat)
    essays = tuple(replace(e, sections=tuple(renumber(s) for s in e.sections)) for e in d.essays)
    return replace(cat, documents=(replace(d, essays=essays),))


def mirror(kind: str) -> str:
    pairs = {"added": "removed", "split": "merged", "essay-added": "essay-removed", "section-added": "section-removed"}
    pairs.update({v: k for k, v in pairs.items()})
    return pairs.get(kind, kind)


# ------------------------------------------------------------------ the seed against itself


def test_seed_against_itself_is_empty(seed_cat):
    d = diff_catalogues(seed_cat, seed_cat)
    assert d.same and d.changes == ()
    assert d.unchanged == 32
    assert set(d.summary()) == {*KINDS, "unchanged"}
    assert all(v == 0 for k, v in d.summary().items() if k != "unchanged")


def test_cli_seed_against_itself_exits_0():
    r = run("diff", str(SEED), str(SEED))
    assert r.code == 0, r.err
    assert r.err == ""
    assert "no changes (32 measures unchanged)" in r.out
    r = run("diff", str(SEED), str(SEED), "-f", "yaml")
    data = yaml.safe_load(r.out)
    assert r.code == 0 and data["changes"] == [] and data["summary"]["unchanged"] == 32


# ------------------------------------------------------------------ edits of the seed text


M_REWORD = (
    "一是加大对数据要素的挖掘力度。对数据进行加工与处理，实现数据可视化。",
    "一是加大数据要素的开发利用力度。对数据进行清洗、加工与处理，实现数据可视化。",
)
M_SPLIT = (
    "三是构建尾矿协同处置与综合利用数字平台。充分应用大数据和AI技术，评估不同尾矿的协同效应，指导尾矿的配比利用，实现协同减量化、资源化和无害化。四是",
    "三是构建尾矿协同处置与综合利用数字平台。充分应用大数据和AI技术，评估不同尾矿的协同效应。四是指导尾矿的配比利用，实现协同减量化、资源化和无害化。五是",
)
TEXT_EDITS = {
    "reword": ([M_REWORD], [("modified", ["e4.s2.m1"], ["e4.s2.m1"])]),
    "split": ([M_SPLIT], [("split", ["e3.s2.m3"], ["e3.s2.m3", "e3.s2.m4"]), ("renumbered", ["e3.s2.m4"], ["e3.s2.m5"])]),
    "rename heading": ([("大力推进成果转化应用。", "加快推进科技成果转化应用。")], [("section-renamed", ["e3.s6"], ["e3.s6"])]),
    "rename heading without measures": (
        [("数字经济支撑、数字技术赋能新型城镇化。", "数字经济支撑、数字技术赋能新型城镇化建设。")],
        [("section-renamed", ["e1.s3"], ["e1.s3"])],
    ),
    "retitle essay": ([("打造经济发展新引擎\n", "塑造经济发展新动能\n")], [("essay-retitled", ["e4"], ["e4"])]),
    "reword text of a section without measures": (
        [("顺应人民对美好生活的向往，", "顺应人民群众对美好生活的新期待，")],
        [("section-modified", ["e1.s3"], ["e1.s3"])],
    ),
}


@pytest.mark.parametrize("name", list(TEXT_EDITS))
def test_each_text_edit_is_reported_as_exactly_that_change(seed, seed_cat, name):
    subs, expected = TEXT_EDITS[name]
    new = cat_of(edit(seed, *subs))
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == expected
    # and the other way round, the mirror image
    back = diff_catalogues(new, seed_cat)
    assert sorted(c.kind for c in back.changes) == sorted(mirror(k) for k, _o, _n in expected)


def test_reworded_measure_has_similarity_and_inline_highlight(seed, seed_cat):
    d = diff_catalogues(seed_cat, cat_of(edit(seed, M_REWORD)))
    (c,) = d.changes
    assert 0.8 < c.similarity < 1
    assert [(s.op, s.text) for s in c.inline] == [
        ("=", "加大"),
        ("-", "对"),
        ("=", "数据要素的"),
        ("-", "挖掘"),
        ("+", "开发利用"),
        ("=", "力度。对数据进行"),
        ("+", "清洗、"),
        ("=", "加工与处理，实现数据可视化。"),
    ]
    assert c.numbers == ()


def test_changed_number_is_called_out(seed):
    base = edit(seed, ("实现数据可视化。", "实现数据可视化，力争数据要素市场规模年均增长5%左右。"))
    d = diff_catalogues(cat_of(base), cat_of(edit(base, ("5%左右", "5.5%左右"))))
    assert changes(d) == [("modified", ["e4.s2.m1"], ["e4.s2.m1"])]
    assert d.changes[0].numbers == (NumberChange("5%左右", "5.5%左右", "数据要素市场规模年均增长"),)
    data = diff_dict(d)["changes"][0]
    assert data["numbers"] == [{"label": "数据要素市场规模年均增长", "old": "5%左右", "new": "5.5%左右"}]


def test_merge_is_the_mirror_of_split(seed, seed_cat):
    d = diff_catalogues(cat_of(edit(seed, M_SPLIT)), seed_cat)
    assert changes(d) == [("merged", ["e3.s2.m3", "e3.s2.m4"], ["e3.s2.m3"]), ("renumbered", ["e3.s2.m5"], ["e3.s2.m4"])]
    assert d.changes[0].similarity > 0.95


# ------------------------------------------------------------------ edits of the parsed seed


def test_insert_one_so_others_renumber(seed_cat):
    s = section(seed_cat, "e3.s6")
    new_text = "建立成果转化激励机制。完善科技成果转化收益分配制度，激发科研人员创新积极性。"
    new = with_measures(seed_cat, {"e3.s6": [s.measures[0], new_text, *s.measures[1:]]})
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == [
        ("added", [], ["e3.s6.m2"]),
        ("renumbered", ["e3.s6.m2"], ["e3.s6.m3"]),
        ("renumbered", ["e3.s6.m3"], ["e3.s6.m4"]),
        ("renumbered", ["e3.s6.m4"], ["e3.s6.m5"]),
    ]
    assert [(c.old[0].n, c.new[0].n) for c in d.changes[1:]] == [(2, 3), (3, 4), (4, 5)]


def test_delete_one(seed_cat):
    s = section(seed_cat, "e4.s1")
    d = diff_catalogues(seed_cat, with_measures(seed_cat, {"e4.s1": [s.measures[0], s.measures[2]]}))
    assert changes(d) == [("removed", ["e4.s1.m2"], []), ("renumbered", ["e4.s1.m3"], ["e4.s1.m2"])]
    assert d.changes[0].place == (SEED_NAME, "打造经济发展新引擎", "健全现代化的基础设施")


def test_delete_the_last_one_is_only_removed(seed_cat):
    s = section(seed_cat, "e4.s1")
    d = diff_catalogues(seed_cat, with_measures(seed_cat, {"e4.s1": list(s.measures[:2])}))
    assert changes(d) == [("removed", ["e4.s1.m3"], [])]


def test_move_to_another_section(seed_cat):
    a, b = section(seed_cat, "e3.s5"), section(seed_cat, "e3.s6")
    new = with_measures(seed_cat, {"e3.s5": list(a.measures[:3]), "e3.s6": [*b.measures, a.measures[3]]})
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == [("moved", ["e3.s5.m4"], ["e3.s6.m5"])]
    c = d.changes[0]
    assert (c.old[0].section, c.new[0].section) == ("打造高水平的科技创新人才队伍", "大力推进成果转化应用")
    assert c.similarity == 1.0 and c.inline == ()


def test_move_from_the_middle_renumbers_what_followed(seed_cat):
    a, b = section(seed_cat, "e4.s3"), section(seed_cat, "e4.s4")
    new = with_measures(seed_cat, {"e4.s3": [a.measures[0], a.measures[2]], "e4.s4": [a.measures[1], *b.measures]})
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == [
        ("renumbered", ["e4.s3.m3"], ["e4.s3.m2"]),
        ("moved", ["e4.s3.m2"], ["e4.s4.m1"]),
        ("renumbered", ["e4.s4.m1"], ["e4.s4.m2"]),
        ("renumbered", ["e4.s4.m2"], ["e4.s4.m3"]),
        ("renumbered", ["e4.s4.m3"], ["e4.s4.m4"]),
    ]


def test_move_to_another_essay(seed_cat):
    a, b = section(seed_cat, "e3.s6"), section(seed_cat, "e4.s4")
    new = with_measures(seed_cat, {"e3.s6": list(a.measures[:3]), "e4.s4": [*b.measures, a.measures[3]]})
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == [("moved", ["e3.s6.m4"], ["e4.s4.m4"])]
    assert d.changes[0].new[0].essay == "打造经济发展新引擎"


def test_reorder_within_a_section(seed_cat):
    s = section(seed_cat, "e3.s3")
    m1, m2, m3, m4 = s.measures
    d = diff_catalogues(seed_cat, with_measures(seed_cat, {"e3.s3": [m1, m3, m2, m4]}))
    # one of the two swapped measures kept its place relative to the others
    assert sorted(c.kind for c in d.changes) == ["moved", "renumbered"]
    assert d.unchanged == 30


def test_unrelated_replacement_is_removed_and_added_not_modified(seed_cat):
    s = section(seed_cat, "e4.s2")
    unrelated = "推进农村人居环境整治。加快农村厕所革命，推进生活垃圾和污水治理，建设美丽宜居乡村。"
    d = diff_catalogues(seed_cat, with_measures(seed_cat, {"e4.s2": [s.measures[0], unrelated, s.measures[2]]}))
    assert sorted(changes(d)) == [("added", [], ["e4.s2.m2"]), ("removed", ["e4.s2.m2"], [])]


def test_rewordings_pair_with_their_true_counterparts_beside_a_similar_one(seed_cat):
    # e3.s2.m3 and e3.s3.m3 are written from one template (their texts score
    # 0.44 against each other): reword both, and each must find its own
    a, b = section(seed_cat, "e3.s2"), section(seed_cat, "e3.s3")
    ra = a.measures[2].text.replace("充分应用", "综合运用").replace("指导尾矿的配比利用", "优化尾矿配比")
    rb = b.measures[2].text.replace("运用数字化平台", "依托数字平台").replace("指导", "优化")
    new = with_measures(seed_cat, {"e3.s2": [*a.measures[:2], ra, a.measures[3]], "e3.s3": [*b.measures[:2], rb, b.measures[3]]})
    d = diff_catalogues(seed_cat, new)
    assert changes(d) == [("modified", ["e3.s2.m3"], ["e3.s2.m3"]), ("modified", ["e3.s3.m3"], ["e3.s3.m3"])]


def test_threshold_tunes_what_counts_as_a_rewording(seed, seed_cat):
    new = cat_of(edit(seed, M_REWORD))
    assert counts(diff_catalogues(seed_cat, new, threshold=0.95)) == {"added": 1, "removed": 1}
    with pytest.raises(ValueError):
        diff_catalogues(seed_cat, new, threshold=0)


# ------------------------------------------------------------------ building blocks


def test_assign_is_global_not_greedy():
    # greedy by best edge takes A–X (0.9) and strands B; the optimum is A–Y + B–X
    assert assign([(0, 0, 0.9), (0, 1, 0.85), (1, 0, 0.84)]) == [(0, 1), (1, 0)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 100)), max_size=12))
def test_assign_finds_the_maximum_weight_matching(raw):
    best: dict[tuple[int, int], int] = {}
    for a, b, w in raw:
        best[a, b] = max(best.get((a, b), 0), w)
    edges = [(a, b, w / 100) for (a, b), w in sorted(best.items())]
    got = assign(edges)
    assert len({a for a, _ in got}) == len(got) == len({b for _, b in got})
    weight = {(a, b): w for a, b, w in edges}
    total = sum(weight[p] for p in got)
    optimum = 0.0
    for k in range(len(edges) + 1):
        for combo in itertools.combinations(edges, k):
            if len({e[0] for e in combo}) == k == len({e[1] for e in combo}):
                optimum = max(optimum, sum(e[2] for e in combo))
    assert total == pytest.approx(optimum)


@given(st.lists(st.integers(0, 30), max_size=25))
def test_longest_increasing(seq):
    keep = sorted(longest_increasing(seq))
    values = [seq[p] for p in keep]
    assert all(x < y for x, y in itertools.pairwise(values))
    # no longer strictly increasing subsequence exists (patience-sorting length)
    import bisect

    tails: list[int] = []
    for v in seq:
        k = bisect.bisect_left(tails, v)
        tails[k : k + 1] = [v]
    assert len(keep) == len(tails)


CJK_TEXT = st.text("的和数据发展推进一二三，。、5%左右0.2.", max_size=40)


@given(CJK_TEXT, CJK_TEXT)
def test_inline_diff_rebuilds_both_texts(a, b):
    segs = inline_diff(a, b)
    assert "".join(s.text for s in segs if s.op != "+") == a
    assert "".join(s.text for s in segs if s.op != "-") == b


def test_number_changes():
    assert number_changes("2023年增长5%左右", "2023年增长5.5%左右") == (NumberChange("5%左右", "5.5%左右", "增长"),)
    assert number_changes("新增就业1200万人以上", "新增就业1200万人以上，失业率5.5%左右") == (
        NumberChange(None, "5.5%左右", "失业率"),
    )
    assert number_changes("赤字率3%", "赤字率拟按3%安排") == ()


# ------------------------------------------------------------------ command line


@pytest.fixture()
def reworded(tmp_path, seed) -> Path:
    p = tmp_path / "reworded.txt"
    p.write_text(edit(seed, M_REWORD), encoding="utf-8")
    return p


def test_cli_differ_exits_1_with_the_view_on_stdout(reworded):
    r = run("diff", str(SEED), str(reworded))
    assert r.code == 1
    assert r.err == ""
    lines = r.out.splitlines()
    assert lines[:2] == [f"--- {SEED}", f"+++ {reworded}"]
    assert "~ modified  e4.s2.m1 一是  85% alike  line 79" in r.out
    # without colour the highlight is bracketed, wdiff style
    assert "加大[-对-]数据要素的[-挖掘-]{+开发利用+}力度" in r.out
    assert lines[-1] == "1 change: 1 modified; 31 measures unchanged"
    assert all(line == line.rstrip() for line in lines)


def test_cli_json_and_yaml(reworded):
    for fmt, load in (("json", json.loads), ("yaml", yaml.safe_load)):
        r = run("diff", str(SEED), str(reworded), "-f", fmt)
        assert r.code == 1 and r.err == ""
        data = load(r.out)
        assert list(data) == ["schema", "generator", "old", "new", "threshold", "summary", "changes"]
        assert data["schema"] == SCHEMA
        assert data["summary"]["modified"] == 1
        (c,) = data["changes"]
        assert list(c) == ["kind", "old", "new", "similarity", "inline"]
        assert list(c["old"]) == ["id", "source", "essay", "section", "n", "marker", "line", "text"]
        assert (c["old"]["source"], c["new"]["source"]) == (str(SEED), str(reworded))
        assert c["old"]["section"] == "充分释放数据要素价值" and c["new"]["n"] == 1
        assert ["+", "开发利用"] in c["inline"]


def test_split_sides_are_lists_in_data(tmp_path, seed):
    p = tmp_path / "split.txt"
    p.write_text(edit(seed, M_SPLIT), encoding="utf-8")
    data = json.loads(run("diff", str(SEED), str(p), "-f", "json").out)
    split = data["changes"][0]
    assert split["kind"] == "split" and isinstance(split["old"], dict) and len(split["new"]) == 2


def test_cli_catalogue_against_its_source_is_the_same(tmp_path):
    cat = tmp_path / "seed.yaml"
    assert run("extract", str(SEED), "-o", str(cat)).code == 0
    r = run("diff", str(cat), str(SEED))
    assert r.code == 0, r.err


def test_cli_reads_one_side_from_stdin(reworded, seed):
    r = run("diff", "-", str(reworded), "-f", "json", stdin=seed.encode("utf-8"))
    assert r.code == 1, r.err
    assert json.loads(r.out)["summary"]["modified"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["diff", "missing.txt", str(SEED)], "missing.txt: no such file"),
        (["diff", "-", "-"], "only one of OLD and NEW can be -"),
        (["diff", str(SEED)], "Missing argument 'NEW'"),
        (["diff", str(SEED), str(SEED), "--threshold", "1.5"], "1.5"),
        (["diff", str(SEED), str(SEED), "-f", "xml"], "'xml' is not one of"),
    ],
)
def test_cli_errors_exit_2_never_1(args, message):
    r = run(*args)
    assert r.code == 2
    assert r.out == ""
    assert message in r.err


def test_cli_bad_catalogue_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: guizhou-catalogue/1\ndocuments: 3\n", encoding="utf-8")
    r = run("diff", str(bad), str(SEED))
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and "documents: expected a list" in r.err


def test_view_prints_user_text_literally(seed_cat):
    from guizhou_cli.render import make_console
    from guizhou_cli.render.diff import render_diff

    s = section(seed_cat, "e4.s2")
    odd = "[bold]措施[/]第一条:smile:\x1b[31m项目[22ZDA064]。"
    d = diff_catalogues(seed_cat, with_measures(seed_cat, {"e4.s2": [*s.measures, odd]}))
    import io

    out = io.StringIO()
    render_diff(d, make_console(out, color=False, width=100))
    assert "[bold]措施[/]第一条:smile:␛[31m项目[22ZDA064]。" in out.getvalue()


def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path, reworded):
    outs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        for fmt in ("yaml", "text"):
            p = subprocess.run(
                # the console script's entry point (it exits with main()'s code)
                [sys.executable, "-c", "from guizhou_cli.cli import run; run()", "diff", str(SEED), str(reworded), "-f", fmt],
                capture_output=True,
                env=env,
                check=False,
            )
            assert p.returncode == 1, p.stderr
            outs.add((fmt, p.stdout))
    assert len(outs) == 2


# ------------------------------------------------------------------ the national work reports


@pytest.fixture(scope="module")
def reports() -> Diff:
    from guizhou_cli.sources import open_catalogue

    old = open_catalogue([str(corpus_file("gwr-national-2024.txt"))])
    new = open_catalogue([str(corpus_file("gwr-national-2025.txt"))])
    return diff_catalogues(old, new, old_source="gwr-national-2024.txt", new_source="gwr-national-2025.txt")


def test_work_reports_year_on_year(reports):
    # The parser's outline is still improving, so the checks are robust ones:
    # the report stays one essay, its parts pair up, and many measures find
    # their counterpart under a rewritten body.
    assert not reports.same
    assert reports.summary()["essay-added"] == reports.summary()["essay-removed"] == 0
    renamed = {(c.old[0].section, c.new[0].section) for c in reports.changes if c.kind == "section-renamed"}
    assert ("2023年工作回顾", "2024年工作回顾") in renamed
    assert ("2024年政府工作任务", "2025年政府工作任务") in renamed
    pairs = [c for c in reports.changes if c.kind in ("modified", "moved")]
    assert len(pairs) >= 12
    titles = {(c.old[0].text or "").split("。")[0]: (c.new[0].text or "").split("。")[0] for c in pairs}
    assert titles.get("维护国家安全和社会稳定") == "维护国家安全和社会稳定"
    assert titles.get("毫不放松巩固拓展脱贫攻坚成果") == "毫不松懈巩固拓展脱贫攻坚成果"


def test_work_reports_2023_2024_finish_and_pair_some_leads():
    from guizhou_cli.sources import open_catalogue

    old = open_catalogue([str(corpus_file("gwr-national-2023.txt"))])
    new = open_catalogue([str(corpus_file("gwr-national-2024.txt"))])
    d = diff_catalogues(old, new)
    paired = [c for c in d.changes if c.kind in ("modified", "moved", "renumbered")]
    assert paired, "no measure of 2023 found its 2024 counterpart"
    lead_titles = {(c.old[0].text or "").split("。")[0] for c in paired}
    assert "加强社会保障和服务" in lead_titles
    # everything is accounted for exactly once on each side
    old_ids = [r.id for c in d.changes if not c.kind.startswith(("essay", "section")) for r in c.old]
    assert len(old_ids) == len(set(old_ids)) == len(iter_measures(old)) - d.unchanged
    dumps_diff(d, "yaml")


# ------------------------------------------------------------------ properties


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_random_edits_account_for_every_measure(seed_cat, data):
    """Whatever is done to the seed's measures, each old and each new measure
    appears in exactly one change (or is unchanged), and the reverse diff is
    the mirror image."""
    edits: dict[str, list[Measure | str]] = {}
    for e in doc(seed_cat).essays[2:]:
        for s in e.sections:
            ms: list[Measure | str] = list(s.measures)
            if data.draw(st.booleans()):
                ms = data.draw(st.permutations(ms))
                if data.draw(st.booleans()) and ms:
                    ms.pop(data.draw(st.integers(0, len(ms) - 1)))
                if data.draw(st.booleans()):
                    ms.insert(0, data.draw(st.sampled_from(["推进农村人居环境整治。建设美丽宜居乡村。", "加强基层治理。"])))
                edits[s.id] = ms
    new = with_measures(seed_cat, edits)
    d = diff_catalogues(seed_cat, new)
    n_old, n_new = len(iter_measures(seed_cat)), len(iter_measures(new))
    measure_changes = [c for c in d.changes if c.kind in MEASURE_KINDS]
    assert sum(len(c.old) for c in measure_changes) + d.unchanged == n_old
    assert sum(len(c.new) for c in measure_changes) + d.unchanged == n_new
    back = diff_catalogues(new, seed_cat)
    assert sorted(mirror(c.kind) for c in d.changes) == sorted(c.kind for c in back.changes) or (
        # a reorder can be explained from either end: the same count of moves
        sum(c.kind == "moved" for c in d.changes) == sum(c.kind == "moved" for c in back.changes)
    )


def test_catalogue_round_trip_gives_no_changes(tmp_path, seed_cat):
    p = tmp_path / "c.json"
    dump_catalogue(seed_cat, p, "json")
    from guizhou_cli.sources import open_catalogue

    assert diff_catalogues(seed_cat, open_catalogue([str(p)])).same
