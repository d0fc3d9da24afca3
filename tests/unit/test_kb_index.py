"""The SQLite FTS5 index: incremental updates, rebuild, crash safety, recovery."""

import subprocess
import sys
import textwrap
import threading

import pytest

from agentdesk.domain.models import KbArticle
from agentdesk.kb import KnowledgeBase
from agentdesk.kb.index import MEMORY, KbIndex


def art(i: str, title: str, body: str, updated: float = 1.0, tags=()) -> KbArticle:
    return KbArticle(id=i, title=title, body=body, tags=list(tags), updated_at=updated)


BASE = [
    art("reset-hub", "Restart your hub", "Switch the router off and on again."),
    art("refunds", "Refunds", "Money back as a credit on your bill."),
    art("roaming", "Phone abroad", "Roaming in Europe costs two pounds a day."),
]


def test_upsert_counts_and_get_keeps_fields(tmp_path):
    index = KbIndex(tmp_path / "kb.sqlite3")
    r = index.upsert(BASE)
    assert (r.added, r.updated, r.unchanged) == (3, 0, 0)
    again = index.upsert(BASE)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    got = index.get("refunds")
    assert got == BASE[1]
    assert index.get("missing") is None
    changed = art("refunds", "Refunds", "Now paid to your bank account.", updated=2.0, tags=["money"])
    r = index.upsert([changed])
    assert (r.added, r.updated) == (0, 1)
    assert index.get("refunds") == changed
    assert index.count() == 3


def test_incremental_update_changes_search_results():
    kb = KnowledgeBase.from_articles(BASE)
    assert kb.search("bank account") == []
    kb.upsert([art("refunds", "Refunds", "Refunds go to your bank account.", updated=5.0)])
    assert [s.article_id for s in kb.search("bank account")] == ["refunds"]
    assert kb.remove(["refunds", "not-there"]) == 1
    assert kb.search("bank account") == []
    assert kb.get("refunds") is None


def test_index_persists_and_reopens(tmp_path):
    path = tmp_path / "kb.sqlite3"
    KbIndex(path).upsert(BASE)
    reopened = KnowledgeBase.open(path, seed_dir=None)
    assert len(reopened) == 3
    assert reopened.search("roaming europe")[0].article_id == "roaming"
    assert reopened.get("roaming").updated_at == 1.0


def test_exception_mid_batch_leaves_previous_index(tmp_path):
    index = KbIndex(tmp_path / "kb.sqlite3")
    index.upsert(BASE)

    def batch():
        yield art("new-one", "New", "brand new words zebra")
        yield art("refunds", "Refunds", "changed text zebra", updated=9.0)
        raise RuntimeError("importer blew up")

    with pytest.raises(RuntimeError):
        index.upsert(batch())
    assert index.count() == 3
    assert index.get("new-one") is None
    assert index.get("refunds") == BASE[1]
    kb = KnowledgeBase.from_index(index)
    assert kb.search("zebra") == []
    assert kb.search("credit bill")[0].article_id == "refunds"


def test_process_killed_mid_batch_leaves_previous_index(tmp_path):
    path = tmp_path / "kb.sqlite3"
    KbIndex(path).upsert(BASE)
    script = textwrap.dedent(f"""
        import os
        from agentdesk.domain.models import KbArticle
        from agentdesk.kb.index import KbIndex
        def batch():
            for i in range(50):
                yield KbArticle(id=f"crash-{{i}}", title="Crash", body="half written zebra")
            os._exit(9)   # the process dies inside the transaction
        KbIndex({str(path)!r}).upsert(batch())
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == 9
    index = KbIndex(path)
    assert not index.recovered
    assert sorted(index.ids()) == ["refunds", "reset-hub", "roaming"]
    assert KnowledgeBase.from_index(index).search("zebra") == []


def test_corrupt_file_is_detected_and_rebuilt_from_sources(tmp_path):
    path = tmp_path / "kb.sqlite3"
    src = tmp_path / "src"
    src.mkdir()
    (src / "hub.md").write_text("# Hub lights\n\nA red light means a fault.\n")
    index = KbIndex(path)
    index.upsert(BASE)
    index.close()  # checkpoints the WAL into the main file
    path.write_bytes(b"this is not a database" * 100)
    kb = KnowledgeBase.open(path, seed_dir=src)
    assert kb.index.recovered
    assert kb.index.ids() == ["hub"]
    assert kb.search("red light")[0].article_id == "hub"
    assert list(tmp_path.glob("kb.sqlite3.corrupt-*")), "the bad file is kept aside"


def test_damaged_pages_are_detected(tmp_path):
    path = tmp_path / "kb.sqlite3"
    index = KbIndex(path)
    index.upsert(art(f"a{i}", f"Title {i}", "words " * 400) for i in range(200))
    index.close()
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 8192] = b"\xff" * 8192  # scribble over pages in the middle
    path.write_bytes(bytes(data))
    reopened = KbIndex(path)
    assert reopened.recovered
    assert reopened.count() == 0


def test_rebuild_is_atomic_and_reanalyses(tmp_path):
    kb = KnowledgeBase.open(tmp_path / "kb.sqlite3", seed_dir=None)
    kb.upsert(BASE)
    report = kb.rebuild(seed_dir=None)  # no sources: re-analyse stored articles
    assert report.added == 3
    assert kb.search("roaming")[0].article_id == "roaming"


def test_open_folder_caches_until_a_file_changes(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text("# Alpha\n\nabout routers\n")
    cache = tmp_path / "cache"
    kb1 = KnowledgeBase.open_folder(folder, cache_dir=cache)
    assert kb1.index.ids() == ["a"]
    (folder / "b.md").write_text("# Beta\n\nabout bills\n")
    kb2 = KnowledgeBase.open_folder(folder, cache_dir=cache)
    assert kb2.index.ids() == ["a", "b"]
    (folder / "a.md").unlink()
    kb3 = KnowledgeBase.open_folder(folder, cache_dir=cache)
    assert kb3.index.ids() == ["b"]


def test_concurrent_searches_and_writes_from_threads():
    kb = KnowledgeBase.from_articles(BASE)
    errors: list[BaseException] = []

    def reader():
        try:
            for _ in range(100):
                kb.search("router bill roaming")
                kb.suggest(["hello", "my router is off"])
        except BaseException as exc:
            errors.append(exc)

    def writer():
        try:
            for i in range(50):
                kb.upsert([art(f"extra-{i}", "Extra", f"router number {i}")])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(kb) == 53


def test_memory_index_has_no_size():
    assert KbIndex(MEMORY).size_bytes() == 0


def test_document_frequencies_stay_exact_through_updates_and_removes(tmp_path):
    index = KbIndex(tmp_path / "kb.sqlite3")
    index.upsert(BASE)
    index.upsert([art("refunds", "Refunds", "router router credit", updated=3.0),
                  art("extra", "Extra", "roaming credit zebra")])
    index.remove(["roaming"])
    conn = index._conn  # test-only: recount from FTS5 itself
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.check_vocab"
                 " USING fts5vocab(main, fts, 'row')")
    truth = dict(conn.execute("SELECT term, doc FROM temp.check_vocab"))
    assert index.stats().df == truth
    assert index.stats().n_docs == 3


def test_open_picks_up_a_changed_seed_folder(tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "a.md").write_text("# Alpha\n\nabout routers\n")
    path = tmp_path / "kb.sqlite3"
    assert KnowledgeBase.open(path, seed_dir=seed).index.ids() == ["a"]
    (seed / "b.md").write_text("# Beta\n\nabout invoices and zebras\n")
    kb = KnowledgeBase.open(path, seed_dir=seed)
    assert kb.index.ids() == ["a", "b"]
    assert kb.search("zebras")[0].article_id == "b"
