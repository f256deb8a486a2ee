"""Keeps the full-text index in step when content changes outside the importers (the admin)."""
