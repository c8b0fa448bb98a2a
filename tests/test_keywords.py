"""Keywords: the policy vocabulary, the stop list, IDF, term search, the command.

The issue's bar: on the seed, 新质生产力, 东数西算, 富矿精开 and 专精特新 are
single tokens and rank among the top terms of the essays that use them;
generic verbs (推进, 加强, 完善…) do not. Both are shown here, with the
counter-case (stock jieba, no stop list) beside each.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from guizhou_cli import keywords as kw
from guizhou_cli.catalogue import dumps_catalogue, loads_catalogue
from guizhou_cli.model import Catalogue, iter_measures, iter_sections
from guizhou_cli.sources import open_catalogue

from .cli_helpers import run
from .conftest import CORPUS, CORPUS_MISSING, ROOT, SEED

NAMED = ("新质生产力", "东数西算", "富矿精开", "专精特新")
GENERIC = (
    "推进 加强 完善 健全 提升 坚持 推动 促进 实施 加快 深化 强化 构建 打造 培育 "
    "实现 落实 开展 加大 发展 建设 提高 增强 积极 全面 进一步 工作 方面"
).split()
HAS_RJIEBA = kw.rjieba_available()
needs_rjieba = pytest.mark.skipif(not HAS_RJIEBA, reason="rjieba is not installed (pip install '.[fast]')")
BACKENDS = ["jieba", pytest.param("rjieba", marks=needs_rjieba)]


@pytest.fixture(scope="module")
def seed_cat() -> Catalogue:
    return open_catalogue([])


@pytest.fixture(scope="module")
def jieba_seg() -> kw.Segmenter:
    return kw.get_segmenter("jieba")


@pytest.fixture(scope="module")
def stock() -> kw.JiebaSegmenter:
    """jieba's own dictionary, nothing added: the counter-case."""
    return kw.JiebaSegmenter(())


def _corpus_texts() -> dict[str, str]:
    from guizhou_cli.read import read_source

    paths = [SEED, *sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else [SEED]
    return {p.name: read_source(str(p)).text for p in paths}


def _essay_text(e) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([e.title or "", e.lead or "", *(s.text for s in iter_sections(e.sections))])


# ------------------------------------------------------------ the dictionary


def test_bundled_dictionary_is_valid_and_sizeable() -> None:
    entries = kw.policy_dictionary()
    words = [e.word for e in entries]
    assert len(words) >= 400
    assert len(set(words)) == len(words)
    assert all(e.freq >= 1 for e in entries)
    for named in (*NAMED, "数实融合", "一网通办", "放管服", "互联网+"):
        assert named in words


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_dictionary_word_is_one_token_on_its_own(backend: str) -> None:
    seg = kw.get_segmenter(backend)
    split = [e.word for e in kw.policy_dictionary() if seg.cut(e.word) != [e.word]]
    assert split == []


def test_stock_jieba_splits_the_named_programmes(stock: kw.JiebaSegmenter) -> None:
    # why the dictionary exists
    for word in NAMED:
        assert stock.cut(word) != [word]
    assert stock.cut("新质生产力") == ["新质", "生产力"]


def test_named_programmes_are_single_tokens_everywhere_in_the_seed(seed_cat: Catalogue, jieba_seg: kw.Segmenter) -> None:
    for e in seed_cat.documents[0].essays:
        text = _essay_text(e)
        tokens = collections.Counter(jieba_seg.cut(text))
        for word in NAMED:
            assert tokens[word] == text.count(word), (e.id, word)
    assert sum(_essay_text(e).count("东数西算") for e in seed_cat.documents[0].essays) == 3


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("数据 要素 5\n", 3, "can never be one jieba token"),
        ("“东数西算” 5\n", 3, "can never be one jieba token"),
        ("东数西算\n", 3, "needs a frequency"),
        ("东数西算 0\n", 3, "needs a frequency of at least 1"),
        ("东数西算 5\n东数西算 6\n", 4, "listed twice"),
        ("东数西算 5 n extra\n", 3, "can never be one jieba token"),
    ],
)
def test_dictionary_errors_name_the_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(kw.KeywordsError, match=problem) as info:
        kw.parse_dictionary("# a comment\n\n" + text, "my.txt")
    assert str(info.value).startswith(f"my.txt:{line}: ")


def test_dictionary_comments_tags_and_bom() -> None:
    entries = kw.parse_dictionary("\ufeff新质生产力 500 n  # a coinage\n互联网+ 20\n")
    assert entries == (kw.Entry("新质生产力", 500, "n"), kw.Entry("互联网+", 20))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_dictionary_frequencies_are_what_the_tool_computes() -> None:
    # the file is hand-curated; its numbers must come from tools/build_policy_dict.py
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_policy_dict.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr


# ------------------------------------------------------------ the done-when bar


def test_named_programmes_rank_among_the_top_terms_of_the_essays_using_them(seed_cat: Catalogue) -> None:
    groups = {g.essay: g for g in kw.essay_keywords(seed_cat)}
    checked = 0
    for e in seed_cat.documents[0].essays:
        top = [t.term for t in groups[e.id].terms]
        assert len(top) == 8
        for word in NAMED:
            if _essay_text(e).count(word) >= 2:
                assert word in top, (e.id, word, top)
                checked += 1
    # 新质生产力 ×4 essays, 东数西算 (e2), 富矿精开 (e3), 专精特新 (e2)
    assert checked == 7
    # said once, in passing, a programme still makes the essay's list (e4)
    assert "东数西算" in [t.term for t in groups["e4"].terms]
    assert [t.term for t in groups["e2"].terms][:2] == ["专精特新", "科技入黔"]
    assert groups["e3"].terms[0].term == "富矿精开"


def test_generic_verbs_never_rank_anywhere(seed_cat: Catalogue) -> None:
    tagged = kw.add_keywords(seed_cat)
    lists = [[t.term for t in g.terms] for g in kw.essay_keywords(seed_cat)]
    for *_where, m in iter_measures(tagged):
        assert m.keywords is not None
        lists.append([k.term for k in m.keywords])
    for e in tagged.documents[0].essays:
        for s in iter_sections(e.sections):
            assert s.keywords is not None
            lists.append([k.term for k in s.keywords])
    assert len(lists) > 40
    for terms in lists:
        assert not set(terms) & set(GENERIC), terms
        assert not any(t in ("一是", "二是", "三个", "第一") for t in terms)


def test_without_the_stop_list_generic_verbs_would_rank(seed_cat: Catalogue, jieba_seg: kw.Segmenter) -> None:
    bare = kw.Vocabulary(stop=())
    seen: set[str] = set()
    for e in seed_cat.documents[0].essays:
        counts = collections.Counter(jieba_seg.cut(_essay_text(e)))
        seen.update(t.term for t in kw.top_terms(counts, kw.bundled_idf(), top=8, vocabulary=bare))
    assert seen & set(GENERIC)


def test_a_measure_names_its_programme(seed_cat: Catalogue) -> None:
    tagged = kw.add_keywords(seed_cat, top=5)
    by_id = {m.id: m for _d, _e, _s, m in iter_measures(tagged)}
    m = by_id["e4.s1.m1"]  # 加快推进大数据基础设施建设。深入实施“东数西算”工程…
    assert m.keywords is not None and len(m.keywords) == 5
    # said once but quoted, it weighs what 算力枢纽 said twice does
    assert {k.term for k in m.keywords[:2]} == {"东数西算", "算力枢纽"}
    tail = by_id["e3.s2.m1"].keywords
    assert tail is not None and tail[0].term == "尾矿"


# ------------------------------------------------------------ add_keywords and the catalogue


def test_add_keywords_returns_a_new_catalogue_that_round_trips(seed_cat: Catalogue) -> None:
    tagged = kw.add_keywords(seed_cat, top=4)
    assert all(m.keywords is None for *_x, m in iter_measures(seed_cat))
    assert all(m.keywords is not None and 0 < len(m.keywords) <= 4 for *_x, m in iter_measures(tagged))
    back = loads_catalogue(dumps_catalogue(tagged))
    for (_a, _b, _c, m1), (_d, _e, _f, m2) in zip(iter_measures(tagged), iter_measures(back), strict=True):
        assert m1.keywords is not None and m2.keywords is not None
        assert [k.term for k in m1.keywords] == [k.term for k in m2.keywords]
        assert [round(k.weight, 4) for k in m1.keywords] == [k.weight for k in m2.keywords]
    text = dumps_catalogue(tagged)
    assert "term: 东数西算" in text


def test_section_keywords_cover_the_text_between_measures(seed_cat: Catalogue) -> None:
    # measures and the gaps between them are segmented once each; the section
    # still counts its heading and markers' neighbourhood
    tagged = kw.add_keywords(seed_cat, top=20)
    s = next(s for e in tagged.documents[0].essays for s in e.sections if s.id == "e3.s4")
    assert s.keywords is not None
    assert "新工科" in [k.term for k in s.keywords]  # only in the heading: 打造“新工科”人才高地


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_backends_give_the_same_keywords(seed_cat: Catalogue, backend: str) -> None:
    ref = kw.essay_keywords(seed_cat, segmenter=kw.get_segmenter("jieba"))
    assert kw.essay_keywords(seed_cat, segmenter=kw.get_segmenter(backend)) == ref


# ------------------------------------------------------------ term search


def test_term_matches_whole_tokens_only(seed_cat: Catalogue) -> None:
    measures = [m for *_x, m in iter_measures(seed_cat)]
    hits = kw.measures_with_term(measures, "数据")
    by_id = {m.id: m for m in measures}
    assert "数据库" in by_id["e3.s3.m1"].text and "e3.s3.m1" not in hits  # 数据库 is another word
    assert {"e4.s2.m1", "e4.s2.m2", "e3.s2.m3"} <= hits
    for mid in hits:
        assert "数据" in by_id[mid].text
    assert kw.measures_with_term(measures, "东数西算") == {"e4.s1.m1"}


def test_term_of_several_tokens_matches_them_in_order(seed_cat: Catalogue) -> None:
    measures = [m for *_x, m in iter_measures(seed_cat)]
    # 数据安全意识 → 数据安全 / 意识
    assert kw.measures_with_term(measures, "数据安全意识") == {"e4.s2.m2"}
    assert kw.measures_with_term(measures, "  ") == set()
    assert kw.measures_with_term(measures, "不存在的词") == set()


# ------------------------------------------------------------ IDF


def test_idf_from_counts() -> None:
    docs = [collections.Counter({"数据": 3, "尾矿": 1}), collections.Counter({"数据": 1}), collections.Counter({"算力": 2})]
    idf = kw.idf_from_counts(docs, "t")
    assert idf("数据") == pytest.approx(0.4700, abs=1e-4)  # ln(4 / 2.5)
    assert idf("尾矿") == pytest.approx(0.9808, abs=1e-4)  # ln(4 / 1.5)
    assert idf("没见过") == pytest.approx(2.0794, abs=1e-4)  # ln(8): rarer than anything seen
    with pytest.raises(kw.KeywordsError, match="at least 2 essays"):
        kw.idf_from_counts(docs[:1], "one.txt")


def test_bundled_idf_is_jiebas_table() -> None:
    idf = kw.bundled_idf()
    assert len(idf.table) > 200_000
    assert idf("发展") < idf("尾矿") < idf.default + 1
    assert idf("东数西算") == idf.default  # the median, jieba's convention


def test_idf_table_file(tmp_path: Path) -> None:
    f = tmp_path / "my.idf"
    f.write_text("尾矿 9.5\n数据 1.0\n算力 5\n", encoding="utf-8")
    idf = kw.load_idf(f)
    assert idf("尾矿") == 9.5 and idf.default == 5.0
    f.write_text("尾矿 9.5\n坏行\n", encoding="utf-8")
    with pytest.raises(kw.KeywordsError, match=r"my\.idf:2: expected 'word idf'"):
        kw.load_idf(f)
    with pytest.raises(kw.KeywordsError, match="no such file"):
        kw.load_idf(tmp_path / "missing")


def test_idf_from_one_document_with_several_essays() -> None:
    idf = kw.load_idf(SEED)  # not a 'word idf' table: the seed page's four essays
    assert idf.default == pytest.approx(2.3026, abs=1e-4)  # ln(2 × (4 + 1))


def test_idf_from_a_directory_changes_the_ranking(seed_cat: Catalogue) -> None:
    idf = kw.load_idf(ROOT / "seeds")
    assert idf.source.endswith("seeds")
    # 新质生产力 is in all four essays: a corpus IDF says it tells them apart least
    assert idf("新质生产力") < idf("富矿精开") < idf("尾矿")
    groups = kw.essay_keywords(seed_cat, idf=idf)
    assert [t.term for t in groups[2].terms][:2] == ["矿渣", "尾矿"]


# ------------------------------------------------------------ hygiene: private state, cache, logs, imports


def _py(code: str, env: dict[str, str] | None = None, flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, env=full, check=False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_private_tokenizer_cache_dir_and_silence(tmp_path: Path, backend: str) -> None:
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    tmp.mkdir()
    code = """
import logging, jieba
from guizhou_cli import keywords as kw
seg = kw.get_segmenter()
assert seg.cut("发展新质生产力") == ["发展", "新质生产力"]
assert not jieba.dt.initialized and "新质生产力" not in jieba.dt.FREQ   # the global tokenizer is untouched
assert logging.getLogger("jieba").level == logging.DEBUG               # and jieba's logger is as it was
print("ok")
"""
    env = {"XDG_CACHE_HOME": str(cache), "TMPDIR": str(tmp), "GUIZHOU_SEGMENTER": backend}
    for _ in range(2):  # the first run writes the cache, the second reads it
        r = _py(code, env, flags=("-W", "error"))
        assert r.returncode == 0, r.stderr
        assert r.stdout == "ok\n"
        assert r.stderr == ""  # no "Building prefix dict…", no warnings
    # rjieba needs no cache (only jieba's HMM tables, which are Python modules)
    written = [p.name for p in (cache / "guizhou-cli").iterdir()] if (cache / "guizhou-cli").exists() else []
    assert written == (["jieba-0.42.1.cache"] if backend == "jieba" else [])
    assert list(tmp.iterdir()) == []


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert kw.cache_dir() == tmp_path / "guizhou-cli"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # the spec says: ignore
    assert kw.cache_dir() == Path.home() / ".cache" / "guizhou-cli"


def test_unknown_segmenter_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIZHOU_SEGMENTER", "thulac")
    with pytest.raises(kw.KeywordsError, match="unknown segmenter 'thulac'"):
        kw.get_segmenter()


def test_nothing_loads_jieba_unless_keywords_are_asked_for() -> None:
    code = """
import io, sys, contextlib
from guizhou_cli.cli import main, Environment
import guizhou_cli.keywords
out = io.StringIO()
with contextlib.redirect_stdout(out):
    assert main(["--help"], env=Environment(stdout=out)) == 0
    assert main(["extract"], env=Environment(stdout=out)) == 0
loaded = sorted(m for m in ("jieba", "rjieba") if m in sys.modules)
print(loaded)
"""
    r = _py(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


# ------------------------------------------------------------ rjieba: the same tokens, or not used


@needs_rjieba
def test_rjieba_tokens_equal_jiebas_on_seed_and_corpus(jieba_seg: kw.Segmenter) -> None:
    fast = kw.get_segmenter("rjieba")
    texts = _corpus_texts()
    assert len(texts) >= (32 if CORPUS.is_dir() else 1)
    for name, text in texts.items():
        assert fast.cut(text) == jieba_seg.cut(text), name


@needs_rjieba
@pytest.mark.parametrize(
    "text",
    [
        "据质质质发",  # jieba-rs's own HMM breaks the tie the other way: 据质 / 质质发
        "㐀㐁中国人",  # CJK extension A: jieba leaves it out of its Han range
        "鿰鿱发展",  # U+9FF0: likewise
        "𠮷野家在北京",  # extension B
        "COVID-19疫情",  # jieba-rs's HMM keeps it whole, jieba splits at the hyphen
        "2011-2020年",
        "增长13.2.5%",
        "a_3false",
        "深入推进互联网+政务服务",
        "推行“数字赋能+N”模式",
        "\r\n\u3000\u3000各位代表：",
        "a\x00b-2\x001.5-3",
        "abc网球拍卖会def5G",  # without its HMM jieba-rs joins single letters: still one run
    ],
)
def test_rjieba_corrections(jieba_seg: kw.Segmenter, text: str) -> None:
    assert kw.get_segmenter("rjieba").cut(text) == jieba_seg.cut(text)


_ALPHABET = st.sampled_from(
    list("的数据发展新质生产力东西算富矿精开专特推进一是二据质质质")
    + list("0123456789aZx+#&._%-")
    + [" ", "\n", "\r\n", "\u3000", "，", "。", "“", "”", "㐀", "鿰", "𠮷", "豈", "①", "１", "\u200b", "\x00"]
    + ["新质生产力", "东数西算", "互联网+", "数字赋能+N", "两新一重"]
)


@needs_rjieba
@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=20).map("".join))
def test_rjieba_equals_jieba_on_mixed_text(text: str) -> None:
    assert kw.get_segmenter("rjieba").cut(text) == kw.get_segmenter("jieba").cut(text)


# ------------------------------------------------------------ the command


def test_cli_tsv_when_piped() -> None:
    r = run("keywords", "--top", "3")
    assert r.code == 0, r.err
    rows = list(csv.reader(io.StringIO(r.out), delimiter="\t"))
    assert rows[0] == ["source", "essay", "title", "rank", "term", "weight", "count"]
    assert len(rows) == 1 + 4 * 3
    assert ["e2", "1", "专精特新"] == [rows[4][1], rows[4][3], rows[4][4]]
    assert r.err == ""


def test_cli_json_groups() -> None:
    r = run("keywords", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [g["essay"] for g in data] == ["e1", "e2", "e3", "e4"]
    assert data[2]["keywords"][0] == {"term": "富矿精开", "weight": pytest.approx(0.6, abs=0.1), "count": 5}
    assert yaml.safe_load(run("keywords", "-f", "yaml").out) == data
    lines = run("keywords", "-f", "jsonl").out.splitlines()
    assert [json.loads(x) for x in lines] == data


def test_cli_table_on_a_terminal() -> None:
    r = run("keywords", "--no-color", tty=True)
    assert r.code == 0, r.err
    for word in (*NAMED, "以创新激活数字生产力赋能高质量发展"):
        assert word in r.out
    assert "\x1b[" not in r.out


def test_cli_by_document_and_csv() -> None:
    r = run("keywords", "--by", "document", "-f", "csv", "-n", "5")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == 5 and "essay" not in rows[0]
    assert "新质生产力" in [row["term"] for row in rows]


def test_extract_with_keywords() -> None:
    r = run("extract", "--keywords")
    assert r.code == 0, r.err
    cat = loads_catalogue(r.out)
    measures = [m for *_x, m in iter_measures(cat)]
    assert measures and all(m.keywords for m in measures)
    assert "东数西算" in [k.term for k in next(m for m in measures if m.id == "e4.s1.m1").keywords or ()]
    assert "keywords" not in run("extract").out


def test_cli_catalogue_source(tmp_path: Path) -> None:
    cat = tmp_path / "seed.yaml"
    assert run("extract", "-o", str(cat)).code == 0
    assert run("keywords", str(cat), "-f", "json").out == run("keywords", "-f", "json").out


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_cli_compare_two_reports() -> None:
    a, b = CORPUS / "gwr-national-2019.txt", CORPUS / "gwr-national-2023.txt"
    r = run("keywords", "--compare", str(a), str(b), "-f", "json", "-n", "10")
    assert r.code == 0, r.err
    rows = json.loads(r.out)
    rose = [x["term"] for x in rows if x["change"] > 0]
    fell = [x["term"] for x in rows if x["change"] < 0]
    assert len(rose) == len(fell) == 10
    assert "疫情" in rose  # 2019 had no epidemic; 2023 looks back on three years of it
    assert all(x["trend"] == "new" for x in rows if x["count_a"] == 0)
    table = run("keywords", "--compare", str(a), str(b), "--no-color", tty=True)
    assert table.code == 0 and "rose" in table.out and "fell" in table.out


def test_cli_usage_errors() -> None:
    r = run("keywords", "x.txt", "--compare", "a", "b")
    assert r.code == 2 and "--compare" in r.err
    r = run("keywords", "--idf-from", "/no/such/dir")
    assert r.code == 2
    assert r.err.strip() == "guizhou: error: /no/such/dir: no such file or directory"


# ------------------------------------------------------------ one pass, the same results (issue 15)
#
# The keyword code cuts each text once, runs its own copies of jieba's
# route search and HMM, and weighs with set-free C passes. The reference
# here is the plain way: jieba's own ``lcut`` on every text, the old
# per-token weighing loop with heapq. Results must be equal, floats and all.


def _reference_top(idf: kw.Idf, counts: collections.Counter[str], top: int, quoted: frozenset[str]) -> tuple:  # type: ignore[type-arg]
    import heapq

    vocab = kw.default_vocabulary()
    scored: list[tuple[float, str]] = []
    total = 0
    for t, n in counts.items():
        w = idf(t) * vocab.boost(t) if vocab.is_term(t) else -1.0
        if w < 0:
            continue
        total += n
        w *= n
        if t in quoted:
            w *= kw.QUOTED_BOOST
        scored.append((-w, t))
    if not total:
        return ()
    return tuple(kw.Keyword(t, -w / total) for w, t in heapq.nsmallest(top, scored))


def _reference_add_keywords(cat: Catalogue, cut, top: int = 8) -> dict[tuple[str, str], tuple]:  # type: ignore[no-untyped-def, type-arg]
    """(document, measure or section id) → keywords, every text segmented on its own by ``cut``."""
    idf = kw.bundled_idf()
    out: dict[tuple[str, str], tuple] = {}  # type: ignore[type-arg]
    for d in cat.documents:
        for e in d.essays:
            for s in iter_sections(e.sections):
                per: dict[str, list[str]] = {}
                for m in s.measures:
                    per[m.id] = cut(kw._measure_text(m))
                    q = kw.quoted(kw._measure_text(m))
                    out[d.source, m.id] = _reference_top(idf, collections.Counter(per[m.id]), top, q)
                # the section: the gaps between its measures and the measures' own tokens
                tokens: list[str] = []
                pos = 0
                for m in s.measures:
                    i = s.text.find(m.text, pos) if m.text else -1
                    if i < 0 or kw._measure_text(m) != m.text:
                        tokens = cut(s.text)
                        pos = len(s.text)
                        break
                    tokens += cut(s.text[pos:i]) + per[m.id]
                    pos = i + len(m.text)
                tokens += cut(s.text[pos:]) if pos < len(s.text) else []
                out[d.source, s.id] = _reference_top(idf, collections.Counter(tokens), top, kw.quoted(s.text))
    return out


def _tagged(cat: Catalogue) -> dict[tuple[str, str], tuple]:  # type: ignore[type-arg]
    out: dict[tuple[str, str], tuple] = {}  # type: ignore[type-arg]
    for d in cat.documents:
        for e in d.essays:
            for s in iter_sections(e.sections):
                out[d.source, s.id] = s.keywords
                for m in s.measures:
                    out[d.source, m.id] = m.keywords
    return out


@pytest.fixture(scope="module")
def corpus_cat() -> Catalogue:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    return open_catalogue([str(CORPUS)])


def test_jieba_segmenter_is_jiebas_own_lcut_on_seed_and_corpus(jieba_seg: kw.JiebaSegmenter) -> None:
    # the seed and every third report whole (the reference tests below cut
    # every text of the corpus, piece by piece, with jieba's own lcut)
    lcut = jieba_seg.tokenizer.lcut  # type: ignore[attr-defined]
    for name, text in list(_corpus_texts().items())[::3]:
        assert jieba_seg.cut(text) == lcut(text), name


@functools.cache
def _stock_segmenter() -> kw.JiebaSegmenter:
    return kw.JiebaSegmenter(())


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=20).map("".join))
def test_jieba_segmenter_is_jiebas_own_lcut_on_mixed_text(text: str) -> None:
    for seg in (kw.get_segmenter("jieba"), _stock_segmenter()):  # with and without the policy words
        assert seg.cut(text) == seg.tokenizer.lcut(text)  # type: ignore[attr-defined]


def test_a_word_added_to_the_tokenizer_later_is_seen() -> None:
    seg = kw.JiebaSegmenter(())
    assert seg.cut("新质生产力") == ["新质", "生产力"]
    seg.tokenizer.add_word("新质生产力", 1000)
    assert seg.cut("新质生产力") == seg.tokenizer.lcut("新质生产力") == ["新质生产力"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("据质发展的了数据东西南北中国人民一二三abcX09.%，。 \n")), max_size=30))
def test_hmm_is_jiebas_finalseg(text: str) -> None:
    jieba = kw._import_jieba()
    assert kw._Hmm(jieba.finalseg).cut(text) == list(jieba.finalseg.cut(text))


def test_hmm_is_jiebas_finalseg_on_the_seed() -> None:
    jieba = kw._import_jieba()
    hmm = kw._Hmm(jieba.finalseg)
    text = SEED.read_text(encoding="utf-8")
    pieces = [text[i : i + n] for n in (2, 3, 5, 9) for i in range(0, len(text), 11)]
    assert [hmm.cut(p) for p in pieces] == [list(jieba.finalseg.cut(p)) for p in pieces]


def test_add_keywords_equals_per_text_reference_on_the_seed(seed_cat: Catalogue, jieba_seg: kw.JiebaSegmenter) -> None:
    ref = _reference_add_keywords(seed_cat, jieba_seg.tokenizer.lcut)  # type: ignore[attr-defined]
    for backend in ("jieba", *(["rjieba"] if HAS_RJIEBA else [])):
        assert _tagged(kw.add_keywords(seed_cat, segmenter=kw.get_segmenter(backend))) == ref, backend


def test_add_keywords_per_document_equals_per_text_reference_on_the_corpus(corpus_cat: Catalogue) -> None:
    # what extract --keywords does: one call per document, with the default segmenter
    seg = kw.get_segmenter()
    tagged = [kw.add_keywords(Catalogue("", (d,)), segmenter=seg) for d in corpus_cat.documents]
    got: dict[tuple[str, str], tuple] = {}  # type: ignore[type-arg]
    for c in tagged:
        got.update(_tagged(c))
    ref = _reference_add_keywords(corpus_cat, kw.get_segmenter("jieba").tokenizer.lcut)  # type: ignore[attr-defined]
    assert len(got) == len(ref) > 2000
    assert got == ref


def test_essay_keywords_and_compare_equal_per_text_reference_on_the_corpus(corpus_cat: Catalogue) -> None:
    lcut = kw.get_segmenter("jieba").tokenizer.lcut  # type: ignore[attr-defined]
    idf = kw.bundled_idf()
    groups = kw.essay_keywords(corpus_cat)
    i = 0
    for d in corpus_cat.documents:
        for e in d.essays:
            counts = collections.Counter(t for text in kw._essay_texts(e) for t in lcut(text))
            ref = _reference_top(idf, counts, 8, kw._essay_quoted(e))
            assert tuple((t.term, t.weight) for t in groups[i].terms) == tuple((k.term, k.weight) for k in ref)
            assert all(t.count == counts[t.term] for t in groups[i].terms)
            i += 1
    assert i == len(groups)
    # compare and a corpus IDF through one cache: each text cut once, the same figures
    a, b = Catalogue("", corpus_cat.documents[:5]), Catalogue("", corpus_cat.documents[5:10])
    cache = kw.CachedSegmenter()
    assert kw.compare(a, b, segmenter=cache) == kw.compare(a, b)
    idf_own = kw.idf_from_catalogue(corpus_cat, segmenter=cache)
    assert kw.essay_keywords(corpus_cat, idf=idf_own, segmenter=cache) == kw.essay_keywords(corpus_cat, idf=idf_own)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*NAMED, *GENERIC, "矿渣", "尾矿", "数据", "，", "的", "2024", "一是", "x"]), st.integers(0, 9)
    ),
    st.integers(0, 12),
    st.frozensets(st.sampled_from([*NAMED, "矿渣", "数据", "不在"])),
    st.dictionaries(st.sampled_from(["矿渣", "尾矿", "数据", *NAMED]), st.sampled_from([-1.0, 0.0, 0.5, 2.0, 7.25])),
)
def test_weigher_equals_the_per_token_loop(
    counts: dict[str, int], top: int, quoted: frozenset[str], table: dict[str, float]
) -> None:
    idf = kw.Idf(table, 1.5, "test")  # ties, zero and negative weights, zero counts
    got = kw.Weigher(idf).top(collections.Counter(counts), top=top, quoted=quoted)
    ref = _reference_top(idf, collections.Counter(counts), top, quoted) if top > 0 else ()
    assert got == ref


class _Counting:
    name = "counting"

    def __init__(self, seg: kw.Segmenter) -> None:
        self.seg = seg
        self.texts: list[str] = []

    def cut(self, text: str) -> list[str]:
        self.texts.append(text)
        return self.seg.cut(text)


def test_cached_segmenter_cuts_each_text_once(seed_cat: Catalogue) -> None:
    counting = _Counting(kw.get_segmenter())
    cache = kw.CachedSegmenter(counting)
    idf = kw.idf_from_catalogue(seed_cat, "seed", segmenter=cache)
    groups = kw.essay_keywords(seed_cat, idf=idf, segmenter=cache)
    assert len(counting.texts) == len(set(counting.texts)) == len(cache._memo) > 10
    assert groups == kw.essay_keywords(seed_cat, idf=kw.idf_from_catalogue(seed_cat, "seed"))
    tokens = cache.cut(counting.texts[0])
    tokens.append("changed")  # a caller's list is its own
    assert cache.cut(counting.texts[0])[-1] != "changed"


def test_term_search_cuts_a_leading_title_only_with_its_text(seed_cat: Catalogue) -> None:
    measures = [m for *_x, m in iter_measures(seed_cat)]
    counting = _Counting(kw.get_segmenter())
    hits = kw.measures_with_term(measures, "数据", segmenter=counting)
    assert hits == kw.measures_with_term(measures, "数据", segmenter=kw.CachedSegmenter(_Counting(kw.get_segmenter("jieba"))))
    titles = {m.title for m in measures if m.title != m.text}
    assert not titles & set(counting.texts[1:])  # the titles lead their texts: never cut alone
    # a segmenter that is not jieba-like gets both cut, as before
    other = _Counting(kw.get_segmenter())
    other.seg = kw.get_segmenter()
    assert kw.measures_with_term(measures, "数据", segmenter=other) == hits


def test_leading_blocks() -> None:
    assert kw._leading_blocks("加快发展", "加快发展。其他")
    assert kw._leading_blocks("加快发展", "加快发展")
    assert not kw._leading_blocks("加快发", "加快发展")  # ends inside a block
    assert not kw._leading_blocks("加快\r", "加快\r\n发展")  # inside \r\n
    assert kw._leading_blocks("加快，", "加快，发展")
    assert not kw._leading_blocks("别的", "加快发展")


def test_on_progress_counts_characters_to_the_total(seed_cat: Catalogue) -> None:
    calls: list[tuple[int, int]] = []
    hook = lambda done, total: calls.append((done, total))  # noqa: E731
    n_essays = sum(len(d.essays) for d in seed_cat.documents)
    total = sum(kw._essay_size(e) for d in seed_cat.documents for e in d.essays)
    for run_it, steps in (
        (lambda: kw.add_keywords(seed_cat, on_progress=hook), n_essays),
        (lambda: kw.essay_keywords(seed_cat, on_progress=hook), n_essays),
        (lambda: kw.idf_from_catalogue(seed_cat, on_progress=hook), n_essays),
    ):
        calls.clear()
        run_it()
        assert calls[0] == (0, total) and calls[-1] == (total, total) and len(calls) == steps + 1
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    calls.clear()
    kw.essay_keywords(seed_cat, by="document", on_progress=hook)
    whole = total + sum(len(d.title or "") for d in seed_cat.documents)
    assert calls == [(0, whole), (whole, whole)]
    calls.clear()
    kw.compare(seed_cat, seed_cat, on_progress=hook)
    assert calls[-1] == (2 * whole, 2 * whole) and len(calls) == 3


def test_on_progress_can_stop_the_work(seed_cat: Catalogue) -> None:
    def stop(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        kw.add_keywords(seed_cat, on_progress=stop)


def test_one_weigher_per_idf_table() -> None:
    idf = kw.bundled_idf()
    assert kw._weigher(idf) is kw._weigher(idf)
    own = kw.Idf({"数据": 1.0}, 2.0, "own")
    assert kw._weigher(own) is not kw._weigher(idf)
