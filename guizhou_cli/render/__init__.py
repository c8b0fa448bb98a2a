"""All terminal rendering lives in this package; nothing else imports rich.

Rules every renderer follows:

* user text enters Rich only as ``Text`` objects (``safe_text``), never as
  markup: 项目[22ZDA064], 措施[a]第一条, ``[/]`` and ``:smile:`` print as
  written;
* consoles are built by ``make_console`` with markup, emoji and highlighting
  off, so nothing is interpreted behind our back;
* control characters and escape sequences in user text are made visible
  (``\\x1b`` → ``␛``) before they reach a terminal, and so are the
  bidirectional controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C →
  ``<U+202E>``), which would reorder what the terminal shows ("Trojan
  Source"); file names pass through the same function as text;
* data formats (YAML, JSON, CSV, …) never pass through Rich at all.
"""

from __future__ import annotations

import os
import re
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Replace control characters with visible stand-ins (␛ for ESC, etc.),
    and bidirectional controls with their code (``<U+202E>``)."""

    def sub(m: re.Match[str]) -> str:
        o = ord(m.group(0))
        if o < 0x20:
            return chr(0x2400 + o)  # ␀ … ␟
        if o == 0x7F:
            return "\u2421"  # ␡
        if o > 0x9F:
            return f"<U+{o:04X}>"
        return "\ufffd"

    return _CONTROL.sub(sub, text)


def safe_text(text: str | None, style: str = "") -> Text:
    """User text as a Rich ``Text``: never parsed as markup or emoji."""
    from rich.text import Text

    return Text(visible(text or ""), style=style)


def make_console(file: IO[str], *, color: bool, width: int | None = None, tty: bool | None = None) -> Console:
    """A console for human-readable output: no markup, no emoji, no highlighting.

    ``width`` falls back to ``COLUMNS``, then the terminal, then 100.
    """
    from rich.console import Console

    if width is None:
        cols = os.environ.get("COLUMNS", "")
        width = int(cols) if cols.isdigit() and int(cols) > 0 else None
    return Console(
        file=file,
        width=width,
        color_system="auto" if color else None,
        no_color=not color,
        force_terminal=tty,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
