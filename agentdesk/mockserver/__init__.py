"""The simulated contact center: simulation engine and ASGI app. No Textual."""
