"""Local persistence in SQLite: outbox, drafts, caches. No Textual."""
