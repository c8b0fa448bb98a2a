"""guizhou-cli: Chinese policy writing → a catalogue of the measures it proposes.

The library works without click or rich, and never imports jieba unless
keywords are asked for::

    from guizhou_cli import parse_text, dump_catalogue
    doc = parse_text(open("report.txt", encoding="utf-8").read(), source="report.txt")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import dump_catalogue, load_catalogue, loads_catalogue
from .errors import CatalogueError, GuizhouError, InputError, OutputError
from .extract import extract, iter_documents, parse_file, parse_text
from .model import Catalogue, Document, Essay, Measure, Repair, Section, iter_measures

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
