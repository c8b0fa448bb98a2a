"""The catalogue's YAML writer: PyYAML's output, written from the model directly.

PyYAML's representer is Python code that builds a node graph before the
emitter sees it, and the emitter analyses every character of every scalar;
together they were most of ``extract``'s time. This writer walks the model
and writes the same bytes for the common case directly:

* a string made only of printable characters, with no indicator at its start,
  no ``: `` or `` #`` inside and no value another reader would take for a
  number, boolean, null or date, is written plain, as PyYAML would;
* multi-line text that PyYAML would write as a ``|-`` block is written as one,
  line by line;
* everything else (quoting, escapes, keys of ``meta``) goes through PyYAML's
  own emitter code, one scalar at a time, in the same state (indent, column)
  the full emitter would be in, so the rare case is as exact as the common one.

Two deliberate differences from PyYAML, both so that every reader reads the
same strings (YAML 1.1 loaders such as PyYAML and libyaml, YAML 1.2 loaders
such as ruamel.yaml, yq, Go and JavaScript ones):

* a plain scalar that a YAML 1.1 *or* 1.2 loader would resolve to something
  other than a string is quoted: PyYAML quotes only what YAML 1.1 resolves
  (``yes``, ``~``, ``2024-01-01``), leaving ``1e3``, ``+1e3``, ``0o17``, ``09``
  plain, which YAML 1.2 loaders read as numbers (``QUOTE_RESOLVERS``);
* characters beyond the Basic Multilingual Plane (𠮷) are written as
  themselves everywhere; libyaml's emitter escapes them (``"\\U00020BB7"``), and
  PyYAML's Python emitter does in double-quoted scalars; and text holding
  U+0085, U+2028 or U+2029 is double-quoted with escapes (``\\N``, ``\\L``,
  ``\\P``), since YAML 1.1 reads them as line breaks and YAML 1.2 does not.

``ReferenceDumper`` is PyYAML's pure-Python dumper with exactly these rules;
the tests check this writer against it byte for byte, on generated
catalogues, the seed and the corpus. ``CDumper`` is libyaml's emitter with the
same quoting (the previous writer, kept for the benchmark and as a fallback).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.events import ScalarEvent
from yaml.representer import SafeRepresenter
from yaml.resolver import Resolver
from yaml.serializer import Serializer

from .model import Document, Essay, Keyword, Measure, Section

WIDTH = 1_000_000  # no folding of long lines: a catalogue is read by programs and grep

# Plain scalars that some YAML loader resolves to a non-string, beyond what
# PyYAML's own (YAML 1.1) resolvers already quote: from the YAML 1.2 core
# schema (1e3, .5e3, 09, 0o17) and ruamel.yaml's 1.1 and 1.2 resolvers
# (underscored digits, 1_000). Quoting a string that needed no quotes costs
# two characters; missing one changes data. The YAML 1.1 booleans y, Y, n, N
# (read as booleans by go-yaml v2 and ruamel.yaml in 1.1 mode, not by PyYAML)
# are quoted as values only (``YN``): the schema's own key ``n`` stays plain.
QUOTE_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL)$", "~nN"),
]


class QuotingResolver(Resolver):
    """PyYAML's resolver knowing what YAML 1.2 loaders resolve too (for writing)."""


for _tag, _rx, _first in QUOTE_RESOLVERS:
    QuotingResolver.add_implicit_resolver(_tag, re.compile(_rx, re.X), list(_first))

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = QuotingResolver.yaml_implicit_resolvers


def resolves_to_str(value: str) -> bool:
    """Whether ``value`` written plain reads back as a string in YAML 1.1 and 1.2.

    The same test as PyYAML's serializer makes (``Resolver.resolve``), on
    ``QuotingResolver``'s table: the first character picks the candidates.
    """
    for _tag, rx in _RESOLVERS.get(value[0] if value else "", ()):
        if rx.match(value):
            return False
    return True


YN = frozenset("yYnN")


def style_hint(value: str) -> str | None:
    """The style the catalogue asks of the emitter for a string.

    Multi-line text as a ``|`` block, unless a line ends in whitespace or the
    text starts or ends with it (a block cannot hold those faithfully), or it
    holds a YAML-1.1-only line break (double quotes escape those).
    """
    if "\x85" in value or "\u2028" in value or "\u2029" in value:
        return '"'
    if "\n" in value and value == value.strip() and not any(line != line.rstrip() for line in value.split("\n")):
        return "|"
    return None


# Characters PyYAML writes as themselves (``allow_unicode``), less the YAML
# 1.1 line breaks: printable ASCII, and Unicode from U+00A0 without
# surrogates, U+FEFF, U+FFFE/U+FFFF and U+10FFFF.
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe"
_PLAIN_CHARS = re.compile(f"[{_PRINTABLE}]+")
_BLOCK_CHARS = re.compile(f"[{_PRINTABLE}\n]+")
# first characters that are indicators (or may start one: "- ", "---", "...")
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@` .")
_LONG = 100_000  # past this, PyYAML's line-width logic is left to PyYAML's code


def is_plain(value: str) -> bool:
    """Whether PyYAML writes ``value`` plain, as is, in block context (the fast path).

    A sufficient condition, not a necessary one: what fails it goes through
    the emitter, which decides exactly.
    """
    return (
        _PLAIN_CHARS.fullmatch(value) is not None
        and value[0] not in _NOT_FIRST
        and value[-1] not in " :"
        and ": " not in value
        and " #" not in value
        and len(value) < _LONG
        and resolves_to_str(value)
    )


class YamlEmitter(Emitter):
    """PyYAML's Python emitter, writing astral-plane characters as themselves
    in double-quoted scalars too (the other styles already do)."""

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        # PyYAML's code with one change: '\U00010000' <= ch < '\U0010ffff'
        # is printable here, as analyze_scalar already says it is
        self.write_indicator('"', True)
        start = end = 0
        while end <= len(text):
            ch = None
            if end < len(text):
                ch = text[end]
            if (
                ch is None
                or ch in '"\\\x85\u2028\u2029\ufeff'
                or not (
                    "\x20" <= ch <= "\x7e"
                    or (
                        self.allow_unicode
                        and ("\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or "\U00010000" <= ch < "\U0010ffff")
                    )
                )
            ):
                if start < end:
                    data = text[start:end]
                    self.column += len(data)
                    self.stream.write(data)
                    start = end
                if ch is not None:
                    if ch in self.ESCAPE_REPLACEMENTS:
                        data = "\\" + self.ESCAPE_REPLACEMENTS[ch]
                    elif ch <= "\xff":
                        data = f"\\x{ord(ch):02X}"
                    elif ch <= "\uffff":
                        data = f"\\u{ord(ch):04X}"
                    else:
                        data = f"\\U{ord(ch):08X}"
                    self.column += len(data)
                    self.stream.write(data)
                    start = end + 1
            fold = self.column + (end - start) > self.best_width
            if 0 < end < len(text) - 1 and (ch == " " or start >= end) and fold and split:
                data = text[start:end] + "\\"
                if start < end:
                    start = end
                self.column += len(data)
                self.stream.write(data)
                self.write_indent()
                self.whitespace = False
                self.indention = False
                if text[start] == " ":
                    data = "\\"
                    self.column += len(data)
                    self.stream.write(data)
            end += 1
        self.write_indicator('"', False)


def _represent_str(dumper: Any, value: str) -> Any:
    return dumper.represent_scalar(_STR_TAG, value, style=style_hint(value))


class _QuoteYN:
    """Single-quote the values y, Y, n, N (mapping values, sequence items), not keys."""

    def represent_mapping(self, tag: str, mapping: Any, flow_style: Any = None) -> Any:
        node = super().represent_mapping(tag, mapping, flow_style)  # type: ignore[misc]
        for _k, v in node.value:
            _quote_yn(v)
        return node

    def represent_sequence(self, tag: str, sequence: Any, flow_style: Any = None) -> Any:
        node = super().represent_sequence(tag, sequence, flow_style)  # type: ignore[misc]
        for v in node.value:
            _quote_yn(v)
        return node


def _quote_yn(node: Any) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG and node.value in YN and node.style is None:
        node.style = "'"


class _Representer(_QuoteYN, SafeRepresenter):
    pass


_Representer.add_representer(str, _represent_str)


class ReferenceDumper(YamlEmitter, Serializer, _Representer, QuotingResolver):
    """PyYAML's pure-Python dumper with the catalogue's rules: the specification
    ``write_document`` is tested against, and the slow but exact fallback."""

    def __init__(
        self,
        stream: Any,
        default_style: str | None = None,
        default_flow_style: bool = False,
        canonical: bool | None = None,
        indent: int | None = None,
        width: int | None = None,
        allow_unicode: bool | None = None,
        line_break: str | None = None,
        encoding: str | None = None,
        explicit_start: bool | None = None,
        explicit_end: bool | None = None,
        version: tuple[int, int] | None = None,
        tags: Any = None,
        sort_keys: bool = True,
    ) -> None:
        # yaml.SafeDumper.__init__, on these bases
        YamlEmitter.__init__(
            self, stream, canonical=canonical, indent=indent, width=width, allow_unicode=allow_unicode, line_break=line_break
        )
        Serializer.__init__(
            self, encoding=encoding, explicit_start=explicit_start, explicit_end=explicit_end, version=version, tags=tags
        )
        _Representer.__init__(self, default_style=default_style, default_flow_style=default_flow_style, sort_keys=sort_keys)
        QuotingResolver.__init__(self)


_CBase: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class CDumper(_QuoteYN, _CBase):  # type: ignore[misc]
    """libyaml's emitter (when present) with the catalogue's quoting: the previous
    writer. It escapes astral-plane characters, which the other two do not."""


CDumper.add_representer(str, _represent_str)
for _tag, _rx, _first in QUOTE_RESOLVERS:
    CDumper.add_implicit_resolver(_tag, re.compile(_rx, re.X), list(_first))


def reference_dump(data: Any) -> str:
    """``data`` as ``ReferenceDumper`` writes it (slow; the specification)."""
    out: str = yaml.dump(data, Dumper=ReferenceDumper, allow_unicode=True, sort_keys=False, width=WIDTH)
    return out


def c_dump(data: Any) -> str:
    """``data`` through libyaml's emitter with the catalogue's quoting (the previous writer)."""
    out: str = yaml.dump(data, Dumper=CDumper, allow_unicode=True, sort_keys=False, width=WIDTH)
    return out


# --------------------------------------------------------------- the writer


# PyYAML's Emitter.check_simple_key: a key is written "key:" when its length,
# counted with its tag ("!!str", implicit but counted all the same), is under 128
_SIMPLE_KEY = 128 - len("!!str")


PIECE = 1 << 20  # characters per piece of a large document, about (one scalar may exceed it)


class Parts(list[str]):
    """The text of a document being written, as a list of parts, handed on in
    pieces of about ``size`` characters so that a large document is never
    one string (``size=None``: one piece, the whole).

    A ``list`` subclass: ``append`` stays the C method. Writers test
    ``len(parts) >= parts.check and parts.due()``: the characters are counted
    only every few hundred parts, and only the parts added since.
    """

    __slots__ = ("_chars", "_counted", "_every", "check", "size")

    def __init__(self, size: int | None = PIECE) -> None:
        super().__init__()
        self.size = size
        self._counted = 0
        self._chars = 0
        # parts between two counts: 256 for pieces of a megabyte (a part is a
        # line, or a measure), fewer for small pieces
        self._every = max(8, min(256, (size or 0) >> 12))
        self.check = self._every if size is not None else 1 << 62

    def due(self) -> bool:
        n = len(self)
        self._chars += sum(map(len, self[self._counted :]))  # (a slice of the new parts only)
        self._counted = n
        self.check = n + self._every
        return self._chars >= (self.size or 0)

    def take(self) -> str:
        text = "".join(self)
        self.clear()
        self._counted = self._chars = 0
        self.check = self._every if self.size is not None else 1 << 62
        return text


class _Fallback(Exception):
    """Something the fast writer does not lay out itself (a long or multi-line
    ``meta`` key): the document goes through ``ReferenceDumper``."""


class _ScalarEmitter(YamlEmitter):
    """The emitter's scalar code, run on one scalar in a given state."""

    def __init__(self) -> None:
        self._buf = io.StringIO()
        super().__init__(self._buf, allow_unicode=True, width=WIDTH)

    def scalar(self, value: str, indent: int, column: int, *, in_sequence: bool, key: bool = False) -> tuple[str, bool]:
        """(text, ends_with_a_line_break) of ``value`` written after ``key:`` or
        ``-`` (ending at ``column``), as the full emitter would write it."""
        buf = self._buf
        buf.seek(0)
        buf.truncate()
        self.indent = indent
        self.column = column
        # after "-" the emitter is still "in indentation"; after "key:" it is not
        self.whitespace = key
        self.indention = in_sequence or key
        self.flow_level = 0
        self.simple_key_context = key
        self.root_context = False
        implicit = (resolves_to_str(value), True)
        self.event = ScalarEvent(None, None, implicit, value, style=style_hint(value))
        self.analysis = None
        self.style = None
        if key:
            self.analysis = self.analyze_scalar(value)
            if len(value) >= _SIMPLE_KEY or self.analysis.empty or self.analysis.multiline:
                raise _Fallback
        self.process_scalar()  # (which resets self.style)
        text = buf.getvalue()
        # a block scalar ends with its line break; plain and quoted ones cannot
        return text, text.endswith("\n")


class DocumentWriter:
    """Writes documents as the one-item block sequence PyYAML writes for each
    item of ``documents:`` (``- source: …``). Not thread-safe: one per thread."""

    def __init__(self) -> None:
        self._emitter = _ScalarEmitter()
        # short strings found plain (markers, kinds, headings that repeat):
        # their line ends, so that each is tested once
        self._plain: dict[str, str] = {}

    def _s(self, value: str | None, indent: int, column: int) -> str:
        """``_v`` of a string field (or None), the common case first."""
        if value is None:
            return " null\n"
        hit = self._plain.get(value)
        if hit is not None:
            return hit
        if type(value) is str and is_plain(value):
            text = " '" + value + "'\n" if value in YN else " " + value + "\n"
            if len(value) <= 24 and len(self._plain) < 4096:
                self._plain[value] = text
            return text
        return self._v(value, indent, column)

    # ``_v`` returns what follows "key:" (or "-"), newline included
    def _v(self, value: Any, indent: int, column: int, in_sequence: bool = False) -> str:
        if type(value) is str:
            if is_plain(value):
                return " '" + value + "'\n" if value in YN else " " + value + "\n"
            if "\n" in value and _BLOCK_CHARS.fullmatch(value) is not None and style_hint(value) == "|" and len(value) < _LONG:
                pad = " " * indent
                return " |-\n" + "".join(pad + line + "\n" if line else "\n" for line in value.split("\n"))
            text, block = self._emitter.scalar(value, indent, column, in_sequence=in_sequence)
            return text if block else text + "\n"
        if value is None:
            return " null\n"
        if value is True:
            return " true\n"
        if value is False:
            return " false\n"
        if type(value) is int:
            return f" {value}\n"
        if type(value) is float:
            return " " + _float(value) + "\n"
        raise TypeError(f"cannot write {type(value).__name__} in a catalogue")

    def _kv(self, col: int, key: str, value: Any, first: bool = False) -> str:
        head = (" " * (col - 2) + "- " if first else " " * col) + key + ":"
        return head + self._v(value, col + 2, col + len(key) + 1)

    def _list(self, col: int, key: str, items: tuple[Any, ...] | list[Any]) -> str:
        if not items:
            return " " * col + key + ": []\n"
        pad = " " * col
        parts = [pad, key, ":\n"]
        for it in items:
            parts.append(pad + "-" + self._v(it, col + 2, col + 1, True))
        return "".join(parts)

    def _keywords(self, col: int, kws: tuple[Keyword, ...]) -> str:
        if not kws:
            return " " * col + "keywords: []\n"
        parts = [" " * col + "keywords:\n"]
        for k in kws:
            parts.append(self._kv(col + 2, "term", k.term, first=True))
            parts.append(self._kv(col + 2, "weight", round(k.weight, 4)))
        return "".join(parts)

    def _measure(self, out: Parts, m: Measure, col: int) -> None:
        # the fixed fields in one string: most of a catalogue is measures
        s = self._s
        kv = self._kv
        pad = " " * col
        n, line, offset = m.n, m.line, m.offset
        out.append(
            f"{pad[2:]}- id:{s(m.id, col + 2, col + 3)}"
            f"{pad}n:{' null' + chr(10) if n is None else f' {n}' + chr(10) if type(n) is int else self._v(n, col + 2, col + 2)}"
            f"{pad}marker:{s(m.marker, col + 2, col + 7)}"
            f"{pad}kind:{s(m.kind, col + 2, col + 5)}"
            f"{pad}title:{s(m.title, col + 2, col + 6)}"
            f"{pad}text:{s(m.text, col + 2, col + 5)}"
            f"{pad}line:{f' {line}' + chr(10) if type(line) is int else self._v(line, col + 2, col + 5)}"
            f"{pad}offset:{f' {offset}' + chr(10) if type(offset) is int else self._v(offset, col + 2, col + 7)}"
        )
        if m.page is not None:
            out.append(kv(col, "page", m.page))
        if m.context is not None:
            out.append(kv(col, "context", m.context))
        if m.flags:
            out.append(self._list(col, "flags", m.flags))
        if m.keywords is not None:
            out.append(self._keywords(col, m.keywords))

    def _sections(self, out: Parts, sections: tuple[Section, ...], col: int) -> Iterator[str]:
        # an explicit stack, not recursion: nesting depth is the input's to choose
        kv = self._kv
        stack: list[tuple[bool, Section, int]] = [(True, s, col) for s in reversed(sections)]
        while stack:
            if len(out) >= out.check and out.due():
                yield out.take()
            head, s, c = stack.pop()
            if not head:
                if s.flags:
                    out.append(self._list(c, "flags", s.flags))
                if s.keywords is not None:
                    out.append(self._keywords(c, s.keywords))
                continue
            if s.page is None and type(s.n) in (int, type(None)) and type(s.line) is int and type(s.offset) is int:
                st = self._s
                pad = " " * c
                out.append(
                    f"{pad[2:]}- id:{st(s.id, c + 2, c + 3)}"
                    f"{pad}heading:{st(s.heading, c + 2, c + 8)}"
                    f"{pad}marker:{st(s.marker, c + 2, c + 7)}"
                    f"{pad}n: {'null' if s.n is None else s.n}\n"
                    f"{pad}fragment:{self._v(s.fragment, c + 2, c + 9)}"
                    f"{pad}truncated:{self._v(s.truncated, c + 2, c + 10)}"
                    f"{pad}line: {s.line}\n"
                    f"{pad}offset: {s.offset}\n"
                    f"{pad}text:{st(s.text, c + 2, c + 5)}"
                )
            else:
                out.append(kv(c, "id", s.id, first=True))
                out.append(kv(c, "heading", s.heading))
                out.append(kv(c, "marker", s.marker))
                out.append(kv(c, "n", s.n))
                out.append(kv(c, "fragment", s.fragment))
                out.append(kv(c, "truncated", s.truncated))
                out.append(kv(c, "line", s.line))
                out.append(kv(c, "offset", s.offset))
                if s.page is not None:
                    out.append(kv(c, "page", s.page))
                out.append(kv(c, "text", s.text))
            if s.measures:
                out.append(" " * c + "measures:\n")
                for m in s.measures:
                    self._measure(out, m, c + 2)
                    if len(out) >= out.check and out.due():
                        yield out.take()
            else:
                out.append(" " * c + "measures: []\n")
            stack.append((False, s, c))
            if s.sections:
                out.append(" " * c + "sections:\n")
                stack.extend((True, child, c + 2) for child in reversed(s.sections))

    def _essay(self, out: Parts, e: Essay, col: int) -> Iterator[str]:
        kv = self._kv
        out.append(kv(col, "id", e.id, first=True))
        out.append(kv(col, "title", e.title))
        out.append(self._list(col, "authors", e.authors))
        out.append(kv(col, "affiliation", e.affiliation))
        out.append(kv(col, "note", e.note))
        out.append(kv(col, "lead", e.lead))
        out.append(kv(col, "line", e.line))
        out.append(kv(col, "closing", e.closing))
        out.append(kv(col, "byline", e.byline))
        if e.sections:
            out.append(" " * col + "sections:\n")
            yield from self._sections(out, e.sections, col + 2)
        else:
            out.append(" " * col + "sections: []\n")
        out.append(self._list(col, "unplaced", e.unplaced))

    def _meta(self, pairs: tuple[tuple[str, str], ...], col: int) -> str:
        parts = [" " * (col - 2) + "meta:\n"]
        for k, v in pairs:
            if len(k) < _SIMPLE_KEY and is_plain(k):  # PyYAML writes longer keys as "? key"
                key = k
            else:
                text, _ = self._emitter.scalar(k, col + 2, col, in_sequence=False, key=True)
                key = text
            parts.append(" " * col + key + ":" + self._v(v, col + 2, col + len(key) + 1))
        return "".join(parts)

    def document(self, doc: Document) -> str:
        """One document as ``yaml.dump([document_dict(doc)])`` with the catalogue's rules writes it."""
        return "".join(self.pieces(doc, size=None))

    def pieces(self, doc: Document, size: int | None = PIECE) -> Iterator[str]:
        """``document(doc)`` in pieces of about ``size`` characters, cut between lines."""
        try:
            out = self._head(doc, Parts(size))
        except _Fallback:
            # (only ``meta`` falls back, and it is written before any piece)
            from .catalogue import document_dict

            yield reference_dump([document_dict(doc)])
            return
        kv = self._kv
        if doc.essays:
            out.append("  essays:\n")
            for e in doc.essays:
                yield from self._essay(out, e, 4)
        else:
            out.append("  essays: []\n")
        if doc.repairs:
            out.append("  repairs:\n")
            for r in doc.repairs:
                out.append(kv(4, "kind", r.kind, first=True))
                out.append(self._list(4, "lines", r.lines))
                out.append(kv(4, "detail", r.detail))
                if len(out) >= out.check and out.due():
                    yield out.take()
        else:
            out.append("  repairs: []\n")
        if doc.furniture:
            out.append("  furniture:\n")
            for f in doc.furniture:
                out.append(kv(4, "kind", f.kind, first=True))
                out.append(kv(4, "line", f.line))
                out.append(kv(4, "text", f.text))
                if len(out) >= out.check and out.due():
                    yield out.take()
        else:
            out.append("  furniture: []\n")
        yield out.take()

    def _head(self, doc: Document, out: Parts) -> Parts:
        kv = self._kv
        out += (
            kv(2, "source", doc.source, first=True),
            kv(2, "sha256", doc.sha256),
            kv(2, "encoding", doc.encoding),
            kv(2, "banner", doc.banner),
            kv(2, "title", doc.title),
            kv(2, "dateline", doc.dateline),
        )
        if doc.meta:
            out.append(self._meta(doc.meta, 4))
        return out

    def header(self, schema: str, generator: str) -> str:
        """``schema:`` and ``generator:`` lines, as ``yaml.dump`` of the two-key mapping writes them."""
        return "schema:" + self._v(schema, 2, 7) + "generator:" + self._v(generator, 2, 10)


def _float(value: float) -> str:
    # SafeRepresenter.represent_float
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == -float("inf"):
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text
