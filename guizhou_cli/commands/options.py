"""The options every command shares, defined once (csvkit style).

Each decorator adds options under fixed parameter names, so a command's
function signature reads the same everywhere:

===================  ==========================================================
decorator            parameters it adds
===================  ==========================================================
``output_options``   ``output`` (-o/--output), ``fmt`` (-f/--format), and with
                     csv/tsv among the formats ``bom`` and ``allow_formulas``
``color_options``    ``color`` (--color auto|always|never), ``no_color``
                     (--no-color, an alias of --color never), ``pager``
``source_options``   ``glob`` (--glob), ``jobs`` (-j/--jobs), ``encoding``
``filter_options``   ``documents`` (-d), ``essays`` (-e), ``sections`` (-s)
``limit_option``     ``limit`` (-n/--limit)
``grep_options``     ``grep`` (-g/--grep), ``ignore_case`` (-i)
``term_option``      ``term`` (-t/--term)
===================  ==========================================================

Usage::

    @click.command()
    @sources_argument
    @source_options
    @output_options(formats=("table", "yaml", "json"))
    @color_options
    def cmd(sources, glob, jobs, encoding, output, fmt, color, no_color, pager): ...

``Output.from_params`` turns the output and colour parameters into the place
a result goes; ``check_output`` refuses ``-o`` naming an input;
``activity`` draws a spinner on stderr for work that takes over a second.

Only click is imported here: ``guizhou --help`` must not load rich or yaml.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from ..cli import Environment

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "yaml", "json", "jsonl", "csv", "tsv", "md")

# The format an output file's extension implies (when -f is not given).
EXTENSIONS: dict[str, str] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".md": "md",
    ".txt": "table",
    ".db": "db",
    ".sqlite": "db",
    ".sqlite3": "db",
}


# ------------------------------------------------------------ decorators


def sources_argument(f: F) -> F:
    """``[SOURCE]...``: catalogues (.yaml/.json/.db), documents, directories, or - for stdin."""
    return click.argument("sources", nargs=-1, metavar="[SOURCE]...", type=click.Path(allow_dash=True))(f)


class AliasChoice(click.Choice):  # type: ignore[type-arg]
    """A choice that also takes old names for some values, unlisted
    (``diff -f text`` is ``-f table``): scripts keep working, help shows one name."""

    def __init__(self, choices: Sequence[str], aliases: dict[str, str]) -> None:
        super().__init__(list(choices))
        self.aliases = dict(aliases)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value in self.aliases:
            value = self.aliases[value]
        return super().convert(value, param, ctx)


def output_options(
    formats: Sequence[str] = FORMATS,
    *,
    default: str | None = None,
    default_help: str | None = None,
    format_help: str | None = None,
    aliases: dict[str, str] | None = None,
) -> Callable[[F], F]:
    """-o/--output and -f/--format (plus --bom and --allow-formulas where csv/tsv is offered).

    ``default`` is the format when neither -f nor an -o extension says; None
    means the table on a terminal and tsv when piped. ``default_help`` says
    otherwise in the help, for a command that chooses differently;
    ``format_help`` says what each format is. ``aliases`` are old names -f
    still takes (not shown in the help).
    """
    choices = tuple(formats)

    def deco(f: F) -> F:
        if "csv" in choices or "tsv" in choices:
            f = click.option(
                "--allow-formulas",
                is_flag=True,
                help="Write csv/tsv cells that start with = + - @ as they are. By default such a cell gets a leading ' "
                "so that a spreadsheet shows it as text instead of running it as a formula.",
            )(f)
            f = click.option(
                "--bom", is_flag=True, help="Start csv/tsv with a byte-order mark, so Excel reads the Chinese right."
            )(f)
        if default_help:
            where = f"[default: {default_help}]"
        elif default:
            where = f"[default: {default}, or as the -o extension says]"
        elif "table" in choices:
            where = "[default: table on a terminal, tsv when piped, or as the -o extension says]"
        else:
            where = ""
        f = click.option(
            "-f",
            "--format",
            "fmt",
            type=AliasChoice(choices, aliases) if aliases else click.Choice(choices),
            default=None,
            help=f"{format_help or 'Output format.'} {where}".strip(),
        )(f)
        f = click.option(
            "-o",
            "--output",
            "output",
            metavar="FILE",
            default=None,
            help="Write to FILE (atomically: a temporary file renamed over it at the end) instead of stdout; "
            "- is stdout. The extension picks the format when -f is not given.",
        )(f)
        return f

    return deco


def color_options(f: F) -> F:
    """--color auto|always|never, --no-color, --pager/--no-pager."""
    f = click.option(
        "--pager/--no-pager",
        "pager",
        default=False,
        help="Page the table through $PAGER (less -R) when on a terminal. [default: no pager]",
    )(f)
    f = click.option("--no-color", "no_color", is_flag=True, help="Same as --color never.")(f)
    f = click.option(
        "--color",
        "color",
        type=click.Choice(["auto", "always", "never"]),
        default=None,
        help="Colour in the table: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always, never.",
    )(f)
    return f


def source_options(f: F) -> F:
    """--glob, -j/--jobs, --encoding: how source documents are read."""
    f = click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        metavar="N",
        help="Parse N source files at a time in worker processes (0: one per CPU). The result is the same.",
    )(f)
    f = click.option(
        "--glob",
        "glob",
        default="*.txt",
        show_default=True,
        metavar="PATTERN",
        help="Which files of a directory to read, e.g. '*.pdf' or '*.*'.",
    )(f)
    f = click.option(
        "--encoding",
        metavar="ENC",
        default=None,
        help="Encoding of the source files (default: BOM, then UTF-8, then GB18030).",
    )(f)
    return f


def document_option(f: F) -> F:
    """-d/--document DOC (repeatable)."""
    from .completion import complete_document

    return click.option(
        "-d",
        "--document",
        "documents",
        multiple=True,
        metavar="DOC",
        shell_complete=complete_document,
        help="Only this document: its number (2), file name or stem (gwr-2026-jiangsu), or part of its title. Repeatable.",
    )(f)


def essay_option(f: F) -> F:
    """-e/--essay ESSAY (repeatable)."""
    from .completion import complete_essay

    return click.option(
        "-e",
        "--essay",
        "essays",
        multiple=True,
        metavar="ESSAY",
        shell_complete=complete_essay,
        help="Only this essay: id (e3), number (3), or part of its title or an author's name. Repeatable.",
    )(f)


def section_option(f: F) -> F:
    """-s/--section SECTION (repeatable)."""
    from .completion import complete_section

    return click.option(
        "-s",
        "--section",
        "sections",
        multiple=True,
        metavar="SECTION",
        shell_complete=complete_section,
        help="Only this section: id (e3.s2, s2), number, marker (（一）) or part of its heading. Repeatable.",
    )(f)


def filter_options(f: F) -> F:
    """-d/--document, -e/--essay, -s/--section (repeatable; any value may match; all given must)."""
    return document_option(essay_option(section_option(f)))


def limit_option(default: int | None = None) -> Callable[[F], F]:
    """-n/--limit N."""

    def deco(f: F) -> F:
        return click.option(
            "-n",
            "--limit",
            type=click.IntRange(min=0),
            default=default,
            show_default=default is not None,
            metavar="N",
            help="At most N rows (0: all).",
        )(f)

    return deco


def grep_options(f: F) -> F:
    f = click.option("-i", "--ignore-case", is_flag=True, help="Make --grep ignore case.")(f)
    f = click.option("-g", "--grep", metavar="PATTERN", help="Only items whose title or text matches this regular expression.")(f)
    return f


def term_option(f: F) -> F:
    return click.option(
        "-t", "--term", metavar="WORD", help="Only measures the keyword segmenter finds WORD in (as a whole word)."
    )(f)


# ------------------------------------------------------------ output resolution


def format_for(output: str | None, fmt: str | None, formats: Sequence[str], default: str) -> str:
    """The format to write: -f, else the -o extension, else ``default``.

    An -f that contradicts the extension is an error: ``-o x.json -f yaml``
    would leave YAML in a file every tool will read as JSON.
    """
    implied = None
    if output and output != "-":
        implied = EXTENSIONS.get(os.path.splitext(output)[1].lower())
    if fmt and implied and fmt != implied:
        raise click.UsageError(f"-f {fmt} contradicts the extension of -o {output} (which means {implied})")
    chosen = fmt or implied or default
    if chosen not in formats:
        if implied and not fmt:
            offered = ", ".join(formats)
            raise click.UsageError(f"-o {output}: this command cannot write {implied} (formats: {offered})")
        raise click.UsageError(f"format {chosen} is not available here (formats: {', '.join(formats)})")
    return chosen


def check_output(output: str | None, inputs: Sequence[str]) -> None:
    """Refuse ``-o`` naming one of the inputs: the result would replace its own source."""
    if not output or output == "-" or not os.path.exists(output):
        return
    for path in inputs:
        if path == "-":
            continue
        try:
            same = os.path.samefile(output, path)
        except OSError:
            same = False
        if same:
            raise click.UsageError(f"-o {output} is also an input; write the result somewhere else")


def want_color(env: Environment, color: str | None, no_color: bool, isatty: bool) -> bool:
    """--color auto|always|never; the command's choice, then the group's, then the environment."""
    choice = "never" if no_color or env.no_color else (color or env.color_choice)
    if choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return isatty


class Output:
    """Where a command's result goes: a Rich view, or data written plainly; stdout or a file.

    ``-o FILE`` is written atomically; nothing is written to it when the
    command fails half way.
    """

    def __init__(
        self,
        env: Environment,
        *,
        fmt: str | None = None,
        output: str | None = None,
        formats: Sequence[str] = FORMATS,
        default: str | None = None,
        bom: bool = False,
        allow_formulas: bool = False,
        color: str | None = None,
        no_color: bool = False,
        pager: bool = False,
        inputs: Sequence[str] = (),
    ) -> None:
        self.env = env
        self.path = output if output and output != "-" else None
        check_output(self.path, inputs)
        to_tty = env.stdout_isatty and self.path is None
        fallback = default or ("table" if to_tty or self.path else "tsv")
        if fallback not in formats:
            fallback = formats[0]
        self.fmt = format_for(output, fmt, formats, fallback)
        if bom and self.fmt not in ("csv", "tsv"):
            raise click.UsageError(f"--bom applies to csv and tsv output, not {self.fmt}")
        self.bom = bom
        self.formula_guard = not allow_formulas
        self.to_tty = to_tty
        self.pager = pager and to_tty and self.fmt == "table"
        self.color = want_color(env, color, no_color, to_tty)
        self._said = False

    @classmethod
    def from_params(
        cls, env: Environment, params: dict[str, Any], *, formats: Sequence[str] = FORMATS, inputs: Sequence[str] = ()
    ) -> Output:
        """Build from a command's keyword arguments (the names the decorators give)."""
        return cls(
            env,
            fmt=params.get("fmt"),
            output=params.get("output"),
            formats=formats,
            bom=params.get("bom", False),
            allow_formulas=params.get("allow_formulas", False),
            color=params.get("color"),
            no_color=params.get("no_color", False),
            pager=params.get("pager", False),
            inputs=inputs,
        )

    @property
    def table(self) -> bool:
        return self.fmt == "table"

    # -- writing

    @contextlib.contextmanager
    def stream(self) -> Iterator[IO[str]]:
        """The text stream to write to: stdout (UTF-8 whatever the locale), or -o's temporary file."""
        if self.path is not None:
            from ..catalogue import atomic_output

            with atomic_output(self.path) as out:
                yield out
            return
        with reader_may_leave():
            out = _utf8(self.env.stdout)
            yield out
            out.flush()

    def write(self, text: str) -> None:
        with self.stream() as out:
            out.write(text)

    def render(self, draw: Callable[[Console], None]) -> None:
        """Draw on a console; through the pager when asked and on a terminal.

        The drawing is captured first so that the padding Rich leaves at the
        end of table lines can go (it would be trailing blanks in a file or a
        pasted example).
        """
        import io

        from ..render import make_console

        buf = io.StringIO()
        width = terminal_width() if self.pager else None
        tty = True if self.pager else (self.to_tty or None)
        if self.color and not tty:
            tty = True  # --color always into a pipe or file
        draw(make_console(buf, color=self.color, width=width, tty=tty))
        text = re.sub(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", r"\1", buf.getvalue(), flags=re.MULTILINE)
        if self.pager:
            page(text.rstrip("\n") + "\n", color=self.color)
        else:
            self.write(text)
            self.done("the table")

    def rows(self, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        from .. import export

        with self.stream() as out:
            export.write(
                out,
                rows,
                self.fmt,
                columns,
                bom=self.bom,
                clean=self.to_tty,
                formula_guard=self.formula_guard,
            )

    def stream_rows(self, rows: Callable[[], Iterable[dict[str, Any]]], columns: Sequence[str]) -> None:
        """``rows`` as ``self.rows`` writes a list of them, without the list
        (``rows`` is called twice for csv, tsv and md; see ``rowstream``)."""
        from .rowstream import iter_format_stream

        with self.stream() as out:
            for piece in iter_format_stream(
                rows, self.fmt, columns, bom=self.bom, clean=self.to_tty, formula_guard=self.formula_guard
            ):
                out.write(piece)
            out.flush()

    def record(self, rec: dict[str, Any]) -> None:
        from .. import export

        if self.fmt in export.TABULAR:
            self.rows(export.show_rows(rec), export.SHOW_COLUMNS)
        else:
            self.write(export.dump_record(rec, self.fmt))

    def done(self, what: str) -> None:
        """After writing to -o: say so on stderr, once (stdout may be the data's next reader)."""
        if self.path is not None and not self._said:
            self._said = True
            from ..read import display_name

            self.env.message(f"wrote {display_name(self.path)}: {what}")


def _utf8(out: IO[str]) -> IO[str]:
    # Data is UTF-8 whatever the locale says: a GBK console encoding
    # would fail on characters outside GBK, and files must be exact.
    enc = (getattr(out, "encoding", None) or "utf-8").replace("_", "-").lower()
    if enc not in ("utf-8", "utf8") and hasattr(out, "buffer"):
        import io

        out.flush()
        return io.TextIOWrapper(out.buffer, encoding="utf-8", newline="", write_through=True)
    return out


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """``guizhou list | head -3``: when the reader closes the pipe, stop
    writing and exit 0 without a word."""
    try:
        yield
    except BrokenPipeError:
        from ..cli import PipeClosed

        raise PipeClosed from None


def terminal_width() -> int | None:
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    return shutil.get_terminal_size((100, 24)).columns


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def page(text: str, *, color: bool) -> None:
    """Show text through $PAGER (default ``less``), as git does.

    ``less`` shows colour codes as ``ESC[36m`` unless told -R: when LESS is
    unset it is set to ``-R`` for the pager's environment only (not ours).
    Without a usable pager the text is printed.
    """
    cmd = os.environ.get("GUIZHOU_PAGER") or os.environ.get("PAGER") or "less"
    if not color:
        text = _ANSI.sub("", text)
    env = dict(os.environ)
    if not env.get("LESS"):
        env["LESS"] = "-R"
    env.setdefault("LV", "-c")
    try:
        argv = shlex.split(cmd)
    except ValueError:
        argv = []
    if not argv or cmd.strip() == "cat" or shutil.which(argv[0]) is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the reader quit the pager early
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            continue  # less handles Ctrl-C itself; wait for it to end


# ------------------------------------------------------------ progress


@contextlib.contextmanager
def activity(env: Environment, label: str, delay: float = 1.0) -> Iterator[Callable[[str], None]]:
    """A spinner with the elapsed time on stderr, for work that may take over a second.

    Shown only when stderr is a terminal and only after ``delay`` seconds, so
    quick runs and pipes stay silent; cleared when the block ends. The
    yielded function changes the label (``reading 3/40 files``).
    """
    if not env.stderr_isatty:
        yield lambda _text: None
        return
    stream = env.stderr
    state: dict[str, str] = {"label": label}
    shown = threading.Event()
    stop = threading.Event()
    lock = threading.Lock()
    start = time.monotonic()

    def draw() -> None:
        frames = "|/-\\"
        k = 0
        if stop.wait(delay):
            return
        while not stop.is_set():
            with lock:
                from ..render import visible

                secs = int(time.monotonic() - start)
                stream.write(f"\r\x1b[K{frames[k % 4]} {visible(state['label'])}  {secs // 60}:{secs % 60:02d}")
                stream.flush()
                shown.set()
            k += 1
            stop.wait(0.25)

    thread = threading.Thread(target=draw, name="guizhou-progress", daemon=True)
    thread.start()

    def relabel(text: str) -> None:
        state["label"] = text

    try:
        yield relabel
    finally:
        stop.set()
        thread.join()
        if shown.is_set():
            with contextlib.suppress(OSError, ValueError):
                stream.write("\r\x1b[K")
                stream.flush()
