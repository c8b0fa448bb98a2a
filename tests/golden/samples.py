"""A small catalogue with text that trips up terminals and formats.

Built from the model directly, so it does not depend on the parser.
"""

from __future__ import annotations

from pathlib import Path

from guizhou_cli.catalogue import dump_catalogue
from guizhou_cli.model import Catalogue, Document, Essay, Measure, Repair, Section

MARKUP = "推进项目[22ZDA064]建设"
MARKUP_TEXT = "推进项目[22ZDA064]建设。落实措施[a]第一条，保留[/]与:smile:原样，[bold]不加粗[/bold]。"
ESCAPES = "清除\x1b[31m红色\x1b[0m控制符与\x9b2J八位转义\x07。"
LONG = (
    "加快推进大数据基础设施建设。深入实施“东数西算”工程，提升算力服务品质和利用效率，夯实网络等基础保障，"
    "厚植数字经济新基建新优势，全力打造贵州数字产业和人才集聚区、数字场景应用示范区。"
)
CELLS = '分隔符|竖线,逗号"引号\t制表\n换行\\反斜杠与no、010、2023-05-01'


def _m(mid: str, n: int, marker: str, title: str, text: str, line: int, **kw: object) -> Measure:
    return Measure(id=mid, n=n, marker=marker, kind="numbered", title=title, text=text, line=line, offset=line * 10, **kw)  # type: ignore[arg-type]


def tricky_catalogue() -> Catalogue:
    s1 = Section(
        id="e1.s1",
        heading="项目[22ZDA064]总体要求",
        marker="一、",
        n=1,
        fragment=False,
        truncated=False,
        line=3,
        offset=30,
        text="项目[22ZDA064]总体要求\n" + MARKUP_TEXT + ESCAPES + LONG,
        measures=(
            _m("e1.s1.m1", 1, "一是", MARKUP, MARKUP_TEXT, 3),
            _m("e1.s1.m2", 2, "二是", "清除\x1b[31m红色\x1b[0m控制符与\x9b2J八位转义\x07", ESCAPES, 3),
            _m("e1.s1.m3", 4, "四是", "加快推进大数据基础设施建设", LONG, 5, flags=("gap",), context="重点抓好三个方面："),
        ),
    )
    s2 = Section(
        id="e1.s2",
        heading=None,
        marker=None,
        n=None,
        fragment=True,
        truncated=True,
        line=7,
        offset=70,
        text="警系统。" + CELLS,
        measures=(_m("e1.s2.m1", 1, "（1）", '分隔符|竖线,逗号"引号', CELLS, 7),),
    )
    essay = Essay(
        id="e1",
        title="测试[bold]标题[/] :smile:",
        authors=("张三", "李四"),
        affiliation="某大学",
        note=None,
        lead=None,
        line=1,
        closing=None,
        sections=(s1, s2),
    )
    doc = Document(
        source="tricky.txt",
        sha256="0" * 64,
        encoding="utf-8",
        banner=None,
        title=None,
        dateline=None,
        essays=(essay,),
        repairs=(Repair("join-column", (5, 6), "joined “…基础保障，” + “厚植数字…” across a column break"),),
    )
    return Catalogue(generator="tests", documents=(doc,))


def write_tricky(directory: Path) -> Path:
    path = directory / "tricky.yaml"
    dump_catalogue(tricky_catalogue(), path)
    return path
