"""Reading catalogues one document at a time, from parser events.

A catalogue of the national reports copied to 50 MB held about ten times its
size in memory when loaded whole (``yaml.load`` builds every node, then every
dict). Here the parser's events (libyaml's, through PyYAML) are turned into
values directly, and each item of ``documents`` is validated into a
``Document`` and handed on as soon as its last event is read, so memory
follows the largest document, not the file. JSON catalogues are read the same
way (one ``raw_decode`` per document), JSON Lines catalogues one line at a time.

Refused at the parser level, whatever their spelling (a text pre-scan can be
bypassed, ``{"key":&a "…"}``):

* anchors and aliases of any kind (a catalogue never needs them, and they are
  how billion-laughs bombs and 50 GB outputs from 5 MB inputs work);
* tags, even the standard ones (``!!binary``, ``!!python/…``, ``!foo``);
* keys that are not strings, duplicate keys, merge keys (``<<``);
* nesting deeper than ``MAX_DEPTH`` (a clear error, never RecursionError).

Each document is then checked beyond its types: ids unique within the
document, lines, offsets and pages non-negative and no larger than the
largest source guizhou reads (``MAX_POSITION``).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from collections.abc import Iterator
from typing import IO, Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from .errors import CatalogueError
from .model import Document, Section

_Parser: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 200
"""Nesting levels of mappings and lists a catalogue may have. A catalogue has
nine around its outermost sections and two more per level of sections, so
sections may nest about 95 deep; deeper is refused with a clear error."""

MAX_POSITION = 512 * 1024 * 1024
"""Lines, offsets and pages are positions in a source, which guizhou reads up
to 512 MB (``read.MAX_BYTES``): anything larger cannot be one."""

MAX_DOCUMENT_CHARS = 1024 * 1024 * 1024
"""JSON: one document's text is held while it is decoded; past this it is refused."""

_CHUNK = 1 << 20


class _Refused(Exception):
    """A refusal inside the event walk, with the mark of the event."""

    def __init__(self, message: str, event: Any = None) -> None:
        mark = getattr(event, "start_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        super().__init__(message.replace("{where}", where))


# --------------------------------------------------------------- text input


class _Text:
    """UTF-8 text from a binary stream, in chunks, with byte positions in errors.

    Also what the YAML parser reads from (it asks for ``read(size)``).
    """

    def __init__(self, raw: IO[bytes], source: str) -> None:
        self._raw = raw
        self.name = source
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._consumed = 0  # bytes decoded so far
        self.eof = False

    def read(self, size: int = _CHUNK) -> str:
        """Up to about ``size`` characters; "" only at the end."""
        while not self.eof:
            text = self._read(size)
            if text:  # else the bytes read were all held back (a BOM, a cut character)
                return text
        return ""

    def _read(self, size: int) -> str:
        data = self._raw.read(max(size, 1))
        final = not data
        # the decoder holds back at most three bytes of a character cut by the chunk
        pending = len(self._decoder.getstate()[0])
        try:
            text: str = self._decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            # the error's position counts from the held-back bytes
            start = self._consumed - pending + exc.start
            raise CatalogueError(f"{self.name}: not UTF-8 at byte {max(start, 0)}") from None
        self._consumed += len(data)
        if final:
            self.eof = True
        return text


def _open_binary(path: str | os.PathLike[str] | IO[bytes], stdin: IO[bytes] | None = None) -> tuple[IO[bytes], str, bool]:
    """(stream, name, whether we opened it)."""
    if not isinstance(path, str | os.PathLike):
        return path, getattr(path, "name", "<catalogue>"), False
    name = str(path)
    if name == "-":
        return (stdin or sys.stdin.buffer), "-", False
    import stat

    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise CatalogueError(f"{name}: no such file or directory") from None
    except OSError as exc:
        raise CatalogueError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise CatalogueError(f"{name}: is a directory, not a catalogue")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        raise CatalogueError(f"{name}: is a device, not a catalogue")
    try:
        return open(name, "rb"), name, True
    except OSError as exc:
        raise CatalogueError(f"{name}: cannot read: {exc.strerror or exc}") from None


# --------------------------------------------------------------- YAML events → values

_RESOLVERS: dict[Any, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCT: dict[str, Any] = {
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:bool": lambda v: _CONSTRUCTOR.construct_yaml_bool(ScalarNode("tag:yaml.org,2002:bool", v)),
    "tag:yaml.org,2002:int": lambda v: _CONSTRUCTOR.construct_yaml_int(ScalarNode("tag:yaml.org,2002:int", v)),
    "tag:yaml.org,2002:float": lambda v: _CONSTRUCTOR.construct_yaml_float(ScalarNode("tag:yaml.org,2002:float", v)),
    "tag:yaml.org,2002:timestamp": lambda v: _CONSTRUCTOR.construct_yaml_timestamp(ScalarNode("tag:yaml.org,2002:timestamp", v)),
}


def _scalar(ev: Any) -> Any:
    """A scalar event's value, resolved as PyYAML's safe loader resolves it."""
    if ev.anchor is not None:
        raise _Refused(_ANCHORS, ev)
    if ev.tag is not None:
        raise _tag_refused(ev)
    value: str = ev.value
    if ev.style:  # quoted or block: a string (plain is None, or "" from libyaml)
        return value
    resolvers = _RESOLVERS.get(value[0] if value else "")
    if not resolvers:
        return value
    for tag, rx in resolvers:
        if rx.match(value):
            make = _CONSTRUCT.get(tag)
            if make is None:  # merge (<<), value (=)
                kind = tag.rsplit(":", 1)[1]
                raise _Refused(f"{value!r}{{where}} is a YAML {kind} key, which a catalogue never needs: refused", ev)
            return make(value)
    return value


def _tag_refused(ev: Any) -> _Refused:
    tag: str = ev.tag
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:") :]
    mark = ev.start_mark
    return _Refused(f"refused YAML tag at line {mark.line + 1}: {tag[:80]} (a catalogue never needs tags)")


class _Events:
    """Values built from a parser's events, one at a time."""

    def __init__(self, stream: Any) -> None:
        self._parser = _Parser(stream)
        self.get = self._parser.get_event

    def close(self) -> None:
        dispose = getattr(self._parser, "dispose", None)
        if dispose:
            dispose()

    def value(self, ev: Any, depth: int) -> Any:
        """The whole value that starts with ``ev`` (at nesting ``depth``)."""
        get = self.get
        conts: list[Any] = []  # the open mappings and lists, innermost last
        keys: list[Any] = []  # per open container: _SEQ, or None while a key is due, or the key
        while True:
            t = type(ev)
            if t is ScalarEvent:
                value = _scalar(ev)
            elif t is MappingStartEvent or t is SequenceStartEvent:
                if ev.anchor is not None:
                    raise _Refused(_ANCHORS, ev)
                if ev.tag is not None:
                    raise _tag_refused(ev)
                if depth + len(conts) >= MAX_DEPTH:
                    raise _Refused(f"nested deeper than {MAX_DEPTH} levels{{where}}: refused", ev)
                if t is MappingStartEvent:
                    conts.append({})
                    keys.append(None)
                else:
                    conts.append([])
                    keys.append(_SEQ)
                ev = get()
                continue
            elif t is MappingEndEvent or t is SequenceEndEvent:
                value = conts.pop()
                keys.pop()
            elif t is AliasEvent:
                raise _Refused(_ANCHORS, ev)
            else:
                raise _Refused(f"unexpected {t.__name__}{{where}}", ev)
            if not conts:
                return value
            key = keys[-1]
            if key is _SEQ:
                conts[-1].append(value)
            elif key is None:
                if type(value) is not str:
                    raise _Refused(f"mapping key {_short(value)}{{where}} is not a string", ev)
                if value in conts[-1]:
                    raise _Refused(f"duplicate key {value!r}{{where}}", ev)
                keys[-1] = value
            else:
                conts[-1][key] = value
                keys[-1] = None
            ev = get()


_SEQ = object()
_ANCHORS = "catalogue uses YAML anchors/aliases (&anchor/*alias){where}, which a catalogue never needs: refused"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------- the three shapes
# Each yields ("root", value) for a catalogue that is not a mapping, ("key",
# (key, value)) for a top-level key other than a list of documents,
# ("documents", None) when the documents list opens, ("document", value) for
# each item of it.

Item = tuple[str, Any]


def _yaml_items(stream: Any) -> Iterator[Item]:
    events = _Events(stream)
    try:
        get = events.get
        ev = get()  # StreamStartEvent
        if type(ev) is StreamStartEvent:
            ev = get()
        if type(ev) is StreamEndEvent:
            yield ("root", None)
            return
        if type(ev) is not DocumentStartEvent:
            raise _Refused(f"unexpected {type(ev).__name__}{{where}}", ev)
        ev = get()
        if type(ev) is not MappingStartEvent or ev.anchor is not None or ev.tag is not None:
            yield ("root", events.value(ev, 0))
        else:
            ev = get()
            seen: set[str] = set()
            while type(ev) is not MappingEndEvent:
                key = events.value(ev, 1)
                if type(key) is not str:
                    raise _Refused(f"mapping key {_short(key)}{{where}} is not a string", ev)
                if key in seen and key == "documents":
                    raise _Refused(f"duplicate key {key!r}{{where}}", ev)
                key_event = ev
                ev = get()
                if key == "documents" and type(ev) is SequenceStartEvent and ev.anchor is None and ev.tag is None:
                    yield ("documents", None)
                    ev = get()
                    while type(ev) is not SequenceEndEvent:
                        yield ("document", events.value(ev, 2))
                        ev = get()
                else:
                    value = events.value(ev, 1)
                    # checked after the value, so that a tag in it is what is reported
                    if key in seen:
                        raise _Refused(f"duplicate key {key!r}{{where}}", key_event)
                    yield ("key", (key, value))
                seen.add(key)
                ev = get()
        ev = get()
        if type(ev) is not DocumentEndEvent:
            raise _Refused(f"unexpected {type(ev).__name__}{{where}}", ev)
        ev = get()
        if type(ev) is not StreamEndEvent:
            raise _Refused("invalid YAML{where}: expected a single document in the stream, a catalogue is one", ev)
    finally:
        events.close()


class _JsonReader:
    """JSON values read one at a time from a text stream (``raw_decode`` on a
    sliding buffer): a catalogue object whose ``documents`` come one by one,
    or JSON Lines."""

    _WS = " \t\n\r"

    def __init__(self, stream: Any, head: str) -> None:
        self.stream = stream
        self.buf = head
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # line ends in the text dropped from the buffer
        self.decoder = json.JSONDecoder(object_pairs_hook=_json_object)
        self.format = "json"  # "jsonl" once the header turns out to have no documents

    def more(self) -> bool:
        if self.eof:
            return False
        want = max(_CHUNK, len(self.buf) - self.pos)  # doubles for a long document: linear overall
        if len(self.buf) - self.pos > MAX_DOCUMENT_CHARS:
            raise _Refused(f"a JSON value longer than {MAX_DOCUMENT_CHARS // 2**20} M characters: refused")
        data = self.stream.read(want)
        if not data:
            self.eof = True
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in self._WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self.more():
                return ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            raise self.error(f"Expecting {what}")
        self.pos += 1
        return c

    def value(self) -> Any:
        if not self.peek():
            raise self.error("Expecting value")
        while True:
            try:
                v, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.more():
                    continue  # cut by the buffer's end, most likely: read on and try again
                raise self.error(exc.msg, exc.pos) from None
            except RecursionError:
                raise _Refused("nested too deeply") from None
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return v

    def error(self, msg: str, pos: int | None = None) -> _Refused:
        pos = self.pos if pos is None else pos
        line = self.lines_before + self.buf.count("\n", 0, pos) + 1
        col = pos - self.buf.rfind("\n", 0, pos)
        return _Refused(f"invalid JSON at line {line} column {col}: {msg}")

    def catalogue(self) -> Iterator[Item]:
        """A catalogue object, or JSON Lines: a header object without ``documents``
        followed by one document a line (or by nothing: no documents)."""
        self.expect("{", "'{'")
        seen: set[str] = set()
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                if self.peek() != '"':
                    raise self.error("Expecting property name enclosed in double quotes")
                key = self.value()
                if key in seen:
                    raise _Refused(f"invalid JSON: duplicate key {key!r}")
                seen.add(key)
                self.expect(":", "':' delimiter")
                if key == "documents" and self.peek() == "[":
                    self.pos += 1
                    yield ("documents", None)
                    if self.peek() == "]":
                        self.pos += 1
                    else:
                        while True:
                            yield ("document", self.value())
                            if self.expect(",]", "',' delimiter") == "]":
                                break
                else:
                    yield ("key", (key, self.value()))
                if self.expect(",}", "',' delimiter") == "}":
                    break
        if "documents" in seen:
            if self.peek():
                raise self.error("Extra data")
            return
        self.format = "jsonl"
        yield ("documents", None)
        while self.peek():
            yield ("document", self.value())


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


# --------------------------------------------------------------- documents


def _check_document(doc: Document, path: str) -> None:
    """What types cannot say: ids unique in the document; positions that can be positions."""
    ids: dict[str, str] = {}

    def see(ident: str, where: str) -> None:
        other = ids.get(ident)
        if other is not None:
            raise CatalogueError(f"{where}.id: duplicate id {ident!r} in the document (also {other})")
        ids[ident] = where

    def pos(value: int | None, where: str) -> None:
        if value is not None and not 0 <= value <= MAX_POSITION:
            raise CatalogueError(f"{where}: {value} is not a position in a source (0 to {MAX_POSITION})")

    for ei, e in enumerate(doc.essays):
        ep = f"{path}.essays[{ei}]"
        see(e.id, ep)
        pos(e.line, f"{ep}.line")
        stack: list[tuple[Section, str]] = [(s, f"{ep}.sections[{i}]") for i, s in enumerate(e.sections)][::-1]
        while stack:
            s, sp = stack.pop()
            see(s.id, sp)
            pos(s.line, f"{sp}.line")
            pos(s.offset, f"{sp}.offset")
            pos(s.page, f"{sp}.page")
            for mi, m in enumerate(s.measures):
                mp = f"{sp}.measures[{mi}]"
                see(m.id, mp)
                pos(m.line, f"{mp}.line")
                pos(m.offset, f"{mp}.offset")
                pos(m.page, f"{mp}.page")
            stack.extend((c, f"{sp}.sections[{i}]") for i, c in reversed(list(enumerate(s.sections))))
    for ri, r in enumerate(doc.repairs):
        for li, line in enumerate(r.lines):
            pos(line, f"{path}.repairs[{ri}].lines[{li}]")
    for fi, f in enumerate(doc.furniture):
        pos(f.line, f"{path}.furniture[{fi}].line")


MAX_SECTION_DEPTH = 95


def _section_depth_ok(d: Any, path: str) -> None:
    # the validators recurse into nested sections: bound the depth first
    # (YAML is bounded by MAX_DEPTH already; JSON only by its decoder)
    if not isinstance(d, dict):
        return
    stack: list[tuple[Any, int]] = []
    essays = d.get("essays")
    for e in essays if isinstance(essays, list) else ():
        if isinstance(e, dict) and isinstance(e.get("sections"), list):
            stack.extend((s, 1) for s in e["sections"])
    while stack:
        s, depth = stack.pop()
        if depth > MAX_SECTION_DEPTH:
            raise CatalogueError(f"{path}: sections nested deeper than {MAX_SECTION_DEPTH} levels: refused")
        if isinstance(s, dict) and isinstance(s.get("sections"), list):
            stack.extend((c, depth + 1) for c in s["sections"])


def validate_document(d: Any, path: str) -> Document:
    """One item of ``documents`` (a dict from YAML or JSON) as a checked ``Document``."""
    from .catalogue import _document

    _section_depth_ok(d, path)
    doc = _document(d, path)
    _check_document(doc, path)
    return doc


# --------------------------------------------------------------- the stream


class _Prefixed:
    """A text stream with some text already read put back in front."""

    def __init__(self, head: str, rest: Any) -> None:
        self._head = head
        self._rest = rest
        self.name = getattr(rest, "name", "<catalogue>")

    def read(self, size: int = _CHUNK) -> str:
        if self._head:
            out, self._head = self._head, ""
            return out
        data: str = self._rest.read(size)
        return data


class CatalogueStream:
    """The documents of one catalogue (YAML, JSON or JSON Lines), read one at a time.

    ``for doc in CatalogueStream(path)`` holds one document at a time in
    memory. ``schema`` and ``generator`` are set once read (for a catalogue
    guizhou wrote, before the first document). Errors are ``CatalogueError``
    with one line naming the source and the path in the catalogue. The file
    is closed when the iteration ends, fails, or ``close()`` is called (or at
    the end of a ``with`` block).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | IO[bytes] | IO[str],
        *,
        source: str | None = None,
        stdin: IO[bytes] | None = None,
    ) -> None:
        if isinstance(path, io.TextIOBase | io.StringIO):
            self._raw: Any = None
            self._text: Any = path
            name = getattr(path, "name", "<catalogue>")
            self._owned = False
        else:
            raw, name, self._owned = _open_binary(path, stdin)  # type: ignore[arg-type]
            self._raw = raw
            self._text = _Text(raw, source or name)
        self.source = source or name
        self.schema: str | None = None
        self.generator: str | None = None
        self.format: str | None = None  # yaml, json or jsonl, once known
        self.count = 0
        self._started = False

    def __enter__(self) -> CatalogueStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned and self._raw is not None:
            self._raw.close()
            self._owned = False

    def __iter__(self) -> Iterator[Document]:
        if self._started:
            raise RuntimeError("a CatalogueStream is read once")
        self._started = True
        try:
            yield from self._documents()
        except CatalogueError as exc:
            msg = str(exc)
            raise CatalogueError(msg if msg.startswith(f"{self.source}: ") else f"{self.source}: {msg}") from None
        except _Refused as exc:
            raise CatalogueError(f"{self.source}: {exc}") from None
        except _DuplicateKey as exc:
            raise CatalogueError(f"{self.source}: invalid JSON: duplicate key {exc.args[0]!r}") from None
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{self.source}: {_yaml_message(exc)}") from None
        except ValueError as exc:
            # Python refuses integers of more than 4300 digits; dates out of range
            raise CatalogueError(f"{self.source}: invalid value: {str(exc).split(';')[0]}") from None
        except RecursionError:
            raise CatalogueError(f"{self.source}: nested too deeply") from None
        finally:
            self.close()

    def _items(self) -> Iterator[Item]:
        head = ""
        while not head.lstrip(" \t\r\n"):
            more = self._text.read(_CHUNK)
            if not more:
                break
            head += more
        if head.lstrip(" \t\r\n").startswith("{"):
            self.format = "json"
            reader = _JsonReader(self._text, head)
            for item in reader.catalogue():
                self.format = reader.format
                yield item
            self.format = reader.format
            return
        self.format = "yaml"
        yield from _yaml_items(_Prefixed(head, self._text))

    def _documents(self) -> Iterator[Document]:
        from .catalogue import _V, check_schema

        pending: list[tuple[int, Any]] = []
        has_schema = has_documents = False
        for kind, payload in self._items():
            if kind == "document":
                if has_schema:
                    yield validate_document(payload, f"documents[{self.count}]")
                else:  # the schema comes later in this file: hold on until it is read
                    pending.append((self.count, payload))
                self.count += 1
            elif kind == "key":
                key, value = payload
                if key == "schema":
                    self.schema = check_schema(_V({key: value}, "").get("schema", str))
                    has_schema = True
                    for i, d in pending:
                        yield validate_document(d, f"documents[{i}]")
                    pending.clear()
                elif key == "generator":
                    self.generator = _V({key: value}, "").get("generator", str, optional=True, default="unknown")
                elif key == "documents":
                    has_documents = True
                    _V({key: value}, "").get("documents", list)  # not a list: says so
            elif kind == "documents":
                has_documents = True
            else:  # "root": not a mapping
                _V(payload, "")
        if not has_schema:
            _V({}, "").get("schema", str)
        if not has_documents:
            _V({}, "").get("documents", list)
        if self.generator is None:
            self.generator = "unknown"


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.reader.ReaderError):
        return (
            f"invalid YAML: {exc.reason} (#x{exc.character:04x}) at position {exc.position}"
            if isinstance(exc.character, int)
            else f"invalid YAML: {exc.reason}"
        )
    return f"invalid YAML{where}: {problem}"


def iter_documents_from_catalogue(
    path: str | os.PathLike[str] | IO[bytes], *, stdin: IO[bytes] | None = None
) -> Iterator[Document]:
    """The documents of a catalogue file (YAML, JSON or JSON Lines; ``-`` is stdin), one at a time.

    Memory follows the largest document, not the file. Raises
    ``CatalogueError`` (one line) on anything that is not a valid catalogue,
    possibly after some documents were yielded: a command that prints as it
    reads should say so, or collect before printing.
    """
    with CatalogueStream(path, stdin=stdin) as stream:
        yield from stream


iter_catalogue_documents = iter_documents_from_catalogue
