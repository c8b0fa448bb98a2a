"""``guizhou list``: the terminal table, filters, and how it behaves in a shell."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from rich.cells import cell_len

from guizhou_cli.model import Catalogue, Document, Essay, Measure, Section

from .cli_helpers import run
from .conftest import ROOT
from .golden import WIDTH, check_golden
from .golden.samples import ESCAPES, MARKUP_TEXT, write_tricky

SEED_MEASURES = 32


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    """A known terminal: fixed width, colour allowed unless a test says otherwise."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("TERM", "xterm-256color")
    for var in ("NO_COLOR", "FORCE_COLOR", "PAGER", "UPDATE_GOLDEN_UNUSED"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def tricky(tmp_path):
    return str(write_tricky(tmp_path))


def table(*args: str) -> str:
    r = run("list", *args, "-f", "table", "--no-color")
    assert r.code == 0, r.err
    assert r.err == ""
    return r.out


def column(out: str, name: str, next_name: str) -> str:
    """The text of one table column, all rows joined, whitespace removed.

    Columns are found by the header's cell positions, so this reads the table
    as a person would, whatever the wrapping.
    """
    lines = out.splitlines()
    header = next(ln for ln in lines if re.match(r"^\s*id\s", ln))
    a, b = header.index(name), header.index(next_name)
    picked = []
    for ln in lines:
        pos, piece = 0, []
        for ch in ln:
            if a <= pos < b:
                piece.append(ch)
            pos += cell_len(ch)
        picked.append("".join(piece))
    return re.sub(r"\s+", "", "".join(picked))


# ------------------------------------------------------------ the table


def test_golden_list_table():
    check_golden("list.txt", table())


def test_table_groups_by_essay_and_section():
    out = table()
    lines = out.splitlines()
    # essays as rules with title and authors, in order; only essays with measures
    rules = [ln for ln in lines if ln.rstrip().endswith("─") and ln.startswith("e")]
    assert [r.split()[0] for r in rules] == ["e3", "e4"]
    assert "培育新质生产力 服务“富矿精开”" in rules[0] and "赵岩 刘松" in rules[0]
    assert "高杨 刘亚楠" in rules[1]
    # a section row carries the heading, its measures follow with marker and line
    i = next(k for k, ln in enumerate(lines) if ln.startswith("e4.s2 "))
    assert "充分释放数据要素价值" in lines[i] and lines[i].rstrip().endswith("79")
    assert re.match(r"e4\.s2\.m2\s+二是\s+充分保障数据使用安全\s+79$", lines[i + 2])
    assert sum(1 for ln in lines if re.match(r"e\d\.s\d\.m\d ", ln)) == SEED_MEASURES
    assert lines[-1] == "32 measures in 9 sections of 2 essays"


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_table_fits_columns_and_wraps_chinese_without_cutting(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = table("--full", "--essay", "4")
    assert out.strip()
    assert max(cell_len(ln) for ln in out.splitlines()) <= width
    assert "…" not in out  # Rich's one-line cut never happens
    # every measure's whole text is in the table, wrapped over lines
    from guizhou_cli.sources import open_catalogue

    texts = [m.text for e in open_catalogue([]).documents[0].essays if e.id == "e4" for s in e.sections for m in s.measures]
    body = column(out, "measure", "line")
    for t in texts:
        assert re.sub(r"\s+", "", t) in body


def test_chinese_line_breaks_follow_punctuation_rules(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    out = table("--full")
    # continuation lines of a measure start with blanks (no id there)
    starts = [ln.strip()[:1] for ln in out.splitlines() if ln.startswith(" " * 10) and ln.strip()]
    ends = [ln.rstrip()[-1:] for ln in out.splitlines() if re.match(r"e\d\.s\d\.m\d ", ln) or ln.startswith(" " * 10)]
    assert len(starts) > 50, out
    assert not [s for s in starts if s in "，。、；：？！”）》"]
    assert not [e for e in ends if e in "“（《"]


def test_narrow_terminal_moves_the_marker_into_the_measure(monkeypatch):
    monkeypatch.setenv("COLUMNS", "36")
    out = table("--essay", "3")
    assert "marker" not in out
    assert max(cell_len(ln) for ln in out.splitlines()) <= 36
    assert "一是" in out and "…" not in out


def test_full_shows_whole_text_default_only_titles():
    short, full = table("--essay", "e4"), table("--essay", "e4", "--full")
    assert "东数西算" not in short
    assert "东数西算" in full


# ------------------------------------------------------------ user text stays literal


def test_markup_emoji_and_brackets_print_as_written(tricky):
    out = table(tricky, "--full")
    body = column(out, "measure", "line")
    for s in ("项目[22ZDA064]", "措施[a]第一条", "[/]", ":smile:", "[bold]不加粗[/bold]"):
        assert s in body, s
    assert re.sub(r"\s+", "", MARKUP_TEXT) in body
    assert out.startswith("e1  测试[bold]标题[/] :smile:  张三 李四 ─")
    assert "😄" not in out


def test_control_characters_never_reach_the_terminal(tricky):
    r = run("list", tricky, "--full", "-f", "table", tty=True)
    assert r.code == 0, r.err
    # colour is on (a terminal), but the only escapes are Rich's own SGR codes
    assert "\x1b[" in r.out
    raw = re.sub(r"\x1b\[[0-9;]*m", "", r.out)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", raw)
    assert "␛[31m红色␛[0m" in raw and "␇" in raw
    assert ESCAPES not in raw


# ------------------------------------------------------------ colour, pager, format choice


def test_default_format_is_table_on_a_terminal_tsv_when_piped():
    piped = run("list")
    assert piped.code == 0 and piped.out.startswith("source\tessay\t")
    tty = run("list", tty=True)
    assert tty.code == 0 and "─" in tty.out and "\t" not in tty.out


def test_colour_on_a_terminal_and_no_color_env(monkeypatch):
    assert "\x1b[" in run("list", tty=True).out
    monkeypatch.setenv("NO_COLOR", "1")
    out = run("list", tty=True).out
    assert "\x1b[" not in out and "e4.s2.m2" in out


@pytest.mark.parametrize("args", [("--no-color", "list"), ("list", "--no-color")])
def test_no_color_option_global_or_on_the_command(args):
    r = run(*args, tty=True)
    assert r.code == 0
    assert "\x1b[" not in r.out and "充分保障数据使用安全" in r.out


def test_pager_on_a_terminal(monkeypatch):
    from guizhou_cli.commands import options

    paged: list[tuple[str, bool | None]] = []
    monkeypatch.setattr(options, "page", lambda text, color=None: paged.append((text, color)))
    r = run("list", "--pager", tty=True)
    assert r.code == 0 and r.out == ""
    assert len(paged) == 1
    text, color = paged[0]
    assert color is True and "\x1b[" in text
    assert "充分保障数据使用安全" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_pager_is_skipped_when_piped_or_for_data(monkeypatch):
    from guizhou_cli.commands import options

    monkeypatch.setattr(options, "page", lambda *a, **k: pytest.fail("paged"))
    assert "充分保障数据使用安全" in run("list", "--pager", "-f", "table").out
    assert run("list", "--pager", "-f", "json", tty=True).out.startswith("[")


def _big_catalogue(path: Path, n: int = 3000) -> None:
    from guizhou_cli.catalogue import dump_catalogue

    body = "推进数字经济发展" * 8
    ms = tuple(Measure(f"e1.s1.m{i}", i, "一是", "numbered", f"第{i}项", f"第{i}项。{body}", i, i) for i in range(1, n + 1))
    sec = Section("e1.s1", "总体要求", None, None, False, False, 1, 0, "总体要求", ms)
    essay = Essay("e1", "长文", ("某人",), None, None, None, 1, None, sections=(sec,))
    dump_catalogue(Catalogue("tests", (Document("big.txt", "0" * 64, "utf-8", None, None, None, (essay,)),)), path)


@pytest.mark.parametrize("fmt", [None, "table", "jsonl"])
def test_head_closes_the_pipe_quietly(tmp_path, fmt):
    big = tmp_path / "big.yaml"
    _big_catalogue(big)
    args = [sys.executable, "-c", "from guizhou_cli.cli import run; run()", "list", str(big)]
    if fmt:
        args += ["-f", fmt]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p1 = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p2 = subprocess.Popen(["head", "-3"], stdin=p1.stdout, stdout=subprocess.PIPE)
    assert p1.stdout is not None
    p1.stdout.close()  # head alone holds the read end, as in a shell
    head_out, _ = p2.communicate(timeout=120)
    _, err = p1.communicate(timeout=120)
    assert len(head_out.decode("utf-8").splitlines()) == 3
    assert err.decode("utf-8") == ""
    assert p1.returncode == 0


# ------------------------------------------------------------ filters


def ids(*args: str) -> list[str]:
    r = run("list", *args, "-f", "tsv")
    assert r.code == 0, r.err
    rows = r.out.splitlines()[1:]
    return [row.split("\t")[5] for row in rows]


@pytest.mark.parametrize("spec", ["e4", "E4", "4", "经济发展新引擎", "刘亚楠"])
def test_essay_filter_by_id_number_title_or_author(spec):
    got = ids("--essay", spec)
    assert len(got) == 12 and all(i.startswith("e4.") for i in got)


@pytest.mark.parametrize("spec", ["e4.s2", "s2", "2", "数据要素价值"])
def test_section_filter(spec):
    got = ids("--essay", "4", "--section", spec)
    assert got == ["e4.s2.m1", "e4.s2.m2", "e4.s2.m3"]


def test_section_number_alone_spans_essays():
    assert ids("--section", "s2") == [f"e3.s2.m{i}" for i in (1, 2, 3, 4)] + [f"e4.s2.m{i}" for i in (1, 2, 3)]


def test_repeated_filter_values_are_alternatives():
    assert ids("-e", "e3", "-e", "e4", "-s", "s6") == [f"e3.s6.m{i}" for i in (1, 2, 3, 4)]


def test_grep_regex_over_title_and_text_combines_with_essay():
    got = ids("--grep", "数据.{0,2}安全")
    assert set(got) == {"e4.s1.m1", "e4.s2.m2"}
    assert ids("--grep", "数据.{0,2}安全", "--essay", "3") == []
    # text only: 东数西算 is in the text of e4.s1.m1, not its title
    assert ids("--grep", "东数西算") == ["e4.s1.m1"]


def test_grep_ignore_case(tricky):
    assert ids(tricky, "--grep", "zda") == []
    assert ids(tricky, "--grep", "zda", "-i") == ["e1.s1.m1"]


def test_grep_highlights_matches_and_shows_where_a_text_match_is():
    r = run("list", "--grep", "东数西算", "-f", "table", tty=True)
    assert r.code == 0
    # reverse video marks the match, readable with or without colour
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m东数西算", r.out)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.out)
    assert "加快推进大数据基础设施建设" in plain and "“东数西算”" in plain


def test_bad_regex_is_one_line_exit_2():
    r = run("list", "--grep", "([")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("guizhou: error: --grep '([': not a valid regular expression")
    assert r.err.count("\n") == 1


@pytest.mark.parametrize("fmt, empty", [("json", "[]\n"), ("yaml", "[]\n"), ("jsonl", ""), ("table", "")])
def test_filter_matching_nothing_says_so_on_stderr_exit_0(fmt, empty):
    r = run("list", "--essay", "e9", "--grep", "x", "-f", fmt)
    assert r.code == 0
    assert r.out == empty
    assert r.err == "guizhou: no measures match --essay e9 --grep x\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "md"])
def test_filter_matching_nothing_gives_a_header_only(fmt):
    r = run("list", "--essay", "nothing-like-this", "-f", fmt)
    assert r.code == 0 and "no measures match" in r.err
    assert len(r.out.splitlines()) == (2 if fmt == "md" else 1)
    assert "title" in r.out


def test_filter_message_escapes_control_characters():
    r = run("list", "--essay", "\x1b[2J")
    assert r.code == 0 and "\x1b" not in r.err and "\\x1b[2J" in r.err


# ------------------------------------------------------------ --term (keywords module)


def test_term_filter_calls_measures_with_term_per_document(monkeypatch):
    calls: list[tuple[list[str], str]] = []

    def measures_with_term(measures, term):
        ms = list(measures)
        calls.append(([m.id for m in ms], term))
        return {m.id for m in ms if term in m.title}

    fake = types.ModuleType("guizhou_cli.keywords")
    fake.measures_with_term = measures_with_term  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "guizhou_cli.keywords", fake)
    assert ids("--term", "人才", "--essay", "3") == ["e3.s4.m4", "e3.s5.m1", "e3.s5.m3", "e3.s5.m4"]
    assert calls == [([f"e3.s{s}.m{i}" for s in (2, 3, 4, 5, 6) for i in (1, 2, 3, 4)], "人才")]


def test_term_module_is_not_imported_without_term():
    code = (
        "import sys; from guizhou_cli.cli import main; main(['list', '-f', 'tsv']); "
        "sys.exit(1 if 'guizhou_cli.keywords' in sys.modules or 'jieba' in sys.modules else 0)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert p.returncode == 0, p.stderr


def test_term_with_the_real_segmenter():
    kw = pytest.importorskip("guizhou_cli.keywords")
    if not hasattr(kw, "measures_with_term"):
        pytest.skip("guizhou_cli.keywords.measures_with_term is not written yet")
    r = run("list", "--term", "人才", "-f", "tsv")
    assert r.code == 0, r.err
    got = [row.split("\t")[5] for row in r.out.splitlines()[1:]]
    assert got and "e3.s5.m1" in got
    assert all("人才" in row for row in r.out.splitlines()[1:])


# ------------------------------------------------------------ sources


def test_list_reads_source_documents_and_catalogues(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("一份计划\n\n要做好三件事。一是修路。二是架桥。三是通网。\n", encoding="utf-8")
    extracted = tmp_path / "plan.yaml"
    assert run("extract", str(src), "-o", str(extracted)).code == 0
    a, b = run("list", str(src), "-f", "json"), run("list", str(extracted), "-f", "json")
    assert a.code == b.code == 0
    assert a.out == b.out


def test_stdin_source():
    r = run("list", "-", "-f", "tsv", stdin="标题\n\n一是修路。二是架桥。\n".encode())
    assert r.code == 0, r.err


def test_missing_source_is_an_error():
    r = run("list", "no-such-file.txt")
    assert r.code == 2 and r.out == "" and "no such file" in r.err


# ------------------------------------------------------------ shell completion


def complete(monkeypatch, words: str) -> list[str]:
    import contextlib
    import io

    from guizhou_cli.cli import main

    monkeypatch.setenv("_GUIZHOU_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # click writes the answer as bytes
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 0
    out.flush()
    return [ln.split(",", 1)[1] for ln in out.buffer.getvalue().decode("utf-8").splitlines()]


def test_completion_of_commands_options_and_ids(monkeypatch):
    assert {"extract", "list", "show", "search", "stats"} <= set(complete(monkeypatch, "guizhou "))
    assert complete(monkeypatch, "guizhou s") == ["show", "search", "stats"]
    assert "--format" in complete(monkeypatch, "guizhou list --f")
    assert complete(monkeypatch, "guizhou list -f j") == ["json", "jsonl"]
    assert complete(monkeypatch, "guizhou list --essay e") == ["e1", "e2", "e3", "e4"]
    assert complete(monkeypatch, "guizhou show e4.s2.") == ["e4.s2.m1", "e4.s2.m2", "e4.s2.m3"]


def test_completion_script_is_documented_and_generated(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_GUIZHOU_COMPLETE=bash_source guizhou" in readme
    assert "_GUIZHOU_COMPLETE=zsh_source guizhou" in readme
    assert "_GUIZHOU_COMPLETE=fish_source guizhou" in readme
    import contextlib
    import io

    from guizhou_cli.cli import main

    monkeypatch.setenv("_GUIZHOU_COMPLETE", "bash_source")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([])
    out.flush()
    assert "_guizhou_completion" in out.buffer.getvalue().decode("utf-8")


README_CMD = "$ guizhou list --essay 4\n"
README_WIDTH = 80


def test_golden_readme_list(monkeypatch):
    """The README shows real output; UPDATE_GOLDEN=1 rewrites it there too."""
    monkeypatch.setenv("COLUMNS", str(README_WIDTH))
    r = run("list", "--essay", "4", "-f", "table", "--no-color")
    assert r.code == 0
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    head, sep, rest = readme.partition(README_CMD)
    assert sep, "README lacks the `guizhou list --essay 4` example"
    block, fence, tail = rest.partition("```")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(head + sep + r.out + fence + tail, encoding="utf-8")
        return
    assert block == r.out, "README's `guizhou list --essay 4` output is stale (UPDATE_GOLDEN=1 python -m pytest tests -k golden)"


def test_help_does_not_import_rich():
    code = "import sys; from guizhou_cli.cli import main; main(['--help']); sys.exit(1 if 'rich' in sys.modules else 0)"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert p.returncode == 0
    assert b"list" in p.stdout and b"search" in p.stdout


# ------------------------------------------------------------ outlines and several documents


def _nested(path: Path) -> None:
    from guizhou_cli.catalogue import dump_catalogue

    def m(mid: str, title: str, line: int) -> Measure:
        return Measure(mid, 1, "一是", "numbered", title, title + "。", line, line)

    leaf = m("e1.s1.s1.m1", "扩大内需", 4)
    inner = Section("e1.s1.s1", "稳定经济增长", "（一）", 1, False, False, 3, 0, "稳定经济增长", (leaf,))
    outer = Section("e1.s1", "今年主要任务", "一、", 1, False, False, 2, 0, "今年主要任务", sections=(inner,))
    essay = Essay("e1", "政府工作报告", (), None, None, None, 1, None, sections=(outer,))
    dump_catalogue(Catalogue("tests", (Document("report.txt", "0" * 64, "utf-8", None, None, None, (essay,)),)), path)


def test_outline_parents_head_their_children_indented(tmp_path):
    _nested(tmp_path / "r.yaml")
    lines = table(str(tmp_path / "r.yaml")).splitlines()
    rows = [ln for ln in lines if ln.startswith("e1.")]
    assert [r.split()[0] for r in rows] == ["e1.s1", "e1.s1.s1", "e1.s1.s1.m1"]
    col = lines[1].index("measure")  # the header is ASCII: index = cell

    def from_cell(ln: str, cell: int) -> str:
        pos = 0
        for i, ch in enumerate(ln):
            if pos >= cell:
                return ln[i:]
            pos += cell_len(ch)
        return ""

    assert from_cell(rows[0], col).startswith("今年主要任务")
    assert from_cell(rows[1], col).startswith("  稳定经济增长")  # one level in
    assert from_cell(rows[2], col).startswith("  扩大内需")
    assert lines[-1] == "1 measure in 1 section of 1 essay"


def test_several_documents_get_a_rule_each(tmp_path, tricky):
    _nested(tmp_path / "r.yaml")
    out = table(tricky, str(tmp_path / "r.yaml"))
    assert re.search(r"^tricky\.txt ─+$", out, re.M) and re.search(r"^report\.txt ─+$", out, re.M)
    assert out.index("tricky.txt") < out.index("report.txt")


def test_a_catalogue_without_measures(tmp_path):
    src = tmp_path / "prose.txt"
    src.write_text("一篇散文\n\n今天天气很好。\n", encoding="utf-8")
    r = run("list", str(src), "-f", "json")
    assert r.code == 0 and r.out == "[]\n"
    assert r.err == "guizhou: no measures in the catalogue\n"


# ------------------------------------------------------------ the line breaker


def test_break_offsets_follow_chinese_rules():
    from guizhou_cli.render.tables import break_offsets

    text = "建设“东数西算”工程，项目[22ZDA064]阶段性成果，提升2.5%的效率。"
    for width in range(4, 30):
        cuts = [0, *break_offsets(text, width), len(text)]
        lines = [text[a:b] for a, b in itertools.pairwise(cuts)]
        assert "".join(lines) == text
        assert all(cell_len(ln) <= width for ln in lines if "[22ZDA064]" not in ln), (width, lines)
        assert not [ln for ln in lines[1:] if ln[0] in "，。”"], (width, lines)
        assert not [ln for ln in lines[:-1] if ln[-1] == "“"], (width, lines)
        if width >= 12:
            assert any("[22ZDA064]" in ln for ln in lines), (width, lines)
            assert any("2.5%" in ln for ln in lines), (width, lines)
