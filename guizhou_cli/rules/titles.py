"""Titles, bylines, datelines and closing notes: who wrote what, and when.

Conventions followed: the newspaper byline (names set apart by spaces under
the title, 文/…, □ decorations, 本报记者), the speech's dateline
(——2024年3月5日在…上) and speaker line (国务院总理　李　强), the theory page's
closing note （作者单位：…。本文系…成果）, the People's Daily source line
(李合亮《人民日报》（2026年04月30日第 09 版）), and container metadata
(Markdown front matter, an HTML page's <title>) read by the format readers.
"""

from __future__ import annotations

import re

from ..markers import outline_marker
from ..normalise import fold
from ..paragraphs import ends_complete
from . import Rule
from .furniture import furniture_kind

_BYLINE_PUNCT = re.compile("[，。；：,;:！？]")
_SPACES_RX = re.compile(r"[\s\u3000\u2002\u2003]+")
_NAME_SEP = re.compile(r"[\s\u3000\u2002\u2003、/]+")

OCCASION = re.compile(r"在.{2,60}(上|开幕|闭幕|讲话|报告)$")
# the date under a signature: 2024年3月1日, （2024年3月1日）
BARE_DATE = re.compile(
    r"^[（(]?\s*[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*[）)]?$"
)
# ——2024年3月5日在…上, ——二〇二六年一月二十七日在…上, （2026年1月27日在…会议上）
_CN_DATE = r"[\d〇零一二三四五六七八九十 ]{4,8}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"
DATELINE = re.compile(rf"^[—\-－─―]*\s*[（(]?\s*{_CN_DATE}.{{0,60}}$")
ROLE_WORDS = re.compile(
    r"(总理|副总理|省长|市长|县长|主席|书记|部长|主任|委员|记者|通讯员|作者|编辑|研究员|教授|博士|院长|校长|理事长|局长|厅长|署名|撰文|执笔)$"
)
# 王明远; 艾尔肯·吐尼亚孜 (a transliterated name, its parts joined by ·)
# a piece signed by a role alone: 本报评论员, 人民日报评论员, 新华社记者, 本报特约评论员
ROLE_ONLY = re.compile(r"^(?:本报|本刊|[\u4e00-\u9fff]{2,6}(?:日报|晚报|社|网|杂志))?(?:特约)?(?:评论员|记者|通讯员|观察员)$")
NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,5}|[\u4e00-\u9fff]{1,6}(?:[·•][\u4e00-\u9fff]{1,6}){1,3})$")
CLOSING_NOTE = re.compile(r"^[（(]\s*(作者|本文|基金项目|项目|课题|注[：:])")
AFFIL_PREFIX = re.compile(r"^作者(单位)?(分别)?(为|系|是|：|:|单位为|单位分别为|单位分别是)+[：:]?")
# decorations and labels newspapers set before names: □ 王明远, 文/赵丽华, 本报记者 张三
BYLINE_PREFIX = re.compile(r"^(?:[□■●◎☆★◆◇▲△○·•|｜]\s*)*(?:(?:文|图|撰文|作者|执笔)\s*[/／｜|:：]\s*)?")
ROLE_FUSED = re.compile(
    r"^(国务院(?:副)?总理|(?:[\u4e00-\u9fff]{1,8}?)(?:省长|市长|县长|主席|书记|部长|主任|总理))([\u4e00-\u9fff·]{2,4})$"
)
# the People's Daily source line: 李合亮《人民日报》（2026年04月30日第 09 版）
PAPER_BYLINE = re.compile(
    r"^(?P<names>[\u4e00-\u9fff·　 ]{2,20}?)\s*《(?P<paper>[^》]{2,12})》\s*[（(]\s*"
    r"(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?:第\s*\d{1,3}\s*版)?\s*[）)]$"
)
FUSED_HEAD = re.compile(
    r"^(?P<title>[^—\-－]{2,30}?)(?P<date>[—\-－]{1,2}\s*[\d ]{4,8}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,40}?上)(?P<by>.*)$"
)
# a site name after the page title in an HTML <title>: 标题--教科室-某某中学, 标题 - 新华网, 标题_人民网
SITE_SUFFIX = re.compile(r"--|\s-\s|_|\||｜")
MIN_TITLE = 4
# Han names are two or three characters; a single four-character "name" with
# no role before it (主要目标, 重点课题) is a phrase unless its surname is compound
MAX_PLAIN_NAME = 3
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 司空 夏侯 轩辕 端木 独孤 "
    "南宫 西门 百里 呼延 万俟 闻人 澹台 公冶 太史 申屠 钟离".split()
)
MAX_BYLINE = 40
MAX_NAMES = 8


def parse_byline(text: str) -> tuple[list[str], str | None] | None:
    """``赵岩 刘松`` → (["赵岩", "刘松"], None); ``国务院总理 李　强`` → (["李强"], "国务院总理")."""
    text = BYLINE_PREFIX.sub("", text.strip())
    if len(text) > MAX_BYLINE or _BYLINE_PUNCT.search(text) or outline_marker(fold(text)) is not None:
        return None
    if furniture_kind(text) is not None:
        return None
    if ROLE_ONLY.match(text):
        return [], text  # 本报评论员: a column signed by the paper, no name
    fused = ROLE_FUSED.match(_SPACES_RX.sub("", text))
    if fused and len(_SPACES_RX.split(text.strip())) <= 3:
        return [fused.group(2)], fused.group(1)
    tokens = [t for t in _NAME_SEP.split(text.strip()) if t]
    if not tokens:
        return None
    role = None
    if len(tokens) > 1 and (len(tokens[0]) > 4 or ROLE_WORDS.search(tokens[0])):
        role = tokens.pop(0)
    # single characters written with a space between them are one name: 李　强
    names: list[str] = []
    buf = ""
    for t in tokens:
        if len(t) == 1:
            buf += t
            if len(buf) >= 2:
                names.append(buf)
                buf = ""
        else:
            if buf:
                return None
            names.append(t)
    if buf:
        return None
    if not names or len(names) > MAX_NAMES or not all(NAME.match(n) for n in names):
        return None
    if len(names) == 1 and role is None and len(names[0]) > MAX_PLAIN_NAME and not _long_name(names[0]):
        return None
    return names, role


def _long_name(name: str) -> bool:
    """A name of four characters or more: a compound surname (欧阳…) or a transliteration (·)."""
    return "·" in name or "•" in name or name[:2] in COMPOUND_SURNAMES


def parse_paper_byline(text: str) -> tuple[list[str], str, str] | None:
    """``李合亮《人民日报》（2026年04月30日第 09 版）`` → (["李合亮"], "人民日报", "2026年04月30日")."""
    m = PAPER_BYLINE.match(fold(text.strip().lstrip(">").strip()))
    if not m:
        return None
    names = [n for n in _NAME_SEP.split(m.group("names").strip()) if n]
    if not names or not all(NAME.match(n) for n in names):
        return None
    return names, m.group("paper"), re.sub(r"\s+", "", m.group("date"))


def parse_closing(text: str) -> tuple[str | None, str | None]:
    """（作者为…。本文系…成果）→ (affiliation, note)."""
    inner = text.strip()
    if inner[:1] in "（(":
        inner = inner[1:]
    if inner[-1:] in "）)":
        inner = inner[:-1]
    affiliation: list[str] = []
    notes: list[str] = []
    for part in re.split(r"(?<=[。；;])", inner):
        part = part.strip()
        if not part:
            continue
        bare = part.rstrip("。；;")
        if AFFIL_PREFIX.match(bare):
            affiliation.append(AFFIL_PREFIX.sub("", bare).strip())
        else:
            notes.append(bare)
    return ("；".join(affiliation) or None, "；".join(notes) or None)


def is_dateline(text: str) -> bool:
    """——2024年3月5日在…上: a speech's date and occasion (not a bare date)."""
    f = fold(text).strip()
    if f[:1] in "（(" and f[-1:] in "）)":
        f = f[1:-1]  # （2026年1月27日在…会议上）: the bracketed form of the same line
        return bool(DATELINE.match(f)) and bool(OCCASION.search(f))
    if not DATELINE.match(f) or ends_complete(text):
        return False
    return f[:1] in "—-－─―" or bool(OCCASION.search(f))


def never_title(text: str) -> bool:
    """Page furniture and datelines are never a document's or an essay's title."""
    return furniture_kind(text) is not None or is_dateline(text) or bool(BARE_DATE.match(fold(text.strip())))


def clean_container_title(title: str) -> str | None:
    """An HTML <title> without the site name after it (标题--学习专栏-某某中学 → 标题).

    None when what precedes the site name is too short to be an article's
    headline (理论 - 贵州日报 names a section of a site, not the article).
    """
    t = title.strip()
    # the first separator ends the title (a plain search: no backtracking over
    # long runs of spaces in a damaged <title>)
    m = SITE_SUFFIX.search(t)
    cut = t[: m.start()].rstrip() if m else t
    if len(cut) >= MIN_TITLE:
        return cut
    return None if cut != t or len(t) < MIN_TITLE else t


def split_authors(text: str) -> tuple[str, ...]:
    """Front matter's ``author: 王永平`` or ``王永平、李华`` (or a list joined by the reader)."""
    return tuple(a for a in re.split(r"[、,，;；/\s]+", text.strip()) if a)


RULES = (
    Rule(
        "byline",
        "titles",
        "Names under a title, set apart by spaces (newspaper convention), with decorations "
        "(□, 文/) and a role before a speaker's name (国务院总理　李　强).",
        parse_byline,
        (
            "赵岩 刘松",
            "国务院总理　李　强",
            "□ 王明远",
            "文/赵丽华",
            "省长 刘小涛",
            "欧阳修远",
            "艾尔肯·吐尼亚孜",
            "人民日报评论员",
            "新华社记者",
        ),
        ("加快发展新质生产力", "一、总体要求", "来源：新华日报", "2026-02-09", "主要目标", "重点课题"),
    ),
    Rule(
        "paper-byline",
        "titles",
        "The People's Daily source line: author《paper》（date第 N 版）, in Markdown often as a > quote.",
        parse_paper_byline,
        ("李合亮《人民日报》（2026年04月30日第 09 版）", "> 张三 李四《光明日报》（2025年1月2日第11版）"),
        ("《人民日报》（2026年04月30日 第 01 版）", "学习《决定》精神"),
    ),
    Rule(
        "dateline",
        "titles",
        "A speech's date and occasion under its title: ——2024年3月5日在…上, also without the dash "
        "and with Chinese numerals (——二〇二六年一月二十七日在…).",
        is_dateline,
        (
            "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
            "2026年1月14日在浙江省第十四届人民代表大会第五次会议上",
            "——二〇二六年一月二十七日在甘肃省第十四届人民代表大会第五次会议上",
            "（2026年1月27日在省委经济工作会议上）",
        ),
        ("2024年全省经济增长5%。", "2025年工作回顾"),
    ),
    Rule(
        "never-title",
        "titles",
        "Web chrome, time stamps, breadcrumbs and datelines are never a title.",
        never_title,
        ("2026年02月10日 07时41分", "首页>", "政务信息>", "（2026年1月27日在省委经济工作会议上）", "2024年3月1日"),
        ("2026年江苏省政府工作报告", "打造经济发展新引擎"),
    ),
    Rule(
        "closing-note",
        "titles",
        "A theory page's closing note in brackets: （作者单位：…。本文系…成果）.",
        CLOSING_NOTE.match,
        ("（作者单位：贵州大学）", "（本文系国家社科基金项目成果）"),
        ("（一）加强领导", "（2024年3月1日）"),
    ),
)
