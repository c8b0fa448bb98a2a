"""Word (.docx): paragraphs in order, bold as a heading signal, numbering as text.

A .docx is a zip of XML, and the standard library's ``zipfile`` and
``xml.etree`` read it: no dependency (python-docx would add lxml and still not
compute list numbers). What we take:

* the body's paragraphs in order, table cells' paragraphs included (text boxes,
  headers, footers, footnotes and tracked deletions are not the text);
* bold from the run, its character style, the paragraph style chain and the
  document defaults, in that order;
* headings from outline levels and the built-in heading/title styles;
* automatic list numbering (numbering.xml), which Word keeps outside the
  text: a .docx of a work report often holds no 一、 or （一） characters at
  all. The numbers are computed as Word does (one counter per abstract
  numbering shared by its instances, restarts and start overrides, lower
  levels reset) and written in the level's format: chineseCounting 一…十一,
  ideographTraditional 甲乙丙, decimalEnclosedCircle ①, … with the level
  text (``%1、``, ``（%1）``, ``%1.%2``).

Provenance: a line is a paragraph. Offsets refer to a text with one line per
paragraph (its number included), so line N of a measure is the N-th
paragraph of the document, counting empty ones and table cells.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as DET  # type: ignore[import-untyped]
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ..errors import InputError
from ..model import Repair
from .common import INVISIBLE, MAX_TEXT_CHARS, Block, Reading, SrcLine, assemble, too_much_text

# Bounds on what a .docx may expand to (the bytes actually inflated, never the
# zip headers' word): a novel's document.xml is a few MB, a 500-page report's
# under 40 MB. XML compresses well (10-30x), so the ratio only counts past 16 MB.
_MAX_PART = 128 * 1024 * 1024
_MAX_TOTAL = 192 * 1024 * 1024
_MAX_RATIO = 100
_MAX_ELEMENTS = 2_000_000
_RATIO_FLOOR = 16 * 1024 * 1024
# Word has nine list levels (w:ilvl 0-8); a marker is a few characters
_LEVELS = 9
_MAX_MARKER = 40
_MAX_START = 1 << 31
_RELS_DOC = "/officeDocument"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el: ET.Element | None, name: str) -> str | None:
    if el is None:
        return None
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _on(el: ET.Element | None) -> bool | None:
    """A toggle property (w:b, w:vanish): None when absent."""
    if el is None:
        return None
    val = _attr(el, "val")
    return val is None or val.lower() not in ("0", "false", "off", "none")


def _int(s: str | None, default: int | None = None) -> int | None:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------- package


class _Package:
    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
            raise InputError(f"{source}: is a damaged or truncated .docx (not a complete zip archive)") from None
        names = set(self.zip.namelist())
        self.inflated = 0  # bytes inflated so far, all parts together
        self.main = "word/document.xml"
        rels = self.xml("_rels/.rels")
        if rels is not None:
            for r in rels:
                if (_attr(r, "Type") or "").endswith(_RELS_DOC) and _attr(r, "Target"):
                    self.main = (_attr(r, "Target") or "").lstrip("/")
        if self.main not in names:
            if "content.xml" in names or "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
                raise InputError(f"{source}: is a zip archive but not a Word .docx (an OpenDocument or other Office file?)")
            raise InputError(f"{source}: is a zip archive but not a Word .docx (no {self.main})")
        self.parts: dict[str, str] = {}
        base = posixpath.dirname(self.main)
        doc_rels = self.xml(posixpath.join(base, "_rels", posixpath.basename(self.main) + ".rels"))
        if doc_rels is not None:
            for r in doc_rels:
                kind = (_attr(r, "Type") or "").rsplit("/", 1)[-1]
                target = _attr(r, "Target") or ""
                if _attr(r, "TargetMode") == "External" or not target:
                    continue
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                self.parts.setdefault(kind, path)

    def xml(self, name: str, required: bool = False) -> ET.Element | None:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            if required:
                raise InputError(f"{self.source}: is a damaged .docx (no {name})") from None
            return None
        raw = self._read(info)
        # the tree ElementTree builds costs ~100 bytes an element: count the
        # tags first (a 500-page report has about a million)
        if raw.count(b"<") > _MAX_ELEMENTS:
            raise InputError(
                f"{self.source}: {name} holds more than {_MAX_ELEMENTS:,} XML elements, more than a document has; refused"
            )
        # Office never writes a DTD: defusedxml refuses any (in any encoding,
        # UTF-16 included, since it asks the XML parser rather than the bytes),
        # so no entity is ever expanded and no external one fetched
        try:
            root: ET.Element = DET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
            return root
        except DTDForbidden:
            raise InputError(f"{self.source}: {name} declares a DTD, which a .docx never has; refused") from None
        except (EntitiesForbidden, ExternalReferenceForbidden):
            raise InputError(f"{self.source}: {name} declares entities, which a .docx never has; refused") from None
        except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: <?xml encoding="nonsense"?>
            raise InputError(f"{self.source}: is a damaged .docx ({name} is not well-formed XML: {exc})") from None

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        """A part's bytes, inflated by steps and counted as they come.

        The sizes in the zip headers are the archive's word, and an archive can
        lie: the count is of the bytes actually inflated, against a cap per
        part, a cap for the whole package and a ratio to the compressed size.
        """
        name = info.filename
        if info.file_size > _MAX_PART:
            raise InputError(f"{self.source}: {name} unpacks to {info.file_size} bytes, more than a document holds; refused")
        out = bytearray()
        try:
            with self.zip.open(info) as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    out += chunk
                    ratio_hit = len(out) > _RATIO_FLOOR and len(out) > _MAX_RATIO * max(1, info.compress_size)
                    if len(out) > _MAX_PART or ratio_hit or self.inflated + len(out) > _MAX_TOTAL:
                        raise InputError(
                            f"{self.source}: {name} expands beyond what a document holds "
                            f"(over {len(out) >> 20} MB from {info.compress_size} bytes); refused"
                        )
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.source}: is a damaged or truncated .docx ({name}: {exc})") from None
        self.inflated += len(out)
        return bytes(out)


# ---------------------------------------------------------------- styles


@dataclass
class _Style:
    kind: str
    name: str
    based_on: str | None
    bold: bool | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


class _Styles:
    def __init__(self, root: ET.Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_bold = False
        if root is None:
            return
        for el in root:
            name = _local(el.tag)
            if name == "docDefaults":
                rpr = _child(_child(el, "rPrDefault"), "rPr")
                self.default_bold = bool(_on(_child(rpr, "b")))
            elif name == "style":
                sid = _attr(el, "styleId") or ""
                kind = _attr(el, "type") or "paragraph"
                ppr = _child(el, "pPr")
                numpr = _child(ppr, "numPr")
                self.styles[sid] = _Style(
                    kind,
                    (_attr(_child(el, "name"), "val") or "").lower(),
                    _attr(_child(el, "basedOn"), "val"),
                    _on(_child(_child(el, "rPr"), "b")),
                    _int(_attr(_child(ppr, "outlineLvl"), "val")),
                    _attr(_child(numpr, "numId"), "val"),
                    _int(_attr(_child(numpr, "ilvl"), "val")),
                )
                if kind == "paragraph" and (_attr(el, "default") or "").lower() in ("1", "true", "on"):
                    self.default_para = sid

    def chain(self, sid: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            out.append(self.styles[sid])
            sid = self.styles[sid].based_on
        return out

    def bold(self, sid: str | None) -> bool | None:
        for s in self.chain(sid):
            if s.bold is not None:
                return s.bold
        return None

    def heading_level(self, sid: str | None) -> int | None:
        for s in self.chain(sid):
            if s.outline is not None:
                return s.outline + 1 if s.outline < 9 else None
            m = re.fullmatch(r"heading (\d)", s.name)
            if m:
                return int(m.group(1))
            if s.name == "title":
                return 1
        return None

    def numbering(self, sid: str | None) -> tuple[str | None, int | None]:
        for s in self.chain(sid):
            if s.num_id is not None:
                return s.num_id, s.ilvl
        return None, None


# ---------------------------------------------------------------- numbering

_CN = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _cn_count(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百", thousand: str = "千", legal: bool = False) -> str:
    """一, 十, 十一, 二十一, 一百零一 … (壹拾壹 in the legal style)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    zero = False
    for value, unit in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            zero = False
            if not (value == 10 and d == 1 and not out and not legal):
                out += digits[d]
            out += unit
        elif out:
            zero = True
    return out


_ROMAN: tuple[tuple[int, str], ...] = tuple(
    zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1), "M CM D CD C XC L XL X IX V IV I".split(), strict=True)
)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in _ROMAN:
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: … Z, AA, BB … up to 780 (ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ)
    if n <= 0 or n > 780:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_COUNTING = frozenset(
    {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"}
)


def format_number(n: int, fmt: str) -> str:
    """A list number in one of Word's numFmt styles (decimal when unknown)."""
    if fmt in ("none", "bullet"):
        return ""
    if fmt in _COUNTING:
        return _cn_count(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        legal = _LEGAL if fmt == "chineseLegalSimplified" else "零壹貳參肆伍陸柒捌玖"
        return _cn_count(n, legal, "拾", "佰", "仟", legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _BRANCHES[n - 1]
    if fmt == "ideographZodiacTraditional" and 1 <= n <= 60:
        return _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        if 1 <= n <= 20:
            return chr(0x2460 + n - 1)
        if 21 <= n <= 35:
            return chr(0x3251 + n - 21)
        if 36 <= n <= 50:
            return chr(0x32B1 + n - 36)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "ideographEnclosedCircle" and 1 <= n <= 10:
        return chr(0x3280 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n)) if n >= 0 else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    return str(n)


@dataclass
class _Level:
    start: int = 0  # ECMA-376: w:start defaults to 0
    fmt: str = "decimal"
    text: str | None = None
    legal: bool = False
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never
    suffix: str = "tab"
    pstyle: str | None = None
    bold: bool | None = None


def _level(el: ET.Element, base: _Level | None = None) -> _Level:
    lv = _Level() if base is None else _Level(**base.__dict__)
    for c in el:
        name = _local(c.tag)
        val = _attr(c, "val")
        if name == "start":
            lv.start = max(0, min(_int(val, 0) or 0, _MAX_START))
        elif name == "numFmt":
            lv.fmt = val or "decimal"
        elif name == "lvlText":
            lv.text = val
        elif name == "isLgl":
            lv.legal = bool(_on(c))
        elif name == "lvlRestart":
            lv.restart = _int(val)
        elif name == "suff":
            lv.suffix = val or "tab"
        elif name == "pStyle":
            lv.pstyle = val
        elif name == "rPr":
            lv.bold = _on(_child(c, "b"))
    return lv


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, tuple[int | None, _Level | None]] = field(default_factory=dict)


class _Numbering:
    """Word's list counters: one per abstract numbering, shared by its instances."""

    def __init__(self, root: ET.Element | None, styles: _Styles) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}  # abstract → numbering style it defers to
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[tuple[str, int]] = set()
        self.styles = styles
        if root is None:
            return
        for el in root:
            name = _local(el.tag)
            if name == "abstractNum":
                aid = _attr(el, "abstractNumId") or ""
                levels: dict[int, _Level] = {}
                for c in el:
                    if _local(c.tag) == "lvl":
                        ilvl = _int(_attr(c, "ilvl"), 0) or 0
                        if 0 <= ilvl < _LEVELS:  # Word has nine; others are never shown
                            levels[ilvl] = _level(c)
                    elif _local(c.tag) == "numStyleLink" and _attr(c, "val"):
                        self.style_link[aid] = _attr(c, "val") or ""
                self.abstracts[aid] = levels
            elif name == "num":
                nid = _attr(el, "numId") or ""
                num = _Num(_attr(_child(el, "abstractNumId"), "val") or "")
                for c in el:
                    if _local(c.tag) == "lvlOverride":
                        ilvl = _int(_attr(c, "ilvl"), 0) or 0
                        if not 0 <= ilvl < _LEVELS:
                            continue
                        start = _int(_attr(_child(c, "startOverride"), "val"))
                        if start is not None:
                            start = max(0, min(start, _MAX_START))
                        lvl_el = _child(c, "lvl")
                        num.overrides[ilvl] = (start, _level(lvl_el) if lvl_el is not None else None)
                self.nums[nid] = num

    def _abstract(self, num: _Num) -> str:
        aid = num.abstract
        link = self.style_link.get(aid)
        if link:
            # a list style: its numbering instance holds the real definition
            style_num, _ = self.styles.numbering(link)
            target = self.nums.get(style_num or "")
            if target is not None and target.abstract != aid:
                return target.abstract
        return aid

    def level_of(self, num_id: str, pstyle: str | None) -> int:
        """The level a style-numbered paragraph takes: the one linked to its style."""
        num = self.nums.get(num_id)
        if num is None:
            return 0
        for ilvl, lv in self.abstracts.get(self._abstract(num), {}).items():
            if pstyle and lv.pstyle == pstyle:
                return ilvl
        return 0

    def next(self, num_id: str, ilvl: int) -> tuple[str, bool | None]:
        """The marker text of the next paragraph in list ``num_id`` at ``ilvl``."""
        num = self.nums.get(num_id)
        if num is None:
            return "", None
        aid = self._abstract(num)
        levels = dict(self.abstracts.get(aid, {}))
        for k, (_, lv) in num.overrides.items():
            if lv is not None:
                levels[k] = lv
        if ilvl not in levels:
            return "", None
        counters = self.counters.setdefault(aid, [None] * _LEVELS)

        def start(k: int) -> int:
            ov = num.overrides.get(k)
            if ov and ov[0] is not None:
                return ov[0]
            return levels[k].start if k in levels else 0

        if (num_id, ilvl) not in self.seen:
            self.seen.add((num_id, ilvl))
            ov = num.overrides.get(ilvl)
            if ov is not None and ov[0] is not None:
                counters[ilvl] = None  # a restart: "Set numbering value" / "Restart at 1"
        cur = counters[ilvl]
        counters[ilvl] = start(ilvl) if cur is None else min(cur + 1, _MAX_START)
        for k in range(ilvl + 1, len(counters)):
            lv = levels.get(k)
            restart = lv.restart if lv is not None else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[k] = None
        lv = levels[ilvl]
        if lv.fmt == "bullet" or not lv.text:
            return "", lv.bold

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters[k] if counters[k] is not None else start(k)
            assert value is not None
            fmt = "decimal" if lv.legal and k != ilvl else (levels[k].fmt if k in levels else "decimal")
            return format_number(value, fmt)

        # a level text is a few characters (%1、 or （%1）); a longer one is not
        # a number Word would show, and would repeat its numbers (%1%1%1…)
        marker = re.sub(r"%([1-9])", sub, lv.text[:_MAX_MARKER])[:_MAX_MARKER]
        if marker and (lv.suffix == "space" or (lv.suffix == "tab" and marker[-1].isascii() and marker[-1] not in ")]")):
            # a space as Word shows it; a tab only after 1. or A (1. 2024年 must
            # not read as 1.2024), never after 、 or ）, where it is layout
            marker += " "
        return marker, lv.bold


# ---------------------------------------------------------------- body

_CONTAINERS = frozenset({"hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdtContent"})
_SKIP_IN_PARA = frozenset({"pPr", "del", "moveFrom", "AlternateContent", "proofErr", "bookmarkStart", "bookmarkEnd"})


@dataclass
class _Para:
    index: int
    heading_level: int | None
    pieces: list[list[tuple[str, bool]]]  # text lines (w:br splits) of (char, bold)


class _Reader:
    def __init__(self, pkg: _Package) -> None:
        self.pkg = pkg
        self.styles = _Styles(pkg.xml(pkg.parts.get("styles", "word/styles.xml")))
        self.numbering = _Numbering(pkg.xml(pkg.parts.get("numbering", "word/numbering.xml")), self.styles)
        self.paras: list[_Para] = []
        self.count = 0
        self.chars = 0

    def body(self, root: ET.Element) -> None:
        body = _child(root, "body")
        if body is None:
            raise InputError(f"{self.pkg.source}: is a damaged .docx (its document has no body)")
        stack: list[ET.Element] = list(reversed(list(body)))
        while stack:
            el = stack.pop()
            name = _local(el.tag)
            if name == "p":
                self.paragraph(el)
            elif name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml"):
                stack.extend(reversed([c for c in el if _local(c.tag) not in ("tblPr", "trPr", "tcPr", "sdtPr", "tblGrid")]))

    def paragraph(self, p: ET.Element) -> None:
        self.count += 1
        ppr = _child(p, "pPr")
        sid = _attr(_child(ppr, "pStyle"), "val") or self.styles.default_para
        para_bold = self.styles.bold(sid)
        heading = None
        outline = _int(_attr(_child(ppr, "outlineLvl"), "val"))
        if outline is not None:
            heading = outline + 1 if outline < 9 else None
        else:
            heading = self.styles.heading_level(sid)
        if heading is not None:
            heading = min(heading, 6)

        lines: list[list[tuple[str, bool]]] = [[]]
        self._runs(p, lines, para_bold)

        numpr = _child(ppr, "numPr")
        num_id = _attr(_child(numpr, "numId"), "val")
        ilvl = _int(_attr(_child(numpr, "ilvl"), "val"))
        if num_id is None:
            style_num, style_ilvl = self.styles.numbering(sid)
            num_id = style_num
            if ilvl is None:
                ilvl = style_ilvl
            if num_id is not None and ilvl is None:
                ilvl = self.numbering.level_of(num_id, sid)
        if num_id is not None and num_id != "0":
            marker, mbold = self.numbering.next(num_id, ilvl or 0)
            if marker:
                # the number takes its level's bold, or the bold of the text it heads
                first = next((b for line in lines for _, b in line), False)
                b = first if mbold is None else mbold
                lines[0][:0] = [(c, b) for c in marker]
        if any(lines):  # an empty paragraph is spacing: only its line number counts
            self.paras.append(_Para(self.count, heading, lines))

    def _runs(self, el: ET.Element, lines: list[list[tuple[str, bool]]], para_bold: bool | None) -> None:
        # an explicit stack: containers nest as deep as the file says (2,000
        # hyperlinks inside each other), recursion would not do
        stack: list[ET.Element] = list(reversed(list(el)))
        while stack:
            c = stack.pop()
            name = _local(c.tag)
            if name == "r":
                self._run(c, lines, para_bold)
            elif name == "sdt":
                content = _child(c, "sdtContent")
                stack.extend(reversed(list(content if content is not None else c)))
            elif name in _CONTAINERS:
                stack.extend(reversed(list(c)))

    def _run(self, r: ET.Element, lines: list[list[tuple[str, bool]]], para_bold: bool | None) -> None:
        rpr = _child(r, "rPr")
        if _on(_child(rpr, "vanish")):
            return
        bold = _on(_child(rpr, "b"))
        if bold is None:
            bold = self.styles.bold(_attr(_child(rpr, "rStyle"), "val"))
        if bold is None:
            bold = para_bold if para_bold is not None else self.styles.default_bold
        for c in r:
            name = _local(c.tag)
            if name == "t":
                text = c.text or ""
                self.chars += len(text)
                if self.chars > MAX_TEXT_CHARS:
                    raise InputError(too_much_text(self.pkg.source))
                lines[-1].extend((ch, bold) for ch in text if ch not in INVISIBLE)
            elif name in ("tab", "ptab"):
                lines[-1].append(("\t", bold))
            elif name in ("br", "cr"):
                lines.append([])
            elif name == "noBreakHyphen":
                lines[-1].append(("-", bold))


def read_docx(data: bytes, source: str, encoding: str | None = None) -> Reading:
    pkg = _Package(data, source)
    reader = _Reader(pkg)
    root = pkg.xml(pkg.main, required=True)
    assert root is not None
    reader.body(root)

    # the provenance text: one line per paragraph, its number included
    texts: list[str] = [""] * reader.count
    blocks: list[Block] = []
    starts: list[int] = []
    pos = 0
    by_index = {p.index: p for p in reader.paras}
    for i in range(1, reader.count + 1):
        starts.append(pos)
        para = by_index.get(i)
        if para is not None:
            texts[i - 1] = " ".join("".join(ch for ch, _ in line) for line in para.pieces).replace("\n", " ")
        pos += len(texts[i - 1]) + 1
    for para in reader.paras:
        off = starts[para.index - 1]
        lines: list[SrcLine] = []
        for line in para.pieces:
            sl = SrcLine(para.index)
            for ch, b in line:
                sl.add(" " if ch == "\t" else ch, off, b)
                off += 1
            off += 1  # the space that stands for a line break
            lines.append(sl)
        if para.heading_level is not None:
            blocks.append(Block(lines, para.heading_level))
        else:
            # a manual line break (Shift+Enter) ends a line, and the plain-text
            # rules decide, as for a text file, whether it ends a paragraph
            blocks.extend(Block([ln]) for ln in lines)
    repairs: list[Repair] = []
    paras = assemble(blocks, repairs)
    meta: list[tuple[str, str]] = [("format", "docx"), ("line_unit", "paragraph")]
    core = pkg.xml("docProps/core.xml")
    titles = [c.text.strip() for c in (core if core is not None else []) if _local(c.tag) == "title" and c.text]
    title = next((t for t in titles if t), None)
    if title:
        meta.append(("title", title))
    return Reading(paras, "\n".join(texts), "utf-8", repairs, tuple(meta))
