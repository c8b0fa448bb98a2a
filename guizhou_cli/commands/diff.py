"""``guizhou diff OLD NEW``: what changed between two versions, exit 0 same / 1 differ / 2 error."""

from __future__ import annotations

import io
import os

import click

from ..cli import Environment, ExitCode, pass_env
from .options import activity, color_options, output_options, source_options

FORMATS = ("table", "yaml", "json", "md")
# -o's extension says the format when -f does not
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".md": "md", ".txt": "table"}


def output_format(fmt: str | None, output: str | None, what: str = "diff") -> str:
    """The format asked for, else the one -o's extension names, else table.

    An -f that contradicts the extension is an error (exit 2), not a guess.
    """
    ext = os.path.splitext(output)[1].lower() if output and output != "-" else ""
    implied = EXTENSIONS.get(ext)
    if fmt and implied and fmt != implied:
        raise click.UsageError(f"-f {fmt} contradicts the extension of {output} ({implied})")
    return fmt or implied or "table"


def use_color(env: Environment, color: str | None, no_color: bool, to_file: bool) -> bool:
    """--color always|never|auto (NO_COLOR, FORCE_COLOR; --no-color = never)."""
    if no_color or color == "never":
        return False
    if color == "always":
        return True
    if "NO_COLOR" in os.environ or not env.color:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return not to_file and env.stdout_isatty


def refuse_inputs(output: str | None, inputs: list[str]) -> None:
    """-o must not name an input: writing it would destroy what is being read."""
    if not output or output == "-":
        return
    for p in inputs:
        if p != "-" and os.path.exists(p) and os.path.exists(output):
            if os.path.samefile(p, output):
                raise click.UsageError(f"-o {output} is one of the inputs")
        elif os.path.abspath(p) == os.path.abspath(output):
            raise click.UsageError(f"-o {output} is one of the inputs")


def write_result(env: Environment, output: str | None, text: str, pager: bool = False) -> None:
    """Data to stdout, or to -o atomically (temp file beside it, then rename);
    through a pager when asked and stdout is a terminal (LESS=-R unless set, as git does)."""
    if output and output != "-":
        from ..catalogue import atomic_output

        with atomic_output(output) as out:
            out.write(text)
    elif pager and env.stdout_isatty:
        from .options import page

        # LESS=-R for the pager alone when unset (as git does); our environment stays as it was
        page(text.rstrip("\n") + "\n", color=True)
    else:
        env.write(text)


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--stat", is_flag=True, help="Only count the changes, one line per section (like git diff --stat).")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    metavar="SCORE",
    help="Lowest match score (0–1) at which two measures count as versions of one another. [default: 0.45]",
)
@output_options(
    FORMATS,
    default="table",
    default_help="table, or as the -o extension says",
    format_help="table: a view for people; yaml/json: guizhou-diff/1 for programs; md: a Markdown report.",
    aliases={"text": "table"},
)
@color_options
@source_options
@pass_env
def diff_cmd(
    env: Environment,
    old: str,
    new: str,
    fmt: str | None,
    output: str | None,
    stat: bool,
    threshold: float | None,
    color: str | None,
    no_color: bool,
    pager: bool,
    encoding: str | None,
    glob: str,
    jobs: int,
) -> int:
    """Show what changed between two versions of a catalogue.

    OLD and NEW are catalogue files (.yaml, .json), source documents
    (extracted on the fly) or directories of them; one of them may be - for
    stdin. Documents are paired first (by file name, then title, then
    content), then measures by content, so renumbering and moves are told
    from rewording; figures are compared by what they count (赤字率 3% →
    4%左右).

    Without colour, deletions and insertions are marked [-like this-]{+and
    this+}; off a terminal nothing is wrapped.

    Exit status: 0 same, 1 different, 2 error.

    \b
    guizhou diff report-2023.txt report-2024.txt
    guizhou diff old/ new/ --stat
    guizhou diff old.yaml new.yaml -o changes.md
    guizhou diff old.yaml new.yaml -f json
    """
    from ..diff import DEFAULT_THRESHOLD, diff_catalogues, diff_markdown, dumps_diff, stat_dict
    from ..errors import InputError
    from ..sources import open_catalogue

    fmt = output_format(fmt, output)
    refuse_inputs(output, [old, new])
    if old == "-" and new == "-":
        raise InputError("only one of OLD and NEW can be - (stdin)")
    if glob != "*.txt" or jobs != 1:
        from .read import open_sources

        cat_old = open_sources(env, [old], encoding, glob, jobs)
        cat_new = open_sources(env, [new], encoding, glob, jobs)
    else:
        with activity(env, f"reading {old}") as relabel:
            cat_old = open_catalogue([old], encoding, on_document=lambda p: relabel(f"reading {p}"), stdin=env.stdin)
        with activity(env, f"reading {new}") as relabel:
            cat_new = open_catalogue([new], encoding, on_document=lambda p: relabel(f"reading {p}"), stdin=env.stdin)
    with activity(env, f"comparing {len(cat_old.documents)} and {len(cat_new.documents)} document(s)"):
        result = diff_catalogues(
            cat_old,
            cat_new,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            old_source=old,
            new_source=new,
        )
    to_file = bool(output and output != "-")
    if fmt == "table":
        from ..render import make_console
        from ..render.diff import render_diff, render_stat

        colour = use_color(env, color, no_color, to_file)
        wrap = not to_file and env.stdout_isatty
        buf = io.StringIO()
        console = make_console(buf, color=colour, tty=True if colour else None)
        (render_stat if stat else render_diff)(result, console, wrap=wrap or (pager and env.stdout_isatty))
        write_result(env, output, buf.getvalue(), pager=pager)
    elif fmt == "md":
        write_result(env, output, diff_markdown(result, stat=stat))
    elif stat:
        import json

        import yaml

        from ..catalogue import SafeDumper

        data = stat_dict(result)
        text = (
            json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if fmt == "json"
            else yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=1_000_000)
        )
        write_result(env, output, text)
    else:
        write_result(env, output, dumps_diff(result, fmt))
    return int(ExitCode.OK if result.same else ExitCode.DIFFER)
