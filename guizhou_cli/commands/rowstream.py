"""Rows written as a stream: the same bytes as ``export.write`` over a list,
without holding the list.

``list`` on a 50 MB catalogue has hundreds of thousands of rows; holding them
(and the documents behind them) is what made reading cost ten times the
file. Rows go to a ``RowSpool`` as each document is read (kept in memory up
to 1 MB, then in an unnamed temporary file that disappears with the
process), and are formatted from there at the end. Writing only at the end
also means a catalogue that turns out to be broken half way prints nothing:
a failed run never looks complete.

``iter_format_stream`` gives what ``export.iter_format`` gives for the same
rows (tests compare the two); formats that need every row before the first
line (the columns of csv/tsv/md, md's right-aligned numeric columns) read the
rows twice.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

Row = dict[str, Any]

SPOOL_MEMORY = 2**20  # bytes of pickled rows kept in memory before they go to disk


class RowSpool:
    """Rows kept in order until they are written; read back as often as needed."""

    def __init__(self, memory: int = SPOOL_MEMORY) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=memory)
        self._pickler = pickle.Pickler(self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count = 0

    def add(self, row: Row) -> int:
        """Keep ``row``; returns where it is (for ``row_at``)."""
        self._file.seek(0, 2)  # after a read, rows still go at the end
        pos = self._file.tell()
        self._pickler.dump(row)
        # the pickler's memo would keep every row alive (and repeated strings
        # pickled as references to rows written long ago): one record per row
        self._pickler.clear_memo()
        self.count += 1
        return pos

    def row_at(self, pos: int) -> Row:
        """The row ``add`` put at ``pos`` (rows read back in another order than written)."""
        self._file.seek(pos)
        row: Row = pickle.load(self._file)  # noqa: S301 (rows this process pickled into its own unnamed file)
        return row

    def __iter__(self) -> Iterator[Row]:
        self._file.seek(0, 2)
        end = self._file.tell()
        self._file.seek(0)
        while self._file.tell() < end:
            # a fresh unpickler per row: each row was pickled on its own, and
            # one unpickler's memo would keep every row read so far
            yield pickle.load(self._file)  # noqa: S301 (rows this process pickled into its own unnamed file)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_format_stream(
    rows: Callable[[], Iterable[Row]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    bom: bool = False,
    clean: bool = False,
    formula_guard: bool = True,
) -> Iterator[str]:
    """``export.iter_format`` over ``rows()``, one row at a time (``rows`` may be called twice)."""
    from .. import export

    def one(r: Row) -> list[str]:
        return list(export.iter_format([r], fmt, cols, clean=clean, formula_guard=formula_guard))

    cols: list[str] = list(columns or [])
    if fmt == "yaml":
        empty = True
        for r in rows():
            empty = False
            yield from one(r)  # a block sequence: each item stands alone
        if empty:
            yield from export.iter_format([], "yaml")
    elif fmt == "json":
        first = True
        for r in rows():
            piece = "".join(one(r))  # "[\n  {...}\n]\n": the item, indented as in the list
            yield ("[\n" if first else ",\n") + piece[2:-3]
            first = False
        yield "[]\n" if first else "\n]\n"
    elif fmt in ("jsonl", "csv", "tsv"):
        # these go through the rows once (jsonl) or twice (columns, then
        # lines) and never index them: the formatter itself takes the stream
        yield from export.iter_format(
            _Again(rows),  # type: ignore[arg-type]
            fmt,
            cols,
            bom=bom,
            clean=clean,
            formula_guard=formula_guard,
        )
    elif fmt in export.TABULAR:
        numeric_no: set[str] = set()
        numeric_yes: set[str] = set()
        for r in rows():
            for k in r:
                if k not in cols:
                    cols.append(k)
            if fmt == "md":
                for c in cols:
                    v = r.get(c)
                    if v is None:
                        continue
                    (numeric_yes if isinstance(v, int | float) else numeric_no).add(c)
        if not cols:
            return
        if bom and fmt in ("csv", "tsv"):
            yield "\ufeff"
        if fmt == "md":
            numeric = numeric_yes - numeric_no
            yield "| " + " | ".join(export._md_escape(c) for c in cols) + " |\n"
            yield "|" + "|".join("---:" if c in numeric else "---" for c in cols) + "|\n"
            skip = 2
        else:
            yield from export.iter_format([], fmt, cols)  # the header line
            skip = 1
        for r in rows():
            yield from one(r)[skip:]
    else:
        raise ValueError(f"unknown data format {fmt!r}")


class _Again:
    """An iterable that starts over each time it is iterated (``rows()`` again)."""

    def __init__(self, rows: Callable[[], Iterable[Row]]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows())
