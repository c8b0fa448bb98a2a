"""``guizhou history A B C …``: each measure followed through a series of versions."""

from __future__ import annotations

import io

import click

from ..cli import Environment, pass_env
from .diff import output_format, refuse_inputs, use_color, write_result
from .options import activity, color_options, limit_option, output_options, source_options


@click.command("history")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-t", "--term", metavar="WORD", help="When WORD first appears, and the measures that carry it.")
@click.option("--show", "show_id", metavar="ID", help="One lineage (L12) step by step, with what changed in its wording.")
@limit_option()
@click.option(
    "--min-versions",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="K",
    help="Only measures found in at least K versions.",
)
@click.option(
    "--sort",
    "order",
    type=click.Choice(["first", "versions", "reworded"]),
    default="first",
    show_default=True,
    help="first: by first appearance; versions: the longest-lived first; reworded: the most rewritten first.",
)
@click.option(
    "--gap",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Look for a measure again after it was missing from up to N versions in a row (0: never).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    metavar="SCORE",
    help="Lowest match score (0–1) for two measures to be one, as in diff. [default: 0.45]",
)
@output_options(
    ("table", "yaml", "json", "md"),
    default="table",
    default_help="table, or as the -o extension says",
    format_help="table: a view for people; yaml/json: guizhou-history/1; md: a Markdown report.",
)
@color_options
@source_options
@pass_env
def history_cmd(
    env: Environment,
    paths: tuple[str, ...],
    term: str | None,
    fmt: str | None,
    output: str | None,
    show_id: str | None,
    limit: int | None,
    min_versions: int,
    order: str,
    gap: int,
    threshold: float | None,
    glob: str,
    jobs: int,
    color: str | None,
    no_color: bool,
    pager: bool,
    encoding: str | None,
) -> None:
    """Follow each measure through a series of versions.

    PATH is a source document, a catalogue (each of its documents is one
    version) or a directory (each file one version). Versions are put in the
    order of the years in their names (gwr-national-2024.txt → 2024); of two
    copies of one year, an alternate (-alt- in its name) is skipped. Measures
    of consecutive versions are matched as diff matches them, and chained.

    For each measure: the versions it appears in, the first, how often its
    wording changed and how its figures moved. With --term, the first version
    where WORD appears and the measures that carry it.

    \b
    guizhou history ../shared/corpus/gwr-national-*.txt
    guizhou history reports/ --term 新质生产力
    guizhou history reports.yaml --min-versions 5 -o lineage.md
    """
    from ..diff import DEFAULT_THRESHOLD
    from ..history import build_history, dumps_history, one_per_year, order_versions, selected, split_documents
    from ..read import expand_paths
    from ..sources import is_catalogue, open_catalogue

    fmt = output_format(fmt, output)
    files = expand_paths(list(paths), glob)
    refuse_inputs(output, files)
    # of two copies of one year only one is read (decided on file names)
    sources = [f for f in files if not is_catalogue(f)]
    _kept, skip_early = one_per_year(sources)
    dropped = {s for s, _why in skip_early}
    docs = []
    kept = [f for f in files if f not in dropped]
    if jobs != 1:
        from .read import open_sources

        # each file is one version, each document of a catalogue one too: the
        # documents of all of them, parsed by worker processes, in order
        docs = split_documents(open_sources(env, kept, encoding, glob, jobs))
    else:
        with activity(env, f"reading {len(kept)} file(s)") as relabel:
            for k, f in enumerate(kept, 1):
                relabel(f"reading {f} ({k}/{len(kept)})")
                docs += split_documents(open_catalogue([f], encoding, stdin=env.stdin))
    versions, skipped = order_versions(docs)
    skipped = skip_early + skipped
    for src, why in skipped:
        env.message(f"skipped {src}: {why}")
    with activity(env, f"following measures through {len(versions)} version(s)"):
        h = build_history(
            versions,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            term=term,
            skipped=skipped,
            gap=gap,
        )
    shown = selected(h, min_versions=min_versions, limit=limit or None, order=order)
    if show_id:
        from ..errors import InputError

        shown = [x for x in h.lineages if x.id.lower() == show_id.lower()]
        if not shown:
            raise InputError(f"no lineage {show_id} (they run L1…L{len(h.lineages)})")
    if fmt == "table":
        from ..render import make_console
        from ..render.history import render_history

        to_file = bool(output and output != "-")
        colour = use_color(env, color, no_color, to_file)
        buf = io.StringIO()
        console = make_console(buf, color=colour, tty=True if colour else None)
        if show_id:
            from ..render.history import render_lineage

            render_lineage(h, shown[0], console, wrap=not to_file and env.stdout_isatty)
        else:
            render_history(h, shown, console, wrap=not to_file and env.stdout_isatty)
        write_result(env, output, buf.getvalue(), pager=pager)
    else:
        write_result(env, output, dumps_history(h, fmt, shown))
