"""The option set every command shares (issue 14): same names, same letters,
same meaning; -o and -f; colour and pager; bare ``guizhou``; exit codes."""

from __future__ import annotations

import json
import os

import click
import pytest
import yaml

from guizhou_cli.cli import COMMANDS, cli

from .cli_helpers import run

# one meaning per short letter, everywhere
LETTERS = {
    "-o": "--output",
    "-f": "--format",
    "-n": "--limit",
    "-t": "--term",
    "-e": "--essay",
    "-s": "--section",
    "-d": "--document",
    "-g": "--grep",
    "-i": "--ignore-case",
    "-j": "--jobs",
    "-h": "--help",
}
DATA = {"--output", "--format", "--color", "--no-color", "--pager"}
SOURCES = {"--glob", "--jobs", "--encoding"}
READ = {"--document"}
EXPECTED: dict[str, set[str]] = {
    "extract": DATA | SOURCES,
    "list": DATA | SOURCES | READ | {"--essay", "--section", "--grep", "--ignore-case", "--term", "--limit", "--bom"},
    "show": DATA | SOURCES | READ,
    "search": DATA | SOURCES | READ | {"--essay", "--section", "--grep", "--limit", "--bom"},
    "stats": DATA | SOURCES | READ | {"--essay", "--section", "--bom"},
    "keywords": DATA | SOURCES | READ | {"--essay", "--limit", "--bom"},
    "diff": DATA | SOURCES | {"--threshold"},
    "history": DATA | SOURCES,
}
# every command (diff and history included) takes its options from commands/options.py
assert set(EXPECTED) == set(COMMANDS)


def _command(name: str) -> click.Command:
    cmd = cli.get_command(click.Context(cli), name)
    assert cmd is not None
    return cmd


def _names(cmd: click.Command) -> dict[str, click.Parameter]:
    out = {}
    for p in cmd.params:
        for n in [*p.opts, *p.secondary_opts]:
            out[n] = p
    return out


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_and_the_shared_options(name):
    cmd = _command(name)
    assert (cmd.help or "").strip() and len(cmd.help or "") > 80, f"{name} has no help text"
    assert COMMANDS[name][2], f"{name} has no one-line help for `guizhou --help`"
    names = _names(cmd)
    missing = EXPECTED[name] - set(names)
    assert not missing, f"{name} lacks {sorted(missing)}"
    for p in cmd.params:
        if isinstance(p, click.Option) and not p.hidden:
            assert p.help, f"{name} {p.opts} has no help"
    for short, long in LETTERS.items():
        if short in names:
            assert long in names[short].opts, f"{name}: {short} is {names[short].opts}, not {long}"
    assert "-t" not in (names["--threshold"].opts if "--threshold" in names else [])
    if "--format" in names:
        fmt = names["--format"]
        assert isinstance(fmt.type, click.Choice)
        assert set(fmt.type.choices) <= {"table", "yaml", "json", "jsonl", "csv", "tsv", "md", "db"}
        assert "table" in fmt.type.choices


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_runs_its_help(name):
    r = run(name, "--help")
    assert r.code == 0 and "Usage:" in r.out and r.err == ""


def test_bare_guizhou_prints_help_and_succeeds():
    r = run()
    assert r.code == 0
    assert "Usage:" in r.out and "Commands:" in r.out
    import re

    for code in ("0", "1", "2", "130"):
        assert re.search(rf"^\s+{code}\s+\w", r.out, re.M), code  # exit codes in the top-level help
    assert r.out == run("--help").out


def test_exit_codes_are_in_the_readme():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1]
    for code in ("`0`", "`1`", "`2`", "`130`"):
        assert code in section


# ------------------------------------------------------------ -o and -f


@pytest.mark.parametrize(
    "ext, check",
    [
        ("json", lambda t: isinstance(json.loads(t), list)),
        ("yaml", lambda t: isinstance(yaml.safe_load(t), list)),
        ("jsonl", lambda t: all(json.loads(ln) for ln in t.splitlines())),
        ("csv", lambda t: t.startswith("source,essay,")),
        ("tsv", lambda t: t.startswith("source\tessay\t")),
        ("md", lambda t: t.startswith("| source | essay |")),
        ("txt", lambda t: "e4.s2.m2" in t and "\x1b" not in t and "─" in t),
    ],
)
def test_the_output_extension_picks_the_format(tmp_path, ext, check):
    out = tmp_path / f"measures.{ext}"
    r = run("list", "-o", str(out), tty=True)
    assert r.code == 0, r.err
    assert r.out == "" and f"wrote {out}" in r.err
    assert check(out.read_text(encoding="utf-8"))


def test_extract_output_extension_json(tmp_path):
    out = tmp_path / "c.json"
    assert run("extract", "-o", str(out)).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"].startswith("guizhou-catalogue")


def test_dash_is_stdout_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("extract", "-o", "-")
    assert r.code == 0 and r.out.startswith("schema: guizhou-catalogue")
    assert not (tmp_path / "-").exists()
    assert run("list", "-o", "-", "-f", "json").out.startswith("[")


@pytest.mark.parametrize("cmd", [("extract", "-o", "x.json", "-f", "yaml"), ("list", "-o", "x.csv", "-f", "json")])
def test_a_format_contradicting_the_extension_is_an_error(tmp_path, cmd):
    args = [a if a.startswith("-") or "." not in a else str(tmp_path / a) for a in cmd]
    r = run(*args)
    assert r.code == 2 and "contradicts" in r.err
    assert os.listdir(tmp_path) == []


def test_unknown_extension_takes_the_default(tmp_path):
    out = tmp_path / "c.out"
    assert run("extract", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("schema: guizhou-catalogue")


def test_output_is_atomic_for_read_commands(tmp_path):
    out = tmp_path / "m.csv"
    out.write_text("precious", encoding="utf-8")
    r = run("list", "--grep", "(", "-o", str(out))
    assert r.code == 2 and out.read_text(encoding="utf-8") == "precious"
    assert os.listdir(tmp_path) == ["m.csv"]


def test_extract_summary_on_a_terminal_yaml_when_piped(tmp_path):
    tty = run("extract", tty=True)
    assert tty.code == 0
    assert "4 essays" in tty.out and "32 measures" in tty.out and "schema:" not in tty.out
    assert tty.out.count("\n") < 25
    assert run("extract").out.startswith("schema: guizhou-catalogue")
    assert run("extract", "-f", "yaml", tty=True).out.startswith("schema: guizhou-catalogue")


# ------------------------------------------------------------ colour and pager


@pytest.fixture
def _no_colour_env(monkeypatch):
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.mark.usefixtures("_no_colour_env")
@pytest.mark.parametrize(
    "args, env, tty, coloured",
    [
        ((), {}, True, True),
        ((), {}, False, False),
        (("--color", "never"), {}, True, False),
        (("--no-color",), {}, True, False),
        (("--color", "always"), {}, False, True),
        ((), {"NO_COLOR": "1"}, True, False),
        ((), {"FORCE_COLOR": "1"}, False, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True, True),  # the option wins over the environment
    ],
)
def test_color_auto_always_never(monkeypatch, args, env, tty, coloured):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for where in ("command", "group"):
        argv = ["list", "-f", "table", *args] if where == "command" else [*args, "list", "-f", "table"]
        r = run(*argv, tty=tty)
        assert r.code == 0, r.err
        assert ("\x1b[" in r.out) == coloured, (where, args, env, tty)


def test_pager_gets_less_r_when_less_is_unset(monkeypatch, tmp_path):
    from guizhou_cli.commands import options

    seen = tmp_path / "env.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'echo \"LESS=$LESS\" > {seen}; cat > /dev/null'")
    monkeypatch.delenv("LESS", raising=False)
    options.page("\x1b[36mtext\x1b[0m\n", color=True)
    assert seen.read_text().strip() == "LESS=-R"
    monkeypatch.setenv("LESS", "-X")
    options.page("text\n", color=True)
    assert seen.read_text().strip() == "LESS=-X"  # the user's choice stays
    assert "LESS" in os.environ and os.environ["LESS"] == "-X"


def test_pager_without_colour_strips_the_codes(monkeypatch, tmp_path, capfd):
    from guizhou_cli.commands import options

    got = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {got}'")
    options.page("\x1b[36mtext\x1b[0m\n", color=False)
    assert got.read_text() == "text\n"


# ------------------------------------------------------------ keywords: --limit, --top kept


def test_keywords_limit_and_the_hidden_top():
    a = run("keywords", "-n", "2", "-f", "json")
    b = run("keywords", "--top", "2", "-f", "json")
    assert a.code == b.code == 0 and a.out == b.out
    assert all(len(g["keywords"]) == 2 for g in json.loads(a.out))
    assert "--top" not in run("keywords", "--help").out


def test_list_limit():
    rows = run("list", "-n", "3", "-f", "tsv").out.splitlines()
    assert len(rows) == 4


# ------------------------------------------------------------ progress


def test_activity_is_silent_off_a_terminal_and_clears_on_one():
    import io
    import time

    from guizhou_cli.cli import Environment
    from guizhou_cli.commands.options import activity

    from .cli_helpers import _TTY

    quiet = io.StringIO()
    with activity(Environment(stderr=quiet), "reading", delay=0.0):
        time.sleep(0.05)
    assert quiet.getvalue() == ""
    tty = _TTY()
    with activity(Environment(stderr=tty), "reading x\x1b[31m", delay=0.0):
        time.sleep(0.4)
    out = tty.getvalue()
    assert "reading x␛[31m" in out and out.endswith("\r\x1b[K")


def test_jobs_and_glob_on_read_commands_give_the_same_answer(tmp_path):
    from .conftest import SEED

    seed = SEED.read_text(encoding="utf-8")
    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text(seed[: 3000 + 2000 * i], encoding="utf-8")
    (tmp_path / "e.md").write_text("# 标题\n\n**加强领导。**一是建立机制。二是压实责任。\n", encoding="utf-8")
    one = run("list", str(tmp_path), "-f", "json")
    two = run("list", str(tmp_path), "-j", "2", "-f", "json")
    assert one.code == two.code == 0 and one.out == two.out
    assert "e.md" not in one.out
    md = run("stats", str(tmp_path), "--glob", "*.*", "-j", "2", "-f", "json")
    assert md.code == 0 and "e.md" in md.out


# ------------------------------------------------------------ diff and history on the shared options


def _versions(tmp_path):
    """Two versions of the seed page in a directory, as .txt and (a copy) as .text."""
    from .conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    d = tmp_path / "versions"
    d.mkdir()
    (d / "page-2023.txt").write_text(text, encoding="utf-8")
    first = json.loads(run("list", "-f", "json", "-n", "1").out)[0]["text"][:12]
    assert first in text
    (d / "page-2024.txt").write_text(text.replace(first, first + "并且加快推进", 1), encoding="utf-8")
    (d / "page-2024.text").write_text(text, encoding="utf-8")
    return d


def test_diff_reads_directories_with_glob_jobs_and_encoding(tmp_path):
    d = _versions(tmp_path)
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "page.text").write_bytes((d / "page-2023.txt").read_bytes())
    (new / "page.text").write_bytes((d / "page-2024.txt").read_bytes())
    # without --glob a directory means its *.txt files: none here
    r = run("diff", str(old), str(new))
    assert r.code == 2 and r.out == "" and "no *.txt files" in r.err
    one = run("diff", str(old), str(new), "--glob", "*.text", "--encoding", "utf-8", "-f", "json")
    two = run("diff", str(old), str(new), "--glob", "*.text", "-j", "2", "-f", "json")
    assert one.code == two.code == 1, (one.err, two.err)
    assert json.loads(one.out) == json.loads(two.out)


def test_diff_keeps_its_formats_and_the_text_alias(tmp_path):
    from .conftest import SEED

    d = _versions(tmp_path)
    new = str(d / "page-2024.txt")
    table = run("diff", str(SEED), new, "-f", "table", "--color", "never")
    text = run("diff", str(SEED), new, "-f", "text", "--no-color")
    assert table.code == text.code == 1 and table.out == text.out and "\x1b" not in table.out
    assert "text" not in run("diff", "--help").out.split("--format", 1)[1].split("\n", 1)[0]
    r = run("diff", str(SEED), new, "-f", "csv")
    assert r.code == 2 and r.out == ""
    out = tmp_path / "changes.md"
    r = run("diff", str(SEED), new, "-o", str(out))
    assert r.code == 1 and r.out == "" and out.read_text(encoding="utf-8").startswith("#")
    r = run("diff", str(SEED), new, "-o", str(tmp_path / "c.json"), "-f", "yaml")
    assert r.code == 2 and "contradicts" in r.err


def test_history_takes_glob_jobs_and_limit_zero(tmp_path):
    d = _versions(tmp_path)
    base = run("history", str(d), "-f", "json")
    assert base.code == 0, base.err
    data = json.loads(base.out)
    every = run("history", str(d), "-f", "json", "-n", "0")  # 0: all, as everywhere
    assert json.loads(every.out) == data
    one = run("history", str(d), "-f", "json", "-n", "1")
    assert len(json.loads(one.out)["lineages"]) == 1 < len(data["lineages"])
    par = run("history", str(d), "-f", "json", "-j", "2")
    assert par.code == 0 and json.loads(par.out) == data
    # --glob '*.*' also takes the .text copy: a second version of 2024, skipped by name or read
    wide = run("history", str(d), "-f", "json", "--glob", "*.*")
    assert wide.code == 0, wide.err
