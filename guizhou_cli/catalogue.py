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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import yaml

from .errors import CatalogueError, OutputError
from .model import SCHEMA, Catalogue, Document, Essay, Furniture, Keyword, Measure, Repair, Section
from .yamlwriter import CDumper, DocumentWriter, _represent_str

SafeLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# libyaml's emitter with the catalogue's quoting: the previous writer, kept
# for the benchmark and the tests (``yamlwriter.CDumper``)
_Dumper = CDumper
_str_representer = _represent_str

SCHEMA_NAME, _, _v = SCHEMA.partition("/")
SCHEMA_VERSION = int(_v)
MAX_CATALOGUE_BYTES = 1024 * 1024 * 1024

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


def section_dict(s: Section) -> dict[str, Any]:
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
        "measures": [measure_dict(m) for m in s.measures],
    }
    if s.sections:
        d["sections"] = [section_dict(c) for c in s.sections]
    if s.flags:
        d["flags"] = list(s.flags)
    d.update(_kw(s.keywords))
    return d


def essay_dict(e: Essay) -> dict[str, Any]:
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
        "sections": [section_dict(s) for s in e.sections],
        "unplaced": list(e.unplaced),
    }


def document_dict(doc: Document) -> dict[str, Any]:
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
    d["essays"] = [essay_dict(e) for e in doc.essays]
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


def catalogue_from_dict(d: Any) -> Catalogue:
    v = _V(d, "")
    schema = v.get("schema", str)
    name, _, ver = schema.partition("/")
    # ASCII digits only ("²".isdigit() is true, int("²") fails), and compared
    # without int() for long ones (Python refuses over 4300 digits)
    if name != SCHEMA_NAME or not (ver.isascii() and ver.isdigit()):
        raise CatalogueError(f"schema: {schema[:80]!r} is not a guizhou catalogue (expected {SCHEMA})")
    if len(ver.lstrip("0")) > 9 or int(ver) > SCHEMA_VERSION:
        raise CatalogueError(f"schema: {schema[:80]} is newer than this guizhou-cli reads ({SCHEMA}); upgrade guizhou-cli")
    return Catalogue(
        generator=v.get("generator", str, optional=True, default="unknown"),
        documents=v.items("documents", _document),
        schema=SCHEMA,
    )


# --------------------------------------------------------------- YAML / JSON


def _no_shared(obj: Any) -> None:
    """Refuse structures built with aliases (shared containers)."""
    seen: set[int] = set()
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict | list):
            if id(o) in seen:
                raise CatalogueError("catalogue uses YAML aliases (&anchor/*alias), which a catalogue never needs: refused")
            seen.add(id(o))
            stack.extend(o.values() if isinstance(o, dict) else o)


def loads_catalogue(text: str | bytes, source: str = "<catalogue>") -> Catalogue:
    """Parse a catalogue from YAML or JSON text."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogueError(f"{source}: not UTF-8 at byte {exc.start}") from None
    is_json = text.lstrip().startswith("{")
    if not is_json:
        _refuse_tags_and_anchors(text, source)
    try:
        if is_json:
            data = json.loads(text, object_pairs_hook=_json_object)
        else:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except json.JSONDecodeError as exc:
        raise CatalogueError(f"{source}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        problem = exc.problem or ""
        if "constructor for the tag" in problem:
            where = f" at line {mark.line + 1}" if mark else ""
            raise CatalogueError(f"{source}: refused YAML tag{where}: {problem}") from None
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise CatalogueError(f"{source}: invalid YAML{where}: {problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogueError(f"{source}: invalid YAML{where}: {problem}") from None
    except _DuplicateKey as exc:
        raise CatalogueError(f"{source}: invalid JSON: duplicate key {exc.args[0]!r}") from None
    except ValueError as exc:
        # Python refuses integers of more than 4300 digits
        raise CatalogueError(f"{source}: invalid value: {str(exc).split(';')[0]}") from None
    except RecursionError:
        raise CatalogueError(f"{source}: nested too deeply") from None
    except (AttributeError, KeyError, TypeError, IndexError) as exc:
        # PyYAML's constructors fail this way on odd nodes; the tag check
        # above should leave none, this is the last line of defence
        raise CatalogueError(f"{source}: invalid YAML: {type(exc).__name__}: {exc}") from None
    _no_shared(data)
    try:
        return catalogue_from_dict(data)
    except CatalogueError as exc:
        raise CatalogueError(f"{source}: {exc}") from None
    except RecursionError:
        raise CatalogueError(f"{source}: nested too deeply") from None


class _DuplicateKey(ValueError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return d


class _Loader(SafeLoader):  # type: ignore[misc]
    """The safe loader, refusing duplicate keys (YAML forbids them; PyYAML
    would keep the last one silently, losing a hand edit)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def _refuse_tags_and_anchors(text: str, source: str) -> None:
    """Refuse explicit tags (``!!python/…``, ``!!binary``, ``!foo``) and
    anchors/aliases before anything is built.

    The writer never emits either. Tags are how YAML constructs objects (and
    PyYAML's constructors for even the safe ones crash on odd values, such as
    ``!!timestamp x``); anchors and aliases are how billion-laughs bombs
    work. libyaml's scanner reads tokens without building anything, and runs
    only when a ``!`` or ``&`` stands where a token could start.
    """
    if not _may_start_token(text, "!&"):
        return
    try:
        for tok in yaml.scan(text, Loader=SafeLoader):
            if isinstance(tok, yaml.AnchorToken | yaml.AliasToken):
                raise CatalogueError(f"{source}: catalogue uses YAML anchors/aliases, which a catalogue never needs: refused")
            if isinstance(tok, yaml.TagToken):
                handle, suffix = tok.value
                raise CatalogueError(
                    f"{source}: refused YAML tag at line {tok.start_mark.line + 1}: {handle or ''}{suffix} "
                    "(a catalogue never needs tags)"
                )
    except yaml.YAMLError:
        return  # the real load reports the syntax error


def _may_start_token(text: str, chars: str) -> bool:
    # a tag or anchor follows a space, a line start or a flow indicator;
    # inside text (中文!) these characters are plain
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            if i == 0 or text[i - 1] in " \t\n[{,":
                return True
            i = text.find(ch, i + 1)
    return False


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Load a catalogue file (YAML or JSON); ``-`` is stdin."""
    from .errors import InputError
    from .read import read_bytes

    try:
        data = read_bytes(str(path), limit=MAX_CATALOGUE_BYTES)
    except InputError as exc:
        raise CatalogueError(str(exc)) from None
    return loads_catalogue(data, str(path))


# --------------------------------------------------------------- writing
# A catalogue is written document by document (``CatalogueWriter``), so that
# extracting an archive never holds more than one document's model in memory.
# ``dumps_catalogue`` goes through the same writer; the tests check its bytes
# against one ``yaml.dump``/``json.dumps`` of the whole catalogue.


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
        body = json.dumps(document_dict(doc), ensure_ascii=False, indent=2)
        # json escapes newlines inside strings, so every line is structure
        return "\n".join("    " + line for line in body.split("\n"))
    if fmt == "jsonl":
        return json.dumps(document_dict(doc), ensure_ascii=False) + "\n"
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
        if self.fmt == "yaml":
            self.out.write("documents:\n" + chunk if self.count == 0 else chunk)
        elif self.fmt == "jsonl":
            self.out.write(chunk)
        else:
            self.out.write(("\n" if self.count == 0 else ",\n") + chunk)
        self.count += 1

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
