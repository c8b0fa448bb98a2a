"""Several documents: qualified ids that list prints and show takes, -d on every
read command, completion; and search / list seeing the whole text."""

from __future__ import annotations

import json
import re

import pytest

from .cli_helpers import run
from .conftest import SEED


@pytest.fixture
def two(tmp_path):
    a = tmp_path / "gwr-2026-jiangsu.txt"
    a.write_text("江苏报告\n\n一、总体要求\n\n强化组织领导。一是建立机制。二是压实责任。\n", encoding="utf-8")
    b = tmp_path / "gwr-2026-guangdong.txt"
    b.write_text("广东报告\n\n一、主要任务\n\n推进数据安全。一是完善制度。二是加强监管。\n", encoding="utf-8")
    return str(a), str(b)


def test_list_prints_ids_show_takes(two):
    r = run("list", *two, "-f", "table", "--no-color")
    assert r.code == 0
    ids = re.findall(r"^(\S+:e\d\S*)", r.out, re.M)
    assert any(i.startswith("gwr-2026-jiangsu:e1.") and ".m" in i for i in ids)
    assert any(i.startswith("gwr-2026-guangdong:e1.") and ".m" in i for i in ids)
    for ident in ids:
        s = run("show", ident, *two, "-f", "json")
        assert s.code == 0, (ident, s.err)
        assert json.loads(s.out)["id"] == ident.split(":", 1)[1]
    assert json.loads(run("show", "2:e1", *two, "-f", "json").out)["source"].endswith("guangdong.txt")
    one = run("list", two[0], "-f", "table", "--no-color").out
    assert "gwr-2026-jiangsu:" not in one  # one document: plain ids


def test_data_rows_name_the_document(two):
    rows = json.loads(run("list", *two, "-f", "json").out)
    assert [r["document"] for r in rows] == ["gwr-2026-jiangsu"] * 2 + ["gwr-2026-guangdong"] * 2


@pytest.mark.parametrize(
    "cmd",
    [
        ("list",),
        ("list", "--sections"),
        ("search", "报告 机制 数据"),
        ("stats",),
        ("keywords",),
    ],
)
@pytest.mark.parametrize("spec", ["gwr-2026-guangdong", "2", "gwr-2026-guangdong.txt", "广东"])
def test_document_filter_on_every_read_command(two, cmd, spec):
    whole = run(*cmd, *two, "-f", "json")
    only = run(*cmd, *two, "-d", spec, "-f", "json")
    assert whole.code == only.code == 0, only.err
    assert "jiangsu" in whole.out and "jiangsu" not in only.out and "guangdong" in only.out


def test_unknown_document_says_so(two):
    r = run("list", *two, "-d", "shanghai", "-f", "json")
    assert r.code == 0 and r.out == "[]\n" and "no measures match --document shanghai" in r.err
    r = run("show", "shanghai:e1", *two)
    assert r.code == 2 and "no document shanghai is open (documents: gwr-2026-jiangsu, gwr-2026-guangdong)" in r.err


def test_completion_offers_qualified_ids_and_documents(monkeypatch, two):
    from .test_list import complete

    got = complete(monkeypatch, f"guizhou list {two[0]} {two[1]} -d gwr")
    assert sorted(got) == ["gwr-2026-guangdong", "gwr-2026-jiangsu"]


def test_completion_of_ids_uses_labels():
    from guizhou_cli.model import Catalogue
    from guizhou_cli.query import all_ids
    from guizhou_cli.sources import open_catalogue

    cat = open_catalogue([str(SEED)])
    two = Catalogue("t", (cat.documents[0], cat.documents[0].__class__(**{**_fields(cat.documents[0]), "source": "x/other.txt"})))
    ids = [i for i, _ in all_ids(two)]
    assert "000_6dfcd726ad4e1932:e4.s2.m2" in ids and "other:e4.s2.m2" in ids


def _fields(doc):
    import dataclasses

    return {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)}


# ------------------------------------------------------------ the whole text


def test_search_finds_an_essay_without_measures():
    rows = json.loads(run("search", "数字经济", "-n", "0", "-f", "json").out)
    e1 = [r for r in rows if r["essay"] == "e1"]
    assert e1, "seed essay e1 uses 数字经济 ten times"
    assert {r["type"] for r in e1} >= {"section", "lead"}
    assert all(r["type"] in ("measure", "section", "lead") for r in rows)
    table = run("search", "数字经济", "-n", "0", "-f", "table", "--no-color", tty=True).out
    assert re.search(r"^\s*\d+\s+e1\.s\d+\s+section ", table, re.M)
    assert re.search(r"^\s*\d+\s+e1\s+lead ", table, re.M)


def test_search_type_picks_kinds():
    for kind in ("measure", "section", "lead"):
        rows = json.loads(run("search", "数字", "--type", kind, "-n", "0", "-f", "json").out)
        assert rows and {r["type"] for r in rows} == {kind}


def test_list_sections_with_measure_counts():
    rows = json.loads(run("list", "--sections", "-f", "json").out)
    assert len(rows) == 19
    e4 = [r for r in rows if r["essay"] == "e4"]
    assert [(r["id"], r["measures"]) for r in e4] == [("e4.s1", 3), ("e4.s2", 3), ("e4.s3", 3), ("e4.s4", 3)]
    assert sum(r["measures"] for r in rows) == 32
    e1 = [r for r in rows if r["essay"] == "e1"]
    assert e1 and all(r["measures"] == 0 for r in e1)  # sections without measures are listed too
    table = run("list", "--sections", "-e", "4", "-f", "table", "--no-color").out
    assert re.search(r"^e4\.s2\s+充分释放数据要素价值\s+3\s+79$", table, re.M)
    assert "4 sections of 1 essay, 12 measures in them" in table
