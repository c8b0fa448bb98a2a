"""Hostile catalogues (issue 16, items 1, 4 and 11): refused by the parser, in bounded memory.

Every input is generated here. Memory is measured in a subprocess (its own
VmHWM, which starts afresh at exec) and asserted under 500 MB, and under a
tighter bound where streaming is what is being checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from guizhou_cli import CatalogueError, loads_catalogue
from guizhou_cli.catalogue import dumps_catalogue, iter_documents_from_catalogue
from guizhou_cli.model import Catalogue

from ..cli_helpers import run

HEAD = "schema: guizhou-catalogue/1\ngenerator: t\n"
DOC = "- source: a.txt\n  sha256: '0'\n  essays: []\n"


def refused(text: str, *needles: str) -> str:
    with pytest.raises(CatalogueError) as info:
        loads_catalogue(text)
    msg = str(info.value)
    assert "\n" not in msg and "Traceback" not in msg
    for n in needles:
        assert n in msg, msg
    return msg


def peak_mb(script: str, *args: str) -> tuple[float, str]:
    """Run ``script`` in a fresh Python; (its peak RSS in MB, its stdout)."""
    probe = textwrap.dedent(script) + textwrap.dedent(
        """
        import sys as _s
        for _line in open("/proc/self/status"):
            if _line.startswith("VmHWM:"):
                print("PEAK", int(_line.split()[1]) / 1024, file=_s.stderr)
        """
    )
    r = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    peak = [float(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("PEAK ")]
    return peak[0], r.stdout


# ------------------------------------------------------------ anchors and aliases (item 1)


@pytest.mark.parametrize(
    "text",
    [
        # the flow-mapping bypass of the old text pre-scan: no space before &
        HEAD + 'documents:\n- {"source":&a "x", "sha256": "0", "essays": []}\n',
        HEAD + 'documents:\n- {"source":&a "x", "sha256":*a, "essays": []}\n',
        HEAD + "documents:\n- [&a x]\n",
        HEAD + "documents:\n-\n  source: &a x\n  sha256: *a\n  essays: []\n",
        # aliases of strings, not only of containers
        HEAD + "a: &s text\nb: *s\ndocuments: []\n",
        HEAD + "documents: &d []\n",
        HEAD + "? &k key\n: v\ndocuments: []\n",
        HEAD + "*a : v\n",
        "&r\n" + HEAD + "documents: []\n",
    ],
)
def test_anchors_and_aliases_of_any_kind_are_refused(text):
    refused(text, "anchors/aliases", "refused")


def test_a_string_alias_bomb_is_refused_at_once_in_bounded_memory(tmp_path):
    # 5 MB whose aliases would expand to gigabytes of text
    big = tmp_path / "bomb.yaml"
    lines = [HEAD, "s: &s " + "x" * 1000 + "\n", "documents:\n"]
    lines.append(DOC.replace("'0'", "*s") * 1)
    lines.append(("- source: *s\n  sha256: *s\n  essays: []\n  banner: *s\n") * 100_000)
    big.write_text("".join(lines), encoding="utf-8")
    assert big.stat().st_size > 4_000_000
    peak, out = peak_mb(
        """
        import sys
        from guizhou_cli.catalogue import iter_documents_from_catalogue
        from guizhou_cli import CatalogueError
        try:
            for d in iter_documents_from_catalogue(sys.argv[1]):
                pass
        except CatalogueError as exc:
            print(exc)
        """,
        str(big),
    )
    assert "anchors/aliases" in out and "at line 3" in out  # the anchor itself, before any alias
    assert peak < 100, peak
    r = run("list", str(big))
    assert r.code == 2 and r.err.count("\n") == 1 and "anchors/aliases" in r.err and r.out == ""


@pytest.mark.parametrize(
    "text, needle",
    [
        (
            HEAD + 'documents:\n- {"source":!!binary "aGk=", "sha256": "0", "essays": []}\n',
            "refused YAML tag at line 4: !!binary",
        ),
        (HEAD + "documents:\n- !<tag:yaml.org,2002:python/object> {}\n", "refused YAML tag"),
        (HEAD + "documents: ! []\n", "refused YAML tag"),
        (HEAD + "documents:\n- <<: {source: a}\n  sha256: '0'\n  essays: []\n", "merge key"),
        (HEAD + "documents: []\n1: x\n", "mapping key 1"),
        (HEAD + "documents: []\n[a]: x\n", "is not a string"),
    ],
)
def test_tags_merge_keys_and_odd_keys_are_refused(text, needle):
    refused(text, needle)


# ------------------------------------------------------------ validation (items 4, 11)


def _cat(seed_doc) -> dict:
    return json.loads(dumps_catalogue(Catalogue("t", (seed_doc,)), "json"))


def test_duplicate_ids_in_a_document_are_refused(seed_doc):
    data = _cat(seed_doc)
    essay = data["documents"][0]["essays"][3]
    essay["sections"][1]["measures"][0]["id"] = essay["sections"][0]["measures"][0]["id"]
    msg = refused(
        json.dumps(data, ensure_ascii=False), "duplicate id 'e4.s1.m1'", "documents[0].essays[3].sections[1].measures[0].id"
    )
    assert "also documents[0].essays[3].sections[0].measures[0]" in msg
    data = _cat(seed_doc)
    data["documents"][0]["essays"][1]["id"] = data["documents"][0]["essays"][0]["id"]
    refused(json.dumps(data, ensure_ascii=False), "duplicate id")
    # the same ids in two documents are fine: ids are per document
    two = _cat(seed_doc)
    two["documents"].append(two["documents"][0])
    assert len(loads_catalogue(json.dumps(two, ensure_ascii=False)).documents) == 2


MEASURE = (lambda d: d["essays"][3]["sections"][0]["measures"][0], "measures[0]")
SECTION = (lambda d: d["essays"][3]["sections"][0], "sections[0]")
FURNITURE = (lambda d: d["furniture"].append({"kind": "footer", "line": 1, "text": "x"}) or d["furniture"][-1], "furniture")
ESSAY = (lambda d: d["essays"][0], "essays[0]")


@pytest.mark.parametrize(
    "where, key, value",
    [
        (MEASURE, "line", -1),
        (MEASURE, "offset", -1),
        (MEASURE, "offset", 10**12),
        (MEASURE, "page", -2),
        (SECTION, "line", -5),
        (SECTION, "offset", 512 * 1024 * 1024 + 1),
        (FURNITURE, "line", -1),
        (ESSAY, "line", 10**15),
    ],
)
def test_negative_and_huge_positions_are_refused(seed_doc, where, key, value):
    data = _cat(seed_doc)
    get, name = where
    get(data["documents"][0])[key] = value
    msg = refused(json.dumps(data, ensure_ascii=False), f"{value} is not a position in a source")
    assert name in msg and f".{key}" in msg


def _nested(levels: int) -> Catalogue:
    from guizhou_cli.model import Document, Essay, Section

    sec = Section("s", None, None, None, False, False, 1, 0, "t")
    for i in range(levels):
        sec = Section(f"s{i}", "h", None, None, False, False, 1, 0, "t", (), (sec,))
    return Catalogue(
        "t",
        (Document("a.txt", "0", "utf-8", None, None, None, (Essay("e1", None, (), None, None, None, 1, None, None, (sec,)),)),),
    )


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_300_deep_sections_are_refused_clearly(tmp_path, fmt):
    text = dumps_catalogue(_nested(300), fmt)  # written without recursion
    msg = refused(text, "nested deeper than")
    assert "RecursionError" not in msg
    p = tmp_path / f"deep.{fmt}"
    p.write_text(text, encoding="utf-8")
    for args in (["extract", str(p), "-o", str(tmp_path / "out.yaml")], ["list", str(p)]):
        r = run(*args)
        assert r.code == 2, r
        assert r.err.startswith("guizhou: error:") and r.err.count("\n") == 1 and "nested deeper than" in r.err
    assert not (tmp_path / "out.yaml").exists()
    # 90 levels are a catalogue like any other
    assert loads_catalogue(dumps_catalogue(_nested(90), fmt)) == _nested(90)


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "x: " + "[" * 500 + "]" * 500 + "\n",
        HEAD + "x:\n" + "".join(" " * i + "- \n" for i in range(600)),
        HEAD + "x: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
        # past libyaml's own limit (1000), its error comes first
        HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
)
def test_deep_yaml_nesting_is_a_clear_error(text):
    msg = refused(text)
    assert "nested deeper than 200 levels" in msg or "exceeded maximum nesting depth" in msg


# ------------------------------------------------------------ streaming (items 4, 11)


@pytest.fixture(scope="module")
def big_catalogues(tmp_path_factory, seed_doc):
    """A catalogue of about 10 MB in each format: the seed document repeated."""
    d = tmp_path_factory.mktemp("big")
    cat = Catalogue("t", (seed_doc,))
    out = {}
    for fmt in ("yaml", "json", "jsonl"):
        one = dumps_catalogue(cat, fmt)
        from guizhou_cli.catalogue import document_chunk

        chunk = document_chunk(seed_doc, fmt)
        n = 10 * 2**20 // len(chunk.encode())
        if fmt == "yaml":
            text = one.replace(chunk, chunk * n)
        elif fmt == "jsonl":
            text = one + chunk * (n - 1)
        else:
            text = one.replace(chunk, ",\n".join([chunk] * n))
        p = d / f"big.{fmt}"
        p.write_text(text, encoding="utf-8")
        out[fmt] = (p, n)
    return out


STREAM = """
import sys
from guizhou_cli.catalogue import iter_documents_from_catalogue
from guizhou_cli.model import iter_sections
n = docs = 0
for d in iter_documents_from_catalogue(sys.argv[1]):
    docs += 1
    for e in d.essays:
        for s in iter_sections(e.sections):
            n += len(s.measures)
print(docs, n)
"""


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_streaming_a_large_catalogue_holds_one_document(big_catalogues, seed_doc, fmt):
    path, n = big_catalogues[fmt]
    peak, out = peak_mb(STREAM, str(path))
    assert out.split() == [str(n), str(n * _measures(seed_doc))]
    # loading it whole took about ten times its size; one document at a time stays near the interpreter's own
    assert peak < 80, f"{fmt}: {peak:.0f} MB"


def _measures(doc) -> int:
    from guizhou_cli.model import iter_sections

    return sum(len(s.measures) for e in doc.essays for s in iter_sections(e.sections))


def test_the_stream_reports_errors_after_the_documents_before_them(tmp_path, seed_doc):
    text = dumps_catalogue(Catalogue("t", (seed_doc, seed_doc)))
    broken = text + "- source: b\n  sha256: 1\n  essays: []\n"
    p = tmp_path / "b.yaml"
    p.write_text(broken, encoding="utf-8")
    got = []
    with pytest.raises(CatalogueError, match=r"b.yaml: documents\[2\].sha256: expected a string, got an integer"):
        for d in iter_documents_from_catalogue(p):
            got.append(d)
    assert len(got) == 2
