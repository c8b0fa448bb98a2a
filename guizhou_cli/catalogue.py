"""Stage 5: catalogue. The model ↔ dicts ↔ YAML/JSON, and nothing else knows dicts.

Loading is defensive: safe loading only (libyaml's C loader when present),
no object-constructing tags, no anchors/aliases (a catalogue never needs them,
and they are how billion-laughs bombs work), and a schema check that reports
the first problem with its path: ``documents[0].essays[2].sections: expected a
list``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring as _encode_str  # the C escaper, when present
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import yaml

from .errors import CatalogueError, OutputError
from .model import SCHEMA, Catalogue, Document, Essay, Furniture, Keyword, Measure, Repair, Section
from .yamlwriter import PIECE, CDumper, DocumentWriter, Parts, _represent_str

SafeLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# libyaml's emitter with the catalogue's quoting: the previous writer, kept
# for the benchmark and the tests (``yamlwriter.CDumper``)
_Dumper = CDumper
_str_representer = _represent_str

SCHEMA_NAME, _, _v = SCHEMA.partition("/")
SCHEMA_VERSION = int(_v)

# --------------------------------------------------------------- to dicts


def _kw(kws: tuple[Keyword, ...] | None) -> dict[str, Any]:
    if kws is None:
        return {}
    return {"keywords": [{"term": k.term, "weight": round(k.weight, 4)} for k in kws]}


def measure_dict(m: Measure) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": m.id,
        "n": m.n,
        "marker": m.marker,
        "kind": m.kind,
        "title": m.title,
        "text": m.text,
        "line": m.line,
        "offset": m.offset,
    }
    if m.page is not None:
        d["page"] = m.page
    if m.context is not None:
        d["context"] = m.context
    if m.flags:
        d["flags"] = list(m.flags)
    d.update(_kw(m.keywords))
    return d


class Lazy:
    """A list in a document's dict whose items are made only when written
    (``document_pieces``): the dicts of a large document are never all alive."""

    __slots__ = ("flat", "fn", "items")

    def __init__(self, items: Sequence[Any], fn: Callable[[Any], Any], flat: bool = False) -> None:
        self.items = items
        self.fn = fn
        self.flat = flat  # its items hold no Lazy list: they can be encoded many at a time

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return map(self.fn, self.items)


def _lazy_section(s: Section) -> dict[str, Any]:
    return section_dict(s, lazy=True)


def _lazy_essay(e: Essay) -> dict[str, Any]:
    return essay_dict(e, lazy=True)


def section_dict(s: Section, *, lazy: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": s.id,
        "heading": s.heading,
        "marker": s.marker,
        "n": s.n,
        "fragment": s.fragment,
        "truncated": s.truncated,
        "line": s.line,
        "offset": s.offset,
        **({"page": s.page} if s.page is not None else {}),
        "text": s.text,
        "measures": Lazy(s.measures, measure_dict, flat=True) if lazy else [measure_dict(m) for m in s.measures],
    }
    if s.sections:
        d["sections"] = Lazy(s.sections, _lazy_section) if lazy else [section_dict(c) for c in s.sections]
    if s.flags:
        d["flags"] = list(s.flags)
    d.update(_kw(s.keywords))
    return d


def essay_dict(e: Essay, *, lazy: bool = False) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "authors": list(e.authors),
        "affiliation": e.affiliation,
        "note": e.note,
        "lead": e.lead,
        "line": e.line,
        "closing": e.closing,
        "byline": e.byline,
        "sections": Lazy(e.sections, _lazy_section) if lazy else [section_dict(s) for s in e.sections],
        "unplaced": list(e.unplaced),
    }


def document_dict(doc: Document, *, lazy: bool = False) -> dict[str, Any]:
    """The document as the catalogue's dict; ``lazy``: its essays, sections and
    measures as ``Lazy`` lists, for ``document_pieces`` only."""
    d: dict[str, Any] = {
        "source": doc.source,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "banner": doc.banner,
        "title": doc.title,
        "dateline": doc.dateline,
    }
    if doc.meta:
        d["meta"] = dict(doc.meta)
    d["essays"] = Lazy(doc.essays, _lazy_essay) if lazy else [essay_dict(e) for e in doc.essays]
    d["repairs"] = [{"kind": r.kind, "lines": list(r.lines), "detail": r.detail} for r in doc.repairs]
    d["furniture"] = [{"kind": f.kind, "line": f.line, "text": f.text} for f in doc.furniture]
    return d


def catalogue_dict(cat: Catalogue) -> dict[str, Any]:
    return {
        "schema": cat.schema,
        "generator": cat.generator,
        "documents": [document_dict(d) for d in cat.documents],
    }


# --------------------------------------------------------------- from dicts

T = TypeVar("T")


class _V:
    """Validating reader of one mapping, which knows its YAML path."""

    def __init__(self, d: Any, path: str) -> None:
        if not isinstance(d, dict):
            raise CatalogueError(f"{path or 'catalogue'}: expected a mapping, got {_tname(d)}")
        self.d = d
        self.path = path

    def _p(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, typ: type | tuple[type, ...], *, optional: bool = False, default: Any = None) -> Any:
        if key not in self.d:
            if optional:
                return default
            raise CatalogueError(f"{self._p(key)}: missing")
        v = self.d[key]
        if v is None and optional:
            return default
        types = typ if isinstance(typ, tuple) else (typ,)
        # bool is an int to Python, never to a catalogue
        if (isinstance(v, bool) and bool not in types) or not isinstance(v, typ):
            want = " or ".join(t.__name__ for t in (typ if isinstance(typ, tuple) else (typ,)))
            raise CatalogueError(f"{self._p(key)}: expected {_article(want)}, got {_tname(v)}")
        return v

    def opt_str(self, key: str) -> str | None:
        v: str | None = self.get(key, str, optional=True)
        return v

    def opt_int(self, key: str) -> int | None:
        v: int | None = self.get(key, int, optional=True)
        return v

    def items(self, key: str, fn: Callable[[Any, str], T], *, optional: bool = False) -> tuple[T, ...]:
        v = self.get(key, list, optional=optional, default=[])
        return tuple(fn(x, f"{self._p(key)}[{i}]") for i, x in enumerate(v))

    def strs(self, key: str, *, optional: bool = False) -> tuple[str, ...]:
        def one(x: Any, p: str) -> str:
            if not isinstance(x, str):
                raise CatalogueError(f"{p}: expected a string, got {_tname(x)}")
            return x

        return self.items(key, one, optional=optional)


def _article(word: str) -> str:
    names = {
        "str": "a string",
        "int": "an integer",
        "list": "a list",
        "dict": "a mapping",
        "bool": "true or false",
        "float": "a number",
    }
    return " or ".join(names.get(w, w) for w in word.split(" or "))


def _tname(v: Any) -> str:
    if v is None:
        return "null"
    return {str: "a string", int: "an integer", bool: "a boolean", list: "a list", dict: "a mapping", float: "a number"}.get(
        type(v), type(v).__name__
    )


def _keywords(v: _V) -> tuple[Keyword, ...] | None:
    if "keywords" not in v.d or v.d["keywords"] is None:
        return None

    def one(x: Any, p: str) -> Keyword:
        kv = _V(x, p)
        w = kv.get("weight", (int, float))
        return Keyword(kv.get("term", str), float(w))

    return v.items("keywords", one)


def _measure(x: Any, path: str) -> Measure:
    v = _V(x, path)
    return Measure(
        id=v.get("id", str),
        n=v.opt_int("n"),
        marker=v.opt_str("marker"),
        kind=v.get("kind", str, optional=True, default="numbered"),
        title=v.get("title", str),
        text=v.get("text", str),
        line=v.get("line", int),
        offset=v.get("offset", int, optional=True, default=0),
        context=v.opt_str("context"),
        flags=v.strs("flags", optional=True),
        keywords=_keywords(v),
        page=v.opt_int("page"),
    )


def _section(x: Any, path: str) -> Section:
    v = _V(x, path)
    return Section(
        id=v.get("id", str),
        heading=v.opt_str("heading"),
        marker=v.opt_str("marker"),
        n=v.opt_int("n"),
        fragment=v.get("fragment", bool, optional=True, default=False),
        truncated=v.get("truncated", bool, optional=True, default=False),
        line=v.get("line", int),
        offset=v.get("offset", int, optional=True, default=0),
        text=v.get("text", str),
        measures=v.items("measures", _measure),
        sections=v.items("sections", _section, optional=True),
        flags=v.strs("flags", optional=True),
        keywords=_keywords(v),
        page=v.opt_int("page"),
    )


def _essay(x: Any, path: str) -> Essay:
    v = _V(x, path)
    return Essay(
        id=v.get("id", str),
        title=v.opt_str("title"),
        authors=v.strs("authors"),
        affiliation=v.opt_str("affiliation"),
        note=v.opt_str("note"),
        lead=v.opt_str("lead"),
        line=v.opt_int("line"),
        closing=v.opt_str("closing"),
        byline=v.opt_str("byline"),
        sections=v.items("sections", _section),
        unplaced=v.strs("unplaced", optional=True),
    )


def _repair(x: Any, path: str) -> Repair:
    v = _V(x, path)

    def line(y: Any, p: str) -> int:
        if not isinstance(y, int) or isinstance(y, bool):
            raise CatalogueError(f"{p}: expected an integer, got {_tname(y)}")
        return y

    return Repair(v.get("kind", str), v.items("lines", line), v.get("detail", str))


def _furniture(x: Any, path: str) -> Furniture:
    v = _V(x, path)
    return Furniture(v.get("kind", str), v.get("line", int), v.get("text", str))


def _document(x: Any, path: str) -> Document:
    v = _V(x, path)
    meta = v.get("meta", dict, optional=True, default={})
    for k, val in meta.items():
        if not isinstance(k, str) or not isinstance(val, str):
            raise CatalogueError(f"{path}.meta: expected string keys and values")
    return Document(
        source=v.get("source", str),
        sha256=v.get("sha256", str),
        encoding=v.get("encoding", str, optional=True, default="utf-8"),
        banner=v.opt_str("banner"),
        title=v.opt_str("title"),
        dateline=v.opt_str("dateline"),
        essays=v.items("essays", _essay),
        repairs=v.items("repairs", _repair, optional=True),
        furniture=v.items("furniture", _furniture, optional=True),
        meta=tuple(meta.items()),
    )


def check_schema(schema: str) -> str:
    """``schema`` if this guizhou-cli reads catalogues of that schema, else a CatalogueError."""
    name, _, ver = schema.partition("/")
    # ASCII digits only ("²".isdigit() is true, int("²") fails), and compared
    # without int() for long ones (Python refuses over 4300 digits)
    if name != SCHEMA_NAME or not (ver.isascii() and ver.isdigit()):
        raise CatalogueError(f"schema: {schema[:80]!r} is not a guizhou catalogue (expected {SCHEMA})")
    if len(ver.lstrip("0")) > 9 or int(ver) > SCHEMA_VERSION:
        raise CatalogueError(f"schema: {schema[:80]} is newer than this guizhou-cli reads ({SCHEMA}); upgrade guizhou-cli")
    return schema


def catalogue_from_dict(d: Any) -> Catalogue:
    """A catalogue from its dict form (as ``json.loads`` gives it), checked as a file is."""
    from .catalogue_stream import validate_document

    v = _V(d, "")
    check_schema(v.get("schema", str))
    return Catalogue(
        generator=v.get("generator", str, optional=True, default="unknown"),
        documents=v.items("documents", validate_document),
        schema=SCHEMA,
    )


# --------------------------------------------------------------- YAML / JSON
# Reading goes through ``catalogue_stream``: parser events, one document at a
# time, anchors, aliases and tags refused by the parser, not by a text scan.


def loads_catalogue(text: str | bytes, source: str = "<catalogue>") -> Catalogue:
    """Parse a catalogue from YAML, JSON or JSON Lines text."""
    from .catalogue_stream import CatalogueStream

    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogueError(f"{source}: not UTF-8 at byte {exc.start}") from None
    return _collect(CatalogueStream(io.StringIO(text), source=source))


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Load a catalogue file (YAML, JSON or JSON Lines); ``-`` is stdin.

    The whole catalogue is built; ``iter_documents_from_catalogue`` reads one
    document at a time instead.
    """
    from .catalogue_stream import CatalogueStream

    return _collect(CatalogueStream(path))


def _collect(stream: Any) -> Catalogue:
    docs = tuple(stream)
    return Catalogue(generator=stream.generator or "unknown", documents=docs, schema=SCHEMA)


def iter_documents_from_catalogue(
    path: str | os.PathLike[str] | IO[bytes], *, stdin: IO[bytes] | None = None
) -> Iterator[Document]:
    """The documents of a catalogue file one at a time (see ``catalogue_stream``)."""
    from .catalogue_stream import iter_documents_from_catalogue as it

    return it(path, stdin=stdin)


iter_catalogue_documents = iter_documents_from_catalogue


# --------------------------------------------------------------- writing
# A catalogue is written document by document (``CatalogueWriter``), so that
# extracting an archive never holds more than one document's model in memory.
# ``dumps_catalogue`` goes through the same writer; the tests check its bytes
# against one ``yaml.dump``/``json.dumps`` of the whole catalogue.


_END = object()


def _json_atom(v: Any) -> str:
    t = type(v)
    if t is str:
        return _encode_str(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is int:
        return int.__repr__(v)
    return json.dumps(v)  # floats, as json writes them


def json_indented(obj: Any, level: int = 0) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` as if nested ``level``
    deep, without recursion and about 1.5x faster (json's indenting encoder is
    Python code; strings go through its C escaper here)."""
    return "".join(_indented_pieces(obj, level, None))


def _indented_pieces(obj: Any, level: int, size: int | None) -> Iterator[str]:
    """``json_indented`` in pieces of about ``size`` characters; ``Lazy`` lists are written as lists."""
    out = Parts(size)
    w = out.append
    pieces = size is not None
    stack: list[list[Any]] = []  # [iterator, is a dict, depth, first item]

    def open_(v: Any, depth: int) -> None:
        t = type(v)
        if t is dict:
            if v:
                w("{")
                stack.append([iter(v.items()), True, depth + 1, True])
            else:
                w("{}")
        elif t is list or t is tuple or t is Lazy:
            if len(v):
                w("[")
                stack.append([iter(v), False, depth + 1, True])
            else:
                w("[]")
        else:
            w(_json_atom(v))

    open_(obj, level)
    while stack:
        frame = stack[-1]
        it, is_dict, depth, first = frame
        item: Any = next(it, _END)
        if item is _END:
            stack.pop()
            w("\n" + "  " * (depth - 1) + ("}" if is_dict else "]"))
            continue
        w(("\n" if first else ",\n") + "  " * depth)
        frame[3] = False
        if is_dict:
            w(_encode_str(item[0]) + ": ")
            item = item[1]
        open_(item, depth)
        if pieces and len(out) >= out.check and out.due():
            yield out.take()
    yield out.take()


# json.dumps(v, ensure_ascii=False) makes this encoder on every call
_compact = json.JSONEncoder(ensure_ascii=False).encode


def _compact_pieces(obj: Any, size: int) -> Iterator[str]:
    """``json.dumps(obj, ensure_ascii=False)`` in pieces of about ``size``
    characters: the containers that hold a ``Lazy`` list are written here,
    everything else (a measure's dict, a list of authors) by json's encoder,
    whose output is the same piece by piece (``", "`` and ``": "`` between);
    the measures of a section 64 at a time, as one list less its brackets."""
    out = Parts(size)
    w = out.append
    stack: list[list[Any]] = []  # [iterator, 0 list / 1 dict / 2 encoded runs of items, first item]
    # (a dict's iterator gives encoded runs of keys, and (key, Lazy) pairs)

    def open_(v: Any) -> None:
        t = type(v)
        if t is Lazy:
            if not len(v):
                w("[]")
            else:
                w("[")
                stack.append([_runs(v) if v.flat else iter(v), 2 if v.flat else 0, True])
        elif t is dict and any(type(x) is Lazy for x in v.values()):
            # the keys between two Lazy lists encoded together, as one dict less its braces
            w("{")
            parts: list[Any] = []
            run: dict[str, Any] = {}
            for k, x in v.items():
                if type(x) is Lazy:
                    if run:
                        parts.append(_compact(run)[1:-1])
                        run = {}
                    parts.append((k, x))
                else:
                    run[k] = x
            if run:
                parts.append(_compact(run)[1:-1])
            stack.append([iter(parts), 1, True])
        else:
            w(_compact(v))

    open_(obj)
    while stack:
        frame = stack[-1]
        it, kind, first = frame
        item: Any = next(it, _END)
        if item is _END:
            stack.pop()
            w("}" if kind == 1 else "]")
            continue
        if not first:
            w(", ")
        frame[2] = False
        if kind and type(item) is str:  # a run of encoded items or keys
            w(item)
        else:
            if kind == 1:
                w(_encode_str(item[0]) + ": ")
                item = item[1]
            open_(item)
        if len(out) >= out.check and out.due():
            yield out.take()
    yield out.take()


def _runs(v: Lazy, n: int = 64) -> Iterator[str]:
    """A flat ``Lazy`` list's items encoded ``n`` at a time, each run without its brackets."""
    items, fn = v.items, v.fn
    for k in range(0, len(items), n):
        yield _compact([fn(x) for x in items[k : k + n]])[1:-1]


def document_chunk(doc: Document, fmt: str = "yaml") -> str:
    """One document as it appears inside a catalogue's ``documents`` list.

    YAML: a one-item block sequence (``- source: …``), which is what the
    emitter writes for each item of ``documents:``; JSON: the item indented
    to its depth in the catalogue, without the separating comma; JSON Lines:
    the document on one line, with its line end.
    """
    if fmt == "yaml":
        return DocumentWriter().document(doc)
    if fmt == "json":
        return "    " + json_indented(document_dict(doc), 2)
    if fmt == "jsonl":
        return json.dumps(document_dict(doc), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown catalogue format {fmt!r}")


def document_pieces(doc: Document, fmt: str = "yaml", size: int = PIECE) -> Iterator[str]:
    """``document_chunk(doc, fmt)`` in pieces of about ``size`` characters
    (more only where one string is longer), made as they are written: a large
    document is never one string, nor its dicts all alive at once."""
    if fmt == "yaml":
        yield from DocumentWriter().pieces(doc, size)
    elif fmt == "json":
        yield "    "
        yield from _indented_pieces(document_dict(doc, lazy=True), 2, size)
    elif fmt == "jsonl":
        yield from _compact_pieces(document_dict(doc, lazy=True), size)
        yield "\n"
    else:
        raise ValueError(f"unknown catalogue format {fmt!r}")


FORMATS = ("yaml", "json", "jsonl")


class CatalogueWriter:
    """Write a catalogue to a text stream one document at a time.

    The bytes are those of ``dumps_catalogue`` of the same documents.
    ``add_chunk`` takes a ``document_chunk`` made elsewhere (a worker process).
    ``fmt``: ``yaml``, ``json`` (one object) or ``jsonl`` (a header line with
    ``schema`` and ``generator``, then one document per line).
    """

    def __init__(self, out: IO[str], fmt: str = "yaml", generator: str | None = None, schema: str = SCHEMA) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown catalogue format {fmt!r}")
        self.out = out
        self.fmt = fmt
        self.count = 0
        self.closed = False
        self._yaml = DocumentWriter() if fmt == "yaml" else None
        if generator is None:
            from . import __version__

            generator = f"guizhou-cli {__version__}"
        if self._yaml is not None:
            out.write(self._yaml.header(schema, generator))
        elif fmt == "jsonl":
            out.write(json.dumps({"schema": schema, "generator": generator}, ensure_ascii=False) + "\n")
        else:
            head = json.dumps({"schema": schema, "generator": generator}, ensure_ascii=False, indent=2)
            out.write(head[: head.rindex("\n")] + ',\n  "documents": [')

    def add(self, doc: Document) -> None:
        self.add_chunk(self._yaml.document(doc) if self._yaml is not None else document_chunk(doc, self.fmt))

    def add_chunk(self, chunk: str) -> None:
        self.add_piece(chunk, first=True)

    def add_piece(self, piece: str, first: bool) -> None:
        """Part of a ``document_chunk`` (``document_pieces``); ``first`` starts a document."""
        if not first:
            self.out.write(piece)
            return
        if self.fmt == "yaml":
            self.out.write("documents:\n" + piece if self.count == 0 else piece)
        elif self.fmt == "jsonl":
            self.out.write(piece)
        else:
            self.out.write(("\n" if self.count == 0 else ",\n") + piece)
        self.count += 1

    def mark(self) -> tuple[int, int]:
        """Where the next document starts, for ``rewind`` (the stream must be seekable)."""
        return self.out.tell(), self.count

    def rewind(self, mark: tuple[int, int]) -> None:
        """Drop what was written since ``mark``: the part of a document whose input failed."""
        pos, self.count = mark
        self.out.seek(pos)
        self.out.truncate()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.fmt == "yaml":
            if self.count == 0:
                self.out.write("documents: []\n")
        elif self.fmt == "json":
            self.out.write("]\n}\n" if self.count == 0 else "\n  ]\n}\n")


def dumps_catalogue(cat: Catalogue, fmt: str = "yaml") -> str:
    buf = io.StringIO()
    w = CatalogueWriter(buf, fmt, cat.generator, cat.schema)
    for doc in cat.documents:
        w.add(doc)
    w.close()
    return buf.getvalue()


def dump_catalogue(cat: Catalogue, out: str | os.PathLike[str] | IO[str] | None = None, fmt: str = "yaml") -> str:
    """Serialise; write atomically to a path, or to a stream. Returns the text."""
    text = dumps_catalogue(cat, fmt)
    if out is None:
        return text
    if isinstance(out, str | os.PathLike):
        write_atomic(out, text)
    else:
        out.write(text)
    return text


class _Guarded(io.TextIOBase):
    """A text stream whose write errors become one-line OutputErrors."""

    def __init__(self, raw: IO[bytes], path: str) -> None:
        self._raw = raw
        self._path = path

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, pos: int, whence: int = 0) -> int:
        try:
            return self._raw.seek(pos, whence)
        except OSError as exc:
            raise OutputError(f"{self._path}: cannot write: {exc.strerror or exc}") from None

    def truncate(self, pos: int | None = None) -> int:
        try:
            return self._raw.truncate(pos)
        except OSError as exc:
            raise OutputError(f"{self._path}: cannot write: {exc.strerror or exc}") from None

    def write(self, text: str) -> int:
        try:
            self._raw.write(text.encode("utf-8"))
        except OSError as exc:
            raise OutputError(f"{self._path}: cannot write: {exc.strerror or exc}") from None
        return len(text)

    def flush(self) -> None:
        try:
            self._raw.flush()
        except OSError as exc:
            raise OutputError(f"{self._path}: cannot write: {exc.strerror or exc}") from None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text stream that replaces ``path`` only if the block completes.

    The stream writes to a temporary file in the same directory, renamed over
    ``path`` at the end. On any exception, KeyboardInterrupt included, the
    temporary file is removed and an existing file at ``path`` is left as it
    was. Write errors (disk full) surface as OutputError.
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: directory {parent} does not exist")

    def fail(exc: OSError) -> OutputError:
        return OutputError(f"{path}: cannot write: {exc.strerror or exc}")

    if p.exists() and not p.is_file():
        # a device or pipe (/dev/stdout, /dev/full): there is nothing to
        # replace atomically, and renaming over it would destroy the node
        try:
            raw = open(p, "wb")
        except OSError as exc:
            raise fail(exc) from None
        try:
            stream = cast(IO[str], _Guarded(raw, str(path)))
            yield stream
            stream.flush()
        finally:
            with contextlib.suppress(OSError):
                raw.close()  # a failed flush was reported above
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise fail(exc) from None
    done = False
    try:
        raw = os.fdopen(fd, "wb")
        try:
            stream = cast(IO[str], _Guarded(raw, str(path)))
            yield stream
            stream.flush()
            try:
                os.fsync(raw.fileno())
            except OSError as exc:
                raise fail(exc) from None
        finally:
            try:
                raw.close()
            except OSError as exc:
                if sys.exc_info()[0] is None:
                    raise fail(exc) from None
        try:
            if p.exists():
                with contextlib.suppress(OSError):
                    os.chmod(tmp, p.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, p)
        except OSError as exc:
            raise fail(exc) from None
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write via a temporary file in the same directory and rename over.

    On any error (disk full, interrupt) the temporary file is removed and an
    existing file at ``path`` is left as it was.
    """
    with atomic_output(path) as fh:
        fh.write(text if isinstance(text, str) else text.decode("utf-8"))
