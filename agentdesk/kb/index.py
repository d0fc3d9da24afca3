"""The on-disk (or in-memory) article index: SQLite + FTS5, stdlib only.

Layout: `articles` keeps each article as imported (so `get` and answers need
no other source) with a content hash and per-field term counts; `fts` (FTS5)
holds the analysed terms of title, tags and body under the same rowid;
`postings` keeps each (term, doc) impact for fast candidate lists and `vocab`
the document frequency of every term, maintained with each change (reading
them from FTS5's fts5vocab scans the whole index: 180 ms at 10,000 articles).

Crash safety: the database runs in WAL mode and every batch of changes is
one transaction, so a crash or an exception half-way leaves the previous
committed index. On open a failed integrity check (or a file that is not a
database, or an unknown schema) moves the file aside and starts empty;
`recovered` tells the owner to re-import its sources.

Thread safety: one connection, `check_same_thread=False`, every use under one
lock. Queries are short (milliseconds) so a lock is simpler than a pool.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from agentdesk.domain.models import KbArticle
from agentdesk.kb.importer import content_hash
from agentdesk.kb.text import analyze

SCHEMA_VERSION = "6"
MEMORY = ":memory:"
BIG_BATCH = 200  # articles; after this many changes the WAL is checkpointed

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    updated_at REAL NOT NULL,
    hash TEXT NOT NULL,
    title_len INTEGER NOT NULL,
    tags_len INTEGER NOT NULL,
    body_len INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, tags, body, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL,
    impact REAL NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (term, impact, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_doc ON postings(doc);
"""


@dataclass(frozen=True)
class ImpactModel:
    """BM25F term-frequency part stored per (term, doc) for candidate lists.

    impact = tfn / (k1 + tfn), tfn = sum over fields of
    weight * tf / (1 - b + b * len / avg_len). The ranker multiplies by the
    query weight and idf; keep these in step with RankParams' defaults.
    """

    k1: float = 2.0
    weights: tuple[float, float, float] = (5.0, 2.0, 1.0)    # title, tags, body
    b: tuple[float, float, float] = (0.4, 0.3, 0.75)
    default_avg: tuple[float, float, float] = (6.0, 4.0, 180.0)  # until there are articles

    def impacts(self, fields: tuple[list[str], list[str], list[str]],
                avg: tuple[float, float, float]) -> dict[str, float]:
        norms = [w / (1.0 - b + b * (len(f) / a if a else 1.0))
                 for f, w, b, a in zip(fields, self.weights, self.b, avg, strict=True)]
        tfn: dict[str, float] = {}
        for f, nrm in zip(fields, norms, strict=True):
            for term in f:
                tfn[term] = tfn.get(term, 0.0) + nrm
        return {t: v / (self.k1 + v) for t, v in tfn.items()}


IMPACT = ImpactModel()


def _forget_postings(conn: sqlite3.Connection, doc: int) -> None:
    """Drop a document's postings and its share of the document frequencies."""
    conn.execute("UPDATE vocab SET df = df - 1 WHERE term IN"
                 " (SELECT term FROM postings WHERE doc = ?)", (doc,))
    conn.execute("DELETE FROM postings WHERE doc = ?", (doc,))


def default_index_path() -> Path:
    return Path(platformdirs.user_data_dir("agentdesk")) / "kb" / "index.sqlite3"


@dataclass(frozen=True)
class IndexStats:
    """Corpus statistics the ranker needs; cached until the next write."""

    n_docs: int
    avg_title: float
    avg_tags: float
    avg_body: float
    df: dict[str, int]
    idf_cache: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        # BM25 idf, never negative (Lucene's form).
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class DocTerms:
    """Analysed fields of one indexed article, for re-ranking candidates."""

    doc: int
    article_id: str
    title: list[str]
    tags: list[str]
    body: list[str]


@dataclass(frozen=True)
class UpsertReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class CorruptIndexError(Exception):
    """The index file failed its checks (only raised when recovery is off)."""


class KbIndex:
    """SQLite FTS5 index of KbArticles. Use `KbIndex(path)` or `KbIndex(MEMORY)`."""

    def __init__(self, path: Path | str | None = None, *, recover: bool = True) -> None:
        self.path: str = MEMORY if path == MEMORY else str(Path(path or default_index_path()))
        self.recovered = False  # True when a corrupt file was moved aside on open
        self._lock = threading.RLock()
        self._stats: IndexStats | None = None
        self._generation = 0
        self._conn = self._open(recover)

    # -- opening, checking, recovering ---------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                               timeout=10.0)
        if self.path != MEMORY:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        """Raise sqlite3.DatabaseError or CorruptIndexError if unusable."""
        row = conn.execute("PRAGMA quick_check").fetchone()
        if not row or row[0] != "ok":
            raise CorruptIndexError(f"quick_check: {row[0] if row else 'no answer'}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return  # a brand-new file
        if not {"meta", "articles", "fts"} <= tables:
            raise CorruptIndexError("index tables missing")
        version = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if not version or version[0] != SCHEMA_VERSION:
            raise CorruptIndexError("unknown index schema version")
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_fts = conn.execute("SELECT count(*) FROM fts").fetchone()[0]
        if n_articles != n_fts:
            raise CorruptIndexError("articles and full-text rows disagree")
        if not {"postings", "vocab"} <= tables:
            raise CorruptIndexError("postings or vocab table missing")

    def _open(self, recover: bool) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect()
            self._check(conn)
            self._create(conn)
            return conn
        except (sqlite3.DatabaseError, CorruptIndexError) as exc:
            if conn is not None:
                conn.close()
            if not recover or self.path == MEMORY:
                raise CorruptIndexError(str(exc)) from exc
            self._move_aside()
            self.recovered = True
            conn = self._connect()
            self._create(conn)
            return conn

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        base = Path(self.path)
        if base.exists():
            os.replace(base, base.with_name(f"{base.name}.corrupt-{stamp}"))
        for suffix in ("-wal", "-shm", "-journal"):
            side = base.with_name(base.name + suffix)
            if side.exists():
                side.unlink()

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)",
                     (SCHEMA_VERSION,))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- writes ----------------------------------------------------------------

    def _invalidate(self) -> None:
        self._stats = None
        self._generation += 1

    @property
    def generation(self) -> int:
        """Increases on every committed change (for callers' caches)."""
        return self._generation

    def upsert(self, articles: Iterable[KbArticle]) -> UpsertReport:
        """Add or replace articles by id in one transaction; unchanged ones are skipped.

        An article is unchanged when its content hash and updated_at match the
        stored ones. If anything raises mid-batch, nothing of the batch stays.
        """
        return self._write(articles, clear_first=False)

    def replace_all(self, articles: Iterable[KbArticle]) -> UpsertReport:
        """Make the index hold exactly `articles`, atomically: the rebuild."""
        return self._write(articles, clear_first=True)

    def _write(self, articles: Iterable[KbArticle], clear_first: bool) -> UpsertReport:
        counts = [0, 0, 0]  # added, updated, unchanged
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if clear_first:
                    conn.execute("DELETE FROM articles")
                    conn.execute("DELETE FROM fts")
                    conn.execute("DELETE FROM postings")
                    conn.execute("DELETE FROM vocab")
                avg = self._avg_lengths(conn)
                for article in articles:
                    self._upsert_one(conn, article, counts, avg)
                conn.execute("DELETE FROM vocab WHERE df <= 0")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                # Invalidate either way: cheap, and never serves stale stats.
                self._invalidate()
            if counts[0] + counts[1] >= BIG_BATCH and self.path != MEMORY:
                # Fold a big batch into the main file now rather than leaving
                # a WAL as large as the index on disk until the next checkpoint.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return UpsertReport(*counts)

    @staticmethod
    def _avg_lengths(conn: sqlite3.Connection) -> tuple[float, float, float]:
        n, at, ag, ab = conn.execute(
            "SELECT count(*), avg(title_len), avg(tags_len), avg(body_len) FROM articles"
        ).fetchone()
        if not n:
            return IMPACT.default_avg
        return (at or 1.0, ag or 1.0, ab or 1.0)

    @staticmethod
    def _upsert_one(conn: sqlite3.Connection, article: KbArticle, counts: list[int],
                    avg: tuple[float, float, float]) -> None:
        digest = content_hash(article)
        row = conn.execute(
            "SELECT doc, hash, updated_at FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row and row[1] == digest and row[2] == article.updated_at:
            counts[2] += 1
            return
        title_t = analyze(article.title)
        tags_t = analyze(" ".join(article.tags))
        body_t = analyze(article.body)
        values = (article.title, article.body, json.dumps(article.tags), article.updated_at,
                  digest, len(title_t), len(tags_t), len(body_t))
        if row:
            doc = row[0]
            conn.execute(
                "UPDATE articles SET title=?, body=?, tags=?, updated_at=?, hash=?,"
                " title_len=?, tags_len=?, body_len=? WHERE doc=?", (*values, doc))
            conn.execute("DELETE FROM fts WHERE rowid = ?", (doc,))
            _forget_postings(conn, doc)
            counts[1] += 1
        else:
            cur = conn.execute(
                "INSERT INTO articles(id, title, body, tags, updated_at, hash,"
                " title_len, tags_len, body_len) VALUES (?,?,?,?,?,?,?,?,?)",
                (article.id, *values))
            doc = cur.lastrowid
            counts[0] += 1
        conn.execute("INSERT INTO fts(rowid, title, tags, body) VALUES (?,?,?,?)",
                     (doc, " ".join(title_t), " ".join(tags_t), " ".join(body_t)))
        impacts = IMPACT.impacts((title_t, tags_t, body_t), avg)
        conn.executemany("INSERT INTO postings(term, impact, doc) VALUES (?,?,?)",
                         [(t, round(v, 6), doc) for t, v in impacts.items()])
        conn.executemany("INSERT INTO vocab(term, df) VALUES (?, 1)"
                         " ON CONFLICT(term) DO UPDATE SET df = df + 1",
                         [(t,) for t in impacts])

    def remove(self, ids: Iterable[str]) -> int:
        """Delete articles by id (unknown ids ignored); returns how many went."""
        removed = 0
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for article_id in ids:
                    row = conn.execute("SELECT doc FROM articles WHERE id = ?",
                                       (article_id,)).fetchone()
                    if row:
                        conn.execute("DELETE FROM fts WHERE rowid = ?", (row[0],))
                        _forget_postings(conn, row[0])
                        conn.execute("DELETE FROM articles WHERE doc = ?", (row[0],))
                        removed += 1
                conn.execute("DELETE FROM vocab WHERE df <= 0")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                self._invalidate()
        return removed

    # -- reads -----------------------------------------------------------------

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT id FROM articles ORDER BY id")]

    def hashes(self) -> dict[str, tuple[str, float]]:
        """id -> (content hash, updated_at), for incremental sync."""
        with self._lock:
            return {r[0]: (r[1], r[2]) for r in
                    self._conn.execute("SELECT id, hash, updated_at FROM articles")}

    @staticmethod
    def _article(row: tuple[Any, ...]) -> KbArticle:
        return KbArticle(id=row[0], title=row[1], body=row[2], tags=json.loads(row[3]),
                         updated_at=row[4])

    def get(self, article_id: str) -> KbArticle | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, title, body, tags, updated_at FROM articles WHERE id = ?",
                (article_id,)).fetchone()
        return self._article(row) if row else None

    def all_articles(self) -> list[KbArticle]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, title, body, tags, updated_at FROM articles ORDER BY id").fetchall()
        return [self._article(r) for r in rows]

    def stats(self) -> IndexStats:
        with self._lock:
            if self._stats is None:
                conn = self._conn
                n, at, ag, ab = conn.execute(
                    "SELECT count(*), avg(title_len), avg(tags_len), avg(body_len) FROM articles"
                ).fetchone()
                df = dict(conn.execute("SELECT term, df FROM vocab"))
                self._stats = IndexStats(n, at or 1.0, ag or 1.0, ab or 1.0, df)
            return self._stats

    def top_postings(self, terms: list[str], limit: int) -> list[tuple[str, int, float]]:
        """For each term, its `limit` (term, doc, impact) rows of highest impact.

        One statement of per-term index range scans (UNION ALL), so the cost
        depends on `limit` x terms, not on the size of the corpus.
        """
        if not terms:
            return []
        part = "SELECT * FROM (SELECT term, doc, impact FROM postings WHERE term = ?" \
               " ORDER BY impact DESC LIMIT ?)"
        sql = " UNION ALL ".join([part] * len(terms))
        params: list[object] = []
        for term in terms:
            params += [term, limit]
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def doc_terms(self, docs: list[int]) -> list[DocTerms]:
        if not docs:
            return []
        marks = ",".join("?" * len(docs))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT f.rowid, a.id, f.title, f.tags, f.body FROM fts f"
                f" JOIN articles a ON a.doc = f.rowid WHERE f.rowid IN ({marks})", docs).fetchall()
        return [DocTerms(r[0], r[1], r[2].split(), r[3].split(), r[4].split()) for r in rows]

    def articles_by_doc(self, docs: list[int]) -> dict[int, KbArticle]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT doc, id, title, body, tags, updated_at FROM articles"
                f" WHERE doc IN ({marks})", docs).fetchall()
        return {r[0]: self._article(r[1:]) for r in rows}

    def size_bytes(self) -> int:
        """Bytes on disk (database + WAL), 0 for an in-memory index."""
        if self.path == MEMORY:
            return 0
        total = 0
        for suffix in ("", "-wal"):
            p = Path(self.path + suffix)
            if p.exists():
                total += p.stat().st_size
        return total
