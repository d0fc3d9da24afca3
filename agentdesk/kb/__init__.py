"""Knowledge-base import, indexing and suggestion ranking. No Textual.

Public API (stable, documented in docs/kb.md):
    KnowledgeBase, Suggestion, short_answer, email_answer
"""

from agentdesk.kb.answers import email_answer, short_answer
from agentdesk.kb.knowledge_base import KnowledgeBase
from agentdesk.kb.suggestion import Suggestion

__all__ = ["KnowledgeBase", "Suggestion", "short_answer", "email_answer"]
