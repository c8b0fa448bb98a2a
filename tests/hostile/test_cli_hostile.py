"""Hostile use of the command line (issue 16, items 6, 7, 12, 14): outputs that
would overwrite inputs, catalogues on stdin, spreadsheet formulas, signals,
--traceback, closed pipes, and text or file names that would take over the
terminal (bidi controls, escape sequences)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guizhou_cli.catalogue import dump_catalogue
from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section

from ..cli_helpers import run
from ..conftest import ROOT, SEED

BIDI = "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f\u061c"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _catalogue(path: Path, source: str, text: str, title: str = "标题") -> Path:
    m = Measure("e1.s1.m1", 1, "一是", "numbered", text, text, 3, 10)
    s = Section("e1.s1", "总体要求" + BIDI[:1], "一、", 1, False, False, 3, 5, text, (m,))
    e = Essay("e1", title, ("张三",), None, None, None, 1, None, sections=(s,))
    dump_catalogue(Catalogue("t", (Document(source, "0" * 64, "utf-8", None, title, None, (e,)),)), path)
    return path


# ------------------------------------------------------------ -o never replaces an input


@pytest.mark.parametrize(
    "cmd",
    [
        ("extract", "{src}", "-o", "{src}"),
        ("list", "{cat}", "-o", "{cat}"),
        ("stats", "{cat}", "-o", "{cat}"),
        ("search", "数据", "{cat}", "-o", "{cat}"),
        ("show", "e1", "{cat}", "-o", "{cat}"),
        ("keywords", "{cat}", "-o", "{cat}"),
        ("extract", "{dir}", "-o", "{src}"),  # an input found inside a directory
    ],
)
def test_output_equal_to_an_input_is_refused(tmp_path, cmd):
    src = tmp_path / "in.txt"
    src.write_text("标题\n\n一是修路。二是架桥。\n", encoding="utf-8")
    cat = tmp_path / "in.yaml"
    assert run("extract", str(src), "-o", str(cat)).code == 0
    before = (src.read_bytes(), cat.read_bytes())
    args = [a.format(src=src, cat=cat, dir=tmp_path) for a in cmd]
    r = run(*args)
    assert r.code == 2
    assert "is also an input" in r.err and r.out == ""
    assert (src.read_bytes(), cat.read_bytes()) == before


def test_output_through_another_name_is_refused_too(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("标题\n\n一是修路。\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(src)
    r = run("extract", str(src), "-o", str(tmp_path / "link.txt"))
    assert r.code == 2 and "is also an input" in r.err
    assert src.read_text(encoding="utf-8").startswith("标题")


# ------------------------------------------------------------ a catalogue on stdin


def test_a_catalogue_on_stdin_is_a_catalogue(tmp_path):
    cat = tmp_path / "seed.yaml"
    assert run("extract", "-o", str(cat)).code == 0
    data = cat.read_bytes()
    r = run("diff", str(cat), "-", stdin=data)
    assert r.code == 0, r.err + r.out
    assert run("list", "-", "-f", "json", stdin=data).out == run("list", "-f", "json").out
    assert run("extract", "-", stdin=data).out == data.decode("utf-8")
    as_json = run("extract", "-f", "json").out.encode()
    assert run("stats", "-", "-f", "json", stdin=as_json).out == run("stats", "-f", "json").out


def test_a_document_on_stdin_is_still_a_document():
    r = run("list", "-", "-f", "tsv", stdin="标题\n\n一是修路。二是架桥。\n".encode())
    assert r.code == 0 and r.out.count("\n") == 3


# ------------------------------------------------------------ CSV formula injection

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_cells_that_would_run_as_formulas_are_neutralised(tmp_path, fmt):
    cat = tmp_path / "f.yaml"
    m = [Measure(f"e1.s1.m{i}", i, "一是", "numbered", f, f, 3, 10) for i, f in enumerate(FORMULAS, 1)]
    s = Section("e1.s1", "=cmd|' /C calc'!A0", None, 1, False, False, 3, 5, "x", tuple(m))
    e = Essay("e1", "@title", (), None, None, None, 1, None, sections=(s,))
    dump_catalogue(Catalogue("t", (Document("f.txt", "0" * 64, "utf-8", None, None, None, (e,)),)), cat)
    out = run("list", str(cat), "-f", fmt).out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
    else:
        lines = out.splitlines()
        head = lines[0].split("\t")
        rows = [dict(zip(head, ln.split("\t"), strict=True)) for ln in lines[1:]]
    for row in rows:
        for key in ("title", "heading", "essay_title"):
            value = row[key].replace("\\t", "\t").replace("\\r", "\r")
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)
            assert value.startswith("'")
        assert row["line"] == "3"  # numbers stay numbers
    raw = run("list", str(cat), "-f", fmt, "--allow-formulas").out
    assert "=HYPERLINK" in raw and "'=HYPERLINK" not in raw


# ------------------------------------------------------------ signals, --traceback, pipes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs and POSIX signals")
def test_sighup_is_an_interrupt_and_leaves_the_output_as_it_was(tmp_path):
    fifo = tmp_path / "stalled.txt"
    os.mkfifo(fifo)
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    args = [sys.executable, "-m", "guizhou_cli", "extract", str(SEED), str(fifo), "-o", str(out)]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    writer = -1
    try:
        # opening the writing end blocks until the run reads the FIFO: it is half way
        writer = os.open(fifo, os.O_WRONLY)
        p.send_signal(signal.SIGHUP)
        stdout, stderr = p.communicate(timeout=60)
    finally:
        if writer >= 0:
            os.close(writer)
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130
    assert stderr.decode() == "guizhou: interrupted\n" and stdout == b""
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["out.yaml", "stalled.txt"]


@pytest.mark.parametrize(
    "args, code",
    [
        (("list", "/no/such/file.yaml"), 2),
        (("list", "--grep", "("), 2),
        (("extract", "--format", "xml"), 2),
        (("show", "e9"), 2),
    ],
)
def test_traceback_keeps_the_exit_code(args, code):
    plain = run(*args)
    traced = run("--traceback", *args)
    assert plain.code == traced.code == code
    assert "Traceback" not in plain.err
    assert plain.err.strip().splitlines()[-1] in traced.err


def test_traceback_shows_the_stack():
    r = run("--traceback", "list", "/no/such/file.yaml")
    assert r.code == 2 and "Traceback (most recent call last)" in r.err and "no such file" in r.err


@pytest.mark.parametrize("cmd", [["extract"], ["list", "-f", "tsv"], ["extract", "-f", "json"]])
def test_a_closed_pipe_exits_0_quietly(tmp_path, cmd):
    # big enough that the writer is still writing when the reader leaves
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8") * 40, encoding="utf-8")
    args = [sys.executable, "-m", "guizhou_cli", *cmd[:1], str(big), *cmd[1:]]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=120) == 0
    assert err == b""


# ------------------------------------------------------------ the terminal


def _no_raw_controls(text: str) -> None:
    assert not any(ch in text for ch in BIDI), [hex(ord(c)) for c in text if c in BIDI]
    assert "\x1b]" not in text and "\x9b" not in text
    # the only escapes are Rich's own colour codes
    stripped = __import__("re").sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b" not in stripped


@pytest.mark.parametrize(
    "cmd",
    [
        ("list", "{cat}", "{cat2}"),
        ("list", "--sections", "{cat}", "{cat2}"),
        ("list", "--full", "{cat}"),
        ("show", "e1.s1.m1", "{cat}"),
        ("show", "e1", "{cat}"),
        ("show", "e1.s1", "{cat}"),
        ("search", "数据", "{cat}", "{cat2}"),
        ("stats", "{cat}", "{cat2}"),
        ("keywords", "{cat}"),
    ],
)
def test_bidi_controls_and_escapes_in_text_and_file_names_are_shown_visibly(tmp_path, cmd):
    text = f"推进数据{BIDI}安全建设\x1b]0;title\x07与\x1b[2J清屏"
    cat = _catalogue(tmp_path / "a.yaml", "evil\u202egnp.exe\x1b[31m.txt", text, title="数据" + "\u2067标题")
    cat2 = _catalogue(tmp_path / "b.yaml", "second\u2066.txt", text)
    args = [a.format(cat=cat, cat2=cat2) for a in cmd]
    r = run(*args, "-f", "table", tty=True)
    assert r.code == 0, r.err
    _no_raw_controls(r.out)
    _no_raw_controls(r.err)
    shown = r.out
    assert "<U+202E>" in shown or "<U+2067>" in shown or "<U+2066>" in shown


def test_bidi_controls_in_a_real_file_name(tmp_path):
    name = tmp_path / "rep\u202eort\x1b[1m.txt"
    name.write_text("数据标题\n\n一是推进数据安全。二是加强数据治理。\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("标题\n\n一是修路。二是共享数据。\n", encoding="utf-8")
    for args in (("list", str(name), str(other)), ("search", "数据", str(name), str(other)), ("stats", str(name), str(other))):
        r = run(*args, "-f", "table", tty=True)
        assert r.code == 0, r.err
        _no_raw_controls(r.out)
        assert "<U+202E>" in r.out and "␛" in r.out


def test_data_formats_keep_the_text_exact(tmp_path):
    # visibility is for the terminal; JSON carries the text as it is
    text = f"推进{BIDI}安全"
    cat = _catalogue(tmp_path / "a.yaml", "a.txt", text)
    rows = json.loads(run("list", str(cat), "-f", "json").out)
    assert rows[0]["text"] == text


def test_messages_show_escapes_and_bidi_in_file_names_visibly(tmp_path):
    evil = tmp_path / "evil\x1b[31m\u202e\nname.txt"
    evil.write_bytes(b"")
    r = run("extract", str(evil))
    assert r.code == 2
    assert r.err.count("\n") == 1 and "\x1b" not in r.err and "\u202e" not in r.err
    assert "␛[31m<U+202E>␊name.txt: is empty" in r.err
