"""The fast catalogue writer: PyYAML's bytes, and YAML that every reader reads the same.

``yamlwriter.ReferenceDumper`` (PyYAML's pure-Python dumper with the
catalogue's quoting rules) is the specification; the writer must give its
bytes for any model, and what it writes must load to the same data with
PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2).
"""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guizhou_cli.catalogue import (
    CatalogueWriter,
    catalogue_dict,
    document_chunk,
    document_dict,
    dumps_catalogue,
    json_indented,
    loads_catalogue,
)
from guizhou_cli.model import Catalogue, Document, Essay, Furniture, Keyword, Measure, Repair, Section
from guizhou_cli.yamlwriter import DocumentWriter, c_dump, reference_dump, resolves_to_str

ruamel_yaml = pytest.importorskip("ruamel.yaml", reason="ruamel.yaml (the test extra) reads YAML 1.2")


def yaml12(text: str) -> object:
    return ruamel_yaml.YAML(typ="safe", pure=True).load(text)


def yaml11(text: str) -> object:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# Strings YAML readers disagree on, or that need quoting or escapes
TRICKY = [
    "1e3", "+1e3", "-1E-3", ".5e3", "1.", "0o17", "0O17", "017", "09", "0x1F", "0b101", "1_000", "_", "190:20:30",
    "yes", "no", "on", "off", "Yes", "NO", "y", "Y", "n", "N", "true", "False", "~", "null", "Null", "NULL", "",
    ".inf", "-.inf", ".NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", "12", "-", "--", "---", "...",
    "- a", "? a", ": a", "a: b", "a:", "a #b", "#a", "a#b", "&a", "*a", "!a", "|", ">", "%a", "@a", "`a", "'a'", '"a"',
    "[a]", "{a}", ",a", " a", "a ", "a\tb", "a\nb", "a\n\nb", "a \nb", "a\n b", "\na", "a\n", "a\u3000\nb",
    "\x85", "a\u2028b", "a\u2029b", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\x9f", "\xa0", "\ud7ff", "\ue000",
    "\ufffd", "\ufffe", "\U0010ffff", "𠮷", "𠮷\n𠮷", "😀 x", "中文：说明", "项目[22ZDA064]", "措施[a]", "“东数西算”",
    "a'b", 'a"b', "a\\b", "x" * 200, "长" * 300 + "\n" + "文",
]  # fmt: skip

FRAGMENTS = st.sampled_from([*TRICKY, "推进", "高质量发展", "。", "，", " ", "\n", "a", "1"])
TEXT = st.one_of(st.sampled_from(TRICKY), st.lists(FRAGMENTS, max_size=6).map("".join), st.text(max_size=12))
OPT = st.none() | TEXT
INT = st.integers(min_value=0, max_value=512 * 1024 * 1024)  # what a loader accepts as a position
WEIGHT = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda w: round(w, 4))
KEYWORDS = st.none() | st.lists(st.builds(Keyword, TEXT, WEIGHT), max_size=2).map(tuple)
FLAGS = st.lists(TEXT, max_size=2).map(tuple)


@st.composite
def measures(draw: st.DrawFn, prefix: str) -> tuple[Measure, ...]:
    out = []
    for i in range(draw(st.integers(0, 3))):
        out.append(
            Measure(
                id=f"{prefix}.m{i + 1}",
                n=draw(st.none() | INT),
                marker=draw(OPT),
                kind=draw(TEXT),
                title=draw(TEXT),
                text=draw(TEXT),
                line=draw(INT),
                offset=draw(INT),
                context=draw(OPT),
                flags=draw(FLAGS),
                keywords=draw(KEYWORDS),
                page=draw(st.none() | INT),
            )
        )
    return tuple(out)


@st.composite
def sections(draw: st.DrawFn, prefix: str, depth: int = 0) -> tuple[Section, ...]:
    out = []
    for i in range(draw(st.integers(0, 2 if depth < 2 else 0))):
        sid = f"{prefix}.s{i + 1}"
        out.append(
            Section(
                id=sid,
                heading=draw(OPT),
                marker=draw(OPT),
                n=draw(st.none() | INT),
                fragment=draw(st.booleans()),
                truncated=draw(st.booleans()),
                line=draw(INT),
                offset=draw(INT),
                text=draw(TEXT),
                measures=draw(measures(sid)),
                sections=draw(sections(sid, depth + 1)),
                flags=draw(FLAGS),
                keywords=draw(KEYWORDS),
                page=draw(st.none() | INT),
            )
        )
    return tuple(out)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    essays = []
    for i in range(draw(st.integers(0, 2))):
        eid = f"e{i + 1}"
        essays.append(
            Essay(
                id=eid,
                title=draw(OPT),
                authors=draw(st.lists(TEXT, max_size=2).map(tuple)),
                affiliation=draw(OPT),
                note=draw(OPT),
                lead=draw(OPT),
                line=draw(st.none() | INT),
                closing=draw(OPT),
                byline=draw(OPT),
                sections=draw(sections(eid)),
                unplaced=draw(st.lists(TEXT, max_size=2).map(tuple)),
            )
        )
    meta_keys = st.one_of(
        st.sampled_from(
            ["format", "title", "a b", "1e3", "y", "yes", "中文", "k: v", " k", "#k", "k" * 122, "k" * 123, "k" * 127, "a\nb"]
        ),
        TEXT,
    )
    return Document(
        source=draw(TEXT), sha256=draw(TEXT), encoding=draw(TEXT), banner=draw(OPT), title=draw(OPT), dateline=draw(OPT),
        essays=tuple(essays),
        repairs=tuple(draw(st.lists(st.builds(Repair, TEXT, st.lists(INT, max_size=2).map(tuple), TEXT), max_size=2))),
        furniture=tuple(draw(st.lists(st.builds(Furniture, TEXT, INT, TEXT), max_size=2))),
        meta=tuple(draw(st.dictionaries(meta_keys, TEXT, max_size=3)).items()),
    )  # fmt: skip


@settings(max_examples=70, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), generator=TEXT)
def test_writer_is_the_reference_dumper_and_every_reader_reads_the_same(doc, generator):
    # byte for byte the specification: PyYAML's dumper with the catalogue's rules
    assert DocumentWriter().document(doc) == reference_dump([document_dict(doc)])
    cat = Catalogue(generator, (doc,))
    text = dumps_catalogue(cat)
    assert text == reference_dump(catalogue_dict(cat))
    # what YAML 1.1 and YAML 1.2 readers get is the data written
    data = catalogue_dict(cat)
    assert yaml11(text) == data
    assert yaml12(text) == data


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_long_strings_and_line_folding_go_through_pyyaml_code_exactly(doc):
    # Long strings skip the fast paths, and past the line width PyYAML folds
    # quoted and plain scalars; a narrow width and a low bar make both happen here.
    from guizhou_cli import yamlwriter

    saved = yamlwriter.WIDTH, yamlwriter._LONG
    yamlwriter.WIDTH, yamlwriter._LONG = 60, 8
    try:
        assert DocumentWriter().document(doc) == reference_dump([document_dict(doc)])
    finally:
        yamlwriter.WIDTH, yamlwriter._LONG = saved


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_every_format_loads_back_to_the_model(doc):
    # positions and ids as a loader accepts them (the loader checks them)
    cat = Catalogue("t", (doc,))
    for fmt in ("yaml", "json", "jsonl"):
        text = dumps_catalogue(cat, fmt)
        assert loads_catalogue(text) == cat, fmt
    body = dumps_catalogue(cat, "json")
    assert body == json.dumps(catalogue_dict(cat), ensure_ascii=False, indent=2) + "\n"
    assert json_indented(document_dict(doc)) == json.dumps(document_dict(doc), ensure_ascii=False, indent=2)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), size=st.sampled_from([1, 50, 1 << 20]))
def test_pieces_of_every_format_are_the_document(doc, size):
    # what extract writes for a large document: pieces made as the model is
    # walked (lazy dicts for JSON), joined the bytes of the whole
    from guizhou_cli.catalogue import document_pieces

    for fmt in ("yaml", "json", "jsonl"):
        assert "".join(document_pieces(doc, fmt, size)) == document_chunk(doc, fmt), fmt
    assert "".join(document_pieces(doc, "jsonl", size)) == json.dumps(document_dict(doc), ensure_ascii=False) + "\n"


def _doc_with(seed_doc, values: list[str]) -> Document:
    essay = seed_doc.essays[3]
    sec = essay.sections[0]
    m = sec.measures[0]
    new_measures = tuple(dataclasses.replace(m, id=f"{sec.id}.x{i}", title=v, text=v, context=v) for i, v in enumerate(values))
    sec = dataclasses.replace(sec, measures=new_measures + sec.measures)
    essay = dataclasses.replace(essay, authors=tuple(values), sections=(sec, *essay.sections[1:]))
    return dataclasses.replace(
        seed_doc, banner=values[0], essays=(essay,), meta=(*tuple((f"k{i}", v) for i, v in enumerate(values)), ("1e3", "y"))
    )


ODD_ONES = ["1e3", "+1e3", "0o17", "yes", "no", "on", "~", "null", "2024-01-01", "0x1F", ".inf", "09", "1_000", "y", "𠮷"]


def test_issue_document_reads_the_same_in_yaml_1_1_and_1_2(seed_doc):
    doc = _doc_with(seed_doc, ODD_ONES)
    cat = Catalogue("guizhou-cli test", (doc,))
    text = dumps_catalogue(cat)
    data = catalogue_dict(cat)
    assert yaml11(text) == data
    assert yaml12(text) == data
    assert loads_catalogue(text) == cat
    assert "\\U" not in text and "𠮷" in text
    assert "  banner: '1e3'\n" in text and "- '0o17'\n" in text and "  k14: 𠮷\n" in text and "'1e3': 'y'" in text


def test_where_the_writer_differs_from_plain_pyyaml_and_why(seed_doc):
    """The documented differences from ``yaml.dump`` with PyYAML's own dumper: YAML 1.2
    numbers quoted (PyYAML leaves them plain, YAML 1.2 readers load numbers);
    astral-plane characters written as themselves (libyaml escapes them)."""
    doc = _doc_with(seed_doc, ["1e3", "0o17", "𠮷"])
    data = catalogue_dict(Catalogue("t", (doc,)))
    plain = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False)
    assert "banner: 1e3\n" in plain
    assert yaml12(plain)["documents"][0]["banner"] == 1000.0  # what the quoting prevents
    if getattr(yaml, "__with_libyaml__", False):
        assert "\\U00020BB7" in c_dump(data)  # libyaml's emitter, even with our quoting
    ours = dumps_catalogue(Catalogue("t", (doc,)))
    assert "banner: '1e3'\n" in ours and "𠮷" in ours


def test_quoting_rules():
    for s in ODD_ONES[:-1]:
        if s != "y":
            assert not resolves_to_str(s), s
    for s in ["中文", "a1", "1a", "e3", "0o8", "yes!", "nulls", "2024-1-1x", "n"]:
        assert resolves_to_str(s), s  # y/n: quoted as values only, see yamlwriter.YN


def test_writer_matches_libyaml_on_the_seed(seed_doc):
    cat = Catalogue("guizhou-cli test", (seed_doc,))
    assert dumps_catalogue(cat) == c_dump(catalogue_dict(cat)) == reference_dump(catalogue_dict(cat))


def test_writer_matches_libyaml_on_the_whole_corpus():
    from guizhou_cli import parse_file

    from .conftest import CORPUS

    files = sorted(CORPUS.glob("*.txt")) + sorted((CORPUS / "provincial-2026").glob("*.txt"))
    if not files:
        pytest.skip(f"the corpus is not at {CORPUS}: the seed test covers the writer without it")
    docs = tuple(parse_file(str(f)) for f in files)
    for d in docs:
        assert document_chunk(d) == c_dump([document_dict(d)]), d.source
    # ruamel.yaml's pure-Python reader takes about 1 s a MB: a sample of a fifth
    text = dumps_catalogue(Catalogue("t", docs[::5]))
    assert yaml12(text) == yaml11(text) == catalogue_dict(Catalogue("t", docs[::5]))


def test_deep_sections_are_written_without_recursion(seed_doc):
    # 300 levels: PyYAML's representer (and a recursive walk) would hit Python's recursion limit
    m = seed_doc.essays[3].sections[0].measures[0]
    sec = Section("s", None, None, None, False, False, 1, 0, "t", (m,))
    for i in range(300):
        sec = Section(f"s{i}", "h", None, None, False, False, 1, 0, "t", (), (sec,))
    doc = dataclasses.replace(seed_doc, essays=(dataclasses.replace(seed_doc.essays[0], sections=(sec,)),))
    text = document_chunk(doc)
    assert text.count("sections:\n") == 301
    assert " " * 600 + "- id: s\n" in text
    for fmt in ("json", "jsonl"):
        document_chunk(doc, fmt)


def test_jsonl_catalogue_shape(seed_doc):
    cat = Catalogue("guizhou-cli test", (seed_doc, seed_doc))
    text = dumps_catalogue(cat, "jsonl")
    lines = text.split("\n")
    assert lines[0] == '{"schema": "guizhou-catalogue/1", "generator": "guizhou-cli test"}'
    assert len(lines) == 4 and lines[3] == ""
    assert json.loads(lines[1]) == document_dict(seed_doc)
    buf = io.StringIO()
    w = CatalogueWriter(buf, "jsonl", "guizhou-cli test")
    w.add_chunk(document_chunk(seed_doc, "jsonl"))
    w.add(seed_doc)
    w.close()
    assert buf.getvalue() == text
    assert loads_catalogue(text) == cat
    empty = dumps_catalogue(Catalogue("t", ()), "jsonl")
    assert loads_catalogue(empty) == Catalogue("t", ())
