"""Markdown (.md): front matter, headings, bold run-in headings, source quotes.

Blocks come from markdown-it-py (CommonMark, linear in the input, already
installed with rich): headings, paragraphs, quotes, list items, tables,
fences and raw HTML, each with the source lines it stands on. Then:

* YAML (``---``) or TOML (``+++``) front matter becomes document metadata
  (title, author, date, url, publication), never content;
* ``#`` and setext headings are explicit headings (``heading_level``), and
  so is ``#标题`` without the space CommonMark wants (Chinese writers mean it);
  indented lines are paragraphs, never code;
* ``**bold**`` at a paragraph's start is the run-in heading signal
  (``bold_prefix``); emphasis, links, images, code spans and bullets are
  stripped from the text by our own inline pass, which keeps a map from every
  character to the source and pairs emphasis leniently (CommonMark's flanking
  rules refuse ``**健全现代化的基础设施。**一是``, which every Chinese writer
  means as bold);
* a newspaper byline (李合亮《人民日报》（2026年04月30日第 09 版）) or a ``>``
  quote that only names where the text was printed or links to it is
  metadata;
* ordered-list numbers stay as text (``1.``): they are the measure markers.

Lines keep their source line numbers; consecutive lines are judged by the
same wrap rules as plain text, since Chinese Markdown saved from text often
holds one paragraph per line with no blank line between.
"""

from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

from ..errors import InputError
from ..model import Repair
from ..normalise import normalise
from ..read import decode
from .common import (
    INVISIBLE,
    MAX_TEXT_CHARS,
    Block,
    Reading,
    SrcLine,
    assemble,
    meta_pairs,
    normalise_date,
    parse_byline,
    split_names,
    too_much_text,
)

_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

# A quote that only says where the text was printed: 《人民日报》（2024年03月13日 第 01 版）
_SOURCE_QUOTE = re.compile(
    r"^[（(]?\s*(?:(?:来源|出处|原载|刊于|转自|稿源|转载自?)\s*[：:]\s*)?"
    r"《[^《》]{1,40}》[^。！？!?]{0,60}$"
)
_URL_QUOTE = re.compile(
    r"^(?:(?:原文链接|原文地址|原文|链接|来源|出处|source|url|link)\s*[：:]\s*)?<?(https?://[^\s<>]+)>?$", re.I
)

_META_KEYS = {
    "title": "title",
    "标题": "title",
    "date": "date",
    "published": "date",
    "publish_date": "date",
    "published_at": "date",
    "pubdate": "date",
    "created": "date",
    "time": "date",
    "日期": "date",
    "url": "url",
    "link": "url",
    "source_url": "url",
    "original_url": "url",
    "canonical_url": "url",
    "origin": "url",
    "原文链接": "url",
    "source": "source",  # a URL or the publication
    "来源": "source",
    "author": "author",
    "authors": "author",
    "by": "author",
    "byline": "author",
    "作者": "author",
    "publication": "publication",
    "publisher": "publication",
    "newspaper": "publication",
}


def read_markdown(data: bytes, source: str, encoding: str | None = None) -> Reading:
    text, enc = decode(data, source, encoding)
    if len(text) > MAX_TEXT_CHARS and len(text) - sum(map(text.count, " \t\n\u3000")) > MAX_TEXT_CHARS:
        raise InputError(too_much_text(source))
    norm, repairs = normalise(text)
    return parse_markdown(norm, enc, repairs)


def _parser() -> MarkdownIt | None:
    """markdown-it-py's parser, or None where that declared dependency is missing (``_line_blocks`` reads then)."""
    if importlib.util.find_spec("markdown_it") is None:
        return None
    from markdown_it import MarkdownIt

    # CommonMark with tables; indented code is off: Chinese text is indented
    # with spaces as often as not, and four of them never mean code there
    # markdown-it's own inline pass is not run: ``_inline`` reads each line
    # with source offsets (and markdown-it-py's inline pass is slow on
    # 100,000 unclosed brackets, where ``_inline`` stays linear)
    md = MarkdownIt("commonmark").enable("table").disable(["code", "inline", "text_join"])
    md.options["maxNesting"] = _MAX_NESTING
    return md


_CJK_ATX = re.compile(r"^ {0,3}(#{1,6})(?=[^#\s\x00-\x7f])(.*?)[ \t]*$")


def parse_markdown(norm: str, encoding: str = "utf-8", repairs: list[Repair] | None = None) -> Reading:
    """Blocks by markdown-it-py (CommonMark, linear), with its line maps as provenance.

    markdown-it-py decides what is a heading, a paragraph, a quote, a list
    item, a table, a fence or raw HTML, and on which source lines each stands;
    each line's text is then found in its source line (after the container's
    prefix) and read by ``_inline``, so every character keeps its offset.
    """
    repairs = list(repairs or [])
    lines = norm.split("\n")
    starts = [0]
    for raw_line in lines:
        starts.append(starts[-1] + len(raw_line) + 1)
    # non-empty lines before each line: a bare role byline counts only near the top
    seen = [0]
    for raw_line in lines:
        seen.append(seen[-1] + (1 if raw_line.strip() else 0))
    meta: dict[str, str] = {}
    first = _front_matter(lines, meta)
    md = _parser()
    tokens = md.parse("\n".join(lines[first:])) if md is not None else []

    blocks: list[Block] = []
    pending_break = False  # a byline was dropped: the next block starts afresh
    quotes = 0
    items: list[Token] = []  # open list items; a fresh one keeps its number as text
    fresh_item = False

    def emit(block_lines: list[SrcLine], heading: int | None = None, brk: bool = False) -> None:
        nonlocal pending_break
        if brk:
            pending_break = True
        if not block_lines:
            return
        blocks.append(Block(block_lines, heading, pending_break and heading is None))
        pending_break = False

    def source_lines(tok: Token, content: str) -> list[tuple[int, int]]:
        """(line index, column) where each content line of ``tok`` starts in the source.

        A paragraph's n-th content line is its n-th source line (no blank line
        falls inside one); the column is where the text shows after the
        container's prefix (``>``, a list item's indent).
        """
        out: list[tuple[int, int]] = []
        k = first + (tok.map[0] if tok.map else 0)
        for n, c in enumerate(content.split("\n")):
            j = min(k + n, len(lines) - 1)
            probe = c.strip()
            col = lines[j].find(probe) if probe else -1
            if col == -1:  # markdown-it changed the text (a NUL): its indent, then
                col = len(lines[j]) - len(lines[j].lstrip())
            out.append((j, col))
        return out

    if md is None:
        # an environment without markdown-it-py (installed without its
        # dependencies): the blocks found line by line, said in a repair
        _line_blocks(lines, first, starts, seen, meta, emit)
        repairs.append(Repair("markdown-lines", (), "markdown-it-py is not installed: Markdown read line by line"))
    for idx, tok in enumerate(tokens):
        typ = tok.type
        if typ == "blockquote_open":
            quotes += 1
        elif typ == "blockquote_close":
            quotes -= 1
        elif typ == "list_item_open":
            items.append(tok)
            fresh_item = True
        elif typ == "list_item_close":
            items.pop()
            fresh_item = False
        elif typ == "heading_open":
            inline = tokens[idx + 1]
            level = int(tok.tag[1])
            if tok.markup[:1] in ("=", "-") and "\n" in inline.content:
                # a rule under several lines is a separator, not their heading
                _paragraph(source_lines(inline, inline.content), lines, starts, seen, meta, quotes, None, emit)
                continue
            (k, col), *_ = source_lines(inline, inline.content)
            text = lines[k][col : col + len(inline.content.split("\n")[0])] if inline.content else ""
            emit([_inline(text, starts[k] + col, k + 1)], level)
        elif typ == "paragraph_open":
            inline = tokens[idx + 1]
            marker = items[-1] if fresh_item and items and items[-1].info else None
            fresh_item = False
            _paragraph(source_lines(inline, inline.content), lines, starts, seen, meta, quotes, marker, emit)
        elif typ == "tr_open" and tok.map:
            k = first + tok.map[0]
            emit([_table_row(lines[k], starts[k], k + 1)])
        elif typ == "fence" and tok.map:
            code = []
            for k in range(first + tok.map[0] + 1, first + tok.map[1]):
                if k < len(lines) and not re.match(r"^ {0,3}(`{3,}|~{3,})[ \t]*$", lines[k]):
                    ln = SrcLine(k + 1)
                    ln.add(lines[k], starts[k])
                    code.append(ln)
            emit(code)
        elif typ == "html_block" and tok.map:
            if tok.content.lstrip().startswith("<!--"):
                continue  # a comment
            html_lines = []
            for k in range(first + tok.map[0], min(first + tok.map[1], len(lines))):
                ln = _inline(lines[k], starts[k], k + 1)
                if ln.text.strip():
                    html_lines.append(ln)
            emit(html_lines)
        # anything else (inline tokens are read with their block, rules and
        # list ends only end blocks) needs nothing

    lost = _beyond_nesting(tokens, lines, first, starts)
    if lost:
        # markdown-it stops at 20 nested quotes or lists (no recursion on
        # input-controlled depth): those lines are read as plain paragraphs
        blocks = sorted(blocks + [Block([ln]) for ln in lost], key=lambda b: b.lines[0].line)
        what = f"{len(lost)} line(s) nested deeper than {_MAX_NESTING} quotes or lists read as plain paragraphs"
        repairs.append(Repair("markdown-depth", tuple(ln.line for ln in lost[:20]), what))
    paras = assemble(blocks, repairs)
    if "title" not in meta:
        # the first level-1 heading names the document (it stays in the text)
        first_h1 = next((p for p in paras if p.heading_level == 1), None)
        if first_h1 is not None and first_h1.text.strip():
            meta["title"] = first_h1.text.strip()
    return Reading(paras, norm, encoding, repairs, meta_pairs("markdown", meta))


_MAX_NESTING = 20
_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])))+[ \t]*")


def _beyond_nesting(tokens: list[Token], lines: list[str], first: int, starts: list[int]) -> list[SrcLine]:
    """Non-blank lines no block covers: markdown-it skipped them past its nesting limit."""
    if max((t.level for t in tokens), default=0) < _MAX_NESTING - 2:
        return []  # the limit was never near: every line is in a block
    covered = bytearray(len(lines) + 1)
    for tok in tokens:
        if tok.map and tok.type in ("paragraph_open", "heading_open", "fence", "html_block", "hr", "table_open"):
            a, b = first + tok.map[0], first + tok.map[1]
            covered[a:b] = b"\x01" * (b - a)
    out: list[SrcLine] = []
    for k in range(first, len(lines)):
        if covered[k] or not lines[k].strip():
            continue
        m = _PREFIX.match(lines[k])
        col = m.end() if m else 0
        ln = _inline(lines[k][col:], starts[k] + col, k + 1)
        if ln.text.strip():
            out.append(ln)
    return out


def _paragraph(
    where: list[tuple[int, int]],
    lines: list[str],
    starts: list[int],
    seen: list[int],
    meta: dict[str, str],
    quotes: int,
    marker: Token | None,
    emit: Callable[..., None],
) -> None:
    """One paragraph's lines: bylines and source notes out, ``#标题`` lines as headings."""
    out: list[SrcLine] = []
    for n, (k, col) in enumerate(where):
        raw = lines[k]
        if n == 0 and marker is not None:
            # an ordered list's number is the marker a reader cites: keep it as text
            at = raw.rfind(marker.info + marker.markup, 0, col + 1)
            col = at if at != -1 else col
        m = _CJK_ATX.match(raw[col:]) if quotes == 0 else None
        if m:  # 标题 after # with no space: what Chinese writers mean
            emit(out)
            out = []
            emit([_inline(m.group(2), starts[k] + col + m.start(2), k + 1)], len(m.group(1)))
            continue
        ln = _inline(raw[col:], starts[k] + col, k + 1)
        said = ln.text.strip()
        if quotes and _is_source_quote(said, meta):
            emit(out)
            out = []
            emit_break(emit)
            continue
        if not out and not quotes and _is_byline(said, meta, seen[k + 1] <= 12):
            emit(out)
            emit_break(emit)
            continue
        out.append(ln)
    emit(out)


_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE_LINE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ITEM_START = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")


def _line_blocks(
    lines: list[str], first: int, starts: list[int], seen: list[int], meta: dict[str, str], emit: Callable[..., None]
) -> None:
    """Blocks found line by line, for an environment without markdown-it-py.

    What Chinese policy Markdown uses: ATX headings (also ``#标题``), blank
    lines, rules, fences, tables, quotes and list items (a bullet is dropped,
    an ordered item's number stays as text, as with markdown-it). Each
    paragraph then goes through ``_paragraph`` like markdown-it's.
    """
    where: list[tuple[int, int]] = []
    quotes = 0
    fence: str | None = None

    def flush() -> None:
        nonlocal where
        if where:
            _paragraph(where, lines, starts, seen, meta, quotes, None, emit)
        where = []

    for k in range(first, len(lines)):
        raw = lines[k]
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            elif raw.strip():
                ln = SrcLine(k + 1)
                ln.add(raw, starts[k])
                emit([ln])
            continue
        stripped = raw.strip()
        if not stripped or _RULE_LINE.match(raw) or stripped.startswith("<!--"):
            flush()
            continue
        if (m := _FENCE.match(raw)) is not None:
            flush()
            fence = m.group(1)[:3]
            continue
        if stripped.startswith("|"):
            flush()
            if not _TABLE_DELIM.match(raw):
                emit([_table_row(raw, starts[k], k + 1)])
            continue
        q = raw[: len(raw) - len(raw.lstrip(" \t>"))].count(">")  # the quote's depth
        if q != quotes or _ITEM_START.match(raw):
            flush()
            quotes = q
        if (m := _ATX.match(raw)) is not None and not quotes:
            flush()
            emit([_inline(m.group(2), starts[k] + m.start(2), k + 1)], len(m.group(1)))
            continue
        p = _PREFIX.match(raw)  # quote marks and a bullet; an ordered number stays
        col = p.end() if p else len(raw) - len(raw.lstrip())
        where.append((k, col))
    flush()


def emit_break(emit: Callable[..., None]) -> None:
    """Ask ``emit`` to start the next block afresh (its ``pending_break``)."""
    emit([], None, True)


def _is_byline(text: str, meta: dict[str, str], near_top: bool) -> bool:
    """A line that is a newspaper byline: its facts go to ``meta`` (first one wins)."""
    found = parse_byline(text)
    if found is None or ("publication" not in found and not near_top):
        return False
    if "author" in found and "publication" not in found and "author" in meta:
        return False  # a role line when the author is known: leave it to the text
    for key, value in found.items():
        meta.setdefault(key, value)
    return True


# ---------------------------------------------------------------- metadata


def _front_matter(lines: list[str], meta: dict[str, str]) -> int:
    """Read front matter into ``meta``; return the index of the first body line."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for end in range(1, min(len(lines), 400)):
        if lines[end].strip() in closers:
            break
    else:
        return 0  # no closing fence: a horizontal rule, not front matter
    if not any(re.match(r"^\s*[\w\u4e00-\u9fff-]+\s*[:=]", ln) for ln in lines[1:end]):
        return 0  # two rules around text, not key: value metadata
    body = "\n".join(lines[1:end])
    values: dict[str, object] = {}
    if fence == "---":
        values = _yaml(body)
    if not values:
        for ln in lines[1:end]:
            m = re.match(r"^\s*([\w\u4e00-\u9fff-]+)\s*[:=]\s*(.*?)\s*$", ln)
            if m and m.group(2):
                values[m.group(1)] = m.group(2).strip("\"'")
    for key, value in values.items():
        target = _META_KEYS.get(str(key).lower())
        text = _meta_text(value)
        if target is None or not text:
            continue
        if target == "source":
            target = "url" if re.match(r"^https?://", text) else "publication"
        if target == "date":
            text = normalise_date(text)
        elif target == "publication":
            text = text.strip("《》")
        elif target == "author" and not isinstance(value, list | tuple):
            text = split_names(text) if re.search(r"[\s\u3000、，,;；]", text) else text
        if target == "url" and "web.archive.org/" in meta.get("url", "") and "web.archive.org/" not in text:
            meta["url"] = text  # the page's own address over its archived copy's
        meta.setdefault(target, text)
    return end + 1


def _yaml(body: str) -> dict[str, object]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # an alias repeats a subtree: a few lines can stand for billions of
        # strings, which front matter never needs (read line by line instead)
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(body, Loader=loader)):
            return {}
        data = yaml.load(body, Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return {}  # 2026-13-45 is no date: the line-by-line reading takes it as text
    return data if isinstance(data, dict) else {}


def _meta_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(_meta_text(v) for v in value if _meta_text(v))
    if isinstance(value, dict):
        name = value.get("name")
        return _meta_text(name) if name else ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


def _is_source_quote(said: str, meta: dict[str, str]) -> bool:
    if not said or len(said) > 120:
        return False
    if _is_byline(said, meta, True):
        return True
    m = _URL_QUOTE.match(said)
    if m:
        meta.setdefault("url", m.group(1))
        return True
    if _SOURCE_QUOTE.match(said):
        rest = said[said.index("》") + 1 :]
        if not rest.strip("（）() \u3000") or re.search(r"[版年月日期\d]", rest):
            if said[:1] in "（(" and said[-1:] in "）)":
                said = said[1:-1]  # the whole note in brackets: （《人民日报》2024年3月13日）
            meta.setdefault("publication", said[said.index("《") + 1 : said.index("》")].strip())
            date = normalise_date(rest.strip("（）() \u3000"))
            if re.fullmatch(r"\d{4}-\d\d-\d\d", date):
                meta.setdefault("date", date)
            return True
    return False


# ---------------------------------------------------------------- inline


@dataclass(slots=True)
class _Delim:
    char: str
    count: int
    off: int  # source offset of the run's first character
    pos: int  # index in the token list
    can_open: bool
    can_close: bool


def _table_row(raw: str, base: int, no: int) -> SrcLine:
    out = SrcLine(no)
    cells = [(m.start(), m.group(0)) for m in re.finditer(r"(?:\\\||[^|])+", raw)]
    for start, cell in cells:
        part = _inline(cell, base + start, no).stripped()
        if not part.chars:
            continue
        if out.chars:
            out.add(" ", base + start - 1)
        out.chars += part.chars
        out.src += part.src
        out.bold += part.bold
    return out


def _inline(s: str, base: int, no: int) -> SrcLine:
    """Strip inline Markdown from ``s``; keep each character's source offset.

    Emphasis is matched leniently: CommonMark's flanking rules refuse
    ``**健全现代化的基础设施。**一是`` (a closing run after CJK punctuation
    and before a Han character), which every Chinese writer means as bold.
    """
    # tokens: (char, offset) for text, or a _Delim; bold=True/False markers for <b>/<strong>
    tokens: list[tuple[str, int] | _Delim | bool] = []
    delims: list[_Delim] = []
    n = len(s)
    if s.endswith("\\") and not s.endswith("\\\\"):
        n -= 1  # a hard line break marker
    # Everything below is linear in the line: brackets are matched once, a
    # link's text is read in this same loop (no recursion on nesting), and a
    # code span run length that found no closer is not searched for again.
    match = _Brackets(s, n)
    skip_at: dict[int, int] = {}  # a link text's "]": resume after the link's target
    no_close: set[int] = set()
    j = 0
    while j < n:
        if j in skip_at:
            j = skip_at.pop(j)
            continue
        ch = s[j]
        if ch == "\\" and j + 1 < n and s[j + 1] in _ASCII_PUNCT:
            tokens.append((s[j + 1], base + j + 1))
            j += 2
            continue
        if ch == "`":
            run = 1
            while j + run < n and s[j + run] == "`":
                run += 1
            close = -1 if run in no_close else s.find("`" * run, j + run, n)
            if close == -1:
                no_close.add(run)
                tokens += [("`", base + j + i) for i in range(run)]
                j += run
                continue
            else:
                code = s[j + run : close]
                lead = 1 if code.startswith(" ") and code.endswith(" ") and code.strip() else 0
                for i in range(j + run + lead, close - lead):
                    tokens.append((s[i], base + i))
                j = close + run
                continue
        if ch == "!" and s.startswith("[", j + 1):
            end = match.link_end(j + 1)
            if end is not None:
                j = end[1]  # an image: its alt text is not the document's text
                continue
        if ch == "[":
            if s.startswith("[^", j):
                close = match.square.get(j, -1)
                if close != -1 and close - j < 100 and re.fullmatch(r"\[\^[^\]\s]+\]", s[j : close + 1]):
                    j = close + 1  # a footnote reference
                    continue
            end = match.link_end(j)
            if end is not None:
                skip_at[end[0]] = end[1]  # the text is read on, the target skipped
                j += 1
                continue
        if ch == "<":
            m = _AUTOLINK.match(s, j)
            if m:
                for i in range(m.start(1), m.end(1)):
                    tokens.append((s[i], base + i))
                j = m.end()
                continue
            m = _TAG.match(s, j)
            if m:
                tag = m.group(1).lower()
                if tag in ("b", "strong"):
                    tokens.append(not m.group(0).startswith("</"))
                j = m.end()
                continue
        if ch == "&":
            m = _ENTITY.match(s, j)
            if m:
                decoded = html.unescape(m.group(0))
                if decoded != m.group(0):
                    for c in decoded:
                        if c not in INVISIBLE:
                            tokens.append((c, base + j))
                    j = m.end()
                    continue
        if ch in "*_~":
            k = j
            while k < n and s[k] == ch:
                k += 1
            count = k - j
            prev = s[j - 1] if j > 0 else " "
            nxt = s[k] if k < n else " "
            can_open = not nxt.isspace()
            can_close = not prev.isspace()
            if ch == "_":
                # snake_case and file_name_here are not emphasis
                can_open = can_open and not (prev.isascii() and prev.isalnum())
                can_close = can_close and not (nxt.isascii() and nxt.isalnum())
            if ch == "~" and count != 2:
                can_open = can_close = False
            d = _Delim(ch, count, base + j, len(tokens), can_open, can_close)
            tokens.append(d)
            delims.append(d)
            j = k
            continue
        tokens.append((ch, base + j))
        j += 1

    # pair the delimiter runs (simplified CommonMark: nearest opener first)
    bold_marks = [0] * (len(tokens) + 1)
    used: dict[int, int] = {}
    stack: list[_Delim] = []
    open_count: dict[str, int] = {}  # openers on the stack by character: no vain scans
    for d in delims:
        left = d.count
        while left and d.can_close and open_count.get(d.char, 0):
            k = len(stack) - 1
            while k >= 0 and stack[k].char != d.char:
                k -= 1
            if k < 0:
                break
            o = stack[k]
            o_left = o.count - used.get(o.pos, 0)
            use = 2 if left >= 2 and o_left >= 2 else 1
            if d.char == "~" and use != 2:
                break
            if use == 2 and d.char != "~":
                bold_marks[o.pos] += 1
                bold_marks[d.pos] -= 1
            used[o.pos] = used.get(o.pos, 0) + use
            used[d.pos] = used.get(d.pos, 0) + use
            left -= use
            for gone in stack[k + 1 :]:
                open_count[gone.char] -= 1
            del stack[k + 1 :]
            if o.count - used[o.pos] <= 0:
                stack.pop()
                open_count[o.char] -= 1
        if left and d.can_open:
            stack.append(d)
            open_count[d.char] = open_count.get(d.char, 0) + 1

    out = SrcLine(no)
    depth = 0
    html_bold = 0
    for i, tok in enumerate(tokens):
        depth += bold_marks[i]
        if isinstance(tok, bool):
            html_bold = max(0, html_bold + (1 if tok else -1))
        elif isinstance(tok, _Delim):
            rest = tok.count - used.get(tok.pos, 0)
            if rest > 0:
                out.add(tok.char * rest, tok.off, depth > 0 or html_bold > 0)
        else:
            char, off = tok
            if char not in INVISIBLE:
                out.add(char, off, depth > 0 or html_bold > 0)
    return out


_REF = re.compile(r"\[[^\[\]]*\]")


class _Brackets:
    """Matching ``[``/``]`` and ``(``/``)`` of one line, found in one pass."""

    def __init__(self, s: str, n: int) -> None:
        self.s = s
        self.n = n
        self.square: dict[int, int] = {}
        self.round: dict[int, int] = {}
        sq: list[int] = []
        rd: list[int] = []
        k = 0
        while k < n:
            c = s[k]
            if c == "\\":
                k += 2
                continue
            if c == "[":
                sq.append(k)
            elif c == "]" and sq:
                self.square[sq.pop()] = k
            elif c == "(":
                rd.append(k)
            elif c == ")" and rd:
                self.round[rd.pop()] = k
            k += 1

    def link_end(self, j: int) -> tuple[int, int] | None:
        """For ``[text](url)`` or ``[text][ref]`` at ``j``: (index of ``]``, end)."""
        close = self.square.get(j)
        if close is None:
            return None
        if close + 1 < self.n and self.s[close + 1] == "(":
            end = self.round.get(close + 1)
            return (close, end + 1) if end is not None else None
        m = _REF.match(self.s, close + 1)
        if m and m.end() <= self.n:
            return close, m.end()
        return None
