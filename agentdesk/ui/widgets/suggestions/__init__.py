"""Knowledge-base suggestions, the article preview and the link confirmation."""

from agentdesk.ui.widgets.suggestions.article_preview import ArticlePreview
from agentdesk.ui.widgets.suggestions.confirm_link import ConfirmLink
from agentdesk.ui.widgets.suggestions.suggestion_panel import SuggestionPanel

__all__ = ["ArticlePreview", "ConfirmLink", "SuggestionPanel"]
