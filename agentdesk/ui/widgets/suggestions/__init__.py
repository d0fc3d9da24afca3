"""Knowledge-base suggestions, the article preview and the link confirmation.

Exported lazily: the desk imports the panel before its first frame, and the
preview pulls in Textual's Markdown widget (markdown-it, ~65 ms), which is
only needed when an article is opened."""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ArticlePreview": "article_preview",
    "ConfirmLink": "confirm_link",
    "SuggestionPanel": "suggestion_panel",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
