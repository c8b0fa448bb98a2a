"""The command line: parse arguments, call the library, map errors to exit codes.

Commands live in ``guizhou_cli/commands/`` and are imported only when run, so
``guizhou --help`` stays fast (it never imports rich, yaml or jieba).

Exit codes (``ExitCode``): 0 success, 1 "differ" (commands that compare),
2 any error, 130 interrupted (Ctrl-C, SIGTERM, SIGHUP). Click on its own exits
1 for aborts and broken pipes, which is diff(1)'s "differ"; ``main()``
therefore runs click in non-standalone mode and maps every outcome itself.
``--traceback`` prints the stack and keeps the exit code.
"""

from __future__ import annotations

import enum
import errno
import os
import signal
import sys
from dataclasses import dataclass, field
from importlib import import_module
from typing import IO, Any

import click

from . import __version__

PROG = "guizhou"


class ExitCode(enum.IntEnum):
    OK = 0
    DIFFER = 1
    ERROR = 2
    INTERRUPTED = 130


@dataclass
class Environment:
    """The std streams and terminal facts a command may use (httpie style).

    Tests swap the streams; nothing else in the package touches sys.std*.
    """

    stdin: IO[bytes] = field(default_factory=lambda: sys.stdin.buffer)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    no_color: bool = False
    traceback: bool = False
    color_choice: str = "auto"  # the group's --color; a command's own --color wins

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_isatty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def color(self) -> bool:
        """Colour for a view on stdout (--color, NO_COLOR, FORCE_COLOR, a terminal)."""
        choice = "never" if self.no_color else self.color_choice
        if choice != "auto":
            return choice == "always"
        if os.environ.get("NO_COLOR"):
            return False
        return bool(os.environ.get("FORCE_COLOR")) or self.stdout_isatty

    def message(self, text: str) -> None:
        """One line for the user, on stderr.

        File names and quoted text can hold line breaks, escape sequences or
        bidirectional controls: they are shown visibly (``␛``, ``<U+202E>``),
        so the message stays one line and the terminal stays as it was.
        """
        from .render import visible

        print(f"{PROG}: {visible(text).replace(chr(10), chr(0x240A))}", file=self.stderr)

    def write(self, text: str) -> None:
        """Data, on stdout, bypassing Rich."""
        self.stdout.write(text)
        self.stdout.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


pass_env = click.make_pass_decorator(Environment, ensure=True)

# name → (module, attribute, one-line help). The help is repeated here so that
# `guizhou --help` lists commands without importing them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "extract": ("guizhou_cli.commands.extract", "extract_cmd", "Parse documents into a catalogue of measures."),
    "diff": ("guizhou_cli.commands.diff", "diff_cmd", "Show what changed between two versions: 0 same, 1 differ."),
    "history": ("guizhou_cli.commands.history", "history_cmd", "Follow each measure through a series of versions."),
    "list": ("guizhou_cli.commands.read", "list_cmd", "List the measures (or --sections), grouped by essay and section."),
    "show": ("guizhou_cli.commands.read", "show_cmd", "Show one essay, section or measure in full, with provenance."),
    "search": ("guizhou_cli.commands.read", "search_cmd", "Find measures, sections and leads by relevance, with snippets."),
    "stats": ("guizhou_cli.commands.read", "stats_cmd", "Count sections, measures and characters per essay and section."),
    "keywords": ("guizhou_cli.commands.keywords", "keywords_cmd", "Top terms of each essay, or the terms that rose and fell."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        cmd: click.Command = getattr(import_module(spec[0]), spec[1])
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, spec[2]) for name, spec in COMMANDS.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        # Click turns KeyboardInterrupt into Abort after echoing a blank line
        # to sys.stderr, and a broken pipe into sys.exit(1); main() deals
        # with both itself.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None
        except BrokenPipeError:
            raise PipeClosed from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise PipeClosed from None
            raise


class _Interrupted(Exception):
    """Ctrl-C, SIGTERM or SIGHUP inside a command (see LazyGroup.invoke)."""


class PipeClosed(Exception):
    """The reader of stdout left (``guizhou list | head -3``): exit 0, quietly."""


EPILOG = """\b
Exit status:
  0    success
  1    the inputs differ (commands that compare: diff)
  2    error: one line on stderr saying what is wrong (--traceback for the stack)
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP); no -o file is left half-written
"""


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="guizhou-cli")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default=None,
    help="Colour for every command: auto (a terminal, unless NO_COLOR), always, never.",
)
@click.option("--no-color", is_flag=True, help="Same as --color never (also: NO_COLOR=1).")
@click.option("--traceback", is_flag=True, help="Show the Python stack on errors (for bug reports); exit codes stay.")
@click.pass_context
def cli(ctx: click.Context, color: str | None, no_color: bool, traceback: bool) -> None:
    """Turn Chinese policy writing into a catalogue of the measures it proposes.

    \b
    guizhou extract                  the bundled seed page: a summary (YAML when piped)
    guizhou extract report.txt -o report.yaml
    guizhou list report.yaml --essay 2
    guizhou search 数字经济
    """
    env = ctx.ensure_object(Environment)
    env.no_color = env.no_color or no_color
    if color:
        env.color_choice = color
    env.traceback = env.traceback or traceback
    if ctx.invoked_subcommand is None:
        # bare `guizhou`: the help, and success
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit(0)


# ------------------------------------------------------------ shared options
# The options commands share live in guizhou_cli/commands/options.py; this
# one stays here for command modules written before it.

encoding_option = click.option(
    "--encoding",
    metavar="ENC",
    default=None,
    help="Encoding of the source files (default: BOM, then UTF-8, then GB18030).",
)

INTERRUPT_SIGNALS = ("SIGTERM", "SIGHUP")


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Entry point: returns (and, from the console script, exits with) the code."""
    env = env or Environment()
    args = list(sys.argv[1:] if argv is None else argv)
    want_tb = "--traceback" in args or env.traceback
    # Ctrl-C, SIGTERM and SIGHUP (the terminal closed) all end up as
    # KeyboardInterrupt: one line, exit 130, and any `-o` file is left as it
    # was (writes are atomic, temporary files removed on the way out).
    for name in INTERRUPT_SIGNALS:
        sig = getattr(signal, name, None)
        if sig is None:
            continue  # no SIGHUP on Windows
        try:
            signal.signal(sig, _raise_interrupt)
        except ValueError:
            pass  # not the main thread (tests)
    code: int
    try:
        rv = cli.main(args=args, prog_name=PROG, standalone_mode=False, obj=env)
        code = int(rv) if isinstance(rv, int) else ExitCode.OK
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        _stack(env, want_tb)
        # usage errors print click's usage hint; others one line
        if isinstance(exc, click.UsageError):
            exc.show(file=env.stderr)
        else:
            env.message(f"error: {exc.format_message()}")
        code = ExitCode.ERROR
    except (click.exceptions.Abort, KeyboardInterrupt, _Interrupted):
        _stack(env, want_tb)
        _interrupted(env)
        code = ExitCode.INTERRUPTED
    except (BrokenPipeError, PipeClosed):
        # `guizhou list | head -3`: the reader left; say nothing
        _silence_stdout()
        code = ExitCode.OK
    except Exception as exc:  # the last line of defence
        from .errors import GuizhouError

        _stack(env, want_tb)
        if isinstance(exc, GuizhouError):
            env.message(f"error: {exc}")
        elif isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _silence_stdout()
            return ExitCode.OK
        elif isinstance(exc, MemoryError):
            env.message("error: out of memory")
        elif isinstance(exc, OSError):
            # an OS error no stage turned into a message: still one line
            where = f"{exc.filename}: " if exc.filename else ""
            env.message(f"error: {where}{exc.strerror or exc}")
        else:
            from .errors import missing_package

            why = missing_package(exc) or f"internal error: {type(exc).__name__}: {exc} (run with --traceback for details)"
            env.message(f"error: {why}")
        code = ExitCode.ERROR
    return code


def _stack(env: Environment, wanted: bool) -> None:
    """--traceback: the stack of the exception being handled, then the usual line and exit code."""
    if not wanted:
        return
    import traceback

    try:
        traceback.print_exc(file=env.stderr)
    except (OSError, ValueError):
        pass


def _interrupted(env: Environment) -> None:
    # On a terminal the ^C echo has no line end: start a fresh line.
    try:
        if env.stderr_isatty:
            env.stderr.write("\n")
        env.message("interrupted")
    except (OSError, ValueError):
        pass  # stderr gone: the exit code still says it


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _silence_stdout() -> None:
    # Python flushes stdout at exit; after EPIPE that flush fails again and
    # prints a traceback. Point stdout at devnull so the exit is quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """Console-script entry."""
    try:
        code = main()
    except KeyboardInterrupt:
        # a second Ctrl-C while the first was being handled
        code = ExitCode.INTERRUPTED
    sys.exit(code)
