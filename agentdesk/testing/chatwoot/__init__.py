"""A fake Chatwoot (REST + ActionCable) for tests and demos of the Chatwoot backend.

    async with running_chatwoot() as fake:
        backend = ChatwootBackend(fake.url)
        await backend.login("ada@example.com", "secret-ada")
        conv = await fake.new_conversation("Grace Hopper", "Hello?")
"""

from agentdesk.testing.chatwoot.app import ChatwootFake
from agentdesk.testing.chatwoot.server import RunningFake, running_chatwoot

__all__ = ["ChatwootFake", "RunningFake", "running_chatwoot"]
