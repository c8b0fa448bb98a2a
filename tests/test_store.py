"""The SQLite catalogue (``extract -o archive.db``): lossless both ways, read in
place by every read command with the answers YAML gives, read-only, and
browsable as plain tables without guizhou code."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guizhou_cli import load_catalogue
from guizhou_cli.catalogue import dump_catalogue, dumps_catalogue
from guizhou_cli.store import STORE_FORMAT, Store, load_store, write_store

from .cli_helpers import run
from .conftest import ROOT, SEED
from .golden.samples import tricky_catalogue
from .strategies import document

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The seed and the text fixtures, as YAML and as a database."""
    d = tmp_path_factory.mktemp("archive")
    sources = [str(SEED), *sorted(str(p) for p in FIXTURES.glob("*.txt"))]
    yml, db = d / "a.yaml", d / "a.db"
    assert run("extract", *sources, "-o", str(yml)).code == 0
    r = run("extract", str(yml), "-o", str(db))
    assert r.code == 0, r.err
    return yml, db


def test_yaml_to_db_and_back_is_byte_identical(archive, tmp_path):
    yml, db = archive
    back = tmp_path / "back.yaml"
    r = run("extract", str(db), "-o", str(back))
    assert r.code == 0, r.err
    assert back.read_bytes() == yml.read_bytes()
    # and JSON the same way
    assert run("extract", str(db), "-f", "json").out == run("extract", str(yml), "-f", "json").out


def test_every_field_survives_including_keywords_pages_and_meta(tmp_path):
    from dataclasses import replace

    from guizhou_cli.model import Keyword

    cat = tricky_catalogue()
    doc = cat.documents[0]
    essay = doc.essays[0]
    s0 = essay.sections[0]
    m0 = replace(s0.measures[0], keywords=(Keyword("数据", 0.51234567),), page=3)
    s0 = replace(s0, measures=(m0, *s0.measures[1:]), keywords=(), page=2, flags=("odd",))
    doc = replace(doc, essays=(replace(essay, sections=(s0, *essay.sections[1:])),), meta=(("author", "某"), ("date", "2024")))
    cat = replace(cat, documents=(doc, replace(doc, source="other.txt")))
    write_store(cat, tmp_path / "t.db")
    assert dumps_catalogue(load_store(tmp_path / "t.db")) == dumps_catalogue(cat)


def test_read_commands_answer_the_same_from_db_and_yaml(archive):
    yml, db = archive
    for args in (
        ("list",),
        ("list", "--sections"),
        ("list", "-e", "3", "--full"),
        ("list", "-d", "2", "-s", "1"),
        ("list", "-g", "数据|人才", "-i"),
        ("list", "-n", "5"),
        ("stats",),
        ("stats", "-d", "000_6dfcd726ad4e1932", "-s", "2"),
        ("search", "数字经济"),
        ("search", "数据 安全", "-n", "0"),
        ("search", "发展", "--type", "section", "-e", "2"),
        ("search", "人才", "-g", "评价"),
        ("show", "000_6dfcd726ad4e1932:e4.s2.m2"),
        ("show", "2:e1"),
        ("show", "e3.s2", "-d", "000_6dfcd726ad4e1932"),
    ):
        for fmt in ("json", "tsv"):
            a, b = run(*args, str(yml), "-f", fmt), run(*args, str(db), "-f", fmt)
            assert (a.code, a.out, a.err) == (b.code, b.out, b.err), args
    for args in (("list",), ("search", "数据"), ("stats",), ("show", "000_6dfcd726ad4e1932:e4")):
        a, b = run(*args, str(yml), "-f", "table", "--no-color"), run(*args, str(db), "-f", "table", "--no-color")
        assert a.out == b.out, args


def test_show_unknown_id_from_db_suggests(archive):
    _, db = archive
    r = run("show", "e9.s9", str(db))
    assert r.code == 2 and "no essay, section or measure has this id" in r.err


def test_keywords_and_diff_read_a_db(archive, tmp_path):
    yml, db = archive
    r = run("diff", str(yml), str(db))
    assert r.code == 0, r.out + r.err
    assert run("keywords", str(db), "-f", "json", "-n", "3").out == run("keywords", str(yml), "-f", "json", "-n", "3").out


def test_the_database_opens_read_only(archive, tmp_path):
    _, db = archive
    copy = tmp_path / "ro.db"
    copy.write_bytes(db.read_bytes())
    os.chmod(copy, stat.S_IRUSR)
    before = copy.read_bytes()
    try:
        assert run("list", str(copy), "-f", "tsv").code == 0
        assert run("search", "数据", str(copy), "-f", "tsv").code == 0
        with Store(copy) as st, pytest.raises(sqlite3.OperationalError, match="readonly"):
            st.db.execute("DELETE FROM measures")
    finally:
        os.chmod(copy, stat.S_IRUSR | stat.S_IWUSR)
    assert copy.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["ro.db"]  # no journal left beside it


def test_plain_tables_for_other_tools(archive):
    """What Datasette or sqlite-utils see: tables with foreign keys, a view, FTS5 indexes."""
    _, db = archive
    con = sqlite3.connect(db)
    meta = dict(con.execute("SELECT key, value FROM meta"))
    assert meta["schema"] == "guizhou-catalogue/1" and meta["store"] == STORE_FORMAT
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"documents", "essays", "sections", "measures", "repairs", "furniture", "measure_list"} <= tables
    assert {"measures_fts", "sections_fts"} <= tables
    fks = {(r[2], r[3]) for r in con.execute("SELECT * FROM pragma_foreign_key_list('measures')")}
    assert {("documents", "document_id"), ("essays", "essay_id"), ("sections", "section_id")} <= fks
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # trigram full-text search, no segmentation: a substring of three characters or more
    hits = con.execute(
        "SELECT m.ref FROM measures_fts JOIN measures m ON m.id = measures_fts.rowid WHERE measures_fts MATCH ?",
        ('"保障数据使用安全"',),
    ).fetchall()
    assert ("e4.s2.m2",) in hits
    row = con.execute("SELECT document, essay, section, ref, title FROM measure_list WHERE ref = 'e4.s2.m2'").fetchone()
    assert row == ("000_6dfcd726ad4e1932", "e4", "e4.s2", "e4.s2.m2", "充分保障数据使用安全")
    assert json.loads(con.execute("SELECT authors FROM essays WHERE ref = 'e4'").fetchone()[0]) == ["高杨", "刘亚楠"]
    con.close()


def test_labels_fall_back_to_numbers_when_stems_clash(tmp_path):
    cat = tricky_catalogue()
    doc = cat.documents[0]
    from dataclasses import replace

    cat = replace(cat, documents=(replace(doc, source="a/x.txt"), replace(doc, source="b/x.txt"), replace(doc, source="12.txt")))
    write_store(cat, tmp_path / "t.db")
    con = sqlite3.connect(tmp_path / "t.db")
    assert [r[0] for r in con.execute("SELECT label FROM documents ORDER BY id")] == ["1", "2", "3"]
    con.close()
    listed = run("list", str(tmp_path / "t.db"), "-f", "tsv").out.splitlines()
    assert listed[1].endswith("\t1") and listed[-1].endswith("\t3")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a SQLite database"),
        (b"schema: guizhou-catalogue/1\n", "not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not a guizhou catalogue database"),
    ],
)
def test_a_bad_database_is_one_line_exit_2(tmp_path, content, message):
    p = tmp_path / "bad.db"
    p.write_bytes(content)
    for cmd in (("list", str(p)), ("extract", str(p)), ("show", "e1", str(p)), ("search", "数据", str(p))):
        r = run(*cmd)
        assert r.code == 2 and message in r.err and r.err.count("\n") == 1, (cmd, r.err)


def test_another_sqlite_database_and_a_newer_one_are_refused(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    r = run("list", str(other))
    assert r.code == 2 and "not a guizhou catalogue database" in r.err
    newer = tmp_path / "newer.db"
    write_store(tricky_catalogue(), newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE meta SET value = 'guizhou-catalogue/9' WHERE key = 'schema'")
    con.commit()
    con.close()
    r = run("list", str(newer))
    assert r.code == 2 and "upgrade guizhou-cli" in r.err


def test_writing_a_db_is_atomic_and_needs_a_file(tmp_path):
    out = tmp_path / "out.db"
    out.write_text("precious", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    r = run("extract", str(SEED), str(bad), "-o", str(out))
    assert r.code == 2 and out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["bad.txt", "out.db"]
    r = run("extract", "-f", "db")
    assert r.code == 2 and "-o FILE.db" in r.err
    r = run("list", "-o", str(tmp_path / "x.db"))
    assert r.code == 2 and "cannot write db" in r.err


def test_library_round_trip(tmp_path):
    cat = load_catalogue(dump_catalogue(tricky_catalogue(), tmp_path / "t.yaml") and tmp_path / "t.yaml")
    write_store(cat, tmp_path / "t.db")
    assert load_store(tmp_path / "t.db") == cat


# ------------------------------------------------------------ properties


@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(document(), st.data())
def test_generated_documents_round_trip_and_search_the_same(tmp_path_factory, text, data):
    from guizhou_cli import parse_text
    from guizhou_cli.model import Catalogue
    from guizhou_cli.query import Filters, QueryError, search, select, targets
    from guizhou_cli.store import Store, search_store, select_located

    doc = parse_text(text, "gen.txt")
    cat = Catalogue("t", (doc, parse_text(text[: len(text) // 2] or text, "half.txt")))
    path = tmp_path_factory.mktemp("prop") / "g.db"
    write_store(cat, path)
    assert load_store(path) == cat
    chars = [c for c in text if not c.isspace()]
    if len(chars) < 3:
        return
    start = data.draw(st.integers(0, len(chars) - 2))
    query = "".join(chars[start : start + data.draw(st.integers(1, 4))])
    with Store(path) as s:
        try:
            want = search(targets(cat), query, None)
        except QueryError:
            return
        got, _ = search_store(s, query, Filters(), ("measure", "section", "lead"), None)
        assert [(h.item.kind, h.item.doc_index, h.item.id, round(h.score, 9)) for h in got] == [
            (h.item.kind, h.item.doc_index, h.item.id, round(h.score, 9)) for h in want
        ]
        items, _ = select_located(s, Filters())
        assert [(i.doc_index, i.measure) for i in items] == [(i.doc_index, i.measure) for i in select(cat)]
