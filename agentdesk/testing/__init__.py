"""Test helpers that ship with the package (fakes of real backends)."""
