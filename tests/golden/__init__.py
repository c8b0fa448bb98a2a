"""Golden files: expected output of the reading commands on the seed.

Regenerate them all after an intended change (then read the diff):

    UPDATE_GOLDEN=1 python -m pytest tests -k golden
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH = 100  # the terminal width every golden table is drawn at


def check_golden(name: str, actual: str) -> None:
    path = HERE / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 python -m pytest tests -k golden"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from the golden file (UPDATE_GOLDEN=1 python -m pytest tests -k golden to accept)"
