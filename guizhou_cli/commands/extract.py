"""``guizhou extract``: documents → one catalogue (YAML or JSON)."""

from __future__ import annotations

import click

from ..cli import Environment, encoding_option, pass_env


@click.command("extract")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("-o", "--output", metavar="OUT", help="Write the catalogue to OUT (atomically) instead of stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Catalogue format.")
@encoding_option
@pass_env
def extract_cmd(env: Environment, paths: tuple[str, ...], output: str | None, fmt: str, encoding: str | None) -> None:
    """Parse documents into a catalogue of measures.

    PATH is a text file, a directory (its *.txt files, sorted) or - for
    stdin. With no PATH, the bundled seed page is read.

    \b
    guizhou extract
    guizhou extract report.txt -o report.yaml
    cat report.txt | guizhou extract - --format json
    """
    from ..catalogue import dump_catalogue
    from ..sources import open_catalogue

    progress = _progress(env) if len(paths) != 1 or paths == ("-",) else None
    cat = open_catalogue(list(paths), encoding, on_document=progress, stdin=env.stdin)
    # Only data goes to stdout; with -o nothing is written until the whole
    # catalogue is built, so an error leaves OUT untouched.
    if output:
        dump_catalogue(cat, output, fmt)
        n = sum(len(s.measures) for d in cat.documents for e in d.essays for s in _walk(e.sections))
        env.message(f"wrote {output}: {len(cat.documents)} document(s), {n} measure(s)")
    else:
        env.write(dump_catalogue(cat, None, fmt))


def _walk(sections):  # type: ignore[no-untyped-def]
    from ..model import iter_sections

    return iter_sections(sections)


def _progress(env: Environment):  # type: ignore[no-untyped-def]
    if not env.stderr_isatty:
        return None

    def report(path: str) -> None:
        env.stderr.write(f"\r\x1b[Kreading {path}")
        env.stderr.flush()

    return report
