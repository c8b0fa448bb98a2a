"""What start-up imports, checked in a fresh interpreter (bench/bench_startup.py times it).

``guizhou --help`` imports neither the parser, yaml, rich nor jieba; reading
a catalogue (``list``) imports neither the parser nor jieba; the library's
front door (``import guizhou_cli``) imports nothing until a name is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from guizhou_cli.cli import COMMANDS

from .conftest import ROOT

PROBE = """
import json, sys
from guizhou_cli.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": int(code), "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, env=env, cwd=ROOT, timeout=120)
    report = json.loads(p.stderr.decode().strip().splitlines()[-1])
    assert report["code"] == 0, p.stderr.decode()
    return set(report["modules"])


def test_help_imports_no_parser_yaml_rich_or_jieba():
    mods = _modules("--help")
    for heavy in ("jieba", "yaml", "rich", "guizhou_cli.structure", "guizhou_cli.catalogue"):
        assert heavy not in mods, heavy


@pytest.mark.skipif("list" not in COMMANDS, reason="no list command yet")
def test_list_on_a_catalogue_imports_no_parser_or_jieba(tmp_path):
    from .cli_helpers import run

    cat = tmp_path / "seed.yaml"
    assert run("extract", "-o", str(cat)).code == 0
    mods = _modules("list", str(cat))
    assert "jieba" not in mods
    assert "guizhou_cli.structure" not in mods and "guizhou_cli.paragraphs" not in mods


def test_the_library_loads_names_on_first_use():
    code = (
        "import sys, guizhou_cli\n"
        "assert 'guizhou_cli.structure' not in sys.modules and 'yaml' not in sys.modules\n"
        "from guizhou_cli import parse_text, Catalogue, dump_catalogue\n"
        "assert parse_text('标题\\n\\n一是甲。二是乙。').essays\n"
        "assert 'jieba' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    import guizhou_cli

    with pytest.raises(AttributeError):
        guizhou_cli.no_such_name  # noqa: B018
