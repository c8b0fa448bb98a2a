"""Fuzz the readers (Markdown, HTML, .docx, PDF) with mutated documents.

Each input is a valid small document of one format, mutated: bytes flipped,
cut or repeated, hostile tokens spliced in (unbalanced ``[``, ``&#`` without a
number, unclosed ``<!--`` and ``<script``, deep nesting, huge numbers,
self-references in PDF objects, DTDs and list levels in Word XML). The .docx
inputs are mostly re-zipped mutations of their XML parts (so the XML reader
is reached), sometimes damaged zip bytes. Every input goes through
``document_from_bytes`` (the reader, then the structure stage) and must
either read or be refused with an ``InputError``; anything else is an
internal error. Each input has a time budget (``--budget``, enforced with
SIGALRM): a run over it counts as a failure.

Prints the inputs tried per format, the outcomes, the slowest input, the
peak RSS and machine().

    python bench/bench_fuzz_readers.py                   # 10,000 inputs
    python bench/bench_fuzz_readers.py --inputs 100000 --seed 7
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import resource
import signal
import time
import traceback
import zipfile

from _common import machine, row  # puts the checkout first on sys.path

from guizhou_cli.errors import InputError
from guizhou_cli.formats import document_from_bytes

MD = """---
title: 关于推进重点工作的意见
author: 张三
date: 2026-01-05
---

# 关于推进重点工作的意见

> 李合亮《人民日报》（2026年04月30日第 09 版）

## 一、总体要求

**（一）加强就业服务。**推进[重点工作](https://example.com)落实，确保*取得*实效。

1. 一是完善制度；二是强化`监管`。
2. 落实责任 &amp; 考核。

| 项目 | 内容 |
|---|---|
| 任务 | 推进 |
"""

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于推进重点工作的意见 - 政务公开 - 某市</title>
<meta name="author" content="张三"></head><body><div class="crumb">首页 > 政务公开</div>
<div class="article"><h1>关于推进重点工作的意见</h1><p class="info">来源：某市政府 时间：2026-01-05</p>
<p><b>一、加强就业服务。</b>推进重点工作落实，确保取得实效&nbsp;&#12290;</p>
<p><strong>（一）</strong>完善制度；<span style="font-weight:bold">二是</span>强化监管。</p>
<table><tr><td>任务</td><td>推进工作落实。</td></tr></table><ul><li>落实责任。</li></ul>
<script>var x = "<p>不是正文</p>";</script><!-- 注释 --></div><div class="footer">版权所有</div></body></html>
"""

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_XML = {
    "word/document.xml": f"""<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>关于推进重点工作的意见</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>
<w:r><w:rPr><w:b/></w:rPr><w:t>加强就业服务。</w:t></w:r><w:r><w:t>推进工作落实。</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>
<w:hyperlink><w:r><w:t>完善制度，强化监管。</w:t></w:r></w:hyperlink></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>任务</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>""",
    "word/numbering.xml": f"""<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}><w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>""",
    "word/styles.xml": f"""<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Title">
<w:name w:val="Title"/><w:rPr><w:b/></w:rPr></w:style></w:styles>""",
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
}


def pdf_seed() -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (Hello world, the first line of text.) Tj 0 -14 Td (A second line.) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (A title) >>",
    ]
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    return out


TOKENS = {
    "markdown": [
        "[",
        "]",
        "(",
        ")",
        "![",
        "[^",
        "**",
        "*",
        "_",
        "~~",
        "`",
        "```",
        "\n",
        "\n\n",
        "> ",
        "# ",
        "---\n",
        "&#",
        "&#x",
        "<b>",
        "</b>",
        "<!--",
        "\\",
        "|",
        "1. ",
        "- ",
        "&" + "9" * 50 + ";",
    ],
    "html": [
        "<",
        ">",
        "</p>",
        "<p>",
        "<div>",
        "<b>",
        "</b>",
        "&#",
        "&#x",
        "&" + "#9" * 30 + ";",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<noembed>",
        "<noframes>",
        "<![CDATA[",
        "<?",
        "</",
        '<meta charset="utf-16">',
        '<meta charset="unicode_escape">',
        "<table><tr><td>",
        "<h1>",
        "<pre>",
        "&nbsp;",
        "\x00",
        "<br>",
        "<title>",
    ],
    "xml": [
        "<w:hyperlink>",
        "</w:hyperlink>",
        '<w:ilvl w:val="12"/>',
        '<w:ilvl w:val="-1"/>',
        '<w:start w:val="' + "9" * 60 + '"/>',
        '<w:lvlText w:val="%1%1%1%1%9"/>',
        '<!DOCTYPE d [<!ENTITY a "x">]>',
        "&a;",
        "<w:br/>",
        '<w:numFmt w:val="upperLetter"/>',
        "<w:t>",
        "</w:t>",
        '<w:outlineLvl w:val="99"/>',
        "<w:sdt><w:sdtContent>",
        "&#0;",
        "<",
    ],
    "pdf": [
        b"0 R",
        b"1 0 R",
        b"4 0 R",
        b"6 0 R",
        b"[",
        b"]",
        b"<<",
        b">>",
        b"/Prev 9",
        b"/Filter /FlateDecode",
        b"stream\n",
        b"endstream",
        b"(",
        b")",
        b"\\",
        b"/Length 4 0 R",
        b"Do",
        b"/Kids [2 0 R]",
        b"9999999999",
        b"-1",
        b"%%EOF",
        b"xref",
    ],
}


def mutate(data: bytes, rng: random.Random, tokens: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not b:
            b += rng.choice(tokens)
            continue
        op = rng.randrange(8)
        i = rng.randrange(len(b) + 1)
        if op == 0:
            b[i : i + 1] = bytes([rng.randrange(256)])
        elif op == 1:
            del b[i : i + rng.randint(1, 64)]
        elif op in (2, 3):
            b[i:i] = rng.choice(tokens) * rng.choice((1, 1, 1, 2, 10, 500, 5000))
        elif op == 4:  # repeat a slice
            j = min(len(b), i + rng.randint(1, 40))
            b[i:i] = bytes(b[i:j]) * rng.choice((2, 10, 300))
        elif op == 5:
            del b[i:]
        elif op == 6:  # swap two slices
            j = rng.randrange(len(b) + 1)
            a, c = sorted((i, j))
            b[a:c] = b[a:c][::-1] if rng.random() < 0.2 else b[a:c]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


# balanced fragments spliced between elements keep the XML well-formed
XML_FRAGMENTS = [
    "<w:hyperlink>" * 50 + "<w:r><w:t>链接</w:t></w:r>" + "</w:hyperlink>" * 50,
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="12"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>十二级</w:t></w:r></w:p>',
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>无此编号</w:t></w:r></w:p>',
    '<w:lvl w:ilvl="2"><w:start w:val="' + "9" * 40 + '"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1%2%3%9"/></w:lvl>',
    '<w:lvl w:ilvl="30"><w:start w:val="-5"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl>',
    '<w:num w:numId="7"><w:abstractNumId w:val="9"/>'
    '<w:lvlOverride w:ilvl="99"><w:startOverride w:val="3"/></w:lvlOverride></w:num>',
    "<w:sdt><w:sdtContent>" * 20 + "<w:p><w:r><w:t>控件</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 20,
    "<w:tbl>" + "<w:tr><w:tc>" * 30 + "<w:p><w:r><w:t>表格</w:t></w:r></w:p>" + "</w:tc></w:tr>" * 30 + "</w:tbl>",
    '<w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="A"/><w:pPr><w:outlineLvl w:val="99"/></w:pPr></w:style>',
    "<w:p><w:r><w:br/><w:br/><w:tab/><w:t>&#0;&#x1F600;</w:t></w:r></w:p>".replace("&#0;", ""),
    "<w:p/>" * 1000,
]


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    ends = [i + 1 for i, c in enumerate(text) if c == ">"][1:]
    for _ in range(rng.randint(1, 4)):
        at = rng.choice(ends)
        text = text[:at] + rng.choice(XML_FRAGMENTS) * rng.choice((1, 1, 3, 50)) + text[at:]
        ends = [i + 1 for i, c in enumerate(text) if c == ">"][1:]
    return text.encode("utf-8")


def mutate_text(text: str, rng: random.Random, tokens: list[str]) -> str:
    """Mutations at character boundaries: the text stays valid UTF-8, so the reader proper is reached."""
    t = text
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(t) + 1)
        op = rng.randrange(5)
        if op == 0:
            t = t[:i] + t[i + rng.randint(1, 64) :]
        elif op in (1, 2):
            t = t[:i] + rng.choice(tokens) * rng.choice((1, 1, 1, 2, 10, 500, 5000)) + t[i:]
        elif op == 3:
            j = min(len(t), i + rng.randint(1, 40))
            t = t[:i] + t[i:j] * rng.choice((2, 10, 300)) + t[i:]
        else:
            t = t[:i]
    return t


def make_input(fmt: str, rng: random.Random, pdf: bytes) -> bytes:
    if fmt in ("markdown", "html"):
        seed = MD if fmt == "markdown" else HTML
        if rng.random() < 0.8:
            return mutate_text(seed, rng, TOKENS[fmt]).encode("utf-8")
        return mutate(seed.encode(), rng, [t.encode() for t in TOKENS[fmt]])
    if fmt == "pdf":
        return mutate(pdf, rng, TOKENS["pdf"])  # type: ignore[arg-type]
    parts = {k: v.encode() for k, v in DOCX_XML.items()}
    name = rng.choice(["word/document.xml", "word/document.xml", "word/numbering.xml", "word/styles.xml"])
    if rng.random() < 0.6:
        parts[name] = mutate_xml(parts[name], rng)  # well-formed: the reader proper is reached
    else:
        parts[name] = mutate(parts[name], rng, [t.encode() for t in TOKENS["xml"]])
    if rng.random() < 0.1:
        parts[name] = parts[name].decode("utf-8", "replace").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    data = buf.getvalue()
    if rng.random() < 0.15:
        data = data[:4] + mutate(data[4:], rng, [b"PK", b"\xff\xff\xff\xff", b"\x00" * 8])
    return data


class Overrun(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Overrun


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=10_000, help="inputs in all, shared by the four formats")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds one input may take")
    args = ap.parse_args()
    print(machine())
    rng = random.Random(args.seed)
    pdf = pdf_seed()
    fmts = ["markdown", "html", "docx", "pdf"]
    outcomes: dict[str, collections.Counter[str]] = {f: collections.Counter() for f in fmts}
    slowest: dict[str, tuple[float, int]] = {f: (0.0, -1) for f in fmts}
    failures: list[str] = []
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.process_time()
    for n in range(args.inputs):
        fmt = fmts[n % 4]
        data = make_input(fmt, rng, pdf)
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.budget)
        try:
            document_from_bytes(data, f"fuzz-{n}", fmt=fmt)
            outcomes[fmt]["read"] += 1
        except InputError:
            outcomes[fmt]["refused (one line)"] += 1
        except Overrun:
            outcomes[fmt]["OVER BUDGET"] += 1
            failures.append(f"input {n} ({fmt}): over the {args.budget} s budget")
        except Exception as exc:
            outcomes[fmt]["INTERNAL ERROR"] += 1
            failures.append(f"input {n} ({fmt}): {type(exc).__name__}: {str(exc)[:120]}\n{traceback.format_exc(limit=-3)}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - start
        if took > slowest[fmt][0]:
            slowest[fmt] = (took, n)
    cpu = time.process_time() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"python bench/bench_fuzz_readers.py --inputs {args.inputs} --seed {args.seed} --budget {args.budget}")
    for fmt in fmts:
        got = ", ".join(f"{k} {v}" for k, v in sorted(outcomes[fmt].items()))
        row(f"{fmt}: {sum(outcomes[fmt].values())} inputs", got)
        row(f"{fmt}: slowest input", f"{slowest[fmt][0]:.2f} s (input {slowest[fmt][1]})", f"< {args.budget} s")
    row("CPU time", f"{cpu:.0f} s ({1000 * cpu / max(1, args.inputs):.1f} ms an input)")
    row("peak RSS of the run", f"{rss} MB")
    ok = not failures
    row("internal errors or runs over budget", str(len(failures)), "0", ok)
    for f in failures[:10]:
        print("  " + f.replace("\n", "\n    "))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
