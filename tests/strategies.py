"""Hypothesis strategies: generated Chinese policy text and damaged catalogues.

Shared by the property tests (modest counts, CI) and ``bench/bench_fuzz.py``
(the same strategies at scale).
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = (
    "推进 加强 发展 经济 建设 改革 创新 乡村 振兴 数字 产业 体系 制度 治理 生态 保护 人才 教育 科技 开放 "
    "基础设施 新质生产力 东数西算 高质量 现代化 安全 民生 就业 消费 投资 市场 企业 农业 城市 区域 协调 "
    "绿色 低碳 文化 法治 服务 机制 能力 水平 质量 效益 统一是 之一是 唯一是 第一次 第一批 再次 2.5% 1.1万亿"
).split()
CN = "一二三四五六七八九十"
CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ODD = [
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x07",
    "\x1b",
    "\x85",
    "\u2028",
    "\u2029",
    "\t",
    "\r",
    "\r\n",
    "\u3000",
    "\u00a0",
    "𠮷",
    "😀",
    "\ue000",
    "\ufffd",
    "\ufffe",
    "e\u0301",
    "[a]",
    "[/]",
    ":smile:",
    "&",
    "*a",
    "!!python",
    "{",
    "}",
    "#",
    "- ",
    "? ",
    "'",
    '"',
    "\\",
    "%",
    "@",
    "`",
    "|",
    ">",
]


def cn(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + CN[n - 11]
    return CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


@st.composite
def phrase(draw: st.DrawFn, lo: int = 1, hi: int = 5) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.text(CHARS, min_size=1, max_size=3)), min_size=lo, max_size=hi))
    return "".join(parts)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    clauses = draw(st.lists(phrase(), min_size=1, max_size=3))
    return "，".join(clauses) + draw(st.sampled_from("。。。；！？："))


def runin(n: int, family: str) -> str:
    return {
        "shi": f"{cn(n)}是",
        "yao": f"{cn(n)}要",
        "ordinal": f"第{cn(n)}，",
        "qi": f"其{cn(n)}，",
        "paren": f"（{n}）",
        "paren-cn": f"（{cn(n)}）",
        "circled": chr(0x2460 + n - 1) if n <= 20 else f"（{n}）",
        "seq": ("首先，", "其次，", "再次，", "最后，")[min(n, 4) - 1],
    }[family]


@st.composite
def numbers(draw: st.DrawFn) -> list[int]:
    """1..k, sometimes with a gap, a duplicate or a restart (damage the parser must flag)."""
    k = draw(st.integers(1, 12))
    ns = list(range(1, k + 1))
    for _ in range(draw(st.integers(0, 2))):
        if not ns:
            break
        i = draw(st.integers(0, len(ns) - 1))
        op = draw(st.sampled_from(["gap", "dup", "restart"]))
        if op == "gap" and len(ns) > 1:
            del ns[i]
        elif op == "dup":
            ns.insert(i, ns[i])
        else:
            ns.insert(i, 1)
    return ns or [1]


@st.composite
def enumeration(draw: st.DrawFn) -> str:
    family = draw(st.sampled_from(["shi", "shi", "yao", "ordinal", "qi", "paren", "paren-cn", "circled", "seq"]))
    lead = draw(st.sampled_from(["", "", draw(sentence()), draw(phrase()) + "：", "重点抓好以下工作："]))
    items = [runin(n, family) + draw(sentence()) for n in draw(numbers())]
    sep = draw(st.sampled_from(["", "", "，", "\n"]))
    return lead + sep.join(items)


@st.composite
def heading(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 25))
    marker = draw(st.sampled_from(["", f"{cn(n)}、", f"（{cn(n)}）", f"{n}.", f"{n}．", f"第{cn(n)}章 ", f"第{cn(n)}条 ", "——"]))
    return marker + draw(phrase(1, 4)) + draw(st.sampled_from(["", "", "。", "："]))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "body",
                "body",
                "enum",
                "enum",
                "runin-heading",
                "heading",
                "title",
                "byline",
                "dateline",
                "salutation",
                "closing",
                "furniture",
                "markers-only",
                "dash",
            ]
        )
    )
    if kind == "body":
        return "".join(draw(st.lists(sentence(), min_size=1, max_size=4)))
    if kind == "enum":
        return draw(enumeration())
    if kind == "runin-heading":
        return draw(phrase(2, 4)) + "。" + draw(enumeration())
    if kind == "heading":
        return draw(heading())
    if kind == "title":
        return draw(phrase(1, 4))
    if kind == "byline":
        return draw(st.sampled_from(["", "国务院总理　", "本报记者 ", "□ "])) + " ".join(
            draw(st.lists(st.text(CHARS, min_size=2, max_size=3), min_size=1, max_size=3))
        )
    if kind == "dateline":
        return (
            f"——{draw(st.integers(1990, 2030))}年{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日在"
            + draw(phrase())
            + "上"
        )
    if kind == "salutation":
        return draw(st.sampled_from(["各位代表：", "各位代表！", "同志们："])) + draw(st.sampled_from(["", draw(sentence())]))
    if kind == "closing":
        return f"（作者单位：{draw(phrase())}。本文系{draw(phrase())}成果）"
    if kind == "furniture":
        return draw(
            st.sampled_from(
                ["相关报道：" + draw(phrase()), "【打印】【关闭】", "本作品在全世界都属于公有领域", "来源：" + draw(phrase())]
            )
        )
    if kind == "dash":
        return "——" + draw(sentence())
    return "".join(runin(n, "shi") for n in draw(numbers()))  # 一是二是三是


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """Layout and transmission damage: hard wraps, cuts, odd characters."""
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["wrap", "wrap", "cut", "odd", "column"]))
        if op == "wrap":
            chars.insert(i, "\n")
        elif op == "column":
            chars.insert(i, "\n\n")
        elif op == "cut":
            del chars[i : i + draw(st.integers(1, 30))]
        else:
            chars.insert(i, draw(st.sampled_from(ODD)))
    return "".join(chars)


@st.composite
def document(draw: st.DrawFn) -> str:
    paras = draw(st.lists(paragraph(), min_size=1, max_size=14))
    out = []
    for p in paras:
        indent = draw(st.sampled_from(["", "", "\u3000\u3000", "  "]))
        p = draw(damaged(p)) if draw(st.booleans()) else p
        trail = draw(st.sampled_from(["", "", " ", "\u3000"]))
        out.append(indent + p + trail)
    seps = [draw(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n", "\r\n\r\n", "\n \n"])) for _ in out]
    return "".join(p + s for p, s in zip(out, seps, strict=True))


# ---------------------------------------------------------------- catalogues

# YAML and JSON syntax a hand edit or another program might leave behind, and
# what an attacker would try: tags that construct objects, anchors, aliases,
# directives, deep nesting, huge numbers.
YAML_BITS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!set {a: null}",
    "!!timestamp 2024-01-01",
    "!foo ",
    "%TAG !p! tag:yaml.org,2002:python/\n---\n",
    "---\n",
    "...\n",
    "[" * 50,
    "{" * 50,
    "9" * 5000,
    "1e999",
    ".nan",
    "null",
    "~",
    "no",
    "2023-05-01",
    "010",
    "0x1F",
    "- ",
    ": ",
    "? ",
    "\t",
    "'",
    '"',
    "|",
    ">-",
    "#",
    "\n",
    "\\u0000",
    "\x00",
    "\ufeff",
    "\u2028",
    "𠮷",
]


@st.composite
def damaged_catalogue(draw: st.DrawFn, text: str) -> str:
    """A valid catalogue with a few edits: cut, duplicated, or hostile bits spliced in."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "insert", "delete", "duplicate", "truncate", "replace-value"]))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(YAML_BITS)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 40)) :]
        elif op == "duplicate":
            j = min(len(text), i + draw(st.integers(1, 200)))
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:i]
        else:
            # a value replaced, keeping the key: the schema check's job
            k = text.find(": ", i)
            if k >= 0:
                e = text.find("\n", k)
                e = len(text) if e < 0 else e
                text = text[: k + 2] + draw(st.sampled_from(YAML_BITS)).strip("\n") + text[e:]
    return text
