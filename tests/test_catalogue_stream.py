"""Reading catalogues one document at a time: the API, the three shapes, chunk boundaries."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from guizhou_cli import CatalogueError, load_catalogue, loads_catalogue
from guizhou_cli import catalogue_stream as cs
from guizhou_cli.catalogue import dumps_catalogue, iter_catalogue_documents, iter_documents_from_catalogue
from guizhou_cli.catalogue_stream import CatalogueStream
from guizhou_cli.model import Catalogue
from guizhou_cli.sources import is_catalogue, iter_source_documents, open_catalogue


@pytest.fixture(scope="module")
def cat(seed_doc):
    other = dataclasses.replace(seed_doc, source="b.txt", meta=(("format", "txt"), ("1e3", "𠮷")))
    return Catalogue("guizhou-cli test", (seed_doc, other))


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_stream_gives_the_documents_and_the_header(tmp_path, cat, fmt):
    p = tmp_path / f"c.{fmt}"
    p.write_text(dumps_catalogue(cat, fmt), encoding="utf-8")
    with CatalogueStream(p) as stream:
        docs = list(stream)
        assert (stream.format, stream.schema, stream.generator, stream.count) == (fmt, cat.schema, cat.generator, 2)
    assert tuple(docs) == cat.documents
    assert tuple(iter_documents_from_catalogue(p)) == tuple(iter_catalogue_documents(str(p))) == cat.documents
    assert load_catalogue(p) == cat
    assert is_catalogue(str(p))


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_chunk_boundaries_anywhere(tmp_path, cat, fmt, chunk, monkeypatch):
    # the readers see the file in pieces: a document, a string, a number or a
    # UTF-8 character may be cut anywhere
    monkeypatch.setattr(cs, "_CHUNK", chunk)
    text = dumps_catalogue(cat, fmt)
    p = tmp_path / f"c.{fmt}"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode())  # with a BOM
    assert tuple(iter_documents_from_catalogue(p)) == cat.documents


def test_json_in_other_layouts(cat):
    data = json.loads(dumps_catalogue(cat, "json"))
    for text in (
        json.dumps(data, ensure_ascii=False),  # one line
        json.dumps(data, ensure_ascii=True, indent=4),
        json.dumps({"documents": data["documents"], "generator": "g", "schema": data["schema"]}),  # schema last
        "\n\n  " + json.dumps(data, separators=(",", ":")) + "\n\n",
    ):
        assert loads_catalogue(text).documents == cat.documents
    jl = dumps_catalogue(cat, "jsonl").replace("\n", "\n\n")  # blank lines between
    assert loads_catalogue(jl).documents == cat.documents


def test_yaml_with_the_schema_after_the_documents(cat):
    text = dumps_catalogue(cat)
    head, docs = text.split("documents:\n", 1)
    assert loads_catalogue("documents:\n" + docs + head) == cat


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"schema": "guizhou-catalogue/1", "documents": [{"source":\n  "a" x}]}', "invalid JSON at line 2 column 7"),
        ('{"schema": "guizhou-catalogue/1", "documents": []} x', "Extra data"),
        ('{"schema": "guizhou-catalogue/1", "documents": [], "documents": []}', "duplicate key 'documents'"),
        ('{"schema": "guizhou-catalogue/1", "generator": "t"}\n{"source": 1}\n', "documents[0].source: expected a string"),
        ('{"schema": "guizhou-catalogue/1", "generator": "t"}\n[1]\n', "documents[0]: expected a mapping, got a list"),
        ('{"schema": "guizhou-catalogue/1", "generator": "t"}\n{"a": 1\n', "invalid JSON at line 3 column 1: Expecting ','"),
        ('{"generator": "t"}\n', "schema: missing"),
        ("schema: guizhou-catalogue/1\n", "documents: missing"),
        ("schema: guizhou-catalogue/1\ndocuments: 3\n", "documents: expected a list, got an integer"),
    ],
)
def test_stream_errors(text, message):
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        loads_catalogue(text, "x.json")
    assert str(info.value).startswith("x.json: ") and "\n" not in str(info.value)


def test_not_utf8_reports_the_byte_in_the_file(tmp_path, cat, monkeypatch):
    monkeypatch.setattr(cs, "_CHUNK", 1000)
    good = dumps_catalogue(cat).encode()
    at = good.index(b"\n", 5000)  # past several chunks, between two characters
    p = tmp_path / "bad.yaml"
    p.write_bytes(good[:at] + b"\xff" + good[at:])
    with pytest.raises(CatalogueError, match=f"bad.yaml: not UTF-8 at byte {at}"):
        list(iter_documents_from_catalogue(p))


def test_file_errors(tmp_path):
    with pytest.raises(CatalogueError, match="no such file"):
        list(iter_documents_from_catalogue(tmp_path / "missing.yaml"))
    with pytest.raises(CatalogueError, match="is a directory"):
        list(iter_documents_from_catalogue(tmp_path))


def test_sources_stream_catalogues_and_stdin(tmp_path, cat, seed_doc):
    p = tmp_path / "c.jsonl"
    p.write_text(dumps_catalogue(cat, "jsonl"), encoding="utf-8")
    it = iter_source_documents([str(p), str(p)])
    assert next(it) == cat.documents[0]  # lazily: one at a time
    assert len(list(it)) == 3
    # a catalogue on stdin is read as a catalogue, in any shape
    for fmt in ("yaml", "json", "jsonl"):
        stdin = io.BytesIO(dumps_catalogue(cat, fmt).encode())
        assert tuple(iter_source_documents(["-"], stdin=stdin)) == cat.documents
    # and a document on stdin as a document, its first bytes included
    stdin = io.BytesIO(b"\xe6\x8e\xa8\xe8\xbf\x9b" * 3 + b"\n" + (tmp_path / "x").as_posix().encode())
    (doc,) = iter_source_documents(["-"], stdin=stdin)
    assert doc.source == "-"
    assert open_catalogue([]).documents == (seed_doc,)
