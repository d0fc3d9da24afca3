"""Backends the desk talks to: the interface and its implementations. No Textual."""
