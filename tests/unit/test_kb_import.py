"""Importing Markdown and HTML help-centre exports, including broken files."""

from pathlib import Path

import pytest

from agentdesk.kb.importer import import_folder, load_article, parse_html, parse_markdown

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "kb_fixtures" / "small"


def test_markdown_title_tags_and_body():
    title, body, tags = parse_markdown("# Restart your hub\nTags: router, restart\n\nSwitch it off.", "x")
    assert title == "Restart your hub"
    assert tags == ["router", "restart"]
    assert body == "Switch it off."


def test_markdown_without_heading_uses_file_stem(tmp_path):
    p = tmp_path / "plain-note.md"
    p.write_text("Just some text about direct debits.\n")
    article = load_article(p)
    assert article.title == "plain-note"
    assert article.id == "plain-note"
    assert "direct debits" in article.body


def test_html_title_text_and_dropped_script_and_style():
    title, body = parse_html((FIXTURES / "roaming.html").read_text())
    assert title == "Using your phone abroad"
    assert "Roaming in Europe costs £2 a day" in body
    assert "data roaming" in body
    assert "roamingtrackerscript" not in body and "color: red" not in body
    assert not body.startswith("Using your phone abroad")  # h1 not repeated


def test_html_title_falls_back_to_h1():
    article = load_article(FIXTURES / "no-title-tag.htm")
    assert article.title == "Pay your bill by card"
    assert "one-off card payment" in article.body


def test_folder_import_keeps_updated_at_from_mtime():
    result = import_folder(FIXTURES)
    assert result.errors == []
    ids = sorted(a.id for a in result.articles)
    assert ids == ["no-title-tag", "refunds", "reset-hub", "roaming"]
    for article in result.articles:
        mtime = (FIXTURES / next(p.name for p in FIXTURES.iterdir()
                                 if p.stem == article.id)).stat().st_mtime
        assert article.updated_at == mtime


def test_broken_files_are_reported_and_the_rest_imported(tmp_path):
    (tmp_path / "good.md").write_text("# Good article\n\nUseful words here.\n")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9\n\nbody".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n\n")
    (tmp_path / "untitled.html").write_text("<html><body><p>No heading at all</p></body></html>")
    (tmp_path / "title-only.md").write_text("# Only a title\n")
    (tmp_path / "good.txt").write_text("# Dup\n\nsame slug as good.md, sorted after it")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")  # not an article type: ignored
    result = import_folder(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    reasons = {p.path.name: p.reason for p in result.errors}
    assert set(reasons) == {"binary.md", "latin1.md", "empty.md", "untitled.html",
                            "title-only.md", "good.txt"}
    assert "binary" in reasons["binary.md"]
    assert "UTF-8" in reasons["latin1.md"]
    assert "empty" in reasons["empty.md"]
    assert "<title>" in reasons["untitled.html"]
    assert "no text" in reasons["title-only.md"]
    assert "duplicate" in reasons["good.txt"]
    assert all(str(p).startswith(p.path.name) for p in result.errors)


def test_hostile_text_is_sanitised(tmp_path):
    p = tmp_path / "evil.md"
    p.write_text("# Evil \x1b]0;pwned\x07title\n\nBody \x1b[31mred\x1b[0m \u202etext\n")
    article = load_article(p)
    assert "\x1b" not in article.title + article.body
    assert "\u202e" not in article.body
    assert article.title == "Evil title"


def test_missing_folder_raises(tmp_path):
    with pytest.raises(NotADirectoryError):
        import_folder(tmp_path / "nope")
