"""`KnowledgeBase`: the one object the desk, the CLI and the benchmarks use.

    kb = KnowledgeBase.from_articles(articles)          # in memory
    kb = KnowledgeBase.open()                           # local index, demo KB on first use
    kb = KnowledgeBase.open_folder("help-export/")      # a folder, cached index
    kb.search("wifi keeps dropping", n=5)
    kb.suggest(["hi", "my wifi drops every evening"], n=3)

All methods are thread-safe (the index serialises its SQLite access) and a
query over 10,000 articles takes a few milliseconds (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from agentdesk.domain.models import KbArticle
from agentdesk.kb.importer import ImportProblem, ImportResult, article_id_for, import_folder
from agentdesk.kb.index import MEMORY, KbIndex, UpsertReport, default_index_path
from agentdesk.kb.ranker import Query, Ranker, RankParams, build_query
from agentdesk.kb.snippets import matched_spans, plain_text, snippet, surface_words
from agentdesk.kb.suggestion import Suggestion
from agentdesk.protocol.sanitize import sanitize_text

DEMO_KB_DIR = Path(__file__).resolve().parent.parent / "data" / "kb"
MAX_QUERY_CHARS = 4000   # a pasted e-mail thread is plenty; bound the work
MAX_TURNS = 8            # older turns weigh < 1% with the default decay


class KnowledgeBase:
    """Articles + index + ranker. Construct with one of the class methods."""

    def __init__(self, index: KbIndex, params: RankParams | None = None) -> None:
        self.index = index
        self.ranker = Ranker(params or RankParams())
        self.import_errors: list[ImportProblem] = []
        self.removed_on_import = 0  # articles the last import_dir removed (files deleted)

    # -- construction ----------------------------------------------------------

    @classmethod
    def from_articles(cls, articles: Iterable[KbArticle],
                      params: RankParams | None = None) -> KnowledgeBase:
        """An in-memory knowledge base over `articles` (nothing on disk)."""
        kb = cls(KbIndex(MEMORY), params)
        kb.upsert(articles)
        return kb

    @classmethod
    def from_index(cls, index: KbIndex, params: RankParams | None = None) -> KnowledgeBase:
        return cls(index, params)

    @classmethod
    def open(cls, path: Path | str | None = None, *, seed_dir: Path | None = DEMO_KB_DIR,
             params: RankParams | None = None) -> KnowledgeBase:
        """The local index (default: the user data dir). When it is empty, or
        was corrupt and had to be recreated, it is filled from `seed_dir`
        (the shipped demo KB) and from folders imported before."""
        index = KbIndex(path)
        kb = cls(index, params)
        if index.count() == 0 or index.recovered:
            kb.reimport_sources(seed_dir)
        elif seed_dir is not None and index.path != MEMORY:
            kb._refresh_seed(Path(seed_dir))
        return kb

    def _refresh_seed(self, seed_dir: Path) -> None:
        """Re-import the seed folder when its files changed since the index
        last saw them (e.g. a newer demo KB after an upgrade); unchanged
        articles are skipped by their content hash, so this is cheap."""
        if not seed_dir.is_dir():
            return
        stamp = Path(self.index.path + ".seed")
        fingerprint = _folder_fingerprint(seed_dir)
        try:
            if stamp.read_text() == fingerprint:
                return
        except OSError:
            pass
        result = import_folder(seed_dir)
        self.import_errors = list(result.errors)
        self.upsert(result.articles)
        stamp.write_text(fingerprint)

    @classmethod
    def open_folder(cls, folder: Path | str, cache_dir: Path | None = None,
                    params: RankParams | None = None) -> KnowledgeBase:
        """Index `folder` into a cache keyed by its path; re-sync only when a
        file's name, size or mtime changed since last time."""
        root = Path(folder).resolve()
        if not root.is_dir():
            raise NotADirectoryError(f"not a folder: {folder}")
        cache = cache_dir or Path(platformdirs.user_cache_dir("agentdesk")) / "kb"
        key = hashlib.sha256(str(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        index = KbIndex(cache / f"folder-{key}.sqlite3")
        kb = cls(index, params)
        fingerprint = _folder_fingerprint(root)
        stamp = cache / f"folder-{key}.stamp"
        try:
            fresh = stamp.read_text() == fingerprint and not index.recovered
        except OSError:
            fresh = False
        if not fresh:
            kb.sync_folder(root)
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(fingerprint)
        return kb

    # -- changes ---------------------------------------------------------------

    def upsert(self, articles: Iterable[KbArticle]) -> UpsertReport:
        report = self.index.upsert(articles)
        self.warm_up()
        return report

    def remove(self, ids: Iterable[str]) -> int:
        removed = self.index.remove(ids)
        self.warm_up()
        return removed

    def warm_up(self) -> None:
        """Load corpus statistics and the typo corrector now, so the next
        query does not pay for them (tens of ms at 10,000 articles). Call it
        from a worker after opening; writes through this object call it."""
        self.ranker.warm_up(self.index)

    def import_dir(self, folder: Path | str, remember: bool = True) -> UpsertReport:
        """Import (add/update) every article of `folder`; bad files go to
        `import_errors`. `remember` records the folder for rebuilds."""
        result = import_folder(folder)
        self.import_errors = list(result.errors)
        report = self.index.upsert(result.articles)
        self.removed_on_import = 0
        if remember and self.index.path != MEMORY:
            root = Path(folder).resolve()
            _remember_source(Path(self.index.path), root)
            self.removed_on_import = self._drop_deleted(root, result)
        return report

    def _drop_deleted(self, root: Path, result: ImportResult) -> int:
        """Remove the articles whose files were deleted from `root` since its last
        import (its manifest says which ids it gave), unless another source (the
        demo KB, another imported folder) still has them. A file that failed to
        import this time keeps its old article: it is broken, not gone."""
        index_path = Path(self.index.path)
        manifests = _manifests(index_path)
        now = {a.id for a in result.articles} | _ids_of(p.path for p in result.errors)
        gone = set(manifests.get(str(root), ())) - now
        if gone:
            elsewhere = set(_ids_of(DEMO_KB_DIR.glob("*")) if DEMO_KB_DIR.is_dir() else ())
            for other, ids in manifests.items():
                if other != str(root):
                    elsewhere |= set(ids)
            gone -= elsewhere
        removed = self.index.remove(sorted(gone)) if gone else 0
        manifests[str(root)] = sorted(now)
        _write_json(_manifest_file(index_path), manifests)
        return removed

    def sync_folder(self, folder: Path | str) -> UpsertReport:
        """Make the index mirror `folder`: upsert its articles, drop the rest."""
        result = import_folder(folder)
        self.import_errors = list(result.errors)
        keep = {a.id for a in result.articles}
        self.index.remove([i for i in self.index.ids() if i not in keep])
        return self.index.upsert(result.articles)

    def rebuild(self, seed_dir: Path | None = DEMO_KB_DIR) -> UpsertReport:
        """Rebuild from sources (demo KB + remembered folders) if there are any,
        else re-analyse the stored articles. Atomic: all or nothing."""
        articles = self._source_articles(seed_dir)
        if not articles:
            articles = self.index.all_articles()
        return self.index.replace_all(articles)

    def reimport_sources(self, seed_dir: Path | None = DEMO_KB_DIR) -> UpsertReport:
        report = self.upsert(self._source_articles(seed_dir))
        if seed_dir is not None and Path(seed_dir).is_dir() and self.index.path != MEMORY:
            Path(self.index.path + ".seed").write_text(_folder_fingerprint(Path(seed_dir)))
        return report

    def _source_articles(self, seed_dir: Path | None) -> list[KbArticle]:
        folders: list[Path] = []
        if seed_dir is not None and Path(seed_dir).is_dir():
            folders.append(Path(seed_dir))
        if self.index.path != MEMORY:
            folders += [p for p in _remembered_sources(Path(self.index.path)) if p.is_dir()]
        by_id: dict[str, KbArticle] = {}
        errors: list[ImportProblem] = []
        for folder in folders:  # later folders override the demo KB by id
            result = import_folder(folder)
            errors += result.errors
            by_id.update({a.id: a for a in result.articles})
        self.import_errors = errors
        return list(by_id.values())

    # -- queries ---------------------------------------------------------------

    def get(self, article_id: str) -> KbArticle | None:
        return self.index.get(article_id)

    def __len__(self) -> int:
        return self.index.count()

    def search(self, query: str, n: int = 5) -> list[Suggestion]:
        """Best `n` articles for a free-text query (best first)."""
        return self._run(build_query([_clean(query)], self.ranker.params), n)

    def suggest(self, turns: list[str], n: int = 3) -> list[Suggestion]:
        """Best `n` articles for a conversation: `turns` are the customer's
        messages (or transcript segments), oldest first; the latest weighs most."""
        recent = [_clean(t) for t in list(turns)[-MAX_TURNS:] if t and t.strip()]
        if not recent:
            return []
        return self._run(build_query(recent, self.ranker.params), n)

    def _run(self, query: Query, n: int) -> list[Suggestion]:
        ranked = self.ranker.rank(self.index, query, max(0, int(n)))
        articles = self.index.articles_by_doc([r.doc for r in ranked])
        # One term set for every result: a document can only contain query
        # terms it matched, and one set means one compiled highlight regex.
        terms = frozenset().union(*(r.matched for r in ranked)) if ranked else frozenset()
        out: list[Suggestion] = []
        for r in ranked:
            article = articles.get(r.doc)
            if article is None:  # removed between the two reads
                continue
            body = plain_text(article.body)
            body_spans = matched_spans(body, terms)
            spans = matched_spans(article.title, terms) + body_spans
            out.append(Suggestion(
                article_id=article.id,
                title=article.title,
                score=round(r.score, 4),
                snippet=snippet(body, body_spans),
                matched_terms=surface_words(spans),
            ))
        return out


def _clean(text: str) -> str:
    return sanitize_text(str(text), MAX_QUERY_CHARS)


def _folder_fingerprint(root: Path) -> str:
    entries = []
    for p in sorted(root.iterdir()):
        try:
            st = p.stat()
        except OSError:
            continue
        if p.is_file():
            entries.append((p.name, st.st_size, st.st_mtime_ns))
    return json.dumps(entries)


def _sources_file(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".sources.json")


def _remembered_sources(index_path: Path) -> list[Path]:
    try:
        data = json.loads(_sources_file(index_path).read_text())
        return [Path(p) for p in data if isinstance(p, str)]
    except (OSError, ValueError):
        return []


def _manifest_file(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".manifest.json")


def _manifests(index_path: Path) -> dict[str, list[str]]:
    """Per imported folder, the article ids its last import gave."""
    try:
        data = json.loads(_manifest_file(index_path).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [i for i in v if isinstance(i, str)] for k, v in data.items()
            if isinstance(k, str) and isinstance(v, list)}


def _ids_of(paths: Iterable[Path]) -> set[str]:
    ids: set[str] = set()
    for path in paths:
        try:
            ids.add(article_id_for(path))
        except ValueError:
            pass
    return ids


def _write_json(target: Path, data: object) -> None:
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, target)


def _remember_source(index_path: Path, folder: Path) -> None:
    sources = _remembered_sources(index_path)
    if folder not in sources:
        sources.append(folder)
        target = _sources_file(index_path)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps([str(p) for p in sources]))
        os.replace(tmp, target)


__all__ = ["KnowledgeBase", "DEMO_KB_DIR", "default_index_path"]
