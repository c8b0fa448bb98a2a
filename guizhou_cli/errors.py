"""Library errors. ``cli.py`` maps each to one line on stderr and an exit code."""

from __future__ import annotations


class GuizhouError(Exception):
    """Base class: a problem the user can act on; message is one line."""


class InputError(GuizhouError):
    """A source document cannot be read or decoded."""


class CatalogueError(GuizhouError):
    """A catalogue file is malformed, unsafe or of an unknown schema."""


class OutputError(GuizhouError):
    """An output file cannot be written."""


def missing_package(exc: BaseException) -> str | None:
    """The one line for a dependency that is not installed (a broken or partial install), else None."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        package = exc.name.split(".")[0]
        return f"the package {package!r}, which guizhou-cli needs, is not installed: reinstall it (pip install guizhou-cli)"
    return None
