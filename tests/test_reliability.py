"""Hostile input: each bad input has an asserted outcome, and nothing is lost.

Bad input gets one line on stderr and exit 2, never a traceback, and an
existing output file is left as it was. Inputs that are odd but legitimate
(UTF-16, GB18030 beyond GBK, one huge line, a hundred thousand paragraphs,
thousands of files) are read whole, with every line accounted for. See also
test_cli_extract.py (missing path, empty file, PNG, stated encoding, missing
output directory, /dev/full with -o) and test_catalogue.py (hostile
catalogues).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from guizhou_cli import load_catalogue, loads_catalogue, parse_text
from guizhou_cli.model import iter_sections

from .cli_helpers import Result, run
from .conftest import ROOT, SEED
from .invariants import lost_lines

TEXT = "关于加强基层治理的意见\n\n加强组织领导。一是建立工作机制。二是压实各方责任。𠮷\n"


def _bad(r: Result, message: str) -> None:
    """One line on stderr naming the problem, exit 2, nothing on stdout."""
    assert r.code == 2, r
    assert r.out == ""
    assert r.err.startswith("guizhou: error: ") and r.err.count("\n") == 1, r.err
    assert message in r.err, r.err
    assert "Traceback" not in r.err


def _extract_keeps(tmp_path: Path, *args: str) -> Result:
    """Run extract -o over a precious file; it must survive, with no temporary files."""
    out = tmp_path / "precious.yaml"
    out.write_text("precious", encoding="utf-8")
    r = run("extract", *args, "-o", str(out))
    assert out.read_text(encoding="utf-8") == "precious"
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    return r


def _zip(**members: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# ------------------------------------------------------------ what a file holds


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (" \n\u3000\n\t\r\n\ufeff\u200b".encode(), "has no text (only whitespace)"),
        (_zip(**{"data/notes.txt": "一是"}), "zip"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "is a JPEG image, not a text file"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(64), "is a GIF image, not a text file"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "is a gzip archive, not a text file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "is an old Word .doc or an encrypted Office file"),
        # UTF-16 without a BOM is full of NUL bytes: refused, with the way out
        (TEXT.encode("utf-16-le"), "looks binary (NUL bytes); give a text file, or --encoding for UTF-16"),
        (b"caf\xe9 \xff\xfe\xfd" * 3, "neither UTF-8 (bad byte at 3) nor GB18030; name the encoding with --encoding"),
    ],
    ids=["empty", "whitespace", "zip", "jpeg", "gif", "gzip", "ole", "utf16-no-bom", "latin1"],
)
def test_what_is_not_a_text_document_is_refused(tmp_path, data, message):
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    _bad(_extract_keeps(tmp_path, str(p)), message)


@pytest.mark.parametrize(
    "data, encoding, message",
    [
        ("一是".encode() + b"\xff\xfe", "utf-8", "not valid utf-8 at byte 6 (ff fe)"),
        (b"\x81\x20abc", "gb18030", "not valid gb18030 at byte 0"),
        # 𠮷 is in GB18030 but not in GBK or GB2312: the stated codec fails at it
        (TEXT.encode("gb18030"), "gbk", "not valid gbk at byte"),
        (TEXT.encode("gb18030"), "gb2312", "not valid gb2312 at byte"),
        (TEXT.encode(), "no-such-codec", "unknown encoding 'no-such-codec'"),
        (TEXT.encode(), "rot13", "'rot13' is not a text encoding"),
        (TEXT.encode(), "zlib", "'zlib' is not a text encoding"),
        (b"\\ud800 abc", "unicode_escape", "invalid characters (lone surrogates)"),
    ],
)
def test_undecodable_with_a_stated_encoding(tmp_path, data, encoding, message):
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    _bad(_extract_keeps(tmp_path, str(p), "--encoding", encoding), message)


def _doc(r: Result):
    assert r.code == 0, r.err
    (doc,) = loads_catalogue(r.out).documents
    return doc


def _measures(doc):
    return [m.text for e in doc.essays for s in iter_sections(e.sections) for m in s.measures]


def test_gb18030_beyond_gbk_is_detected(tmp_path):
    p = tmp_path / "gb.txt"
    p.write_bytes(TEXT.encode("gb18030"))
    doc = _doc(run("extract", str(p), "-f", "json"))
    assert doc.encoding == "gb18030"
    assert _measures(doc) == ["建立工作机制。", "压实各方责任。𠮷"]


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (b"\xef\xbb\xbf" + TEXT.encode(), "utf-8"),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf32-bom", "utf8-bom"],
)
def test_a_bom_decides(tmp_path, data, encoding):
    p = tmp_path / "bom.txt"
    p.write_bytes(data)
    doc = _doc(run("extract", str(p), "-f", "json"))
    assert doc.encoding == encoding
    assert _measures(doc) == ["建立工作机制。", "压实各方责任。𠮷"]
    # offsets count characters of the decoded text: the BOM is not one
    assert doc.essays[0].sections[0].offset == TEXT.index("加强组织")


def test_utf16_without_bom_reads_with_a_stated_encoding(tmp_path):
    p = tmp_path / "le.txt"
    p.write_bytes(TEXT.encode("utf-16-le"))
    assert _measures(_doc(run("extract", str(p), "--encoding", "utf-16-le", "-f", "json"))) == [
        "建立工作机制。",
        "压实各方责任。𠮷",
    ]


# ------------------------------------------------------------ size and shape


def test_twenty_megabytes_without_a_line_break(tmp_path):
    # the seed's text on one line, repeated past 20 MB: one paragraph, read
    # whole, written, and read back with nothing lost (the YAML emitter folds
    # a scalar this long at its spaces; the loader must unfold it)
    line = SEED.read_text(encoding="utf-8").replace("\n", "")
    text = line * (20 * 2**20 // len(line.encode()) + 1)
    assert "\n" not in text and len(text.encode()) > 20 * 2**20
    p = tmp_path / "one-line.txt"
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "one-line.yaml"
    r = run("extract", str(p), "-o", str(out))
    assert r.code == 0, r.err
    (doc,) = load_catalogue(out).documents
    assert not lost_lines(text, doc)


def test_a_hundred_thousand_one_character_paragraphs():
    # once quadratic (paragraphs before the first essay compared by value)
    text = "\n\n".join("甲乙丙丁戊己庚辛壬癸"[i % 10] for i in range(100_000)) + "\n"
    doc = parse_text(text, "many.txt")
    assert not lost_lines(text, doc)


def test_a_hundred_thousand_one_character_lines():
    # the same count as one block of lines: hard-wrap repair must stay linear
    text = "\n".join("甲乙丙丁戊己庚辛壬癸"[i % 10] for i in range(100_000)) + "\n"
    doc = parse_text(text, "lines.txt")
    assert not lost_lines(text, doc)


@pytest.mark.parametrize(
    "text", ["一是二是三是", "一是\n\n二是\n\n三是\n", "（一）（二）（三）", "一、\n二、\n三、\n", "——\n——\n"]
)
def test_a_document_of_markers_only(tmp_path, text):
    p = tmp_path / "markers.txt"
    p.write_text(text, encoding="utf-8")
    doc = _doc(run("extract", str(p), "-f", "json"))
    assert not lost_lines(text, doc)
    # a marker with nothing after it is not a measure
    assert all(_measures(doc)), _measures(doc)


def test_a_directory_of_thousands_of_files(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    n = 2000
    for i in range(n):
        (d / f"{i:05d}.txt").write_text(f"标题{i}\n\n加强组织领导。一是建立机制{i}。二是压实责任。\n", encoding="utf-8")
    (d / "notes.md.bak").write_text("not a document", encoding="utf-8")
    out = tmp_path / "all.yaml"
    r = run("extract", str(d), "-o", str(out))
    assert r.code == 0, r.err
    assert f"{n} document(s), {2 * n} measure(s)" in r.err
    cat = load_catalogue(out)
    assert [doc.source for doc in cat.documents] == [str(d / f"{i:05d}.txt") for i in range(n)]
    assert _measures(cat.documents[1234])[0] == "建立机制1234。"


# ------------------------------------------------------------ paths


def test_a_missing_path_among_good_ones_fails_before_writing(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    _bad(_extract_keeps(tmp_path, str(good), str(tmp_path / "nope.txt")), "nope.txt: no such file or directory")


def test_a_dangling_symlink_in_a_directory_is_reported_not_skipped(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    (d / "b.txt").symlink_to(tmp_path / "gone.txt")
    _bad(_extract_keeps(tmp_path, str(d)), "b.txt: is a broken symbolic link")


def test_a_device_is_refused_before_reading():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    # /dev/zero never ends: reading it would fill memory
    _bad(run("extract", "/dev/zero"), "/dev/zero: is a device, not a text file")


def test_a_file_that_fails_to_read():
    # /proc/self/mem opens (as anyone) but reading its first page is an I/O
    # error: a real unreadable file, whoever runs the tests
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("no /proc/self/mem (not Linux)")
    try:
        with open("/proc/self/mem", "rb") as fh:
            fh.read(1)
        pytest.skip("this kernel reads /proc/self/mem at offset 0")
    except OSError:
        pass
    _bad(run("extract", "/proc/self/mem"), "/proc/self/mem: cannot read: Input/output error")


def test_a_file_without_read_permission():
    """chmod 000 stops everyone but root; as root, the reading is done by a
    forked child that first drops to an unprivileged user."""
    base = Path(tempfile.mkdtemp(prefix="guizhou-perm-"))
    try:
        base.chmod(0o755)
        p = base / "secret.txt"
        p.write_text(TEXT, encoding="utf-8")
        p.chmod(0)
        if os.geteuid() != 0:
            r = run("extract", str(p))
        else:
            r = _as_nobody(lambda: run("extract", str(p)))
        _bad(r, "secret.txt: permission denied")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _as_nobody(fn):
    """``fn()`` in a forked child running as user nobody; its Result comes back by pipe."""
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(rd)
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            except OSError as exc:
                os.write(wr, json.dumps({"skip": f"cannot drop privileges: {exc}"}).encode())
                return
            r = fn()
            os.write(wr, json.dumps({"code": int(r.code), "out": r.out, "err": r.err}).encode())
        except BaseException as exc:
            os.write(wr, json.dumps({"crash": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(wr)
    with os.fdopen(rd, "rb") as fh:
        data = json.loads(fh.read() or b'{"crash": "no answer"}')
    os.waitpid(pid, 0)
    if "skip" in data:
        pytest.skip(data["skip"])
    assert "crash" not in data, data
    return Result(data["code"], data["out"], data["err"])


def test_a_pipe_is_read_whole(tmp_path):
    # a process substitution, <(iconv …), is a FIFO: read to its end, and not
    # sniffed first (which would eat the start of the document)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat > '{fifo}'"], stdin=subprocess.PIPE)
    try:
        writer.stdin.write(TEXT.encode())  # type: ignore[union-attr]
        writer.stdin.close()  # type: ignore[union-attr]
        doc = _doc(run("extract", str(fifo), "-f", "json"))
    finally:
        writer.wait(timeout=30)
    assert _measures(doc) == ["建立工作机制。", "压实各方责任。𠮷"]


# ------------------------------------------------------------ output


def test_output_into_a_directory_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _bad(run("extract", "-o", str(tmp_path / "file" / "c.yaml")), "does not exist")


def test_output_onto_a_directory(tmp_path):
    (tmp_path / "dir").mkdir()
    _bad(run("extract", "-o", str(tmp_path / "dir")), "cannot write: Is a directory")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_stdout_to_a_full_disk(fmt):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "guizhou_cli", "extract", "-f", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=ROOT,
            timeout=120,
        )
    assert p.returncode == 2
    assert p.stderr.decode() == "guizhou: error: standard output: cannot write: No space left on device\n"


def _env() -> dict[str, str]:
    # the checkout first, so the tests run against it with or without an install
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def test_the_module_entry_exits_with_the_code():
    p = subprocess.run(
        [sys.executable, "-m", "guizhou_cli", "extract", "/no/such/file.txt"],
        capture_output=True,
        env=_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert p.returncode == 2
    assert p.stderr.decode() == "guizhou: error: /no/such/file.txt: no such file or directory\n"


def test_an_unforeseen_os_error_is_one_line(monkeypatch):
    import guizhou_cli.extract as ex

    def boom(*a, **k):
        raise OSError(5, "Input/output error", "disk.txt")

    monkeypatch.setattr(ex, "plan", boom)
    _bad(run("extract", "x.txt"), "disk.txt: Input/output error")


def test_mode_bits_of_a_new_output_follow_the_umask(tmp_path):
    out = tmp_path / "c.yaml"
    old = os.umask(0o027)
    try:
        assert run("extract", "-o", str(out)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_missing_dependency_is_one_line_not_an_internal_error():
    from guizhou_cli.errors import missing_package

    try:
        import guizhou_no_such_package  # type: ignore[import-not-found]  # noqa: F401
    except ModuleNotFoundError as exc:
        assert missing_package(exc) == (
            "the package 'guizhou_no_such_package', which guizhou-cli needs, is not installed: "
            "reinstall it (pip install guizhou-cli)"
        )
    assert missing_package(ValueError("x")) is None
