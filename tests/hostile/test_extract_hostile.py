"""Hostile inputs to ``guizhou extract``, run as a real process: one file fails alone.

Each test runs the installed entry point in a subprocess and checks the exit
code, stdout and stderr apart, and the peak memory of the whole process tree
(the run and its workers) against 500 MB. The inputs are built here.

* a 655-byte PDF whose page tree is an object that refers to itself (pdfminer
  follows the reference forever) fails after the time limit, alone, also with
  --jobs; the worker reading it is killed;
* 200 files with one that cannot be read and one with a GBK name (bytes that
  are not UTF-8, as Windows zips leave them), under --jobs 8: the bad file is
  reported in one line, the others are written with --keep-going, the GBK
  name is recorded and shown with \\xNN escapes, never a UnicodeEncodeError.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT, SEED

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, RLIMIT_AS and names of any bytes")

LIMIT_MB = 500

# Runs the command as its child and reports the child's peak RSS: wait4 gives
# the largest of the child and the workers it reaped (Linux), and the child,
# forked from this small process, inherits no high-water mark from pytest.
_MEASURE = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "guizhou_cli", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass
class Ran:
    code: int
    out: bytes
    err: str
    peak_mb: float


def errors(err: str) -> list[str]:
    """stderr without the coverage warnings (a seed prefix may hold sections and no measure)."""
    return [line for line in err.splitlines() if ": warning: " not in line]


def guizhou(*args: str | bytes, cwd: Path | None = None) -> Ran:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        p = subprocess.run(
            [sys.executable, "-c", _MEASURE, rss.name, *args],
            capture_output=True,
            env=env,
            cwd=cwd or ROOT,
            timeout=120,
            check=False,
        )
        peak = int(rss.read() or 0) / 1024
    return Ran(p.returncode, p.stdout, p.stderr.decode("utf-8"), peak)


def self_referencing_pdf() -> bytes:
    """A PDF of 655 bytes whose /Pages is an object that is a reference to itself."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"2 0 R",  # object 2 is "object 2": resolving it never ends
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (hello) Tj ET\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    pad = 655 - len(out) - len(trailer)
    return bytes(out + b"%" + b"x" * (pad - 2) + b"\n" + trailer)


def _texts(d: Path, n: int) -> list[Path]:
    seed = SEED.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        p = d / f"{i:04d}.txt"
        p.write_text(seed[: 300 + 11 * i], encoding="utf-8")
        paths.append(p)
    return paths


def test_the_pdf_is_655_bytes():
    assert len(self_referencing_pdf()) == 655


@pytest.fixture
def looping_pdf(tmp_path: Path) -> Path:
    pytest.importorskip("pdfminer")
    p = tmp_path / "loop.pdf"
    p.write_bytes(self_referencing_pdf())
    return p


def test_a_pdf_that_hangs_the_reader_fails_after_the_time_limit(tmp_path, looping_pdf):
    out = tmp_path / "out.yaml"
    r = guizhou("extract", str(looping_pdf), "--timeout", "1", "-o", str(out))
    assert r.code == 2 and r.out == b""
    # one line naming the file; the time limit unless the reader has learnt to refuse the loop itself
    assert r.err.count("\n") == 1 and r.err.startswith(f"guizhou: error: {looping_pdf}: "), r.err
    assert "Traceback" not in r.err
    assert not out.exists() and sorted(os.listdir(tmp_path)) == ["loop.pdf"]
    assert r.peak_mb < LIMIT_MB


def test_the_hanging_pdf_fails_alone_among_others(tmp_path, looping_pdf):
    d = tmp_path / "d"
    d.mkdir()
    texts = _texts(d, 4)
    out = tmp_path / "out.yaml"
    args = ["extract", str(texts[0]), str(looping_pdf), str(d), "--timeout", "1", "--jobs", "2", "-o", str(out)]
    # by default the run stops there: nothing written
    r = guizhou(*args)
    assert r.code == 2 and r.err.count("\n") == 1 and r.err.startswith(f"guizhou: error: {looping_pdf}: ")
    assert not out.exists()
    # --keep-going: the others are written
    r = guizhou(*args, "--keep-going")
    assert r.code == 2
    lines = errors(r.err)
    assert len(lines) == 2 and lines[0].startswith(f"guizhou: error: {looping_pdf}: ")
    assert lines[1].startswith(f"guizhou: wrote {out}: 5 document(s), ")
    assert lines[1].endswith("; 1 of 6 files failed (listed above)")
    text = out.read_text(encoding="utf-8")
    assert text.count("\n- source: ") == 5 and "loop.pdf" not in text
    assert 10 < r.peak_mb < LIMIT_MB  # (10: the measure measured something)


def test_200_files_one_unreadable_one_gbk_name_jobs_8(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    _texts(d, 198)
    (d / "0100.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # replaces a text: 198 files so far
    gbk = "政府工作报告.txt".encode("gbk")
    with open(os.path.join(os.fsencode(d), gbk), "wb") as fh:
        fh.write(SEED.read_text(encoding="utf-8")[:900].encode("utf-8"))
    with open(os.path.join(os.fsencode(d), "坏.txt".encode("gbk")), "wb") as fh:
        fh.write(b"\xff\xfe\x00")  # a UTF-16 BOM and half a character
    shown = "".join(f"\\x{b:02x}" for b in gbk[:-4]) + ".txt"

    # to stdout as JSON: strict UTF-8 out, the name escaped, one line per failure
    r = guizhou("extract", str(d), "--jobs", "8", "--keep-going", "-f", "json")
    assert r.code == 2
    assert errors(r.err) == [
        f"guizhou: error: {d}/0100.txt: is a PNG image, not a text file",
        f"guizhou: error: {d}/\\xbb\\xb5.txt: has a utf-16-le BOM but is not valid utf-16-le at byte 2",
        "guizhou: 2 of 200 files failed (listed above)",
    ]
    text = r.out.decode("utf-8")  # strict
    assert f'"source": "{d}/{shown.replace(chr(92), chr(92) * 2)}"' in text
    assert text.count('"source": ') == 198
    assert r.peak_mb < LIMIT_MB

    # without --keep-going: the first failure in input order, nothing on stdout
    r = guizhou("extract", str(d), "--jobs", "8")
    assert (r.code, r.out) == (2, b"")
    assert "".join(line + "\n" for line in errors(r.err)) == f"guizhou: error: {d}/0100.txt: is a PNG image, not a text file\n"
