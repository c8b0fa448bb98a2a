"""``guizhou show``, ``search`` and ``stats``, and the library calls behind them."""

from __future__ import annotations

import itertools
import json
import re

import pytest
import yaml
from rich.cells import cell_len

from guizhou_cli.query import QueryError, find, query_tokens, search, select, snippet, stats, tokens
from guizhou_cli.sources import open_catalogue

from .cli_helpers import run
from .golden import WIDTH, check_golden
from .golden.samples import write_tricky


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def seed():
    return open_catalogue([])


@pytest.fixture
def tricky(tmp_path):
    return str(write_tricky(tmp_path))


def ok(*args: str, **kw) -> str:
    r = run(*args, **kw)
    assert r.code == 0, r.err
    assert r.err == ""
    return r.out


# ------------------------------------------------------------ show


def test_golden_show_measure_table():
    check_golden("show-e4.s2.m2.txt", ok("show", "e4.s2.m2", "-f", "table", "--no-color"))


def test_golden_show_essay_table():
    check_golden("show-e3.txt", ok("show", "e3", "-f", "table", "--no-color"))


def test_show_measure_has_provenance_and_whole_text(seed):
    out = ok("show", "e4.s2.m2", "-f", "table", "--no-color")
    m = next(it.measure for it in select(seed) if it.measure.id == "e4.s2.m2")
    assert out.splitlines()[0] == "e4.s2.m2 二是 充分保障数据使用安全"
    assert re.search(r"^source\s+seeds/000_6dfcd726ad4e1932\.txt, line 79$", out, re.M)
    assert re.search(r"^essay\s+e4  打造经济发展新引擎  高杨 刘亚楠$", out, re.M)
    assert re.search(r"^section\s+e4\.s2  充分释放数据要素价值$", out, re.M)
    assert re.search(r"^flags\s+none$", out, re.M)
    assert re.sub(r"\s+", "", m.text) in re.sub(r"\s+", "", out)


def test_show_fragment_and_truncated_sections_with_their_repairs():
    frag = ok("show", "e2.s1", "-f", "json")
    rec = json.loads(frag)
    assert rec["kind"] == "section" and rec["flags"] == ["fragment"]
    assert [r["kind"] for r in rec["repairs"]] == ["fragment"]
    assert rec["section"]["heading"] is None and rec["section"]["text"].startswith("程机械")
    trunc = json.loads(ok("show", "e1.s4", "-f", "json"))
    assert trunc["flags"] == ["truncated"]
    assert [r["kind"] for r in trunc["repairs"]] == ["truncated"]
    table = ok("show", "e1.s4", "-f", "table", "--no-color")
    assert "[truncated]" in table.splitlines()[0]
    assert re.search(r"^repairs\s+truncated \(line 25\) paragraph stops mid-sentence", table, re.M)


def test_show_lists_repairs_touching_the_item():
    rec = json.loads(ok("show", "e3.s3", "-f", "json"))
    assert [(r["kind"], r["lines"]) for r in rec["repairs"]] == [("join-column", [57, 59])]
    # the measure running across the column break carries it; the one starting after the join does not
    assert [r["kind"] for r in json.loads(ok("show", "e3.s3.m1", "-f", "json"))["repairs"]] == ["join-column"]
    assert json.loads(ok("show", "e3.s3.m2", "-f", "json"))["repairs"] == []
    # measures sharing a line: only the last one reaches the line's end, where the join is
    assert [json.loads(ok("show", f"e3.s4.m{i}", "-f", "json"))["repairs"] != [] for i in (1, 2, 3, 4)] == [
        False,
        False,
        False,
        True,
    ]
    # a lead moved above its title belongs to the essay it moved to
    assert [r["kind"] for r in json.loads(ok("show", "e4", "-f", "json"))["repairs"]] == ["moved-lead"]


def test_show_essay_lists_sections_measures_and_closing():
    out = ok("show", "3", "-f", "table", "--no-color")
    assert out.startswith("e3 培育新质生产力 服务“富矿精开”\n")
    assert re.search(r"^authors\s+赵岩 刘松$", out, re.M)
    assert re.search(r"^flags\s+fragment:e3\.s1$", out, re.M)
    assert "e3.s1 (section start lost)  line 53" in out
    assert re.search(r"^e3\.s6\.m4 四是 建强政产学研协同创新平台$", out, re.M)
    assert out.rstrip().endswith("（作者单位：贵州理工学院）")


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_show_data_formats_carry_the_catalogue_dict(fmt, seed):
    from guizhou_cli.catalogue import measure_dict

    out = ok("show", "e4.s2.m2", "-f", fmt)
    rec = yaml.safe_load(out) if fmt == "yaml" else json.loads(out)
    m = next(it.measure for it in select(seed) if it.measure.id == "e4.s2.m2")
    assert rec["measure"] == measure_dict(m)
    assert (rec["kind"], rec["source"], rec["line"]) == ("measure", "seeds/000_6dfcd726ad4e1932.txt", 79)
    if fmt == "jsonl":
        assert out.count("\n") == 1


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_show_tabular_formats_are_field_value_rows(fmt, sep):
    rows = [ln.split(sep, 1) for ln in ok("show", "e4.s2.m2", "-f", fmt).splitlines()]
    assert rows[0] == ["field", "value"]
    got = dict(r for r in rows[1:] if len(r) == 2)
    assert got["measure.title"] == "充分保障数据使用安全"
    assert got["essay.authors"] == "高杨; 刘亚楠"


@pytest.mark.parametrize("ref", ["e4.s2.m2", "E4.S2.M2", " e4.s2.m2 "])
def test_show_ids_ignore_case_and_blanks(ref):
    assert json.loads(ok("show", ref, "-f", "json"))["id"] == "e4.s2.m2"


def test_show_unknown_id_suggests_close_ones():
    r = run("show", "e4.s2.m9")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("guizhou: error: e4.s2.m9: no essay, section or measure has this id (did you mean e4.s2.m")
    assert r.err.count("\n") == 1


def test_show_accepts_the_file_before_the_id(tricky):
    a = ok("show", "e1.s1.m1", tricky, "-f", "json")
    assert ok("show", tricky, "e1.s1.m1", "-f", "json") == a


def test_show_with_several_documents_needs_the_document(tmp_path, tricky):
    seed_copy = tmp_path / "seed.yaml"
    seed_copy.write_text(ok("extract"), encoding="utf-8")
    r = run("show", "e1", tricky, str(seed_copy))
    # ids as list prints them: the file's stem, or the document's number
    assert r.code == 2 and "e1 is in 2 documents; name one: tricky:e1, 000_6dfcd726ad4e1932:e1" in r.err
    assert json.loads(ok("show", "2:e1", tricky, str(seed_copy), "-f", "json"))["source"].startswith("seeds/")
    assert json.loads(ok("show", "tricky.txt:e1", tricky, str(seed_copy), "-f", "json"))["source"] == "tricky.txt"
    assert json.loads(ok("show", "tricky:e1", tricky, str(seed_copy), "-f", "json"))["source"] == "tricky.txt"
    assert json.loads(ok("show", "e1", tricky, str(seed_copy), "-d", "000_6dfcd726ad4e1932", "-f", "json"))["source"].startswith(
        "seeds/"
    )
    r = run("show", "nope.txt:e1", tricky, str(seed_copy))
    assert r.code == 2 and "no document nope.txt is open (documents: tricky, 000_6dfcd726ad4e1932)" in r.err


def test_show_tricky_text_is_literal_and_safe(tricky):
    r = run("show", "e1.s1", tricky, "-f", "table", tty=True)
    assert r.code == 0
    raw = re.sub(r"\x1b\[[0-9;]*m", "", r.out)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", raw)
    flat = re.sub(r"\s+", "", raw)
    for s in ("项目[22ZDA064]总体要求", "措施[a]第一条", "[/]", ":smile:", "␛[31m红色"):
        assert s in flat


def test_find_library_call(seed):
    f = find(seed, "e3.s3.m2")
    assert f.kind == "measure" and f.measure is not None and f.measure.marker == "二是"
    assert f.section is not None and f.section.id == "e3.s3"
    assert f.lines == (59, 59)
    with pytest.raises(QueryError):
        find(seed, "e3.s99")


# ------------------------------------------------------------ search


def test_golden_search_table():
    check_golden("search.txt", ok("search", "数据安全", "-n", "3", "-f", "table", "--no-color"))


def test_tokens_are_bigrams_in_chinese_runs_words_elsewhere():
    toks = [t for t, _, _ in tokens("数据安全，5G网络")]
    assert {"数据", "据安", "安全", "5g", "网络"} <= set(toks)
    assert "全，" not in toks and "安" in toks
    assert query_tokens("数据 安全") == ["数据", "安全"]
    assert query_tokens("数") == ["数"]
    assert query_tokens("ＡＩ技术") == ["技术", "ai"]  # full-width letters fold to ASCII


def test_search_ranks_the_measure_about_the_query_first(seed):
    hits = search(select(seed), "数据安全")
    assert hits[0].item.measure.id == "e4.s2.m2"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    assert search(select(seed), "人才评价")[0].item.measure.id == "e3.s5.m4"
    assert search(select(seed), "尾矿")[0].item.measure.title.startswith(("开展尾矿", "建立尾矿", "构建尾矿", "发展尾矿"))


def test_search_rare_pairs_outweigh_common_ones(seed):
    # 矿渣 is in one section only; 发展 is everywhere
    hits = search(select(seed), "发展 矿渣", limit=4)
    assert all(h.item.section.id == "e3.s3" for h in hits[:3])


def test_search_snippet_is_around_the_hit_with_spans_on_the_match():
    text = "甲" * 100 + "数据安全" + "乙" * 100
    snip, spans = snippet(text, {"数据", "安全"}, 30)
    assert snip.startswith("…") and snip.endswith("…")
    assert len(snip) == 32
    assert [snip[a:b] for a, b in spans] == ["数据安全"]
    short, spans = snippet("保障数据安全。", {"安全"})
    assert short == "保障数据安全。" and [short[a:b] for a, b in spans] == ["安全"]


def test_search_cli_tsv_and_limit():
    out = ok("search", "数据", "-n", "3", "-f", "tsv")
    rows = [ln.split("\t") for ln in out.splitlines()]
    assert rows[0][:5] == ["rank", "score", "type", "snippet", "source"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert all("数据" in r[3] for r in rows[1:])
    assert {r[2] for r in rows[1:]} <= {"measure", "section", "lead"}


def test_search_highlights_hits_on_a_terminal():
    r = run("search", "东数西算", "-f", "table", tty=True)
    assert r.code == 0
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m东数西算", r.out)


def test_search_with_filters_and_nothing_found():
    assert ok("search", "人才", "--essay", "4", "-f", "jsonl").count("\n") >= 1
    assert all(json.loads(ln)["essay"] == "e4" for ln in ok("search", "人才", "--essay", "4", "-f", "jsonl").splitlines())
    r = run("search", "舰载机", "-f", "json")
    assert r.code == 0 and r.out == "[]\n"
    assert r.err == "guizhou: nothing matches 舰载机\n"


def test_search_query_without_anything_to_find_is_an_error():
    r = run("search", "，。！")
    assert r.code == 2 and "has no letters, digits or Chinese characters" in r.err


@pytest.mark.parametrize("width", [50, 80, 120])
def test_search_table_fits(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = ok("search", "数据", "-f", "table", "--no-color")
    assert max(cell_len(ln) for ln in out.splitlines()) <= width


# ------------------------------------------------------------ stats


def test_golden_stats_table():
    check_golden("stats.txt", ok("stats", "-f", "table", "--no-color"))


def test_stats_counts_match_the_seed(seed):
    rows = stats(seed)
    total = rows[-1]
    assert (total.level, total.measures, total.sections) == ("total", 32, 19)
    essays = [r for r in rows if r.level == "essay"]
    assert [(r.id, r.sections, r.measures) for r in essays] == [("e1", 4, 0), ("e2", 5, 0), ("e3", 6, 20), ("e4", 4, 12)]
    sec = next(r for r in rows if r.id == "e4.s2")
    text = find(seed, "e4.s2").section.text  # type: ignore[union-attr]
    assert (sec.chars, sec.measures) == (len(text), 3)
    assert total.chars == sum(r.chars for r in essays)
    assert 0 < sec.measure_chars <= sec.chars


def test_stats_filters_and_data_formats():
    rows = list(yaml.safe_load(ok("stats", "--essay", "4", "--section", "s2", "-f", "yaml")))
    assert [(r["level"], r["id"]) for r in rows] == [("essay", "e4"), ("section", "e4.s2"), ("total", None)]
    assert rows[-1]["measures"] == rows[0]["measures"] == 3
    csv_out = ok("stats", "-f", "csv").splitlines()
    assert csv_out[0] == "level,source,id,title,depth,sections,measures,chars,measure_chars,unplaced"
    assert csv_out[-1].startswith("total,,,,0,19,32,")


def test_stats_nothing_matches():
    r = run("stats", "--essay", "e9", "-f", "json")
    assert r.code == 0 and r.out == "[]\n" and r.err == "guizhou: no sections match --essay e9\n"


def test_stats_over_several_documents_has_document_rows(tmp_path, tricky):
    rows = json.loads(ok("stats", tricky, tricky, "-f", "json"))
    assert [r["level"] for r in rows].count("document") == 2
    assert rows[-1]["measures"] == 8


def test_search_limit_zero_means_all():
    rows = ok("search", "技术", "-n", "0", "--type", "measure", "-f", "tsv").splitlines()[1:]
    assert len(rows) == 18  # every measure that mentions 技术, past the default 10
    everything = ok("search", "技术", "-n", "0", "-f", "tsv").splitlines()[1:]
    kinds = [r.split("\t")[2] for r in everything]
    assert kinds.count("measure") == 18 and kinds.count("section") > 0 and len(kinds) > 18


def test_stats_counts_a_section_inside_a_chosen_one_once(tmp_path):
    from guizhou_cli.catalogue import dump_catalogue
    from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section

    m = Measure("e1.s1.s1.m1", 1, "一是", "numbered", "扩大内需", "扩大内需。", 4, 4)
    inner = Section("e1.s1.s1", "稳定增长", "（一）", 1, False, False, 3, 0, "稳定增长", (m,))
    outer = Section("e1.s1", "主要任务", "一、", 1, False, False, 2, 0, "主要任务", sections=(inner,))
    essay = Essay("e1", "报告", (), None, None, None, 1, None, sections=(outer,))
    path = tmp_path / "r.yaml"
    dump_catalogue(Catalogue("t", (Document("r.txt", "0" * 64, "utf-8", None, None, None, (essay,)),)), path)
    rows = json.loads(ok("stats", str(path), "-f", "json"))
    assert [(r["level"], r["id"], r["sections"], r["measures"], r["chars"]) for r in rows] == [
        ("essay", "e1", 2, 1, 8),
        ("section", "e1.s1", 1, 1, 8),
        ("section", "e1.s1.s1", 0, 1, 4),
        ("total", None, 2, 1, 8),
    ]
    # both chosen: e1.s1.s1 is inside e1.s1, so the essay still counts it once
    rows = json.loads(ok("stats", str(path), "-s", "e1.s1", "-s", "e1.s1.s1", "-f", "json"))
    assert rows[0]["measures"] == 1 and rows[-1]["chars"] == 8
