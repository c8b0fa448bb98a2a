"""A catalogue as a SQLite database (``extract -o archive.db``), with the standard library's sqlite3.

YAML stays the exchange format; the database is for archives: reading
commands query it (filters in SQL, nothing loaded that is not asked for), and
any SQLite tool, Datasette or ``sqlite-utils`` browses it without guizhou.
The conversion is lossless both ways: ``guizhou extract a.db -o a.yaml``
gives the bytes ``extract`` gave for the same documents.

Schema (``STORE_SCHEMA``; documented in docs/store.md): plain tables with
foreign keys, rows in reading order (``id`` ascending is document order),
lists and keyword weights as JSON text, the catalogue schema version in
``meta``; ``measures_fts`` and ``sections_fts`` are FTS5 indexes (trigram
tokenizer: substrings of three or more characters, no word segmentation
needed for Chinese) over the measures' and sections' text.

Library code: no click, no rich.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import stat
import tempfile
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CatalogueError, OutputError
from .model import SCHEMA, Catalogue, Document, Essay, Furniture, Keyword, Measure, Repair, Section

if TYPE_CHECKING:
    from .query import Filters, Heading, Hit, Located, StatRow

STORE_FORMAT = "guizhou-store/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
SUFFIXES = (".db", ".sqlite", ".sqlite3")

STORE_SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,             -- position in the catalogue, from 1
    label TEXT NOT NULL,                -- its name in qualified ids: LABEL:e1.s3.m2
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    banner TEXT,
    title TEXT,
    dateline TEXT,
    meta TEXT                           -- JSON object, NULL when none
);
CREATE TABLE essays (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL,          -- within the document, from 1
    ref TEXT NOT NULL,                  -- the catalogue id: e1
    title TEXT,
    authors TEXT NOT NULL,              -- JSON list
    affiliation TEXT,
    note TEXT,
    line INTEGER,
    closing TEXT,
    byline TEXT,
    unplaced TEXT NOT NULL,             -- JSON list
    lead TEXT
);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    essay_id INTEGER NOT NULL REFERENCES essays(id),
    parent_id INTEGER REFERENCES sections(id),   -- NULL for a top-level section
    position INTEGER NOT NULL,          -- among its siblings, from 1
    depth INTEGER NOT NULL,             -- 1 = top level
    ref TEXT NOT NULL,                  -- e1.s2, e1.s2.s1
    heading TEXT,
    marker TEXT,
    n INTEGER,
    fragment INTEGER NOT NULL,          -- 0/1: the section's start was lost
    truncated INTEGER NOT NULL,         -- 0/1: its end was lost
    line INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    page INTEGER,
    flags TEXT NOT NULL,                -- JSON list
    keywords TEXT,                      -- JSON list of {term, weight}; NULL when not computed
    measures INTEGER NOT NULL,          -- its own measures (not its subsections')
    chars INTEGER NOT NULL,             -- characters of its own text
    measure_chars INTEGER NOT NULL,     -- characters of its own measures' text
    folds INTEGER NOT NULL,             -- 0/1: text holds characters search folds (Ａ→a, 兀→兀)
    text TEXT NOT NULL
);
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    essay_id INTEGER NOT NULL REFERENCES essays(id),
    section_id INTEGER NOT NULL REFERENCES sections(id),
    position INTEGER NOT NULL,          -- within its section, from 1
    ref TEXT NOT NULL,                  -- e1.s2.m3
    n INTEGER,
    marker TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    line INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    page INTEGER,
    context TEXT,
    flags TEXT NOT NULL,                -- JSON list
    keywords TEXT,                      -- JSON list of {term, weight}; NULL when not computed
    chars INTEGER NOT NULL,
    folds INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE repairs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    lines TEXT NOT NULL,                -- JSON list of line numbers
    detail TEXT NOT NULL
);
CREATE TABLE furniture (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    line INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX essays_document ON essays(document_id);
CREATE INDEX sections_essay ON sections(essay_id);
CREATE INDEX measures_section ON measures(section_id);
CREATE INDEX measures_essay ON measures(essay_id);
CREATE INDEX measures_ref ON measures(ref);
CREATE INDEX sections_ref ON sections(ref);
CREATE INDEX repairs_document ON repairs(document_id);
CREATE INDEX furniture_document ON furniture(document_id);
CREATE VIEW measure_list AS
    SELECT m.id, d.label AS document, d.source, e.ref AS essay, e.title AS essay_title,
           s.ref AS section, s.heading, m.ref, m.marker, m.kind, m.title, m.text, m.line, m.page, m.flags
    FROM measures m
    JOIN sections s ON s.id = m.section_id
    JOIN essays e ON e.id = m.essay_id
    JOIN documents d ON d.id = m.document_id;
"""

FTS_SCHEMA = """
CREATE VIRTUAL TABLE measures_fts USING fts5(title, text, content='measures', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE sections_fts USING fts5(heading, text, content='sections', content_rowid='id', tokenize='trigram');
INSERT INTO measures_fts(measures_fts) VALUES ('rebuild');
INSERT INTO sections_fts(sections_fts) VALUES ('rebuild');
"""


def is_store_path(path: str) -> bool:
    """A SQLite catalogue: by its extension, or (for an existing regular file) its header."""
    if path == "-":
        return False
    if path.lower().endswith(SUFFIXES):
        return True
    try:
        # sniff regular files only: reading the head of a pipe (<(cmd))
        # would take those bytes from the document itself
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def is_store_bytes(head: bytes) -> bool:
    return head.startswith(SQLITE_MAGIC)


# ------------------------------------------------------------ search folding


@functools.lru_cache(maxsize=1)
def _folding() -> re.Pattern[str]:
    """Characters ``query.fold`` turns into an ASCII letter or digit or a CJK
    ideograph (full-width Ａ, compatibility ideographs, ㊀): a row holding one
    must be read whole by ``search`` instead of matched by ``instr``."""
    cjk = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
    codes = []
    for o in range(0x80, 0x30000):
        c = chr(o)
        n = unicodedata.normalize("NFKC", c).casefold()
        if len(n) == 1 and n != c and ((n.isascii() and n.isalnum()) or cjk.match(n)):
            codes.append(o)
    parts = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return re.compile("[" + "".join(parts) + "]")


def _folds(text: str) -> int:
    return 1 if _folding().search(text) else 0


# ------------------------------------------------------------ writing


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _kw(kws: tuple[Keyword, ...] | None) -> str | None:
    if kws is None:
        return None
    return _json([{"term": k.term, "weight": round(k.weight, 4)} for k in kws])


class StoreWriter:
    """Write a catalogue database document by document, atomically.

    The database is built in a temporary file beside ``path`` and renamed
    over it by ``close``; ``abort`` (or an exception inside ``with``) leaves
    ``path`` as it was.
    """

    def __init__(self, path: str | os.PathLike[str], generator: str | None = None) -> None:
        from .query import document_stem

        self._stem = document_stem
        self.path = Path(path)
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"{path}: directory {parent} does not exist")
        if self.path.exists() and not self.path.is_file():
            raise OutputError(f"{path}: cannot write a database onto a device or directory")
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=parent)
            os.close(fd)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        if generator is None:
            from . import __version__

            generator = f"guizhou-cli {__version__}"
        self.count = 0
        self.stems: dict[str, int] = {}
        try:
            self.db = sqlite3.connect(self.tmp, isolation_level=None)
            # a private temporary file, renamed at the end: no journal needed
            self.db.execute("PRAGMA journal_mode=OFF")
            self.db.execute("PRAGMA synchronous=OFF")
            self.db.executescript(STORE_SCHEMA)
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [("schema", SCHEMA), ("store", STORE_FORMAT), ("generator", generator)],
            )
        except sqlite3.Error as exc:
            self.abort()
            raise OutputError(f"{path}: cannot write: {exc}") from None

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, typ: Any, exc: Any, tb: Any) -> None:
        if typ is None:
            self.close()
        else:
            self.abort()

    def add(self, doc: Document) -> None:
        try:
            self._add(doc)
        except sqlite3.Error as exc:
            raise OutputError(f"{self.path}: cannot write: {exc}") from None

    def _add(self, doc: Document) -> None:
        db = self.db
        self.count += 1
        did = self.count
        stem = self._stem(doc.source)
        self.stems[stem] = self.stems.get(stem, 0) + 1
        db.execute(
            "INSERT INTO documents(id, label, source, sha256, encoding, banner, title, dateline, meta)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                did,
                stem,
                doc.source,
                doc.sha256,
                doc.encoding,
                doc.banner,
                doc.title,
                doc.dateline,
                _json(dict(doc.meta)) if doc.meta else None,
            ),
        )
        for ep, e in enumerate(doc.essays, 1):
            cur = db.execute(
                "INSERT INTO essays(document_id, position, ref, title, authors, affiliation, note, line, closing, byline,"
                " unplaced, lead) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    did,
                    ep,
                    e.id,
                    e.title,
                    _json(list(e.authors)),
                    e.affiliation,
                    e.note,
                    e.line,
                    e.closing,
                    e.byline,
                    _json(list(e.unplaced)),
                    e.lead,
                ),
            )
            eid = cur.lastrowid
            # depth first, in reading order: ids ascending are document order
            stack: list[tuple[Section, int | None, int, int]] = [
                (s, None, i, 1) for i, s in reversed(list(enumerate(e.sections, 1)))
            ]
            while stack:
                s, parent, pos, depth = stack.pop()
                cur = db.execute(
                    "INSERT INTO sections(document_id, essay_id, parent_id, position, depth, ref, heading, marker, n, fragment,"
                    ' truncated, line, "offset", page, flags, keywords, measures, chars, measure_chars, folds, text)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        did,
                        eid,
                        parent,
                        pos,
                        depth,
                        s.id,
                        s.heading,
                        s.marker,
                        s.n,
                        int(s.fragment),
                        int(s.truncated),
                        s.line,
                        s.offset,
                        s.page,
                        _json(list(s.flags)),
                        _kw(s.keywords),
                        len(s.measures),
                        len(s.text),
                        sum(len(m.text) for m in s.measures),
                        _folds((s.heading or "") + s.text),
                        s.text,
                    ),
                )
                sid = cur.lastrowid
                db.executemany(
                    "INSERT INTO measures(document_id, essay_id, section_id, position, ref, n, marker, kind, title, line,"
                    ' "offset", page, context, flags, keywords, chars, folds, text)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            did,
                            eid,
                            sid,
                            mp,
                            m.id,
                            m.n,
                            m.marker,
                            m.kind,
                            m.title,
                            m.line,
                            m.offset,
                            m.page,
                            m.context,
                            _json(list(m.flags)),
                            _kw(m.keywords),
                            len(m.text),
                            _folds(m.title + m.text),
                            m.text,
                        )
                        for mp, m in enumerate(s.measures, 1)
                    ],
                )
                stack.extend((c, sid, i, depth + 1) for i, c in reversed(list(enumerate(s.sections, 1))))
        db.executemany(
            "INSERT INTO repairs(document_id, kind, lines, detail) VALUES (?, ?, ?, ?)",
            [(did, r.kind, _json(list(r.lines)), r.detail) for r in doc.repairs],
        )
        db.executemany(
            "INSERT INTO furniture(document_id, kind, line, text) VALUES (?, ?, ?, ?)",
            [(did, f.kind, f.line, f.text) for f in doc.furniture],
        )

    def close(self) -> None:
        """Build the full-text indexes, then put the database in place."""
        try:
            # labels: a stem shared by several documents, or that would read
            # as an index, gives way to the document's number
            self.db.execute(
                "UPDATE documents SET label = CAST(id AS TEXT) WHERE label IN"
                " (SELECT label FROM documents GROUP BY label HAVING count(*) > 1)"
                " OR label GLOB '[0-9]*' AND label NOT GLOB '*[^0-9]*' OR instr(label, ':') > 0 OR label = ''"
            )
            self.db.execute("COMMIT")
            self.db.executescript(FTS_SCHEMA)
            self.db.execute("ANALYZE")
            self.db.close()
            with open(self.tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            if self.path.exists():
                with contextlib.suppress(OSError):
                    os.chmod(self.tmp, self.path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        except (sqlite3.Error, OSError) as exc:
            self.abort()
            raise OutputError(f"{self.path}: cannot write: {getattr(exc, 'strerror', None) or exc}") from None

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def write_store(cat: Catalogue, path: str | os.PathLike[str]) -> None:
    """The whole catalogue as a database at ``path`` (atomically)."""
    with StoreWriter(path, cat.generator) as w:
        for doc in cat.documents:
            w.add(doc)


# ------------------------------------------------------------ reading


def _regexp(pattern: str, value: str | None) -> bool:
    if value is None:
        return False
    return _compiled(pattern).search(value) is not None


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Store:
    """A catalogue database opened read-only (``file:…?mode=ro``)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(16)
        except FileNotFoundError:
            raise CatalogueError(f"{self.path}: no such file or directory") from None
        except IsADirectoryError:
            raise CatalogueError(f"{self.path}: is a directory, not a catalogue database") from None
        except OSError as exc:
            raise CatalogueError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        if not is_store_bytes(head):
            raise CatalogueError(f"{self.path}: not a SQLite database (a .db catalogue is written by extract -o FILE.db)")
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=ro"
        try:
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.db.create_function("regexp", 2, _regexp, deterministic=True)
            meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise CatalogueError(f"{self.path}: not a guizhou catalogue database: {exc}") from None
        schema = meta.get("schema", "")
        name, _, ver = schema.partition("/")
        want, _, have = SCHEMA.partition("/")
        if name != want or not ver.isdigit() or meta.get("store") is None:
            raise CatalogueError(f"{self.path}: not a guizhou catalogue database (meta.schema is {schema[:60]!r})")
        if len(ver) > 9 or int(ver) > int(have) or meta["store"] != STORE_FORMAT:
            raise CatalogueError(f"{self.path}: written by a newer guizhou-cli ({schema}, {meta['store']}); upgrade guizhou-cli")
        self.generator = meta.get("generator", "unknown")
        self._docs: list[tuple[int, Document, str]] | None = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _rows(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise CatalogueError(f"{self.path}: cannot read the database: {exc}") from None

    # -- whole documents

    def documents(self) -> list[tuple[int, Document, str]]:
        """(row id, document without its essays, label) in catalogue order.

        The labels are those ``query.document_labels`` gives the same
        documents from YAML (the stored ``label`` column is for browsing), so
        ids read the same whichever file they came from.
        """
        if self._docs is None:
            from .query import document_labels

            rows = []
            for did, source, sha, enc, banner, title, dateline, meta in self._rows(
                "SELECT id, source, sha256, encoding, banner, title, dateline, meta FROM documents ORDER BY id"
            ):
                m = tuple(json.loads(meta).items()) if meta else ()
                rows.append((did, Document(source, sha, enc, banner, title, dateline, (), meta=m)))
            labels = document_labels([d for _, d in rows])
            self._docs = [(did, d, label) for (did, d), label in zip(rows, labels, strict=True)]
        return self._docs

    def catalogue(self, doc_ids: Iterable[int] | None = None) -> Catalogue:
        """The catalogue, whole (or only the documents with these row ids)."""
        wanted = None if doc_ids is None else set(doc_ids)
        return Catalogue(
            generator=self.generator,
            documents=tuple(self.iter_documents(wanted)),
        )

    def iter_documents(self, wanted: set[int] | None = None) -> Iterator[Document]:
        """Documents one at a time, whole: memory follows one document."""
        for did, stub, _ in self.documents():
            if wanted is None or did in wanted:
                yield self.document(did, stub)

    def document(self, did: int, stub: Document) -> Document:
        measures: dict[int, list[Measure]] = {}
        for row in self._rows(
            'SELECT section_id, ref, n, marker, kind, title, text, line, "offset", context, flags, keywords, page'
            " FROM measures WHERE document_id = ? ORDER BY id",
            (did,),
        ):
            measures.setdefault(row[0], []).append(_measure(row[1:]))
        sec_rows = self._rows(
            'SELECT id, essay_id, parent_id, ref, heading, marker, n, fragment, truncated, line, "offset", text, flags,'
            " keywords, page FROM sections WHERE document_id = ? ORDER BY id",
            (did,),
        )
        children: dict[int | None, list[int]] = {}
        by_id: dict[int, Any] = {}
        for r in sec_rows:
            by_id[r[0]] = r
            children.setdefault(r[2], []).append(r[0])
        built: dict[int, Section] = {}
        # children have larger ids than their parent: build from the end
        for r in reversed(sec_rows):
            sid = r[0]
            built[sid] = Section(
                id=r[3],
                heading=r[4],
                marker=r[5],
                n=r[6],
                fragment=bool(r[7]),
                truncated=bool(r[8]),
                line=r[9],
                offset=r[10],
                text=r[11],
                measures=tuple(measures.get(sid, ())),
                sections=tuple(built[c] for c in children.get(sid, ())),
                flags=_strs(r[12]),
                keywords=_keywords(r[13]),
                page=r[14],
            )
        top: dict[int, list[Section]] = {}
        for sid in children.get(None, []):
            top.setdefault(by_id[sid][1], []).append(built[sid])
        essays = []
        for eid, ref, title, authors, aff, note, lead, line, closing, byline, unplaced in self._rows(
            "SELECT id, ref, title, authors, affiliation, note, lead, line, closing, byline, unplaced"
            " FROM essays WHERE document_id = ? ORDER BY id",
            (did,),
        ):
            essays.append(
                Essay(
                    id=ref,
                    title=title,
                    authors=_strs(authors),
                    affiliation=aff,
                    note=note,
                    lead=lead,
                    line=line,
                    closing=closing,
                    byline=byline,
                    sections=tuple(top.get(eid, ())),
                    unplaced=_strs(unplaced),
                )
            )
        repairs = tuple(
            Repair(k, tuple(json.loads(lines)), detail)
            for k, lines, detail in self._rows(
                "SELECT kind, lines, detail FROM repairs WHERE document_id = ? ORDER BY id", (did,)
            )
        )
        furniture = tuple(
            Furniture(k, line, text)
            for k, line, text in self._rows("SELECT kind, line, text FROM furniture WHERE document_id = ? ORDER BY id", (did,))
        )
        return Document(
            source=stub.source,
            sha256=stub.sha256,
            encoding=stub.encoding,
            banner=stub.banner,
            title=stub.title,
            dateline=stub.dateline,
            essays=tuple(essays),
            repairs=repairs,
            furniture=furniture,
            meta=stub.meta,
        )

    def documents_with_id(self, ident: str) -> list[int]:
        """Row ids of the documents holding an essay, section or measure with this id."""
        rows = self._rows(
            "SELECT document_id FROM measures WHERE ref = ?1 UNION SELECT document_id FROM sections WHERE ref = ?1"
            " UNION SELECT document_id FROM essays WHERE ref = ?1",
            (ident,),
        )
        return sorted(r[0] for r in rows)


# ------------------------------------------------------------ queries without loading


class _Skeleton:
    """Documents, essays and sections without their text: what filters and
    tables need. Sections are real ``Section`` objects (text empty, no
    measures) so the query and render helpers work on them unchanged."""

    def __init__(self, st: Store, filters: Filters) -> None:
        from .query import _sections_under, document_matches, essay_matches

        self.docs = st.documents()
        self.labels = [label for _, _, label in self.docs]
        self.index = {did: i for i, (did, _, _) in enumerate(self.docs)}
        stubs = {did: doc for did, doc, _ in self.docs}
        chosen_docs = {
            did
            for i, (did, doc, label) in enumerate(self.docs)
            if not filters.documents or any(document_matches(doc, i, sp, label) for sp in filters.documents)
        }
        self.essays: dict[int, Essay] = {}
        self.essay_doc: dict[int, int] = {}
        for eid, did, ref, title, authors, aff, note, line, closing, byline, unplaced in st._rows(
            "SELECT id, document_id, ref, title, authors, affiliation, note, line, closing, byline, unplaced"
            " FROM essays ORDER BY id"
        ):
            if did not in chosen_docs:
                continue
            e = Essay(ref, title, _strs(authors), aff, note, None, line, closing, byline, unplaced=_strs(unplaced))
            if filters.essays and not any(essay_matches(e, sp) for sp in filters.essays):
                continue
            self.essays[eid] = e
            self.essay_doc[eid] = did
        rows = st._rows(
            'SELECT id, essay_id, parent_id, ref, heading, marker, n, fragment, truncated, line, "offset", page, flags, depth,'
            " measures, chars, measure_chars FROM sections ORDER BY id"
        )
        rows = [r for r in rows if r[1] in self.essays]
        children: dict[int | None, list[int]] = {}
        for r in rows:
            children.setdefault(r[2], []).append(r[0])
        self.sections: dict[int, Section] = {}
        self.own: dict[int, tuple[int, int, int]] = {}  # by id() of the Section
        self.depth: dict[int, int] = {}
        self.section_essay: dict[int, int] = {}
        for r in reversed(rows):
            sid = r[0]
            sec = Section(
                id=r[3],
                heading=r[4],
                marker=r[5],
                n=r[6],
                fragment=bool(r[7]),
                truncated=bool(r[8]),
                line=r[9],
                offset=r[10],
                text="",
                sections=tuple(self.sections[c] for c in children.get(sid, ())),
                flags=_strs(r[12]),
                page=r[11],
            )
            self.sections[sid] = sec
            self.own[id(sec)] = (r[14], r[15], r[16])
            self.depth[sid] = r[13]
            self.section_essay[sid] = r[1]
        top: dict[int, list[Section]] = {}
        for r in rows:
            if r[2] is None:
                top.setdefault(r[1], []).append(self.sections[r[0]])
        for eid, e in list(self.essays.items()):
            self.essays[eid] = Essay(
                e.id, e.title, e.authors, e.affiliation, e.note, None, e.line, e.closing, e.byline, tuple(top.get(eid, ()))
            )
        self.stubs = stubs
        # --section: the sections that match or sit under one that does
        self.chosen: set[int] | None = None
        if filters.sections:
            by_obj = {id(sec): sid for sid, sec in self.sections.items()}
            chosen: set[int] = set()
            for e in self.essays.values():
                chosen |= {by_obj[o] for o in _sections_under(e.sections, filters.sections)}
            self.chosen = chosen
        self.filtered = bool(filters.documents or filters.essays or filters.sections)

    def has_section(self, sid: int) -> bool:
        return sid in self.sections

    def essay(self, eid: int) -> tuple[Essay, int]:
        return self.essays[eid], self.essay_doc[eid]

    def lead_line(self, eid: int) -> int:
        e = self.essays[eid]
        return e.line if e.line is not None else (e.sections[0].line if e.sections else 0)

    def section(self, sid: int, text: str = "") -> tuple[Section, int]:
        b = self.sections[sid]
        if text:
            b = Section(
                b.id,
                b.heading,
                b.marker,
                b.n,
                b.fragment,
                b.truncated,
                b.line,
                b.offset,
                text,
                b.measures,
                b.sections,
                b.flags,
                page=b.page,
            )
        return b, self.section_essay[sid]

    def section_ids(self) -> list[int]:
        """The sections the filters leave, in document order."""
        if self.chosen is not None:
            return sorted(self.chosen)
        return sorted(self.sections)

    def scope(self, column: str = "section_id") -> tuple[str, dict[str, Any]]:
        """A WHERE clause (and its named arguments) limiting rows to the filtered sections."""
        if not self.filtered:
            return "1", {}
        return _sql(column, "IN (SELECT value FROM json_each(:scope))"), {"scope": json.dumps(self.section_ids())}


class _Lazy:
    """What ``search`` needs of documents, essays and sections when no filter
    asks for the outline: built for the few rows that become hits, not for all."""

    def __init__(self, st: Store) -> None:
        self.st = st
        self.docs = st.documents()
        self.labels = [label for _, _, label in self.docs]
        self.index = {did: i for i, (did, _, _) in enumerate(self.docs)}
        self.stubs = {did: doc for did, doc, _ in self.docs}
        self.chosen: set[int] | None = None
        self.filtered = False
        self._essays: dict[int, tuple[Essay, int]] = {}

    def scope(self, column: str = "section_id") -> tuple[str, dict[str, Any]]:
        return "1", {}

    def has_section(self, sid: int) -> bool:
        return True

    def essay(self, eid: int) -> tuple[Essay, int]:
        """The essay (without its sections, but with the first one's line for a missing line) and its document."""
        if eid not in self._essays:
            ref, title, authors, aff, note, line, closing, byline, did = self.st._rows(
                "SELECT ref, title, authors, affiliation, note, line, closing, byline, document_id FROM essays WHERE id = ?",
                (eid,),
            )[0]
            if line is None:
                first = self.st._rows(
                    "SELECT line FROM sections WHERE essay_id = ? AND parent_id IS NULL ORDER BY id LIMIT 1", (eid,)
                )
                line_for_lead = first[0][0] if first else 0
            else:
                line_for_lead = line
            e = Essay(ref, title, _strs(authors), aff, note, None, line, closing, byline)
            self._essays[eid] = (e, did)
            self._lead_line = getattr(self, "_lead_line", {})
            self._lead_line[eid] = line_for_lead
        return self._essays[eid]

    def lead_line(self, eid: int) -> int:
        self.essay(eid)
        return int(self._lead_line[eid])

    def section(self, sid: int, text: str = "") -> tuple[Section, int]:
        r = self.st._rows(
            'SELECT essay_id, ref, heading, marker, n, fragment, truncated, line, "offset", page, flags'
            " FROM sections WHERE id = ?",
            (sid,),
        )[0]
        sec = Section(r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), r[7], r[8], text, flags=_strs(r[10]), page=r[9])
        return sec, r[0]


def _sql(*parts: str) -> str:
    """A statement from fixed fragments of this module; every value is a bound parameter."""
    return " ".join(parts)


def select_located(st: Store, filters: Filters) -> tuple[list[Located], list[str]]:
    """``query.select`` on a database: the filters in SQL, only the measures read."""
    from .query import Located, term_ids

    sk = _Skeleton(st, filters)
    where, args = sk.scope()
    if filters.grep is not None:
        where += _grep(st, filters, "title")
        args["grep"] = filters.grep.pattern
    items: list[Located] = []
    for row in st._rows(
        _sql(
            'SELECT section_id, document_id, ref, n, marker, kind, title, text, line, "offset", context, flags, keywords,',
            "page FROM measures WHERE",
            where,
            "ORDER BY id",
        ),
        args,
    ):
        sid, did = row[0], row[1]
        sec = sk.sections.get(sid)
        if sec is None:
            continue
        eid = sk.section_essay[sid]
        items.append(Located(sk.index[did], sk.stubs[did], sk.essays[eid], sec, _measure(row[2:])))
    if filters.term is not None and items:
        keep = term_ids(items, filters.term)
        items = [it for it in items if (it.doc_index, it.measure.id) in keep]
    return items, sk.labels


def _regexp_i(pattern: str, value: str | None) -> bool:
    if value is None:
        return False
    return _compiled_i(pattern).search(value) is not None


@functools.lru_cache(maxsize=16)
def _compiled_i(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def headings_of(st: Store, filters: Filters) -> tuple[list[Heading], list[str]]:
    """``query.headings`` on a database (grep on the heading only: the text is not read)."""
    from .model import iter_sections
    from .query import Heading

    sk = _Skeleton(st, filters)
    out: list[Heading] = []
    for sid in sk.section_ids():
        sec = sk.sections[sid]
        if filters.grep is not None and not filters.grep.search(sec.heading or ""):
            continue
        eid = sk.section_essay[sid]
        did = sk.essay_doc[eid]
        total = sum(sk.own[id(x)][0] for x in iter_sections((sec,)))
        out.append(Heading(sk.index[did], sk.stubs[did], sk.essays[eid], sec, sk.depth[sid], sk.own[id(sec)][0], total))
    return out, sk.labels


def stats_of(st: Store, filters: Filters) -> list[StatRow]:
    """``query.stats`` on a database, from the per-section counts stored beside the text."""
    from .query import Filters, stats

    sk = _Skeleton(st, Filters(documents=filters.documents))
    by_doc: dict[int, list[Essay]] = {}
    for eid, e in sk.essays.items():
        by_doc.setdefault(sk.essay_doc[eid], []).append(e)
    docs = tuple(
        Document(d.source, d.sha256, d.encoding, d.banner, d.title, d.dateline, tuple(by_doc.get(did, ())), meta=d.meta)
        for did, d, _ in sk.docs
    )
    cat = Catalogue(st.generator, docs)

    def own(s: Section) -> tuple[int, int, int]:
        return sk.own[id(s)]

    return stats(cat, filters.essays, filters.sections, own=own)


def _grep(st: Store, filters: Filters, title: str) -> str:
    """The ``--grep`` condition (its pattern is the ``:grep`` argument): Python's ``re``, as in memory."""
    assert filters.grep is not None
    fn = "regexp"
    if filters.grep.flags & re.IGNORECASE:
        fn = "regexp_i"
        st.db.create_function("regexp_i", 2, _regexp_i, deterministic=True)
    return f" AND ({fn}(:grep, {title}) OR {fn}(:grep, text))"


_CJK_OR_ASCII = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def search_store(st: Store, query: str, filters: Filters, kinds: Sequence[str], limit: int | None) -> tuple[list[Hit], list[str]]:
    """``query.search`` over ``query.targets`` on a database, with the same scores.

    One pass per table: SQLite hands each row's text to a counting function
    and only the counts come back; Python ranks them (BM25) and reads the
    text of the best rows alone. Rows are counted as the in-memory search
    counts them (folded where ``folds`` says folding matters), so scores and
    order are the same.
    """
    from .query import _CJK, TITLE_WEIGHT, SearchPlan, Target, bm25, make_hit

    plan = SearchPlan.of(query)
    outline = filters.documents or filters.essays or filters.sections
    sk: _Skeleton | _Lazy = _Skeleton(st, filters) if outline else _Lazy(st)
    toks = list(plan.tokens)
    # CJK tokens and phrases count the same in the text as in its folded
    # copy unless the row has characters that fold (``folds``): then, or for
    # a query with Latin letters, the row is folded as in memory
    raw_ok = all(_CJK.fullmatch(x) for x in (*toks, *plan.phrases))
    # with ASCII letters or digits too, lower() does what folding does on a
    # row without folding characters (İ aside, whose lower() holds an i)
    lower_ok = all(_CJK_OR_ASCII.fullmatch(x) for x in (*toks, *plan.phrases))

    def count(folds: int, title: str | None, text: str) -> str | None:
        title = title or ""
        if not folds and (raw_ok or (lower_ok and "İ" not in text and "İ" not in title)):
            if not raw_ok:
                text, title = text.lower(), title.lower()
            tf = [text.count(t) + TITLE_WEIGHT * title.count(t) for t in toks]
            phrase = all(p in text for p in plan.phrases)
        else:
            d, phrase = plan.counts(title, text)
            tf = [int(d[t]) for t in toks]
        if not any(tf):
            return None
        return ",".join(map(str, tf)) + ("|1" if phrase else "|0")

    st.db.create_function("gz_counts", 3, count, deterministic=True)
    params: dict[str, Any] = {}
    if filters.grep is not None:
        params["grep"] = filters.grep.pattern

    n = 0
    total = 0.0
    rows: list[tuple[dict[str, float], int, bool]] = []
    keys: list[tuple[int, int, int, int]] = []
    found: list[tuple[str, int]] = []  # (kind, row id)

    def collect(kind: str, table: str, title: str) -> None:
        """One pass over a table: SQLite hands each row's text to ``count`` (no copy kept)."""
        nonlocal n, total
        where, args = sk.scope("section_id" if kind == "measure" else "id")
        g = _grep(st, filters, title) if filters.grep is not None else ""
        loc = "section_id" if kind == "measure" else "id"
        sql = _sql(
            "SELECT id,", loc, ", essay_id, document_id, chars, gz_counts(folds,", title, ", text) FROM", table, "WHERE", where, g
        )
        for rid, sid, eid, did, chars, got in st._rows(sql, {**params, **args}):
            n += 1
            total += max(1, chars)
            if got is None or not sk.has_section(sid):
                continue
            counts, _, phrase = got.partition("|")
            tf = {t: float(v) for t, v in zip(toks, counts.split(","), strict=True)}
            rows.append((tf, chars, phrase == "1"))
            keys.append((did, eid, sid, rid if kind == "measure" else -1))
            found.append((kind, rid))

    if "measure" in kinds:
        collect("measure", "measures", "title")
    if "section" in kinds:
        collect("section", "sections", "heading")
    if "lead" in kinds and sk.chosen is None:
        for eid, did, title, lead in st._rows(
            "SELECT id, document_id, title, lead FROM essays WHERE lead IS NOT NULL ORDER BY id"
        ):
            if isinstance(sk, _Skeleton) and eid not in sk.essays:
                continue
            if filters.grep is not None and not (filters.grep.search(title or "") or filters.grep.search(lead)):
                continue
            n += 1
            total += max(1, len(lead))
            tf, phrase = plan.counts(title or "", lead)
            rows.append((tf, len(lead), phrase))
            keys.append((did, eid, -1, -1))
            found.append(("lead", eid))
    # document order for ties, as in memory: a lead, then each section followed by its measures
    keep = [k for k in sorted(range(len(rows)), key=lambda k: keys[k]) if any(rows[k][0].values())]
    scored = bm25(plan, [rows[k] for k in keep], n, total)
    if limit:
        scored = scored[:limit]
    hits: list[Hit] = []
    for rank, (score, j) in enumerate(scored, 1):
        kind, rid = found[keep[j]]
        if kind == "measure":
            r = st._rows(
                'SELECT section_id, ref, n, marker, kind, title, text, line, "offset", context, flags, keywords, page'
                " FROM measures WHERE id = ?",
                (rid,),
            )[0]
            m = _measure(r[1:])
            sec, eid = sk.section(r[0])
            e, did = sk.essay(eid)
            t = Target("measure", sk.index[did], sk.stubs[did], e, sec, m, m.id, m.title, m.text, m.line)
        elif kind == "section":
            (text,) = st._rows("SELECT text FROM sections WHERE id = ?", (rid,))[0]
            sec, eid = sk.section(rid, text)
            e, did = sk.essay(eid)
            t = Target("section", sk.index[did], sk.stubs[did], e, sec, None, sec.id, sec.heading or "", text, sec.line)
        else:
            (lead,) = st._rows("SELECT lead FROM essays WHERE id = ?", (rid,))[0]
            e, did = sk.essay(rid)
            t = Target("lead", sk.index[did], sk.stubs[did], e, None, None, e.id, e.title or "", lead, sk.lead_line(rid))
        hits.append(make_hit(rank, score, t, plan))
    return hits, sk.labels


def _measure(r: Sequence[Any]) -> Measure:
    # the SELECTs list the columns in the order of Measure's fields
    ref, n, marker, kind, title, text, line, offset, context, flags, keywords, page = r
    return Measure(
        ref,
        n,
        marker,
        kind,
        title,
        text,
        line,
        offset,
        context,
        _strs(flags),
        None if keywords is None else _keywords(keywords),
        page,
    )


def _strs(v: str) -> tuple[str, ...]:
    """A JSON list of strings; most are empty."""
    return () if v == "[]" else tuple(json.loads(v))


def _keywords(v: str | None) -> tuple[Keyword, ...] | None:
    if v is None:
        return None
    return tuple(Keyword(k["term"], float(k["weight"])) for k in json.loads(v))


def load_store(path: str | os.PathLike[str]) -> Catalogue:
    """The whole catalogue in a database, as the model (what ``load_catalogue`` gives for YAML)."""
    with Store(path) as st:
        return st.catalogue()


__all__ = [
    "STORE_FORMAT",
    "STORE_SCHEMA",
    "Store",
    "StoreWriter",
    "is_store_path",
    "load_store",
    "write_store",
]
