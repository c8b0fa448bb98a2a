"""Page furniture: what surrounds the content and is never a title, heading or measure.

Kept in the catalogue's ``furniture`` with its line, never dropped. Three kinds
of source put it there: speeches (各位代表：), print (page numbers, document
numbers, licence footers) and web pages saved as text (download/print/font-size
controls, breadcrumbs, source and time lines, related-link lists).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..normalise import fold
from . import Rule

# -- speeches: the salutation alone on its line, or opening a paragraph
# — the forms of address of Chinese speeches and letters: 各位 + a group (各位代表, 各位老师,
# 各位来宾), or groups in the plural 们 (同志们, 女士们、先生们, 老师们、同学们), or 亲爱的…
SALUTATION = re.compile(
    r"^(各位[\u4e00-\u9fff]{2,4}|(?:亲爱的)?[\u4e00-\u9fff]{2,4}们(?:[、，,][\u4e00-\u9fff]{2,4}们)*)[：:！!，,]?$"
)
SALUTATION_PREFIX = re.compile(r"^(各位代表|各位委员|同志们|女士们、先生们|各位来宾|代表们)[：:！!]")

# -- source, editor and time lines of newspapers and web pages: 来源：新华日报,
# 时间：2026-02-09, 责任编辑：…, 文章来源：…/作者：…/发布时间：…
SOURCE_NOTE = re.compile(
    r"^[（(\[【]?\s*(文章来源|来源|稿源|出处|责任编辑|编辑|校对|审核|原标题|转自|时间|发布时间|发布日期|点击数|浏览次数|阅读次数)\s*[：:]"
)
# -- licence footers of Wikisource and similar archives
LICENCE = re.compile(
    r"^(本作品(是|来自|在)|Public domain|false$|true$|注：中文维基文库|此作品|Creative Commons|本文(来源|转载)于?维基)"
)
# -- controls of a web page, one per line when the page is saved as text
_CHROME_WORDS = r"打印|打印本页|关闭|关闭窗口|纠错|下载|全屏|收藏|字号|字体|加大|还原|减小|返回顶部|返回|分享|分享到|大\s*中\s*小"
CHROME = re.compile(
    rf"^(【?\s*({_CHROME_WORDS})\s*[：:]?\s*】?\s*)+$"
    r"|^(相关(报道|新闻|阅读|链接|文章)|上一篇|下一篇|扫一扫|打印本页|关闭窗口)"
)
# -- a live transcript's note: （根据录音整理）（文字实录）
LIVE_NOTE = re.compile(r"^[（(](根据.{0,12}整理|文字实录|全文|摘要|节选)[）)]$")
# -- print: — 3 —, -3-, 第3页 (page numbers left in text copied from print or PDF)
PAGE_NUMBER = re.compile(r"^(?:[—\-－─]\s*\d{1,4}\s*[—\-－─]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?)$")
# -- an official document's number: 黔府办发〔2024〕12号 (GB/T 9704 发文字号)
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,16}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号$")
# -- a web page's time stamp: 2026年02月10日 07时41分, 2026-02-02 09:20, 2026-02-09
TIMESTAMP = re.compile(
    r"^\d{4}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"\s*(?:\d{1,2}\s*[:：时]\s*\d{2}\s*分?(?:\s*[:：]\s*\d{2}\s*秒?)?)?$"
)
_ISO_OR_TIMED = re.compile(r"\d{4}\s*[-/.]|[:：时]\s*\d{2}")
# -- a breadcrumb: 首页 > 政务信息 > …, 政务信息>, 当前位置：
BREADCRUMB = re.compile(r"^(首页\s*[>＞»›]|当前位置\s*[：:])|[^>]\s*(?:[>＞»›]|>>)$|^[>＞»›]+$")

# -- a news photo's caption left in the text: the photographer's credit ends it
# (…作政府工作报告。本报记者 戴冰摄, 新华社记者  鞠  鹏摄, （记者 王明 摄）), or a
# credit after a full stop names the reporter alone (…。新甘肃·甘肃日报记者 盛学卿)
PHOTO_CREDIT = re.compile(r"(?:记者|通讯员|摄影|摄)[^。；！？，]{0,16}?摄(?:影)?\s*[）)]?$")
REPORTER_CREDIT = re.compile(r"[。！]\s*[^。，；]{0,14}记者[\s\u3000]*[\u4e00-\u9fff·]{1,4}(?:[\s\u3000]+[\u4e00-\u9fff]{1,3})?$")
MAX_CAPTION = 160
# a caption of the delivery itself, without credit: 省长赵刚作政府工作报告 — a
# short line in which someone (a role and a name, 同志, or a bare name)
# delivers a report or speech; the 作 of 工作报告 is no verb (政府工作报告 is a title)
DELIVERY = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,12}?(?:省长|市长|主席|书记|总理|区长|县长|州长|部长|主任)[\u4e00-\u9fff·]{2,6}?"
    r"|[\u4e00-\u9fff·]{2,8}?同志|[\u4e00-\u9fff]{2,3})"
    r"(?:在[^，。；：、]{2,24}?上)?(?:(?<!工)作|作(?!报告)|做|发表)[^，。；：、]{0,8}(?:报告|讲话|致辞)。?$"
)
MAX_DELIVERY = 30
# -- a letter's address and sign-off (书信 convention): …先生钧鉴 at the top,
# 此致 敬礼 / 顺颂时祺 / 曹鸿辉敬上 2018年9月22日 at the end
LETTER_ADDRESS = re.compile(r"(钧鉴|鈞鑒|鈞鑑|鈞監|钧监|台鉴|台鑒|大鉴|大鑒|惠鉴|惠鑒|雅鉴|道鉴|如晤|钧启|鈞啟)\s*[：:]?$")
LETTER_SIGNOFF = re.compile(
    r"(?:敬上|谨上|謹上|拜上|敬呈|谨呈|謹呈|顿首|頓首)\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?$"
    r"|^(?:此致|敬礼|敬禮|顺颂\S{0,2}|順頌\S{0,2}|奉达|奉達|专此|專此)[！!，,。]?$"
)
MAX_LETTER_LINE = 40
# cheap first looks: how such lines end or begin
_LETTER_ENDS = frozenset("鉴鑒鑑監监晤启啟：:上呈首日")
_LETTER_STARTS = frozenset("此敬顺順奉专專")
# a newspaper's page label: 《人民日报》（2023年01月01日第 01 版）, with the
# writer before it when a column signs so (本报评论员《人民日报》…)
PAGE_LABEL = re.compile(
    r"^[^《》]{0,10}《[^》]{2,12}》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(第\s*\d{1,3}\s*版)?\s*[）)]$"
)
MAX_LABEL_LINES = 8
MAX_LABEL_PIECE = 24
# the label of a page's related links, alone on its line (相关链接>>, 相关报道：)
RELATED_LABEL = re.compile(r"^相关(?:报道|新闻|阅读|链接|文章|附件|稿件)\s*(?:[：:]|>>|》》|»)?$")
MAX_LINKS = 20
MAX_LINK_LINE = 80
# a byline glued before a page label: a few names and their role
MAX_LABEL_WRITER = 40
# an official notice's attachment list: 附件：1.… then 2.… and the files' names
ATTACHMENT = re.compile(r"^附\s*件\s*\d{0,2}\s*[：:]")
ATTACHMENT_ITEM = re.compile(r"^\d{1,2}\s*[.．、]")
FILE_NAME = re.compile(r"\.(?:docx?|xlsx?|pdf|wps|et|zip|rar|txt)$", re.I)
MAX_ATTACHMENTS = 12
MAX_ATTACHMENT_LINE = 40
# the participants of a dialogue or interview column, one per line under the label
PARTICIPANTS = re.compile(r"^(对话人|对话嘉宾|访谈嘉宾|嘉宾|主持人|受访者|采访对象)\s*[：:]\s*$")
MAX_PARTICIPANTS = 6
MAX_PARTICIPANT_LINE = 24
# A run of chrome split over lines: 【字号： / 加大 / 还原 / 减小 / 】
MAX_CHROME_RUN = 8
# the value of a source line set on the line below it: 来源: / 四川日报
MAX_SOURCE_VALUE = 16
# breadcrumb entries beside a lone > are short labels
MAX_CRUMB = 14
_LONE_CRUMB = re.compile(r"[>＞»›]+")  # compiled once: tested on every paragraph


def _is_timestamp(text: str) -> bool:
    t = text.strip()
    return bool(TIMESTAMP.match(t)) and bool(_ISO_OR_TIMED.search(t))


def is_caption(text: str) -> bool:
    """A photo caption left in a news page's text (ends with the credit), or a delivery line."""
    t = text.strip()
    if len(t) > MAX_CAPTION or len(t) < 4:
        return False
    if t[-1] in "摄影）)" and t.endswith(("摄", "摄影", "摄）", "摄)")) and PHOTO_CREDIT.search(t):
        return True
    if "记者" in t[-24:] and REPORTER_CREDIT.search(t):
        return True
    return len(t) <= MAX_DELIVERY and ("报告" in t or "讲话" in t or "致辞" in t) and bool(DELIVERY.match(t))


def furniture_kind(text: str) -> str | None:
    """The furniture kind of one paragraph on its own, or None for content."""
    t = text.strip()
    if SALUTATION.match(t):
        return "salutation"
    f = fold(t)
    if DOC_NUMBER.match(f):
        return "doc-number"
    if PAGE_NUMBER.match(f):
        return "page-number"
    if SOURCE_NOTE.match(t):
        return "source-note"
    if LIVE_NOTE.match(t):
        return "note"
    if CHROME.match(t):
        return "web-chrome"
    if _is_timestamp(f):
        return "timestamp"
    if is_caption(t):
        return "caption"
    if len(t) <= MAX_LETTER_LINE and (t[-1] in _LETTER_ENDS or t[0] in _LETTER_STARTS):
        if LETTER_ADDRESS.search(t) or LETTER_SIGNOFF.search(t):
            return "letter"
    if len(t) <= 40 and BREADCRUMB.search(t):
        return "breadcrumb"
    if len(f) <= 40 and PAGE_LABEL.match(f) and not f.startswith(("作者", "文")) and "《" in f[:12]:
        return "page-label"
    return None


def _is_writer(text: str) -> bool:
    """The byline a newspaper sets before its page label: 本报记者  廖文根  张  烁."""
    from .titles import parse_byline  # titles builds on this module

    t = text.strip()
    return 0 < len(t) <= MAX_LABEL_WRITER and parse_byline(t) is not None


def furniture_runs(texts: Sequence[str]) -> dict[int, str]:
    """Furniture that only shows across lines: chrome runs, breadcrumbs, split source lines.

    Returns {index: kind} for paragraphs that are furniture because of their
    neighbours (each of them on its own could be a word of content).
    """
    out: dict[int, str] = {}
    n = len(texts)
    i = 0
    while i < n:
        t = texts[i].strip()
        # 【字号： … 】 set one control per line
        if t.startswith("【") and "】" not in t and len(t) <= 12:
            for j in range(i + 1, min(n, i + MAX_CHROME_RUN + 1)):
                if "】" in texts[j]:
                    if all(len(texts[k].strip()) <= 6 for k in range(i + 1, j + 1)):
                        for k in range(i, j + 1):
                            out[k] = "web-chrome"
                        i = j
                    break
        # 《 / 人民日报 / 》（ / 2023年01月01日 / 第 01 / 版）: a page label broken line by line
        # — also with the reporters' byline glued before it (本报记者  廖文根  张  烁《)
        elif (
            "《" in t
            and len(t) - t.index("《") <= MAX_LABEL_PIECE
            and (len(t) <= MAX_LABEL_PIECE or _is_writer(t[: t.index("《")]))
        ):
            joined = ""
            for j in range(i, min(n, i + MAX_LABEL_LINES)):
                piece = texts[j].strip()
                if j == i and len(piece) > MAX_LABEL_PIECE:
                    piece = piece[piece.index("《") :]  # the writer before it is a byline
                if len(piece) > MAX_LABEL_PIECE:
                    break
                joined += piece
                if PAGE_LABEL.match(fold(joined)):
                    for k in range(i, j + 1):
                        out[k] = "page-label"
                    i = j
                    break
        # 附件：1.课题申报汇总表 / 2.课题申报、评审表 / 202502281642548650.xls: the
        # attachment list of an official notice (GB/T 9704 附件说明)
        elif ATTACHMENT.match(t):
            out[i] = "attachment"
            j = i + 1
            while j < n and j <= i + MAX_ATTACHMENTS and len(texts[j].strip()) <= MAX_ATTACHMENT_LINE:
                nxt = texts[j].strip()
                if not (ATTACHMENT_ITEM.match(nxt) or FILE_NAME.search(nxt)):
                    break
                out[j] = "attachment"
                j += 1
            i = j - 1
        # 对话人： / 周珊珊 本报评论员 / 李 萌 海南日报评论员: a dialogue column's box
        elif PARTICIPANTS.match(t):
            out[i] = "participants"
            j = i + 1
            while j < n and j <= i + MAX_PARTICIPANTS and 0 < len(texts[j].strip()) <= MAX_PARTICIPANT_LINE:
                if re.search("[。；！？，：:]", texts[j]):
                    break
                out[j] = "participants"
                j += 1
            i = j - 1
        # 相关链接>> / abcd39…: / 四川省…的决议 / 打印本页: a related-links block, the
        # links' ids and titles one per line, up to the first sentence of text
        elif RELATED_LABEL.match(t):
            out[i] = "web-chrome"
            j = i + 1
            while j < n and j <= i + MAX_LINKS:
                nxt = texts[j].strip()
                if not nxt or len(nxt) > MAX_LINK_LINE or re.search("[。！？]", nxt):
                    break
                out[j] = "related-links"
                j += 1
            i = j - 1
        # 来源: on one line, 四川日报 on the next
        elif SOURCE_NOTE.match(t) and re.fullmatch(r".*[：:]\s*", t) and i + 1 < n:
            nxt = texts[i + 1].strip()
            if 0 < len(nxt) <= MAX_SOURCE_VALUE and not re.search("[。；！？]", nxt):
                out[i + 1] = "source-note"
        # 首页 / > / 政府信息公开 / > / 政府工作报告: the labels beside a lone >
        elif _LONE_CRUMB.fullmatch(t):
            out[i] = "breadcrumb"
            for k in (i - 1, i + 1):
                if 0 <= k < n and 0 < len(texts[k].strip()) <= MAX_CRUMB and not re.search("[。；！？，]", texts[k]):
                    out[k] = "breadcrumb"
        i += 1
    return out


RULES = (
    Rule(
        "salutation",
        "furniture",
        "A speech's salutation on a line of its own (各位代表：); it marks a new movement of the speech.",
        SALUTATION.match,
        ("各位代表：", "同志们！", "各位代表", "各位老师：", "老师们、同学们：", "女士们、先生们，", "亲爱的同学们："),
        ("各位代表！今年是…", "代表们的意见", "我们：", "各位代表要认真履职。"),
    ),
    Rule(
        "source-note",
        "furniture",
        "Source, editor and time lines of newspapers and web pages (来源：, 责任编辑：, 时间：).",
        lambda t: furniture_kind(t) == "source-note",
        ("来源：新华日报", "时间：2026-02-09", "（责任编辑：王华）", "来源:", "文章来源：教科室"),
        ("来源于群众的智慧", "时间就是生命。"),
    ),
    Rule(
        "web-chrome",
        "furniture",
        "Controls of a web page saved as text: 下载/打印/全屏/收藏, 【字号：…】, 相关报道：, 扫一扫….",
        lambda t: furniture_kind(t) == "web-chrome",
        (
            "下载",
            "打印",
            "全屏",
            "收藏",
            "【字号：",
            "加大",
            "减小",
            "相关报道：",
            "打印本页",
            "关闭窗口",
            "扫一扫在手机打开当前页",
            "分享：",
        ),
        ("下载量大幅增长。", "收藏家协会", "全屏显示技术取得突破"),
    ),
    Rule(
        "timestamp",
        "furniture",
        "A web page's time stamp (a date with a clock time, or an ISO date); a signed document's "
        "bare date 2024年3月1日 is the signature's, handled with it.",
        lambda t: furniture_kind(t) == "timestamp",
        ("2026年02月10日 07时41分", "2026-02-02 09:20", "2026-02-09", "2026/2/9 8:30:15"),
        ("2024年3月1日", "2026年是“十五五”开局之年。", "2025年工作回顾"),
    ),
    Rule(
        "breadcrumb",
        "furniture",
        "A site's breadcrumb trail: 首页 > 政务信息 > …, a label ending in >, 相关链接>>.",
        lambda t: furniture_kind(t) == "breadcrumb",
        ("首页>", "首页 > 政务信息", "政务信息>", ">", "当前位置：首页"),
        ("增长5%以上", "一、总体要求"),
    ),
    Rule(
        "page-label",
        "furniture",
        "A newspaper's page label, on one line or broken line by line: 《人民日报》（2023年01月01日第 01 版）.",
        lambda t: furniture_kind(t) == "page-label" or furniture_runs(t.split("|")).get(0) == "page-label",
        (
            "《人民日报》（2023年01月01日第 01 版）",
            "《|人民日报|》（|2023年01月01日|第 01|版）",
            "本报评论员《|人民日报|》（|2023年01月01日|第 01|版）",
            "本报记者  廖文根  张  烁  李昌禹  杨  昊《人民日报》（2023年01月01日|第 01版）",
        ),
        ("学习《决定》精神", "《人民日报》评论员文章指出，要加强领导。", "我们认真学习了《人民日报》（2023年01月01日|第 01版）"),
    ),
    Rule(
        "attachment",
        "furniture",
        "An official notice's attachment list (GB/T 9704 附件说明): 附件：1.… with the items and file names after it.",
        lambda t: furniture_runs(t.split("|")).get(0) == "attachment",
        ("附件：1.课题申报汇总表|2.课题申报、评审表", "附件：实施方案.docx"),
        ("附近的居民", "附件中的数据显示，增长5%。".replace("附件中", "附件中")),
    ),
    Rule(
        "participants",
        "furniture",
        "The box of a dialogue or interview column (对话人：/ 主持人：) and the names and roles under it.",
        lambda t: furniture_runs(t.split("|")).get(1) == "participants",
        ("对话人：|周珊珊 本报评论员|李 萌 海南日报评论员", "主持人：|王明"),
        ("对话人：周珊珊说，这是好事。|下一段", "主持人表示，要加强合作。|下一段"),
    ),
    Rule(
        "caption",
        "furniture",
        "A news photo's caption left in a saved page: it ends with the photographer's credit "
        "(本报记者 戴冰摄), or names the reporter after a full stop, or is a short delivery line "
        "(省长赵刚作政府工作报告).",
        lambda t: furniture_kind(t) == "caption",
        (
            "殷勇同志作政府工作报告。本报记者 戴冰摄",
            "2月3日，湖南省第十四届人民代表大会第四次会议开幕。省长毛伟明作政府工作报告。湖南日报全媒体记者 刘尚文 摄",
            "1月27日，艾尔肯·吐尼亚孜向大会作政府工作报告。石榴云/新疆日报记者谢龙摄",
            "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿",
            "省长赵刚作政府工作报告",
            "张工作政府工作报告。",
        ),
        (
            "要加强新闻摄影队伍建设，支持记者深入基层拍摄。",
            "认真听取和审议政府工作报告。",
            "我们要把报告提出的各项任务落到实处，推动经济持续回升向好，不断增强人民群众获得感。",
            "做好政府工作报告起草工作",
            "加强对记者的保护。",
            "2026年江苏省政府工作报告",
            "政府工作报告",
            "关于2025年工作情况的报告",
        ),
    ),
    Rule(
        "letter",
        "furniture",
        "A letter's address and sign-off (书信 convention): …先生钧鉴 at the top; 此致/敬礼, 顺颂时祺, "
        "…敬上 with its date at the end.",
        lambda t: furniture_kind(t) == "letter",
        (
            "土地供應專責小組主席 黃遠輝先生鈞監",
            "管子研究學會會長 曹鴻輝敬上 2018年9月22日",
            "此致",
            "敬礼！",
            "順頌秋祺",
            "奉達",
        ),
        ("敬上级领导的一封信，讲述基层的变化。", "此致力于发展", "顺颂时祺是一种书信用语，用于结尾。"),
    ),
    Rule(
        "related-links",
        "furniture",
        "A saved page's related-links block: the label (相关链接>>, 相关报道：) and the link ids and titles "
        "under it, one per line, up to the first sentence of text. Lines are separated by | in the examples.",
        lambda t: furniture_runs(t.split("|")).get(1) == "related-links",
        (
            "相关链接>>|abcd39f1fb7f426d9dfb6bd0fa1f2146:|四川省第十四届人民代表大会第五次会议关于政府工作报告的决议",
            "相关报道：|解读省政府工作报告：在服务大局中担难担重前行",
        ),
        ("相关链接>>|各位代表：现在，我代表省人民政府，向大会报告工作。", "相关部门要加强协作|一、总体要求"),
    ),
    Rule(
        "page-number",
        "furniture",
        "A page number left in text copied from print or PDF: — 3 —, -3-, 第3页.",
        lambda t: furniture_kind(t) == "page-number",
        ("— 3 —", "-12-", "第5页", "第 2 页 共 9 页"),
        ("——经济稳中向好。", "第一，加强领导。"),
    ),
    Rule(
        "doc-number",
        "furniture",
        "An official document's number (GB/T 9704 发文字号): 黔府办发〔2024〕12号.",
        lambda t: furniture_kind(t) == "doc-number",
        ("黔府办发〔2024〕12号", "国发[2023]5号"),
        ("2024年12号台风",),
    ),
    Rule(
        "licence",
        "furniture",
        "Licence footers of Wikisource-style archives; everything after one is footer.",
        LICENCE.match,
        ("Public domain", "本作品在全世界都属于公有领域"),
        ("本次会议在北京召开",),
    ),
)
