"""``guizhou diff OLD NEW``: what changed between two versions, exit 0 same / 1 differ / 2 error."""

from __future__ import annotations

import click

from ..cli import Environment, ExitCode, encoding_option, pass_env


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "yaml", "json"]),
    default="text",
    show_default=True,
    help="text: a view for people; yaml/json: guizhou-diff/1 for programs.",
)
@click.option(
    "-t",
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    metavar="SCORE",
    help="Lowest match score (0–1) at which two measures count as versions of one another. [default: 0.45]",
)
@encoding_option
@pass_env
def diff_cmd(env: Environment, old: str, new: str, fmt: str, threshold: float | None, encoding: str | None) -> int:
    """Show what changed between two versions of a catalogue.

    OLD and NEW are catalogue files (.yaml, .json) or source documents
    (extracted on the fly); one of them may be - for stdin. Measures are
    matched by content, so renumbering and moves are told from rewording.

    Exit status: 0 same, 1 different, 2 error.

    \b
    guizhou diff report-2023.txt report-2024.txt
    guizhou diff old.yaml new.yaml -f json
    """
    from ..diff import DEFAULT_THRESHOLD, diff_catalogues, dumps_diff
    from ..errors import InputError
    from ..sources import open_catalogue

    if old == "-" and new == "-":
        raise InputError("only one of OLD and NEW can be - (stdin)")
    cat_old = open_catalogue([old], encoding, stdin=env.stdin)
    cat_new = open_catalogue([new], encoding, stdin=env.stdin)
    result = diff_catalogues(
        cat_old,
        cat_new,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        old_source=old,
        new_source=new,
    )
    if fmt == "text":
        from ..render import make_console
        from ..render.diff import render_diff

        render_diff(result, make_console(env.stdout, color=env.color))
        env.stdout.flush()
    else:
        env.write(dumps_diff(result, fmt))
    return int(ExitCode.OK if result.same else ExitCode.DIFFER)
