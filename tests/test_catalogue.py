"""The catalogue contract: key order, Chinese as characters, round trips."""

from __future__ import annotations

import json

import pytest
import yaml

from guizhou_cli import CatalogueError, dump_catalogue, load_catalogue, loads_catalogue
from guizhou_cli.catalogue import dumps_catalogue
from guizhou_cli.model import Catalogue


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
        (lambda d: d["documents"][0]["essays"][2].__setitem__("sections", "x"), "documents[0].essays[2].sections: expected a list"),
        (lambda d: d.__setitem__("schema", "guizhou-catalogue/9"), "newer"),
        (lambda d: d.__setitem__("schema", "something/1"), "not a guizhou catalogue"),
        (lambda d: d["documents"][0].pop("sha256"), "documents[0].sha256: missing"),
        (lambda d: d["documents"][0]["essays"][0]["sections"][0].__setitem__("line", "5"), "sections[0].line: expected an integer"),
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
