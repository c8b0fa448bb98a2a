"""Data formats: exact, parseable, and loadable back into the same measures."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from guizhou_cli import export
from guizhou_cli.query import select
from guizhou_cli.sources import open_catalogue

from .cli_helpers import run
from .conftest import ROOT
from .golden import WIDTH, check_golden
from .golden.samples import CELLS, ESCAPES, MARKUP_TEXT, tricky_catalogue, write_tricky


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def seed_measures():
    return [it.measure for it in select(open_catalogue([]))]


@pytest.fixture
def tricky(tmp_path):
    return str(write_tricky(tmp_path))


def out(*args: str, **kw) -> str:
    r = run(*args, **kw)
    assert r.code == 0, r.err
    assert r.err == ""
    return r.out


def tsv_unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[m.group(1)], s)


# ------------------------------------------------------------ golden files


def test_golden_list_markdown():
    check_golden("list.md", out("list", "-f", "md"))


def test_golden_list_csv():
    check_golden("list.csv", out("list", "-f", "csv"))


# ------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_list_export_loads_back_to_the_same_measures(fmt, seed_measures):
    text = out("list", "-f", fmt)
    rows = yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    assert export.measures_from_rows(rows) == seed_measures
    assert len(rows) == 32


def test_jsonl_is_one_measure_per_line(seed_measures):
    lines = out("list", "-f", "jsonl").splitlines()
    assert export.measures_from_rows([json.loads(ln) for ln in lines]) == seed_measures


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_tricky_measures_round_trip_exactly(fmt, tricky):
    text = out("list", tricky, "-f", fmt)
    rows = [json.loads(ln) for ln in text.splitlines()] if fmt == "jsonl" else yaml.safe_load(text)
    want = [m for e in tricky_catalogue().documents[0].essays for s in e.sections for m in s.measures]
    assert export.measures_from_rows(rows) == want


def test_rows_carry_where_each_measure_stands():
    rows = json.loads(out("list", "-f", "json", "--essay", "4", "--section", "2"))
    r = rows[1]
    assert (r["source"], r["essay"], r["essay_title"], r["section"], r["heading"]) == (
        "seeds/000_6dfcd726ad4e1932.txt",
        "e4",
        "打造经济发展新引擎",
        "e4.s2",
        "充分释放数据要素价值",
    )
    assert list(r)[:8] == ["source", "essay", "essay_title", "section", "heading", "id", "n", "marker"]


# ------------------------------------------------------------ Chinese and odd text


def test_json_keeps_chinese_as_characters():
    text = out("list", "-f", "json")
    assert "充分保障数据使用安全" in text and "\\u" not in text


def test_yaml_keeps_chinese_and_quotes_what_yaml_1_1_would_misread():
    text = export.dumps([{"a": "no", "b": "010", "c": "2023-05-01", "d": "数据", "e": ":smile:", "f": "[/]"}], "yaml")
    assert "数据" in text
    assert yaml.safe_load(text) == [{"a": "no", "b": "010", "c": "2023-05-01", "d": "数据", "e": ":smile:", "f": "[/]"}]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_escape_characters_are_escaped_in_json_and_yaml(fmt, tricky):
    text = out("list", tricky, "-f", fmt, tty=True)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text)
    assert "项目[22ZDA064]" in text and "措施[a]第一条" in text and ":smile:" in text and "[/]" in text


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_are_exact_when_piped_and_safe_on_a_terminal(fmt, tricky):
    piped = out("list", tricky, "-f", fmt)
    assert ESCAPES in (piped if fmt == "csv" else tsv_unescape(piped))
    shown = out("list", tricky, "-f", fmt, tty=True)
    assert "\x1b" not in shown and "\x9b" not in shown and "␛[31m红色" in shown


def test_markdown_is_safe_and_keeps_its_table_shape(tricky):
    text = out("list", tricky, "-f", "md")
    assert "\x1b" not in text and "␛[31m" in text
    lines = text.splitlines()
    assert len(lines) == 2 + 4  # header, rule, one line per measure
    cells = [len(re.split(r"(?<!\\)\|", ln)) for ln in lines]
    assert len(set(cells)) == 1
    assert "分隔符\\|竖线" in text and "<br>换行" in text
    assert "项目[22ZDA064]" in text and ":smile:" in text and "[/]" in text
    assert lines[1].startswith("|---|") and "---:" in lines[1]  # numbers right-aligned


def test_csv_parses_back_to_the_rows(tricky):
    rows = list(csv.DictReader(io.StringIO(out("list", tricky, "-f", "csv"))))
    assert [r["id"] for r in rows] == ["e1.s1.m1", "e1.s1.m2", "e1.s1.m3", "e1.s2.m1"]
    assert rows[0]["text"] == MARKUP_TEXT
    assert rows[3]["text"] == CELLS
    assert rows[2]["flags"] == "gap" and rows[0]["flags"] == ""
    assert rows[3]["heading"] == ""  # None is an empty cell


def test_tsv_one_record_per_line_with_escapes(tricky):
    lines = out("list", tricky, "-f", "tsv").splitlines()
    header = lines[0].split("\t")
    assert len(lines) == 5
    assert all(len(ln.split("\t")) == len(header) for ln in lines)
    last = dict(zip(header, (tsv_unescape(c) for c in lines[4].split("\t")), strict=True))
    assert last["text"] == CELLS


def test_bom_for_excel():
    text = out("list", "-f", "csv", "--bom")
    assert text.startswith("\ufeffsource,essay,")
    assert out("list", "-f", "tsv", "--bom").startswith("\ufeffsource\t")
    assert not out("list", "-f", "csv").startswith("\ufeff")


def test_bom_with_another_format_is_a_usage_error():
    r = run("list", "-f", "json", "--bom")
    assert r.code == 2 and r.out == ""
    assert "--bom applies to csv and tsv output, not json" in r.err


# ------------------------------------------------------------ no Rich in data


def test_json_is_not_wrapped_to_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    text = out("list", "-f", "json", tty=True)
    assert max(len(ln) for ln in text.splitlines()) > 20
    assert len(json.loads(text)) == 32


def test_data_formats_never_import_rich():
    code = (
        "import sys; from guizhou_cli.cli import main\n"
        "for f in ('yaml', 'json', 'jsonl', 'csv', 'tsv', 'md'):\n"
        "    assert main(['list', '-f', f]) == 0\n"
        "    assert main(['search', '数据', '-f', f]) == 0\n"
        "    assert main(['show', 'e4', '-f', f]) == 0\n"
        "    assert main(['stats', '-f', f]) == 0\n"
        "sys.exit(3 if 'rich' in sys.modules else 0)"
    )
    p = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120
    )
    assert p.returncode == 0, p.stderr.decode()
    assert p.stderr == b""


def test_data_is_utf8_whatever_the_locale():
    p = subprocess.run(
        [sys.executable, "-c", "from guizhou_cli.cli import run; run()", "list", "-f", "csv"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "gb18030"},
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert "充分保障数据使用安全" in p.stdout.decode("utf-8")


# ------------------------------------------------------------ the writers themselves

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"a": _text, "b": _text}), max_size=4))
def test_every_format_round_trips_any_text(rows):
    assert json.loads(export.dumps(rows, "json")) == rows
    assert [json.loads(ln) for ln in export.dumps(rows, "jsonl").split("\n") if ln] == rows
    assert (yaml.safe_load(export.dumps(rows, "yaml")) or []) == rows
    # exact with the formula guard off (--allow-formulas); with it, only a leading ' is added
    parsed = list(csv.reader(io.StringIO(export.dumps(rows, "csv", ("a", "b"), formula_guard=False), newline="")))
    assert parsed[1:] == [[r["a"], r["b"]] for r in rows]
    guarded = list(csv.reader(io.StringIO(export.dumps(rows, "csv", ("a", "b")), newline="")))
    for got, r in zip(guarded[1:], rows, strict=True):
        for cell_, want in zip(got, (r["a"], r["b"]), strict=True):
            assert cell_ == ("'" + want if want.startswith(("=", "+", "-", "@", "\t", "\r")) else want)
    tsv = export.dumps(rows, "tsv", ("a", "b"), formula_guard=False).split("\n")
    assert [[tsv_unescape(c) for c in ln.split("\t")] for ln in tsv[1:-1]] == [[r["a"], r["b"]] for r in rows]


def test_cells_flatten_lists_and_empty_values():
    assert export.cell(None) == "" and export.cell(True) == "true"
    assert export.cell(["高杨", "刘亚楠"]) == "高杨; 刘亚楠"
    assert export.cell({"term": "数据"}) == '{"term": "数据"}'
