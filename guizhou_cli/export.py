"""Rows → YAML, JSON, JSON Lines, CSV, TSV, Markdown. Plain writes, no Rich.

Rich would hard-wrap long lines and interpret ``[`` as markup, which turns
JSON invalid and changes the text; data formats therefore never go near it.

A *row* is a flat dict. The builders here (``measure_row`` …) reuse
``catalogue.measure_dict`` so a measure has the same keys in every export as
in the catalogue, and a YAML or JSON export of ``list`` loads back into the
same ``Measure`` objects (``measures_from_rows``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import yaml

from .catalogue import _measure, essay_dict, measure_dict, section_dict
from .model import Measure
from .query import Found, Heading, Hit, Located, StatRow

_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

FORMATS = ("table", "yaml", "json", "jsonl", "csv", "tsv", "md")
DATA_FORMATS = FORMATS[1:]
TABULAR = ("csv", "tsv", "md")  # one value per cell: nested values are flattened

Row = dict[str, Any]

# Columns of a measure row in csv/tsv/md, outermost first, so a spreadsheet
# sorted left to right reads like the document.
MEASURE_COLUMNS = (
    "source",
    "essay",
    "essay_title",
    "section",
    "heading",
    "id",
    "n",
    "marker",
    "kind",
    "title",
    "text",
    "line",
    "offset",
    "context",
    "flags",
    "document",  # the document's name in qualified ids (LABEL:e1.s2.m3)
)
SEARCH_COLUMNS = ("rank", "score", "type", "snippet", *MEASURE_COLUMNS)
HEADING_COLUMNS = (
    "document",
    "source",
    "essay",
    "essay_title",
    "id",
    "depth",
    "marker",
    "heading",
    "measures",
    "total_measures",
    "line",
    "flags",
)
STATS_COLUMNS = ("level", "source", "id", "title", "depth", "sections", "measures", "chars", "measure_chars", "unplaced")
SHOW_COLUMNS = ("field", "value")


# ------------------------------------------------------------ row builders


def measure_row(it: Located, document: str | None = None) -> Row:
    """A measure with where it stands; the measure's own keys as in the catalogue.

    ``document`` is the document's label in qualified ids (``LABEL:e1.s2.m3``).
    """
    row: Row = {
        "source": it.doc.source,
        "essay": it.essay.id,
        "essay_title": it.essay.title,
        "section": it.section.id,
        "heading": it.section.heading,
    }
    row.update(measure_dict(it.measure))
    row["document"] = document
    return row


def search_row(hit: Hit, document: str | None = None) -> Row:
    """A hit: its rank and type (measure, section, lead), a snippet, then the item as ``list`` gives it."""
    row: Row = {"rank": hit.rank, "score": round(hit.score, 4), "type": hit.kind, "snippet": hit.snippet}
    t = hit.item
    row.update(
        {
            "source": t.doc.source,
            "essay": t.essay.id,
            "essay_title": t.essay.title,
            "section": t.section.id if t.section is not None else None,
            "heading": t.section.heading if t.section is not None else None,
        }
    )
    if t.measure is not None:
        row.update(measure_dict(t.measure))
    else:
        row.update({"id": t.id, "title": t.title, "text": t.text, "line": t.line})
        if t.section is not None:
            row.update({"n": t.section.n, "marker": t.section.marker, "offset": t.section.offset})
            if t.section.flags:
                row["flags"] = list(t.section.flags)
    row["document"] = document
    return row


def heading_row(h: Heading, document: str | None = None) -> Row:
    s = h.section
    return {
        "document": document,
        "source": h.doc.source,
        "essay": h.essay.id,
        "essay_title": h.essay.title,
        "id": s.id,
        "depth": h.depth,
        "marker": s.marker,
        "heading": s.heading,
        "measures": h.measures,
        "total_measures": h.total,
        "line": s.line,
        "flags": [*(["fragment"] if s.fragment else []), *(["truncated"] if s.truncated else []), *s.flags],
    }


def stats_row(s: StatRow) -> Row:
    return {
        "level": s.level,
        "source": s.source,
        "id": s.id,
        "title": s.title,
        "depth": s.depth,
        "sections": s.sections,
        "measures": s.measures,
        "chars": s.chars,
        "measure_chars": s.measure_chars,
        "unplaced": s.unplaced,
    }


def show_record(f: Found) -> Row:
    """``show`` as one mapping: what it is, where it comes from, then the item itself."""
    rec: Row = {
        "kind": f.kind,
        "id": f.id,
        "source": f.doc.source,
        "line": f.lines[0],
        "lines": list(f.lines),
        "flags": list(f.flags),
        "repairs": [{"kind": r.kind, "lines": list(r.lines), "detail": r.detail} for r in f.repairs],
        "essay": {"id": f.essay.id, "title": f.essay.title, "authors": list(f.essay.authors)},
    }
    if f.kind == "measure" and f.section is not None:
        rec["section"] = {"id": f.section.id, "heading": f.section.heading}
    if f.kind == "essay":
        rec["essay"] = essay_dict(f.essay)
    elif f.kind == "section" and f.section is not None:
        rec["section"] = section_dict(f.section)
    elif f.measure is not None:
        rec["measure"] = measure_dict(f.measure)
    return rec


def show_rows(rec: Row) -> list[Row]:
    """``show`` for csv/tsv/md: one field per row, nested values flattened."""
    rows: list[Row] = []
    for key in ("kind", "id", "source", "line", "lines", "flags"):
        rows.append({"field": key, "value": rec[key]})
    rows.append({"field": "repairs", "value": [f"{r['kind']} {r['lines']}: {r['detail']}" for r in rec["repairs"]]})
    if rec["kind"] != "essay":
        rows.append({"field": "essay", "value": rec["essay"]["id"]})
        rows.append({"field": "essay.title", "value": rec["essay"]["title"]})
        rows.append({"field": "essay.authors", "value": rec["essay"]["authors"]})
    if rec["kind"] == "measure":
        rows.append({"field": "section", "value": rec["section"]["id"]})
        rows.append({"field": "section.heading", "value": rec["section"]["heading"]})
    item: Row = rec[rec["kind"]]
    for key, value in item.items():
        if key in ("id", "line"):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            # nested sections or measures: their ids, so the row stays one cell
            value = [v.get("id") or v.get("term") for v in value]
        rows.append({"field": f"{rec['kind']}.{key}", "value": value})
    return rows


def measures_from_rows(rows: Iterable[Row]) -> list[Measure]:
    """The measures of a ``list`` export (YAML or JSON), validated as the catalogue loader does."""
    return [_measure(r, f"[{i}]") for i, r in enumerate(rows)]


# ------------------------------------------------------------ writers

# Valid in JSON strings but harmful raw: C1 controls (\x9b is an 8-bit CSI
# escape) and the separators that str.splitlines() and JavaScript treat as
# line ends, which would split a JSON Lines record.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_SEP = "; "  # list values in one csv/tsv/md cell


def _json(obj: Any, indent: int | None) -> str:
    s = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", s)


def cell(value: Any) -> str:
    """One value as the text of a csv/tsv/md cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _SEP.join(cell(v) for v in value)
    if isinstance(value, dict):
        return _json(value, None)
    return str(value)


# Cells a spreadsheet would run as a formula (OWASP's CSV injection list):
# = + - @ and, since some programs skip them first, tab and carriage return.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: Any, text: str) -> str:
    """A text cell that would start a formula, with a leading ``'`` (shown as text, not run).

    Numbers stay as they are: -3 is a number, not a formula.
    """
    if text.startswith(_FORMULA_START) and not isinstance(value, int | float):
        return "'" + text
    return text


_TSV_SPECIAL = re.compile(r"[\\\t\n\r]")


def _cell_maker(tidy: Any, guard: bool, *, tsv: bool) -> Any:
    """The csv/tsv cell function: ``cell``, then ``tidy``, the formula guard
    and (tsv) escaping, each only where it can change something (a listing
    of an archive writes hundreds of thousands of cells)."""

    def one(value: Any) -> str:
        if value is None:
            return ""
        if type(value) is int:
            return str(value)  # digits: nothing to tidy, guard or escape
        s = value if type(value) is str else cell(value)
        if tidy is not _same:
            s = tidy(s)
        if guard and s.startswith(_FORMULA_START) and not isinstance(value, int | float):
            s = "'" + s
        if tsv and _TSV_SPECIAL.search(s):
            s = _tsv_escape(s)
        return s

    return one


def _tsv_escape(s: str) -> str:
    # the linear-TSV convention (PostgreSQL COPY, Miller): one record per line
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _md_escape(s: str) -> str:
    # Only what would break the table or turn into HTML; 项目[22ZDA064] and
    # :smile: stay as written.
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def iter_format(
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    bom: bool = False,
    clean: bool = False,
    formula_guard: bool = True,
) -> Iterator[str]:
    """Pieces of text in ``fmt``, to be written one after another.

    ``columns`` fixes the csv/tsv/md header (so an empty result still has
    one); ``clean`` replaces control characters with visible stand-ins, for
    text formats written to a terminal; ``formula_guard`` keeps csv/tsv
    cells from starting a spreadsheet formula (``guard_formula``).
    """
    if fmt == "yaml":
        yield yaml.dump(list(rows), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    elif fmt == "json":
        yield _json(list(rows), 2) + "\n"
    elif fmt == "jsonl":
        for r in rows:
            yield _json(r, None) + "\n"
    elif fmt in TABULAR:
        cols = list(columns or [])
        for r in rows:
            cols += [k for k in r if k not in cols]
        if not cols:
            return
        tidy = _visible if clean or fmt == "md" else _same
        if bom and fmt in ("csv", "tsv"):
            yield "\ufeff"
        if fmt == "csv":
            buf = io.StringIO()
            # RFC 4180's CRLF: the csv module quotes a field holding any
            # character of the line terminator, so with "\n" alone a bare
            # "\r" in the text would go out unquoted and split the record.
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(cols)
            yield buf.getvalue()
            one = _cell_maker(tidy, formula_guard, tsv=False)
            for r in rows:
                buf.seek(0)
                buf.truncate()
                w.writerow([one(r.get(c)) for c in cols])
                yield buf.getvalue()
        elif fmt == "tsv":
            yield "\t".join(_tsv_escape(c) for c in cols) + "\n"
            one = _cell_maker(tidy, formula_guard, tsv=True)
            for r in rows:
                yield "\t".join([one(r.get(c)) for c in cols]) + "\n"
        else:
            numeric = {c for c in cols if rows and all(isinstance(r.get(c), int | float) or r.get(c) is None for r in rows)}
            numeric = {c for c in numeric if any(r.get(c) is not None for r in rows)}
            yield "| " + " | ".join(_md_escape(c) for c in cols) + " |\n"
            yield "|" + "|".join("---:" if c in numeric else "---" for c in cols) + "|\n"
            for r in rows:
                yield "| " + " | ".join(_md_escape(tidy(cell(r.get(c)))) for c in cols) + " |\n"
    else:
        raise ValueError(f"unknown data format {fmt!r}")


def dumps(
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    bom: bool = False,
    clean: bool = False,
    formula_guard: bool = True,
) -> str:
    return "".join(iter_format(rows, fmt, columns, bom=bom, clean=clean, formula_guard=formula_guard))


def write(
    out: IO[str],
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    bom: bool = False,
    clean: bool = False,
    formula_guard: bool = True,
) -> None:
    """Write rows to a text stream as they are formatted (a closed pipe stops it early)."""
    for piece in iter_format(rows, fmt, columns, bom=bom, clean=clean, formula_guard=formula_guard):
        out.write(piece)
    out.flush()


def dump_record(rec: Row, fmt: str) -> str:
    """One mapping (``show``) as YAML or JSON; a JSON Lines record is one line."""
    if fmt == "yaml":
        out: str = yaml.dump(rec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
        return out
    if fmt == "json":
        return _json(rec, 2) + "\n"
    if fmt == "jsonl":
        return _json(rec, None) + "\n"
    raise ValueError(f"{fmt} is not a record format")


def _visible(s: str) -> str:
    from .render import visible

    return visible(s)


def _same(s: str) -> str:
    return s

