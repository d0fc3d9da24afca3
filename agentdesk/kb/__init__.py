"""Knowledge-base import, indexing and suggestion ranking. No Textual."""
