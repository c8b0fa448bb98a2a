from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_6dfcd726ad4e1932.txt"
# The shared corpus (national and provincial work reports) sits beside the
# checkout on the project's machines; a fresh clone has none, and the tests
# that need it skip, saying where they looked. GUIZHOU_CORPUS points elsewhere
# (bench/_common.py reads the same variable).
CORPUS = Path(os.environ.get("GUIZHOU_CORPUS") or ROOT.parent / "shared" / "corpus")
CORPUS_MISSING = f"needs the shared corpus: {CORPUS} not found (set GUIZHOU_CORPUS to its directory)"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(seed_text):
    from guizhou_cli import parse_text

    return parse_text(seed_text, source="seeds/000_6dfcd726ad4e1932.txt")


def corpus_file(name: str) -> Path:
    p = CORPUS / name
    if not p.exists():
        pytest.skip(f"needs the shared corpus: {p} not found (set GUIZHOU_CORPUS to its directory)")
    return p
