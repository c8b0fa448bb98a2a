"""Readers for rich input formats: Markdown, HTML, Word (.docx) and PDF.

Each reader turns its format into paragraphs with style hints (bold at the
start, heading level) and a source map, and the structure parser takes it from
there without knowing the format. ``guizhou_cli.formats`` decides which reader
a file needs.
"""
