from __future__ import annotations

import os

import pytest
import yaml

from guizhou_cli import loads_catalogue

from .cli_helpers import run


def test_extract_default_reads_the_bundled_seed():
    r = run("extract")
    assert r.code == 0, r.err
    assert r.err == ""
    data = yaml.safe_load(r.out)
    assert data["schema"] == "guizhou-catalogue/1"
    assert data["documents"][0]["source"] == "seeds/000_6dfcd726ad4e1932.txt"
    assert len(data["documents"][0]["essays"]) == 4


def test_extract_json(tmp_path):
    r = run("extract", "--format", "json")
    assert r.code == 0
    assert r.out.lstrip().startswith("{")
    assert len(loads_catalogue(r.out).documents[0].essays) == 4


def test_extract_to_file_is_atomic_and_reports_on_stderr(tmp_path):
    out = tmp_path / "c.yaml"
    r = run("extract", "-o", str(out))
    assert r.code == 0
    assert r.out == ""
    assert "wrote" in r.err and "32 measure" in r.err
    assert loads_catalogue(out.read_text(encoding="utf-8")).documents


def test_extract_directory_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("标题甲\n\n一是做好甲。二是做好乙。\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("标题乙\n\n正文。\n", encoding="utf-8")
    (tmp_path / "skip.md.bak").write_text("x", encoding="utf-8")
    r = run("extract", str(tmp_path))
    assert r.code == 0, r.err
    srcs = [d["source"] for d in yaml.safe_load(r.out)["documents"]]
    assert srcs == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "has no *.txt files"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"\x01\x02\x00\x81\x00garbage" * 3), "binary"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), "PNG"),
    ],
)
def test_bad_input_one_line_exit_2_no_output(tmp_path, setup, message):
    target = tmp_path / "in.txt"
    setup(target)
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    r = run("extract", str(target), "-o", str(out))
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("guizhou: error:"), r.err
    assert message in r.err
    assert "Traceback" not in r.err
    assert out.read_text(encoding="utf-8") == "precious"
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_undecodable_with_stated_encoding(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes("一是".encode("gb18030") + b"\xff\xff")
    r = run("extract", str(p), "--encoding", "utf-8")
    assert r.code == 2
    assert "not valid utf-8 at byte" in r.err


def test_output_in_missing_directory(tmp_path):
    r = run("extract", "-o", str(tmp_path / "nope" / "c.yaml"))
    assert r.code == 2
    assert "does not exist" in r.err


def test_output_to_full_disk():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    r = run("extract", "-o", "/dev/full")
    assert r.code == 2
    assert "No space left" in r.err


def test_stdin():
    r = run("extract", "-", stdin="标题\n\n强化组织领导。一是建立机制。二是压实责任。\n".encode())
    assert r.code == 0, r.err
    doc = loads_catalogue(r.out).documents[0]
    assert doc.source == "-"
    assert [m.marker for m in doc.essays[0].sections[0].measures] == ["一是", "二是"]


def test_every_command_has_help():
    from guizhou_cli.cli import COMMANDS

    for name in COMMANDS:
        r = run(name, "--help")
        assert r.code == 0, name
        assert "Usage:" in r.out
        assert len(r.out) > 100


def test_usage_error_exits_2():
    r = run("extract", "--format", "xml")
    assert r.code == 2
    assert "Invalid value" in r.err


def test_glob_picks_other_formats_in_a_directory(tmp_path):
    (tmp_path / "a.md").write_text("# 标题\n\n**加强领导。**一是建立机制。二是压实责任。\n", encoding="utf-8")
    html = "<html><body><h1>标题</h1><p><b>强化保障。</b>一是加大投入。</p></body></html>"
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    (tmp_path / "c.txt").write_text("标题\n\n正文。\n", encoding="utf-8")
    r = run("extract", str(tmp_path))
    assert r.code == 0, r.err
    assert [d["source"] for d in yaml.safe_load(r.out)["documents"]] == [str(tmp_path / "c.txt")]
    r = run("extract", str(tmp_path), "--glob", "*.*")
    assert r.code == 0, r.err
    docs = yaml.safe_load(r.out)["documents"]
    assert [os.path.basename(d["source"]) for d in docs] == ["a.md", "b.html", "c.txt"]
    markers = [[m["marker"] for s in d["essays"][0]["sections"] for m in s["measures"]] for d in docs]
    assert markers == [["一是", "二是"], ["一是"], []]
    r = run("extract", str(tmp_path), "--glob", "*.pdf")
    assert r.code == 2 and "has no *.pdf files" in r.err
