"""The desk controller: the agent desk without Textual (see controller.py)."""
