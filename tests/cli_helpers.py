"""Run the real ``main()`` with swapped streams: stdout and stderr apart."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from guizhou_cli.cli import Environment, main


@dataclass
class Result:
    code: int
    out: str
    err: str


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stdin: bytes = b"", tty: bool = False) -> Result:
    out = _TTY() if tty else io.StringIO()
    err = io.StringIO()
    env = Environment(stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    # click writes --help and usage text with click.echo to sys.std*
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), env=env)
    return Result(code, out.getvalue(), err.getvalue())
