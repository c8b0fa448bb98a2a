"""The catalogue contract: key order, Chinese as characters, round trips."""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guizhou_cli import CatalogueError, OutputError, dump_catalogue, load_catalogue, loads_catalogue
from guizhou_cli.catalogue import CatalogueWriter, _Dumper, atomic_output, catalogue_dict, document_chunk, dumps_catalogue
from guizhou_cli.model import Catalogue

from .cli_helpers import run
from .strategies import damaged_catalogue


@pytest.fixture(scope="module")
def cat(seed_doc):
    return Catalogue("guizhou-cli test", (seed_doc,))


def test_yaml_key_order_and_characters(cat):
    text = dumps_catalogue(cat)
    assert text.startswith("schema: guizhou-catalogue/1\ngenerator: guizhou-cli test\ndocuments:\n")
    assert "\\u" not in text
    assert "新时代 新征程 新伟业" in text
    data = yaml.safe_load(text)
    doc = data["documents"][0]
    assert list(doc)[:4] == ["source", "sha256", "encoding", "banner"]
    essay = doc["essays"][0]
    assert list(essay)[:6] == ["id", "title", "authors", "affiliation", "note", "lead"]
    sec = doc["essays"][3]["sections"][0]
    for a, b in [("id", "heading"), ("heading", "fragment"), ("fragment", "line"), ("line", "text"), ("text", "measures")]:
        assert list(sec).index(a) < list(sec).index(b)
    m = sec["measures"][0]
    assert [k for k in m if k in ("id", "n", "marker", "title", "text", "line")] == ["id", "n", "marker", "title", "text", "line"]
    assert m == {**m, "id": "e4.s1.m1", "n": 1, "marker": "一是", "title": "加快推进大数据基础设施建设"}


def test_yaml_round_trip_is_byte_identical(cat):
    text = dumps_catalogue(cat)
    again = dumps_catalogue(loads_catalogue(text))
    assert again == text
    assert loads_catalogue(text) == cat


def test_json_round_trip(cat):
    text = dumps_catalogue(cat, "json")
    assert "\\u" not in text
    json.loads(text)
    assert loads_catalogue(text) == cat


def test_file_round_trip(tmp_path, cat):
    out = tmp_path / "c.yaml"
    dump_catalogue(cat, out)
    assert load_catalogue(out) == cat


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["documents"][0]["essays"][2].__setitem__("sections", "x"),
            "documents[0].essays[2].sections: expected a list",
        ),
        (lambda d: d.__setitem__("schema", "guizhou-catalogue/9"), "newer"),
        (lambda d: d.__setitem__("schema", "something/1"), "not a guizhou catalogue"),
        (lambda d: d["documents"][0].pop("sha256"), "documents[0].sha256: missing"),
        (
            lambda d: d["documents"][0]["essays"][0]["sections"][0].__setitem__("line", "5"),
            "sections[0].line: expected an integer",
        ),
    ],
)
def test_validation_reports_the_first_problem_with_its_path(cat, mutate, message):
    data = json.loads(dumps_catalogue(cat, "json"))
    mutate(data)
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        loads_catalogue(json.dumps(data, ensure_ascii=False))


def test_object_tags_are_refused():
    with pytest.raises(CatalogueError, match="refused YAML tag"):
        loads_catalogue("schema: !!python/object/apply:os.system ['echo hi']\n")


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join('*' + p for p in [chr(ord(c) - 1)] * 9)}]\n" for c in "bcdefghij"
    )
    with pytest.raises(CatalogueError, match="alias"):
        loads_catalogue(bomb)


# ------------------------------------------------------------ hostile catalogues

SCHEMA_HEAD = "schema: guizhou-catalogue/1\ngenerator: t\n"
MINIMAL_DOC = "documents:\n- source: a.txt\n  sha256: '0'\n  essays: []\n"


@pytest.mark.parametrize(
    "text",
    [
        "schema: !!python/object/apply:os.system ['echo hi']\n",
        "schema: !!python/object/new:os.system ['echo hi']\n",
        "schema: !!python/name:os.system\n",
        "schema: !!python/module:os\n",
        # a %TAG directive spelling the python tags another way
        "%TAG !p! tag:yaml.org,2002:python/\n---\nschema: !p!object/apply:os.system ['echo hi']\n",
        "schema: !foo bar\n",
    ],
)
def test_object_constructing_tags_are_refused(text):
    with pytest.raises(CatalogueError, match="refused YAML tag"):
        loads_catalogue(text)


@pytest.mark.parametrize(
    "text, message",
    [
        # even the "safe" tags are refused, before anything is built: a
        # catalogue never has tags, and PyYAML's constructors crash on odd
        # values (!!timestamp x: AttributeError; !!bool x: KeyError;
        # !!map [1]: TypeError; found by bench/bench_fuzz.py)
        (
            SCHEMA_HEAD + "documents:\n- source: !!binary aGk=\n  sha256: '0'\n  essays: []\n",
            "refused YAML tag at line 4: !!binary",
        ),
        (SCHEMA_HEAD + "documents: !!set {a: null}\n", "refused YAML tag at line 3: !!set"),
        (SCHEMA_HEAD + "generator: !!timestamp x\n", "refused YAML tag at line 3: !!timestamp"),
        (SCHEMA_HEAD + "generator: !!bool x\n", "refused YAML tag at line 3: !!bool"),
        (SCHEMA_HEAD + "documents: !!map [1]\n", "refused YAML tag at line 3: !!map"),
        # YAML 1.1 reads these as a date and a boolean, not strings
        (
            SCHEMA_HEAD + "documents:\n- source: a\n  sha256: 2023-05-01\n  essays: []\n",
            "documents[0].sha256: expected a string, got date",
        ),
        (
            SCHEMA_HEAD + "documents:\n- source: no\n  sha256: '0'\n  essays: []\n",
            "documents[0].source: expected a string, got a boolean",
        ),
        (
            '{"schema": "guizhou-catalogue/1", "documents": [{"source": "a", "sha256": "0", "essays": [{"id": "e1", '
            '"title": null, "authors": [], "affiliation": null, "note": null, "lead": null, "line": true, "closing": null, '
            '"sections": []}]}]}',
            "documents[0].essays[0].line: expected an integer, got a boolean",
        ),
        (
            SCHEMA_HEAD
            + MINIMAL_DOC.replace(
                "essays: []",
                "essays: [{id: e1, authors: [], sections: [{id: s, line: 1, text: t, "
                "measures: [], keywords: [{term: x, weight: true}]}]}]",
            ),
            "keywords[0].weight: expected an integer or a number, got a boolean",
        ),
        # duplicate keys: PyYAML and json would keep the last one silently
        (SCHEMA_HEAD + "schema: guizhou-catalogue/1\n" + MINIMAL_DOC, "duplicate key 'schema'"),
        ('{"schema": "guizhou-catalogue/1", "schema": "guizhou-catalogue/1", "documents": []}', "duplicate key 'schema'"),
        # Python refuses to convert integers of over 4300 digits: one line, not a ValueError
        (
            SCHEMA_HEAD
            + MINIMAL_DOC.replace("essays: []", "essays: []\n  furniture: [{kind: x, line: " + "9" * 5000 + ", text: t}]"),
            "invalid value",
        ),
        ('{"schema": "guizhou-catalogue/1", "documents": [], "x": ' + "9" * 5000 + "}", "invalid value"),
        # nesting past the parsers' limits: refused, no crash
        (SCHEMA_HEAD + "x: " + "[" * 100_000 + "]" * 100_000 + "\n", "nest"),
        ('{"schema": "guizhou-catalogue/1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        (SCHEMA_HEAD + "x:\n" + "".join(" " * i + "- \n" for i in range(3000)), "nest"),
        ("", "expected a mapping, got null"),
        ("- a\n- b\n", "expected a mapping, got a list"),
        ("schema: 1\n", "schema: expected a string, got an integer"),
        # found by bench/bench_fuzz.py: int() of a 5000-digit version raised ValueError
        ('{"schema": "guizhou-catalogue/' + "9" * 5000 + '", "documents": []}', "is newer than this guizhou-cli reads"),
        ("schema: guizhou-catalogue/²\n", "is not a guizhou catalogue"),
        (SCHEMA_HEAD + "---\nschema: x\n", "invalid YAML"),
        (SCHEMA_HEAD + "documents: [\n", "invalid YAML at line"),
        ("schema: guizhou-catalogue/1\x00\n", "invalid YAML"),
        ("schema: *a\n", "alias"),
        (SCHEMA_HEAD + "documents:\n- &d {source: a, sha256: '0', essays: []}\n- *d\n", "alias"),
        (SCHEMA_HEAD + "base: &b {source: a}\ndocuments:\n- <<: *b\n  sha256: '0'\n  essays: []\n", "alias"),
    ],
)
def test_hostile_catalogues_get_one_line_with_a_path(text, message):
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        loads_catalogue(text)
    assert "\n" not in str(info.value)


def test_not_utf8_catalogue():
    with pytest.raises(CatalogueError, match="not UTF-8 at byte"):
        loads_catalogue(SCHEMA_HEAD.encode() + "documents: []\ngenerator: 标题\n".encode("gb18030"))


def test_ampersands_and_stars_in_text_are_not_anchors(cat):
    doc = cat.documents[0]
    odd = dataclasses.replace(doc, banner="A&B *a &b <<: *c !!python/name:os.system")
    text = dumps_catalogue(Catalogue("t", (odd,)))
    assert loads_catalogue(text).documents[0].banner == odd.banner


def test_alias_bomb_is_refused_with_bounded_memory():
    # nine levels of nine: expanding it would make 9**9 (387 million) strings
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    bomb = "\n".join(levels) + "\n"
    tracemalloc.start()
    try:
        with pytest.raises(CatalogueError, match="alias"):
            loads_catalogue(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 2**20, peak


def test_a_newer_schema_is_refused_on_the_command_line(tmp_path, cat):
    newer = tmp_path / "newer.yaml"
    newer.write_text(dumps_catalogue(cat).replace("guizhou-catalogue/1", "guizhou-catalogue/2", 1), encoding="utf-8")
    r = run("extract", str(newer))
    assert r.code == 2
    assert r.err.startswith("guizhou: error:") and r.err.count("\n") == 1
    assert "guizhou-catalogue/2 is newer than this guizhou-cli reads" in r.err and "upgrade" in r.err


def test_load_catalogue_errors_are_catalogue_errors(tmp_path):
    with pytest.raises(CatalogueError, match="no such file"):
        load_catalogue(tmp_path / "missing.yaml")
    with pytest.raises(CatalogueError, match="is a directory"):
        load_catalogue(tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(CatalogueError, match="is a device"):
            load_catalogue("/dev/zero")


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_catalogues_load_or_fail_with_a_catalogue_error(cat, data):
    fmt = data.draw(st.sampled_from(["yaml", "json"]))
    text = data.draw(damaged_catalogue(_small_text(cat, fmt)))
    try:
        got = loads_catalogue(text)
    except CatalogueError as exc:
        assert "\n" not in str(exc)
        return
    # what loads must dump and load back to itself
    again = dumps_catalogue(got)
    assert dumps_catalogue(loads_catalogue(again)) == again


@functools.lru_cache(maxsize=2)
def _small_text(cat, fmt):
    # one essay keeps each example fast; its text still has every kind of key
    doc = cat.documents[0]
    small = dataclasses.replace(doc, essays=doc.essays[3:4])
    return dumps_catalogue(Catalogue("t", (small,)), fmt)


# ------------------------------------------------------------ writing


def _reference(cat, fmt):
    data = catalogue_dict(cat)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("generator", ["guizhou-cli 0.1.0", "a: b # c", "'quoted' \"both\"", "标题", ""])
def test_streamed_writing_is_byte_identical_to_one_dump(cat, fmt, generator):
    docs = (*cat.documents, *cat.documents)
    for n in (0, 1, 2):
        c = Catalogue(generator, docs[:n])
        buf = io.StringIO()
        w = CatalogueWriter(buf, fmt, generator)
        for d in c.documents:
            w.add_chunk(document_chunk(d, fmt))
        w.close()
        assert buf.getvalue() == _reference(c, fmt) == dumps_catalogue(c, fmt)


def test_streamed_writing_matches_on_the_corpus():
    from guizhou_cli import parse_file

    from .conftest import CORPUS, CORPUS_MISSING

    files = sorted(CORPUS.glob("*.txt"))[:6]
    if not files:
        pytest.skip(CORPUS_MISSING)
    c = Catalogue("t", tuple(parse_file(str(f)) for f in files))
    for fmt in ("yaml", "json"):
        assert dumps_catalogue(c, fmt) == _reference(c, fmt)


def test_atomic_output_keeps_the_old_file_on_any_exception(tmp_path):
    out = tmp_path / "c.yaml"
    out.write_text("precious", encoding="utf-8")
    for exc in (RuntimeError("boom"), KeyboardInterrupt(), OutputError("x")):
        with pytest.raises(type(exc)), atomic_output(out) as fh:
            fh.write("half a catalogue" * 10_000)
            raise exc
        assert out.read_text(encoding="utf-8") == "precious"
        assert os.listdir(tmp_path) == ["c.yaml"]


def test_atomic_output_replaces_and_keeps_the_mode(tmp_path):
    out = tmp_path / "c.yaml"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    with atomic_output(out) as fh:
        fh.write("新")
    assert out.read_text(encoding="utf-8") == "新"
    assert out.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["c.yaml"]


def test_atomic_output_to_a_full_disk_is_an_output_error():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(OutputError, match="No space left"), atomic_output("/dev/full") as fh:
        fh.write("x" * 100_000)
