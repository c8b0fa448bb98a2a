"""Robustness of extraction to the layouts users paste: the evaluation documents re-laid and scored.

    python bench/layout_variants.py                      # every layout, wraps at 38 characters
    python bench/layout_variants.py wrap_indent wrap_blank --width 27
    python bench/layout_variants.py --list               # the layouts and what they do

Each plain-text document of the evaluation set (``../shared/eval``, or
``GUIZHOU_EVAL=DIR``) is re-laid as a user's copy would be — CRLF, GB18030,
indents, blank lines, hard wraps at a fixed width (text copied out of PDFs,
e-papers and Word), half-width punctuation, a web page — extracted in this
process with the checkout's library and scored with the set's own ``score.py``.
It prints the mean measure F1 per layout, and every document that scores below
1.00 or places fewer measures than its unwrapped text. It measures accuracy,
not time, so it prints no machine line. ``tests/test_layout_variants.py`` holds
the fast checks of the same layouts.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from accuracy import _MEASURES, _scorer, eval_dir  # noqa: E402

NO_LINE_START = set("，。、；：！？）》”’」』】,.;:!?)")


def _lines(t: str) -> list[str]:
    return [ln.strip() for ln in t.split("\n") if ln.strip()]


def _cut(s: str, width: int) -> list[str]:
    return [s[i : i + width] for i in range(0, len(s), width)] or [""]


def _print(s: str, width: int) -> list[str]:
    """Broken as print breaks: Latin words whole and half as wide, punctuation hung at the line end."""
    out: list[str] = []
    cur, cells = "", 0
    for unit in re.findall(r"[A-Za-z0-9.%]+| |.", s):
        w = sum(1 if ord(ch) < 0x1100 else 2 for ch in unit)
        if cells + w > 2 * width and cur and unit not in NO_LINE_START:
            out.append(cur + (unit if unit == " " else ""))
            cur, cells = ("", 0) if unit == " " else (unit, w)
            continue
        cur += unit
        cells += w
    out.append(cur)
    return out


def _wrap(t: str, width: int, indent: bool, blank: bool, breaker: Callable[[str, int], list[str]] = _cut) -> str:
    out: list[str] = []
    for s in _lines(t):
        out.extend(breaker(("\u3000\u3000" if indent else "") + s, width))
        if blank:
            out.append("")
    return "\n".join(out)


def _indented(t: str, indent: str) -> str:
    return "\n".join(indent + s for s in _lines(t))


_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})

# name → (what it does, layout(text, width) → (text, suffix, encoding))
LAYOUTS: dict[str, tuple[str, Callable[[str, int], tuple[str, str, str]]]] = {
    "identity": ("the document as it is", lambda t, w: (t, ".txt", "utf-8")),
    "crlf": ("CRLF line ends", lambda t, w: (t.replace("\n", "\r\n"), ".txt", "utf-8")),
    "gbk": ("GB18030 bytes", lambda t, w: (t, ".txt", "gb18030")),
    "indent": ("each paragraph opens with 　　", lambda t, w: (_indented(t, "\u3000\u3000"), ".txt", "utf-8")),
    "spaces": ("each paragraph opens with four spaces", lambda t, w: (_indented(t, "    "), ".txt", "utf-8")),
    "noblank": ("no blank lines", lambda t, w: ("\n".join(_lines(t)), ".txt", "utf-8")),
    "blank": ("a blank line between every two lines", lambda t, w: ("\n\n".join(_lines(t)), ".txt", "utf-8")),
    "half": ("half-width punctuation", lambda t, w: (t.translate(_HALF), ".txt", "utf-8")),
    "wrap_indent": ("indented with 　　, cut every WIDTH characters", lambda t, w: (_wrap(t, w, True, False), ".txt", "utf-8")),
    "wrap_blank": (
        "cut every WIDTH characters, a blank line between paragraphs",
        lambda t, w: (_wrap(t, w, False, True), ".txt", "utf-8"),
    ),
    "wrap_plain": (
        "cut every WIDTH characters, nothing between paragraphs",
        lambda t, w: (_wrap(t, w, False, False), ".txt", "utf-8"),
    ),
    "print_indent": (
        "indented, broken at WIDTH as print breaks (kinsoku, Latin words whole)",
        lambda t, w: (_wrap(t, w, True, False, _print), ".txt", "utf-8"),
    ),
    "print_blank": (
        "broken at WIDTH as print breaks, a blank line between paragraphs",
        lambda t, w: (_wrap(t, w, False, True, _print), ".txt", "utf-8"),
    ),
    "html": (
        "a web page, one <p> a paragraph, with navigation and footer",
        lambda t, w: (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>页面</title></head><body>"
            "<div class='nav'>首页 &gt; 新闻</div><div class='content'>"
            + "".join(f"<p>{html.escape(s)}</p>" for s in _lines(t))
            + "</div><div class='footer'>版权所有</div></body></html>",
            ".html",
            "utf-8",
        ),
    ),
    "md": ("Markdown, a blank line between paragraphs", lambda t, w: ("\n\n".join(_lines(t)), ".md", "utf-8")),
}


def score(where: Path, layout: str, width: int) -> list[tuple[str, float, int, int, int | None]]:
    """(document, F1, hit, want, placed) for every plain-text document of the set under ``layout``."""
    import yaml

    from guizhou_cli import Catalogue, dump_catalogue, parse_file

    scorer = _scorer(where)
    make = LAYOUTS[layout][1]
    out: list[tuple[str, float, int, int, int | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold in sorted((where / "gold").glob("*.yaml")):
            file = yaml.safe_load(gold.read_text(encoding="utf-8"))["file"]
            src = where / "docs" / file
            if src.suffix != ".txt":
                continue
            text, suffix, encoding = make(src.read_text(encoding="utf-8"), width)
            doc = Path(tmp) / (src.stem + suffix)
            doc.write_bytes(text.encode(encoding))
            cat = Path(tmp) / f"{gold.stem}.yaml"
            dump_catalogue(Catalogue("bench/layout_variants.py", (parse_file(str(doc)),)), str(cat))
            buf = io.StringIO()
            argv = sys.argv
            sys.argv = ["score.py", str(gold), str(cat), "--min-f1", "0", "--doc", doc.name]
            try:
                with contextlib.redirect_stdout(buf):
                    scorer.main()
            finally:
                sys.argv = argv
            m = _MEASURES.search(buf.getvalue())
            if m is None:
                raise RuntimeError(f"{file} under {layout}: the scorer printed no measure line")
            placed = int(m.group(7)) if m.group(7) is not None else None
            out.append((file, float(m.group(3)), int(m.group(4)), int(m.group(5)), placed))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("layouts", nargs="*", help="layouts to run (default: all)")
    ap.add_argument("--width", type=int, default=38, help="characters a line for the wrapped layouts (default 38)")
    ap.add_argument("--eval", type=Path, default=None, help="the evaluation set (default ../shared/eval)")
    ap.add_argument("--list", action="store_true", help="list the layouts and exit")
    a = ap.parse_args(argv)
    if a.list:
        for name, (what, _) in LAYOUTS.items():
            print(f"{name:13s} {what.replace('WIDTH', str(a.width))}")
        return 0
    unknown = [n for n in a.layouts if n not in LAYOUTS]
    if unknown:
        print(f"layout_variants: unknown layout {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 2
    where = a.eval or eval_dir()
    if not (where / "gold").is_dir():
        print(f"layout_variants: no evaluation set at {where}", file=sys.stderr)
        return 2
    base = {f: placed for f, _, _, _, placed in score(where, "identity", a.width)}
    print(f"wrapped layouts at {a.width} characters a line; mean measure F1 over the plain-text documents")
    for layout in a.layouts or list(LAYOUTS):
        rows = score(where, layout, a.width)
        for f, f1, hit, want, placed in rows:
            lost = placed is not None and base[f] is not None and placed < base[f]
            if f1 < 0.995 or lost:
                shown = "" if placed is None else f", placed {placed} (unwrapped {base[f]})"
                print(f"  {layout:13s} {f:44s} F1={f1:.2f} ({hit}/{want}{shown})")
        mean = sum(r[1] for r in rows) / len(rows)
        print(f"{layout:13s} mean F1 {mean:.3f} over {len(rows)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
