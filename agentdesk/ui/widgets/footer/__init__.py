"""The desk's footer."""
