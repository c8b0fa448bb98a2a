"""HTML (.html/.htm, or a page's source saved as .txt): the article body only.

The standard library's ``html.parser`` is enough: the page becomes a light
tree (with the usual implicit closes of ``<p>``, ``<li>``, ``<td>``), then

* script, style, comments, forms' controls, ``<nav>``/``<aside>`` and hidden
  elements are dropped; link lists (navigation, related articles) are dropped;
* the article body is the deepest element holding most (80 %) of the text in
  sentence-bearing blocks; a page's ``<h1>`` title outside it is kept;
* ``<p>``, ``<div>``, ``<li>``, ``<tr>``, ``<br>`` and the other block
  elements break paragraphs; inline runs (Word's one ``<span>`` per run) flow
  on, with HTML's whitespace rules (a line break between two Han characters
  is no space);
* ``<strong>``/``<b>``, ``font-weight`` styles and CMS "bold" classes mark
  bold, and bold at a paragraph's start (even only on its marker, ``<b>一是</b>``)
  is the run-in heading signal; ``<h1>``–``<h6>`` are explicit headings;
* ``<title>``, ``<meta>`` and the canonical link give document metadata.

Offsets and lines refer to the decoded page source (line ends normalised), so
a measure can be found in the page's source by its line.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import InputError
from ..model import Repair
from ..normalise import normalise
from ..paragraphs import LineIndex
from ..read import _BOMS, decode
from .common import (
    INVISIBLE,
    MAX_TEXT_CHARS,
    Block,
    Reading,
    SrcLine,
    assemble,
    collapse_spaces,
    merge_meta,
    meta_pairs,
    normalise_date,
    parse_byline,
    split_names,
    too_much_text,
)

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr basefont frame keygen isindex".split())
_DROP = frozenset(
    "script style noscript template iframe frame frameset svg math object embed canvas select option "
    "button textarea input nav aside map audio video head title noembed noframes".split()
)
_BLOCK = frozenset(
    "address article blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form header hgroup hr html legend li main menu ol p pre section summary table tbody tfoot thead tr ul".split()
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_CLOSES_P = _BLOCK | frozenset(_HEADINGS) - {"body", "html", "caption", "tbody", "tfoot", "thead", "tr"}
_P_SCOPE = frozenset("td th table body html caption button template object marquee applet".split())
_CELLS = frozenset({"td", "th"})
_STRONG_CLASSES = frozenset(
    "bold strong b fb fwb fw-bold fw700 font-bold fontbold text-bold txt-bold f-bold font-weight-bold "
    "bolder weight-bold strongtext jiacu".split()
)
_CHROME = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|share|bdshare|bdsharebuttonbox|toolbar|pagination|pager|"
    r"qrcode|ewm|sidebar|footer|copyright|comments?|related|recommend|xgxw|fxdh)(?:$|[\s_-])",
    re.I,
)
_WEIGHT = re.compile(r"(?:^|[;\s\"'])font-weight\s*:\s*([a-z0-9]+)", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_SENTENCE = re.compile("[，。；：！？,;!?]")

_WEB_CODECS = frozenset(
    "gb18030 gbk gb2312 big5 big5hkscs euc_jp shift_jis cp932 iso2022_jp euc_kr cp949 latin-1 ascii "
    "koi8-r koi8-u cp866 cp874 iso8859-1 windows-1252".split()
)
# A page may be big (saved with its images inline), but beyond these it is no
# page of writing: refused before the parser builds a tree for it.
MAX_HTML_BYTES = 64 * 1024 * 1024
MAX_ELEMENTS = 1_000_000
# Browsers stop nesting at 512 elements deep (Blink); pages nest 40 deep at most
MAX_DEPTH = 256
# Elements whose content is text for the tokenizer, never markup (HTML5 raw text)
_RAW_TEXT = ("script", "style", "noembed", "noframes", "xmp", "iframe", "noscript", "textarea", "title", "plaintext")
# ``&#`` not followed by a number: Python 3.11's tokenizer then takes the rest of
# the page as text (a script's source among it). Such an ``&`` is handed to it as
# a private-use stand-in of the same length, and read back as ``&``.
_BAD_CHARREF = re.compile(r"&(?=#(?![0-9]|[xX][0-9a-fA-F]))")
_AMP = "\ufdd0"
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "csgb2312", "chinese", "gb18030", "euc-cn"}
_META = {
    "og:title": "title",
    "articletitle": "title",
    "dc.title": "title",
    "article:published_time": "date",
    "pubdate": "date",
    "publishdate": "date",
    "firstpublishedtime": "date",
    "publish_date": "date",
    "dc.date": "date",
    "date": "date",
    "og:url": "url",
    "author": "author",
    "dc.creator": "author",
    "article:author": "author",
    "contentsource": "publication",
    "source": "publication",
    "og:site_name": "publication",
}


# ---------------------------------------------------------------- decoding


def decode_html(data: bytes, source: str, encoding: str | None) -> tuple[str, str, list[Repair]]:
    """Decode a page: --encoding, then a BOM, then its declared charset, then UTF-8/GB18030."""
    if encoding or any(data.startswith(bom) for bom, _ in _BOMS):
        text, enc = decode(data, source, encoding)
        return text, enc, []
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"{source}: is {len(data) >> 20} MB of HTML, more than a page holds (limit {MAX_HTML_BYTES >> 20} MB)")
    m = _CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        name = _web_codec(declared)
        if name is None:
            text, enc = decode(data, source)
            why = f"the page declares charset {declared}, which is not a web page's encoding; read as {enc}"
            return text, enc, [Repair("charset", (), why)]
        try:
            return data.decode(name), name, []
        except UnicodeDecodeError:
            text, enc = decode(data, source)
            why = f"the page declares charset {declared}, which does not decode it; read as {enc}"
            return text, enc, [Repair("charset", (), why)]
    text, enc = decode(data, source)
    return text, enc, []


def _web_codec(declared: str) -> str | None:
    """The codec for a page's declared charset, or None when no browser would use it.

    A ``<meta>`` charset is a label of the WHATWG Encoding Standard: text
    transforms Python also calls codecs (unicode_escape, rot13, base64, idna,
    utf-7) are not, and UTF-16/32 declared in a page that is ASCII-compatible
    enough to say so is read as UTF-8, as browsers do (a real UTF-16 page
    carries a BOM, which was honoured before).
    """
    if declared in _GB:
        return "gb18030"
    if declared in ("big5", "x-big5", "cn-big5", "big5-hkscs"):
        return "big5hkscs"
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")) or name == "utf-8":
        return "utf-8"
    web = name in _WEB_CODECS or name.startswith(("iso8859", "cp125", "mac-"))
    return name if web else None


# ---------------------------------------------------------------- the tree


class _Text:
    __slots__ = ("off", "step", "text")

    def __init__(self, text: str, off: int, step: int = 1) -> None:
        self.text = text
        self.off = off
        self.step = step  # 0: every character comes from one entity at ``off``


class _El:
    __slots__ = ("attrs", "children", "off", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _El | None, off: int = 0) -> None:
        self.tag = tag
        self.off = off
        self.attrs = attrs
        self.parent = parent
        self.children: list[_El | _Text] = []


class _TreeBuilder(HTMLParser):
    CDATA_CONTENT_ELEMENTS = _RAW_TEXT  # type: ignore[misc]  # HTML5's raw text elements, not 3.11's two

    def __init__(self, text: str, source: str = "") -> None:
        super().__init__(convert_charrefs=False)
        self.src = text
        self.source = source
        self.chars = 0
        self.elements = 0
        self.flattened = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.root = _El("#document", {}, None)
        self.stack = [self.root]
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self._in_title = False

    def _off(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def _pop_to(self, i: int) -> None:
        del self.stack[i:]

    def _close_in_scope(self, tags: frozenset[str] | set[str], scope: frozenset[str] | set[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                self._pop_to(i)
                return
            if t in scope:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        self._collect_meta(tag, a)
        if tag == "title":
            self._in_title = True
        if tag in _CLOSES_P:
            self._close_in_scope({"p"}, _P_SCOPE)
        if tag == "li":
            self._close_in_scope({"li"}, frozenset({"ul", "ol", "table"}))
        elif tag in ("dt", "dd"):
            self._close_in_scope({"dt", "dd"}, frozenset({"dl", "table"}))
        elif tag in _CELLS:
            self._close_in_scope(set(_CELLS), frozenset({"tr", "table"}))
        elif tag == "tr":
            self._close_in_scope({"tr"}, frozenset({"table"}))
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise InputError(f"{self.source}: holds more than {MAX_ELEMENTS} HTML elements, more than a page of writing has")
        el = _El(tag, a, self.stack[-1], self._off())
        self.stack[-1].children.append(el)
        if tag not in _VOID:
            if len(self.stack) > MAX_DEPTH:
                self.flattened += 1  # as browsers do: deeper elements become siblings
                return
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "br":  # </br> is read as <br> by browsers
            self.stack[-1].children.append(_El("br", {}, self.stack[-1], self._off()))
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._pop_to(i)
                return

    def handle_data(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > MAX_TEXT_CHARS:
            raise InputError(too_much_text(self.source))
        if _AMP in data:
            data = data.replace(_AMP, "&")
        if self._in_title:
            self.title.append(data)
        self.stack[-1].children.append(_Text(data, self._off()))

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # <![CDATA[ is the only marked section HTML knows; Python 3.11 raises
        # AssertionError on any other (<![CDA, <![if …]>): a bogus comment to
        # the next ">" (HTML5), skipped
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            j = self.rawdata.find(">", i + 3)
            return -1 if j == -1 else j + 1

    def close(self) -> None:
        # what is left unparsed at the end: an unclosed comment, tag or
        # declaration runs to the end of the page (HTML5), it is never text
        if re.match(r"<[!/?A-Za-z]", self.rawdata):
            self.rawdata = ""
        super().close()

    def _ref(self, decoded: str) -> None:
        if self._in_title:
            self.title.append(decoded)
        self.stack[-1].children.append(_Text(decoded, self._off(), 0))

    def handle_entityref(self, name: str) -> None:
        raw = f"&{name};"
        decoded = html.unescape(raw)
        if decoded == raw:  # not an entity: keep what the page says
            off = self._off()
            end = off + 1 + len(name)
            decoded = self.src[off : end + (1 if self.src[end : end + 1] == ";" else 0)]
        self._ref(decoded)

    def handle_charref(self, name: str) -> None:
        digits = name[1:] if name[:1] in "xX" else name
        if len(digits.lstrip("0")) > 8:
            self._ref("\ufffd")  # beyond Unicode (and beyond int()'s 4,300 digits)
            return
        self._ref(html.unescape(f"&#{name};"))

    def _collect_meta(self, tag: str, a: dict[str, str]) -> None:
        if tag == "meta":
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            target = _META.get(key)
            value = a.get("content", "").strip()
            if target and value:
                self.meta.setdefault(target, value)
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.meta.setdefault("url", a["href"].strip())


# ---------------------------------------------------------------- blocks


@dataclass
class _HBlock:
    lines: list[SrcLine]
    path: tuple[_El, ...]
    heading_level: int | None = None
    link_chars: int = 0
    pre: bool = False
    text: str = ""
    break_before: bool = False


@dataclass
class _Walk:
    blocks: list[_HBlock] = field(default_factory=list)
    line: SrcLine | None = None
    lines: list[SrcLine] = field(default_factory=list)
    path: tuple[_El, ...] = ()
    heading: int | None = None
    link_chars: int = 0
    pre: bool = False

    def text(self, t: _Text, bold: bool, link: bool, path: tuple[_El, ...]) -> None:
        if self.line is None:
            self.line = SrcLine(0)
            self.path = path
        for i, ch in enumerate(t.text):
            if ch in INVISIBLE or ch == "\r":
                continue
            if ch == "\n" and self.pre:
                self.lines.append(self.line)
                self.line = SrcLine(0)
                continue
            self.line.add(ch, t.off + i * t.step, bold)
            if link and not ch.isspace():
                self.link_chars += 1

    def space(self, off: int) -> None:
        if self.line is not None:
            self.line.add(" ", off)

    def end(self) -> None:
        if self.line is not None:
            self.lines.append(self.line)
        lines = [ln if self.pre else collapse_spaces(ln) for ln in self.lines]
        lines = [s for s in (ln.stripped() for ln in lines) if s.chars]
        if lines:
            text = "".join(ln.text for ln in lines)
            self.blocks.append(_HBlock(lines, self.path, self.heading, self.link_chars, self.pre, text))
        self.line = None
        self.lines = []
        self.path = ()
        self.link_chars = 0


def _hidden(el: _El) -> bool:
    return "hidden" in el.attrs or bool(_HIDDEN.search(el.attrs.get("style", "")))


def _bold(el: _El, inherited: bool) -> bool:
    m = _WEIGHT.search(el.attrs.get("style", ""))
    if m:
        w = m.group(1).lower()
        if w in ("bold", "bolder") or (w.isdigit() and int(w) >= 600):
            return True
        if w in ("normal", "lighter") or w.isdigit():
            return False
    if el.tag in ("b", "strong", "th") or el.tag in _HEADINGS:
        return True
    classes = el.attrs.get("class", "").lower().split()
    if any(c in _STRONG_CLASSES for c in classes):
        return True
    return inherited


def _blocks(root: _El) -> list[_HBlock]:
    w = _Walk()
    # an explicit stack: pages nest deeply (unclosed <font>), recursion would not do
    stack: list[tuple[str, object, bool, bool, tuple[_El, ...], bool]] = [("enter", root, False, False, (), False)]
    while stack:
        kind, node, bold, link, path, ignore_pad = stack.pop()
        if kind == "exit":
            el = node
            assert isinstance(el, _El)
            if el.tag in _HEADINGS or el.tag in _BLOCK or el.tag == "li":
                w.end()
                if el.tag in _HEADINGS:
                    w.heading = None
                if el.tag == "pre":
                    w.pre = False
            continue
        if isinstance(node, _Text):
            if ignore_pad and not node.text.strip(" \u00a0\t\n"):
                continue  # Word's padding after a list number (mso-list:Ignore)
            w.text(node, bold, link, path)
            continue
        assert isinstance(node, _El)
        el = node
        tag = el.tag
        if tag in _DROP or _hidden(el):
            continue
        if tag == "br" or tag == "hr":
            w.end()
            continue
        if tag in _CELLS:
            w.space(el.off)
        here = (*path, el)
        block = tag in _HEADINGS or tag in _BLOCK
        if block:
            w.end()
            if tag in _HEADINGS:
                w.heading = _HEADINGS[tag]
            if tag == "pre":
                w.pre = True
        b = _bold(el, bold)
        pad = ignore_pad or "mso-list:ignore" in el.attrs.get("style", "").lower().replace(" ", "")
        stack.append(("exit", el, b, link, here, pad))
        for child in reversed(el.children):
            stack.append(("enter", child, b, link or tag == "a", here, pad))
    w.end()
    return w.blocks


def _content_len(b: _HBlock) -> int:
    """Characters of running text a block holds (0 for titles, links, chrome)."""
    if b.heading_level is not None or len(b.text) < 10 or not _SENTENCE.search(b.text):
        return 0
    return max(0, len(b.text) - b.link_chars)


def _is_chrome(el: _El) -> bool:
    if el.tag in ("header", "footer"):
        return True
    label = f"{el.attrs.get('id', '')} {el.attrs.get('class', '')}"
    return bool(_CHROME.search(label))


def _select(blocks: list[_HBlock]) -> list[_HBlock]:
    """The article: chrome and link lists out, then the element holding the text."""
    total = sum(_content_len(b) for b in blocks)
    share: dict[int, int] = {}
    for b in blocks:
        c = _content_len(b)
        for el in b.path:
            share[id(el)] = share.get(id(el), 0) + c

    def keep(b: _HBlock) -> bool:
        if b.heading_level == 1:
            return True  # a page's title sits in <header> as often as not
        for el in b.path:
            if _is_chrome(el) and share.get(id(el), 0) < 0.5 * total:
                return False
        # a list of links with no sentence in it: navigation, "related" lists
        return not (b.link_chars >= 0.6 * len(b.text.replace(" ", "")) and not _SENTENCE.search(b.text))

    kept = [b for b in blocks if keep(b)]
    total = sum(_content_len(b) for b in kept)
    if total == 0:
        return kept
    # descend while one child holds 80 % of the running text in several
    # blocks (a lone paragraph is not an article body)
    root: _El | None = None
    depth = 0
    while True:
        counts: dict[int, tuple[_El, int, int]] = {}
        for b in kept:
            if len(b.path) > depth and (depth == 0 or b.path[depth - 1] is root):
                el = b.path[depth]
                _, chars, n = counts.get(id(el), (el, 0, 0))
                counts[id(el)] = (el, chars + _content_len(b), n + 1)
        best = max(counts.values(), key=lambda t: t[1], default=None)
        if best is None or best[1] < 0.8 * total or best[2] < 2:
            break
        root = best[0]
        depth += 1
    if root is None:
        return kept
    inside = [b for b in kept if root in b.path]
    if inside and not any(b.heading_level == 1 for b in inside):
        first = kept.index(inside[0])
        titles = [b for b in kept[:first] if b.heading_level == 1]
        if titles:
            inside.insert(0, titles[-1])
    return inside


# ---------------------------------------------------------------- reader


def read_html(data: bytes, source: str, encoding: str | None = None) -> Reading:
    text, enc, repairs = decode_html(data, source, encoding)
    norm, more = normalise(text)
    return parse_html(norm, enc, repairs + more, source)


_CHUNK = 1 << 20


def parse_html(norm: str, encoding: str = "utf-8", repairs: list[Repair] | None = None, source: str = "") -> Reading:
    repairs = list(repairs or [])
    front: dict[str, str] = {}
    start = _front_matter(norm, front)
    tb = _TreeBuilder(norm, source)
    tokens = _BAD_CHARREF.sub(_AMP, norm) if "&#" in norm else norm
    if start:  # front matter before the page: metadata, blanked out for the tokenizer
        tokens = re.sub(r"[^\n]", " ", tokens[:start]) + tokens[start:]
    for i in range(0, len(tokens), _CHUNK):  # by chunks: a limit stops the parse early
        tb.feed(tokens[i : i + _CHUNK])
    tb.close()
    if tb.flattened:
        what = f"{tb.flattened} element(s) nested deeper than {MAX_DEPTH} read as siblings, as browsers do"
        repairs.append(Repair("html-depth", (), what))
    body = _find(tb.root, "body") or tb.root
    index = LineIndex(norm)
    every = _blocks(body)
    chosen = _select(every)
    found: dict[str, str] = {}
    chosen = _drop_furniture(chosen, found, repairs, index)
    blocks: list[Block] = []
    for hb in chosen:
        for ln in hb.lines:
            ln.line = index.line(ln.src[0])
            ln.end_line = index.line(ln.src[-1])
        blocks.append(Block(hb.lines, hb.heading_level, hb.break_before))
    paras = assemble(blocks, repairs)

    # metadata: front matter, then the page's <meta> tags, then what its text says
    meta: dict[str, str] = {}
    merge_meta(meta, front)
    tags = dict(tb.meta)
    if "date" in tags:
        tags["date"] = normalise_date(tags["date"])
    if "author" in tags:
        tags["author"] = split_names(tags["author"])
    merge_meta(meta, tags)
    page_title = re.sub(r"\s+", " ", html.unescape("".join(tb.title))).strip()
    if "title" in meta:
        meta["title"] = _headline(meta["title"], every)
    elif page_title or any(b.heading_level == 1 for b in every):
        meta["title"] = _headline(page_title, every)
    merge_meta(meta, found)
    return Reading(paras, norm, encoding, repairs, meta_pairs("html", meta))


def _front_matter(norm: str, meta: dict[str, str]) -> int:
    """Front matter before a page (a scrape saved as .txt): its end offset, or 0."""
    if not norm.startswith(("---", "+++")):
        return 0
    from .markdown import _front_matter as read_front

    lines = norm[:65536].split("\n")
    first = read_front(lines, meta)
    return sum(len(ln) + 1 for ln in lines[:first]) if first else 0


# <title> separators between the headline and the site's name (a lone "-" or
# "——" is too often part of the headline itself: 9月23日-9月29日, ——学习贯彻…)
_TITLE_SEP = re.compile(r"\s*(?:--|_|\||｜| - | – | — )\s*")


def _headline(page_title: str, blocks: list[_HBlock]) -> str:
    """The page's headline: a heading the <title> names, else the <title>'s first part."""
    parts = [p for p in _TITLE_SEP.split(page_title) if p]
    first = parts[0] if parts else page_title
    heads = [b for b in blocks if b.heading_level is not None and b.heading_level <= 3 and 4 <= len(b.text) <= 120]
    for b in heads:
        text = b.text.strip()
        if first and (text.startswith(first) or (len(text) >= 6 and text in page_title)):
            return text
    if not first:
        h1 = [b.text.strip() for b in blocks if b.heading_level == 1 and b.text.strip()]
        return h1[0] if len(h1) == 1 else ""
    return first


# ---------------------------------------------------------------- page furniture

_LABEL = (
    r"(?:文章来源|稿件来源|信息来源|来源|作者|发布时间|发布日期|更新时间"
    r"|时间|日期|点击数|点击量|浏览次数|阅读次数|责任编辑|编辑|字号)"
)
_PROPERTY = re.compile(rf"^{_LABEL}\s*[：:]")
_PROP_FIELD = re.compile(rf"({_LABEL})\s*[：:]\s*([^\s：:]*(?:\s\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)")
_BREADCRUMB = re.compile(
    r"^(?:您的位置|您现在的位置|你现在的位置|当前位置|所在位置)\s*[：:]"
    r"|^\s*(?:网站)?首页\s*(?:>|>>|»|›|→|/|＞)"
)
_TOOL = (
    r"(?:下载|打印|全屏|收藏|关闭|关闭窗口|分享到?|字号|默认|大|中|小|返回顶部"
    r"|打印本页|关闭本页|微信|微博|QQ空间|纠错|我要纠错|扫一扫|复制链接)"
)
_TOOLBAR = re.compile(rf"^[\s【】\[\]|/｜·:：]*(?:{_TOOL}[\s【】\[\]|/｜·:：]*){{2,}}$")
_RELATED = re.compile(r"^(?:相关(?:报道|链接|新闻|阅读|文章|稿件)|延伸阅读|推荐阅读|热点推荐|更多)\s*(?:>>|》》|>|：|:)?$")
_FOOTER = re.compile(r"版权所有|Copyright|©|ICP备|ICP证|公网安备|主办单位|承办单位|技术支持|网站地图|联系我们|网站标识码")
# a posting time on its own (2026年02月10日 07时41分, 2026-02-10 07:41:00): a
# page stamps it, a document is dated without the time of day
_STAMP = re.compile(
    r"^\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
    r"\s*\d{1,2}\s*(?:[:：]\s*\d{2}|时\s*\d{1,2}\s*分?)(?:[:：]\d{2})?$"
)
_SOURCE_NOTE = re.compile(r"^[（(]\s*(?:来源|稿件来源|文章来源|转自|原载|刊于)\s*[：:]\s*([^（）()]{1,30})\s*[）)]$")


def _furniture(text: str, found: dict[str, str], near_top: bool) -> bool:
    """Is this block page furniture? What it says of the page goes to ``found``."""
    t = text.strip()
    if len(t) > 200 or not t:
        return False
    if _BREADCRUMB.search(t) or _TOOLBAR.match(t) or _RELATED.match(t):
        return True
    if _STAMP.match(t):
        found.setdefault("date", normalise_date(t))
        return True
    m = _SOURCE_NOTE.match(t)
    if m:
        found.setdefault("publication", m.group(1).strip("《》 "))
        return True
    if _PROPERTY.match(t) and not t.endswith("。"):
        for label, value in _PROP_FIELD.findall(t):
            value = value.strip()
            if not value:
                continue
            if "来源" in label:
                found.setdefault("publication", value.strip("《》"))
            elif label == "作者":
                found.setdefault("author", split_names(value))
            elif "时间" in label or "日期" in label:
                found.setdefault("date", normalise_date(value))
        return True
    if _FOOTER.search(t) and "。" not in t:
        return True
    by = parse_byline(t)
    if by is not None and (near_top or "publication" in by):
        for k, v in by.items():
            # the article's own byline outranks the site's property line
            found[k] = v if k == "author" else found.get(k, v)
        return True
    return False


def _drop_furniture(blocks: list[_HBlock], found: dict[str, str], repairs: list[Repair], index: LineIndex) -> list[_HBlock]:
    kept: list[_HBlock] = []
    dropped: list[_HBlock] = []
    body = 0
    after_drop = False
    for b in blocks:
        if b.heading_level is None:
            body += 1
            if _furniture(b.text, found, body <= 6):
                dropped.append(b)
                after_drop = True
                continue
        b.break_before = after_drop
        after_drop = False
        kept.append(b)
    if dropped:
        lines = tuple(dict.fromkeys(index.line(b.lines[0].src[0]) for b in dropped))
        shown = "、".join(dict.fromkeys(b.text.strip()[:40] for b in dropped[:8]))
        repairs.append(Repair("page-furniture", lines[:20], f"dropped {len(dropped)} line(s) of page furniture: {shown}"))
    return kept


def _find(root: _El, tag: str) -> _El | None:
    stack = [root]
    while stack:
        el = stack.pop()
        if el.tag == tag:
            return el
        stack.extend(c for c in reversed(el.children) if isinstance(c, _El))
    return None


def looks_like_html(head: str) -> bool:
    """Is this (the start of a file) a web page's source rather than text?"""
    h = head.lstrip("\ufeff \t\r\n").lower()
    if h.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in h[:4096]:
        return True
    if re.search(r"<(html|head|body)[\s>]", h[:4096]):
        return True
    # a fragment: mostly markup at the start, several paragraph tags
    return h.startswith("<") and len(re.findall(r"</(p|div|span|td|li|h[1-6])>|<br\s*/?>", h)) >= 3
