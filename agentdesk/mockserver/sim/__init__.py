"""The contact-center simulation: pure Python, no HTTP, testable on its own."""
