"""guizhou-cli: Chinese policy writing → a catalogue of the measures it proposes.

The library works without click or rich, and never imports jieba unless
keywords are asked for::

    from guizhou_cli import parse_text, dump_catalogue
    doc = parse_text(open("report.txt", encoding="utf-8").read(), source="report.txt")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import dump_catalogue, load_catalogue, loads_catalogue  # noqa: E402
from .errors import CatalogueError, GuizhouError, InputError, OutputError  # noqa: E402
from .extract import extract, iter_documents, parse_file, parse_text  # noqa: E402
from .model import Catalogue, Document, Essay, Measure, Repair, Section, iter_measures  # noqa: E402

__all__ = [
    "__version__",
    "parse_text",
    "parse_file",
    "extract",
    "iter_documents",
    "load_catalogue",
    "loads_catalogue",
    "dump_catalogue",
    "Catalogue",
    "Document",
    "Essay",
    "Section",
    "Measure",
    "Repair",
    "iter_measures",
    "GuizhouError",
    "InputError",
    "CatalogueError",
    "OutputError",
]
