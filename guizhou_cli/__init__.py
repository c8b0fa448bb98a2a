"""guizhou-cli: Chinese policy writing → a catalogue of the measures it proposes.

The library works without click or rich, and never imports jieba unless
keywords are asked for::

    from guizhou_cli import parse_text, dump_catalogue
    doc = parse_text(open("report.txt", encoding="utf-8").read(), source="report.txt")

The names below are imported on first use (PEP 562), so that ``guizhou
--help`` and commands that only read a catalogue do not pay for the parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "dump_catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "loads_catalogue": "catalogue",
    "CatalogueError": "errors",
    "GuizhouError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "extract": "extract",
    "iter_documents": "extract",
    "parse_file": "extract",
    "parse_text": "extract",
    "Catalogue": "model",
    "Document": "model",
    "Essay": "model",
    "Measure": "model",
    "Repair": "model",
    "Section": "model",
    "iter_measures": "model",
}

if TYPE_CHECKING:
    from .catalogue import dump_catalogue, load_catalogue, loads_catalogue
    from .errors import CatalogueError, GuizhouError, InputError, OutputError
    from .extract import extract, iter_documents, parse_file, parse_text
    from .model import Catalogue, Document, Essay, Measure, Repair, Section, iter_measures


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'guizhou_cli' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "Catalogue",
    "CatalogueError",
    "Document",
    "Essay",
    "GuizhouError",
    "InputError",
    "Measure",
    "OutputError",
    "Repair",
    "Section",
    "__version__",
    "dump_catalogue",
    "extract",
    "iter_documents",
    "iter_measures",
    "load_catalogue",
    "loads_catalogue",
    "parse_file",
    "parse_text",
]
