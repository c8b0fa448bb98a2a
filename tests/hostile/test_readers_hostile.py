"""Hostile inputs for the readers (issue 16): each gives a one-line reason or a correct reading.

Every input is generated here (none is committed). Each case runs the installed
CLI in a subprocess, through a small wrapper that reports the child's exit
code, its stderr and its peak memory (``ru_maxrss``), so a reader that builds
gigabytes fails the test even when it ends up refusing the file. A generous
``timeout`` only guards the suite against a hang; no test asserts a time.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

MAX_RSS_MB = 500
HANG_GUARD = 120  # seconds: a guard against a hang, not a speed target

_WRAPPER = r"""
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(json.dumps({"rc": p.returncode, "err": p.stderr.decode("utf-8", "replace"), "rss": rss}))
"""


def run(path: Path, tmp: Path) -> tuple[int, str, dict[str, object] | None]:
    """``guizhou extract path``: exit code, stderr, the catalogue (when written)."""
    out = tmp / "out.yaml"
    cmd = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "guizhou_cli", "extract", str(path), "-o", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=HANG_GUARD, check=True)
    info = json.loads(res.stdout)
    assert info["rss"] < MAX_RSS_MB, f"peak memory {info['rss']} MB"
    err = str(info["err"])
    assert "Traceback" not in err and "internal error" not in err, err
    cat = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    return int(info["rc"]), err, cat


def refused(path: Path, tmp: Path, *words: str) -> str:
    rc, err, _ = run(path, tmp)
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def read_ok(path: Path, tmp: Path) -> tuple[str, dict[str, object]]:
    rc, err, cat = run(path, tmp)
    assert rc == 0, err
    assert cat is not None
    return yaml.safe_dump(cat, allow_unicode=True), cat


# ---------------------------------------------------------------- .docx

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PARA = (
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    "<w:r><w:t>加强就业服务，推进重点工作落实。</w:t></w:r></w:p>"
)


def docx(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def body(paras: str) -> str:
    return f"<w:document {_W}><w:body>{paras}</w:body></w:document>"


def numbering(levels: str) -> str:
    return (
        f'<w:numbering {_W}><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def level(i: int, start: int | str, fmt: str, text: str) -> str:
    return f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'


def test_docx_list_level_12_is_read(tmp_path: Path) -> None:
    levels = "".join(level(i, 1, "decimal", f"%{min(i + 1, 9)}.") for i in range(13))
    f = tmp_path / "lvl.docx"
    f.write_bytes(docx({"word/document.xml": body(_PARA.format(lvl=12)), "word/numbering.xml": numbering(levels)}))
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


@pytest.mark.parametrize("start", [2_000_000_000, "9" * 5000])
def test_docx_huge_letter_numbering(tmp_path: Path, start: int | str) -> None:
    f = tmp_path / "letters.docx"
    levels = level(0, start, "upperLetter", "%1.")
    f.write_bytes(docx({"word/document.xml": body(_PARA.format(lvl=0) * 3), "word/numbering.xml": numbering(levels)}))
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


def test_docx_numbering_bomb(tmp_path: Path) -> None:
    # 1.6 KB that once became 3 GB: a level text repeating a huge letter number
    f = tmp_path / "bomb.docx"
    levels = level(0, 10_000_000, "upperLetter", "%1" * 200)
    f.write_bytes(docx({"word/document.xml": body(_PARA.format(lvl=0) * 200), "word/numbering.xml": numbering(levels)}))
    assert f.stat().st_size < 4096
    read_ok(f, tmp_path)


def test_docx_2000_nested_hyperlinks(tmp_path: Path) -> None:
    nested = "<w:hyperlink>" * 2000 + "<w:r><w:t>加强就业服务。</w:t></w:r>" + "</w:hyperlink>" * 2000
    f = tmp_path / "links.docx"
    f.write_bytes(docx({"word/document.xml": body(f"<w:p>{nested}</w:p>")}))
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_docx_dtd_refused_in_any_encoding(tmp_path: Path, codec: str) -> None:
    xml = (
        f'<?xml version="1.0" encoding="{codec.upper()}"?><!DOCTYPE d [<!ENTITY a "加强就业服务。">]>'
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&a;&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    f = tmp_path / "dtd.docx"
    f.write_bytes(docx({"word/document.xml": xml.encode(codec)}))
    refused(f, tmp_path, "DTD")


def test_docx_part_that_expands_beyond_the_ratio(tmp_path: Path) -> None:
    # under the size cap, but 40 KB inflating to 30 MB of empty paragraphs
    f = tmp_path / "ratio.docx"
    f.write_bytes(docx({"word/document.xml": body("<w:p/>" * 5_000_000)}))
    assert f.stat().st_size < 100_000
    refused(f, tmp_path, "expands")


def test_docx_zip_header_lying_about_sizes(tmp_path: Path) -> None:
    # the headers say 1 KB; the part inflates to 40 MB
    data = bytearray(docx({"word/document.xml": body("<w:p><w:r><w:t>" + "a" * 40_000_000 + "</w:t></w:r></w:p>")}))
    real = len(body("<w:p><w:r><w:t>" + "a" * 40_000_000 + "</w:t></w:r></w:p>").encode())
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(sig, at)) != -1:
            if int.from_bytes(data[at + off : at + off + 4], "little") == real:
                data[at + off : at + off + 4] = (1024).to_bytes(4, "little")
            at += 4
    f = tmp_path / "lying.docx"
    f.write_bytes(bytes(data))
    refused(f, tmp_path, "lying.docx")


def test_docx_declared_size_over_the_cap(tmp_path: Path) -> None:
    data = bytearray(docx({"word/document.xml": body("<w:p><w:r><w:t>加</w:t></w:r></w:p>")}))
    at = data.find(b"word/document.xml", data.find(b"PK\x01\x02")) - 46
    data[at + 24 : at + 28] = (1 << 31).to_bytes(4, "little")  # central directory: 2 GB
    f = tmp_path / "declared.docx"
    f.write_bytes(bytes(data))
    refused(f, tmp_path, "document.xml")


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("depth", [20_000, 40_000])
def test_html_nested_deep(tmp_path: Path, depth: int) -> None:
    f = tmp_path / "deep.html"
    f.write_text(
        "<html><body>" + "<div><span>" * (depth // 2) + "<p>一是加强就业服务。二是推进重点工作落实。</p></body></html>",
        encoding="utf-8",
    )
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text
    assert "html-depth" in text


def test_html_one_line_beyond_the_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.html"
    f.write_bytes(b"<html><body>" + "<p>加强就业服务，推进重点工作落实。</p>".encode() * 1_700_000 + b"</body></html>")
    refused(f, tmp_path, "MB of HTML")


def test_html_one_line_beyond_the_text_limit(tmp_path: Path) -> None:
    f = tmp_path / "text.html"
    f.write_bytes(b"<html><body><p>" + "加强就业服务，推进重点工作落实".encode() * 100_000 + b"</p></body></html>")
    refused(f, tmp_path, "characters of text")


@pytest.mark.parametrize(
    "page",
    [
        "<p>加强就业服务，推进重点工作落实。&#&#<script>var x = 'LEAK1';</script></p><p>推进工作。</p>",
        "<p>加强就业服务，推进重点工作落实。&#x&#<script>LEAK2</script><noembed>LEAK3</noembed>"
        "<noframes>LEAK4</noframes><xmp>ok</xmp></p><p>推进工作。</p><!-- LEAK5 <p>LEAK6</p>",
        "<p>加强就业服务，推进重点工作落实。</p><p>推进工作。</p><div LEAK7",
        "<title>LEAK8 &amp; 标题</title><p>加强就业服务，推进重点工作落实。</p><p>推进工作。</p><textarea>LEAK9</textarea>",
    ],
)
def test_html_nothing_leaks(tmp_path: Path, page: str) -> None:
    f = tmp_path / "leak.html"
    f.write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text
    paragraphs = text.split("meta:")[-1]
    assert "LEAK" not in paragraphs.replace("LEAK8", "")


def test_html_utf16_meta_on_a_utf8_page(tmp_path: Path) -> None:
    f = tmp_path / "u16.html"
    page = '<html><head><meta charset="utf-16"></head><body><p>一是加强就业服务；二是推进重点工作落实。</p></body></html>'
    f.write_text(page, encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


@pytest.mark.parametrize("charset", ["unicode_escape", "rot13", "base64", "x-no-such-thing"])
def test_html_charset_that_is_no_encoding(tmp_path: Path, charset: str) -> None:
    f = tmp_path / "cs.html"
    page = f'<html><head><meta charset="{charset}"></head><body><p>加强就业服务，推进重点工作落实。\\u4e00</p></body></html>'
    f.write_text(page, encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text and "charset" in text


@pytest.mark.parametrize("ref", ["&#" + "9" * 5000 + ";", "&#x" + "f" * 5000 + ";", "&#99999999999;"])
def test_html_huge_character_reference(tmp_path: Path, ref: str) -> None:
    f = tmp_path / "ref.html"
    f.write_text(f"<html><body><p>加强就业服务，推进重点工作落实。{ref}</p></body></html>", encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


# ---------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    "line",
    [
        "[" * 100_000,
        "[a](" * 50_000,
        "![" * 50_000,
        " [^" * 50_000,
        "*a " * 40_000 + "a_ " * 40_000,
        "`" * 3 + "x" * 10 + " `" * 30_000,
    ],
)
def test_markdown_quadratic_shapes(tmp_path: Path, line: str) -> None:
    f = tmp_path / "q.md"
    f.write_text(f"# 标题\n\n{line}\n\n一是加强就业服务。二是推进重点工作落实。\n", encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强就业服务" in text


# ---------------------------------------------------------------- PDF

_CONTENT = b"BT /F1 12 Tf 72 720 Td (Hello world, a line of text.) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objs: list[bytes], prev: bool = False) -> bytes:
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    extra = f"/Prev {x} " if prev else ""  # this section's predecessor is itself
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R {extra}>>\nstartxref\n{x}\n%%EOF\n".encode()
    return out


def page(content: bytes = _CONTENT, resources: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
        + resources
        + b" >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        _FONT,
    ]


def test_pdf_xref_pointing_at_itself(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    f = tmp_path / "xref.pdf"
    f.write_bytes(pdf(page(), prev=True))
    text, _ = read_ok(f, tmp_path)
    assert "Hello world" in text


def test_pdf_object_that_is_a_reference_to_itself(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    objs = [*page(), b"6 0 R"]
    objs[2] = objs[2].replace(b"/Contents 4 0 R", b"/Contents 6 0 R")
    f = tmp_path / "self.pdf"
    f.write_bytes(pdf(objs))
    assert f.stat().st_size < 1000
    refused(f, tmp_path, "refers to itself")


def test_pdf_length_that_is_the_stream_itself(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    objs = page()
    objs[3] = b"<< /Length 4 0 R >>\nstream\n" + _CONTENT + b"\nendstream"
    f = tmp_path / "len.pdf"
    f.write_bytes(pdf(objs))
    refused(f, tmp_path, "damaged")


def test_pdf_compression_bomb(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    z = zlib.compressobj(9)
    comp = z.compress(b" " * 200_000_000) + z.flush()
    objs = page()
    objs[3] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream"
    f = tmp_path / "bomb.pdf"
    f.write_bytes(pdf(objs))
    refused(f, tmp_path, "expands")


def test_pdf_forms_drawing_each_other(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    objs = page(b"/XA Do", b"/XObject << /XA 6 0 R >>")
    for i in range(6, 26):  # each form draws the next twice: 2^20 draws
        c = b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET /XN Do /XN Do"
        nxt = i + 1 if i < 25 else 6
        objs.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
            b"/XObject << /XN %d 0 R >> >> /Length %d >>\nstream\n" % (nxt, len(c)) + c + b"\nendstream"
        )
    f = tmp_path / "forms.pdf"
    f.write_bytes(pdf(objs))
    refused(f, tmp_path, "refused")  # by the form count or the characters a page draws, whichever comes first


def test_markdown_nested_deep_loses_nothing(tmp_path: Path) -> None:
    f = tmp_path / "deep.md"
    items = "".join("  " * i + f"- 第{i}项，推进工作。\n" for i in range(40))
    f.write_text("# 标题\n\n" + "> " * 50_000 + "一是加强深层服务。\n\n" + items, encoding="utf-8")
    text, _ = read_ok(f, tmp_path)
    assert "加强深层服务" in text and "第39项" in text
    assert "markdown-depth" in text


def test_docx_zip_of_an_unknown_version(tmp_path: Path) -> None:
    data = bytearray(docx({"word/document.xml": body("<w:p><w:r><w:t>加强就业服务。</w:t></w:r></w:p>")}))
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = (253).to_bytes(2, "little")  # "version needed to extract": 25.3
    f = tmp_path / "version.docx"
    f.write_bytes(bytes(data))
    refused(f, tmp_path, "damaged")


def test_docx_millions_of_empty_paragraphs(tmp_path: Path) -> None:
    # 13 MB of <w:p/> (under the ratio floor) from 20 KB: refused before a tree is built
    f = tmp_path / "paras.docx"
    f.write_bytes(docx({"word/document.xml": body("<w:p/>" * 2_100_000)}))
    refused(f, tmp_path, "XML elements")
